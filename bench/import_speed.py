"""Import speed of one call-centre file, end to end, against DuckDB's own read_csv.

    python bench/import_speed.py [--dwellings 140000] [--runs 3] [--out bench/results-import.md]

Writes demo exports (one year, ~1 million calls for 140,000 dwellings), loads the reference
files, then for each run imports the call file into a fresh warehouse (reading, typing,
validation, pseudonymisation, loading) and, in the same run, reads the same file with
DuckDB's ``read_csv`` into a table. Reports medians and their ratio.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402

from loaders.demo import build_demo  # noqa: E402
from loaders.pipeline import import_file  # noqa: E402
from warehouse.engine import make_engine  # noqa: E402
from warehouse.setup import init_warehouse  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dwellings", type=int, default=140_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--exports", type=Path, help="reuse demo exports in this folder")
    parser.add_argument("--out", type=Path, default=Path("bench/results-import.md"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_import_"))
    exports = args.exports or work / "exports"
    if not args.exports:
        build_demo(exports, args.dwellings, years=1, seed=1)
    calls = sorted(exports.glob("appels_*.csv"))[0]
    with open(calls, "rb") as f:
        rows = sum(1 for _ in f) - 1

    ours, raw = [], []
    for run in range(args.runs):
        engine = make_engine(f"duckdb:///{work / f'run{run}.duckdb'}")
        init_warehouse(engine)
        for ref in ("agences.csv", "logements.csv"):
            import_file(engine, exports / ref)
        start = time.perf_counter()
        report = import_file(engine, calls)
        ours.append(time.perf_counter() - start)
        assert report.status == "loaded" and report.accounted, report
        engine.dispose()

        con = duckdb.connect(str(work / f"raw{run}.duckdb"))
        start = time.perf_counter()
        con.execute(
            "CREATE TABLE raw AS SELECT * FROM read_csv(?, delim=';', header=true, "
            "all_varchar=true, encoding='latin-1')",
            [str(calls)],
        )
        raw.append(time.perf_counter() - start)
        con.close()

    ours_s, raw_s = statistics.median(ours), statistics.median(raw)
    lines = [
        "# Import speed: one call file, end to end",
        "",
        f"- date: {datetime.now():%Y-%m-%d %H:%M}; machine: {platform.machine()}, "
        f"{platform.processor() or '?'}, Python {platform.python_version()}, DuckDB {duckdb.__version__}",
        f"- file: `{calls.name}`, {rows:,} rows, {calls.stat().st_size / 1e6:.0f} MB (cp1252, `;`, French dates)",
        f"- runs: {args.runs} (median reported)",
        "",
        "| path | median s | rows/s | runs (s) |",
        "|---|---|---|---|",
        f"| `import_file` (read, type, validate, pseudonymise, load) | {ours_s:.2f} | "
        f"{rows / ours_s:,.0f} | {', '.join(f'{t:.2f}' for t in ours)} |",
        f"| DuckDB `read_csv` into a table (all varchar) | {raw_s:.2f} | {rows / raw_s:,.0f} | "
        f"{', '.join(f'{t:.2f}' for t in raw)} |",
        "",
        f"Ratio ours / read_csv: {ours_s / raw_s:.1f}x.",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
