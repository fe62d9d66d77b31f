"""Create the schema idempotently and seed the fixed dimensions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, column, func, select, table, text

from warehouse.engine import duckdb_path, make_engine
from warehouse.load.aggregates import refresh_call_days
from warehouse.load.bulk import copy_frame
from warehouse.load.meta import lock_for_writing
from warehouse.load.repeats import refresh_previous_calls
from warehouse.model import reference
from warehouse.model.calendar import calendar_end, date_dimension, time_dimension
from warehouse.model.schema import (
    CALL_DAY_BACKFILL,
    agg_call_day,
    agg_call_kept,
    dim_category,
    dim_channel,
    dim_date,
    dim_time,
    fact_call,
    metadata,
)

if TYPE_CHECKING:  # pandas is imported where it is used: the command lines start faster
    import pandas as pd

# The standard catalogue view, the same on DuckDB and PostgreSQL.
COLUMNS = table(
    "columns",
    column("table_schema"),
    column("table_name"),
    column("column_name"),
    column("character_maximum_length"),
    schema="information_schema",
)


def _seed(conn: Connection, table, frame: pd.DataFrame) -> None:
    if conn.execute(select(func.count()).select_from(table)).scalar_one() == 0:
        copy_frame(conn, table, frame)


def _extend_calendar(conn: Connection) -> None:
    """Fill ``dim_date`` up to :func:`calendar_end`: the days a newer year brings in."""
    last = conn.execute(select(func.max(dim_date.c.full_date))).scalar_one()
    if last is not None and last >= calendar_end():
        return
    days = date_dimension()
    if last is not None:
        days = days[days["full_date"] > last]
    copy_frame(conn, dim_date, days)


def _present(conn: Connection) -> dict[str, set[str]]:
    """The warehouse's tables and their columns, as the database has them."""
    present: dict[str, set[str]] = {}
    query = select(COLUMNS.c.table_name, COLUMNS.c.column_name).where(
        COLUMNS.c.table_schema == func.current_schema()
    )
    for name, col in conn.execute(query):
        present.setdefault(name, set()).add(col)
    return present


def _missing_columns(present: dict[str, set[str]]) -> list:
    """Columns a later version added to tables that already exist: (table, column)."""
    return [
        (table, column)
        for table in metadata.sorted_tables
        if table.name in present
        for column in table.columns
        if column.name not in present[table.name]
    ]


def _narrow_columns(conn: Connection) -> list:
    """Text columns a later version widened (``load_history.source`` for the survey
    sources' longer names): (table, column) whose stored length is shorter. PostgreSQL
    only: DuckDB does not enforce a VARCHAR's length."""
    if conn.dialect.name != "postgresql":
        return []
    query = select(
        COLUMNS.c.table_name, COLUMNS.c.column_name, COLUMNS.c.character_maximum_length
    ).where(
        COLUMNS.c.table_schema == func.current_schema(),
        COLUMNS.c.character_maximum_length.is_not(None),
    )
    stored = {(t, c): n for t, c, n in conn.execute(query)}
    return [
        (t, c)
        for t in metadata.sorted_tables
        for c in t.columns
        if getattr(c.type, "length", None)
        and stored.get((t.name, c.name), c.type.length) < c.type.length
    ]


# Columns a later version allowed to be NULL (an export that cannot measure them).
NULLABLE_SINCE = {"fact_call": ("outcome", "wait_seconds", "talk_seconds")}
NULLABLE = table(
    "columns",
    column("table_schema"),
    column("table_name"),
    column("column_name"),
    column("is_nullable"),
    schema="information_schema",
)


def _not_null_still(conn: Connection) -> list[tuple[str, str]]:
    """(table, column) of :data:`NULLABLE_SINCE` an older warehouse keeps NOT NULL."""
    query = select(NULLABLE.c.table_name, NULLABLE.c.column_name).where(
        NULLABLE.c.table_schema == func.current_schema(), NULLABLE.c.is_nullable == "NO"
    )
    return [(t, c) for t, c in conn.execute(query) if c in NULLABLE_SINCE.get(t, ())]


def _backfill_call_days(conn: Connection, missing: list) -> None:
    """The daily aggregates' later measures, for the rows an older version wrote."""
    for table_ in (agg_call_kept, agg_call_day):
        for name, source in CALL_DAY_BACKFILL.items():
            if any(t is table_ and c.name == name for t, c in missing):
                conn.execute(table_.update().values({name: table_.c[source]}))


def init_warehouse(engine: Engine) -> None:
    """Create every table that is missing, add the columns a later version introduced to
    existing tables (``fact_call.previous_offered_at`` is then computed for every call),
    and fill the fixed dimensions once."""
    import pandas as pd

    with engine.begin() as conn:
        lock_for_writing(conn)
        present = _present(conn)
        missing = _missing_columns(present)
        metadata.create_all(conn, checkfirst=True)
        for table, column in missing:
            kind = column.type.compile(dialect=conn.dialect)
            # Names and types come from schema.py, never from a user.
            conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))  # noqa: S608
        for table, column in _narrow_columns(conn):
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(text(f"ALTER TABLE {table.name} ALTER COLUMN {column.name} TYPE {kind}"))  # noqa: S608
        for name, col in _not_null_still(conn):
            # Names come from NULLABLE_SINCE, never from a user.
            conn.execute(text(f"ALTER TABLE {name} ALTER COLUMN {col} DROP NOT NULL"))  # noqa: S608
        _backfill_call_days(conn, missing)
        if any(t is fact_call and c.name == "previous_offered_at" for t, c in missing):
            refresh_previous_calls(conn)
        if "fact_call" in present and "agg_call_kept" not in present:
            refresh_call_days(conn)  # a warehouse built before the daily aggregates
        _extend_calendar(conn)
        _seed(conn, dim_time, time_dimension())
        _seed(
            conn,
            dim_channel,
            pd.DataFrame(
                [(i + 1, *row) for i, row in enumerate(reference.CHANNELS)],
                columns=["channel_key", "channel_code", "channel_label", "channel_group"],
            ),
        )
        _seed(
            conn,
            dim_category,
            pd.DataFrame(
                [(i + 1, *row) for i, row in enumerate(reference.CATEGORIES)],
                columns=["category_key", "category_code", "category_label"],
            ),
        )


def upgrade_if_needed(url: str) -> bool:
    """Bring a warehouse built by an earlier version up to this schema
    (:func:`init_warehouse`), so that a read-only reader (dashboard, KPI command) finds
    what it queries; True when it had to. Checked read-only first: the write connection
    is opened only when a table or a column is missing.
    """
    path = duckdb_path(url)
    if path is not None and not path.exists():
        return False
    reader = make_engine(url, read_only=True)
    try:
        with reader.connect() as conn:
            present = _present(conn)
            narrow = _narrow_columns(conn) if present else []
            not_null = _not_null_still(conn) if present else []
    finally:
        reader.dispose()
    if not present:
        return False  # nothing loaded yet: the demo build or an import creates the schema
    if (
        set(metadata.tables) <= set(present)
        and not _missing_columns(present)
        and not narrow
        and not not_null
    ):
        return False
    writer = make_engine(url)
    try:
        init_warehouse(writer)
    finally:
        writer.dispose()
    return True


def drop_warehouse(engine: Engine) -> None:
    """Drop every table (tests and ``python -m warehouse reset``)."""
    with engine.begin() as conn:
        metadata.drop_all(conn, checkfirst=True)
