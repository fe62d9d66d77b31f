"""Create the schema idempotently and seed the fixed dimensions."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, column, func, select, table, text

from warehouse import reference
from warehouse.bulk import copy_frame
from warehouse.calendar import date_dimension, time_dimension
from warehouse.engine import duckdb_path, make_engine
from warehouse.repeats import refresh_previous_calls
from warehouse.schema import dim_category, dim_channel, dim_date, dim_time, fact_call, metadata

# The standard catalogue view, the same on DuckDB and PostgreSQL.
COLUMNS = table(
    "columns",
    column("table_schema"),
    column("table_name"),
    column("column_name"),
    schema="information_schema",
)


def _seed(conn: Connection, table, frame: pd.DataFrame) -> None:
    if conn.execute(select(func.count()).select_from(table)).scalar_one() == 0:
        copy_frame(conn, table, frame)


def init_warehouse(engine: Engine) -> None:
    """Create every table that is missing and fill the fixed dimensions once."""
    with engine.begin() as conn:
        metadata.create_all(conn, checkfirst=True)
        _seed(conn, dim_date, date_dimension())
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
    """Bring a warehouse built by an earlier version up to this schema, so that a read-only
    reader (dashboard, KPI command) finds what it queries; True when it had to.

    Missing tables are created; missing columns are added (``fact_call.previous_offered_at``
    is then computed for every call). Checked read-only first: the write connection is
    opened only when something is missing.
    """
    path = duckdb_path(url)
    if path is not None and not path.exists():
        return False
    reader = make_engine(url, read_only=True)
    try:
        with reader.connect() as conn:
            present: dict[str, set[str]] = {}
            for name, col in conn.execute(
                select(COLUMNS.c.table_name, COLUMNS.c.column_name).where(
                    COLUMNS.c.table_schema == func.current_schema()
                )
            ):
                present.setdefault(name, set()).add(col)
    finally:
        reader.dispose()
    if not present:
        return False  # nothing loaded yet: the demo build or an import creates the schema
    missing = [
        (table, column)
        for table in metadata.sorted_tables
        if table.name in present
        for column in table.columns
        if column.name not in present[table.name]
    ]
    if set(metadata.tables) <= set(present) and not missing:
        return False
    writer = make_engine(url)
    try:
        with writer.begin() as conn:
            metadata.create_all(conn, checkfirst=True)
            for table, column in missing:
                kind = column.type.compile(dialect=conn.dialect)
                # Names and types come from schema.py, never from a user.
                conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))  # noqa: S608
            if any(t is fact_call and c.name == "previous_offered_at" for t, c in missing):
                refresh_previous_calls(conn)
    finally:
        writer.dispose()
    return True


def drop_warehouse(engine: Engine) -> None:
    """Drop every table (tests and ``python -m warehouse reset``)."""
    with engine.begin() as conn:
        metadata.drop_all(conn, checkfirst=True)
