"""Retention: call detail older than N months becomes daily aggregates.

Caller keys, advisors and call times of the purged days are deleted; what every KPI needs
from them stays, per day, queue and agency, in ``agg_call_day`` (the measures of
``model.measures.aggregates`` with the default settings, and the repeat calls naming no
request), per request and day in ``agg_request_repeat``, and per day, queue, agency,
request category and motif, failure demand's measures in ``agg_call_reason_day``. The KPIs over purged days
are those the detail gave (tests/warehouse/test_retention.py); what needs the detail
itself (the half-hour heatmap and the staffing sizing, other settings than the default)
covers the kept detail only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, delete, func, insert, select

from warehouse import config
from warehouse.load.aggregates import daily_rows
from warehouse.load.bulk import execute_count
from warehouse.load.meta import lock_for_writing
from warehouse.model import failure, measures, scopes
from warehouse.model.calendar import months_before
from warehouse.model.params import DEFAULT_SETTINGS, Filters
from warehouse.model.schema import (
    agg_call_day,
    agg_call_kept,
    agg_call_reason_day,
    agg_call_reason_kept,
    agg_request_repeat,
    fact_call,
)


def retention_months() -> int:
    """``PILOTAGE_RETENTION_MONTHS``: months of call detail kept (default 36)."""
    return int(config.get("PILOTAGE_RETENTION_MONTHS"))


def retention_start(today: date, months: int) -> date:
    """The first day kept: the first of the month ``months`` months before ``today``'s."""
    return months_before(today, months)


@dataclass(frozen=True)
class PurgeReport:
    kept_from: date
    calls_purged: int
    aggregate_rows: int  # day x queue x agency


def purge_calls(engine: Engine, kept_from: date) -> PurgeReport:
    """Aggregate then delete the calls dated before ``kept_from``, in one transaction."""
    s = DEFAULT_SETTINGS
    f = Filters(date(1900, 1, 1), kept_from - timedelta(days=1))
    with engine.begin() as conn:
        lock_for_writing(conn)
        columns, rows = daily_rows(f)
        groups = execute_count(conn, insert(agg_call_day).from_select(columns, rows))
        before = agg_call_kept.c.date_key < scopes.date_key(kept_from)
        conn.execute(delete(agg_call_kept).where(before))  # those days are agg_call_day's now
        r = measures.repeat_calls(f, s)
        linked = (
            select(r.c.request_id, r.c.date_key, func.count())
            .where(r.c.is_repeat_linked)
            .group_by(r.c.request_id, r.c.date_key)
        )
        conn.execute(
            insert(agg_request_repeat).from_select(
                ["request_id", "date_key", "repeat_calls"], linked
            )
        )
        columns, rows = failure.daily_rows(f, s)  # failure demand and the reasons table
        conn.execute(insert(agg_call_reason_day).from_select(columns, rows))
        kept = agg_call_reason_kept.c.date_key < scopes.date_key(kept_from)
        conn.execute(delete(agg_call_reason_kept).where(kept))
        purged = execute_count(
            conn, delete(fact_call).where(fact_call.c.date_key < scopes.date_key(kept_from))
        )
    return PurgeReport(kept_from, purged, groups)
