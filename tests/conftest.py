"""Shared fixtures: a fresh warehouse per test on DuckDB and, where reachable, PostgreSQL.

PostgreSQL tests run on the server of ``PILOTAGE_TEST_PG_URL`` (default: the local one), in
a database the test session creates and drops, each test in a schema of its own. Without a server they skip and say why; with
``PILOTAGE_REQUIRE_PG=1`` (set by CI) they fail instead.
"""

from __future__ import annotations

import os
import sys
import uuid

import pytest
from sqlalchemy import create_engine, make_url, text

from warehouse import config
from warehouse.engine import make_engine
from warehouse.load.setup import init_warehouse

SERVER_URL = config.get("PILOTAGE_TEST_PG_URL")  # a server and a database to connect to


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Secrets and the default warehouse live in a temporary folder, never in ``data/``."""
    monkeypatch.setenv("PILOTAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PILOTAGE_PSEUDONYM_KEY", "test-key-not-a-secret-0123456789abcdef")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # a key file's place
    monkeypatch.delenv("PILOTAGE_PSEUDONYM_KEY_FILE", raising=False)
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    monkeypatch.setenv("PILOTAGE_WARM_S", "0")  # no warming thread: tests call it themselves
    yield
    data = sys.modules.get("pages.data")
    if data is not None:  # the DuckDB connections of the AppTest runs of this test
        data.release(every=True)


def _pg_available() -> str | None:
    try:
        probe = create_engine(SERVER_URL)
        with probe.connect() as conn:
            conn.execute(text("select 1"))
        probe.dispose()
        return None
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL not reachable at {SERVER_URL}: {exc.__class__.__name__}"


_PG_SKIP = _pg_available()
_database: dict[str, str] = {}  # the test session's own database, created on first use


def _session_database() -> str:
    """A database of this test session's own on the server (one per xdist worker),
    created at its first use and dropped at the end of the session: the tests never write
    into a database they did not create."""
    if "url" not in _database:
        name = f"pilotage_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        _database["name"] = name
        _database["url"] = make_url(SERVER_URL).set(database=name).render_as_string(False)
    return _database["url"]


def _drop_session_database() -> None:
    if "name" not in _database:
        return
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{_database["name"]}" WITH (FORCE)'))
    admin.dispose()
    _database.clear()


def postgres_engine():
    """A PostgreSQL engine confined to a new schema of the session's database; returns
    (engine, drop callback)."""
    if _PG_SKIP:
        if config.get("PILOTAGE_REQUIRE_PG") == "1":
            pytest.fail(_PG_SKIP)
        pytest.skip(_PG_SKIP)
    url = _session_database()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})

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
    _drop_session_database()


def pytest_unconfigure(config):
    """Leave once pytest has printed its summary.

    Great Expectations keeps DuckDB type objects in module caches, and DuckDB's bindings
    print a spurious "leaked instances" report during interpreter teardown, after pytest's
    closing line. Everything is written by now; skip the teardown.
    """

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status)
