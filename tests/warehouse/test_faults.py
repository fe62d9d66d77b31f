"""Issue 26 case 12: the faults of the warehouse itself, each one French sentence and exit
code 2 on the command lines, one sentence on the dashboard, the warehouse left intact.

- a damaged DuckDB file (bytes overwritten in its header, or in its blocks);
- a full disk and a read-only file system: a real tmpfs of a few megabytes, mounted in a
  user and mount namespace of the test's own (``unshare -rm``), so that DuckDB meets the
  kernel's ENOSPC and EROFS as on a server; skipped where namespaces are not allowed;
- a read-only database on both dialects (DuckDB's read-only mode, PostgreSQL's
  ``default_transaction_read_only``);
- a lock held by another process.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import create_engine, func, select
from streamlit.testing.v1 import AppTest

from loaders.cli import main as loaders_main
from loaders.pipeline import import_file
from tests.loaders.intake import HEADER, call_line, write_lines
from tests.util import engine_url
from warehouse.faults import WarehouseReadOnly, classify
from warehouse.model import schema

ROOT = Path(__file__).resolve().parents[2]
KPIS = ["kpis", "--start", "2025-03-01", "--end", "2025-03-31"]
ONE_SENTENCE_WORDS = ("Traceback", "Error", "SELECT", "sqlalche.me")


def calls(path: Path, first: int, count: int) -> Path:
    lines = [HEADER] + [call_line(n) for n in range(first, first + count)]
    return write_lines(path, lines)


def offered(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.fact_call)).scalar_one()


def run(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def said_once(stderr: str, label: str) -> str:
    """The one line a fault leaves on stderr (progress lines aside)."""
    lines = [line for line in stderr.splitlines() if "lignes lues" not in line]
    lines = [line for line in lines if "nanobind" not in line and "leaked" not in line]
    faults = [line for line in lines if line.startswith(f"{label} : ")]
    assert len(faults) == 1, stderr
    assert not any(word in stderr for word in ONE_SENTENCE_WORDS), stderr
    return faults[0]


@pytest.fixture
def small_warehouse(tmp_path):
    """A DuckDB warehouse holding 5 calls, and its URL."""
    from warehouse.engine import make_engine
    from warehouse.load.setup import init_warehouse

    path = tmp_path / "w.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    init_warehouse(engine)
    assert import_file(engine, calls(tmp_path / "cinq.csv", 1, 5)).rows_loaded == 5
    engine.dispose()
    return path


def _damage(path: Path, where: str) -> None:
    with open(path, "r+b") as f:
        if where == "header":
            f.write(b"\x00" * 20_000)
            return
        size = path.stat().st_size
        for offset in range(300_000, size, 300_000):
            f.seek(offset)
            f.write(b"\xa5" * 4096)


@pytest.mark.parametrize("where", ["header", "blocks"])
def test_a_damaged_file_is_one_sentence_everywhere_and_stays_as_it_was(
    small_warehouse, tmp_path, monkeypatch, where
):
    """Bytes overwritten in the header (« not a valid DuckDB database file ») or across the
    blocks (« computed checksum does not match »): the KPI command, the import and the
    dashboard each say « endommagé » in one sentence, and none of them writes to it."""
    _damage(small_warehouse, where)
    before = hashlib.sha256(small_warehouse.read_bytes()).hexdigest()
    url = f"duckdb:///{small_warehouse}"
    done = run("warehouse", "--url", url, *KPIS)
    assert done.returncode == 2
    line = said_once(done.stderr, "Entrepôt endommagé")
    assert "restaurez la dernière sauvegarde" in line
    done = run("loaders", "--url", url, "import", str(calls(tmp_path / "six.csv", 6, 1)))
    assert done.returncode == 2
    said_once(done.stderr, "Entrepôt endommagé")
    monkeypatch.setenv("WAREHOUSE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    [shown] = [e.value for e in at.error]
    assert shown.startswith("Le tableau de bord ne peut pas lire l'entrepôt : le fichier de")
    assert "endommagé" in shown and "SELECT" not in shown and "Error" not in shown
    assert hashlib.sha256(small_warehouse.read_bytes()).hexdigest() == before


def _namespaces() -> str | None:
    if shutil.which("unshare") is None:
        return "no unshare command"
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
        capture_output=True,
        text=True,
    )
    return None if done.returncode == 0 else f"no user namespaces here: {done.stderr.strip()}"


@pytest.mark.skipif(_namespaces() is not None, reason=str(_namespaces()))
def test_a_full_disk_then_a_read_only_one_leave_the_warehouse_as_it_was(small_warehouse, tmp_path):
    """The 5-call warehouse on a tmpfs 256 KB larger than it: importing 20,000 calls fills
    the disk; then the tmpfs is remounted read-only and the import tried again. Each time
    one sentence and exit 2, and the KPI command still reads the 5 calls."""
    mount = tmp_path / "disque"
    mount.mkdir()
    size = small_warehouse.stat().st_size + 256 * 1024
    big = calls(tmp_path / "vingt_mille.csv", 100, 20_000)
    url = f"duckdb:///{mount / 'w.duckdb'}"
    python = sys.executable
    script = f"""
