"""Failure demand's definition (``kpis.md``), shared by the KPIs (read side) and the
retention purge (write side), which keeps its measures for the days it removes.

A call is failure demand when at least one holds (each call counted once): it names a
request the warehouse holds, created on an earlier day (a chase); its motif family starts
with one of ``followup_motif_prefixes``; its number made an offered call in the
``repeat_window_days`` before it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Integer, and_, case, cast, func, literal, or_, select, union_all

from warehouse.model import scopes
from warehouse.model.params import Filters, Settings
from warehouse.model.schema import (
    REASON_DAY_MEASURES,
    agg_call_reason_day,
    agg_call_reason_kept,
    dim_agency,
    dim_category,
    dim_date,
    dim_queue,
    fact_request,
)

NO_REQUEST = "sans demande"  # the category of a call that names no known request
# The ``family`` that means the calls without a motif (a motif written « (sans motif) - … »
# would fold to it; no export seen writes one).
NO_MOTIF = "(sans motif)"


def stored(family: str) -> str | None:
    """The ``motif_family`` a chosen family stands for: NO_MOTIF is NULL."""
    return None if family == NO_MOTIF else family


def of_family(column, family: str):
    """The condition that a call's ``motif_family`` column is ``family`` (NO_MOTIF: none)."""
    value = stored(family)
    return column.is_(None) if value is None else column == value


def flagged(f: Filters, s: Settings, with_agency: bool = True, family: str | None = None):
    """The call scope with the three causes as booleans (never NULL), ``is_failure``, and
    the category of the request a call names. A category filter keeps the calls that name
    a request of those categories; ``family`` the calls of one motif family (folded)."""
    q = scopes.calls(f, s, with_agency=with_agency)
    r = fact_request.c
    window = timedelta(days=s.repeat_window_days)
    chase = and_(r.created_date_key.is_not(None), r.created_date_key < q.c.date_key)
    motif = or_(
        literal(False), *[q.c.motif_family.like(f"{p}%") for p in s.followup_motif_prefixes]
    )
    repeat = q.c.previous_offered_at >= q.c.call_at - window
    flags = {
        "is_chase": and_(q.c.is_offered, func.coalesce(chase, False)),
        "is_followup_motif": and_(q.c.is_offered, func.coalesce(motif, False)),
        "is_repeat": and_(q.c.is_offered, func.coalesce(repeat, False)),
    }
    category = func.coalesce(dim_category.c.category_code, literal(NO_REQUEST))
    query = select(
        q,
        *[v.label(k) for k, v in flags.items()],
        or_(*flags.values()).label("is_failure"),
        category.label("category"),
        r.category_key,
    ).select_from(
        q.outerjoin(fact_request, r.request_id == q.c.request_id).outerjoin(
            dim_category, dim_category.c.category_key == r.category_key
        )
    )
    if f.categories:
        query = query.where(dim_category.c.category_code.in_(f.categories))
    if family is not None:
        query = query.where(of_family(q.c.motif_family, family))
    return query.subquery("failure_calls")


def measures(q) -> dict:
    """The aggregates failure demand, its cost and the reasons table are derived from
    (``REASON_DAY_MEASURES``), over :func:`flagged`."""
    c = q.c
    count = func.count
    failed = and_(c.is_answered, c.is_failure)
    agg = {
        "offered": count().filter(c.is_offered),
        "failure": count().filter(c.is_failure),
        "chases": count().filter(c.is_chase),
        "followup_motifs": count().filter(c.is_followup_motif),
        "repeats": count().filter(c.is_repeat),
        "answered": count().filter(c.is_answered),
        "failure_answered": count().filter(failed),
        "talk_sum": func.coalesce(func.sum(c.talk_seconds).filter(c.is_answered), 0),
        "failure_talk_sum": func.coalesce(func.sum(c.talk_seconds).filter(failed), 0),
        "talk_known": count().filter(and_(c.is_answered, c.talk_seconds.is_not(None))),
        "settled": count().filter(and_(c.is_answered, c.is_settled_first_level)),
        "settled_known": count().filter(and_(c.is_answered, c.is_settled_first_level.is_not(None))),
        "identified": count().filter(and_(c.is_offered, c.caller_key.is_not(None))),
    }
    assert tuple(agg) == REASON_DAY_MEASURES
    return agg


KEYS = ("date_key", "queue_key", "agency_key", "category_key", "motif_family", "motif_label")


def daily_rows(f: Filters, s: Settings):
    """The detail of the period as rows of ``agg_call_reason_day``/``_kept``."""
    q = flagged(f, s)
    agg = measures(q)
    query = select(*[q.c[k] for k in KEYS], *[v.label(k) for k, v in agg.items()]).group_by(
        *[q.c[k] for k in KEYS]
    )
    return [*KEYS, *agg], query


def days(f: Filters, family: str | None = None, table=agg_call_reason_day):
    """The daily aggregates of ``table`` over the period, with the grouping columns and
    filters of :func:`flagged` (but the half-hour slot)."""
    a = table.c
    d = dim_date
    channel = case((dim_queue.c.is_on_call, literal("astreinte")), else_=literal("crl"))
    category = func.coalesce(dim_category.c.category_code, literal(NO_REQUEST))
    query = (
        select(
            d.c.full_date.label("day"),
            d.c.month_start_date.label("month"),
            d.c.year.label("year"),
            (cast(d.c.iso_year, Integer) * 100 + d.c.iso_week).label("iso_week"),
            dim_agency.c.agency_code.label("agency"),
            channel.label("channel"),
            dim_queue.c.queue_code.label("queue"),
            category.label("category"),
            a.motif_family,
            a.motif_label,
            *[a[m] for m in REASON_DAY_MEASURES],
        )
        .select_from(
            table.join(d, d.c.date_key == a.date_key)
            .join(dim_queue, dim_queue.c.queue_key == a.queue_key)
            .outerjoin(dim_agency, dim_agency.c.agency_key == a.agency_key)
            .outerjoin(dim_category, dim_category.c.category_key == a.category_key)
        )
        .where(a.date_key.between(scopes.date_key(f.start), scopes.date_key(f.end)))
        .where(*scopes._agency_filters(f, dim_agency))
    )
    if f.channels:
        query = query.where(channel.in_(f.channels))
    if f.queues:
        query = query.where(dim_queue.c.queue_code.in_(f.queues))
    if f.categories:
        query = query.where(dim_category.c.category_code.in_(f.categories))
    if family is not None:
        query = query.where(of_family(a.motif_family, family))
    return query


def all_days(f: Filters, family: str | None = None):
    """Every day of the period as daily aggregates: the kept days' and the purged days'."""
    return union_all(days(f, family, agg_call_reason_kept), days(f, family)).subquery("reason_days")
