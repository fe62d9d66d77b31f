"""The requests that make tenants call again: request categories ranked by follow-ups per
request, time to close and commitments kept, and the most-chased open requests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Date, case, cast, func, literal, select

from warehouse.kpis import requests
from warehouse.kpis.ratios import number, ratio
from warehouse.model import as_of, scopes
from warehouse.model.params import Filters, Settings


def categories(conn: Connection, f: Filters, s: Settings) -> list[dict]:
    """Per category of the requests created in the period: requests, the share chased, the
    follow-ups per request (``nb_relances`` plus the same number's later calls about the
    request, as ``followups_per_request``), the median days to close and the commitments
    kept; most follow-ups per request first, then the slowest to close."""
    q = scopes.requests(f, created_from=f.start)
    linked = requests._linked_repeats(f, s)
    declared = func.coalesce(q.c.followup_count, 0)
    repeats = func.coalesce(linked.c.repeats, 0)
    assessed, kept = requests.commitment(q.c, f)
    closed_days = case((q.c.status == "cloturee", q.c.days_to_close), else_=None)
    query = (
        select(
            q.c.category,
            func.count().label("requests"),
            func.count().filter((declared > 0) | (repeats > 0)).label("chased"),
            func.sum(declared + repeats).label("followups"),
            func.percentile_cont(0.5).within_group(closed_days).label("close_days_median"),
            func.count().filter(assessed).label("assessed"),
            func.count().filter(kept).label("kept"),
        )
        .select_from(q.outerjoin(linked, linked.c.request_id == q.c.request_id))
        .group_by(q.c.category)
    )
    out = [
        {
            "category": row.category,
            "requests": int(row.requests),
            "followup_rate": ratio(row.chased, row.requests),
            "followups": int(row.followups or 0),
            "followups_per_request": ratio(int(row.followups or 0), row.requests),
            "close_days_median": number(row.close_days_median),
            "commitment_kept": ratio(row.kept, row.assessed),
        }
        for row in conn.execute(query)
    ]
    out.sort(
        key=lambda r: (
            -(r["followups_per_request"] or 0),
            -(r["close_days_median"] or 0),
            r["category"],
        )
    )
    return out


def open_requests(conn: Connection, f: Filters, s: Settings, limit: int = 500) -> list[dict]:
    """Requests open at the end of the period, most chased first: the follow-ups the
    request export declares (``nb_relances``) and the offered calls that named the request
    on a later day than its creation, up to the end of the period (its chases in failure
    demand's sense, whenever they came). Scoped as every request KPI; bounded."""
    q = scopes.requests(f)
    c = scopes.calls(Filters(date(1900, 1, 1), f.end), s, with_agency=False)
    late = (
        select(c.c.request_id, c.c.date_key)
        .where(c.c.is_offered, c.c.request_id.is_not(None))
        .subquery()
    )
    chases = (
        select(late.c.request_id, func.count().label("chase_calls"))
        .select_from(late.join(q, q.c.request_id == late.c.request_id))
        .where(late.c.date_key > q.c.created_date_key)
        .group_by(late.c.request_id)
        .subquery()
    )
    declared = func.coalesce(q.c.followup_count, 0)
    chase_calls = func.coalesce(chases.c.chase_calls, 0)
    total = (declared + chase_calls).label("followups")
    query = (
        select(
            q.c.request_id,
            q.c.day.label("created"),
            q.c.agency,
            q.c.category,
            q.c.request_type,
            as_of.status_at(q.c, f.end).label("status"),
            (cast(literal(f.end), Date) - q.c.day).label("age_days"),
            declared.label("declared_followups"),
            chase_calls.label("chase_calls"),
            total,
        )
        .select_from(q.outerjoin(chases, chases.c.request_id == q.c.request_id))
        .where(as_of.open_at(q.c, f.end), total > 0)
        .order_by(total.desc(), q.c.day, q.c.request_id)
        .limit(limit)
    )
    return [dict(r) for r in conn.execute(query).mappings()]
