"""French calendar: public holidays, business days, and the commitment deadline rule."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where it is used: the command lines start faster
    import pandas as pd


CALENDAR_START = date(2000, 1, 1)
CALENDAR_END = date(2045, 12, 31)


def calendar_end(today: date | None = None) -> date:
    """The calendar's last day: 2045, or two years past today's year when that is later, so
    that it always covers what an import accepts (up to a year after the import)."""
    today = today or date.today()
    return max(CALENDAR_END, date(today.year + 2, 12, 31))


def months_before(day: date, months: int) -> date:
    """The first day of the month ``months`` months before ``day``'s (0: its own)."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def french_holidays() -> dict[date, str]:
    """Metropolitan French public holidays (Easter Monday, Ascension, Whit Monday included)."""
    return _holidays(calendar_end().year)


@lru_cache(maxsize=2)
def _holidays(last_year: int) -> dict[date, str]:
    import holidays

    years = range(CALENDAR_START.year, last_year + 1)
    return dict(holidays.France(years=years, language="fr"))


def date_dimension(end: date | None = None) -> pd.DataFrame:
    """One row per day of the calendar, with ``business_day_index`` counting business days.

    The index is the number of business days from the calendar start up to and including
    the day, so "N business days after D" is the business day whose index is index(D) + N.
    """
    import numpy as np
    import pandas as pd

    end = end or calendar_end()
    days = pd.date_range(CALENDAR_START, end, freq="D")
    hol = _holidays(end.year)
    names = pd.Series([hol.get(d.date()) for d in days], index=days, dtype="object")
    iso = days.isocalendar()
    weekday = days.weekday + 1
    is_holiday = names.notna().to_numpy()
    is_business = (weekday <= 5) & ~is_holiday
    return pd.DataFrame(
        {
            "date_key": (days.year * 10000 + days.month * 100 + days.day).astype("int32"),
            "full_date": days.date,
            "year": days.year.astype("int16"),
            "quarter": days.quarter.astype("int16"),
            "month": days.month.astype("int16"),
            "month_start_date": days.to_period("M").to_timestamp().date,
            "iso_year": iso["year"].to_numpy().astype("int16"),
            "iso_week": iso["week"].to_numpy().astype("int16"),
            "iso_weekday": weekday.astype("int16"),
            "day_of_month": days.day.astype("int16"),
            "is_weekend": weekday >= 6,
            "is_holiday": is_holiday,
            "holiday_name": names.to_numpy(),
            "is_business_day": is_business,
            "business_day_index": np.cumsum(is_business).astype("int32"),
        }
    )


def time_dimension() -> pd.DataFrame:
    """The 48 half-hour slots of a day; ``time_key`` is the slot number 0-47."""
    import numpy as np
    import pandas as pd

    keys = np.arange(48)
    return pd.DataFrame(
        {
            "time_key": keys.astype("int16"),
            "slot_start": [f"{k // 2:02d}:{30 * (k % 2):02d}" for k in keys],
            "hour": (keys // 2).astype("int16"),
            "minute": (30 * (keys % 2)).astype("int16"),
        }
    )


def commitment_due_dates(
    created: pd.Series, days: pd.Series, calendar_days: pd.Series
) -> pd.Series:
    """Deadline of the first significant action for each request.

    ``days`` business days after the creation date (weekends and French public holidays
    off), or ``days`` calendar days where ``calendar_days`` is true (neighbour
    disturbance). Null where there is no creation date or no commitment.
    """
    import numpy as np
    import pandas as pd

    created_day = pd.to_datetime(created).dt.normalize()
    ok = created_day.notna() & days.notna()
    out = pd.Series(pd.NaT, index=created.index, dtype="datetime64[us]")
    if not ok.any():
        return out
    start = created_day[ok].to_numpy().astype("datetime64[D]")
    n = days[ok].astype("int64").to_numpy()
    cal = calendar_days[ok].fillna(False).astype(bool).to_numpy()
    hol = np.array(sorted(french_holidays()), dtype="datetime64[D]")
    # roll="backward": from a non-business day, count from the business day before it, so
    # that a request created on Saturday with 1 business day is due on Monday.
    business = np.busday_offset(start, n, roll="backward", holidays=hol)
    due = np.where(cal, start + n.astype("timedelta64[D]"), business)
    out.loc[ok] = pd.to_datetime(due)
    return out
