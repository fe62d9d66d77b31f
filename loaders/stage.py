"""Staging, step one: type every column of a raw chunk, noting the unreadable values.

Every text column's phone-like runs are masked here (:mod:`loaders.mask`), before any
column is derived from it or checked, the caller's number and the advisor aside (hashed
whole by their source); a reason never quotes a number either.

A value is unreadable when it cannot be parsed, is longer than its warehouse column, or
is a date outside the plausible window (an event before 2000, anything more than a year
after the import): such a row goes to the quarantine, never into the warehouse.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from loaders.frame import LINE, PERSONAL_COLUMNS, RAW
from loaders.mask import mask_column, mask_phones
from loaders.normalise import PARSERS, fold, parse_code
from loaders.sources.base import Col, Source
from warehouse.french import number

# Dates later than this many days after the import are typing errors.
FUTURE_DAYS = 366


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
    "duration": "durée illisible (attendu des secondes, mm:ss ou hh:mm:ss)",
    "bool": "valeur oui/non illisible",
}
_DATES = ("datetime", "date", "month")


def type_chunk(
    frame: pd.DataFrame, source: Source, today: date | None = None, tokens: bool = True
) -> tuple[pd.DataFrame, list[dict]]:
    """Typed columns under canonical names, and one issue per unreadable value.
    ``tokens=False`` (a preview): numbers in identifiers masked without the key."""
    today = today or date.today()
    typed = pd.DataFrame({LINE: frame[LINE].to_numpy()}, index=frame.index)
    issues: list[dict] = []

    def note(bad: pd.Series, col: Col, reason) -> None:
        for index in bad[bad].index:
            issues.append(
                {
                    "line": int(frame.at[index, LINE]),
                    "column_name": col.name,
                    "reason": mask_phones(reason(index)),
                }
            )

    for col in source.columns:
        if col.joins:  # read into the column it completes
            continue
        raw = frame[col.name].astype("str")
        if col.kind == "code":
            values, bad = parse_code(raw, code_lookup(col))
        else:
            values, bad = PARSERS[col.kind](raw)
        if col.kind == "text" and col.name not in PERSONAL_COLUMNS:
            values = mask_column(values, free=col.free, tokens=tokens)
        typed[col.name] = values
        if bad.any():
            label = _KIND_LABELS[col.kind]
            note(bad, col, lambda i, label=label, raw=raw: f"{label} : « {raw[i].strip()[:80]} »")
        if col.kind in ("text", "code"):
            # A text's value is the stripped one already; a code's is its canonical form.
            lengths = (values if col.kind == "text" else raw.str.strip()).str.len()
            long = lengths > col.max_length
            if long.any():
                note(
                    long,
                    col,
                    lambda i, n=lengths, col=col: (
                        f"valeur trop longue : {number(n[i])} caractères (au plus {col.max_length})"
                    ),
                )
        if col.kind in _DATES:
            _implausible(values, bad, col, today, note)
    if source.name == "enquetes":
        _type_answers(frame, typed, note)
        nowhere = typed["ref_logement"].isna() & typed["agence"].isna()
        if nowhere.any():
            note(nowhere, source.col("agence"), lambda i: NOWHERE)
    typed[RAW] = frame[RAW]
    return typed, issues


NOWHERE = "ni logement ni agence : la réponse ne peut être rattachée à une agence"
ANSWER_LABEL = (
    "réponse illisible (attendu une note de 0 à 10, « très », « assez », « peu » ou « pas du "
    "tout satisfait », ou « ne sait pas »)"
)


def _type_answers(frame: pd.DataFrame, typed: pd.DataFrame, note) -> None:
    """A survey's question columns (``q:CODE``): one normalised answer per cell."""
    from loaders.answers import parse_answers
    from loaders.sources.surveys import QUESTION_PREFIX

    for name in [c for c in frame.columns if c.startswith(QUESTION_PREFIX)]:
        raw = frame[name].astype("str")
        values, bad = parse_answers(raw)
        typed[name] = values
        if bad.any():
            col = Col(name.removeprefix(QUESTION_PREFIX), "text")
            note(bad, col, lambda i, raw=raw: f"{ANSWER_LABEL} : « {raw[i].strip()[:80]} »")


def _implausible(values: pd.Series, bad: pd.Series, col: Col, today: date, note) -> None:
    floor = pd.Timestamp(col.since_year, 1, 1)
    ceiling = pd.Timestamp(today) + pd.Timedelta(days=FUTURE_DAYS)
    early = values.notna() & (values < floor) & ~bad
    late = values.notna() & (values >= ceiling) & ~bad
    if early.any():
        note(
            early,
            col,
            lambda i: f"date invraisemblable : {values[i]:%d/%m/%Y}, avant {col.since_year}",
        )
    if late.any():
        note(
            late,
            col,
            lambda i: (
                f"date invraisemblable : {values[i]:%d/%m/%Y}, plus d'un an après "
                f"l'import ({today:%d/%m/%Y})"
            ),
        )
