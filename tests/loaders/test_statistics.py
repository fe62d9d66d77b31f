"""PostgreSQL's planner statistics are refreshed after each load: without them, a planner
that believes a fact table empty picks nested loops (one agency's follow-ups took 1.9 s
instead of 0.1 s at a million calls)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from loaders.pipeline import import_file
from tests.conftest import postgres_engine
from tests.util import write_export
from tests.warehouse.kpi_dataset import FILES
from warehouse.load.setup import init_warehouse


@pytest.mark.postgres
def test_a_load_refreshes_the_statistics_of_the_tables_it_wrote(tmp_path):
    engine, drop = postgres_engine()
    try:
        init_warehouse(engine)
        analysed = text(
            "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema() "
            "AND last_analyze IS NOT NULL"
        )
        with engine.connect() as conn:
            assert set(conn.execute(analysed).scalars()) == set()
        rows = dict(FILES)
        for source in ("agences", "logements", "appels"):
            import_file(engine, write_export(tmp_path / f"{source}.csv", rows[source]))
        with engine.connect() as conn:
            done = set(conn.execute(analysed).scalars())
        assert {"fact_call", "agg_call_kept", "dim_dwelling", "dim_agency"} <= done
        assert "fact_request" not in done  # no request file loaded
    finally:
        drop()
