"""Keyed pseudonymisation of caller numbers and advisor ids (HMAC-SHA256).

The key comes from ``PILOTAGE_PSEUDONYM_KEY`` or, failing that, from a secret generated
once into the user's configuration folder (:func:`key_file`, mode 600), never from the
repo nor beside the warehouse.
The same number always gives the same pseudonym under one key, so repeat calls can be
linked; without the key a pseudonym cannot be reversed by trying every number.

The key fails closed: it must be at least 32 characters; its fingerprint (an HMAC of a
fixed text, which reveals nothing of the key) is recorded in the warehouse at the first
import, and an import with another key is refused; no key is ever generated for a
warehouse that already holds pseudonyms.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from loaders.keyed_hash import hmac_hex
from loaders.normalise import map_distinct
from warehouse import config
from warehouse.engine import data_dir

KEY_ENV = "PILOTAGE_PSEUDONYM_KEY"
_NON_DIGITS = re.compile(r"\D+")


KEY_FILE_SETTING = "PILOTAGE_PSEUDONYM_KEY_FILE"
KEY_FILE_NAME = "pseudonym.key"


def key_file() -> Path:
    """Where the key is kept when ``PILOTAGE_PSEUDONYM_KEY`` is not given: the file
    ``PILOTAGE_PSEUDONYM_KEY_FILE`` names, else the user's configuration folder
    (``$XDG_CONFIG_HOME/pilotage-grl/``, ``~/.config/pilotage-grl/``), never beside the
    warehouse: a copy of the data folder must not carry the key of its pseudonyms."""
    given = config.get(KEY_FILE_SETTING)
    if given:
        return Path(given).expanduser()
    home = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(home) / "pilotage-grl" / KEY_FILE_NAME


def legacy_key_file() -> Path:
    """Where earlier versions generated the key: beside the DuckDB warehouse."""
    return data_dir() / KEY_FILE_NAME


MIN_KEY_CHARS = 32
FINGERPRINT_SETTING = "pseudonym_key_fingerprint"


class KeyRefused(Exception):
    """The pseudonym key is missing, weak, or not this warehouse's; the message is French."""


@lru_cache(maxsize=4)
def _key(env_value: str | None, path: str) -> bytes:
    if env_value is not None:
        key, where = env_value.strip(), KEY_ENV
    else:
        key, where = _read_key_file(Path(path)), path
    if len(key) < MIN_KEY_CHARS:
        raise KeyRefused(
            f"clé de pseudonymisation trop faible dans {where} : {len(key)} caractères, il en "
            f'faut au moins {MIN_KEY_CHARS} (par exemple : python -c "import secrets; '
            'print(secrets.token_hex(32))")'
        )
    return key.encode()


def _read_key_file(file: Path) -> str:
    """The key file's text, the file generated first (mode 600, in a folder of mode 700)
    when there is none, nor any left beside the warehouse by an earlier version."""
    legacy = legacy_key_file()
    try:
        if not file.exists():
            if legacy.exists() and legacy.resolve() != file.resolve():
                raise KeyRefused(
                    f"la clé de pseudonymisation est encore dans {legacy}, à côté de "
                    f"l'entrepôt : déplacez-la vers {file} (droits 600), ou indiquez son "
                    f"emplacement par {KEY_FILE_SETTING} ; une copie du dossier de données "
                    "ne doit pas emporter la clé"
                )
            file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        elif file.stat().st_mode & 0o077:
            file.chmod(0o600)  # readable by the owner only, whoever wrote it
        return file.read_text(encoding="utf-8").strip()
    except KeyRefused:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise KeyRefused(
            f"clé de pseudonymisation illisible ({file}) : {why} ; vérifiez le fichier et "
            f"ses droits (lisible par le compte qui importe, droits 600), ou donnez la clé "
            f"par {KEY_ENV} ou un autre fichier par {KEY_FILE_SETTING}"
        ) from exc


def secret_key() -> bytes:
    return _key(config.get(KEY_ENV), str(key_file()))


def fingerprint(key: bytes) -> str:
    """Tells keys apart without revealing them (16 hex characters)."""
    return hmac.digest(key, b"pilotage-grl: key fingerprint", "sha256").hex()[:16]


def check_key(conn) -> None:
    """Before an import writes a pseudonym: the key must be this warehouse's.

    Records the key's fingerprint at the first import; refuses another key, and refuses to
    generate a key for a warehouse that already holds pseudonyms (a lost key file would
    otherwise be replaced silently and split every caller's history).
    """
    from warehouse.load.meta import get_setting, holds_pseudonyms, set_setting

    stored = get_setting(conn, FINGERPRINT_SETTING)
    # A key left beside the warehouse by an earlier version is not lost: secret_key() says
    # where to move it.
    lost = not config.is_set(KEY_ENV) and not (key_file().exists() or legacy_key_file().exists())
    if lost and (stored or holds_pseudonyms(conn)):
        raise KeyRefused(
            f"clé de pseudonymisation introuvable ({KEY_ENV} absente et {key_file()} "
            "manquant) alors que l'entrepôt contient déjà des pseudonymes : restaurez la "
            "clé depuis votre sauvegarde ; en créer une nouvelle séparerait l'historique "
            "de chaque appelant"
        )
    current = fingerprint(secret_key())
    if stored is None:
        set_setting(conn, FINGERPRINT_SETTING, current)
    elif stored != current:
        raise KeyRefused(
            f"la clé de pseudonymisation n'est pas celle de cet entrepôt (empreinte {current}, "
            f"attendue {stored}) : importer avec elle donnerait d'autres pseudonymes aux mêmes "
            "appelants ; reprenez la clé d'origine (voir « Personal data » dans "
            "docs/deploying.md)"
        )


