"""Series and breakdowns agree with the hand-made totals of ``test_kpis.py``."""

from __future__ import annotations

from datetime import date

import pytest

from tests.warehouse.test_kpis import PERIOD
from warehouse.kpis.series import (
    call_breakdown,
    call_heatmap,
    call_series,
    capture_series,
    request_series,
)
from warehouse.model.params import Filters


def test_calls_by_month_and_day(loaded):  # noqa: F811
    months = call_series(loaded, PERIOD, "month")
    # Every call is in March: 7 offered, 5 answered; April has none, so no row.
    assert months["month"].astype(str).tolist() == ["2025-03-01"]
    assert months[["offered_calls", "answered_calls"]].values.tolist() == [[7, 5]]
    days = call_series(loaded, PERIOD, "day").set_index("day")
    # 3 March: C1 C2 C4 C5 offered (C3 short), C1 C2 C5 answered.
    assert days.loc[date(2025, 3, 3), "offered_calls"] == 4
    assert days.loc[date(2025, 3, 3), "answer_rate"] == pytest.approx(3 / 4)
    assert days["offered_calls"].sum() == 7


def test_calls_by_week_and_year(loaded):  # noqa: F811
    weeks = call_series(loaded, PERIOD, "week").set_index("iso_week")
    assert weeks.loc[202510, "offered_calls"] == 7  # 3-9 March 2025 is ISO week 10
    years = call_series(loaded, PERIOD, "year")
    assert years["offered_calls"].tolist() == [7]


def test_calls_by_channel_and_queue(loaded):  # noqa: F811
    channels = call_breakdown(loaded, PERIOD, "channel").set_index("channel")
    assert channels.loc["astreinte", "offered_calls"] == 1  # C5
    assert channels.loc["crl", "offered_calls"] == 6
    queues = call_breakdown(loaded, PERIOD, "queue").set_index("queue")
    assert queues.loc["ASTREINTE", "answered_calls"] == 1


def test_heatmap(loaded):  # noqa: F811
    heat = call_heatmap(loaded, PERIOD).set_index(["weekday", "slot"])
    # Monday 9:00-9:29 (slot 18): C1 C2 offered and answered; C3 too short; 9:30 (19): C4 lost.
    assert heat.loc[(1, 18), "offered_calls"] == 2
    assert heat.loc[(1, 19), "lost_calls"] == 1
    assert heat.loc[(6, 20), "offered_calls"] == 1  # Saturday 10:00: C6
    assert heat["offered_calls"].sum() == 7


def test_requests_by_category_and_capture_by_month(loaded):  # noqa: F811
    cats = request_series(loaded, PERIOD, "category").set_index("category")
    assert cats.loc["technique", "requests"] == 4  # D1 D2 D3 D5
    capture = capture_series(loaded, PERIOD, "month")
    march = capture[capture["month"].astype(str) == "2025-03-01"].set_index("channel")
    assert march.loc["agence", "share"] == pytest.approx(2 / 3)  # D2 D4 of D1 D2 D4


def test_empty_period_gives_empty_frames(loaded):  # noqa: F811
    empty = Filters(date(2030, 1, 1), date(2030, 1, 31))
    assert call_series(loaded, empty).empty
    assert call_heatmap(loaded, empty).empty


def test_contact_mix_counts_front_desk_lines_and_centre_calls(loaded):  # noqa: F811
    from warehouse.kpis.series import contact_mix

    mix = contact_mix(loaded, PERIOD).set_index("channel")["contacts"]
    # No register is loaded in the KPI dataset; the centre: 6 offered on crl, 1 on astreinte.
    assert mix.to_dict() == {"crl": 6, "astreinte": 1}


def test_the_agency_reference_row_is_computed_in_the_kpi_layer():
    """Worked out by hand: two agencies with 3 and 1 identified offered calls over 10 and
    30 dwelling-months make 4 calls over 40 dwelling-months, 0.1 per dwelling and month
    (not the mean of 0.3 and 0.033); requests 4 + 2 = 6, complaints 1 + 1 = 2; the request
    KPIs are the whole's (0.75 and 0.5), never a mean of the agencies'."""
    import pandas as pd

    from warehouse.kpis.series import agency_reference

    table = pd.DataFrame(
        {
            "agency": ["AG01", "AG02"],
            "identified_calls": [3, 1],
            "dwelling_months": [10.0, 30.0],
            "requests": [4, 2],
            "complaints": [1, 1],
            "commitment_kept": [1.0, 0.0],
        }
    )
    whole = {"commitment_kept": 0.75, "first_level_closure_requests": 0.5}
    row = agency_reference(table, whole)
    assert row["identified_calls"] == 4
    assert row["identified_calls_per_dwelling_month"] == pytest.approx(0.1)
    assert (row["requests"], row["complaints"]) == (6, 2)
    assert (row["commitment_kept"], row["first_level_closure_requests"]) == (0.75, 0.5)
    no_calls = agency_reference(table.drop(columns=["identified_calls"]), whole)
    assert (
        no_calls["identified_calls"] is None
        and no_calls["identified_calls_per_dwelling_month"] is None
    )
