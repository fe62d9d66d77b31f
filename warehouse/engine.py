"""Engine from a SQLAlchemy URL: a DuckDB file by default, PostgreSQL for a shared server."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Folder for the embedded warehouse and its secrets (``PILOTAGE_DATA_DIR``, default ``data/``)."""
    return Path(os.environ.get("PILOTAGE_DATA_DIR", PROJECT_ROOT / "data"))


def default_url() -> str:
    return f"duckdb:///{data_dir() / 'warehouse.duckdb'}"


def warehouse_url() -> str:
    """The warehouse URL: ``WAREHOUSE_URL`` or the embedded DuckDB file."""
    return os.environ.get("WAREHOUSE_URL") or default_url()


def duckdb_path(url: str) -> Path | None:
    """The file behind a ``duckdb:///`` URL, or None for another dialect or in-memory DuckDB."""
    if not url.startswith("duckdb:///"):
        return None
    path = url.removeprefix("duckdb:///").split("?", 1)[0]
    return None if path in ("", ":memory:") else Path(path)


def make_engine(url: str | None = None, *, read_only: bool = False) -> Engine:
    """Create an engine for ``url`` (default: :func:`warehouse_url`).

    DuckDB locks its file per process, so DuckDB engines keep no pooled connection:
    each use opens and closes its own, letting an import and the dashboard take turns.
    ``read_only`` opens DuckDB read-only; on PostgreSQL it marks sessions read-only.
    """
    url = url or warehouse_url()
    if url.startswith("duckdb"):
        path = duckdb_path(url)
        if path is not None and not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"read_only": True} if read_only and path is not None else {}
        engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)

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
