"""Read queries for the dashboard's data-quality views (aggregates only)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from warehouse.schema import FACTS, load_history, quarantine


def load_history_frame(engine: Engine, limit: int = 500) -> pd.DataFrame:
    """The most recent loads, newest first."""
    query = select(load_history).order_by(load_history.c.load_id.desc()).limit(limit)
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(query).mappings().all(), columns=list(load_history.c.keys())
        )


def quarantine_frame(
    engine: Engine, load_id: int | None = None, limit: int = 5_000
) -> pd.DataFrame:
    query = select(quarantine).order_by(quarantine.c.load_id.desc(), quarantine.c.entry_number)
    if load_id is not None:
        query = query.where(quarantine.c.load_id == load_id)
    with engine.connect() as conn:
        rows = conn.execute(query.limit(limit)).mappings().all()
    return pd.DataFrame(rows, columns=list(quarantine.c.keys()))


def fact_row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in FACTS
        }
