"""French formats for the interface: 1 234,5 ; 86,2 % ; lun. 3 mars 2025 ; 22 €."""

from __future__ import annotations

import math
import re
from datetime import date

from warehouse import french
from warehouse.french import NNBSP

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


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 0) -> str:
    return EMPTY if _missing(value) else french.number(value, decimals)


def percent(value, decimals: int = 1) -> str:
    return EMPTY if _missing(value) else number(value * 100, decimals) + f"{NNBSP}%"


def euros(value, decimals: int = 2) -> str:
    return EMPTY if _missing(value) else number(value, decimals) + f"{NNBSP}€"


def seconds(value) -> str:
    """``41 s``, ``2 min 05 s``, ``1 h 02 min``."""
    if _missing(value):
        return EMPTY
    total = int(round(value))
    if total < 60:
        return f"{total}{NNBSP}s"
    if total < 3600:
        return f"{total // 60}{NNBSP}min {total % 60:02d}{NNBSP}s"
    return f"{total // 3600}{NNBSP}h {total % 3600 // 60:02d}{NNBSP}min"


def days(value) -> str:
    return EMPTY if _missing(value) else number(value, 1) + f"{NNBSP}j"


def change(value, before, unit: str, since: str = "sur un an") -> str | None:
    """A change against a year before (or ``since`` another reference: « depuis la vague
    2022 »): in points for a rate (``+2,3 pts``), relative otherwise."""
    if _missing(value) or _missing(before):
        return None
    if unit == "ratio":
        points = (value - before) * 100
        return f"{'+' if points >= 0 else ''}{number(points, 1)}{NNBSP}pts {since}"
    if not before:
        return None
    relative = value / before - 1
    return f"{'+' if relative >= 0 else ''}{percent(relative)} {since}"


def delta_colour(better: str | None) -> str:
    """``st.metric``'s delta colour: green for good news whichever way it goes (a rise of a
    rate to raise, a fall of a cost, a wait, an abandon); grey when neither is good."""
    return {"up": "normal", "down": "inverse"}.get(better or "", "off")


def badge(target: tuple[float, float] | None, value) -> str:
    """A tile's badge against its target band: none without a target or a value."""
    if target is None or _missing(value):
        return ""
    inside = target[0] <= value <= target[1]
    return ":green-badge[dans la cible]" if inside else ":red-badge[hors cible]"


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


def shown(frame, units: dict[str, str]):
    """A table as the page shows it: each listed column written by ``by_unit`` (French
    numbers, one-decimal percentages as on the tiles, « — » where there is no value);
    the others untouched. Downloads keep the numbers."""
    out = frame.copy()
    for column, unit in units.items():
        if column in out:
            write = (lambda v: EMPTY if _missing(v) else day(v)) if unit == "date" else None
            out[column] = out[column].map(write or (lambda v, u=unit: by_unit(v, u)))
    return out
