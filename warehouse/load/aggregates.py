"""Daily call aggregates of the kept detail, refreshed at import: what the pages read.

A year of calls is millions of rows; per day, queue and agency it is about a hundred
thousand. ``agg_call_kept`` holds, for every day whose call detail is kept, the measures of
``model.measures.aggregates`` with the default settings (the retention purge's
``agg_call_day`` holds the same for the purged days). The KPI layer serves call totals and
series from the two tables whenever the default settings apply and no half-hour is asked;
the detail answers the rest (the heatmap, the staffing sizing, other settings).

``agg_call_reason_kept`` holds the same days' failure demand and reasons measures
(``model.failure``), refreshed with them and after a request file (a call names a request:
whether it chases it, and its category).

Refreshed, in the import's own transaction:
- a call file: the days of its calls, and the ``repeat_window_days`` after them (a new
  call can make a later call of the same number a repeat);
- a dwellings file: every day (a dwelling's agency decides its calls' agency);
- an older warehouse: every day, when the table first appears.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, delete, func, literal, select

from warehouse.load.bulk import execute_count
from warehouse.model import failure, measures, scopes
from warehouse.model.params import DEFAULT_SETTINGS, Filters
from warehouse.model.schema import agg_call_kept, agg_call_reason_kept, fact_call, fact_request

KEYS = ("date_key", "queue_key", "agency_key")
ALL_DAYS = (date(1900, 1, 1), date(2999, 12, 31))


def daily_rows(f: Filters):
    """The detail of the period as rows of ``agg_call_day``/``agg_call_kept``: one per day,
    queue and agency, with the default settings' measures (and the unused legacy
    ``repeat_unlinked``, 0)."""
    s = DEFAULT_SETTINGS
    q = scopes.calls(f, s)
    agg = measures.aggregates(q, s)
    per_day = (
        select(*[q.c[k] for k in KEYS], *[v.label(k) for k, v in agg.items()])
        .group_by(*[q.c[k] for k in KEYS])
        .subquery()
    )
    rows = select(
        *[per_day.c[k] for k in KEYS],
        *[func.coalesce(per_day.c[k], 0) for k in agg],  # a sum over no answered call
        literal(0),
    )
    return [*KEYS, *agg, "repeat_unlinked"], rows


def refresh_call_days(conn: Connection, start: date | None = None, end: date | None = None) -> int:
    """Recompute the kept days' aggregates between ``start`` and ``end`` (every day when
    not given); returns the aggregate rows written."""
    start, end = start or ALL_DAYS[0], end or ALL_DAYS[1]
    keys = (scopes.date_key(start), scopes.date_key(end))
    conn.execute(delete(agg_call_kept).where(agg_call_kept.c.date_key.between(*keys)))
    columns, rows = daily_rows(Filters(start, end))
    written = execute_count(conn, agg_call_kept.insert().from_select(columns, rows))
    refresh_reason_days(conn, start, end)
    return written


def refresh_reason_days(conn: Connection, start: date | None = None, end: date | None = None):
    """Recompute failure demand's daily aggregates of the kept days between ``start`` and
    ``end`` (every day when not given)."""
    start, end = start or ALL_DAYS[0], end or ALL_DAYS[1]
    keys = (scopes.date_key(start), scopes.date_key(end))
    table = agg_call_reason_kept
    conn.execute(delete(table).where(table.c.date_key.between(*keys)))
    columns, rows = failure.daily_rows(Filters(start, end), DEFAULT_SETTINGS)
    conn.execute(table.insert().from_select(columns, rows))


def refresh_after_requests(conn: Connection, load_id: int) -> None:
    """A request file changes whether the calls naming its requests chase them, and their
    category: the days from its earliest request's creation."""
    low = conn.execute(
        select(func.min(fact_request.c.created_date_key)).where(fact_request.c.load_id == load_id)
    ).scalar_one()
    if low is not None:
        refresh_reason_days(conn, scopes.key_date(low))


def refresh_after_calls(conn: Connection, load_id: int) -> int:
    """The days a call file touched, and the repeat window after them."""
    low, high = conn.execute(
        select(func.min(fact_call.c.date_key), func.max(fact_call.c.date_key)).where(
            fact_call.c.load_id == load_id
        )
    ).one()
    if low is None:
        return 0
    window = timedelta(days=DEFAULT_SETTINGS.repeat_window_days + 1)
    return refresh_call_days(conn, scopes.key_date(low), scopes.key_date(high) + window)
