"""The previous offered call of the same number, kept on each call at import.

The follow-up KPI counts a call naming no request as a repeat when the same number made
an offered call in the ``repeat_window_days`` before it. Over a year of millions of calls
that is a window over each caller's calls, the slowest query of the catalogue; keeping
``fact_call.previous_offered_at`` up to date at import (for the callers a file touches)
turns it into a filter. "Offered" here uses the default settings (a call abandoned in
less than ``short_abandon_s`` is not offered); other settings take the window instead.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select, update

from warehouse.bulk import execute_count
from warehouse.kpis.params import DEFAULT_SETTINGS
from warehouse.kpis.scopes import is_offered
from warehouse.schema import fact_call


def refresh_previous_calls(conn: Connection, load_id: int | None = None) -> int:
    """Recompute ``previous_offered_at`` for the callers of the calls of ``load_id`` (all
    callers when None); returns the rows whose value changed."""
    c = fact_call.c
    callers = select(c.caller_key).where(c.caller_key.is_not(None))
    if load_id is not None:
        callers = callers.where(c.load_id == load_id)
    previous = func.lag(c.call_at).over(partition_by=c.caller_key, order_by=[c.call_at, c.call_id])
    window = (
        select(c.call_id, previous.label("previous"))
        .where(is_offered(c, DEFAULT_SETTINGS), c.caller_key.in_(callers.distinct()))
        .subquery()
    )
    return execute_count(
        conn,
        update(fact_call)
        .values(previous_offered_at=window.c.previous)
        .where(
            fact_call.c.call_id == window.c.call_id,
            fact_call.c.previous_offered_at.is_distinct_from(window.c.previous),
        ),
    )
