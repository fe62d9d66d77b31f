"""What the schema creates on each dialect."""

from __future__ import annotations

from sqlalchemy import inspect, text


def _keys_and_indexes(engine, table: str) -> tuple[list[str], list[str]]:
    """(primary key columns, secondary index names) of ``table`` as the server has them."""
    with engine.connect() as conn:
        if engine.dialect.name == "duckdb":
            pk = conn.execute(
                text(
                    "SELECT constraint_column_names FROM duckdb_constraints() "
                    "WHERE table_name = :t AND constraint_type = 'PRIMARY KEY'"
                ),
                {"t": table},
            ).scalar()
            indexes = conn.execute(
                text("SELECT index_name FROM duckdb_indexes() WHERE table_name = :t"), {"t": table}
            ).scalars()
            return list(pk or []), sorted(indexes)
        inspector = inspect(conn)
        pk = inspector.get_pk_constraint(table)["constrained_columns"]
        return pk, sorted(i["name"] for i in inspector.get_indexes(table))


def test_large_facts_carry_their_keys_and_indexes_on_the_server_only(engine):
    """DuckDB scans date ranges by its zonemaps and would only pay the ART indexes at
    load; PostgreSQL gets the primary keys and the date indexes."""
    server = engine.dialect.name == "postgresql"
    expected = {
        "fact_call": (["call_id"], ["ix_fact_call_date_key", "ix_fact_call_request_calls"]),
        "fact_contact": (["contact_id"], ["ix_fact_contact_date_key"]),
        "fact_request": (["request_id"], ["ix_fact_request_created_date_key"]),
        "agg_call_kept": ([], ["ix_agg_call_kept_date_key"]),
    }
    for table, (pk, indexes) in expected.items():
        got_pk, got_indexes = _keys_and_indexes(engine, table)
        assert got_indexes == (indexes if server else []), table
        # fact_request is upserted (a later export corrects a request): its key stays.
        keeps_key = server or table == "fact_request"
        assert got_pk == (pk if keeps_key else []), table
