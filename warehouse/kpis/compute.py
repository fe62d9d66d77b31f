"""Every KPI of the catalogue for one set of filters: values, units, definitions, references."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from sqlalchemy import Connection, Engine, func, select

from warehouse.kpis import calls, costs, failure, measurable, requests, satisfaction
from warehouse.kpis.catalogue import YOY_VOLUMES, kpi, label
from warehouse.kpis.ratios import ratio
from warehouse.model import scopes
from warehouse.model.params import DEFAULT_SETTINGS, Filters, Settings

NO_DATA = "dénominateur nul sur la période : pas de valeur"
NO_COSTS = "aucun fichier de coûts chargé"
NO_STAFFING = "aucun fichier d'effectifs chargé"
NO_DWELLINGS = "aucun logement géré sur la période (référentiel logements non chargé ?)"
NO_SURVEY = "aucune enquête de satisfaction importée pour ces filtres"
NO_AFTER = "aucune enquête « à chaud » sur les demandes créées dans la période"
CALL_IDS = (
    "offered_calls",
    "answered_calls",
    "answer_rate",
    "service_level_90",
    "service_level_60",
    "asa_s",
    "abandon_rate",
    "out_of_hours_share",
)


@dataclass(frozen=True)
class KpiValue:
    id: str
    value: float | None
    unit: str
    definition: str
    reference: str
    label: str
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _value(kpi_id: str, value, note: str = "") -> KpiValue:
    k = kpi(kpi_id)
    if value is None and not note:
        note = NO_DATA
    value = None if value is None else float(value)
    return KpiValue(kpi_id, value, k.unit, k.definition, k.reference, label(kpi_id), note)


def _scoped(v: KpiValue, f: Filters) -> KpiValue:
    """The value as the filters' scope can measure it (``measurable``): none and the
    reason, or the value with the scope's note beside its own."""
    why = measurable.reason(v.id, f)
    if why:
        return replace(v, value=None, note=why)
    scope_note = measurable.note(v.id, f)
    return replace(v, note=" ; ".join(n for n in (v.note, scope_note) if n)) if scope_note else v


def contact_count(conn: Connection, f: Filters) -> int:
    q = scopes.contacts(f)
    return int(conn.execute(select(func.count()).select_from(q)).scalar_one())


def volumes(conn: Connection, f: Filters, s: Settings) -> dict[str, int]:
    """The volumes that have a year-on-year change."""
    call = calls.totals(conn, f, s, only=["offered", "answered"])
    req = requests.totals(conn, f)
    return {
        "offered_calls": call["offered"],
        "answered_calls": call["answered"],
        "requests": req["requests"],
        "complaints": req["complaints"],
        "contacts": contact_count(conn, f),
    }


def _satisfaction(conn: Connection, f: Filters, s: Settings) -> list[KpiValue]:
    chosen, _ = satisfaction.waves(conn, f, s)
    rates = satisfaction.theme_rates(conn, f, chosen, s)
    out = [_value(f"satisfaction.{r['theme']}", r["rate"]) for r in rates]
    if not rates:
        out.append(_value("satisfaction", None, NO_SURVEY))
    after = satisfaction.after_request(conn, f, s)
    rate = after[0]["rate"] if after else None
    out.append(_value("satisfaction_after_request", rate, "" if after else NO_AFTER))
    return out


STAFF_IDS = ("calls_per_advisor_day", "supervision_ratio")
COST_IDS = ("cost_per_dwelling_year", "cost_per_answered_call", "cost_per_first_level_request")


def _staffing(conn: Connection, f: Filters, ca: dict) -> list[KpiValue]:
    staff = costs.staffing(conn, f)
    if staff is None:
        return [_value(i, None, NO_STAFFING) for i in STAFF_IDS]
    return [
        _value("calls_per_advisor_day", ratio(ca["answered_in_hours"], staff[0])),
        _value("supervision_ratio", ratio(staff[0], staff[1])),
    ]


def _costs(conn: Connection, f: Filters, ca: dict, ra: dict, dm: float) -> list[KpiValue]:
    cost = costs.costs(conn, f)
    if cost is None:
        return [_value(i, None, NO_COSTS) for i in COST_IDS]
    allocated = costs.ALLOCATED if f.has_scope else ""
    return [
        _value("cost_per_dwelling_year", ratio(cost * 12, dm), allocated if dm else NO_DWELLINGS),
        _value(
            "cost_per_answered_call",
            ratio(cost, ca["answered"]),
            calls.unmeasured(ca, DEFAULT_SETTINGS).get("answered_calls", ""),
        ),
        _value("cost_per_first_level_request", ratio(cost, ra["closed_level1"])),
    ]


FAILURE_IDS = ("failure_demand_share", "non_quality_cost_eur", "non_quality_cost_per_dwelling_year")