set -u
mount -t tmpfs -o size={size} tmpfs {mount}
cp {small_warehouse} {mount}/w.duckdb
{python} -m loaders --url {url} import {big} 2>{tmp_path}/full.err; echo $? >{tmp_path}/full.rc
{python} -m warehouse --url {url} {" ".join(KPIS)} >{tmp_path}/full.out 2>&1
mount -o remount,ro {mount}
{python} -m loaders --url {url} import {big} 2>{tmp_path}/ro.err; echo $? >{tmp_path}/ro.rc
{python} -m warehouse --url {url} {" ".join(KPIS)} >{tmp_path}/ro.out 2>&1
"""
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr

    def read(name: str) -> str:
        return (tmp_path / name).read_text(encoding="utf-8")

    assert read("full.rc").strip() == "2"
    line = said_once(read("full.err"), "Disque plein")
    assert f"de l'entrepôt {mount / 'w.duckdb'} : rien n'a été écrit" in line
    assert read("ro.rc").strip() == "2"
    line = said_once(read("ro.err"), "Entrepôt en lecture seule")
    assert "rendez-le inscriptible" in line
    for name in ("full.out", "ro.out"):
        [kpi] = [row for row in read(name).splitlines() if row.startswith("offered_calls ")]
        assert kpi.split()[1] == "5"  # the warehouse as it was before each fault


def _read_only(engine):
    url = engine_url(engine)
    if engine.dialect.name == "duckdb":
        from warehouse.engine import make_engine

        return make_engine(url, read_only=True)
    return create_engine(url + "%20-cdefault_transaction_read_only%3Don")


def test_an_import_into_a_read_only_database_stops_in_french(engine, tmp_path):
    """DuckDB opened read-only, a PostgreSQL session read-only: the import stops on the
    first write with :class:`WarehouseReadOnly`, and nothing changed."""
    assert import_file(engine, calls(tmp_path / "cinq.csv", 1, 5)).rows_loaded == 5
    engine.dispose()
    reader = _read_only(engine)
    try:
        with pytest.raises(WarehouseReadOnly, match="est en lecture seule"):
            import_file(reader, calls(tmp_path / "six.csv", 6, 1))
    finally:
        reader.dispose()
    assert offered(engine) == 5


def test_a_lock_held_by_another_process_is_said_by_the_import(
    small_warehouse, tmp_path, monkeypatch, capsys
):
    script = (
        f"import duckdb, time\nc = duckdb.connect({str(small_warehouse)!r})\n"
        "print('held', flush=True)\ntime.sleep(30)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    monkeypatch.setenv("PILOTAGE_LOCK_WAIT_S", "1")
    try:
        assert holder.stdout.readline().strip() == "held"
        argv = ["--url", f"duckdb:///{small_warehouse}", "import"]
        code = loaders_main([*argv, str(calls(tmp_path / "six.csv", 6, 1))])
    finally:
        holder.kill()
        holder.wait()
    assert code == 2
    line = said_once(capsys.readouterr().err, "Entrepôt occupé")
    assert "toujours verrouillé par un autre processus" in line


def test_anything_else_is_not_a_fault():
    """A bug keeps its traceback: only the faults of the warehouse are classified."""
    assert classify(ValueError("no space left on device, says a motif")) is None
    assert classify(KeyError("motif")) is None
    assert classify(OSError(28, "No space left on device")).label == "Disque plein"
    assert classify(OSError(30, "Read-only file system")).label == "Entrepôt en lecture seule"
