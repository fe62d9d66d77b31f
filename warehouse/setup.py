"""Create the schema idempotently and seed the fixed dimensions."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from warehouse import reference
from warehouse.bulk import copy_frame
from warehouse.calendar import date_dimension, time_dimension
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


def drop_warehouse(engine: Engine) -> None:
    """Drop every table (tests and ``python -m warehouse reset``)."""
    with engine.begin() as conn:
        metadata.drop_all(conn, checkfirst=True)
