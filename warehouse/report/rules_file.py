"""The alert rules file: read, checked against a schema, then against the warehouse.

Every problem is one French sentence naming the rule (``RulesError``), never a rule that
silently never fires: a key of the wrong type (``agences = "AG01"`` is refused, not read as
the agencies A, G, 0 and 1), an unknown key (a misspelt ``seuil``), a KPI id that is not
in the catalogue (parametrised ids included: ``capture_share.<canal>``), a threshold that
is not a finite number (``nan``, ``inf``), and an agency, channel or survey theme the
warehouse does not know.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import jsonschema
from sqlalchemy import Engine, select

from warehouse.kpis.catalogue import BY_ID, YOY_VOLUMES
from warehouse.model.params import DEFAULT_SETTINGS
from warehouse.model.schema import dim_agency, dim_channel, dim_question
from warehouse.report.alerts import OPERATORS, OUTSIDE_TARGET, PERIODS, Rule, RulesError


def _buckets() -> tuple[str, ...]:
    """The backlog's age buckets, as ``warehouse.kpis.requests.backlog`` names them."""
    labels, low = [], 0
    for high in DEFAULT_SETTINGS.age_buckets_days:
        labels.append(f"{low + 1}-{high}")
        low = high
    return (*labels, f"{low + 1}+")


# Parametrised ids: the family, then where its parameter comes from (a fixed list, or a
# dimension of the warehouse checked by check_against_warehouse).
FIXED_PARAMETERS = {"yoy": YOY_VOLUMES, "backlog_open": _buckets()}
WAREHOUSE_PARAMETERS = {
    "capture_share": (dim_channel.c.channel_code, "canal"),
    "satisfaction": (dim_question.c.theme, "thème d'enquête"),
}
KEYS = {
    "id": "identifiant",
    "indicateur": "identifiant d'indicateur",
    "operateur": "opérateur",
    "seuil": "seuil",
    "cible": "cible",
    "periode": "période",
    "agences": "agences",
}
RULE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["indicateur"],
    "properties": {
        "id": {"type": "string", "pattern": r"\S"},
        "indicateur": {"type": "string"},
        "operateur": {"enum": list(OPERATORS)},
        "seuil": {"type": "number"},
        "cible": {"type": "boolean"},
        "periode": {"enum": list(PERIODS)},
        "agences": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": r"\S"},
        },
    },
}
FILE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"alerte": {"type": "array", "items": {"type": "object"}}},
}


def read_rules(path: Path) -> list[Rule]:
    """The ``[[alerte]]`` tables of a TOML file, each checked against :data:`RULE_SCHEMA`;
    a clear French error names the first rule that cannot work."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(f"fichier de règles introuvable : {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RulesError(f"fichier de règles illisible : {path} ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"{path} : TOML illisible ({error})") from None
    problem = next(iter(jsonschema.Draft202012Validator(FILE_SCHEMA).iter_errors(data)), None)
    if problem is not None:
        extra = sorted(set(data) - {"alerte"})
        raise RulesError(
            f"{path} : clé inconnue {', '.join(extra)} (chaque règle est une table [[alerte]])"
            if extra
            else f"{path} : chaque règle est une table [[alerte]]"
        )
    rules = [_rule(i, table) for i, table in enumerate(data.get("alerte", []), start=1)]
    seen = set()
    for rule in rules:
        if rule.id in seen:
            raise RulesError(f"règle « {rule.id} » : identifiant en double")
        seen.add(rule.id)
    return rules


def _rule(number: int, table: dict) -> Rule:
    given = table.get("id")
    rule_id = given.strip() if isinstance(given, str) and given.strip() else f"regle-{number}"

    def fail(reason: str) -> RulesError:
        return RulesError(f"règle « {rule_id} » : {reason}")

    problem = next(iter(jsonschema.Draft202012Validator(RULE_SCHEMA).iter_errors(table)), None)
    if problem is not None:
        raise fail(_french(problem))
    kpi_id = table["indicateur"]
    family, _, parameter = kpi_id.partition(".")
    known = family in BY_ID and (
        not parameter
        or (parameter in FIXED_PARAMETERS.get(family, ()))
        or (family in WAREHOUSE_PARAMETERS and parameter.strip() == parameter != "")
    )
    if not known:
        raise fail(f"indicateur inconnu « {kpi_id} » (voir python -m warehouse kpis)")
    period = table.get("periode", "jour")
    agencies = tuple(a.strip().upper() for a in table.get("agences", []))
    if table.get("cible"):
        if "operateur" in table or "seuil" in table:
            raise fail("cible = true ou bien operateur et seuil, pas les deux")
        if BY_ID[family].target is None:
            raise fail(f"« {kpi_id} » n'a pas de cible au catalogue : donnez un seuil")
        return Rule(rule_id, kpi_id, OUTSIDE_TARGET, None, period, agencies)
    test, threshold = table.get("operateur"), table.get("seuil")
    if test is None:
        raise fail("opérateur manquant (<, <=, > ou >=), ou cible = true")
    if threshold is None:
        raise fail("seuil manquant (un taux s'écrit 0.8 pour 80 %)")
    if not math.isfinite(threshold):
        raise fail(f"seuil « {threshold} » : un nombre fini est attendu (0.8 pour 80 %)")
    return Rule(rule_id, kpi_id, test, float(threshold), period, agencies)


def _french(error: jsonschema.ValidationError) -> str:
    """A schema error as a French sentence about the key concerned."""
    key = str(error.absolute_path[0]) if error.absolute_path else ""
    kind = error.validator
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(RULE_SCHEMA["properties"]))
        return f"clé inconnue {', '.join(extra)} (attendu : {', '.join(KEYS)})"
    if kind == "required":
        return "indicateur manquant (un identifiant de python -m warehouse kpis)"
    if key == "agences":
        return 'agences : attendu une liste de codes d\'agence, par exemple ["AG01"]'
    if key == "operateur":
        return f"opérateur « {error.instance} » inconnu (<, <=, > ou >=), ou cible = true"
    if key == "periode":
        return f"période « {error.instance} » inconnue (jour, semaine ou mois)"
    if key == "seuil":
        return "seuil non numérique (un taux s'écrit 0.8 pour 80 %)"
    if key == "cible":
        return "cible : attendu true ou false"
    if key == "indicateur":
        return "indicateur : attendu un identifiant entre guillemets"
    return f"{KEYS.get(key, key)} : valeur invalide"


def check_against_warehouse(engine: Engine, rules: list[Rule]) -> None:
    """Each rule's agencies, and a parametrised KPI's channel or survey theme, must exist
    in the warehouse: a code it does not know would never fire."""
    with engine.connect() as conn:
        agencies = set(conn.execute(select(dim_agency.c.agency_code)).scalars())
        known = {
            family: set(conn.execute(select(column).distinct()).scalars())
            for family, (column, _) in WAREHOUSE_PARAMETERS.items()
        }
    for rule in rules:
        unknown = [a for a in rule.agencies if a not in agencies]
        if unknown:
            raise RulesError(
                f"règle « {rule.id} » : agence inconnue de l'entrepôt : {', '.join(unknown)} "
                f"(connues : {', '.join(sorted(agencies)) or 'aucune'})"
            )
        family, _, parameter = rule.kpi_id.partition(".")
        if parameter and family in WAREHOUSE_PARAMETERS and parameter not in known[family]:
            what = WAREHOUSE_PARAMETERS[family][1]
            raise RulesError(
                f"règle « {rule.id} » : indicateur « {rule.kpi_id} » : {what} « {parameter} » "
                "inconnu de l'entrepôt"
            )
