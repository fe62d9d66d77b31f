"""Scoped selects: the facts of the period and filters, with the columns KPIs aggregate.

Each scope is a subquery; KPIs are aggregates over it, series add a GROUP BY on one of
its grouping columns. Every user value reaches SQL as a bound parameter.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Float,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from warehouse.model.params import Filters, Settings
from warehouse.model.schema import (
    CALL_DAY_MEASURES,
    agg_call_day,
    agg_call_kept,
    dim_agency,
    dim_category,
    dim_channel,
    dim_date,
    dim_dwelling,
    dim_queue,
    fact_call,
    fact_contact,
    fact_request,
)


def date_key(d) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def key_date(key: int) -> date:
    """The day of a ``date_key`` (``20250301`` -> 1 March 2025)."""
    return date(key // 10000, key // 100 % 100, key % 100)


def is_offered(c, s: Settings):
    """A call offered to the centre: inbound, and not abandoned within
    ``short_abandon_s`` seconds (``c``: the columns of ``fact_call``). A call whose
    outcome or wait the export could not give is offered (nothing says it was short)."""
    short = and_(c.outcome == "abandonne", c.wait_seconds < s.short_abandon_s)
    return and_(c.is_inbound, ~func.coalesce(short, False))


def _agency_filters(f: Filters, agency) -> list:
    clauses = []
    if f.organisme:
        clauses.append(agency.c.organisme == f.organisme)
    if f.agencies:
        clauses.append(agency.c.agency_code.in_(f.agencies))
    if f.allowed_agencies is not None:  # the user's access: an empty tuple matches nothing
        clauses.append(agency.c.agency_code.in_(f.allowed_agencies))
    return clauses


def _calendar_columns(d) -> list:
    return [
        d.c.full_date.label("day"),
        d.c.month_start_date.label("month"),
        d.c.year.label("year"),
        (cast(d.c.iso_year, Integer) * 100 + d.c.iso_week).label("iso_week"),
        d.c.iso_weekday.label("weekday"),
    ]


def calls(
    f: Filters,
    s: Settings,
    start_key: int | None = None,
    end_key: int | None = None,
    with_agency: bool = True,
):
    """Inbound and outbound calls of the period, with agency (through the dwelling).

    ``with_agency=False`` skips the two joins to the agency when nothing filters or groups
    by it (a third of the time of the totals at 10 million calls); an agency or organisme
    filter (or the user's scope) always joins.
    """
    with_agency = with_agency or f.has_scope
    c = fact_call.c
    d = dim_date
    agency = dim_agency
    channel_code = case((dim_queue.c.is_on_call, literal("astreinte")), else_=literal("crl"))
    offered = is_offered(c, s)
    out_of_hours = or_(
        dim_queue.c.is_on_call,
        d.c.iso_weekday.not_in(s.open_weekdays),
        d.c.is_holiday,
        c.time_key < s.open_from_slot,
        c.time_key >= s.open_to_slot,
    )
    joined = fact_call.join(d, d.c.date_key == c.date_key).join(
        dim_queue, dim_queue.c.queue_key == c.queue_key
    )
    if with_agency:
        joined = joined.outerjoin(
            dim_dwelling, dim_dwelling.c.dwelling_key == c.dwelling_key
        ).outerjoin(agency, agency.c.agency_key == dim_dwelling.c.agency_key)
    query = (
        select(
            *_calendar_columns(d),
            c.time_key.label("slot"),
            (agency.c.agency_code if with_agency else null()).label("agency"),
            channel_code.label("channel"),
            dim_queue.c.queue_code.label("queue"),
            c.is_inbound,
            offered.label("is_offered"),
            and_(offered, c.outcome == "decroche").label("is_answered"),
            and_(offered, c.outcome == "abandonne").label("is_abandoned"),
            out_of_hours.label("is_out_of_hours"),
            c.outcome.is_not(None).label("is_outcome_known"),
            c.wait_seconds,
            c.talk_seconds,
            c.motif_family,
            c.motif_label,
            c.is_settled_first_level,
            c.caller_key,
            c.request_id,
            c.call_at,
            c.previous_offered_at,
            c.date_key,
            c.queue_key,
            (agency.c.agency_key if with_agency else null()).label("agency_key"),
        )
        .select_from(joined)
        .where(c.date_key.between(start_key or date_key(f.start), end_key or date_key(f.end)))
    )
    query = query.where(*_agency_filters(f, agency))
    if f.channels:
        query = query.where(channel_code.in_(f.channels))
    if f.queues:
        query = query.where(dim_queue.c.queue_code.in_(f.queues))
    return query.subquery("calls")


def _call_days(f: Filters, table):
    """Daily call aggregates of ``table`` with the call scope's grouping columns (but the
    half-hour slot) and filters."""
    a = table.c
    d = dim_date
    channel_code = case((dim_queue.c.is_on_call, literal("astreinte")), else_=literal("crl"))
    query = (
        select(
            *_calendar_columns(d),
            dim_agency.c.agency_code.label("agency"),
            channel_code.label("channel"),
            dim_queue.c.queue_code.label("queue"),
            *[a[m] for m in CALL_DAY_MEASURES],
        )
        .select_from(
            table.join(d, d.c.date_key == a.date_key)
            .join(dim_queue, dim_queue.c.queue_key == a.queue_key)
            .outerjoin(dim_agency, dim_agency.c.agency_key == a.agency_key)
        )
        .where(a.date_key.between(date_key(f.start), date_key(f.end)))
        .where(*_agency_filters(f, dim_agency))
    )
    if f.channels:
        query = query.where(channel_code.in_(f.channels))
    if f.queues:
        query = query.where(dim_queue.c.queue_code.in_(f.queues))
    return query


def purged_calls(f: Filters):
    """The retention purge's daily aggregates of the period (the days without detail)."""
    return _call_days(f, agg_call_day).subquery("purged_calls")


