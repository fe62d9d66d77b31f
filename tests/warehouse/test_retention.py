"""Retention: purged call detail leaves KPIs over the purged months as they were.

The hand-made dataset (``kpi_dataset.py``) has its 9 calls in March 2025; purging what is
older than 1 April 2025 removes them all.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select

from tests.util import engine_url
from tests.warehouse.test_kpis import PERIOD, values
from warehouse.cli import main
from warehouse.kpis import DEFAULT_SETTINGS, Filters, failure, series
from warehouse.load.retention import purge_calls, retention_start
from warehouse.model.schema import agg_call_day, fact_call

MARCH = Filters(date(2025, 3, 1), date(2025, 3, 31))
VIEWS = [
    PERIOD,
    MARCH,
    replace(PERIOD, agencies=("AG01",)),
    replace(PERIOD, channels=("astreinte",)),
    replace(PERIOD, organisme="Org B"),
]


@pytest.mark.parametrize(
    ("today", "months", "first_kept"),
    [
        (date(2026, 11, 22), 36, date(2023, 11, 1)),
        (date(2026, 1, 15), 1, date(2025, 12, 1)),
        (date(2026, 1, 31), 0, date(2026, 1, 1)),
    ],
)
def test_the_retention_period_starts_on_a_first_of_month(today, months, first_kept):
    assert retention_start(today, months) == first_kept


def _snapshot(engine) -> dict:
    out = {f"kpis {i}": values(engine, f) for i, f in enumerate(VIEWS)}
    for by in ("agency", "channel", "queue"):
        out[by] = series.call_breakdown(engine, PERIOD, by)
    for grain in ("day", "week", "month"):
        out[grain] = series.call_series(engine, PERIOD, grain)
    with engine.connect() as conn:  # failure demand and the reasons table (issue 29)
        for i, f in enumerate(VIEWS):
            out[f"reasons {i}"] = pd.DataFrame(failure.reasons(conn, f, DEFAULT_SETTINGS))
        for by in ("month", "iso_week", "agency", "channel", "category"):
            rows = failure.grouped(conn, PERIOD, DEFAULT_SETTINGS, [by])
            ordered = sorted((str(k), v) for k, v in rows.items())
            out[f"failure by {by}"] = pd.DataFrame([{"key": k, **v} for k, v in ordered])
    return out


def _same(after: dict, before: dict) -> None:
    assert after.keys() == before.keys()
    for name, value in before.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(after[name], value, check_dtype=False, obj=name)
        else:
            assert after[name] == pytest.approx(value, nan_ok=True), name


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_kpis_over_purged_months_are_unchanged(loaded):  # noqa: F811
    before = _snapshot(loaded)
    # repeats are part of what must survive
    assert before["kpis 0"]["followup_rate"] and before["kpis 0"]["repeat_call_rate"]
    assert before["kpis 0"]["failure_demand_share"]  # C5 C9 repeats
    report = purge_calls(loaded, date(2025, 4, 1))
    assert (report.calls_purged, _count(loaded, fact_call)) == (9, 0)
    assert _count(loaded, agg_call_day) == report.aggregate_rows > 0
    _same(_snapshot(loaded), before)


def test_a_second_purge_changes_nothing(loaded):  # noqa: F811
    purge_calls(loaded, date(2025, 4, 1))
    once = _snapshot(loaded)
    again = purge_calls(loaded, date(2025, 4, 1))
    assert (again.calls_purged, again.aggregate_rows) == (0, 0)
    _same(_snapshot(loaded), once)


def test_kept_detail_is_not_touched(loaded):  # noqa: F811
    report = purge_calls(loaded, date(2025, 3, 1))
    assert (report.calls_purged, _count(loaded, fact_call)) == (0, 9)


def test_the_purge_command(loaded, capsys):  # noqa: F811
    url = engine_url(loaded)
    loaded.dispose()
    assert main(["--url", url, "purge", "--months", "0"]) == 0
    assert "9 appels antérieurs au" in capsys.readouterr().out
    assert _count(loaded, fact_call) == 0
