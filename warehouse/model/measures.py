"""The measures every call KPI and the daily call aggregates are derived from.

Shared by the write side (the daily aggregates refreshed at import, the retention purge)
and the read side (the KPI layer): one definition, so that a figure read from the
aggregates equals the one the detail gives.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, func, select

from warehouse.model import scopes
from warehouse.model.params import Filters, Settings


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
        # What the rates can be measured over: an export may give neither outcome nor wait.
        "offered_known": count().filter(and_(c.is_offered, c.is_outcome_known)),
        "answered_wait_known": count().filter(and_(c.is_answered, c.wait_seconds.is_not(None))),
        "answered_talk_known": count().filter(and_(c.is_answered, c.talk_seconds.is_not(None))),
    }
    for t in s.service_levels_s:
        agg[f"answered_{t}"] = count().filter(and_(c.is_answered, c.wait_seconds <= t))
    return agg


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
