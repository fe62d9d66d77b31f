"""Keyed pseudonymisation of caller numbers and advisor ids (HMAC-SHA256).

The key comes from ``PILOTAGE_PSEUDONYM_KEY`` or, failing that, from a secret generated
once beside the warehouse (``<data dir>/pseudonym.key``, mode 600), never from the repo.
The same number always gives the same pseudonym under one key, so repeat calls can be
linked; without the key a pseudonym cannot be reversed by trying every number.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path

import pandas as pd

from warehouse.engine import data_dir

KEY_ENV = "PILOTAGE_PSEUDONYM_KEY"
_NON_DIGITS = re.compile(r"\D+")
# French and international numbers as they appear in exports (06 12 34 56 78, +33 6...).
PHONE_PATTERN = re.compile(
    r"(?<![\w+])(?:(?:\+|00)33[\s.\-]?(?:\(0\))?[\s.\-]?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\w)"
    r"|\+\d(?:[\s.\-]?\d){7,14}(?!\w)"
)
MASK = "[numéro masqué]"


def key_file() -> Path:
    return data_dir() / "pseudonym.key"


@lru_cache(maxsize=4)
def _key(env_value: str | None, path: str) -> bytes:
    if env_value:
        return env_value.encode()
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return file.read_text().strip().encode()


def secret_key() -> bytes:
    return _key(os.environ.get(KEY_ENV), str(key_file()))


def normalise_phone(number: str) -> str:
    digits = _NON_DIGITS.sub("", number)
    if number.strip().startswith("+33") or digits.startswith("0033"):
        digits = "0" + digits.removeprefix("0033").removeprefix("33")
    return digits


def _digest(value: str, key: bytes, length: int) -> str:
    return hmac.digest(key, value.encode(), "sha256").hex()[:length]


def caller_keys(numbers: pd.Series, known: dict | None = None) -> pd.Series:
    """Pseudonym (32 hex chars) of each caller number; None where there is none.

    ``known`` (number as written -> pseudonym) carries the numbers already hashed from one
    chunk of a file to the next, so that each distinct number is hashed once per file.
    """
    key = secret_key()
    mapping = {} if known is None else known
    for number in numbers.dropna().unique():
        if number not in mapping:
            digits = normalise_phone(number)
            mapping[number] = _digest("tel:" + digits, key, 32) if digits else None
    return numbers.map(mapping).astype("object").where(numbers.notna(), None)


def advisor_codes(agents: pd.Series) -> pd.Series:
    """Pseudonymous advisor code (``CONS-`` and 8 hex chars) for each advisor id."""
    key = secret_key()
    uniques = agents.dropna().unique()
    mapping = {a: "CONS-" + _digest("agent:" + a.strip().lower(), key, 8).upper() for a in uniques}
    return agents.map(mapping).astype("object").where(agents.notna(), None)


def mask_values(text: str, values) -> str:
    """Mask the given personal values (as they were read), then anything phone-like."""
    for value in values:
        if isinstance(value, str) and value.strip():
            text = text.replace(value.strip(), MASK)
    return mask_phones(text)


def mask_phones(text: str) -> str:
    """Replace anything that looks like a phone number by ``[numéro masqué]``."""
    return PHONE_PATTERN.sub(MASK, text)