_FRENCH = re.compile(r"0[1-9]\d{8}")


def normalise_phone(number: str) -> str | None:
    """One spelling per number, or None for a hidden or impossible one.

    French numbers in any spelling (``06 12 34 56 78``, ``+33 (0)6…``, ``0033…``,
    ``33612345678``, ``tel:+33…``, ``612345678`` from a numeric Excel cell, ``0612345678.0``)
    become their ten-digit national form; others their E.164 form (``+442079463959``).
    Parsed with ``phonenumbers`` (region FR); hidden callers (``0``, ``00000000``,
    ``+33000000000``, ``anonymous``) get None, so they never become one "repeat caller".
    """
    text = number.strip().removesuffix(".0")
    digits = _NON_DIGITS.sub("", text)
    if _FRENCH.fullmatch(digits) and not text.startswith(("+", "(")):
        return digits  # the common case, without the parser's cost
    try:
        parsed = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        return None
    if parsed.national_number < 100_000 or not phonenumbers.is_possible_number(parsed):
        return None
    if parsed.country_code == 33:
        return f"0{parsed.national_number}"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _digest(value: str, key: bytes, length: int) -> str:
    return hmac.digest(key, value.encode(), "sha256").hex()[:length]


def caller_keys(numbers: pd.Series, known: dict | None = None) -> pd.Series:
    """Pseudonym (32 hex chars) of each caller number; None where there is none.

    ``known`` carries the numbers already hashed (as written, with their pseudonyms, two
    Arrow arrays kept in memory only) from one chunk of a file to the next, so that each
    distinct number is hashed once per file. Everything runs over Arrow arrays: a distinct
    pass, a lookup of the known numbers, one vectorised hash of the new ones.
    """
    key = secret_key()
    state = {} if known is None else known
    encoded = pc.dictionary_encode(_arrow_text(numbers))
    uniques = encoded.dictionary
    seen = state.get("numbers", pa.array([], pa.string()))
    keys = state.get("keys", pa.array([], pa.string()))
    found = pc.index_in(uniques, value_set=seen)  # one hash table of the known numbers
    fresh = pc.is_null(found)
    new = uniques.filter(fresh)
    if len(new):
        # The new numbers go after the known ones, in the order they come.
        where = found.fill_null(0).to_numpy().astype(np.int64)
        where[fresh.to_numpy(zero_copy_only=False)] = np.arange(len(seen), len(seen) + len(new))
        found = pa.array(where)
        seen = pa.concat_arrays([seen, new])
        keys = pa.concat_arrays([keys, _pseudonyms(new, key)])
        state["numbers"], state["keys"] = seen, keys
    unique_keys = keys.take(found)
    return pd.Series(
        unique_keys.take(encoded.indices).to_numpy(zero_copy_only=False),
        index=numbers.index,
        dtype="object",
    )


def _arrow_text(values: pd.Series) -> pa.Array:
    """A column of text as one Arrow string array (no copy for an Arrow-backed column)."""
    array = pa.array(values, type=pa.string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _pseudonyms(numbers: pa.Array, key: bytes) -> pa.Array:
    """The pseudonym of each (non-null) number, hashed in one vectorised pass
    (``hmac_hex``). Ten-digit French numbers spelled with spaces, dots or dashes, by far
    the most common, are recognised without a regular expression; the others go through
    ``normalise_phone`` one by one."""
    digits = numbers
    for separator in (" ", ".", "-"):
        digits = pc.replace_substring(digits, separator, "")
    plain = pc.match_substring_regex(digits, "^" + _FRENCH.pattern + "$")
    if not pc.all(plain).as_py():
        pairs = zip(numbers.to_pylist(), digits.to_pylist(), plain.to_pylist(), strict=True)
        digits = pa.array(
            [d if is_plain else normalise_phone(n) for n, d, is_plain in pairs], pa.string()
        )
    return hmac_hex(digits, key, "tel:", 32)


def advisor_codes(agents: pd.Series) -> pd.Series:
    """Pseudonymous advisor code (``CONS-`` and 8 hex chars) for each advisor id."""
    key = secret_key()
    return map_distinct(
        agents, lambda a: "CONS-" + _digest("agent:" + a.strip().lower(), key, 8).upper()
    )
