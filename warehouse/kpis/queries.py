"""Read queries for the dashboard besides the KPIs: filter options, data coverage, load
history, quarantine and the list of open requests (aggregates or bounded lists only)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Date, Engine, and_, case, cast, exists, func, literal, or_, select

from warehouse.model import as_of, scopes
from warehouse.model.params import Filters
from warehouse.model.schema import (
    alert_state,
    dim_agency,
    dim_category,
    dim_channel,
    dim_dwelling,
    fact_call,
    fact_contact,
    fact_cost,
    fact_event,
    fact_request,
    fact_staffing,
    load_history,
    quarantine,
)


def _frame(engine: Engine, query, columns=None) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(query)
        return pd.DataFrame(result.mappings().all(), columns=columns or list(result.keys()))


# Front-desk registers come one file per agency: a user limited to some agencies sees only
# those holding contacts of theirs. The other sources are organisation-wide exports.
PER_AGENCY_SOURCES = ("registres",)


def _visible_loads(allowed_agencies: tuple[str, ...] | None):
    """A condition on ``load_history``: the loads a user limited to ``allowed_agencies``
    may see (every load when None)."""
    if allowed_agencies is None:
        return literal(True)
    theirs = exists().where(
        fact_contact.c.load_id == load_history.c.load_id,
        fact_contact.c.agency_key == dim_agency.c.agency_key,
        dim_agency.c.agency_code.in_(allowed_agencies),
    )
    return and_(
        load_history.c.source.is_not(None),
        or_(load_history.c.source.not_in(PER_AGENCY_SOURCES), theirs),
    )


def load_history_frame(
    engine: Engine, limit: int = 500, allowed_agencies: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """The most recent loads, newest first (for a scoped user, only the files they may see:
    no other agency's register, no file whose source could not be told)."""
    query = (
        select(load_history)
        .where(_visible_loads(allowed_agencies))
        .order_by(load_history.c.load_id.desc())
        .limit(limit)
    )
    return _frame(engine, query, list(load_history.c.keys()))


def quarantine_frame(
    engine: Engine,
    load_id: int | None = None,
    limit: int = 5_000,
    allowed_agencies: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    query = select(quarantine).order_by(quarantine.c.load_id.desc(), quarantine.c.entry_number)
    if load_id is not None:
        query = query.where(quarantine.c.load_id == load_id)
    if allowed_agencies is not None:
        visible = select(load_history.c.load_id).where(_visible_loads(allowed_agencies))
        query = query.where(quarantine.c.load_id.in_(visible))
    return _frame(engine, query.limit(limit), list(quarantine.c.keys()))


def agency_labels(agencies: pd.DataFrame) -> dict[str, str]:
    """``AG01 – Nord`` by agency code (the code alone when the agency has no name), from
    the frame :func:`agencies` returns."""
    names = zip(agencies["agency_code"], agencies["agency_name"].fillna(""), strict=True)
    return {code: f"{code} – {name}" if name else code for code, name in names}


def agencies(engine: Engine) -> pd.DataFrame:
    query = select(
        dim_agency.c.agency_code, dim_agency.c.agency_name, dim_agency.c.organisme
    ).order_by(dim_agency.c.agency_code)
    return _frame(engine, query)


def channels(engine: Engine) -> pd.DataFrame:
    query = select(
        dim_channel.c.channel_code, dim_channel.c.channel_label, dim_channel.c.channel_group
    ).order_by(dim_channel.c.channel_key)
    return _frame(engine, query)


def categories(engine: Engine) -> pd.DataFrame:
    query = select(dim_category.c.category_code, dim_category.c.category_label).order_by(
        dim_category.c.category_key
    )
    return _frame(engine, query)


def coverage(engine: Engine) -> pd.DataFrame:
    """For each source, the first and last day its loaded data covers, and its rows. The
    dwelling stock: the dwellings of the reference file (inferred ones aside), from the
    earliest entry in the stock to the last day it was imported (its months are derived
    over the whole calendar and would say nothing of the data)."""

    def span(name: str, table, key, *where) -> object:
        first, last = func.min(key), func.max(key)
        return (
            select(
                literal(name).label("source"),
                first.label("first_key"),
                last.label("last_key"),
                func.count().label("rows"),
            )
            .select_from(table)
            .where(*where)
        )

    def day_key(col):
        return (
            func.extract("year", col) * 10000
            + func.extract("month", col) * 100
            + func.extract("day", col)
        )

    stock_loaded = (
        select(func.max(day_key(load_history.c.finished_at)))
        .where(load_history.c.source == "logements", load_history.c.status == "loaded")
        .scalar_subquery()
    )
    stock = select(
        literal("logements").label("source"),
        func.min(day_key(dim_dwelling.c.entered_date)).label("first_key"),
        stock_loaded.label("last_key"),
        func.count().label("rows"),
    ).where(~dim_dwelling.c.is_inferred)

    def month_key(col):
        return func.extract("year", col) * 10000 + func.extract("month", col) * 100 + 1

    parts = [
        span("appels", fact_call, fact_call.c.date_key),
        span("registres", fact_contact, fact_contact.c.date_key),
        span("demandes", fact_request, fact_request.c.created_date_key),
        span("couts", fact_cost, month_key(fact_cost.c.source_month_date)),
        span("effectifs", fact_staffing, fact_staffing.c.date_key),
        stock,
    ]
    frame = _frame(engine, parts[0].union_all(*parts[1:]))
    for col in ("first_key", "last_key"):
        frame[col.replace("_key", "")] = [
            None if pd.isna(k) else scopes.key_date(int(k)) for k in frame[col]
        ]
    return frame.drop(columns=["first_key", "last_key"])


def events(engine: Engine, start: date, end: date) -> pd.DataFrame:
    """The events that overlap the period (rent notices, charge adjustments, storms...)."""
    e = fact_event.c
    query = (
        select(e.start_date, e.end_date, e.label, e.kind)
        .where(e.start_date <= end, e.end_date >= start)
        .order_by(e.start_date, e.label)
    )
    return _frame(engine, query, ["start_date", "end_date", "label", "kind"])


def active_alerts(engine: Engine, allowed_agencies: tuple[str, ...] | None = None):
    """The alerts the last ``python -m warehouse alerts`` found crossed, newest first; a
    user limited to some agencies sees only the alerts on those agencies."""
    s = alert_state.c
    query = select(
        s.rule_id,
        s.kpi_id,
        s.agencies,
        s.period_start,
        s.period_end,
        s.value,
        s.message,
        s.since_at,
    ).order_by(s.since_at.desc(), s.rule_id)
    frame = _frame(engine, query)
    if allowed_agencies is not None:
        mine = (
            frame["agencies"]
            .map(lambda text: bool(text) and set(text.split(",")) <= set(allowed_agencies))
            .astype(bool)
        )
        frame = frame[mine].reset_index(drop=True)
    return frame


def last_import(engine: Engine):
    """When the last file was loaded (None before any)."""
    query = select(func.max(load_history.c.finished_at)).where(load_history.c.status == "loaded")
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def data_period(engine: Engine) -> tuple[date, date] | None:
    """The first and last day of call or request data, or None when nothing is loaded."""
    keys = (
        select(fact_call.c.date_key.label("k"))
        .union_all(select(fact_request.c.created_date_key))
        .subquery()
    )
    with engine.connect() as conn:
        low, high = conn.execute(select(func.min(keys.c.k), func.max(keys.c.k))).one()
    if low is None:
        return None
    return scopes.key_date(int(low)), scopes.key_date(int(high))


def _open_requests(f: Filters, late_only: bool):
    """The requests open at the end of the period, each with its status then
    (``as_of``): the same requests as the backlog KPI counts."""
    q = scopes.requests(f)
    late = and_(q.c.first_action_due_date < f.end, ~func.coalesce(as_of.acted(q.c, f.end), False))
    query = select(
        q.c.request_id,
        q.c.day.label("created"),
        q.c.agency,
        q.c.channel,
        q.c.category,
        q.c.request_type,
        q.c.urgency_days,
        q.c.first_action_due_date.label("due"),
        case((as_of.acted(q.c, f.end), cast(q.c.first_action_at, Date))).label("first_action"),
        as_of.status_at(q.c, f.end).label("status"),
        (cast(literal(f.end), Date) - q.c.day).label("age_days"),
        q.c.followup_count,
    ).where(as_of.open_at(q.c, f.end))
    return query.where(late) if late_only else query


def open_requests(engine: Engine, f: Filters, late_only: bool = False, limit: int = 5_000):
    """Requests open at the end of the period (or late there: past their first-action
    deadline with no action yet), oldest first, bounded."""
    query = _open_requests(f, late_only)
    return _frame(engine, query.order_by("created", "request_id").limit(limit))


def open_request_count(engine: Engine, f: Filters, late_only: bool = False) -> int:
    """How many requests ``open_requests`` would list, without its bound."""
    query = select(func.count()).select_from(_open_requests(f, late_only).subquery())
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())
