"""Call-centre KPIs: aggregates over the call scope, totals and series from one definition."""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import Connection, func, select

from warehouse.kpis.ratios import ratio
from warehouse.model import scopes
from warehouse.model.measures import aggregates, repeat_calls  # noqa: F401 (part of this module's API)
from warehouse.model.params import DEFAULT_SETTINGS, Filters, Settings


def derive(a: dict, s: Settings) -> dict[str, float | None]:
    """KPI values from one row of aggregates."""
    out = {
        "offered_calls": a["offered"],
        "answered_calls": a["answered"],
        "answer_rate": ratio(a["answered"], a["offered"]),
        "asa_s": ratio(a["wait_sum"], a["answered"]),
        "abandon_rate": ratio(a["abandoned"], a["offered"]),
        "aht_s": ratio(a["talk_sum"], a["answered"]),
        "complaint_share": ratio(a["complaints"], a["qualified"]),
        "first_level_closure_calls": ratio(a["settled"], a["settled_known"]),
        "out_of_hours_share": ratio(a["out_of_hours"], a["offered"]),
        "lost_calls": a["offered"] - a["answered"],
        "outbound_calls": a["outbound"],
        "repeat_call_rate": ratio(a["repeats"], a["identified"]),
    }
    for t in s.service_levels_s:
        out[f"service_level_{t}"] = ratio(a[f"answered_{t}"], a["offered"])
    return out


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
