"""French formats shared by the command lines, the report and the dashboard: 1 234,5 ;
86,2 % ; lun. 3 mars 2025 ; 22 €."""

from __future__ import annotations

import math
from datetime import date

NNBSP = "\u202f"  # the French thousands separator (narrow no-break space)

DAYS = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
DAYS_LONG = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
MONTHS_LONG = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
EMPTY = "—"


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 0) -> str:
    """``1 234,5``; « — » for no value."""
    if missing(value):
        return EMPTY
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NNBSP).replace(".", ",")


def percent(value, decimals: int = 1) -> str:
    return EMPTY if missing(value) else number(value * 100, decimals) + f"{NNBSP}%"


def euros(value, decimals: int = 2) -> str:
    return EMPTY if missing(value) else number(value, decimals) + f"{NNBSP}€"


def seconds(value) -> str:
    """``41 s``, ``2 min 05 s``, ``1 h 02 min``."""
    if missing(value):
        return EMPTY
    total = int(round(value))
    if total < 60:
        return f"{total}{NNBSP}s"
    if total < 3600:
        return f"{total // 60}{NNBSP}min {total % 60:02d}{NNBSP}s"
    return f"{total // 3600}{NNBSP}h {total % 3600 // 60:02d}{NNBSP}min"


def days(value) -> str:
    return EMPTY if missing(value) else number(value, 1) + f"{NNBSP}j"


STABLE = "stable"  # a change that rounds to nothing (:func:`change`)


def change(value, before, unit: str, since: str = "sur un an") -> str | None:
    """A change against a year before (or ``since`` another reference: « depuis la vague
    2022 »): in points for a rate (``+2,3 pts``), relative otherwise."""
    if missing(value) or missing(before):
        return None
    if unit == "ratio":
        points = (value - before) * 100
        shown = f"{number(points, 1)}{NNBSP}pts"
    else:
        if not before:
            return None
        points = value / before - 1
        shown = percent(points)
    if shown.lstrip("-").startswith("0,0" + NNBSP):
        return f"{STABLE} {since}"  # « -0,0 pts », shown as a fall, was none
    return f"{'+' if points >= 0 else ''}{shown} {since}"


def day(value: date) -> str:
    """``lun. 3 mars 2025``."""
    return f"{DAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def week(iso_week: int) -> str:
    """``202502`` -> ``S02 2025`` (an ISO week, year * 100 + week, and its ISO year)."""
    return f"S{int(iso_week) % 100:02d} {int(iso_week) // 100}"


def month(value: date) -> str:
    return f"{MONTHS_LONG[value.month - 1]} {value.year}"


def by_unit(value, unit: str) -> str:
    """Format a KPI value by its catalogue unit."""
    if unit == "ratio":
        return percent(value)
    if unit == "eur":
        return euros(value)
    if unit == "seconds":
        return seconds(value)
    if unit == "days":
        return days(value)
    if unit in ("calls", "requests"):
        return number(value)
    return number(value, 2)
