"""Engine from a SQLAlchemy URL: a DuckDB file by default, PostgreSQL for a shared server."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool, QueuePool

from warehouse import config
from warehouse.faults import WarehouseBusy, WarehouseMissing, says_faults

__all__ = ["WarehouseBusy", "WarehouseMissing", "busy_says_so", "make_engine", "warehouse_url"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOG = logging.getLogger(__name__)


busy_says_so = says_faults  # the commands' decorator (its name before the faults grew)


def lock_wait_seconds() -> float:
    """How long a connection waits for a DuckDB file another process holds
    (``PILOTAGE_LOCK_WAIT_S``, default 300: longer than a nightly import of one file)."""
    return float(config.get("PILOTAGE_LOCK_WAIT_S"))


def data_dir() -> Path:
    """Folder for the embedded warehouse and its secrets (``PILOTAGE_DATA_DIR``, default ``data/``)."""
    folder = Path(config.get("PILOTAGE_DATA_DIR"))
    return folder if config.is_set("PILOTAGE_DATA_DIR") else PROJECT_ROOT / folder


def default_url() -> str:
    return f"duckdb:///{data_dir() / 'warehouse.duckdb'}"


def warehouse_url() -> str:
    """The warehouse URL: ``WAREHOUSE_URL`` or the embedded DuckDB file."""
    return config.get("WAREHOUSE_URL") or default_url()


def duckdb_path(url: str) -> Path | None:
    """The file behind a ``duckdb:///`` URL, or None for another dialect or in-memory DuckDB."""
    if not url.startswith("duckdb:///"):
        return None
    path = url.removeprefix("duckdb:///").split("?", 1)[0]
    return None if path in ("", ":memory:") else Path(path)


def engine_file(engine: Engine) -> Path | None:
    """The file of a DuckDB engine's warehouse; None for a server or in-memory DuckDB."""
    database = engine.url.database if engine.dialect.name == "duckdb" else None
    return None if database in (None, "", ":memory:") else Path(database)


def make_engine(url: str | None = None, *, read_only: bool = False, pooled: bool = False) -> Engine:
    """Create an engine for ``url`` (default: :func:`warehouse_url`).

    DuckDB locks its file per process, so DuckDB engines keep no pooled connection:
    each use opens and closes its own, letting an import and the dashboard take turns.
    ``pooled`` keeps them (for a caller that disposes of the engine soon: one dashboard
    run). ``read_only`` opens DuckDB read-only; on PostgreSQL it marks sessions read-only.
    """
    url = url or warehouse_url()
    if url.startswith("duckdb"):
        path = duckdb_path(url)
        if path is not None and not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        connect_args = {}
        if read_only and path is not None:
            # Readers (the dashboard, the KPI command) share the machine with imports: cap
            # DuckDB's buffer pool, which would otherwise grow to 80% of the memory.
            memory = config.get("PILOTAGE_DUCKDB_MEMORY")
            connect_args = {"read_only": True, "config": {"memory_limit": memory}}
        elif path is not None:
            # A writer (an import) too: past the cap, DuckDB spills the staging and the
            # merge to its temporary files, so a file of any length fits the same memory.
            memory = config.get("PILOTAGE_DUCKDB_IMPORT_MEMORY")
            connect_args = {"config": {"memory_limit": memory}}
        pool = QueuePool if pooled else NullPool
        engine = create_engine(url, poolclass=pool, connect_args=connect_args)

        @event.listens_for(engine, "do_connect")
        def _wait_for_lock(dialect, _record, cargs, cparams):
            # DuckDB lets one process at a time open a file read-write (or several read-only):
            # wait while an import (or the dashboard's short read) holds it.
            deadline, pause = time.monotonic() + lock_wait_seconds(), 0.05
            while True:
                try:
                    return dialect.connect(*cargs, **cparams)
                except Exception as error:  # duckdb.IOException, not importable lazily
                    if "lock" not in str(error).lower():
                        raise
                    if time.monotonic() > deadline:
                        raise WarehouseBusy(
                            f"{path} est toujours verrouillé par un autre processus (un "
                            f"import ?) après {lock_wait_seconds():.0f} s d'attente : "
                            "réessayez plus tard"
                        ) from error
                    LOG.info("warehouse file locked by another process; waiting")
                    time.sleep(pause)
                    pause = min(pause * 2, 1.0)

        @event.listens_for(engine, "connect")
        def _quiet(dbapi_conn, _record):
            # Progress bars are ours to draw; DuckDB's would flood the logs.
            dbapi_conn.execute("SET enable_progress_bar = false")

        return engine
    engine = create_engine(url, pool_pre_ping=True)
    if read_only:

        @event.listens_for(engine, "connect")
        def _read_only(dbapi_conn, _record):  # pragma: no cover - exercised on PostgreSQL
            dbapi_conn.read_only = True

    return engine


def claim_lock(lock: Path) -> bool:
    """Create ``lock`` holding this process id; False while another live process holds
    it. A lock left by a dead process is taken over. (The dashboard's first start: one
    session builds the demo warehouse, the others wait.)"""
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        try:
            os.kill(int(lock.read_text() or 0), 0)
            return False
        except (ProcessLookupError, ValueError):
            lock.unlink(missing_ok=True)
            return claim_lock(lock)
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    return True
