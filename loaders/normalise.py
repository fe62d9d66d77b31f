"""Folding and parsing of the messy values of real exports, vectorised over a column.

Every parser takes a column of raw strings ("" for empty) and returns the typed values
and a boolean mask of the non-empty values that could not be read.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_SEPARATORS = re.compile(r"[\s_\-'’]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Case-, accent- and separator-insensitive form: ``Clôturée`` -> ``cloturee``,
    ``Avis d’échéance`` -> ``avis d echeance``."""
    return _SEPARATORS.sub(" ", strip_accents(text).lower()).strip()


def header_key(header: str) -> str:
    """Header matching form: ignores case, accents, spaces, underscores and punctuation."""
    return _NOT_ALNUM.sub("", strip_accents(str(header)).lower())


# The longest header or alias we know is under 40 characters. A longer field of the
# first lines (a motif, a corrupted line) is no header: never folded nor compared, so a
# 1 MB field costs what a short one does in header detection (issue 28: 26 s before).
HEADER_MAX_CHARS = 200


def header_keys(fields: list[str]) -> list[str]:
    """:func:`header_key` of each field of a candidate header row; ``""`` (no header) for
    a field longer than :data:`HEADER_MAX_CHARS`."""
    return [header_key(f) if len(str(f)) <= HEADER_MAX_CHARS else "" for f in fields]


def _empty(raw: pd.Series) -> pd.Series:
    return raw.str.strip().eq("") | raw.isna()


