"""Staged rows wait for the merge on disk on DuckDB (``warehouse/load/spool.py``), in a
temporary table on PostgreSQL: the same rows arrive either way, and nothing of a load's
staging outlives it, whether the load succeeds or fails."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from loaders.pipeline import import_file
from loaders.sources import calls
from tests.loaders.samples import SAMPLES
from tests.util import read_frame, write_export
from warehouse.engine import make_engine
from warehouse.load.setup import init_warehouse
from warehouse.load.spool import Staging
from warehouse.load.staging import stg_call
from warehouse.model import schema

GOOD = SAMPLES["appels"][0]


def _calls(n: int) -> list[dict]:
    rows = [{**GOOD, "id_appel": f"A{i}"} for i in range(n)]
    rows[3]["attente_s"] = "abc"  # quarantined
    rows[5]["ref_logement"] = ""  # a column empty on some rows only
    return rows


def _leftovers(tmp_path) -> list:
    return sorted(p.name for p in tmp_path.glob(".staging-*"))


def test_calls_staged_in_many_chunks_all_arrive_and_leave_nothing(engine, tmp_path):
    path = write_export(tmp_path / "appels.csv", _calls(9))
    report = import_file(engine, path, chunk_size=2)  # five chunks
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (9, 8, 1)
    calls = read_frame(engine, schema.fact_call)
    assert sorted(calls["call_id"]) == [f"A{i}" for i in range(9) if i != 3]
    assert _leftovers(tmp_path) == []


def test_a_failed_merge_loads_nothing_and_leaves_no_staged_file(engine, tmp_path, monkeypatch):
    def broken_merge(*args, **kwargs):
        raise RuntimeError("panne simulée pendant la fusion")

    monkeypatch.setattr(calls, "merge_calls", broken_merge)
    report = import_file(engine, write_export(tmp_path / "appels.csv", _calls(6)), chunk_size=2)
    assert report.status == "failed"
    assert "panne simulée" in report.message
    assert read_frame(engine, schema.fact_call).empty
    assert _leftovers(tmp_path) == []


def test_staged_files_are_read_back_with_the_staging_tables_columns_and_types(tmp_path):
    """Two chunks: a column null throughout the first and filled in the second keeps its
    type; a column no chunk has is there, empty."""
    engine = make_engine(f"duckdb:///{tmp_path / 'w.duckdb'}")
    init_warehouse(engine)
    first = pd.DataFrame(
        {
            "line_number": [2, 3],
            "call_id": ["A1", "A2"],
            "call_at": pd.to_datetime(["2025-03-03 08:30:00", "2025-03-03 17:29:59"]),
            "date_key": [20250303, 20250303],
            "time_key": [830, 1729],
            "wait_seconds": [90, None],
            "is_inbound": [True, False],
        }
    )
    second = first.assign(line_number=[4, 5], call_id=["A3", "A4"], wait_seconds=[5, 91])
    with engine.begin() as conn:
        staging = Staging(conn, "appels")
        assert staging.folder is not None and staging.folder.parent == tmp_path
        staging.add(conn, first)
        staging.add(conn, second)
        assert len(list(staging.folder.glob("*.parquet"))) == 2
        staging.ready(conn)
        types = dict(
            conn.exec_driver_sql(
                "SELECT column_name, data_type FROM "
                "information_schema.columns WHERE table_name = "
                "'stg_call' ORDER BY ordinal_position"
            ).fetchall()
        )
        rows = conn.execute(
            select(stg_call.c.call_id, stg_call.c.wait_seconds, stg_call.c.request_id).order_by(
                stg_call.c.line_number
            )
        ).fetchall()
        staging.drop(conn)
    assert list(types) == [c.name for c in stg_call.c]
    assert (types["wait_seconds"], types["time_key"], types["call_at"]) == (
        "INTEGER",
        "SMALLINT",
        "TIMESTAMP",
    )
    assert (types["is_inbound"], types["request_id"]) == ("BOOLEAN", "VARCHAR")
    assert rows == [("A1", 90, None), ("A2", None, None), ("A3", 5, None), ("A4", 91, None)]
    assert _leftovers(tmp_path) == []
    engine.dispose()


@pytest.mark.parametrize("url", ["duckdb:///:memory:"])
def test_an_in_memory_warehouse_stages_in_a_table(url):
    engine = make_engine(url, pooled=True)
    init_warehouse(engine)
    with engine.begin() as conn:
        staging = Staging(conn, "appels")
        assert staging.folder is None
        staging.drop(conn)
    engine.dispose()
