"""Intake benchmark: one ~1-million-row call export imported end to end (issue 11).

    python bench/intake.py [--work /tmp/pbench] [--runs 3] [--out bench/results-intake.md]

The call file is the demo generator's one-year export for 140,000 dwellings (cp1252, ``;``,
French dates), written once into ``WORK/import/exports``. Each run imports it into a fresh
warehouse whose agencies and dwellings are already loaded, in a process of its own
(``bench/probe.py``, peak memory from ``VmHWM``): into DuckDB, and into PostgreSQL (its own
schema, bulk ``COPY``); beside it, DuckDB's own ``read_csv`` of the same file into a table
(every column as text), timed in the same run. Medians of ``--runs`` runs, after one
DuckDB import not counted (it warms the machine's memory and the file's pages).
"""

from __future__ import annotations

import json
import platform
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    PG_URL,
    _cpus,
    _memory_gb,
    _runs,
    arguments,
    mark,
    med,
    pg_database,
    probe,
    read_csv_seconds,
)

TARGET_ROWS_S, TARGET_RATIO, TARGET_PEAK_MB = 200_000, 5, 1536
WHY = (
    "A regular text export is read by Arrow's CSV reader, each row "
    "keeping its physical line and its raw line as a view of the file (anything irregular "
    "goes to the strict line reader, which gives the same rows: tests/loaders/"
    "test_regular.py); a cp1252 file is parsed as bytes, an ASCII column being a view of "
    "its bytes and any other decoded once per distinct value; the next 200,000-row chunk "
    "is typed and checked by the suite in a thread while this one is shaped and staged; "
    "each distinct caller number is hashed once, by DuckDB's SHA-256 over Arrow (RFC "
    "2104's construction); the calls are merged once per file, each new one getting its "
    "previous offered call as it is inserted. "
    "Built since the last run: the cp1252 parse as bytes (typing of the first chunk now "
    "starts 2.3 s into the import, against 2.6 to 2.7 s when the file was transcoded "
    "whole); the suite's text codes as Arrow strings (pandas found the nulls of object "
    "columns value by value, 40 % of the suite's time on a chunk); one lookup of the known "
    "caller numbers per chunk instead of two; a run not counted before the measured ones "
    "(this VM's first touch of memory it has never used costs about 3 ms per MB: a fresh "
    "process allocating 500 MB took 1.6 s, then 0.1 s; that landed on the first run). "
    "Where the time goes (stage timers, one import, processor time of each stage): "
    "opening and reading 2.3 s before the first chunk; then, in two threads, typing 1.8 s and the "
    "suite 1.75 s beside shaping 3.3 s (caller pseudonyms 1.65 s, masking phone numbers "
    "typed in the request numbers 1.06 s) and the staging copy 0.9 s; then the merge 2.0 s "
    "(the previous-call window 1.3 s of it; DuckDB writing the rows alone, from a "
    "temporary table, takes 0.8 to 1.0 s), the aggregates 0.25 s and the previous-call "
    "upkeep 0.2 s. "
    "Why 200,000 rows/s stays out of reach on these machines: it asks for 1.5x to 2x "
    "DuckDB's own read_csv, whose time for this same file has ranged from 1.63 s to "
    "3.64 s from one day to the next, while the import's processor time (the row above) "
    "bounds its wall time at half of it on 2 cores. Measured and not taken: the suite once "
    "per file (a million rows in 1.1 to 1.3 s against 1.3 to 1.65 s in five chunks: 0.3 s "
    "saved, and the quarantine would wait for the whole file); fact_call written "
    "uncompressed (0.4 s instead of 0.8 to 1.0 s, for a larger warehouse file that every "
    "dashboard query reads); the previous-call window over a narrow pool joined back to "
    "the new calls (0.1 s saved on DuckDB, with the join PostgreSQL once mis-planned)."
)
SCHEMA = "bench_intake"


def _exports(work: Path) -> Path:
    from loaders.demo import build_demo

    exports = work / "import" / "exports"
    if not exports.exists():
        build_demo(exports, 140_000, years=1, seed=1)
    return exports


def _fresh_duckdb(work: Path, run: int, exports: Path) -> str:
    target = work / "import" / f"run{run}.duckdb"
    target.unlink(missing_ok=True)
    url = f"duckdb:///{target}"
    _references(url, exports)
    return url


def _fresh_postgres(exports: Path) -> str:
    from sqlalchemy import create_engine, text

    admin = create_engine(pg_database())
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    admin.dispose()
    url = f"{PG_URL}?options=-csearch_path%3D{SCHEMA}"
    _references(url, exports)
    return url


def _references(url: str, exports: Path) -> None:
    from loaders.pipeline import import_file
    from warehouse.engine import make_engine
    from warehouse.load.setup import init_warehouse

    engine = make_engine(url)
    init_warehouse(engine)
    for ref in ("agences.csv", "logements.csv"):
        import_file(engine, exports / ref)
    engine.dispose()


