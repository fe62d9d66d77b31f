"""The demo's first start (issue 28): from a fresh ``streamlit run app.py`` with no
warehouse to the first KPI tile in Chromium.

    python bench/first_start.py [--work /tmp/pbench] [--runs 2] [--out bench/results-first-start.md]

Each run starts the dashboard on a free port over an empty data folder (the default
demo: ``PILOTAGE_DEMO_DWELLINGS``, 25,000 dwellings), opens the page in Debian's Chromium
(Playwright, ``executable_path`` = ``chromium``) as soon as the server answers, and times
the server's start, then the first tile's value on screen (the demo is built in between,
the page showing its steps). A second visit of the same server, in a new browser page,
times a start over the built warehouse.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import _cpus, _memory_gb, _runs, arguments, med  # noqa: E402

TILE = '[data-testid="stMetricValue"]'
BUILD_MAX_S = 900
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(base: str, process: subprocess.Popen, deadline: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
            time.sleep(0.1)


def one_run(browser, folder: Path) -> dict:
    env = os.environ | {"PILOTAGE_DATA_DIR": str(folder), "PILOTAGE_WARM_S": "15"}
    env.pop("WAREHOUSE_URL", None)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
        + ["--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _healthy(base, process, time.monotonic() + 120)
        server = time.perf_counter() - start
        page = browser.new_page(locale="fr-FR")
        page.goto(base)
        page.locator(TILE).first.wait_for(timeout=BUILD_MAX_S * 1000)
        first_tile = time.perf_counter() - start
        page.close()
        again = browser.new_page(locale="fr-FR")
        t = time.perf_counter()
        again.goto(base)
        again.locator(TILE).first.wait_for(timeout=120_000)
        second_visit = time.perf_counter() - t
        again.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"server_s": server, "first_tile_s": first_tile, "second_visit_s": second_visit}


def measure(work: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if not chromium:
        sys.exit("Debian's chromium is needed: apt-get install chromium")
    out: dict = {"runs": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for _ in range(runs):
            work.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=work) as folder:
                out["runs"].append(one_run(browser, Path(folder)))
        browser.close()
    return out


def report(m: dict, started: datetime, ended: datetime) -> list[str]:
    runs = m["runs"]

    def column(key: str) -> list[float]:
        return [r[key] for r in runs]

    return [
        "# The demo's first start: results",
        "",
        f"- run: {started:%Y-%m-%d %H:%M} to {ended:%H:%M}, `python bench/first_start.py "
        f"--runs {len(runs)}`; medians of {len(runs)} runs",
        f"- machine: {platform.machine()}, {_cpus()} cores, {_memory_gb():.0f} GB RAM, Python "
        f"{platform.python_version()}; load average at the start: {m['load']}",
        "- a fresh `streamlit run app.py` over an empty data folder (the default demo, "
        "25,000 dwellings), Debian's Chromium",
        "",
        "| step | median s | runs (s) |",
        "|---|---|---|",
        f"| server answering (`/_stcore/health`) | {med(column('server_s')):.1f} | "
        f"{_runs(column('server_s'))} |",
        f"| first KPI tile on screen, the demo built meanwhile | "
        f"{med(column('first_tile_s')):.1f} | {_runs(column('first_tile_s'))} |",
        f"| a second visit of the same server, to its first tile | "
        f"{med(column('second_visit_s')):.1f} | {_runs(column('second_visit_s'))} |",
        "",
    ]


def main() -> None:
    args = arguments("results-first-start.md")
    raw = args.out.with_suffix(".json")
    if args.report_only:
        m = json.loads(raw.read_text(encoding="utf-8"))
    else:
        m = {"started": datetime.now().isoformat(timespec="minutes")}
        m["load"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        m |= measure(args.work / "first_start", args.runs)
        m["ended"] = datetime.now().isoformat(timespec="minutes")
        raw.write_text(json.dumps(m, indent=1), encoding="utf-8")
    lines = report(m, datetime.fromisoformat(m["started"]), datetime.fromisoformat(m["ended"]))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
