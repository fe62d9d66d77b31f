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

from sqlalchemy import (
    CTE,
    Connection,
    Select,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    null,
    select,
    true,
    union_all,
    update,
)

from warehouse.load.bulk import execute_count
from warehouse.model.params import DEFAULT_SETTINGS
from warehouse.model.schema import fact_call
from warehouse.model.scopes import is_offered


def _offered(c):
    return and_(is_offered(c, DEFAULT_SETTINGS), c.caller_key.is_not(None))


def _previous_at(pool, *partition):
    """The ``call_at`` of the call before each one of ``pool`` from the same number (and
    the same ``partition`` values), in time order, ties broken by id."""
    return func.lag(pool.c.call_at).over(
        partition_by=[pool.c.caller_key, *partition], order_by=[pool.c.call_at, pool.c.call_id]
    )


# The stored calls' columns the window needs; the others stay null in the pool.
_POOLED = {"call_id", "caller_key", "call_at"}


def with_previous_offered(new: CTE) -> Select:
    """The rows of ``new`` (new calls, under ``fact_call``'s column names) with each offered
    one's previous offered call, among the stored calls of its number and the new ones.

    One window over the new calls and the stored offered calls of their numbers, with no
    join back: PostgreSQL cannot estimate how many new calls there are (they are the first
    line of each id), and joined 20,000 of them to their previous calls by nested loop."""
    c = fact_call.c
    names = list(new.c.keys())
    stored = [c[n] if n in _POOLED else cast(null(), c[n].type) for n in names]
    pool = union_all(
        select(new, _offered(new.c).label("offered"), true().label("is_new")),
        select(*stored, true().label("offered"), false().label("is_new")).where(
            _offered(c), c.caller_key.in_(select(new.c.caller_key).where(_offered(new.c)))
        ),
    ).subquery()
    lag = _previous_at(pool, pool.c.offered)
    previous = case((pool.c.offered, lag), else_=null()).label("previous_offered_at")
    # The window first, over every row; then the new rows only.
    windowed = select(*[pool.c[n] for n in names], pool.c.is_new, previous).subquery()
    return select(*[windowed.c[n] for n in names], windowed.c.previous_offered_at).where(
        windowed.c.is_new
    )


CHUNK = 1_000  # caller keys per statement: bound parameters stay few on both dialects


def refresh_previous_of(conn: Connection, caller_keys) -> int:
    """Recompute ``previous_offered_at`` for the calls of these numbers (a corrected call
    may have moved, changed number or stopped being offered); returns the rows changed."""
    keys = sorted({k for k in caller_keys if k is not None})
    return sum(_refresh(conn, keys[i : i + CHUNK]) for i in range(0, len(keys), CHUNK))


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
    return _refresh(conn, callers.distinct())


def _refresh(conn: Connection, callers) -> int:
    c = fact_call.c
    pool = (
        select(c.call_id, c.caller_key, c.call_at)
        .where(_offered(c), c.caller_key.in_(callers))
        .subquery()
    )
    window = select(pool.c.call_id, _previous_at(pool).label("previous_offered_at")).subquery()
    return execute_count(
        conn,
        update(fact_call)
        .values(previous_offered_at=window.c.previous_offered_at)
        .where(
            fact_call.c.call_id == window.c.call_id,
            fact_call.c.previous_offered_at.is_distinct_from(window.c.previous_offered_at),
        ),
    )
