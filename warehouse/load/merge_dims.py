"""Loading SQL for dimensions: inferred members, agency and dwelling upserts."""

from __future__ import annotations

from sqlalchemy import (
    Connection,
    Table,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)

from warehouse.load.staging import stg_agency, stg_dwelling
from warehouse.model.schema import dim_advisor, dim_agency, dim_dwelling, dim_queue


def _key_col(dim: Table):
    return next(c for c in dim.primary_key.columns)


def _code_col(dim: Table):
    return next(c for c in dim.c if c.name.endswith("_code"))


def add_missing_members(conn: Connection, dim: Table, codes, extra: dict | None = None) -> None:
    """Insert into ``dim`` every code of the ``codes`` column (a staging column) it lacks.

    New members get the next surrogate keys; ``extra`` gives constant or per-code values for
    the dimension's other required columns (e.g. ``is_inferred``).
    """
    key, code = _key_col(dim), _code_col(dim)
    missing = (
        select(codes.label("code"))
        .where(codes.is_not(None))
        .where(~exists().where(code == codes))
        .distinct()
        .subquery()
    )
    base = select(func.coalesce(func.max(key), 0)).scalar_subquery()
    extra = extra or {}
    cols = [key.name, code.name, *extra]
    values = [
        base + func.row_number().over(order_by=missing.c.code),
        missing.c.code,
        *[v(missing.c.code) if callable(v) else v for v in extra.values()],
    ]
    conn.execute(insert(dim).from_select(cols, select(*values)))


def add_inferred_agencies(conn: Connection, codes) -> None:
    add_missing_members(conn, dim_agency, codes, {"is_inferred": true()})


def add_inferred_dwellings(conn: Connection, codes) -> None:
    add_missing_members(conn, dim_dwelling, codes, {"is_inferred": true()})


def add_queues(conn: Connection, codes) -> None:
    add_missing_members(
        conn, dim_queue, codes, {"is_on_call": lambda c: func.upper(c).like("%ASTREINTE%")}
    )


def add_advisors(conn: Connection, codes) -> None:
    add_missing_members(conn, dim_advisor, codes)


def _latest_per_code(stg: Table, code) -> Table:
    """The last line of the file for each code (a later line corrects an earlier one)."""
    ranked = select(
        stg,
        func.row_number().over(partition_by=code, order_by=stg.c.line_number.desc()).label("rn"),
    ).subquery()
    return select(ranked).where(ranked.c.rn == 1).subquery()


def merge_agencies(conn: Connection) -> tuple[int, int]:
    """Upsert ``stg_agency`` into ``dim_agency``; returns (inserted, updated)."""
    s = _latest_per_code(stg_agency, stg_agency.c.agency_code)
    attrs = ["agency_name", "territory", "organisme", "opened_date"]
    return _upsert(conn, dim_agency, s, attrs)


def merge_dwellings(conn: Connection) -> tuple[int, int]:
    """Upsert ``stg_dwelling`` into ``dim_dwelling``; returns (inserted, updated)."""
    add_inferred_agencies(conn, stg_dwelling.c.agency_code)
    s = _latest_per_code(stg_dwelling, stg_dwelling.c.dwelling_code)
    keyed = (
        select(s, dim_agency.c.agency_key)
        .join(dim_agency, dim_agency.c.agency_code == s.c.agency_code)
        .subquery()
    )
    attrs = ["agency_key", "residence", "commune", "dwelling_type", "entered_date", "left_date"]
    return _upsert(conn, dim_dwelling, keyed, attrs)


def _upsert(conn: Connection, dim: Table, src, attrs: list[str]) -> tuple[int, int]:
    """Insert the members of ``src`` that ``dim`` lacks, update those that differ.

    An inferred member (seen in a fact first) counts as updated when its reference row
    arrives. Returns (inserted, updated).
    """
    code = _code_col(dim)
    match = code == src.c[code.name]
    differs = or_(dim.c.is_inferred, *[dim.c[a].is_distinct_from(src.c[a]) for a in attrs])
    count_changed = select(func.count()).select_from(dim.join(src, match)).where(differs)
    updated = conn.execute(count_changed).scalar_one()
    inserted = conn.execute(
        select(func.count()).select_from(src).where(~exists().where(match))
    ).scalar_one()
    add_missing_members(conn, dim, src.c[code.name], {"is_inferred": literal(False)})
    conn.execute(
        update(dim)
        .where(match, differs)
        .values({**{a: src.c[a] for a in attrs}, "is_inferred": False})
    )
    return inserted, updated
