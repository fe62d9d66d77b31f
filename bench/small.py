"""Small files through the Importer (issue 28): the time from the click on « Importer » to
the report, and the cost of a long field.

    python bench/small.py [--work /tmp/pbench] [--runs 5] [--out bench/results-small.md]

A small warehouse (the agencies and dwellings of a 500-dwelling demo) is built once in
``WORK/small``. Each run
imports a new 100-row slice of its call export (new calls: an already imported file would
be skipped by its fingerprint) the way the Importer does (``pages.jobs.run_import``: a
warm spare ``python -m loaders worker``, timed once it is ready, as it is while a user
reads the preview), and beside it the same kind of slice through a fresh
``python -m loaders import --json`` process, the reference of the same run. Then a 3-row
call file with a 1 MB motif, through the warm spare, and the header detection alone
(``open_export``) of that file in a process that has loaded the profiles.
"""

from __future__ import annotations

import json
import os
import platform
import select
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import _cpus, _memory_gb, _runs, arguments, med, run  # noqa: E402

TARGET_SMALL_S, TARGET_LONG_S = 2.0, 1.0
WARM_UP_MAX_S = 120


def _warehouse(work: Path) -> tuple[str, Path]:
    folder = work / "small"
    url = f"duckdb:///{folder / 'warehouse.duckdb'}"
    calls = folder / "exports"
    if not (folder / "warehouse.duckdb").exists():
        folder.mkdir(parents=True, exist_ok=True)
        run(  # the demo's files, imported as a landlord's: a demo warehouse takes no import
            [sys.executable, "-m", "loaders", "demo", "--no-import"]
            + ["--dwellings", "500", "--years", "1", "--seed", "7", "--out", str(calls)],
            capture_output=True,
        )
        references = [str(calls / "agences.csv"), str(calls / "logements.csv")]
        run([sys.executable, "-m", "loaders", "--url", url, "import", *references])
    return url, sorted(calls.glob("appels_*.csv"))[0]


def _slices(calls: Path, count: int, rows: int, stamp: bytes) -> list[bytes]:
    """``count`` files of ``rows`` calls each, the export's header first: calls of the
    export under new ids (``stamp`` tells runs apart), so that the warehouse takes each
    slice as new calls."""
    lines = calls.read_bytes().splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    out = []
    for i in range(count):
        chunk = body[i * rows : (i + 1) * rows]
        out.append(header + b"".join(b"B%s-%d-" % (stamp, i) + line for line in chunk))
    return out


def _import_warm(name: str, content: bytes) -> float:
    """The Importer's path once its spare is ready (it warms up while the user reads the
    preview): from the click to the last report line."""
    from pages import jobs, worker

    jobs.prepare()
    spare = worker._spare[0]
    ready, _, _ = select.select([spare.stdout], [], [], WARM_UP_MAX_S)  # its "ready" line
    assert ready, "the spare did not warm up"
    t = time.perf_counter()
    answers = list(jobs.run_import([(name, content)]))
    seconds = time.perf_counter() - t
    assert answers[-1]["exit_code"] == 0 and answers[0]["status"] == "loaded", answers
    return seconds


def _import_cold(url: str, folder: Path, name: str, content: bytes) -> float:
    path = folder / name
    path.write_bytes(content)
    t = time.perf_counter()
    run(
        [sys.executable, "-m", "loaders", "--url", url, "import", "--json", str(path)],
        capture_output=True,
    )
    return time.perf_counter() - t


def _long_field_file(calls: Path) -> bytes:
    header, first = calls.read_bytes().splitlines()[:2]
    fields = first.split(b";")
    columns = [c.strip().lower() for c in header.split(b";")]
    motif = columns.index(b"motif")
    rows = []
    for i in range(3):
        row = list(fields)
        row[0] = b"LONG-%d" % i
        row[motif] = b"x" * 1_000_000 if i == 0 else b"fuite"
        rows.append(b";".join(row))
    return b"\r\n".join([header, *rows]) + b"\r\n"


def _detection_seconds(path: Path) -> float:
    code = (
        "import time, sys; from pathlib import Path; from loaders.read.detect import open_export;"
        "from loaders.read.profile import all_profiles; all_profiles();"
        "t = time.perf_counter(); open_export(Path(sys.argv[1])); print(time.perf_counter() - t)"
    )
    out = run([sys.executable, "-c", code, str(path)], capture_output=True).stdout
    return float(out.strip().splitlines()[-1])


def measure(work: Path, runs: int) -> dict:
    url, calls = _warehouse(work)
    os.environ["WAREHOUSE_URL"] = url
    folder = work / "small" / "cold"
    folder.mkdir(exist_ok=True)
    stamp = str(int(time.time())).encode()
    slices = _slices(calls, 2 * runs + 1, 100, stamp)
    warm = [_import_warm(f"appels_w{i}.csv", slices[2 * i]) for i in range(runs)]
    cold = [_import_cold(url, folder, f"appels_c{i}.csv", slices[2 * i + 1]) for i in range(runs)]
    long_file = _long_field_file(calls)
    long_path = folder / "appels_long.csv"
    long_path.write_bytes(long_file)
    detection = [_detection_seconds(long_path) for _ in range(runs)]
    long_warm = []
    for i in range(runs):
        content = long_file.replace(b"LONG-", b"LONG%s-%d-" % (stamp, i))
        long_warm.append(_import_warm(f"appels_long{i}.csv", content))
    return {"warm": warm, "cold": cold, "detection": detection, "long_warm": long_warm}


def report(m: dict, started: datetime, ended: datetime, runs: int) -> list[str]:
    def verdict(value: float, target: float) -> str:
        return "met" if value <= target else f"**missed ({value / target:.1f}x)**"

    warm, cold = med(m["warm"]), med(m["cold"])
    long_warm, detection = med(m["long_warm"]), med(m["detection"])
    return [
        "# Small files through the Importer: results",
        "",
        f"- run: {started:%Y-%m-%d %H:%M} to {ended:%H:%M}, `python bench/small.py --runs "
        f"{runs}`; medians of {runs} runs",
        f"- machine: {platform.machine()}, {_cpus()} cores, {_memory_gb():.0f} GB RAM, Python "
        f"{platform.python_version()}; load average at the start: {m['load']}",
        "",
        "| path | median s | runs (s) | target | verdict |",
        "|---|---|---|---|---|",
        f"| 100-row call file, click to report (warm spare, as the Importer) | {warm:.2f} | "
        f"{_runs(m['warm'])} | ≤ {TARGET_SMALL_S:.0f} s | {verdict(warm, TARGET_SMALL_S)} |",
        f"| 100-row call file, a fresh `python -m loaders import` (reference) | {cold:.2f} | "
        f"{_runs(m['cold'])} | | |",
        f"| ratio warm / fresh process | {warm / cold:.2f}x | | | |",
        f"| 3-row call file with a 1 MB motif, click to report (warm spare) | {long_warm:.2f} "
        f"| {_runs(m['long_warm'])} | ≤ {TARGET_LONG_S:.0f} s | "
        f"{verdict(long_warm, TARGET_LONG_S)} |",
        f"| the same file's header detection alone (`open_export`) | {detection:.3f} | "
        f"{_runs(m['detection'])} | | |",
        "",
    ]


def main() -> None:
    args = arguments("results-small.md")
    started = datetime.now()
    load = os.getloadavg()
    m = measure(args.work, args.runs)
    m["load"] = ", ".join(f"{x:.2f}" for x in load)
    lines = report(m, started, datetime.now(), args.runs)
    args.out.with_suffix(".json").write_text(json.dumps(m, indent=1), encoding="utf-8")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