def _failure(conn: Connection, f: Filters, s: Settings) -> list[KpiValue]:
    fd = failure.summary(conn, f, s)
    out = [_value("failure_demand_share", fd["failure_demand_share"])]
    if fd["cost_eur"] is None:
        return out + [_value(i, None, NO_COSTS) for i in FAILURE_IDS[1:]]
    dm = costs.dwelling_months(conn, f)
    return out + [
        _value("non_quality_cost_eur", fd["non_quality_cost_eur"], fd["cost_note"]),
        _value(
            "non_quality_cost_per_dwelling_year",
            fd["non_quality_cost_per_dwelling_year"],
            fd["cost_note"] if dm else NO_DWELLINGS,
        ),
    ]


def reason_id(family: str | None) -> str:
    """The export id of a motif family's share of handle time: ``reasons.<family>``."""
    return "reasons." + ("sans_motif" if family is None else family.replace(" ", "_"))


def _reasons(conn: Connection, f: Filters, s: Settings) -> list[KpiValue]:
    rows = failure.reasons(conn, f, s, level="family")
    if not rows:
        return [_value("reasons", None, "aucun appel sur la période")]
    return [_value(reason_id(r["motif_family"]), r["handle_time_share"]) for r in rows]


def compute_all(
    engine: Engine,
    f: Filters,
    s: Settings = DEFAULT_SETTINGS,
    only: tuple[str, ...] | None = None,
) -> list[KpiValue]:
    """One value per KPI id; a KPI the loaded data cannot give has no value and a note.
    ``only`` some ids (``capture_share`` for every channel's): the queries the others
    alone need are not run (the Synthèse's year before needs its tiles only)."""
    with engine.connect() as conn:
        out = _compute(conn, f, s, None if only is None else {i.split(".")[0] for i in only})
    out = [_scoped(v, f) for v in out]
    return out if only is None else [v for v in out if v.id in only or v.id.split(".")[0] in only]


def _compute(conn: Connection, f: Filters, s: Settings, wanted: set[str] | None) -> list[KpiValue]:
    def want(*ids: str) -> bool:
        return wanted is None or any(i in wanted for i in ids)

    ca = calls.totals(conn, f, s)
    cv = calls.derive(ca, s)
    unmeasured = calls.unmeasured(ca, s)
    ra = requests.totals(conn, f)
    rv = requests.derive(ra)
    out = [_value(i, cv[i], unmeasured.get(i, "")) for i in CALL_IDS[:-1]]
    out.append(_value("aht_s", cv["aht_s"], unmeasured.get("aht_s", "")))

    dm = costs.dwelling_months(conn, f)
    out.append(
        _value("calls_per_dwelling_month", ratio(ca["offered"], dm), "" if dm else NO_DWELLINGS)
    )
    out.append(_value("complaint_share", cv["complaint_share"]))
    if want("capture_share"):
        for row in requests.capture_shares(conn, f):
            out.append(_value(f"capture_share.{row['channel']}", row["share"]))
    out.append(_value("first_level_closure_calls", cv["first_level_closure_calls"]))
    out.append(
        _value(
            "first_level_closure_requests",
            rv["first_level_closure_requests"],
            requests.level_note(ra),
        )
    )
    out.append(_value("commitment_kept", rv["commitment_kept"]))
    if want("close_days_median", "close_days_p90"):
        out += [_value(key, value) for key, value in requests.close_days(conn, f).items()]
    if want("backlog_open"):
        backlog = requests.backlog(conn, f, s)
        out.append(_value("backlog_open", backlog.pop("total")))
        out += [_value(f"backlog_open.{bucket}", n) for bucket, n in backlog.items()]
    if want("followup_rate", "followups_per_request"):
        chased = requests.followups(conn, f, s)
        out.append(_value("followup_rate", chased["followup_rate"]))
        out.append(_value("followups_per_request", chased["followups_per_request"]))
    out.append(_value("repeat_call_rate", cv["repeat_call_rate"]))
    out.append(_value("out_of_hours_share", cv["out_of_hours_share"]))

    if want(*STAFF_IDS):
        out += _staffing(conn, f, ca)
    if want(*COST_IDS):
        out += _costs(conn, f, ca, ra, dm)
    if want(*FAILURE_IDS):
        out += _failure(conn, f, s)
    if want("reasons"):
        out += _reasons(conn, f, s)
    if want("satisfaction", "satisfaction_after_request"):
        out += _satisfaction(conn, f, s)
    if not want("yoy"):
        return out

    now = {
        "offered_calls": ca["offered"],
        "answered_calls": ca["answered"],
        "requests": ra["requests"],
        "complaints": ra["complaints"],
        "contacts": contact_count(conn, f),
    }
    before = volumes(conn, f.shifted_years(1), s)
    for name in YOY_VOLUMES:
        change = ratio(now[name] - before[name], before[name]) if before[name] else None
        note = "" if before[name] else "aucune donnée un an plus tôt : pas d'évolution"
        out.append(_value(f"yoy.{name}", change, note))
    return out