def call_days(f: Filters):
    """Every day of the period as daily aggregates: the kept days' (refreshed at import)
    and the purged days'. What call totals and series read with the default settings."""
    return union_all(_call_days(f, agg_call_kept), _call_days(f, agg_call_day)).subquery(
        "call_days"
    )


def _agency_and_channel(query: Select, f: Filters) -> Select:
    """The organisme, agency and channel filters of a scope joined to both dimensions."""
    query = query.where(*_agency_filters(f, dim_agency))
    if f.channels:
        query = query.where(dim_channel.c.channel_code.in_(f.channels))
    return query


def requests(f: Filters, created_from=None) -> Select:
    """Requests created by the end of the period, and from ``created_from`` when given
    (the backlog, a stock, takes every earlier request)."""
    r = fact_request.c
    d = dim_date
    query = (
        select(
            *_calendar_columns(d),
            dim_agency.c.agency_code.label("agency"),
            dim_channel.c.channel_code.label("channel"),
            dim_category.c.category_code.label("category"),
            r.request_type,
            r.status,
            r.closure_level,
            r.urgency_days,
            r.first_action_due_date,
            r.first_action_at,
            r.first_action_date_key,
            r.closed_date_key,
            r.created_date_key,
            r.days_to_close,
            r.followup_count,
            r.request_id,
        )
        .select_from(
            fact_request.join(d, d.c.date_key == r.created_date_key)
            .join(dim_agency, dim_agency.c.agency_key == r.agency_key)
            .join(dim_channel, dim_channel.c.channel_key == r.channel_key)
            .join(dim_category, dim_category.c.category_key == r.category_key)
        )
        .where(r.created_date_key <= date_key(f.end))
    )
    if created_from is not None:
        query = query.where(r.created_date_key >= date_key(created_from))
    query = _agency_and_channel(query, f)
    if f.categories:
        query = query.where(dim_category.c.category_code.in_(f.categories))
    return query.subquery("requests")


def contacts(f: Filters):
    """Front-desk contacts of the period."""
    c = fact_contact.c
    d = dim_date
    query = (
        select(
            *_calendar_columns(d),
            dim_agency.c.agency_code.label("agency"),
            dim_channel.c.channel_code.label("channel"),
            dim_channel.c.channel_group.label("channel_group"),
            c.motif_family,
            c.follow_up,
        )
        .select_from(
            fact_contact.join(d, d.c.date_key == c.date_key)
            .join(dim_agency, dim_agency.c.agency_key == c.agency_key)
            .join(dim_channel, dim_channel.c.channel_key == c.channel_key)
        )
        .where(c.date_key.between(date_key(f.start), date_key(f.end)))
    )
    return _agency_and_channel(query, f).subquery("contacts")


def month_weights(f: Filters):
    """For each month touching the period: the share of its days inside the period."""
    lengths = (
        select(dim_date.c.month_start_date.label("month"), func.count().label("days"))
        .group_by(dim_date.c.month_start_date)
        .subquery()
    )
    inside = (
        select(dim_date.c.month_start_date.label("month"), func.count().label("days"))
        .where(dim_date.c.date_key.between(date_key(f.start), date_key(f.end)))
        .group_by(dim_date.c.month_start_date)
        .subquery()
    )
    return (
        select(
            inside.c.month,
            (cast(inside.c.days, Float) / lengths.c.days).label("weight"),
        )
        .select_from(inside.join(lengths, lengths.c.month == inside.c.month))
        .subquery("month_weights")
    )
