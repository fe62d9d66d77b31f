"""What the database holds against what this version's schema declares, read-only.

The readers (dashboard, KPI command, monthly report) never change a warehouse: they check
it with :func:`check_current` and, when a later version added tables or columns, say which
command brings it up to date. The write side (:mod:`warehouse.load.setup`) upgrades from
the same comparison.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, column, func, select, table

from warehouse.engine import WarehouseMissing, duckdb_path, make_engine, warehouse_url
from warehouse.model.schema import metadata, warehouse_setting

# The standard catalogue view, the same on DuckDB and PostgreSQL.
COLUMNS = table(
    "columns",
    column("table_schema"),
    column("table_name"),
    column("column_name"),
    column("character_maximum_length"),
    schema="information_schema",
)
UPGRADE_COMMAND = "python -m warehouse init"


class SchemaOutdated(RuntimeError):
    """The warehouse was built by an earlier version; the message says what to run."""


def present(conn: Connection) -> dict[str, set[str]]:
    """The warehouse's tables and their columns, as the database has them."""
    found: dict[str, set[str]] = {}
    query = select(COLUMNS.c.table_name, COLUMNS.c.column_name).where(
        COLUMNS.c.table_schema == func.current_schema()
    )
    for name, col in conn.execute(query):
        found.setdefault(name, set()).add(col)
    return found


def missing_columns(found: dict[str, set[str]]) -> list:
    """Columns a later version added to tables that already exist: (table, column)."""
    return [
        (t, c)
        for t in metadata.sorted_tables
        if t.name in found
        for c in t.columns
        if c.name not in found[t.name]
    ]


def narrow_columns(conn: Connection) -> list:
    """Text columns a later version widened (``load_history.source`` for the survey
    sources' longer names): (table, column) whose stored length is shorter. PostgreSQL
    only: DuckDB does not enforce a VARCHAR's length."""
    if conn.dialect.name != "postgresql":
        return []
    query = select(
        COLUMNS.c.table_name, COLUMNS.c.column_name, COLUMNS.c.character_maximum_length
    ).where(
        COLUMNS.c.table_schema == func.current_schema(),
        COLUMNS.c.character_maximum_length.is_not(None),
    )
    stored = {(t, c): n for t, c, n in conn.execute(query)}
    return [
        (t, c)
        for t in metadata.sorted_tables
        for c in t.columns
        if getattr(c.type, "length", None)
        and stored.get((t.name, c.name), c.type.length) < c.type.length
    ]


def gaps(conn: Connection) -> list[str]:
    """What this version needs and the warehouse lacks, one line each (empty: up to
    date, or nothing created yet)."""
    found = present(conn)
    if not found:
        return []
    out = [f"table {name} absente" for name in metadata.tables if name not in found]
    out += [f"colonne {t.name}.{c.name} absente" for t, c in missing_columns(found)]
    out += [f"colonne {t.name}.{c.name} trop étroite" for t, c in narrow_columns(conn)]
    return out


def check_current(engine: Engine) -> None:
    """Raise :class:`SchemaOutdated` when the warehouse needs an upgrade; read-only."""
    with engine.connect() as conn:
        lacking = gaps(conn)
    if lacking:
        shown = " ; ".join(lacking[:3]) + (" ; …" if len(lacking) > 3 else "")
        raise SchemaOutdated(
            "l'entrepôt a été créé par une version antérieure de Pilotage GRL "
            f"({shown}) : lancez « {UPGRADE_COMMAND} » (ou un import) pour le mettre à jour"
        )


def open_reader(url: str | None = None) -> Engine:
    """A read-only engine over an existing warehouse of this version; otherwise a French
    error saying what to do (:class:`WarehouseMissing`, :class:`SchemaOutdated`): the
    readers (KPI command, report, alerts) never create nor upgrade a warehouse."""
    url = url or warehouse_url()
    path = duckdb_path(url)
    if path is not None and not path.exists():
        raise WarehouseMissing(path)
    engine = make_engine(url, read_only=True)
    check_current(engine)
    return engine


# The warehouse_setting a demo build writes (``python -m loaders demo``, a first local
# start): every page, export, report and KPI command output then says « Données de
# démonstration », and a real import into it is refused (loaders/pipeline.py).
DEMO_SETTING = "donnees_demonstration"
DEMO_MARK = "Données de démonstration"


def is_demo(engine_or_conn: Engine | Connection) -> bool:
    """Whether the warehouse holds the demo's invented data (its setting is written)."""
    query = select(func.count()).where(warehouse_setting.c.setting_name == DEMO_SETTING)
    if isinstance(engine_or_conn, Engine):
        with engine_or_conn.connect() as conn:
            return bool(conn.execute(query).scalar_one())
    return bool(engine_or_conn.execute(query).scalar_one())
