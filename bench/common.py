"""What the benchmarks share: running a probe in a process of its own, the options every
benchmark takes, verdicts against targets, the machine's description, and the reference
every import is measured against (DuckDB's own ``read_csv`` of the same file)."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_DATABASE = "pilotage_bench"  # the benchmarks' own: they never write into another
PG_URL = f"{PG_SERVER}/{PG_DATABASE}"


def pg_database() -> str:
    """The URL of the benchmarks' own database on the local server, created at first use
    (it keeps the 1m warehouse between runs; ``DROP DATABASE pilotage_bench`` frees it)."""
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        known = text("SELECT 1 FROM pg_database WHERE datname = :name")
        if not conn.execute(known, {"name": PG_DATABASE}).scalar():
            conn.execute(text(f"CREATE DATABASE {PG_DATABASE}"))  # a constant name
    admin.dispose()
    return PG_URL


def run(command: list[str], cwd: Path = ROOT, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, check=True, text=True, **kwargs)


def probe(*args: str, code: Path = ROOT) -> dict:
    """One ``bench/probe.py`` measurement, of this checkout's code or of ``code``'s (another
    checkout: the reference a change is timed against)."""
    out = run([sys.executable, "bench/probe.py", *args], cwd=code, capture_output=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def med(values: list[float]) -> float:
    return statistics.median(values)


def mark(value: float, target: float, higher_is_better: bool = False) -> str:
    ok = value >= target if higher_is_better else value <= target
    if ok:
        return "met"
    factor = target / value if higher_is_better else value / target
    return f"**missed ({factor:.1f}x)**"


def arguments(results: str) -> argparse.Namespace:
    """The options every benchmark takes: its work folder, runs, results file."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=Path("/tmp/pbench"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / results)
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the Markdown from the saved JSON"
    )
    parser.add_argument(
        "--reference",
        type=Path,
        help="another checkout (the previous commit, in a git worktree) to time the same "
        "way; added to the saved results",
    )
    return parser.parse_args()


def _runs(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def _memory_gb() -> float:
    with open("/proc/meminfo") as f:
        return int(f.readline().split()[1]) / 1024 / 1024


def _pg_version() -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_database())
    with engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar_one()
    engine.dispose()
    return version.split()[0]


def read_csv_seconds(work: Path, run: int, calls: Path) -> float:
    """DuckDB's own ``read_csv`` of the file into a table, every column as text: the
    ceiling our import is measured against."""
    import duckdb

    raw_path = work / "import" / f"raw{run}.duckdb"
    raw_path.unlink(missing_ok=True)
    con = duckdb.connect(str(raw_path))
    start = time.perf_counter()
    con.execute(
        "CREATE TABLE raw AS SELECT * FROM read_csv(?, delim=';', header=true, "
        "all_varchar=true, encoding='latin-1')",
        [str(calls)],
    )
    seconds = time.perf_counter() - start
    con.close()
    return seconds
