"""Create the schema idempotently and seed the fixed dimensions."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, func, inspect, select

from warehouse import reference
from warehouse.bulk import copy_frame
from warehouse.calendar import date_dimension, time_dimension
from warehouse.engine import duckdb_path, make_engine
from warehouse.schema import dim_category, dim_channel, dim_date, dim_time, metadata


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
    """Create the tables a newer version added to an existing warehouse, so that a
    read-only reader (dashboard, KPI command) finds them; True when it had to.

    Checked read-only first: the write connection is opened only when a table is missing.
    """
    path = duckdb_path(url)
    if path is not None and not path.exists():
        return False
    reader = make_engine(url, read_only=True)
    try:
        with reader.connect() as conn:
            present = set(inspect(conn).get_table_names())
    finally:
        reader.dispose()
    if not present or set(metadata.tables) <= present:
        return False  # nothing loaded yet (the demo build or an import creates it), or current
    writer = make_engine(url)
    try:
        with writer.begin() as conn:
            metadata.create_all(conn, checkfirst=True)
    finally:
        writer.dispose()
    return True


def drop_warehouse(engine: Engine) -> None:
    """Drop every table (tests and ``python -m warehouse reset``)."""
    with engine.begin() as conn:
        metadata.drop_all(conn, checkfirst=True)
