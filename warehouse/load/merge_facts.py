"""Loading SQL for the event facts (calls, contacts) and the periodic ones (costs, staffing)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import (
    Connection,
    Table,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    tuple_,
)

from warehouse.load.aggregates import refresh_call_days
from warehouse.load.bulk import execute_count
from warehouse.load.corrections import CALL_FIELDS, Corrections, count_fields, differing
from warehouse.load.merge_dims import (
    add_advisors,
    add_inferred_agencies,
    add_inferred_dwellings,
    add_queues,
)
from warehouse.load.repeats import CHUNK, refresh_previous_of, with_previous_offered
from warehouse.load.staging import stg_call, stg_contact, stg_cost, stg_staffing
from warehouse.model.params import DEFAULT_SETTINGS
from warehouse.model.reference import SETUP_COST_NATURE, SETUP_SPREAD_MONTHS
from warehouse.model.schema import (
    dim_advisor,
    dim_agency,
    dim_channel,
    dim_date,
    dim_dwelling,
    dim_queue,
    fact_call,
    fact_contact,
    fact_cost,
    fact_staffing,
)
from warehouse.model.scopes import key_date


def first_per_id(stg: Table, id_cols: str | list[str]):
    """One row per natural id (one column or several): its first line in the file (later
    lines are duplicates)."""
    ids = [id_cols] if isinstance(id_cols, str) else id_cols
    ranked = select(
        stg,
        func.row_number()
        .over(partition_by=[stg.c[i] for i in ids], order_by=stg.c.line_number)
        .label("occurrence"),
    ).subquery()
    return ranked


def upsert_last(
    conn: Connection, fact: Table, stg: Table, keys: list[str], attrs: list[str], load_id=None
) -> tuple[int, int]:
    """Upsert ``stg`` into ``fact`` on ``keys``, the last line of the file winning for a
    key (a later line corrects an earlier one); ``load_id`` stamps the rows when given.

    Returns (inserted, updated); a row identical to the stored one counts as neither.
    """
    ranked = select(
        stg,
        func.row_number()
        .over(partition_by=[stg.c[k] for k in keys], order_by=stg.c.line_number.desc())
        .label("rn"),
    ).subquery()
    s = select(ranked).where(ranked.c.rn == 1).subquery()
    match = and_(*[fact.c[k] == s.c[k] for k in keys])
    differs = or_(*[fact.c[a].is_distinct_from(s.c[a]) for a in attrs])
    inserted = conn.execute(
        select(func.count()).select_from(s).where(~exists().where(match))
    ).scalar_one()
    updated = conn.execute(
        select(func.count()).select_from(s.join(fact, match)).where(differs)
    ).scalar_one()
    changed = select(*[s.c[k] for k in keys]).where(exists().where(match, differs))
    conn.execute(delete(fact).where(tuple_(*[fact.c[k] for k in keys]).in_(changed)))
    extra = {"load_id": literal(load_id)} if load_id is not None else {}
    cols = [*keys, *attrs]
    rows = select(*[s.c[c] for c in cols], *extra.values()).where(~exists().where(match))
    conn.execute(insert(fact).from_select([*cols, *extra], rows))
    return inserted, updated


def _new_rows(fact: Table, id_col: str, src, columns: dict, joins):
    """The first occurrence of each id that ``fact`` does not hold yet."""
    query = select(*[expr.label(name) for name, expr in columns.items()]).select_from(joins)
    return query.where(src.c.occurrence == 1, ~exists().where(fact.c[id_col] == src.c[id_col]))


def _insert_new(conn: Connection, fact: Table, id_col: str, src, columns: dict, joins) -> int:
    """Insert the first occurrence of each id that ``fact`` does not hold yet."""
    query = _new_rows(fact, id_col, src, columns, joins)
    return execute_count(conn, insert(fact).from_select(list(columns), query))


def merge_calls(conn: Connection, load_id: int) -> tuple[int, Corrections]:
    """Insert the staged calls not loaded before and apply corrections: a stored call
    whose id the file holds with other values is replaced by the file's (the newest import
    wins). Returns (calls inserted, the corrections applied).

    A corrected call is deleted and inserted again with this load's id, so the load's
    refreshes (``refresh_after_calls``) cover its new day; its former days and the previous
    calls of its numbers, old and new, are refreshed here.
    """
    add_queues(conn, stg_call.c.queue_code)
    add_advisors(conn, stg_call.c.advisor_code)
    add_inferred_dwellings(conn, stg_call.c.dwelling_code)
    s = first_per_id(stg_call, "call_id")
    joins = (
        s.join(dim_queue, dim_queue.c.queue_code == s.c.queue_code)
        .outerjoin(dim_advisor, dim_advisor.c.advisor_code == s.c.advisor_code)
        .outerjoin(dim_dwelling, dim_dwelling.c.dwelling_code == s.c.dwelling_code)
    )
    passthrough = [c.name for c in fact_call.c if c.name in s.c]
    columns = {name: s.c[name] for name in passthrough}
    columns |= {
        "load_id": literal(load_id),
        "queue_key": dim_queue.c.queue_key,
        "advisor_key": dim_advisor.c.advisor_key,
        "dwelling_key": dim_dwelling.c.dwelling_key,
    }
    corrected = _correct_calls(conn, s, columns, joins)
    new = _new_rows(fact_call, "call_id", s, columns, joins).cte("new_calls")
    rows = with_previous_offered(new)
    written = execute_count(
        conn, insert(fact_call).from_select([*columns, "previous_offered_at"], rows)
    )
    if corrected.rows:
        refresh_previous_of(conn, corrected.callers)
        added = select(fact_call.c.caller_key).where(
            fact_call.c.load_id == load_id, fact_call.c.call_id.in_(corrected.ids)
        )
        refresh_previous_of(conn, conn.execute(added).scalars().all())
        window = timedelta(days=DEFAULT_SETTINGS.repeat_window_days + 1)
        low, high = corrected.days
        refresh_call_days(conn, key_date(low), key_date(high) + window)
    return written - corrected.rows, corrected


def _correct_calls(conn: Connection, s, columns: dict, joins) -> Corrections:
    """Count the stored calls the file differs from, per field, and delete them so that
    they load again from the file; keeps their ids, numbers and days for the refreshes."""
    file_rows = (
        select(*[expr.label(name) for name, expr in columns.items()])
        .select_from(joins)
        .where(s.c.occurrence == 1)
        .subquery()
    )
    match = fact_call.c.call_id == file_rows.c.call_id
    found = Corrections()
    found.rows, found.fields = count_fields(conn, fact_call, file_rows, match, CALL_FIELDS)
    if not found.rows:
        return found
    stored = conn.execute(
        select(fact_call.c.call_id, fact_call.c.caller_key, fact_call.c.date_key)
        .select_from(file_rows.join(fact_call, match))
        .where(differing(fact_call, file_rows, CALL_FIELDS))
    ).all()
    found.ids = [r.call_id for r in stored]
    found.callers = [r.caller_key for r in stored]
    found.days = (min(r.date_key for r in stored), max(r.date_key for r in stored))
    for i in range(0, len(found.ids), CHUNK):
        conn.execute(delete(fact_call).where(fact_call.c.call_id.in_(found.ids[i : i + CHUNK])))
    return found


def merge_contacts(conn: Connection, load_id: int) -> int:
    """Insert the staged front-desk contacts not loaded before; returns how many."""
    add_inferred_agencies(conn, stg_contact.c.agency_code)
    add_inferred_dwellings(conn, stg_contact.c.dwelling_code)
    s = first_per_id(stg_contact, "contact_id")
    joins = (
        s.join(dim_agency, dim_agency.c.agency_code == s.c.agency_code)
        .join(dim_channel, dim_channel.c.channel_code == s.c.channel_code)
        .outerjoin(dim_dwelling, dim_dwelling.c.dwelling_code == s.c.dwelling_code)
    )
    passthrough = [c.name for c in fact_contact.c if c.name in s.c]
    columns = {name: s.c[name] for name in passthrough}
    columns |= {
        "load_id": literal(load_id),
        "agency_key": dim_agency.c.agency_key,
        "channel_key": dim_channel.c.channel_key,
        "dwelling_key": dim_dwelling.c.dwelling_key,
    }
    return _insert_new(conn, fact_contact, "contact_id", s, columns, joins)


def merge_costs(conn: Connection, load_id: int) -> tuple[int, int]:
    """Replace the amounts booked for each staged (month, centre, nature).

    Lines of one file with the same key are summed (several invoices of a month). Set-up
    costs are spread evenly over 36 months from their month. Returns the lines of new keys
    and the lines of keys whose amount changed; lines of an unchanged key count as neither.
    """
    booked = (
        select(
            stg_cost.c.month_date,
            stg_cost.c.month_index,
            stg_cost.c.cost_centre,
            stg_cost.c.nature,
            func.sum(stg_cost.c.amount_eur).label("amount_eur"),
        )
        .group_by(
            stg_cost.c.month_date, stg_cost.c.month_index, stg_cost.c.cost_centre, stg_cost.c.nature
        )
        .subquery()
    )
    current = (
        select(
            fact_cost.c.source_month_date,
            fact_cost.c.cost_centre,
            fact_cost.c.nature,
            func.sum(fact_cost.c.amount_eur).label("amount_eur"),
        )
        .group_by(fact_cost.c.source_month_date, fact_cost.c.cost_centre, fact_cost.c.nature)
        .subquery()
    )
    key_match = and_(
        current.c.source_month_date == booked.c.month_date,
        current.c.cost_centre == booked.c.cost_centre,
        current.c.nature == booked.c.nature,
    )
    # Counted in lines: every line of a new key is new, every line of a key whose total
    # changed is an update; lines of a key whose total is unchanged are up to date.
    line_key = and_(
        booked.c.month_date == stg_cost.c.month_date,
        booked.c.cost_centre == stg_cost.c.cost_centre,
        booked.c.nature == stg_cost.c.nature,
    )
    compare = select(
        func.count().filter(current.c.source_month_date.is_(None)),
        func.count().filter(func.abs(current.c.amount_eur - booked.c.amount_eur) > 0.005),
    ).select_from(stg_cost.join(booked, line_key).outerjoin(current, key_match))
    inserted, updated = conn.execute(compare).one()

    keys = select(booked.c.month_date, booked.c.cost_centre, booked.c.nature)
    conn.execute(
        delete(fact_cost).where(
            tuple_(fact_cost.c.source_month_date, fact_cost.c.cost_centre, fact_cost.c.nature).in_(
                keys
            )
        )
    )
    month_index = dim_date.c.year * 12 + dim_date.c.month - 1
    is_setup = booked.c.nature == SETUP_COST_NATURE
    spread = and_(
        dim_date.c.day_of_month == 1,
        or_(
            and_(~is_setup, dim_date.c.full_date == booked.c.month_date),
            and_(
                is_setup,
                month_index.between(
                    booked.c.month_index, booked.c.month_index + SETUP_SPREAD_MONTHS - 1
                ),
            ),
        ),
    )
    share = case(
        (is_setup, booked.c.amount_eur / float(SETUP_SPREAD_MONTHS)), else_=booked.c.amount_eur
    )
    rows = select(
        dim_date.c.full_date.label("month_date"),
        booked.c.cost_centre,
        booked.c.nature,
        booked.c.month_date.label("source_month_date"),
        literal(load_id).label("load_id"),
        share.label("amount_eur"),
    ).select_from(booked.join(dim_date, spread))
    conn.execute(
        insert(fact_cost).from_select(
            ["month_date", "cost_centre", "nature", "source_month_date", "load_id", "amount_eur"],
            rows,
        )
    )
    return inserted, updated


def merge_staffing(conn: Connection, load_id: int) -> tuple[int, int]:
    """Upsert staffing per day and team (the last line of the file wins).

    Returns (inserted, updated); an identical row counts as neither.
    """
    attrs = ["advisor_fte", "supervisor_fte"]
    return upsert_last(conn, fact_staffing, stg_staffing, ["date_key", "team"], attrs, load_id)
