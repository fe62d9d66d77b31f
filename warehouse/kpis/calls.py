"""Call-centre KPIs: aggregates over the call scope, totals and series from one definition."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from sqlalchemy import Connection, and_, func, select

from warehouse.kpis import scopes
from warehouse.kpis.params import DEFAULT_SETTINGS, Filters, Settings
from warehouse.kpis.ratios import ratio


def aggregates(q, s: Settings) -> dict:
    """The SQL aggregates every call KPI is derived from."""
    c = q.c
    count = func.count
    identified = and_(c.is_offered, c.caller_key.is_not(None))
    window = timedelta(days=s.repeat_window_days)
    agg = {
        "offered": count().filter(c.is_offered),
        "answered": count().filter(c.is_answered),
        "abandoned": count().filter(c.is_abandoned),
        "wait_sum": func.sum(c.wait_seconds).filter(c.is_answered),
        "talk_sum": func.sum(c.talk_seconds).filter(c.is_answered),
        "out_of_hours": count().filter(and_(c.is_offered, c.is_out_of_hours)),
        "answered_in_hours": count().filter(and_(c.is_answered, ~c.is_out_of_hours)),
        "qualified": count().filter(and_(c.is_answered, c.motif_family.is_not(None))),
        "complaints": count().filter(and_(c.is_answered, c.motif_family.like("reclamation%"))),
        "settled_known": count().filter(and_(c.is_answered, c.is_settled_first_level.is_not(None))),
        "settled": count().filter(and_(c.is_answered, c.is_settled_first_level)),
        "outbound": count().filter(~c.is_inbound),
        # offered calls from a known number, and those whose number called in the window
        # before (the previous offered call of each number is kept at import)
        "identified": count().filter(identified),
        "repeats": count().filter(and_(identified, c.previous_offered_at >= c.call_at - window)),
    }
    for t in s.service_levels_s:
        agg[f"answered_{t}"] = count().filter(and_(c.is_answered, c.wait_seconds <= t))
    return agg


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


def repeat_calls(f: Filters, s: Settings, with_agency: bool = True):
    """Offered calls of the period with a caller and a request, flagged as repeats
    (``is_repeat_linked``): the number already called about that request. The scope
    starts a window early so a repeat of a call just before the period counts."""
    lookback = f.start - timedelta(days=s.repeat_window_days)
    q = scopes.calls(f, s, start_key=scopes.date_key(lookback), with_agency=with_agency)
    rank = func.row_number().over(
        partition_by=[q.c.caller_key, q.c.request_id], order_by=q.c.call_at
    )
    w = (
        select(q.c.day, q.c.date_key, q.c.request_id, rank.label("rank"))
        .where(q.c.is_offered, q.c.caller_key.is_not(None), q.c.request_id.is_not(None))
        .subquery()
    )
    return (
        select(w.c.date_key, w.c.request_id, (w.c.rank > 1).label("is_repeat_linked"))
        .where(w.c.day >= f.start)
        .subquery("repeat_calls")
    )
