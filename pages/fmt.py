"""French formats for the interface: 1 234,5 ; 86,2 % ; lun. 3 mars 2025 ; 22 €."""

from __future__ import annotations

import math
import re
from datetime import date

from warehouse import french
from warehouse.french import NNBSP

DAYS = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
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


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 0) -> str:
    return EMPTY if _missing(value) else french.number(value, decimals)


def percent(value, decimals: int = 1) -> str:
    return EMPTY if _missing(value) else number(value * 100, decimals) + f"{NNBSP}%"


def euros(value, decimals: int = 2) -> str:
    return EMPTY if _missing(value) else number(value, decimals) + f"{NNBSP}€"


def seconds(value) -> str:
    return EMPTY if _missing(value) else number(value, 0) + f"{NNBSP}s"


def days(value) -> str:
    return EMPTY if _missing(value) else number(value, 1) + f"{NNBSP}j"


def day(value: date) -> str:
    """``lun. 3 mars 2025``."""
    return f"{DAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


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


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: object) -> str:
    """Data-derived text escaped for Streamlit's markdown (captions, messages): an agency
    code written as ``[AG01](https://…)`` stays text, never a link."""
    return _MARKDOWN.sub(r"\\\1", str(text))
