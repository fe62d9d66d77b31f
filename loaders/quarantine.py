"""The quarantine's entries: one per unreadable line or failed check, personal data masked."""

from __future__ import annotations

import pandas as pd

from loaders.frame import HIDDEN, LINE, PERSONAL_COLUMNS, RAW
from loaders.read.export import Chunk
from loaders.read.fields import for_quarantine

COLUMNS = ["line_number", "column_name", "raw_content", "reason"]


def entries(chunk: Chunk, bad: pd.DataFrame) -> pd.DataFrame:
    """The chunk's malformed lines, then its rows with an issue (``line``, ``column_name``,
    ``reason``), each with its line as read, masked."""
    raw_by_line = _masked_raw(chunk.frame, set(bad["line"]))
    rows = [(m.line, m.column, m.raw, m.reason) for m in chunk.malformed]
    rows += [
        (item.line, item.column_name, raw_by_line[item.line], item.reason)
        for item in bad.sort_values("line", kind="stable").itertuples()
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _masked_raw(frame: pd.DataFrame, lines: set[int]) -> dict[int, str]:
    """Raw content of the rows going to the quarantine, with personal values masked."""
    rows = frame[frame[LINE].isin(lines)]
    personal = [c for c in rows if c in PERSONAL_COLUMNS or c.startswith(HIDDEN)]
    return {
        row[LINE]: for_quarantine(row[RAW], [row[c] for c in personal])
        for row in rows.to_dict("records")
    }


def file_entries(refused: pd.DataFrame) -> pd.DataFrame:
    """Entries for the lines a whole-file check refuses (``line_number``, ``column_name``,
    ``reason``, ``_raw``), each line as read, masked."""
    return pd.DataFrame(
        {
            "line_number": refused["line_number"],
            "column_name": refused["column_name"],
            "raw_content": [for_quarantine(r) for r in refused[RAW]],
            "reason": refused["reason"],
        },
        columns=COLUMNS,
    )
