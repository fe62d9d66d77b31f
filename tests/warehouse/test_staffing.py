"""The sizing table on a hand-made week of calls and staffing (DuckDB and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from loaders.pipeline import import_file
from tests.util import write_export
from tests.warehouse.kpi_dataset import _call
from warehouse.kpis import Filters
from warehouse.kpis.staffing import Target, sizing_table

# Week of Monday 3 March 2025. Monday 9:00-9:29 (slot 18): 3 offered, 2 answered with
# 100 s and 200 s of talk (handle time 150 s). Monday: 4 advisors present.
CALLS = [
    _call("S1", "03/03/2025 09:01", "entrant", "CRL", 10, 100, "decroche"),
    _call("S2", "03/03/2025 09:10", "entrant", "CRL", 20, 200, "decroche"),
    _call("S3", "03/03/2025 09:20", "entrant", "CRL", 30, 0, "abandonne"),
    _call("S4", "03/03/2025 20:05", "entrant", "ASTREINTE", 5, 90, "decroche"),  # on-call line
]
STAFF = [{"date": "03/03/2025", "equipe": "CRL", "conseillers_etp": "4", "encadrants_etp": "1"}]
WEEK = Filters(date(2025, 3, 3), date(2025, 3, 9))


@pytest.fixture
def week(engine, tmp_path):
    import_file(engine, write_export(tmp_path / "appels.csv", CALLS))
    import_file(engine, write_export(tmp_path / "effectifs.csv", STAFF))
    return engine


def _slot(table, weekday, slot):
    return table.set_index(["weekday", "slot"]).loc[(weekday, slot)]


def test_sizing_of_a_hand_made_week(week):
    table = sizing_table(week, WEEK)
    assert len(table) == 7 * 48
    monday = _slot(table, 1, 18)
    # A = 3 x 150 / 1800 = 0.25 Erlang. One advisor: B(1) = 0.2, C = 0.2 / 0.8 = 0.25,
    # SL = 1 - 0.25 e^(-0.75 x 90 / 150) = 0.8406 >= 0.80.
    assert monday["offered"] == 3 and monday["handle_s"] == 150
    assert monday["required"] == 1
    assert monday["service_level"] == pytest.approx(0.8406, abs=1e-4)
    assert monday["scheduled"] == pytest.approx(1 / 0.7)  # 30 % shrinkage
    assert monday["staffed"] == 4 and monday["gap"] == pytest.approx(4 - 1 / 0.7)
    evening = _slot(table, 1, 40)  # 20:00: the on-call call S4 is not the centre's to staff
    assert (evening["offered"], evening["required"], evening["staffed"]) == (0, 0, 0)
    tuesday = _slot(table, 2, 18)  # no call, no staffing file line
    assert (tuesday["required"], tuesday["staffed"]) == (0, 0)


def test_growth_what_if(week):
    """+100 %: 6 calls, A = 0.5. One advisor: C = 0.5, SL = 1 - 0.5 e^(-0.3) = 0.63 < 0.80;
    two: C = 0.1, SL = 1 - 0.1 e^(-0.9) = 0.959."""
    monday = _slot(sizing_table(week, WEEK, Target(growth=1.0)), 1, 18)
    assert monday["offered"] == 6 and monday["required"] == 2
    assert monday["service_level"] == pytest.approx(0.9593, abs=1e-4)


def test_stricter_target(week):
    """80 % in 10 s with A = 0.25, n = 1: SL = 1 - 0.25 e^(-0.75 x 10 / 150) = 0.762 < 0.80;
    n = 2 reaches it."""
    monday = _slot(sizing_table(week, WEEK, Target(seconds=10)), 1, 18)
    assert monday["required"] == 2


def test_the_on_call_line_can_be_sized_on_request(week):
    table = sizing_table(week, Filters(WEEK.start, WEEK.end, channels=("astreinte",)))
    evening = _slot(table, 1, 40)
    assert (evening["offered"], evening["required"], evening["staffed"]) == (1, 1, 0)
