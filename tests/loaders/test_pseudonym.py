"""Caller numbers are pseudonymised at load and stored in clear nowhere."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from loaders.cli import main
from loaders.pipeline import import_file
from loaders.pseudonym import mask_phones, normalise_phone
from tests.loaders.samples import SAMPLES
from tests.util import load, snapshot, write_export

NUMBERS = ["06 12 34 56 78", "+33 6 98 76 54 32", "01.23.45.67.89", "0033 7 11 22 33 44"]


def _forms(number: str) -> set[str]:
    """Every way the number could have been written to a table."""
    digits = re.sub(r"\D", "", number)
    national = normalise_phone(number)
    return {number, digits, national, national[1:], "+33" + national[1:]}


def test_no_caller_number_in_any_table(engine, tmp_path):
    rows = [
        dict(SAMPLES["appels"][0], id_appel=f"A{i}", numero_appelant=n)
        for i, n in enumerate(NUMBERS)
    ]
    bad = dict(rows[0], id_appel="BAD", attente_s="oops", numero_appelant="06 55 44 33 22")
    broken = "A9;03/03/2025;entrant;CRL;06 99 88 77 66"  # malformed: goes to quarantine
    path = write_export(tmp_path / "appels.csv", [*rows, bad])
    with path.open("a", encoding="utf-8") as f:
        f.write(broken + "\r\n")
    report = import_file(engine, path)
    assert (report.rows_loaded, report.rows_quarantined) == (4, 2)
    text = repr(snapshot(engine))
    for number in [*NUMBERS, "06 55 44 33 22", "06 99 88 77 66"]:
        for form in _forms(number):
            assert form not in text, form


def test_no_caller_number_in_the_import_log_nor_the_quarantine_download(tmp_path, capsys):
    """The command's report and progress lines, and the quarantine as the dashboard
    offers it for download (CSV and Excel), hold no number either."""
    from pages.ui import csv_bytes, xlsx_bytes
    from warehouse import queries
    from warehouse.engine import make_engine

    bad = [
        dict(SAMPLES["appels"][0], id_appel=f"B{i}", attente_s="oops", numero_appelant=n)
        for i, n in enumerate(NUMBERS)
    ]
    path = write_export(tmp_path / "appels.csv", bad)
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    assert main(["--url", url, "import", str(path)]) == 0
    log = "".join(capsys.readouterr())
    assert "4 en quarantaine" in log
    quarantine = queries.quarantine_frame(make_engine(url, read_only=True))
    assert len(quarantine) == 4
    exported = [
        log,
        csv_bytes(quarantine).decode("utf-8-sig"),
        repr(pd.read_excel(io.BytesIO(xlsx_bytes(quarantine)), dtype=str).to_dict()),
    ]
    for number in NUMBERS:
        for form in _forms(number):
            assert all(form not in text for text in exported), form


def test_same_number_same_pseudonym_whatever_its_spelling(engine, tmp_path):
    rows = [
        dict(SAMPLES["appels"][0], id_appel=f"A{i}", numero_appelant=n)
        for i, n in enumerate(["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78"])
    ]
    load(engine, tmp_path, "appels", rows)
    keys = {r[8] for r in snapshot(engine)["fact_call"]}
    assert len(keys) == 1 and len(next(iter(keys))) == 32


def test_advisors_are_pseudonymous_codes(engine, tmp_path):
    load(engine, tmp_path, "appels", SAMPLES["appels"])
    codes = [r[1] for r in snapshot(engine)["dim_advisor"]]
    assert len(codes) == 1 and re.fullmatch(r"CONS-[0-9A-F]{8}", codes[0])
    assert "jdupont" not in repr(snapshot(engine))


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("A1;06 12 34 56 78;x", "A1;[numéro masqué];x"),
        ("tel +33 6 12 34 56 78", "tel [numéro masqué]"),
        ("2025-03-05 08:31:00;12;180", "2025-03-05 08:31:00;12;180"),
    ],
)
def test_mask_phones_keeps_dates_and_counts(text, masked):
    assert mask_phones(text) == masked


def test_key_is_generated_beside_the_warehouse_when_not_given(monkeypatch, tmp_path):
    from loaders import pseudonym

    monkeypatch.delenv(pseudonym.KEY_ENV)
    key = pseudonym.secret_key()
    assert (tmp_path / "data" / "pseudonym.key").read_text().strip().encode() == key
    assert oct((tmp_path / "data" / "pseudonym.key").stat().st_mode)[-3:] == "600"
    assert len(key) == 64
