"""Create the schema idempotently and seed the fixed dimensions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, column, func, select, table, text

from warehouse.load.aggregates import refresh_call_days, refresh_reason_days
from warehouse.load.bulk import copy_frame
from warehouse.load.meta import lock_for_writing
from warehouse.load.repeats import refresh_previous_calls
from warehouse.model import catalog, reference
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
        present = catalog.present(conn)
        missing = catalog.missing_columns(present)
        metadata.create_all(conn, checkfirst=True)
        if conn.dialect.name == "postgresql":  # the indexes a later version added
            for table_ in metadata.sorted_tables:
                for index in table_.indexes:
                    index.create(conn, checkfirst=True)
        for table, column in missing:
            kind = column.type.compile(dialect=conn.dialect)
            # Names and types come from schema.py, never from a user.
            conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))  # noqa: S608
        for table, column in catalog.narrow_columns(conn):
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
        elif "fact_call" in present and "agg_call_reason_kept" not in present:
            refresh_reason_days(conn)  # a warehouse built before failure demand's
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
