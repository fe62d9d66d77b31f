"""Demo data is marked in the warehouse by the demo build, says so in every output, and
never mixes with real imports (README, « Deploying »)."""

from __future__ import annotations

import json

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from loaders.pipeline import import_file
from tests.loaders.samples import SAMPLES
from tests.util import engine_url, write_export
from warehouse.cli import main
from warehouse.model.catalog import DEMO_MARK, is_demo
from warehouse.model.schema import fact_call

CALLS = SAMPLES["appels"]  # two calls of 3 March 2025
OTHER_CALL = [dict(CALLS[0], id_appel="R1")]


def _calls(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(fact_call)).scalar_one()


def _demo(engine, tmp_path):
    report = import_file(engine, write_export(tmp_path / "appels_demo.csv", CALLS), demo=True)
    assert report.status == "loaded", report
    return engine


def test_a_demo_build_marks_the_warehouse_and_a_real_import_is_refused(engine, tmp_path):
    """An empty warehouse takes the demo's file and is marked; a real file afterwards is
    refused whole, saying why in French, and the demo's 2 calls stay 2."""
    assert not is_demo(engine)
    _demo(engine, tmp_path)
    assert is_demo(engine)
    real = import_file(engine, write_export(tmp_path / "appels_reels.csv", OTHER_CALL))
    assert real.status == "rejected"
    assert "données de démonstration" in real.message and "WAREHOUSE_URL" in real.message
    assert (real.rows_loaded, _calls(engine)) == (0, 2)
    again = import_file(engine, write_export(tmp_path / "demo_2.csv", OTHER_CALL), demo=True)
    assert (again.status, _calls(engine)) == ("loaded", 3)  # the demo may complete itself


def test_the_demo_never_writes_into_a_warehouse_of_real_imports(engine, tmp_path):
    real = import_file(engine, write_export(tmp_path / "appels_reels.csv", OTHER_CALL))
    assert real.status == "loaded"
    demo = import_file(engine, write_export(tmp_path / "appels_demo.csv", CALLS), demo=True)
    assert demo.status == "rejected" and "entrepôt vide" in demo.message
    assert (_calls(engine), is_demo(engine)) == (1, False)


KPIS = ["kpis", "--start", "2025-03-01", "--end", "2025-03-31"]


def test_every_kpi_command_output_carries_the_mark(engine, tmp_path, capsys):
    """Table, CSV and JSON: every KPI row's note starts with the mark on a demo warehouse;
    no row has it on a real one."""
    url = engine_url(engine)
    real = import_file(engine, write_export(tmp_path / "appels_reels.csv", OTHER_CALL))
    assert real.status == "loaded"
    assert main(["--url", url, *KPIS, "--format", "json"]) == 0
    assert DEMO_MARK not in capsys.readouterr().out

    demo_engine = engine
    from sqlalchemy import delete

    from warehouse.model.schema import load_history

    with demo_engine.begin() as conn:  # the same warehouse, emptied, then a demo
        conn.execute(delete(fact_call))
        conn.execute(delete(load_history))
    _demo(demo_engine, tmp_path)
    assert main(["--url", url, *KPIS, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["note"].startswith(DEMO_MARK) for r in rows)
    offered = next(r for r in rows if r["id"] == "offered_calls")
    assert offered["value"] == 2  # the figures themselves are untouched
    for fmt in ("csv", "table"):
        assert main(["--url", url, *KPIS, "--format", fmt]) == 0
        lines = capsys.readouterr().out.strip().splitlines()[1:]
        assert lines and all(DEMO_MARK in line for line in lines), fmt


def test_the_monthly_report_carries_the_mark_on_every_page_and_sheet(engine, tmp_path, capsys):
    """The PDF's title and every page's footer, every row of every audit sheet, the file
    names and the command's output say « Données de démonstration »."""
    _demo(engine, tmp_path)
    out = tmp_path / "rapport"
    assert (
        main(["--url", engine_url(engine), "report", "--month", "2025-03", "--out", str(out)]) == 0
    )
    assert DEMO_MARK in capsys.readouterr().out
    pdf = out / "rapport_qualite_2025-03_demonstration.pdf"
    book = out / "dossier_audit_2025-03_demonstration.xlsx"
    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    assert pages and all(DEMO_MARK in text for text in pages)
    workbook = load_workbook(book, read_only=True)
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        if sheet.title == "Indicateurs":
            assert all(str(r[9]).startswith(DEMO_MARK) for r in rows[1:]), sheet.title
        else:
            assert rows[0][0] == DEMO_MARK, sheet.title
            assert all(r[0] == "oui" for r in rows[1:]), sheet.title


def test_the_alerts_say_the_mark_and_their_mail_subject_too(engine, tmp_path, capsys, monkeypatch):
    """The nightly alerts on a demo warehouse: the command's first line and the subject of
    the mail of the new alerts carry the mark (the mail is caught, not sent)."""
    from types import SimpleNamespace

    from warehouse.report import run

    _demo(engine, tmp_path)
    sent: list[str] = []
    monkeypatch.setattr(run, "read_settings", lambda path: SimpleNamespace(alerts_to=["d@x.fr"]))
    monkeypatch.setattr(run, "send", lambda settings, to, subject, body, *a: sent.append(subject))
    rules = tmp_path / "alertes.toml"
    rules.write_text(
        '[[alerte]]\nid = "decroche"\nindicateur = "answer_rate"\noperateur = "<"\n'
        'seuil = 0.99\nperiode = "mois"\n',  # March: 1 answered of 2 offered, 50 %
        encoding="utf-8",
    )
    args = ["--url", engine_url(engine), "alerts", "--rules", str(rules), "--date", "2025-03-31"]
    assert main([*args, "--mail"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(DEMO_MARK), out
    assert sent and all(subject.startswith(f"[{DEMO_MARK}]") for subject in sent), sent
