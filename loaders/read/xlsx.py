"""The first sheet of an .xlsx workbook as rows of strings, numbered as Excel numbers them.

The sheet's ``<dimension>`` element is ignored: exporters often leave it stale (rows past
it would be lost) or leave it out (rows would keep only their non-empty cells), so the
rows are read to the sheet's real extent and missing cells are empty.

A workbook is a ZIP of XML: a few hundred kilobytes can unpack to gigabytes (a
shared-strings table of a million copies of one text), or number a row 20,000,000 (read
row by row up to it). Both are refused before they cost minutes or memory
(:class:`WorkbookRefused`): a workbook that unpacks to more than 50 MB at over a hundred
times its size, a row or a column past Excel's last one.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

from warehouse.french import number

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
UNPACKED_FREE_BYTES = 50 << 20  # any ratio below this size unpacked
MAX_RATIO = 100  # unpacked over packed size, above UNPACKED_FREE_BYTES


class WorkbookRefused(ValueError):
    """A workbook no spreadsheet wrote, refused before it is read; said in French."""


def check_archive(path: Path) -> None:
    """Refuse a decompression bomb: the sizes the archive declares (Python's ZIP reader
    never unpacks a member past its declared size) against the file's."""
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    packed = max(Path(path).stat().st_size, 1)
    if unpacked > UNPACKED_FREE_BYTES and unpacked > MAX_RATIO * packed:
        raise WorkbookRefused(
            f"classeur refusé : {number(packed / 1e3)} ko qui se décompressent en "
            f"{number(unpacked / 1e6)} Mo ({number(unpacked / packed)} fois plus), "
            "ce qu'aucun tableur n'écrit ; réenregistrez-le depuis Excel ou exportez-le en .csv"
        )


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

    check_archive(path)
    stream = open(path, "rb")  # noqa: SIM115 - a file object: openpyxl checks names' suffixes
    workbook = load_workbook(stream, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # never trust the stored <dimension ref="...">
        # Missing rows come as empty tuples, so numbering stays Excel's.
        # Missing rows are filled in before a row past them: a row past Excel's last one
        # shows as soon as the count passes it (at most a million empty rows read).
        for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if row_number > EXCEL_MAX_ROWS or len(values) > EXCEL_MAX_COLUMNS:
                where = "une ligne" if row_number > EXCEL_MAX_ROWS else "une colonne"
                last = EXCEL_MAX_ROWS if row_number > EXCEL_MAX_ROWS else EXCEL_MAX_COLUMNS
                raise WorkbookRefused(
                    f"classeur refusé : {where} au-delà de la dernière d'Excel (n° "
                    f"{number(last)}), ce qu'aucun tableur n'écrit ; réenregistrez-le depuis "
                    "Excel ou exportez-le en .csv"
                )
            yield row_number, [_cell(v) for v in values]
    finally:
        workbook.close()
        stream.close()
