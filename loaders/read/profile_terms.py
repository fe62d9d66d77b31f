"""What a profile file and the SQL that runs it share: the names of the output columns that
are not ours, the error a wrong profile raises, and the check that its ``select`` is one
``SELECT``. Both :mod:`loaders.read.profile` (reading the file) and
:mod:`loaders.read.profile_sql` (running it) import this module, never each other's
internals the other way round."""

from __future__ import annotations

LINE_OUT = "_line"  # the output column carrying the physical line
RECORDS_OUT = "_records"  # how many export records an output row stands for (default 1)


class ProfileError(ValueError):
    """A profile file is wrong: the message says where, in French."""


def check_select(sql: str, where: str) -> None:
    """One ``SELECT`` statement (``WITH ... SELECT`` included), nothing else."""
    import duckdb

    try:
        statements = duckdb.connect(":memory:").extract_statements(sql)
    except duckdb.Error as exc:
        raise ProfileError(f"{where} : SQL illisible : {first_line(exc)}") from exc
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        raise ProfileError(f"{where} : [sql] select doit être une seule requête SELECT")


def first_line(exc: Exception) -> str:
    """The first line of an error's message (DuckDB's carry the query after it)."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
