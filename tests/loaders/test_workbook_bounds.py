"""Issue 26 case 14: workbooks no spreadsheet writes, refused before they cost minutes or
memory: a row numbered past Excel's last (1,048,576), and a shared-strings bomb.

Each workbook is a real one (xlsxwriter) whose XML the test then edits, as a hostile
sender would; ``bench/workbooks.py`` measures the time and memory of the same files.
"""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from loaders.pipeline import import_file
from tests.loaders.samples import SAMPLES
from tests.util import write_export
from warehouse.model import schema


def rewrite(path: Path, member: str, edit) -> Path:
    """The workbook with one member's XML edited, every member deflated at level 9."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[member] = edit(members[member].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def with_last_row_at(path: Path, row: int) -> Path:
    """The sheet's last row (and its cells) renumbered ``row``."""

    def edit(xml: str) -> str:
        last = max(int(n) for n in re.findall(r'<row r="(\d+)"', xml))
        xml = xml.replace(f'<row r="{last}"', f'<row r="{row}"')
        return re.sub(rf'r="([A-Z]+){last}"', rf'r="\g<1>{row}"', xml)

    return rewrite(path, "xl/worksheets/sheet1.xml", edit)


def with_string_bomb(path: Path, copies: int, chars: int = 1_000) -> Path:
    """The shared-strings table grown by ``copies`` copies of one ``chars``-long text."""
    bomb = f"<si><t>{'a' * chars}</t></si>" * copies
    return rewrite(path, "xl/sharedStrings.xml", lambda xml: xml.replace("</sst>", bomb + "</sst>"))


def calls(path: Path) -> Path:
    return write_export(path, SAMPLES["appels"][:2])


def loaded_calls(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.fact_call)).scalar_one()


@pytest.mark.parametrize(
    ("row", "loads"),
    [(1_048_576, True), (1_048_577, False), (20_000_000, False)],
)
def test_a_row_past_excels_last_refuses_the_workbook_quickly(engine, tmp_path, row, loads):
    """Excel's last row is 1,048,576: a call there loads (a million empty rows before it
    are read as blank); one row further, or at 20,000,000 (15 s before, linear in the
    number), the workbook is refused at the first row past the limit, nothing loaded."""
    path = with_last_row_at(calls(tmp_path / "appels.xlsx"), row)
    started = time.monotonic()
    report = import_file(engine, path)
    elapsed = time.monotonic() - started
    if loads:
        assert (report.status, report.rows_loaded) == ("loaded", 2), report
        assert loaded_calls(engine) == 2
        return
    assert report.status == "rejected", report
    assert report.message == (
        "classeur refusé : une ligne au-delà de la dernière d'Excel (n° 1\u202f048\u202f576), "
        "ce qu'aucun tableur n'écrit ; réenregistrez-le depuis Excel ou exportez-le en .csv"
    )
    assert loaded_calls(engine) == 0
    assert elapsed < 30, elapsed  # ~3 s: a million empty rows, never twenty


def test_a_shared_strings_bomb_is_refused_before_it_is_unpacked(engine, tmp_path):
    """80,000 copies of a 1,000-character text: 80 MB of XML in a file of under 200 ko
    (over 50 MB unpacked and over 100 times the file): refused from the sizes the archive
    declares, before openpyxl reads the table. A thousand copies (1 MB) load."""
    small = with_string_bomb(calls(tmp_path / "petit.xlsx"), 1_000)
    assert import_file(engine, small).status == "loaded"
    path = with_string_bomb(calls(tmp_path / "appels.xlsx"), 80_000)
    assert path.stat().st_size < 200_000
    report = import_file(engine, path)
    assert report.status == "rejected", report
    assert re.fullmatch(
        r"classeur refusé : \d+ ko qui se décompressent en 8\d Mo \(\d+ fois plus\), ce "
        r"qu'aucun tableur n'écrit ; réenregistrez-le depuis Excel ou exportez-le en \.csv",
        report.message,
    ), report.message