def parse_text(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = raw.str.strip()
    return text.where(text.ne(""), None), pd.Series(False, index=raw.index)


def map_distinct(raw: pd.Series, func) -> pd.Series:
    """``func`` applied once per distinct value (None stays None): columns of codes,
    yes/no and numbers repeat a few values over millions of rows."""
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)  # iterates ten times faster than an Index
    mapped = np.array([func(u) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=raw.index, dtype="object")


def parse_code(raw: pd.Series, lookup: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """Map folded values through ``lookup`` (folded -> canonical).

    Unknown values stay folded, for the validation suite to reject with the allowed set.
    """

    def canonical(value: str):
        folded = fold(value)
        return lookup.get(folded, folded) if folded else None

    return map_distinct(raw, canonical), pd.Series(False, index=raw.index)


_TRUE = {"o", "oui", "y", "yes", "1", "true", "vrai", "v", "t"}
_FALSE = {"n", "non", "no", "0", "false", "faux", "f"}


def parse_bool(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    def truth(value: str):
        folded = fold(value)
        return True if folded in _TRUE else False if folded in _FALSE else None

    values = map_distinct(raw, truth).astype("boolean")
    return values, ~_empty(raw) & values.isna()


# A point between groups of three digits is a thousands separator (``12.500`` is twelve
# thousand five hundred, as a French spreadsheet writes it); with a comma after it too
# (``1.234,50``), the comma is the decimal mark; the reverse (``1,234.50``) is English.
_DOT_GROUPS = r"^-?\d{1,3}(\.\d{3})+(,\d*)?$"
_COMMA_GROUPS = r"^-?\d{1,3}(,\d{3})+\.\d*$"
_PLAIN = r"^-?\d{1,15}(\.\d{0,15})?$"
_DIGITS_OR_NOTHING = r"^\d{0,15}$"


def parse_number(raw: pd.Series, groups: bool = True) -> tuple[pd.Series, pd.Series]:
    """``1 234,5``, ``1234.5``, ``1\u00a0234``, ``12.500``, ``1.234,50`` -> float.

    ``groups=False`` reads a point as a decimal mark only (seconds: ``62.500`` is 62.5 s).
    """
    text = pa.array(raw.fillna(""), type=pa.large_string())
    # The usual value, plain digits or nothing, is cast at once; the others are cleaned.
    simple = pc.match_substring_regex(text, _DIGITS_OR_NOTHING).to_numpy(zero_copy_only=False)
    values = np.full(len(raw), np.nan)
    given = pc.filter(text, simple)
    cast = pc.cast(pc.if_else(pc.equal(given, ""), None, given), pa.float64())
    values[simple] = cast.to_numpy(zero_copy_only=False)
    bad = np.zeros(len(raw), dtype=bool)
    if not simple.all():
        rest = ~simple
        values[rest], bad[rest] = _parse_messy_number(raw[rest], groups)
    return pd.Series(values, index=raw.index), pd.Series(bad, index=raw.index)


def _parse_messy_number(raw: pd.Series, groups: bool) -> tuple[np.ndarray, np.ndarray]:
    empty = _empty(raw)
    text = pa.array(raw.fillna(""), type=pa.large_string())
    text = pc.replace_substring_regex(text, "[\\s\u00a0\u202f]", "")
    text = pc.replace_substring_regex(text, r"(?i)(eur|€|s|%)$", "")
    if groups:
        dot_groups = pc.match_substring_regex(text, _DOT_GROUPS)
        text = pc.if_else(dot_groups, pc.replace_substring(text, ".", ""), text)
        comma_groups = pc.match_substring_regex(text, _COMMA_GROUPS)
        text = pc.if_else(comma_groups, pc.replace_substring(text, ",", ""), text)
    text = pc.replace_substring(text, ",", ".")
    values = pd.Series(np.nan, index=raw.index)
    # Plain decimals are cast by Arrow; anything else ("1e3", "abc") by pandas.
    plain = pc.match_substring_regex(text, _PLAIN).to_numpy(zero_copy_only=False)
    values[plain] = pc.cast(pc.filter(text, plain), pa.float64()).to_numpy()
    other = ~plain & ~empty.to_numpy()
    if other.any():
        cleaned = pd.Series(pc.filter(text, other).to_numpy(zero_copy_only=False))
        values[other] = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype="float64")
    values = values.where(np.isfinite(values)).astype("float64")
    return values.to_numpy(), (~empty & values.isna()).to_numpy()


def parse_int(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    values, bad = parse_number(raw)
    whole = values.isna() | (values == values.round())
    out = values.where(whole).round().astype("Int64")
    return out, bad | ~whole


_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$")


def parse_duration(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Seconds as ACDs write them: ``62``, ``62,5``, ``01:02`` (mm:ss), ``1:02:03`` and
    ``00:01:02,5`` (h:mm:ss), an Excel time cell; rounded to the second, halves up."""
    text = raw.fillna("").str.strip()
    has_colon = text.str.contains(":", regex=False)
    seconds, bad = parse_number(text.where(~has_colon, ""), groups=False)
    if has_colon.any():
        clock = text[has_colon].str.extract(_CLOCK)
        hours = pd.to_numeric(clock[0], errors="coerce").fillna(0)
        minutes = pd.to_numeric(clock[1], errors="coerce")
        secs = pd.to_numeric(clock[2].str.replace(",", ".", regex=False), errors="coerce")
        ok = (minutes < 60) & (secs < 60)
        seconds[has_colon] = (hours * 3600 + minutes * 60 + secs).where(ok)
        bad = bad | (has_colon & seconds.isna())
    # A value past any integer column (9223372036854775296 s) stays out of range (its row is
    # quarantined as over 24 h) without overflowing the cast to integers.
    out = np.floor(seconds.clip(-1e12, 1e12) + 0.5).astype("Int64")
    return out, bad


_DATE_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%y %H:%M",
    "%d/%m/%y",
    "%d-%m-%y %H:%M:%S",
    "%d-%m-%y %H:%M",
    "%d-%m-%y",
    "%d.%m.%y %H:%M:%S",
    "%d.%m.%y %H:%M",
    "%d.%m.%y",
]
# _DATE_FORMATS[0] with two digits each, every part in its range (a day up to 31).
_USUAL = r"^(0[1-9]|[12]\d|3[01])/(0[1-9]|1[0-2])/[1-9]\d{3} ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Excel serial dates from 1927 (10000) on; four digits would be a year, never a date.
_SERIAL = re.compile(r"^\d{5}([.,]\d+)?$")


def parse_datetime(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """French dates, ISO 8601 (offsets converted to Paris time) and Excel serial dates."""
    empty = _empty(raw)
    text = raw.fillna("").str.strip()
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    todo = ~empty
    # The usual spelling, parsed by Arrow; every other one by the loop below.
    arrow = pa.array(text, type=pa.large_string())
    usual = pc.match_substring_regex(arrow, _USUAL).to_numpy(zero_copy_only=False)
    if usual.any():
        given = pc.filter(arrow, usual)
        stamps = pc.strptime(given, format=_DATE_FORMATS[0], unit="us", error_is_null=True)
        stamps = pc.if_else(_as_written(given, stamps), stamps, None)
        out[usual] = stamps.to_numpy(zero_copy_only=False)
        todo &= out.isna()
    for fmt in _DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        out[parsed.index] = out[parsed.index].fillna(parsed)
        todo &= out.isna()
    if todo.any():
        serial = text[todo][text[todo].str.match(_SERIAL)]
        days = pd.to_numeric(serial.str.replace(",", ".", regex=False), errors="coerce")
        days = days[(days > 366) & (days < 2958466)]
        seconds = pd.to_timedelta((days * 86_400).round(), unit="s")
        out[days.index] = (_EXCEL_EPOCH + seconds).astype("datetime64[us]")
        todo &= out.isna()
    if todo.any():
        out[todo] = _parse_iso(text[todo])
        todo &= out.isna()
    return out.dt.round("s"), todo


def _as_written(given: pa.Array, stamps: pa.Array) -> pa.Array:
    """Arrow rolls 31/02 over to 03/03: keep only the stamps whose day is the one written
    (``_USUAL`` holds every other part in its range, so only a day from 29 can roll)."""
    day = pc.utf8_slice_codeunits(given, 0, 2)
    late = pc.greater_equal(day, "29")
    same = pc.equal(pc.day(stamps), pc.cast(day, pa.int64()))
    return pc.and_(pc.is_valid(stamps), pc.or_(pc.invert(late), pc.fill_null(same, False)))


_OFFSET = r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})$"


def _parse_iso(text: pd.Series) -> pd.Series:
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    iso = text.str.match(r"^\d{4}-\d{2}-\d{2}")
    aware = iso & text.str.contains(_OFFSET, regex=True)
    naive = iso & ~aware
    if naive.any():
        out[naive] = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
    if aware.any():
        stamps = pd.to_datetime(text[aware], format="ISO8601", errors="coerce", utc=True)
        out[aware] = stamps.dt.tz_convert("Europe/Paris").dt.tz_localize(None)
    return out


def parse_date(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    values, bad = parse_datetime(raw)
    return values.dt.normalize(), bad


def parse_month(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``yyyy-mm`` (also ``mm/yyyy``, a full date) -> first day of the month."""
    text = raw.fillna("").str.strip()
    out = pd.to_datetime(text, format="%Y-%m", errors="coerce")
    for fmt in ("%m/%Y", "%Y/%m", "%Y%m"):
        missing = out.isna() & text.ne("")
        if fmt == "%Y%m":
            missing &= text.str.fullmatch(r"\d{6}")
        if missing.any():
            out[missing] = pd.to_datetime(text[missing], format=fmt, errors="coerce")
    missing = out.isna() & text.ne("")
    if missing.any():
        dates, _ = parse_datetime(text[missing])
        out[missing] = dates
    out = out.dt.to_period("M").dt.to_timestamp()
    return out, text.ne("") & out.isna()


PARSERS = {
    "text": parse_text,
    "bool": parse_bool,
    "number": parse_number,
    "int": parse_int,
    "duration": parse_duration,
    "datetime": parse_datetime,
    "date": parse_date,
    "month": parse_month,
}
