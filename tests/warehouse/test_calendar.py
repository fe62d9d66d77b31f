"""French public holidays, business days and commitment deadlines."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from dateutil.easter import easter

from tests.util import read_frame
from warehouse.model import schema
from warehouse.model.calendar import commitment_due_dates, date_dimension, french_holidays


@pytest.mark.parametrize("year", [2001, 2015, 2024, 2025, 2026, 2033, 2041])
def test_moveable_and_fixed_holidays_for_any_year(year):
    e = easter(year)
    expected = {
        date(year, 1, 1),
        date(year, 5, 1),
        date(year, 5, 8),
        date(year, 7, 14),
        date(year, 8, 15),
        date(year, 11, 1),
        date(year, 11, 11),
        date(year, 12, 25),
        e + timedelta(days=1),  # Easter Monday
        e + timedelta(days=39),  # Ascension
        e + timedelta(days=50),  # Whit Monday
    }
    found = {d for d in french_holidays() if d.year == year}
    assert found == expected


def test_date_dimension_in_the_warehouse(engine):
    frame = read_frame(engine, schema.dim_date).set_index("date_key")
    # 2025-06-09 is Whit Monday; 2025-06-07 a Saturday; 2025-06-10 a plain Tuesday.
    assert frame.loc[20250609, "is_holiday"] and not frame.loc[20250609, "is_business_day"]
    assert frame.loc[20250607, "is_weekend"] and not frame.loc[20250607, "is_business_day"]
    assert frame.loc[20250610, "is_business_day"]
    assert (
        frame.loc[20250610, "business_day_index"] == frame.loc[20250606, "business_day_index"] + 1
    )
    assert frame.loc[20250610, "iso_week"] == 24
    assert frame.loc[20251229, "iso_year"] == 2026  # ISO week 1 of 2026


def test_business_days_in_2025_count_251():
    """365 days - 104 weekend days - 10 holidays on weekdays (14 July... 25 Dec) = 251."""
    frame = date_dimension()
    assert int(frame[frame["year"] == 2025]["is_business_day"].sum()) == 251


@pytest.mark.parametrize(
    ("created", "days", "calendar", "due"),
    [
        ("2025-03-05 10:00", 1, False, "2025-03-06"),  # Wednesday + 1 -> Thursday
        ("2025-03-07 16:00", 1, False, "2025-03-10"),  # Friday + 1 -> Monday (weekend)
        ("2025-03-08 09:00", 1, False, "2025-03-10"),  # Saturday + 1 -> Monday
        ("2025-04-18 09:00", 1, False, "2025-04-22"),  # Friday + 1 -> Tuesday (Easter Monday)
        ("2025-05-07 09:00", 3, False, "2025-05-13"),  # Wed + 3: 8 May and weekend off
        ("2025-12-22 09:00", 10, False, "2026-01-07"),  # 25 Dec and 1 Jan off
        ("2025-03-07 16:00", 7, True, "2025-03-14"),  # neighbour disturbance: 7 calendar days
    ],
)
def test_commitment_due_dates(created, days, calendar, due):
    result = commitment_due_dates(
        pd.Series([pd.Timestamp(created)]), pd.Series([days]), pd.Series([calendar])
    )
    assert result.iloc[0] == pd.Timestamp(due)


def test_no_commitment_no_deadline():
    result = commitment_due_dates(
        pd.Series([pd.Timestamp("2025-03-05")]),
        pd.Series([None], dtype="Int64"),
        pd.Series([False]),
    )
    assert result.isna().all()
