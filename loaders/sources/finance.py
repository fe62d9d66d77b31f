"""The centre's costs and staffing (formats.md §5 and §6)."""

from __future__ import annotations

import pandas as pd

from loaders.frame import LINE, RAW
from loaders.sources.base import Col, Source, between, code, date_key
from warehouse.french import number
from warehouse.load.merge_facts import merge_costs, merge_staffing
from warehouse.model import reference


def shape_costs(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    month = t["periode"]
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "month_date": month,
            "month_index": (month.dt.year * 12 + month.dt.month - 1).astype("Int64"),
            "cost_centre": code(t["centre"]),
            "nature": t["nature"],
            "amount_eur": t["montant_eur"],
        }
    )


COST_KEY = ["month_date", "cost_centre", "nature"]


def negative_costs(costs: pd.DataFrame) -> pd.DataFrame:
    """Cost lines whose (month, centre, nature) adds up to less than zero in the file.

    A credit note is a legitimate line, but a month where credits exceed expenses is an
    error of the export (a cost per dwelling of -301 €): every line of that key goes to the
    quarantine. ``costs``: the file's staged cost rows with ``_raw`` beside them.
    """
    totals = costs.groupby(COST_KEY, dropna=False)["amount_eur"].transform("sum")
    negative = costs[totals < 0]
    return pd.DataFrame(
        {
            "line_number": negative["line_number"],
            "column_name": "montant_eur",
            "reason": [
                f"total négatif pour ce mois, ce centre et cette nature : {number(t, 2)} € "
                "(avoirs supérieurs aux dépenses)"
                for t in totals[totals < 0]
            ],
            RAW: negative[RAW],
        }
    )


def shape_staffing(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "date_key": date_key(t["date"]),
            "team": code(t["equipe"]),
            "advisor_fte": t["conseillers_etp"],
            "supervisor_fte": t["encadrants_etp"],
        }
    )


def staffing_checks(e) -> list:
    return [
        between(e, "conseillers_etp", 0, 10_000, "ETP conseillers négatif ou aberrant"),
        between(e, "encadrants_etp", 0, 10_000, "ETP encadrants négatif ou aberrant"),
    ]


COUTS = Source(
    "couts",
    "coûts",
    (
        Col("periode", "month", True, ("period", "mois", "month")),
        Col(
            "centre", "text", True, ("cost_centre", "cost center", "centre de cout"), max_length=40
        ),
        Col(
            "nature",
            "code",
            True,
            ("kind", "nature cout"),
            reference.COST_NATURES,
            {
                "mise en place": "mise_en_place",
                "set up": "mise_en_place",
                "setup": "mise_en_place",
                "salaires": "personnel",
                "telephonie": "telecom",
            },
        ),
        Col("montant_eur", "number", True, ("amount_eur", "montant", "amount")),
    ),
    shape=shape_costs,
    merge=merge_costs,
    file_check=negative_costs,
)

EFFECTIFS = Source(
    "effectifs",
    "effectifs",
    (
        Col("date", "date", True, ("day", "jour")),
        Col("equipe", "text", True, ("team",), max_length=40),
        Col("conseillers_etp", "number", True, ("advisors_fte", "conseillers", "etp conseillers")),
        Col("encadrants_etp", "number", True, ("supervisors_fte", "encadrants", "etp encadrants")),
    ),
    shape=shape_staffing,
    checks=staffing_checks,
    merge=merge_staffing,
)
SOURCES = (COUTS, EFFECTIFS)
