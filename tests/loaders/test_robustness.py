"""An import beside a reading dashboard, and an import killed midway, on both dialects.

The import runs as the real command (``python -m loaders import``) in another process, as
the nightly job would; the test process reads as the dashboard does.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from loaders.pipeline import import_file
from tests.util import engine_url, write_export
from tests.warehouse.kpi_dataset import AGENCES, LOGEMENTS
from warehouse.engine import make_engine
from warehouse.kpis import Filters, compute_all
from warehouse.model.schema import fact_call, load_history

ROOT = Path(__file__).resolve().parents[2]
YEAR = Filters(date(2025, 1, 1), date(2025, 12, 31))


def _calls(n: int, prefix: str) -> list[dict]:
    """``n`` answered inbound calls in 2025, one a minute from 1 January 08:00."""
    rows = []
    for i in range(n):
        minutes = 8 * 60 + i
        day, minute = divmod(minutes, 24 * 60)
        rows.append(
            {
                "id_appel": f"{prefix}{i}",
                "date_heure": f"{date.fromordinal(date(2025, 1, 1).toordinal() + day % 365):%d/%m/%Y}"
                f" {minute // 60:02d}:{minute % 60:02d}",
                "sens": "entrant",
                "file": "CRL",
                "numero_appelant": f"06 {i % 100:02d} 00 00 00",
                "agent": "a1",
                "attente_s": "10",
                "duree_s": "60",
                "issue": "decroche",
                "motif": "Renseignement - loyer",
                "ref_logement": "L1",
                "traite_niveau_1": "oui",
                "num_demande": "",
            }
        )
    return rows


def _start_import(url: str, path: Path, chunk_rows: int = 200_000) -> subprocess.Popen:
    """The import command; its stderr logs one line per chunk loaded (not a terminal)."""
    return subprocess.Popen(
        [sys.executable, "-m", "loaders", "--url", url, "import", str(path)]
        + ["--chunk-rows", str(chunk_rows)],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _reader(engine):
    """The dashboard's engine: read-only, short-lived connections on DuckDB."""
    return (
        make_engine(engine_url(engine), read_only=True)
        if engine.dialect.name == "duckdb"
        else engine
    )


def _state(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        calls = conn.execute(select(func.count()).select_from(fact_call)).scalar_one()
        loads = conn.execute(select(func.count()).select_from(load_history)).scalar_one()
    return calls, loads


@pytest.fixture
def base(engine, tmp_path):
    """Reference data and 10 calls loaded; a 20,000-call file written, not yet loaded."""
    for name, rows in (("agences", AGENCES), ("logements", LOGEMENTS)):
        import_file(engine, write_export(tmp_path / f"{name}.csv", rows))
    import_file(engine, write_export(tmp_path / "appels_base.csv", _calls(10, "B")))
    big = write_export(tmp_path / "appels_gros.csv", _calls(20_000, "G"))
    if engine.dialect.name == "duckdb":
        engine.dispose()
    return engine, big


@pytest.mark.slow
def test_the_dashboard_reads_while_an_import_runs(base):
    engine, big = base
    reader = _reader(engine)
    offered_before = {k.id: k.value for k in compute_all(reader, YEAR)}["offered_calls"]
    assert offered_before == 10
    process = _start_import(engine_url(engine), big)
    seen, reads_during = set(), 0
    while process.poll() is None or reads_during == 0:
        offered = {k.id: k.value for k in compute_all(reader, YEAR)}["offered_calls"]
        seen.add(offered)
        reads_during += process.poll() is None
        if process.poll() is not None:
            break
        time.sleep(0.05)
    output = process.communicate()
    assert process.returncode == 0, output
    final = {k.id: k.value for k in compute_all(reader, YEAR)}["offered_calls"]
    assert final == 20_010
    # every read saw the state before the file or after it, never a part of it
    assert seen <= {10, 20_010}, seen


@pytest.mark.slow
def test_an_import_killed_midway_leaves_the_warehouse_as_it_was(base):
    engine, big = base
    url = engine_url(engine)
    before = _state(_reader(engine))
    process = _start_import(url, big, chunk_rows=1_000)
    # The first progress line: chunk 1 of 20 is staged and merged, inside the transaction.
    first = process.stderr.readline()
    assert "1\u202f000 lignes lues" in first, first + process.communicate()[1]
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    reader = _reader(engine)
    assert _state(reader) == before  # no call, no load recorded
    rerun = _start_import(url, big)
    output = rerun.communicate()
    assert rerun.returncode == 0, output
    assert _state(reader) == (before[0] + 20_000, before[1] + 1)
