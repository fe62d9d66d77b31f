"""One measurement in a process of its own, printed as JSON (run by ``bench/scale.py``).

    python bench/probe.py import URL FILE          # import one file, timed in-process
    python bench/probe.py kpis URL START END RUNS   # every KPI query, then compute_all
    python bench/probe.py pages URL RUNS            # every dashboard page, cold and warm

Each reports ``peak_mb``, the largest resident set of its process (``VmHWM``).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    """This process's peak resident set (``VmHWM``): unlike ``ru_maxrss``, which Linux
    carries over from the parent at fork, it starts afresh at exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def probe_import(url: str, path: str) -> dict:
    """Import one file: ``startup`` is the process loading the loaders and building the
    validation suites (Great Expectations alone takes about 3 s), paid once per process
    whatever the number of files; ``seconds`` is ``import_file`` itself, ``cpu`` the
    processor time it took on all the process's threads (DuckDB's included), ``stages``
    the wall time of its stages, timed around the functions that run them."""
    start = time.perf_counter()
    from loaders.pipeline import import_file
    from loaders.read.detect import open_export
    from loaders.validate import _validation
    from warehouse.engine import make_engine

    _validation(open_export(Path(path)).source.name)
    startup = time.perf_counter() - start
    stages = _timed_stages()
    engine = make_engine(url)
    start, cpu = time.perf_counter(), time.process_time()
    report = import_file(engine, path)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert report.status == "loaded" and report.accounted, report
    stages["other: opening, history, statistics, commit"] = seconds - sum(stages.values())
    return {
        "seconds": seconds,
        "cpu": cpu,
        "startup": startup,
        "rows": report.rows_read,
        "stages": stages,
    }


def _timed_stages() -> dict[str, float]:
    """Wrap the functions each stage of a call import runs; their times add up here."""
    from loaders import pipeline
    from loaders.sources import calls

    stages: dict[str, float] = {}
    wrapped = {
        "read, type, check (GX), pseudonymise, stage": (pipeline, "_stage"),
        "merge into the facts": (calls, "merge_calls"),
        "previous call of each number": (calls, "refresh_previous_calls"),
        "daily aggregates": (calls, "refresh_after_calls"),
    }
    for label, (module, name) in wrapped.items():
        original = getattr(module, name)

        def timed(*args, _original=original, _label=label, **kwargs):
            t = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                stages[_label] = stages.get(_label, 0.0) + time.perf_counter() - t

        setattr(module, name, timed)
    return stages


# The queries compute_all runs, each a function of (connection, filters, settings).
def _components():
    from warehouse.kpis import calls, compute, costs, requests

    return {
        "calls.totals": lambda c, f, s: calls.totals(c, f, s),
        "requests.totals": lambda c, f, s: requests.totals(c, f),
        "requests.capture_shares": lambda c, f, s: requests.capture_shares(c, f),
        "requests.close_days": lambda c, f, s: requests.close_days(c, f),
        "requests.backlog": lambda c, f, s: requests.backlog(c, f, s),
        "requests.followups": lambda c, f, s: requests.followups(c, f, s),
        "costs.dwelling_months": lambda c, f, s: costs.dwelling_months(c, f),
        "costs.staffing": lambda c, f, s: costs.staffing(c, f),
        "costs.costs": lambda c, f, s: costs.costs(c, f),
        "contacts.count": lambda c, f, s: compute.contact_count(c, f),
        "volumes": lambda c, f, s: compute.volumes(c, f, s),
        "year_before.volumes": lambda c, f, s: compute.volumes(c, f.shifted_years(1), s),
    }


def probe_kpis(url: str, start: str, end: str, runs: int) -> dict:
    """Each query of ``compute_all`` alone, the whole catalogue, and each KPI as the
    dashboard asks for it: ``compute_all(only=(id,))``, which runs exactly the queries that
    KPI needs, counted as they reach the database (issue 28: a hand-written map of the
    queries each KPI needs had the satisfaction KPIs timed by a calls query)."""
    from sqlalchemy import event

    from warehouse.engine import make_engine
    from warehouse.kpis import Filters, compute_all
    from warehouse.model.params import DEFAULT_SETTINGS

    engine = make_engine(url, read_only=url.startswith("duckdb"))
    f = Filters(date.fromisoformat(start), date.fromisoformat(end))
    times: dict[str, list[float]] = {}
    with engine.connect() as conn:
        for _ in range(runs):
            for name, run in _components().items():
                t = time.perf_counter()
                run(conn, f, DEFAULT_SETTINGS)
                times.setdefault(name, []).append(time.perf_counter() - t)
    for _ in range(runs):
        t = time.perf_counter()
        values = compute_all(engine, f)
        times.setdefault("compute_all", []).append(time.perf_counter() - t)
    ids = [v.id for v in values]
    sent: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    per_kpi: dict[str, list[float]] = {}
    statements: dict[str, int] = {}
    for _ in range(runs):
        for kpi_id in ids:
            before = len(sent)
            t = time.perf_counter()
            compute_all(engine, f, only=(kpi_id,))
            per_kpi.setdefault(kpi_id, []).append(time.perf_counter() - t)
            statements[kpi_id] = len(sent) - before
    return {"times": times, "ids": ids, "per_kpi": per_kpi, "statements": statements}


def probe_pages(url: str, runs: int) -> dict:
    os.environ["WAREHOUSE_URL"] = url
    os.environ["PILOTAGE_WARM_S"] = "0"  # cold means cold: no warming thread
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from pages import PAGES

    times: dict[str, dict[str, list[float]]] = {}
    for _ in range(runs):
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
        t = time.perf_counter()
        at.run()  # app.py and the default page (synthese), cold
        cold = time.perf_counter() - t
        assert not at.exception, at.exception
        for name, _, _ in PAGES:
            if name != "synthese":
                st.cache_data.clear()
                t = time.perf_counter()
                at.switch_page(f"pages/views/{name}.py").run()
                cold = time.perf_counter() - t
                assert not at.exception, (name, at.exception)
            t = time.perf_counter()
            at.run()
            warm = time.perf_counter() - t
            entry = times.setdefault(name, {"cold": [], "warm": []})
            entry["cold"].append(cold)
            entry["warm"].append(warm)
    return {"times": times}


def main() -> None:
    kind, *args = sys.argv[1:]
    if kind == "import":
        out = probe_import(*args)
    elif kind == "kpis":
        out = probe_kpis(args[0], args[1], args[2], int(args[3]))
    else:
        out = probe_pages(args[0], int(args[1]))
    out["peak_mb"] = _peak_mb()
    print(json.dumps(out), flush=True)
    os._exit(0)  # skip DuckDB's teardown report of leaked bindings


if __name__ == "__main__":
    main()
