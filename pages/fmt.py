"""French formats for the interface: 1 234,5 ; 86,2 % ; lun. 3 mars 2025 ; 22 €."""

from __future__ import annotations

import re

import pandas as pd

from warehouse.french import (  # noqa: F401  (re-exported for the pages)
    DAYS,
    DAYS_LONG,
    EMPTY,
    MONTHS,
    MONTHS_LONG,
    NNBSP,
    STABLE,
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


def verdict(value, before, better: str | None) -> str:
    """A change said in words as well as in colour (RGAA 3.1): « favorable » when it goes
    the good way, « défavorable » the other, nothing when neither way is good (a volume)
    or there is no change to judge."""
    if better is None or missing(value) or missing(before) or value == before:
        return ""
    return "favorable" if (value > before) == (better == "up") else "défavorable"


def judged(text: str | None, value, before, better: str | None) -> str | None:
    """A tile's change (``text``, from :func:`change`) with its :func:`verdict`:
    « +1,8 % sur un an, défavorable »."""
    word = "" if text and text.startswith(STABLE) else verdict(value, before, better)
    return f"{text}, {word}" if text and word else text


def delta_look(delta: str | None, better: str | None) -> dict:
    """``st.metric``'s delta colour and arrow: :func:`delta_colour`, grey and no arrow for
    « stable » (Streamlit draws any change without a minus sign as a rise)."""
    if delta and delta.startswith(STABLE):
        return {"delta_color": "off", "delta_arrow": "off"}
    return {"delta_color": delta_colour(better), "delta_arrow": "auto"}


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


def text(value, unit: str) -> str:
    """A value written for people: ``text`` as it is, ``date`` as ``lun. 3 mars 2025``,
    ``count`` as ``1 234``, ``decimal`` as ``12,5``, a catalogue unit by :func:`by_unit`;
    « — » for no value."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return EMPTY
    if unit == "text":
        return str(value)
    if unit == "date":
        return day(pd.Timestamp(value).date())
    if unit == "count":
        return number(value)
    if unit == "decimal":
        return number(value, 1)
    return by_unit(value, unit)


def written(frame, units: dict[str, str]):
    """A chart's data table as people read it: each listed column written by :func:`text`."""
    out = frame.copy()
    for column, unit in units.items():
        if column in out:
            out[column] = out[column].map(lambda v, u=unit: text(v, u))
    return out
