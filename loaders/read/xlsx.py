"""The first sheet of an .xlsx workbook as rows of strings, numbered as Excel numbers them.

The sheet's ``<dimension>`` element is ignored: exporters often leave it stale (rows past
it would be lost) or leave it out (rows would keep only their non-empty cells), so the
rows are read to the sheet's real extent and missing cells are empty.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path


def is_workbook(path: Path) -> bool:
    """An Office Open XML workbook, whatever the file is called."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):  # a [h]:mm:ss duration cell
        seconds = value.total_seconds()
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{seconds % 60:06.3f}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sheet_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(Excel row number, cell texts) for every row of the first sheet; a row ends at its
    last cell (the reader pads it to the header's width)."""
    from openpyxl import load_workbook

    stream = open(path, "rb")  # noqa: SIM115 - a file object: openpyxl checks names' suffixes
    workbook = load_workbook(stream, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # never trust the stored <dimension ref="...">
        # Missing rows come as empty tuples, so numbering stays Excel's.
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(v) for v in values]
    finally:
        workbook.close()
        stream.close()
