"""What every import source declares: its columns (canonical French headers, kinds,
aliases, allowed codes), how its typed rows become staging rows, the checks beyond the
column specs, and how the warehouse merges it.

Headers are matched on their folded form (see :func:`loaders.normalise.header_key`), so
``N° Demande``, ``num_demande`` and ``NUM-DEMANDE`` are one header. The aliases listed in
the family modules are documented in ``docs/import-formats.md`` (a test checks both agree).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from loaders.normalise import fold, map_distinct

# Event dates (calls, contacts, requests, costs, staffing) before 2000 are typing errors;
# reference dates (a dwelling entering the stock, an agency opening) may be older.
EVENTS_SINCE = 2000
REFERENCE_SINCE = 1800
FAMILY_MAX_CHARS = 100  # fact_call.motif_family


@dataclass(frozen=True)
class Col:
    name: str  # canonical French header
    kind: str  # text, code, datetime, date, month, int, number, duration, bool, time
    required: bool = False
    aliases: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()  # folded values, for kind "code"
    synonyms: dict = field(default_factory=dict)  # folded value -> allowed value
    max_length: int = 200  # characters, for text and codes: the warehouse column's width
    joins: str | None = None  # a time-of-day column completing this date column
    since_year: int = EVENTS_SINCE  # dates before this year are implausible
    # Free text (a motif, a label): a phone-like run becomes « [numéro masqué] »; in any
    # other text column (an identifier, a code, a name) a keyed token (loaders.mask).
    free: bool = False


def _no_checks(expectations) -> list:
    return []


def _nothing_after(conn, load_id: int) -> None:
    return None


@dataclass(frozen=True)
class Source:
    """One import source. ``shape`` turns typed rows (canonical columns) into the rows of
    the source's staging table (``line_number`` first); ``checks`` gives the validation
    rules beyond required values and allowed codes, as (Great Expectations expectation,
    French reason) pairs built from ``gx.expectations``; ``merge`` runs the warehouse's
    loading SQL for the staged file and returns (inserted, updated), or (inserted, updated,
    :class:`warehouse.load.corrections.Corrections`) when it compares stored rows; ``after_merge``
    refreshes what depends on it; ``written`` and ``refreshed`` are the tables whose
    statistics the planner needs fresh after each."""

    name: str
    label: str
    columns: tuple[Col, ...]
    shape: Callable[[pd.DataFrame, dict], pd.DataFrame] | None = None
    checks: Callable[[object], list] = _no_checks
    merge: Callable[[object, int], tuple[int, int]] | None = None
    after_merge: Callable[[object, int], None] = _nothing_after
    written: tuple = ()
    refreshed: tuple = ()
    # Lines to quarantine that only the whole file shows (costs: a month's negative total):
    # staged rows (with ``_raw``) -> (line_number, column_name, reason, _raw) rows.
    file_check: Callable[[pd.DataFrame], pd.DataFrame] | None = None

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)


# Columns several sources share.
AGENCY = Col("agence", "text", True, ("agency", "code agence"), max_length=40)
DWELLING = Col(
    "ref_logement", "text", False, ("dwelling", "dwelling_id", "logement"), max_length=60
)
REQUEST_ID = Col(
    "num_demande", "text", False, ("request_id", "n demande", "numero demande"), max_length=80
)


def not_before(e, later: str, earlier: str, reason: str) -> tuple:
    """``later`` is on or after ``earlier`` where both are given."""
    rule = e.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=later, column_B=earlier, or_equal=True, ignore_row_if="either_value_is_missing"
    )
    return rule, reason


def between(e, column: str, low: float, high: float | None, reason: str) -> tuple:
    return e.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high), reason


# --- row-local derivations shared by the shapers --------------------------------------


def date_key(stamps: pd.Series) -> pd.Series:
    return (stamps.dt.year * 10000 + stamps.dt.month * 100 + stamps.dt.day).astype("Int64")


def time_key(stamps: pd.Series) -> pd.Series:
    return (stamps.dt.hour * 2 + stamps.dt.minute // 30).astype("Int64")


def code(values: pd.Series) -> pd.Series:
    """Reference codes (agency, dwelling, queue, team) compare upper-case and trimmed."""
    return values.str.strip().str.upper().where(values.notna(), None)


def motif_family(motif: pd.Series) -> pd.Series:
    """The text before `` - `` of a ``Famille - détail`` motif, folded."""
    return map_distinct(motif, lambda m: fold(m.split(" - ", 1)[0])[:FAMILY_MAX_CHARS])
