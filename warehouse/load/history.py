"""Load history, quarantine and staging-table plumbing used by the loaders."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, insert, select

from warehouse.load.bulk import copy_frame
from warehouse.model.schema import load_history, load_id_seq, quarantine

QUARANTINE_COLUMNS = ["file_name", "line_number", "column_name", "raw_content", "reason"]


def previous_load(conn: Connection, content_sha256: str) -> dict | None:
    """The successful load of a file with this exact content, if any."""
    row = (
        conn.execute(
            select(load_history)
            .where(load_history.c.content_sha256 == content_sha256)
            .where(load_history.c.status == "loaded")
            .order_by(load_history.c.load_id)
            .limit(1)
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def next_load_id(conn: Connection) -> int:
    return int(conn.execute(select(load_id_seq.next_value())).scalar_one())


def record_load(conn: Connection, load_id: int, **values) -> None:
    """Write the load's history row (``values`` names ``load_history`` columns)."""
    values.setdefault("finished_at", datetime.now())
    conn.execute(insert(load_history).values(load_id=load_id, **values))


def record_quarantine(conn: Connection, load_id: int, rows: pd.DataFrame, first: int = 1) -> int:
    """Store quarantined rows (columns ``QUARANTINE_COLUMNS``), numbered from ``first``."""
    if rows.empty:
        return 0
    frame = rows[QUARANTINE_COLUMNS].copy()
    frame.insert(0, "entry_number", range(first, first + len(frame)))
    frame.insert(0, "load_id", load_id)
    return copy_frame(conn, quarantine, frame)
