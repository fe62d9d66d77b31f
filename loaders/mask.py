"""Phone-like runs masked in every text value an import keeps, identifiers included.

Staging calls :func:`mask_column` on every text column of every source (one point of the
pipeline, whatever a profile maps where), after typing and before anything is derived:

- in free text (a motif, a label) a number becomes ``[numéro masqué]``;
- in an identifier (a call id, a queue, a dwelling, a request id, an agency...) the run
  becomes a keyed token, ``TEL-`` and 10 hex characters of an HMAC under the pseudonym
  key: two equal raw ids still give one stored id, so keys still join across sources and
  importing twice changes nothing; without the key the number cannot be found back.

The caller's number and the advisor (:data:`loaders.frame.PERSONAL_COLUMNS`) are hashed
whole by :mod:`loaders.pseudonym` and never pass here. The quarantine's lines are masked
with :func:`mask_values`.
"""

from __future__ import annotations

import hmac
import re

import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from loaders.pseudonym import normalise_phone, secret_key

MASK = "[numéro masqué]"
TOKEN_PREFIX = "TEL-"
_NON_DIGITS = re.compile(r"\D+")
# French numbers in every common spelling (06 50 50 50 01, 0650505001, 06.50.50.50.01,
# 07/31/43/65/87, +33 6 50 50 50 01, 0033 (0)6..., 33650505001), the same separator
# between every pair (so that « 03/03/2025 08:31 » is no number), embedded in an id or
# not (« RQ-0647474701 », « 0645454501-20250303 »); and international ones written +xx.
PHONE_PATTERN = re.compile(
    r"(?<![\d+])(?:(?:\+|00)?33[\s.\-/]?(?:\(0\))?[\s.\-/]?|0)[1-9]"
    r"(?P<sep>[\s.\-/]?)\d{2}(?:(?P=sep)\d{2}){3}(?!\d)"
    r"|(?<![\d+])\+\d(?:[\s.\-/]?\d){7,14}(?!\d)"
)
# Arrow's (RE2) test of a value that may hold a number: PHONE_PATTERN without what RE2
# lacks (look-behind, a back-reference), so it finds a superset of its matches; only the
# values it finds go through Python's patterns (a million call ids « C25000000123 »: 0.3 s
# instead of 6.5 s). Free text's looser test: a run of digits.
_MAYBE_ID_PHONE = (
    r"(?:^|[^\d+])(?:(?:\+|00)?33[\s.\-/]?(?:\(0\))?[\s.\-/]?|0)[1-9](?:[\s.\-/]?\d{2}){4}(?:\D|$)"
    r"|(?:^|[^\d+])\+\d(?:[\s.\-/]?\d){7,14}(?:\D|$)"
)
_MAYBE_PHONE = r"\d[\d\s./()\-]{5,}\d"
_DIGIT_RUN = re.compile(_MAYBE_PHONE)


def mask_phones(text: str) -> str:
    """Replace anything that looks like a phone number by ``[numéro masqué]``: French
    spellings first, then whatever ``phonenumbers`` finds (``648987654``,
    ``0044 20 7946 3959``, ``+1 (212) 555-3199``...). Dates and counts stay."""
    if not _DIGIT_RUN.search(text):
        return text
    text = PHONE_PATTERN.sub(MASK, text)
    found = phonenumbers.PhoneNumberMatcher(text, "FR", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in reversed(list(found)):
        if match.number.national_number >= 100_000:
            text = text[: match.start] + MASK + text[match.end :]
    return text


def mask_values(text: str, values) -> str:
    """Mask the given personal values (as they were read), then anything phone-like."""
    for value in values:
        if isinstance(value, str) and value.strip():
            text = text.replace(value.strip(), MASK)
    return mask_phones(text)


def token(run: str, key: bytes | None = None) -> str:
    """The keyed token of a number found in an identifier: one per number, whatever its
    spelling (``06 46 46 46 01`` and ``0646464601`` give the same)."""
    digits = normalise_phone(run) or _NON_DIGITS.sub("", run)
    digest = hmac.digest(key or secret_key(), ("masque:" + digits).encode(), "sha256")
    return TOKEN_PREFIX + digest.hex()[:10].upper()


def mask_identifier(text: str, key: bytes | None = None) -> str:
    """Each phone-like run of an identifier replaced by its keyed token."""
    key = key or secret_key()
    return PHONE_PATTERN.sub(lambda m: token(m.group(0), key), text)


def mask_column(values: pd.Series, free: bool, tokens: bool = True) -> pd.Series:
    """A typed text column with its phone-like runs masked (``free``: free text, else an
    identifier; ``tokens=False``: an identifier's runs shown as ``[numéro masqué]``, for a
    preview, which must not need, nor generate, the pseudonym key). Arrow's pattern picks the values that may hold a number; only those go
    through Python's, each distinct one once."""
    if values.empty:
        return values
    text = pa.array(values, type=pa.large_string(), from_pandas=True)
    if isinstance(text, pa.ChunkedArray):  # a column read in several Arrow chunks
        text = text.combine_chunks()
    maybe = pc.match_substring_regex(text, _MAYBE_PHONE if free else _MAYBE_ID_PHONE)
    maybe = maybe.fill_null(False)
    if not pc.any(maybe).as_py():
        return values
    if free:
        func = mask_phones
    elif not tokens:
        func = lambda v: PHONE_PATTERN.sub(MASK, v)  # noqa: E731
    else:
        key = secret_key()
        func = lambda v: mask_identifier(v, key)  # noqa: E731
    encoded = pc.dictionary_encode(text.filter(maybe))
    masked = pa.array([func(v) for v in encoded.dictionary.to_pylist()], pa.large_string())
    out = pc.replace_with_mask(text, maybe, masked.take(encoded.indices))
    return pd.Series(pd.array(out, dtype=values.dtype), index=values.index)


def mask_free_text(values: pd.Series) -> pd.Series:
    """Phone numbers masked in a column of free text (each distinct value once)."""
    return mask_column(values, free=True)
