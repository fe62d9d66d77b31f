"""Survey answers as institutes write them: a mark from 0 to 10, or a verbal answer on
the four-level scale, or « ne sait pas » (left out of the counts).

Each answer becomes ``m<mark>`` (``m7``, ``m7.5``), ``v<level>`` (4 très satisfait, 3
assez / plutôt satisfait, 2 peu / plutôt pas satisfait, 1 pas du tout satisfait), or
None for no answer and « ne sait pas ».
"""

from __future__ import annotations

import pandas as pd

from loaders.normalise import fold, map_distinct

LEVELS = {
    "tres satisfait": 4,
    "tout a fait satisfait": 4,
    "assez satisfait": 3,
    "plutot satisfait": 3,
    "satisfait": 3,
    "peu satisfait": 2,
    "plutot pas satisfait": 2,
    "plutot insatisfait": 2,
    "pas du tout satisfait": 1,
    "pas satisfait du tout": 1,
    "insatisfait": 1,
    "tres insatisfait": 1,
}
NO_OPINION = {"ne sait pas", "nsp", "ne se prononce pas", "sans avis", "nr", "non reponse"}
_UNREADABLE = object()


def _answer(value: str):
    text = fold(value).strip(" .")
    if not text or text in NO_OPINION:
        return None
    if text in LEVELS:
        return f"v{LEVELS[text]}"
    try:
        mark = float(text.replace(",", ".").removesuffix("/10").strip())
    except ValueError:
        return _UNREADABLE
    return f"m{mark:g}" if 0 <= mark <= 10 else _UNREADABLE


def parse_answers(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(normalised answers, mask of the unreadable ones)."""
    values = map_distinct(raw.fillna(""), _answer)
    bad = values.map(lambda v: v is _UNREADABLE).astype(bool)
    return values.where(~bad, None), bad
