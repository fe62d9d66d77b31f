"""The pieces an export's chunks are made of: rows read ahead of a chunk, a line's field
spans, strings and raw lines as pandas arrays, a date column joined to its time of day,
a line as the quarantine keeps it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from loaders.mask import mask_values
from loaders.read.regular import raw_text
from warehouse.french import number

RAW_MAX_CHARS = 1_000  # of a quarantined line kept in the quarantine


class Pending:
    """Rows read from blocks, not yet given as a chunk: columns, line numbers, raw lines."""

    def __init__(self):
        self.columns: list[list] = []
        self.lines: list[np.ndarray] = []
        self.raws: list = []
        self.rows = 0

    def add(self, columns: list, lines: np.ndarray, raws) -> None:
        if len(lines):
            self.columns.append(columns)
            self.lines.append(lines)
            self.raws.append(raws)
            self.rows += len(lines)

    def take(self, n: int) -> tuple:
        """(line numbers, raw lines, columns) of the first ``n`` rows, as one chunk wants
        them; nothing pending: no column at all."""
        if not self.rows:
            return [], [], None
        lines = np.concatenate(self.lines)
        raws = pa.chunked_array([c for part in self.raws for c in _chunks_of(part)])
        columns = [
            pa.chunked_array([c for part in self.columns for c in _chunks_of(part[i])])
            for i in range(len(self.columns[0]))
        ]
        rest = self.rows - n
        self.__init__()
        if rest:
            self.add([c.slice(n) for c in columns], lines[n:], raws.slice(n))
        return lines[:n], raws.slice(0, n), [c.slice(0, n) for c in columns]


def _chunks_of(column) -> list:
    return column.chunks if isinstance(column, pa.ChunkedArray) else [column]


def field_spans(text: str, sep: str) -> list[tuple[int, int]]:
    """(start, end) of each field of a line read leniently: a field opening with a quote
    runs to its closing quote (``""`` is a quote inside), or to the end of the line."""
    spans, start, i, quoted = [], 0, 0, False
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"':
                if text[i + 1 : i + 2] == '"':
                    i += 1
                else:
                    quoted = False
        elif ch == '"' and i == start:
            quoted = True
        elif ch == sep:
            spans.append((start, i))
            start = i + 1
        i += 1
    spans.append((start, len(text)))
    return spans


def transpose(records_: list[tuple], picks: list[int]) -> list:
    return list(zip(*records_, strict=True)) if records_ else [()] * len(picks)


def strings(values) -> pd.api.extensions.ExtensionArray:
    """A column of strings, built through Arrow (ten times faster than from a tuple)."""
    if not isinstance(values, pa.Array | pa.ChunkedArray):
        values = pa.array(values, type=pa.large_string())
    return pd.array(values, dtype="str")


def raw_lines(values) -> pd.api.extensions.ExtensionArray:
    """The raw lines: text, or a cp1252 file's own bytes (``loaders.regular.raw_text``)."""
    if isinstance(values, pa.Array | pa.ChunkedArray) and pa.types.is_large_binary(values.type):
        return pd.array(values, dtype=pd.ArrowDtype(values.type))
    return strings(values)


def for_quarantine(text: str | bytes, personal: list | None = None) -> str:
    """A line as the quarantine keeps it: cut at 1,000 characters, NUL bytes shown as
    ``\\0``, the given personal values and anything phone-like masked."""
    text = raw_text(text).rstrip("\r\n").replace("\x00", "\\0")
    if len(text) > RAW_MAX_CHARS:
        text = text[:RAW_MAX_CHARS] + f"… ({number(len(text))} caractères)"
    return mask_values(text, personal or [])


_DAY_AND_CLOCK = r"^(?P<day>.+?)[ T](?P<clock>\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)$"
_MIDNIGHT = r"^0?0:00(:00([.,]0+)?)?$"


def with_time(day: pd.Series, clock: pd.Series) -> pd.Series:
    """A date column and a separate time-of-day column, as one date-time. A date that
    already carries its time (an export with both « Date/Heure » and « Heure ») keeps it
    when the time column says the same; when they differ, both stay side by side and the
    row is quarantined as an unreadable date-time."""
    clock = clock.str.strip()
    has_time = clock.ne("")
    parts = day.str.strip().str.extract(_DAY_AND_CLOCK)
    carried = parts["clock"].fillna("")
    bare_day = parts["day"].where(carried.str.match(_MIDNIGHT), day.str.strip())
    bare_day = bare_day.fillna(day.str.strip())
    same = carried.ne("") & ~carried.str.match(_MIDNIGHT) & (_seconds(carried) == _seconds(clock))
    joined = bare_day + " " + clock
    return day.where(~has_time | same, joined)


def _seconds(clock: pd.Series) -> pd.Series:
    """``h:mm[:ss[.f]]`` as seconds of the day (-1 for anything else), to compare times
    written differently (``10:15`` and ``10:15:00``)."""
    parts = clock.str.extract(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?$")
    numbers = parts.fillna({2: "0"}).apply(pd.to_numeric, errors="coerce")
    total = numbers[0] * 3600 + numbers[1] * 60 + numbers[2]
    return total.fillna(-1)
