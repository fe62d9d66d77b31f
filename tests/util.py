"""Helpers for tests: write export files in every flavour, import them, read tables back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
from sqlalchemy import select, text

from loaders.pipeline import import_file
from warehouse.model import schema


def write_export(
    path: Path,
    rows: list[dict],
    *,
    encoding: str = "utf-8",
    sep: str = ";",
    title_rows: int = 0,
    headers: dict[str, str] | None = None,
) -> Path:
    """Write ``rows`` as csv/txt (quoted as Excel does) or xlsx, after optional title rows.

    ``headers`` renames canonical headers to the variant under test.
    """
    frame = pd.DataFrame(rows, dtype="object").fillna("")
    if headers:
        frame = frame.rename(columns=headers)
    if path.suffix == ".xlsx":
        with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
            frame.to_excel(writer, index=False, startrow=title_rows, sheet_name="Feuil1")
            for i in range(title_rows):
                writer.sheets["Feuil1"].write(i, 0, f"Titre {i + 1}" if i == 0 else None)
        return path
    buffer = io.StringIO()
    for i in range(title_rows):
        buffer.write(f"Extraction du 05/03/2025 - ligne de titre {i + 1}\r\n" if i == 0 else "\r\n")
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(frame.columns)
    writer.writerows(frame.to_numpy().tolist())
    data = buffer.getvalue()
    if encoding == "utf-8-sig":
        path.write_bytes(b"\xef\xbb\xbf" + data.encode("utf-8"))
    else:
        path.write_bytes(data.encode(encoding))
    return path


def load(engine, tmp_path: Path, source: str, rows: list[dict], name: str | None = None, **kw):
    """Write and import one file; returns its report."""
    path = write_export(tmp_path / (name or f"{source}.csv"), rows, **kw)
    return import_file(engine, path)


def load_files(engine, folder: Path, files) -> object:
    """Import each ``(source, rows)`` of a hand-made dataset; every row must load."""
    for source, rows in files:
        report = import_file(engine, write_export(folder / f"{source}.csv", rows))
        assert report.status == "loaded" and report.rows_quarantined == 0, report
    return engine


def table_rows(engine, table) -> list[tuple]:
    """Every row of ``table`` in primary-key order."""
    with engine.connect() as conn:
        order = list(table.primary_key.columns) or list(table.c)
        return [tuple(r) for r in conn.execute(select(table).order_by(*order))]


def column_values(engine, table, column: str) -> list:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(select(table.c[column]).order_by(table.c[column]))]


def snapshot(engine) -> dict[str, list[tuple]]:
    return {t.name: table_rows(engine, t) for t in schema.metadata.sorted_tables}


def read_frame(engine, table) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(select(table)).mappings().all())


def engine_url(engine) -> str:
    """The URL another process (or a command) opens for this test's warehouse, with the
    test's own schema on PostgreSQL."""
    if engine.dialect.name == "duckdb":
        return engine.url.render_as_string(hide_password=False)
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    return f"{engine.url.render_as_string(hide_password=False)}?options=-csearch_path%3D{schema}"


def hold_duckdb(path):
    """Another process holding the DuckDB file at ``path`` (as an import does), until
    :func:`release`: it says « held » once it has the file, then waits for its stdin to
    close, however long the test takes on a busy machine (a fixed sleep let go too early)."""
    import subprocess
    import sys

    script = (
        "import duckdb, sys\n"
        f"c = duckdb.connect({str(path)!r})\n"
        "print('held', flush=True)\n"
        "sys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    return holder


def release(holder) -> None:
    """Let the holder of :func:`hold_duckdb` go, and wait for it to end."""
    holder.stdin.close()
    try:
        holder.wait(timeout=30)
    except Exception:  # noqa: BLE001
        holder.kill()
        holder.wait()
