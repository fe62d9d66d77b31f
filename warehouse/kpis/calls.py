"""Call-centre KPIs: aggregates over the call scope, totals and series from one definition."""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import Connection, func, select

from warehouse.french import number
from warehouse.kpis.ratios import ratio
from warehouse.model import scopes
from warehouse.model.measures import aggregates, repeat_calls  # noqa: F401 (part of this module's API)
from warehouse.model.params import DEFAULT_SETTINGS, Filters, Settings


def derive(a: dict, s: Settings) -> dict[str, float | None]:
    """KPI values from one row of aggregates. Answers, waits and abandons are counted over
    the calls whose export gives them (``offered_known``, ``answered_wait_known``): a call
    whose outcome is unknown (Teams) is in no rate; no such call, no value (see
    :func:`unmeasured` for the note that goes with it)."""
    known = a.get("offered_known", a["offered"])
    waited = a.get("answered_wait_known", a["answered"])
    # offered calls whose wait counts, if answered; none when no answered call has one
    measured = known - a["answered"] + waited if waited or not a["answered"] else 0
    out = {
        "offered_calls": a["offered"],
        "answered_calls": a["answered"] if known or not a["offered"] else None,
        "answer_rate": ratio(a["answered"], known),
        "asa_s": ratio(a["wait_sum"], waited),
        "abandon_rate": ratio(a["abandoned"], known),
        "aht_s": ratio(a["talk_sum"], a.get("answered_talk_known", a["answered"])),
        "complaint_share": ratio(a["complaints"], a["qualified"]),
        "first_level_closure_calls": ratio(a["settled"], a["settled_known"]),
        "out_of_hours_share": ratio(a["out_of_hours"], a["offered"]),
        "lost_calls": known - a["answered"] if known or not a["offered"] else None,
        "outbound_calls": a["outbound"],
        "repeat_call_rate": ratio(a["repeats"], a["identified"]),
    }
    for t in s.service_levels_s:
        out[f"service_level_{t}"] = ratio(a[f"answered_{t}"], measured)
    return out


OUTCOME_KPIS = ("answered_calls", "answer_rate", "abandon_rate", "lost_calls")
WAIT_KPIS = ("asa_s",)
UNMEASURED = "non mesuré : "


def unmeasured(a: dict, s: Settings) -> dict[str, str]:
    """The note of each call KPI some of whose calls do not carry its measure: « non
    mesuré : » and why when none does (the KPI has no value), « mesuré sur N des M » when
    some do (the KPI is computed over those, docs/kpis.md)."""
    offered, answered = a["offered"], a["answered"]
    known = a.get("offered_known", offered)
    waited = a.get("answered_wait_known", answered)
    notes: dict[str, str] = {}
    levels = tuple(f"service_level_{t}" for t in s.service_levels_s)
    if offered and known < offered:
        if known == 0:
            note = (
                f"{UNMEASURED}l'export de ces appels ne dit pas s'ils ont été décrochés, "
                f"abandonnés ou perdus ({number(offered)} appels présentés sans issue connue)"
            )
        else:
            note = (
                f"mesuré sur {number(known)} des {number(offered)} appels présentés : les "
                f"{number(offered - known)} autres viennent d'un export qui ne donne pas leur issue"
            )
        notes |= dict.fromkeys(OUTCOME_KPIS + WAIT_KPIS + ("aht_s",) + levels, note)
    if answered and waited < answered:
        if waited == 0:
            note = (
                f"{UNMEASURED}l'export de ces appels ne donne pas leur temps d'attente "
                f"({number(answered)} appels décrochés sans attente connue)"
            )
        else:
            note = (
                f"mesuré sur {number(waited)} des {number(answered)} appels décrochés : les "
                f"{number(answered - waited)} autres viennent d'un export sans temps d'attente"
            )
        for kpi_id in WAIT_KPIS + levels:
            notes.setdefault(kpi_id, note)
    talked = a.get("answered_talk_known", answered)
    if answered and talked < answered:
        if talked == 0:
            note = (
                f"{UNMEASURED}l'export de ces appels ne donne pas leur durée de conversation "
                f"({number(answered)} appels décrochés sans durée connue)"
            )
        else:
            note = (
                f"mesuré sur {number(talked)} des {number(answered)} appels décrochés : les "
                f"{number(answered - talked)} autres viennent d'un export sans durée de conversation"
            )
        notes.setdefault("aht_s", note)
    return notes


def totals(conn: Connection, f: Filters, s: Settings, only: list[str] | None = None) -> dict:
    """Aggregates over the whole period (raw, for the other modules to combine); ``only``
    some of them when that is all the caller needs (each one costs a filtered count)."""
    return grouped_aggregates(conn, f, s, [], only)[()]  # an aggregate without GROUP BY: one row


@cache
def aggregates_of(s: Settings) -> list[str]:
    return list(aggregates(scopes.calls(Filters(date.min, date.min), s), s))


def grouped_aggregates(
    conn: Connection,
    f: Filters,
    s: Settings,
    by: list[str],
    only: list[str] | None = None,
    detail: bool = False,
) -> dict[tuple, dict]:
    """Raw aggregates per value of the grouping columns. With the default settings and no
    half-hour slot, from the daily aggregates (``scopes.call_days``); otherwise (or with
    ``detail``) from the call detail plus the purged days' aggregates (which have no slot
    and hold the default settings' measures only)."""
    names = [k for k in aggregates_of(s) if only is None or k in only]
    if s == DEFAULT_SETTINGS and "slot" not in by and not detail:
        return _summed(conn, scopes.call_days(f), by, names, {})
    q = scopes.calls(f, s, with_agency="agency" in by)
    keys = [q.c[b] for b in by]
    agg = {k: v for k, v in aggregates(q, s).items() if k in names}
    out: dict[tuple, dict] = {}
    query = select(*keys, *[v.label(k) for k, v in agg.items()]).group_by(*keys)
    for row in conn.execute(query).mappings():
        out[tuple(row[b] for b in by)] = {k: (row[k] or 0) for k in agg}
    if s != DEFAULT_SETTINGS or "slot" in by:
        return out
    return _summed(conn, scopes.purged_calls(f), by, names, out)


def _summed(conn: Connection, days, by: list[str], names: list[str], out: dict) -> dict:
    """``out`` plus the sums of daily aggregates per value of the grouping columns."""
    sums = [func.sum(days.c[k]).label(k) for k in names]
    query = select(*[days.c[b] for b in by], *sums).group_by(*[days.c[b] for b in by])
    for row in conn.execute(query).mappings():
        if row[names[0]] is None:  # no day in the period
            continue
        base = out.setdefault(tuple(row[b] for b in by), dict.fromkeys(names, 0))
        for k in names:  # PostgreSQL sums integers as numeric: back to int and float
            base[k] += float(row[k] or 0) if k.endswith("_sum") else int(row[k] or 0)
    if not by:  # an aggregate without GROUP BY has one row, even over nothing
        out.setdefault((), dict.fromkeys(names, 0))
    return out


def grouped(conn: Connection, f: Filters, s: Settings, by: list[str]) -> list[dict]:
    """Aggregates and KPI values per value of the grouping columns (a scope column each)."""
    rows = grouped_aggregates(conn, f, s, by)
    ordered = sorted(rows, key=lambda key: [(v is None, 0 if v is None else v) for v in key])
    return [{**dict(zip(by, key, strict=True)), **derive(rows[key], s)} for key in ordered]
