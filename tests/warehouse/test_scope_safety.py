"""Issue 12, cases 7 to 9: figures only where they mean something, scoped load history,
inert exports, dates at the edges of the calendar."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd

from loaders.pipeline import import_file
from tests.loaders.samples import SAMPLES
from tests.util import hold_duckdb, release, write_export
from tests.warehouse.kpi_dataset import AGENCES
from warehouse.kpis import Filters, compute_all, queries
from warehouse.kpis.measurable import REASONS

ROOT = Path(__file__).resolve().parents[2]
PERIOD = Filters(date(2025, 3, 1), date(2025, 3, 31))


def test_lost_call_rates_have_no_value_under_an_agency_scope(engine, tmp_path):
    for source in ("agences", "logements", "appels"):
        import_file(engine, write_export(tmp_path / f"{source}.csv", SAMPLES[source]))
    whole = {k.id: k for k in compute_all(engine, PERIOD)}
    assert whole["answer_rate"].value == 0.5  # A1 answered, A2 abandoned
    for scoped in (
        Filters(PERIOD.start, PERIOD.end, agencies=("AG01",)),
        Filters(PERIOD.start, PERIOD.end, allowed_agencies=("AG01",)),
        Filters(PERIOD.start, PERIOD.end, organisme="Habitat Test"),
    ):
        values = {k.id: k for k in compute_all(engine, scoped)}
        for kpi_id in ("answer_rate", "service_level_90", "service_level_60", "abandon_rate"):
            assert values[kpi_id].value is None
            assert values[kpi_id].note.startswith(REASONS["centre"] + " (")
        assert values["offered_calls"].value is None  # lost calls belong to no agency
        assert values["answered_calls"].value == 1  # A1, whose dwelling L001 is AG01's


def _register(tmp_path, agency: str):
    rows = [dict(SAMPLES["registres"][0], agence=agency)]
    return write_export(tmp_path / f"registre_{agency}.csv", rows)


def test_a_scoped_user_sees_no_other_agencys_register(engine, tmp_path):
    import_file(engine, write_export(tmp_path / "agences.csv", AGENCES))
    import_file(engine, _register(tmp_path, "AG01"))
    import_file(engine, _register(tmp_path, "AG02"))
    bad = [dict(SAMPLES["registres"][0], agence="AG02", canal="pigeon")]
    import_file(engine, write_export(tmp_path / "registre_AG02_bis.csv", bad))
    import_file(engine, tmp_path / "absent.csv")  # rejected: source unknown
    every = queries.load_history_frame(engine)["file_name"].tolist()
    assert sorted(every) == sorted(
        ["agences.csv", "registre_AG01.csv", "registre_AG02.csv", "registre_AG02_bis.csv"]
        + ["absent.csv"]
    )
    theirs = queries.load_history_frame(engine, allowed_agencies=("AG01",))["file_name"]
    assert sorted(theirs) == ["agences.csv", "registre_AG01.csv"]
    assert queries.quarantine_frame(engine, allowed_agencies=("AG01",)).empty
    assert len(queries.quarantine_frame(engine)) == 1


def test_downloads_never_carry_a_live_formula():
    from warehouse.report.exports import csv_bytes, xlsx_bytes

    frame = pd.DataFrame(
        {
            "agence": ['=HYPERLINK("https://exemple.fr","Ouvrir")', "+AG01", "@SOMME(A1)", "AG02"],
            "appels": [1, -2, 3, 4],
        }
    )
    text = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert text[1].startswith("\"'=HYPERLINK") and text[2] == "'+AG01;-2"
    assert text[3] == "'@SOMME(A1);3" and text[4] == "AG02;4"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    cells = [(c.value, c.data_type) for c in sheet["A"][1:]]
    assert cells[0] == ('=HYPERLINK("https://exemple.fr","Ouvrir")', "s")  # text, not "f"
    assert all(kind == "s" for _, kind in cells)
    assert [c.value for c in sheet["B"][1:]] == [1, -2, 3, 4]


def test_markdown_in_data_stays_text():
    from pages.fmt import md

    assert md("[AG01](https://exemple.fr)") == "\\[AG01\\]\\(https\\://exemple\\.fr\\)"


def _kpis(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "warehouse", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_the_kpi_command_refuses_days_outside_the_calendar_in_french(tmp_path):
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    done = _kpis("--url", url, "kpis", "--start", "0001-01-01", "--end", "2025-12-31")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "01/01/0001 hors du calendrier de l'entrepôt" in done.stderr
    done = _kpis("--url", url, "kpis", "--start", "2025-02-30", "--end", "2025-12-31")
    assert done.returncode == 2 and "date illisible « 2025-02-30 »" in done.stderr


def test_a_busy_warehouse_is_said_in_french(tmp_path):
    import duckdb

    path = tmp_path / "w.duckdb"
    holder = duckdb.connect(str(path))  # another process would hold it the same way
    holder.close()
    holder = hold_duckdb(path)
    try:
        assert holder.stdout.readline().strip() == "held"
        done = subprocess.run(
            [sys.executable, "-m", "warehouse", "--url", f"duckdb:///{path}", "init"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "PILOTAGE_LOCK_WAIT_S": "1"},
        )
    finally:
        release(holder)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "Entrepôt occupé" in done.stderr and "réessayez plus tard" in done.stderr
