"""The sidebar's quick periods, counted from today (here a fixed 23 November 2026, the day
a user saw « Ce mois-ci » show December 2025), and what a period is compared with."""

from __future__ import annotations

from datetime import date

import pytest

from pages.state import business_days, period_bounds, year_before
from warehouse.kpis import Filters

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


def test_business_days_leave_out_weekends_and_public_holidays():
    assert business_days(date(2026, 12, 1), date(2026, 12, 5)) == 4  # Tuesday to Saturday
    assert business_days(date(2025, 12, 1), date(2025, 12, 5)) == 5  # Monday to Friday
    assert business_days(date(2026, 5, 1), date(2026, 5, 8)) == 4  # 1 and 8 May: holidays
    assert business_days(date(2026, 12, 5), date(2026, 12, 5)) == 0  # a Saturday
    assert business_days(date(2026, 12, 2), date(2026, 12, 1)) == 0


def test_a_period_is_set_against_the_same_days_a_year_before():
    """Issue 25, case 6: « Ce mois-ci » on Saturday 5 December 2026 compared four business
    days with five without a word. The same days a year before are compared, cut at the
    last day with data, and the business days of each side are known to be said."""
    this_month = Filters(date(2026, 12, 1), date(2026, 12, 5))
    data_up_to_the_5th = year_before(this_month, date(2026, 12, 5))
    assert data_up_to_the_5th.before == Filters(date(2025, 12, 1), date(2025, 12, 5))
    assert (data_up_to_the_5th.business_now, data_up_to_the_5th.business_before) == (4, 5)
    # Data loaded up to Friday the 4th: the 5th has no figures yet, nor is it compared.
    up_to_the_4th = year_before(this_month, date(2026, 12, 4))
    assert up_to_the_4th.now == Filters(date(2026, 12, 1), date(2026, 12, 4))
    assert up_to_the_4th.before == Filters(date(2025, 12, 1), date(2025, 12, 4))
    assert (up_to_the_4th.business_now, up_to_the_4th.business_before) == (4, 4)
    # A period the data covers, or one after all of it, is compared whole.
    last_year = Filters(date(2025, 1, 1), date(2025, 12, 31))
    assert year_before(last_year, date(2026, 12, 4)).now == last_year
    assert year_before(this_month, date(2026, 11, 30)).now == this_month
    assert year_before(this_month, None).now == this_month
