"""Issue 12, cases 1 and 2: two imports at once, and a pseudonym key that fails closed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from loaders.pipeline import import_file
from loaders.pseudonym import FINGERPRINT_SETTING, fingerprint
from tests.loaders.samples import SAMPLES
from tests.util import engine_url, snapshot, write_export
from warehouse.engine import make_engine
from warehouse.load.meta import get_setting
from warehouse.load.setup import init_warehouse
from warehouse.model.schema import fact_call, load_history

ROOT = Path(__file__).resolve().parents[2]


def _calls(n: int) -> list[dict]:
    """``n`` calls from 40 numbers, each number calling every few minutes, on three new
    queues and advisors: the previous call of a number is often in the other file."""
    rows = []
    for i in range(n):
        minutes = 8 * 60 + 3 * i
        rows.append(
            dict(
                SAMPLES["appels"][0],
                id_appel=f"K{i:05d}",
                date_heure=f"{3 + minutes // 1440:02d}/03/2025 "
                f"{minutes % 1440 // 60:02d}:{minutes % 60:02d}",
                numero_appelant=f"06 00 00 00 {i % 40:02d}",
                file=f"FILE{i % 3}",
                agent=f"agent{i % 5}",
                ref_logement=f"NEW{i % 7}",
            )
        )
    return rows


def _import_command(url: str, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "loaders", "--url", url, "import", str(path)],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _facts(engine) -> dict:
    """Everything but the load ids, which depend on the order the imports took."""
    tables = snapshot(engine)
    keep = {"fact_call", "dim_queue", "dim_advisor", "dim_dwelling", "quarantine"}
    load_col = [c.name for c in fact_call.c].index("load_id")
    tables["fact_call"] = [
        tuple(v for i, v in enumerate(r) if i != load_col) for r in tables["fact_call"]
    ]
    return {name: rows for name, rows in tables.items() if name in keep}


@pytest.mark.slow
def test_two_imports_at_once_give_the_warehouse_sequential_imports_give(engine, tmp_path):
    rows = _calls(3_000)
    odd = write_export(tmp_path / "appels_impairs.csv", rows[1::2])
    even = write_export(tmp_path / "appels_pairs.csv", rows[0::2])
    url = engine_url(engine)
    if engine.dialect.name == "duckdb":
        engine.dispose()
    both = [_import_command(url, odd), _import_command(url, even)]
    for process in both:
        out, err = process.communicate()
        assert process.returncode == 0, (out, err)

    sequential = make_engine(f"duckdb:///{tmp_path / 'sequential.duckdb'}")
    init_warehouse(sequential)
    for path in (odd, even):
        assert import_file(sequential, path).status == "loaded"
    reader = make_engine(url, read_only=True) if engine.dialect.name == "duckdb" else engine
    together = _facts(reader)
    assert len(together["fact_call"]) == 3_000
    assert together == _facts(sequential)
    with reader.connect() as conn:
        statuses = conn.execute(select(load_history.c.status)).scalars().all()
    assert statuses == ["loaded", "loaded"]


def _one_call(tmp_path, name: str) -> Path:
    return write_export(tmp_path / name, [dict(SAMPLES["appels"][0], id_appel=name)])


def test_the_key_fingerprint_is_recorded_and_another_key_refused(engine, tmp_path, monkeypatch):
    key = os.environ["PILOTAGE_PSEUDONYM_KEY"]
    assert import_file(engine, _one_call(tmp_path, "a.csv")).status == "loaded"
    with engine.connect() as conn:
        assert get_setting(conn, FINGERPRINT_SETTING) == fingerprint(key.encode())
    assert key not in repr(snapshot(engine))

    monkeypatch.setenv("PILOTAGE_PSEUDONYM_KEY", "another-key-just-as-long-0123456789abcdef")
    report = import_file(engine, _one_call(tmp_path, "b.csv"))
    assert report.status == "rejected"
    assert "n'est pas celle de cet entrepôt" in report.message
    with engine.connect() as conn:
        assert conn.execute(select(fact_call.c.call_id)).scalars().all() == ["a.csv"]


def test_weak_or_empty_keys_are_refused(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("PILOTAGE_PSEUDONYM_KEY", "x")
    report = import_file(engine, _one_call(tmp_path, "a.csv"))
    assert report.status == "rejected" and "trop faible" in report.message
    monkeypatch.delenv("PILOTAGE_PSEUDONYM_KEY")
    key_file = tmp_path / "config" / "pilotage-grl" / "pseudonym.key"
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text("")
    report = import_file(engine, _one_call(tmp_path, "b.csv"))
    assert report.status == "rejected" and "trop faible" in report.message
    with engine.connect() as conn:
        assert conn.execute(select(fact_call.c.call_id)).scalars().all() == []


def test_a_lost_key_file_is_never_replaced(engine, tmp_path, monkeypatch):
    monkeypatch.delenv("PILOTAGE_PSEUDONYM_KEY")
    assert import_file(engine, _one_call(tmp_path, "a.csv")).status == "loaded"
    key_file = tmp_path / "config" / "pilotage-grl" / "pseudonym.key"
    assert len(key_file.read_text()) == 64
    key_file.unlink()
    report = import_file(engine, _one_call(tmp_path, "b.csv"))
    assert report.status == "rejected" and "introuvable" in report.message
    assert not key_file.exists()


def _cost(month: str, amount: str, nature: str = "personnel") -> dict:
    return {"periode": month, "centre": "CRL", "nature": nature, "montant_eur": amount}


def _booked(engine) -> dict:
    """amount per (source month, nature), as the warehouse keeps it."""
    from warehouse.model.schema import fact_cost

    c = fact_cost.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(c.source_month_date, c.nature, c.amount_eur).order_by(c.source_month_date)
        ).all()
    return {(str(m)[:7], n): round(a, 2) for m, n, a in rows}


def test_costs_of_one_key_over_several_chunks_add_up(engine, tmp_path):
    # three invoices of March 2025 (500 € each), read two lines at a time
    rows = [_cost("2025-03", "500"), _cost("2025-03", "500"), _cost("2025-03", "500")]
    rows.append(_cost("2025-04", "12.500"))  # a thousands point: 12 500 €
    path = write_export(tmp_path / "couts.csv", rows)
    report = import_file(engine, path, chunk_size=2)
    # every line that went into a new total is loaded, none is a "duplicate"
    assert (report.rows_read, report.rows_inserted, report.rows_duplicate) == (4, 4, 0)
    assert _booked(engine) == {("2025-03", "personnel"): 1500.0, ("2025-04", "personnel"): 12500.0}


def test_a_negative_monthly_total_is_quarantined_a_credit_note_is_not(engine, tmp_path):
    rows = [
        _cost("2025-03", "1 000"),
        _cost("2025-03", "-200"),  # a credit note: the month still adds up to 800 €
        _cost("2025-04", "100", "telecom"),
        _cost("2025-04", "-401", "telecom"),  # April's telecom adds up to -301 €
    ]
    report = import_file(engine, write_export(tmp_path / "couts.csv", rows))
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 2, 2)
    assert report.accounted
    assert _booked(engine) == {("2025-03", "personnel"): 800.0}
    assert report.reasons == [
        "ligne 4 [montant_eur] : total négatif pour ce mois, ce centre et cette nature : "
        "-301,00 € (avoirs supérieurs aux dépenses)",
        "ligne 5 [montant_eur] : total négatif pour ce mois, ce centre et cette nature : "
        "-301,00 € (avoirs supérieurs aux dépenses)",
    ]
