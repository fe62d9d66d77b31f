"""Hand-made call exports for the intake tests: raw lines written byte for byte."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tests.loaders.samples import SAMPLES
from tests.util import read_frame
from warehouse.model import schema

CALL_COLUMNS = list(SAMPLES["appels"][0])  # 13 columns, num_demande last
HEADER = ";".join(CALL_COLUMNS)


def call_line(n: int, **values: str) -> str:
    """One well-formed answered call ``An`` on 3 March 2025, as a ``;`` line."""
    row = dict(SAMPLES["appels"][0], id_appel=f"A{n}", num_demande="") | values
    row["date_heure"] = values.get("date_heure", f"03/03/2025 09:{n % 60:02d}:00")
    return ";".join(row[c] for c in CALL_COLUMNS)


def write_lines(path: Path, lines: list[str], *, newline: str = "\r\n", encoding="utf-8") -> Path:
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode(encoding))
    return path


def call_ids(engine) -> list[str]:
    with engine.connect() as conn:
        query = select(schema.fact_call.c.call_id).order_by(schema.fact_call.c.call_id)
        return [r[0] for r in conn.execute(query)]


def quarantine(engine) -> list[tuple]:
    """(line, column, reason) of every quarantined row, by line."""
    q = read_frame(engine, schema.quarantine)
    if q.empty:
        return []
    q = q.sort_values(["line_number", "entry_number"]).astype(object)
    q = q.where(q.notna(), None)
    return list(zip(q["line_number"], q["column_name"], q["reason"], strict=True))
