"""Loading SQL for the request accumulating snapshot and the dwelling stock."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, and_, delete, exists, func, insert, literal, or_, select, update

from warehouse.load.bulk import execute_count
from warehouse.load.corrections import REQUEST_FIELDS, Corrections, count_fields
from warehouse.load.merge_dims import add_inferred_agencies, add_inferred_dwellings
from warehouse.load.staging import stg_request
from warehouse.model.schema import (
    dim_agency,
    dim_category,
    dim_channel,
    dim_date,
    dim_dwelling,
    fact_dwelling_month,
    fact_request,
)

# progress_rank = (status, first action, closure) x FOLLOWUPS_RANK + follow-ups
# (loaders/sources/requests.py)
FOLLOWUPS_RANK = 10_000

# Columns copied as they are from the staged export row to the snapshot row.
SNAPSHOT_COLUMNS = [
    "created_at",
    "created_date_key",
    "first_action_at",
    "first_action_date_key",
    "closed_at",
    "closed_date_key",
    "subcategory",
    "request_type",
    "urgency_days",
    "is_calendar_commitment",
    "first_action_due_date",
    "status",
    "closure_level",
    "followup_count",
    "days_to_first_action",
    "days_to_close",
    "progress_rank",
]


def _latest_rows():
    """One staged row per request: the most advanced, then the last in the file."""
    ranked = select(
        stg_request,
        func.row_number()
        .over(
            partition_by=stg_request.c.request_id,
            order_by=[stg_request.c.progress_rank.desc(), stg_request.c.line_number.desc()],
        )
        .label("rn"),
    ).subquery()
    best = select(ranked).where(ranked.c.rn == 1).subquery()
    return (
        select(
            best,
            dim_channel.c.channel_key,
            dim_agency.c.agency_key,
            dim_category.c.category_key,
            dim_dwelling.c.dwelling_key,
        )
        .select_from(
            best.join(dim_channel, dim_channel.c.channel_code == best.c.channel_code)
            .join(dim_agency, dim_agency.c.agency_code == best.c.agency_code)
            .join(dim_category, dim_category.c.category_code == best.c.category_code)
            .outerjoin(dim_dwelling, dim_dwelling.c.dwelling_code == best.c.dwelling_code)
        )
        .subquery()
    )


def merge_requests(conn: Connection, load_id: int) -> tuple[int, int, Corrections]:
    """Upsert staged requests into the snapshot; returns (inserted, updated, corrections).

    A row replaces the stored one only if it is at least as advanced (``progress_rank``)
    and differs from it, so a stale export never rolls a request back; of a less advanced
    row only a higher follow-up count is taken (follow-ups only grow). Every stored row
    the file differs from is counted per export column, applied or refused.
    """
    add_inferred_agencies(conn, stg_request.c.agency_code)
    add_inferred_dwellings(conn, stg_request.c.dwelling_code)
    s = _latest_rows()
    f = fact_request.c
    keyed = [*SNAPSHOT_COLUMNS, "channel_key", "agency_key", "category_key", "dwelling_key"]
    match = f.request_id == s.c.request_id
    differs = or_(*[f[c].is_distinct_from(s.c[c]) for c in keyed])
    advanced = s.c.progress_rank >= f.progress_rank
    found = Corrections()
    found.rows, found.fields = count_fields(conn, fact_request, s, match, REQUEST_FIELDS, advanced)
    found.refused, found.refused_fields = count_fields(
        conn, fact_request, s, match, REQUEST_FIELDS, ~advanced
    )
    updated = execute_count(
        conn,
        update(fact_request)
        .where(match, advanced, differs)
        .values({c: s.c[c] for c in keyed} | {"load_id": load_id}),
    )
    more_followups = s.c.followup_count > func.coalesce(f.followup_count, -1)
    updated += execute_count(
        conn,
        update(fact_request)
        .where(match, ~advanced, more_followups)
        .values(
            followup_count=s.c.followup_count,
            progress_rank=f.progress_rank
            - f.progress_rank % FOLLOWUPS_RANK
            + func.least(s.c.followup_count, FOLLOWUPS_RANK - 1),
            load_id=load_id,
        ),
    )
    rows = select(
        s.c.request_id, literal(load_id).label("load_id"), *[s.c[c] for c in keyed]
    ).where(~exists().where(match))
    inserted = execute_count(
        conn, insert(fact_request).from_select(["request_id", "load_id", *keyed], rows)
    )
    return inserted, updated, found


def refresh_dwelling_months(conn: Connection, last_year: int | None = None) -> None:
    """Rebuild ``fact_dwelling_month``: dwellings managed per agency at each month's end.

    A running sum of entries (+1 in the month of ``entered_date``, or from the first
    month when unknown) and exits (-1 in the month of ``left_date``) over a month grid,
    so the cost grows with months x agencies, not months x dwellings.
    """
    last_year = last_year or date.today().year + 1
    conn.execute(delete(fact_dwelling_month))
    d = dim_dwelling.c
    known = and_(d.agency_key.is_not(None), ~d.is_inferred)
    first_month = select(func.min(dim_date.c.month_start_date)).scalar_subquery()
    entry_day = dim_date.alias("entry_day")
    exit_day = dim_date.alias("exit_day")
    entries = (
        select(
            d.agency_key,
            func.coalesce(entry_day.c.month_start_date, first_month).label("month_date"),
            literal(1).label("delta"),
        )
        .select_from(dim_dwelling.outerjoin(entry_day, entry_day.c.full_date == d.entered_date))
        .where(known)
    )
    exits = (
        select(d.agency_key, exit_day.c.month_start_date.label("month_date"), literal(-1))
        .select_from(dim_dwelling.join(exit_day, exit_day.c.full_date == d.left_date))
        .where(known)
    )
    events = entries.union_all(exits).subquery()
    per_month = (
        select(events.c.agency_key, events.c.month_date, func.sum(events.c.delta).label("delta"))
        .group_by(events.c.agency_key, events.c.month_date)
        .subquery()
    )
    start = select(func.min(per_month.c.month_date)).scalar_subquery()
    months = (
        select(dim_date.c.month_start_date.label("month_date"))
        .where(dim_date.c.day_of_month == 1, dim_date.c.full_date >= start)
        .where(dim_date.c.year <= last_year)
        .subquery()
    )
    agencies = select(per_month.c.agency_key).distinct().subquery()
    grid = (
        select(
            months.c.month_date,
            agencies.c.agency_key,
            func.sum(func.coalesce(per_month.c.delta, 0))
            .over(partition_by=agencies.c.agency_key, order_by=months.c.month_date)
            .label("dwellings_count"),
        )
        .select_from(
            months.join(agencies, literal(True)).outerjoin(
                per_month,
                and_(
                    per_month.c.agency_key == agencies.c.agency_key,
                    per_month.c.month_date == months.c.month_date,
                ),
            )
        )
        .subquery()
    )
    conn.execute(
        insert(fact_dwelling_month).from_select(
            ["month_date", "agency_key", "dwellings_count"],
            select(grid).where(grid.c.dwellings_count > 0),
        )
    )
