"""Where one load's staged rows wait for its merge: a table, or Parquet files on disk.

PostgreSQL: a TEMPORARY table filled by ``COPY``; the server keeps it on its disk. DuckDB
keeps the rows a transaction writes in memory until it commits, whatever its memory
limit (issue 28: about 60 MB more for every 200,000 staged calls, 1.8 GB for a file of
2.2 million), so there each staged chunk is written to a Parquet file in a folder beside
the warehouse, and the merge reads them through a temporary view with the staging
table's name and columns: the import's memory no longer grows with the file's length.
A source whose whole-file check deletes staged rows (costs), and an in-memory warehouse,
keep the table.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Connection, Date, DateTime, Double, Integer, SmallInteger, Table

from warehouse.engine import engine_file
from warehouse.load.bulk import copy_frame
from warehouse.load.staging import STAGING_TABLES

if TYPE_CHECKING:
    import pandas as pd


class Staging:
    """The staging of one load of ``source``: :meth:`add` chunks, :meth:`ready` before the
    merge reads ``table``, :meth:`drop` at the end (also after a failure)."""

    def __init__(self, conn: Connection, source: str, deletes_rows: bool = False):
        self.table: Table = STAGING_TABLES[source]
        self.folder: Path | None = None
        self.files: list[Path] = []
        warehouse = engine_file(conn.engine)
        if warehouse is not None and not deletes_rows:
            where = warehouse.resolve().parent
            self.folder = Path(tempfile.mkdtemp(prefix=".staging-", dir=where))
        else:
            self.table.create(conn)

    def add(self, conn: Connection, frame: pd.DataFrame) -> None:
        if self.folder is None:
            copy_frame(conn, self.table, frame)
        elif not frame.empty:
            import pyarrow.parquet as pq

            target = self.folder / f"{len(self.files):06d}.parquet"
            pq.write_table(_arrow(frame, self.table), target, compression="none")
            self.files.append(target)

    def ready(self, conn: Connection) -> None:
        """The staged rows under the staging table's name, as its columns and types."""
        if self.folder is None:
            return
        if not self.files:
            self.table.create(conn)
            return
        prep = conn.dialect.identifier_preparer
        files = ", ".join("'" + str(f).replace("'", "''") + "'" for f in self.files)
        columns = ", ".join(prep.quote(c.name) for c in self.table.c)
        # File names are ours (a fresh temporary folder), never user input.
        conn.exec_driver_sql(
            f"CREATE TEMPORARY VIEW {prep.format_table(self.table)} AS "  # noqa: S608
            f"SELECT {columns} FROM read_parquet([{files}])"
        )

    def drop(self, conn: Connection) -> None:
        if self.folder is not None and self.files:
            conn.exec_driver_sql(f"DROP VIEW {self.table.name}")
        else:
            self.table.drop(conn)
        self.discard()

    def discard(self) -> None:
        """Remove the Parquet files (the transaction may have failed)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _arrow(frame: pd.DataFrame, table: Table):
    """The frame as an Arrow table of the staging table's columns and types: every file
    of a load has one schema, and a column empty in one chunk keeps its type."""
    import pyarrow as pa

    names = [c.name for c in table.c if c.name in frame.columns]
    data = pa.Table.from_pandas(frame[names], preserve_index=False)
    columns = [
        data.column(c.name).cast(_arrow_type(c.type))
        if c.name in names
        else pa.nulls(len(frame), _arrow_type(c.type))  # as an INSERT leaves it: NULL
        for c in table.c
    ]
    return pa.table(columns, names=[c.name for c in table.c])


def _arrow_type(sql_type):
    import pyarrow as pa

    for kind, arrow in (
        (SmallInteger, pa.int16()),
        (Integer, pa.int32()),
        (Double, pa.float64()),
        (Boolean, pa.bool_()),
        (DateTime, pa.timestamp("us")),
        (Date, pa.date32()),
    ):
        if isinstance(sql_type, kind):
            return arrow
    return pa.large_string()
