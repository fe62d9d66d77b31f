"""The sidebar's quick periods, counted from today (here a fixed 23 November 2026, the day
a user saw « Ce mois-ci » show December 2025)."""

from __future__ import annotations

from datetime import date

import pytest

from pages.state import period_bounds

TODAY = date(2026, 11, 23)
CUSTOM = (date(2025, 3, 1), date(2025, 4, 30))


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("this_month", (date(2026, 11, 1), TODAY)),
        ("last_month", (date(2026, 10, 1), date(2026, 10, 31))),
        ("this_year", (date(2026, 1, 1), TODAY)),
        ("last_12", (date(2025, 12, 1), TODAY)),
        ("last_year", (date(2025, 1, 1), date(2025, 12, 31))),
        ("custom", CUSTOM),
    ],
)
def test_quick_periods_count_from_today(choice, expected):
    assert period_bounds(choice, TODAY, CUSTOM) == expected


@pytest.mark.parametrize(
    ("today", "choice", "expected"),
    [
        (date(2027, 1, 3), "last_month", (date(2026, 12, 1), date(2026, 12, 31))),
        (date(2027, 1, 3), "last_12", (date(2026, 2, 1), date(2027, 1, 3))),
        (date(2026, 12, 31), "last_year", (date(2025, 1, 1), date(2025, 12, 31))),
        (date(2024, 3, 1), "last_month", (date(2024, 2, 1), date(2024, 2, 29))),
    ],
)
def test_quick_periods_across_year_ends(today, choice, expected):
    assert period_bounds(choice, today, CUSTOM) == expected