def measure(work: Path, runs: int) -> dict:
    exports = _exports(work)
    calls = sorted(exports.glob("appels_*.csv"))[0]
    # A run not counted first: on these virtual machines the first touch of memory the
    # guest has never used costs about 3 ms per MB (a fresh process allocating 500 MB
    # took 1.6 s, then 0.1 s), which would land on whichever run comes first.
    probe("import", _fresh_duckdb(work, 0, exports), str(calls))
    out = {"file": calls.name, "mb": calls.stat().st_size / 1e6, "runs": runs}
    out |= {"duckdb": [], "duckdb_peak_mb": [], "read_csv": [], "postgres": [], "pg_peak_mb": []}
    out |= {"startup": [], "cpu": []}
    for i in range(runs):
        result = probe("import", _fresh_duckdb(work, i, exports), str(calls))
        out["rows"] = result["rows"]
        out["duckdb"].append(result["seconds"])
        out["startup"].append(result["startup"])
        out["cpu"].append(result["cpu"])
        out["duckdb_peak_mb"].append(result["peak_mb"])
        out["read_csv"].append(read_csv_seconds(work, i, calls))
        result = probe("import", _fresh_postgres(exports), str(calls))
        out["postgres"].append(result["seconds"])
        out["pg_peak_mb"].append(result["peak_mb"])
    return out


def report(m: dict, started: datetime, ended: datetime) -> list[str]:
    import duckdb

    ours, raw, pg = med(m["duckdb"]), med(m["read_csv"]), med(m["postgres"])
    startup, cpu = med(m["startup"]), med(m.get("cpu") or [0.0])
    rate, pg_rate = m["rows"] / ours, m["rows"] / pg
    peak = max(m["duckdb_peak_mb"])
    return [
        "# Intake benchmark: results",
        "",
        f"- run: {started:%Y-%m-%d %H:%M} to {ended:%H:%M}, `python bench/intake.py "
        f"--runs {m['runs']}`; medians of {m['runs']} runs",
        f"- machine: {platform.machine()}, {_cpus()} cores, {_memory_gb():.0f} GB RAM, "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}",
        f"- file: `{m['file']}`, {m['rows']:,} rows, {m['mb']:.0f} MB (cp1252, `;`, French "
        "dates), into a fresh warehouse holding its agencies and dwellings",
        "",
        "| path | median s | rows/s | runs (s) | peak memory | target | verdict |",
        "|---|---|---|---|---|---|---|",
        f"| `import_file` into DuckDB: read, type, validate (GX), pseudonymise, merge, commit | "
        f"{ours:.2f} | {rate:,.0f} | {_runs(m['duckdb'])} | {peak:,.0f} MB | "
        f"≥ 200,000 rows/s, ≤ 1,536 MB | {mark(rate, TARGET_ROWS_S, True)}; memory "
        f"{mark(peak, TARGET_PEAK_MB)} |",
        f"| the same, first file of a fresh process: + loading the loaders and Great "
        f"Expectations ({startup:.2f} s, once per process) | {ours + startup:.2f} | "
        f"{m['rows'] / (ours + startup):,.0f} | | | | |",
        f"| processor time of that import, all threads (DuckDB's included) | "
        f"{cpu:.2f} | | {_runs(m['cpu'])} | | | at best {cpu / _cpus():.2f} s of wall time on "
        f"{_cpus()} cores |",
        f"| DuckDB `read_csv` into a table (all varchar) | {raw:.2f} | {m['rows'] / raw:,.0f} | "
        f"{_runs(m['read_csv'])} | | | |",
        f"| ratio ours / read_csv | {ours / raw:.1f}x | | | | ≤ 5x | "
        f"{mark(ours / raw, TARGET_RATIO)} |",
        f"| `import_file` into PostgreSQL (`COPY` into staging, then SQL) | {pg:.2f} | "
        f"{pg_rate:,.0f} | {_runs(m['postgres'])} | {max(m['pg_peak_mb']):,.0f} MB | | |",
        "",
        "Before: 29,100 rows/s, 15.1x `read_csv`, 1.6 GB peak (`bench/results-scale.md`); "
        "then 40,303 rows/s, 11.9x, 1,483 MB with the strict line reader alone (the same "
        "day, `read_csv` then took 2.1 s on this machine); then 123,100 rows/s, 4.8x, "
        "1,478 MB and PostgreSQL 31,900 rows/s on a faster day (`read_csv` 1.63 s). On the "
        "previous stop's machine, that code took 11.3 s (85,000 rows/s, 4.6x `read_csv` at "
        "2.45 s), and PostgreSQL 38.5 s with the first of that stop's changes (of which 16 s "
        "rewriting each call's previous call); that stop ended at 122,000 rows/s, 3.3x "
        "`read_csv` (2.36 s), 1,321 MB, PostgreSQL 35,300 rows/s. The same day as this run, "
        "that code and this one alternated four times each, a fresh process per import: "
        "this one took 8.66 to 12.54 s (median 9.9 s, processor time from 12.6 s), that one "
        "9.17 to 13.48 s (median 10.4 s, from 13.4 s); with stage timers in one process, "
        "10.4 and 11.4 s against 12.5 s twice.",
        "",
        f"How it works, where the time goes, why the rate is missed: {WHY}",
        "",
    ]


def main() -> None:
    args = arguments("results-intake.md")
    if args.report_only:
        measured = json.loads(args.out.with_suffix(".json").read_text(encoding="utf-8"))
        started = datetime.fromisoformat(measured["started"])
        ended = datetime.fromisoformat(measured["ended"])
        args.out.write_text("\n".join(report(measured, started, ended)) + "\n", encoding="utf-8")
        return
    started = datetime.now()
    measured = measure(args.work, args.runs)
    ended = datetime.now()
    measured |= {"started": started.isoformat(), "ended": ended.isoformat()}
    args.out.with_suffix(".json").write_text(json.dumps(measured, indent=1), encoding="utf-8")
    lines = report(measured, started, ended)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
