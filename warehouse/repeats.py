"""The previous offered call of the same number, kept on each call at import.

The follow-up KPI counts a call naming no request as a repeat when the same number made
an offered call in the ``repeat_window_days`` before it. Over a year of millions of calls
that is a window over each caller's calls, the slowest query of the catalogue; keeping
``fact_call.previous_offered_at`` up to date at import (for the callers a file touches)
turns it into a filter. "Offered" here uses the default settings (a call abandoned in
less than ``short_abandon_s`` is not offered); other settings take the window instead.

A new call gets its value as it is inserted (``with_previous_offered``): rewriting every
row of a million-call file afterwards took 16 s on PostgreSQL. The calls already stored
then change only where the file brings a call of the same number before one of them
(``refresh_previous_calls``): an export of the days after the last import changes none.
"""

from __future__ import annotations

from sqlalchemy import CTE, Connection, Select, and_, exists, func, select, union_all, update

from warehouse.bulk import execute_count
from warehouse.kpis.params import DEFAULT_SETTINGS
from warehouse.kpis.scopes import is_offered
from warehouse.schema import fact_call


def _offered(c):
    return and_(is_offered(c, DEFAULT_SETTINGS), c.caller_key.is_not(None))


def _previous(pool) -> Select:
    """(call_id, previous_offered_at) of each call of ``pool`` (offered calls only)."""
    lag = func.lag(pool.c.call_at).over(
        partition_by=pool.c.caller_key, order_by=[pool.c.call_at, pool.c.call_id]
    )
    return select(pool.c.call_id, lag.label("previous_offered_at"))


def with_previous_offered(new: CTE) -> Select:
    """The rows of ``new`` (new calls, under ``fact_call``'s column names) with each offered
    one's previous offered call, among the stored calls of its number and the new ones."""
    c = fact_call.c
    pool = union_all(
        select(new.c.call_id, new.c.caller_key, new.c.call_at).where(_offered(new.c)),
        select(c.call_id, c.caller_key, c.call_at).where(
            _offered(c), c.caller_key.in_(select(new.c.caller_key).where(_offered(new.c)))
        ),
    ).subquery()
    previous = _previous(pool).subquery()
    return select(new, previous.c.previous_offered_at).select_from(
        new.outerjoin(previous, previous.c.call_id == new.c.call_id)
    )


def refresh_previous_calls(conn: Connection, load_id: int | None = None) -> int:
    """Recompute ``previous_offered_at`` (all callers when ``load_id`` is None; else those
    of whom the load brought a call at or before one stored by another load); returns the
    rows whose value changed."""
    c = fact_call.c
    callers = select(c.caller_key).where(c.caller_key.is_not(None))
    if load_id is not None:
        older = fact_call.alias("older")
        callers = callers.where(
            c.load_id == load_id,
            exists().where(
                older.c.caller_key == c.caller_key,
                older.c.load_id != load_id,
                older.c.call_at >= c.call_at,
            ),
        )
    pool = (
        select(c.call_id, c.caller_key, c.call_at)
        .where(_offered(c), c.caller_key.in_(callers.distinct()))
        .subquery()
    )
    window = _previous(pool).subquery()
    return execute_count(
        conn,
        update(fact_call)
        .values(previous_offered_at=window.c.previous_offered_at)
        .where(
            fact_call.c.call_id == window.c.call_id,
            fact_call.c.previous_offered_at.is_distinct_from(window.c.previous_offered_at),
        ),
    )
