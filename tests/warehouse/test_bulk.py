"""Bulk transfer keeps every value as it was: nulls, empty strings, quotes, line breaks."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    Integer,
    MetaData,
    String,
    Table,
    select,
)

from warehouse.load.bulk import copy_frame

TEXTS = ["plain", "", None, 'say "hi"', "two\nlines", "\\N", "a;b,c", "é ’ «»", "  padded  "]


def _table() -> Table:
    return Table(
        "bulk_probe",
        MetaData(),
        Column("n", Integer),
        Column("text", String),
        Column("code", String),
        Column("count", Integer),
        Column("flag", Boolean),
        Column("stamp", DateTime),
        Column("day", Date),
        Column("amount", Double),
    )


def _frame() -> pd.DataFrame:
    n = len(TEXTS)
    return pd.DataFrame(
        {
            "n": np.arange(n),
            "text": pd.Series(TEXTS, dtype="str"),
            "code": pd.Series(TEXTS, dtype="object"),
            "count": pd.array([1, None, 0, -5, 7, None, 3, 2, 1], dtype="Int64"),
            "flag": pd.array([True, None, False, True, False, None, True, True, False], "boolean"),
            "stamp": pd.Series(
                [datetime(2025, 3, 1, 10, 0, 1, 500_000), None] + [datetime(2026, 1, 1)] * (n - 2)
            ).astype("datetime64[us]"),
            "day": [date(2025, 2, 28), None] + [date(2024, 2, 29)] * (n - 2),
            "amount": [1.5, np.nan, 0.1, 1e20, -0.0, 2.25, 3.0, 1 / 3, 12_500.0],
        }
    )


def test_copy_frame_round_trips_every_value(engine):
    table, frame = _table(), _frame()
    with engine.begin() as conn:
        table.create(conn)
        assert copy_frame(conn, table, frame) == len(frame)
        rows = conn.execute(select(table).order_by(table.c.n)).all()
        table.drop(conn)
    got = [tuple(r) for r in rows]
    for row, (_, want) in zip(got, frame.iterrows(), strict=True):
        n, text, code, count, flag, stamp, day, amount = row
        expected_text = None if pd.isna(want["text"]) else want["text"]
        assert text == expected_text and code == expected_text, (n, text, code)
        assert count == (None if pd.isna(want["count"]) else int(want["count"]))
        assert flag == (None if pd.isna(want["flag"]) else bool(want["flag"]))
        assert stamp == (None if pd.isna(want["stamp"]) else want["stamp"].to_pydatetime())
        assert day == want["day"]
        assert amount == (None if np.isnan(want["amount"]) else want["amount"])
    # The empty string and the null stay two different things.
    assert got[1][1] == "" and got[2][1] is None
