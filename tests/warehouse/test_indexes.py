"""PostgreSQL's indexes, a later version's included: ``init`` adds to an older warehouse the
index it lacks; DuckDB gets none of them (``server_only``: its zonemaps serve)."""

from __future__ import annotations

from sqlalchemy import inspect, text

from warehouse.load.setup import init_warehouse

INDEX = "ix_fact_call_request_calls"  # the calls naming a request (chases, follow-ups)


def _indexes(engine) -> set[str]:
    if engine.dialect.name == "postgresql":
        return {ix["name"] for ix in inspect(engine).get_indexes("fact_call")}
    with engine.connect() as conn:  # duckdb-engine reflects no index: DuckDB's own list
        query = "SELECT index_name FROM duckdb_indexes() WHERE table_name = 'fact_call'"
        return set(conn.execute(text(query)).scalars())


def test_the_calls_naming_a_request_are_indexed_on_postgresql_and_added_by_init(engine):
    if engine.dialect.name != "postgresql":
        assert INDEX not in _indexes(engine)
        return
    assert INDEX in _indexes(engine)
    with engine.begin() as conn:  # a warehouse built before this index
        conn.execute(text(f"DROP INDEX {INDEX}"))
    assert INDEX not in _indexes(engine)
    init_warehouse(engine)
    assert INDEX in _indexes(engine)
    with engine.connect() as conn:  # partial: only the calls that name a request
        definition = conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"), {"name": INDEX}
        ).scalar_one()
    assert "WHERE (request_id IS NOT NULL)" in definition and "INCLUDE" in definition
