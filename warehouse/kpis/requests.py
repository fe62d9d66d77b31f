"""Request KPIs: capture, first-level closure, commitments, time to close, backlog."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection, Date, and_, case, cast, func, literal, or_, select

from warehouse.french import number as french_number
from warehouse.kpis.ratios import number, ratio
from warehouse.model import as_of, scopes
from warehouse.model.params import DEFAULT_SETTINGS, Filters, Settings
from warehouse.model.schema import agg_request_repeat


def commitment(c, f: Filters):
    """(assessed, kept) of a request's commitment at the end of the period: its deadline
    has passed or its first action has come; kept when that action came by the deadline."""
    acted_on = cast(c.first_action_at, Date)
    assessed = and_(
        c.first_action_due_date.is_not(None),
        or_(c.first_action_due_date < f.end, as_of.acted(c, f.end)),
    )
    kept = and_(assessed, as_of.acted(c, f.end), acted_on <= c.first_action_due_date)
    return assessed, kept


def aggregates(q, f: Filters) -> dict:
    c = q.c
    assessed, kept = commitment(c, f)
    closed = c.status == "cloturee"
    count = func.count
    return {
        "requests": count(),
        "complaints": count().filter(c.request_type == "reclamation"),
        "closed": count().filter(closed),
        "closed_level1": count().filter(and_(closed, c.closure_level == 1)),
        # closed requests whose export gives the closure level (Zendesk does not)
        "closed_level_known": count().filter(and_(closed, c.closure_level.is_not(None))),
        "commitments_assessed": count().filter(assessed),
        "commitments_kept": count().filter(kept),
        "followups_declared": func.sum(func.coalesce(c.followup_count, 0)),
    }


def derive(a: dict) -> dict[str, float | None]:
    return {
        "requests": a["requests"],
        "complaints": a["complaints"],
        "first_level_closure_requests": ratio(
            a["closed_level1"], a.get("closed_level_known", a["closed"])
        ),
        "commitment_kept": ratio(a["commitments_kept"], a["commitments_assessed"]),
        "requests_closed_level1": a["closed_level1"],
    }


def level_note(a: dict) -> str:
    """« non mesuré » when no closed request carries its closure level; « mesuré sur »
    when some do."""
    known, closed = a.get("closed_level_known", a["closed"]), a["closed"]
    if not closed or known == closed:
        return ""
    if known == 0:
        return (
            f"non mesuré : l'export des demandes ne donne pas le niveau de clôture "
            f"({french_number(closed)} demandes clôturées sans niveau connu)"
        )
    return (
        f"mesuré sur {french_number(known)} des {french_number(closed)} demandes clôturées : les autres "
        "viennent d'un export sans niveau de clôture"
    )


def totals(conn: Connection, f: Filters) -> dict:
    q = scopes.requests(f, created_from=f.start)
    agg = aggregates(q, f)
    row = conn.execute(select(*[v.label(k) for k, v in agg.items()])).mappings().one()
    return {k: (v or 0) for k, v in row.items()}


def grouped(conn: Connection, f: Filters, by: list[str]) -> list[dict]:
    q = scopes.requests(f, created_from=f.start)
    keys = [q.c[b] for b in by]
    agg = aggregates(q, f)
    query = select(*keys, *[v.label(k) for k, v in agg.items()]).group_by(*keys).order_by(*keys)
    return [
        {**{b: row[b] for b in by}, **derive({k: row[k] or 0 for k in agg})}
        for row in conn.execute(query).mappings()
    ]


def capture_shares(conn: Connection, f: Filters, by: list[str] | None = None) -> list[dict]:
    """Complaints per capture channel and their share of all complaints (per group)."""
    q = scopes.requests(f, created_from=f.start)
    keys = [q.c[b] for b in (by or [])]
    count = func.count().label("complaints")
    total = func.sum(func.count()).over(partition_by=keys or None).label("total")
    query = (
        select(*keys, q.c.channel, count, total)
        .where(q.c.request_type == "reclamation")
        .group_by(*keys, q.c.channel)
        .order_by(*keys, q.c.channel)
    )
    return [
        {**dict(row), "share": ratio(row["complaints"], row["total"])}
        for row in conn.execute(query).mappings()
    ]


def close_days(conn: Connection, f: Filters) -> dict[str, float | None]:
    q = scopes.requests(f, created_from=f.start)
    days = q.c.days_to_close
    row = conn.execute(
        select(
            func.percentile_cont(0.5).within_group(days).label("median"),
            func.percentile_cont(0.9).within_group(days).label("p90"),
        ).where(q.c.status == "cloturee", days.is_not(None))
    ).one()
    return {"close_days_median": number(row.median), "close_days_p90": number(row.p90)}


def backlog(conn: Connection, f: Filters, s: Settings) -> dict[str, int]:
    """Requests open at the end of the period (``as_of.open_at``), in total and per age
    bucket (days)."""
    q = scopes.requests(f)
    still_open = as_of.open_at(q.c, f.end)
    age = cast(literal(f.end), Date) - q.c.day
    labels, whens, low = [], [], -1
    for high in s.age_buckets_days:
        labels.append(f"{low + 1}-{high}")
        whens.append((age <= high, literal(labels[-1])))
        low = high
    labels.append(f"{low + 1}+")
    bucket = case(*whens, else_=literal(labels[-1])).label("bucket")
    rows = conn.execute(select(bucket, func.count()).where(still_open).group_by(bucket)).all()
    counts = {label: 0 for label in labels}
    counts.update({b: int(n) for b, n in rows})
    return {"total": sum(counts.values()), **counts}


def followups(conn: Connection, f: Filters, s: Settings) -> dict[str, float | None]:
    """Requests created in the period that were chased, and how often.

    A request is chased when it has ``nb_relances`` or a later call from the same number
    about it (a linked repeat call). ``followup_rate``: chased requests / requests, a share;
    ``followups_per_request``: (``nb_relances`` + linked repeat calls) / requests.
    """
    q = scopes.requests(f, created_from=f.start)
    linked = _linked_repeats(f, s)
    declared = func.coalesce(q.c.followup_count, 0)
    repeats = func.coalesce(linked.c.repeats, 0)
    chased, contacts, requests = conn.execute(
        select(
            func.count().filter((declared > 0) | (repeats > 0)),
            func.sum(declared + repeats),
            func.count(),
        ).select_from(q.outerjoin(linked, linked.c.request_id == q.c.request_id))
    ).one()
    return {
        "followup_rate": ratio(chased, requests),
        "followups_per_request": ratio(int(contacts or 0), requests),
    }


def _linked_repeats(f: Filters, s: Settings):
    """Repeat calls per request: every offered call of a number about a request but its
    first, counting from ``repeat_window_days`` before the period. Per number and request,
    that is all its calls less the greater of 1 and those before the period (the same as
    ranking them in time, without a window); plus those counted in purged days."""
    lookback = f.start - timedelta(days=s.repeat_window_days)
    c = scopes.calls(f, s, start_key=scopes.date_key(lookback), with_agency=False).c
    before = func.count().filter(c.day < f.start)
    pairs = (
        select(c.request_id, (func.count() - func.greatest(before, 1)).label("repeats"))
        .where(c.is_offered, c.caller_key.is_not(None), c.request_id.is_not(None))
        .group_by(c.request_id, c.caller_key)
    )
    purged = agg_request_repeat.c
    if s == DEFAULT_SETTINGS:  # repeats among purged calls, counted at purge time
        in_period = purged.date_key.between(scopes.date_key(f.start), scopes.date_key(f.end))
        pairs = pairs.union_all(select(purged.request_id, purged.repeat_calls).where(in_period))
    pairs = pairs.subquery()
    return (
        select(pairs.c.request_id, func.sum(pairs.c.repeats).label("repeats"))
        .group_by(pairs.c.request_id)
        .subquery()
    )
