"""Shared fixtures: a fresh warehouse per test on DuckDB and, where reachable, PostgreSQL.

PostgreSQL tests use ``PILOTAGE_TEST_PG_URL`` (default: the local server, database
``test``), each in a schema of its own. Without a server they skip and say why; with
``PILOTAGE_REQUIRE_PG=1`` (set by CI) they fail instead.
"""

from __future__ import annotations

import os
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text

from warehouse.engine import make_engine
from warehouse.load.setup import init_warehouse

PG_URL = os.environ.get("PILOTAGE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Secrets and the default warehouse live in a temporary folder, never in ``data/``."""
    monkeypatch.setenv("PILOTAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PILOTAGE_PSEUDONYM_KEY", "test-key-not-a-secret-0123456789abcdef")
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    monkeypatch.setenv("PILOTAGE_WARM_S", "0")  # no warming thread: tests call it themselves
    yield
    ui = sys.modules.get("pages.shared.ui")
    if ui is not None:  # AppTest re-runs a page without app.py, which closes each run's
        ui.release(every=True)  # DuckDB connection: close them here


def _pg_available() -> str | None:
    try:
        probe = create_engine(PG_URL)
        with probe.connect() as conn:
            conn.execute(text("select 1"))
        probe.dispose()
        return None
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}"


_PG_SKIP = _pg_available()


def postgres_engine():
    """A PostgreSQL engine confined to a new schema; returns (engine, drop callback)."""
    if _PG_SKIP:
        if os.environ.get("PILOTAGE_REQUIRE_PG") == "1":
            pytest.fail(_PG_SKIP)
        pytest.skip(_PG_SKIP)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})

    def drop():
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return engine, drop


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    """An initialised, empty warehouse on each dialect."""
    if request.param == "duckdb":
        eng = make_engine(f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
        drop = eng.dispose
    else:
        eng, drop = postgres_engine()
    init_warehouse(eng)
    yield eng
    drop()


_exit_status = 0


def pytest_sessionfinish(session, exitstatus):
    global _exit_status
    _exit_status = int(exitstatus)


def pytest_unconfigure(config):
    """Leave once pytest has printed its summary.

    Great Expectations keeps DuckDB type objects in module caches, and DuckDB's bindings
    print a spurious "leaked instances" report during interpreter teardown, after pytest's
    closing line. Everything is written by now; skip the teardown.
    """
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status)
