"""French formats for the interface: 1 234,5 ; 86,2 % ; lun. 3 mars 2025 ; 22 €."""

from __future__ import annotations

import re

from warehouse.french import (  # noqa: F401  (re-exported for the pages)
    DAYS,
    DAYS_LONG,
    EMPTY,
    MONTHS,
    MONTHS_LONG,
    NNBSP,
    by_unit,
    change,
    day,
    days,
    euros,
    missing,
    month,
    number,
    percent,
    seconds,
)


def delta_colour(better: str | None) -> str:
    """``st.metric``'s delta colour: green for good news whichever way it goes (a rise of a
    rate to raise, a fall of a cost, a wait, an abandon); grey when neither is good."""
    return {"up": "normal", "down": "inverse"}.get(better or "", "off")


def badge(target: tuple[float, float] | None, value) -> str:
    """A tile's badge against its target band: none without a target or a value."""
    if target is None or missing(value):
        return ""
    inside = target[0] <= value <= target[1]
    return ":green-badge[dans la cible]" if inside else ":red-badge[hors cible]"


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
            write = (lambda v: EMPTY if missing(v) else day(v)) if unit == "date" else None
            out[column] = out[column].map(write or (lambda v, u=unit: by_unit(v, u)))
    return out
