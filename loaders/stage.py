"""Staging, step one: type every column of a raw chunk, noting the unreadable values."""

from __future__ import annotations

import pandas as pd

from loaders.normalise import PARSERS, fold, parse_code
from loaders.read import LINE, RAW
from loaders.sources import Col, Source


def code_lookup(col: Col) -> dict[str, str]:
    lookup = {fold(v): v for v in col.allowed}
    lookup |= {fold(k): v for k, v in col.synonyms.items()}
    return lookup


_KIND_LABELS = {
    "datetime": "date/heure illisible",
    "date": "date illisible",
    "month": "période illisible (attendu aaaa-mm)",
    "int": "nombre entier illisible",
    "number": "nombre illisible",
    "bool": "valeur oui/non illisible",
}


def type_chunk(frame: pd.DataFrame, source: Source) -> tuple[pd.DataFrame, list[dict]]:
    """Typed columns under canonical names, and one issue per unreadable value."""
    typed = pd.DataFrame({LINE: frame[LINE].to_numpy()}, index=frame.index)
    issues: list[dict] = []
    for col in source.columns:
        raw = frame[col.name].astype("str")
        if col.kind == "code":
            values, bad = parse_code(raw, code_lookup(col))
        else:
            values, bad = PARSERS[col.kind](raw)
        typed[col.name] = values
        if bad.any():
            label = _KIND_LABELS[col.kind]
            for index in bad[bad].index:
                issues.append(
                    {
                        "line": int(frame.at[index, LINE]),
                        "column_name": col.name,
                        "reason": f"{label} : « {raw[index].strip()[:80]} »",
                    }
                )
    typed[RAW] = frame[RAW]
    return typed, issues
