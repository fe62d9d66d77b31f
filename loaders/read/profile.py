"""Import profiles: how one system's export maps onto one of our sources, declared in TOML.

A profile names the system's columns (or, for a header-less file, its fields in order),
how it is recognised, which rows are records, how its dates and durations are written,
how several records of one call become one, and how each of our columns is made from
the system's: a column, a constant, a difference of two dates, a value map, ordered
rules. ``loaders/read/translate.py`` applies it. Profiles ship in ``loaders/profiles/``; a
landlord adds its own in the folder ``PILOTAGE_PROFILES_DIR``. Our own layout needs no
profile (its name is ``pilotage``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from loaders.normalise import fold, header_key
from loaders.sources import SOURCES
from warehouse import config

SHIPPED = Path(__file__).resolve().parent.parent / "profiles"
OURS = "pilotage"  # our own layout, the default: no profile
DATE_KINDS = ("iso", "epoch", "epoch_ms")  # besides strptime formats
DURATION_UNITS = ("s", "ms", "clock", "ms_or_s")


class ProfileError(ValueError):
    """A profile file is wrong: the message says where, in French."""


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    source: str
    path: Path
    follows: str = ""  # the documentation the profile was built from
    unclear: str = ""  # what that documentation left open
    cannot: str = ""  # what this export cannot give, said in every report
    header: bool = True
    fields: tuple[str, ...] = ()  # a header-less file's fields, in order
    delimiter: str | None = None
    timezone: str = "Europe/Paris"  # of the dates written without an offset
    detect: dict = field(default_factory=dict)
    keep: dict = field(default_factory=dict)
    dates: dict = field(default_factory=dict)  # system column -> iso, epoch, strptime format
    durations: dict = field(default_factory=dict)  # system column -> s, ms, clock
    legs: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)  # our column -> system column or rule
    values: dict = field(default_factory=dict)  # our column -> {system value: ours}
    outcome: tuple[dict, ...] = ()  # ordered rules for `issue`

    def key(self, column: str) -> str:
        return header_key(column)

    def needed(self) -> set[str]:
        """The system columns the profile reads (folded)."""
        names: set[str] = set()
        for spec in self.columns.values():
            names |= _spec_columns(spec)
        ours = {header_key(c.name) for c in SOURCES[self.source].columns}
        for rule in self.outcome:
            conditions = rule.get("when", [])
            for when in conditions if isinstance(conditions, list) else [conditions]:
                names |= _spec_columns(when) - ours
        for part in (self.keep, self.legs):
            names |= {header_key(v) for k, v in part.items() if k in ("column", "group_by")}
        names |= {header_key(c) for c in self.legs.get("order_by", [])}
        return names

    def fits_header(self, fields: list[str]) -> bool:
        wanted = self.detect.get("headers", [])
        keys = {header_key(f) for f in fields}
        return bool(wanted) and all(header_key(w) in keys for w in wanted)

    def missing(self, fields: list[str]) -> list[str]:
        keys = {header_key(f) for f in fields}
        return sorted(c for c in self.needed() if c not in keys)

    def fits_rows(self, rows: list[list[str]]) -> bool:
        """A header-less file: the first rows have the profile's width and patterns."""
        patterns = self.detect.get("patterns", {})
        if not self.fields or not patterns or not rows:
            return False
        for fields in rows[:5]:
            if len(fields) < len(self.fields):
                return False
            for position, pattern in patterns.items():
                if not re.search(pattern, fields[int(position)].strip()):
                    return False
        return True


def _spec_columns(spec) -> set[str]:
    if isinstance(spec, str):
        return {header_key(spec)}
    if isinstance(spec, dict):
        out: set[str] = set()
        for key in ("column", "first", "difference", "otherwise", "sum"):
            value = spec.get(key)
            if isinstance(value, str):
                out.add(header_key(value))
            elif isinstance(value, list):
                out |= {header_key(v) for v in value}
        return out
    return set()


def profiles_dir() -> Path | None:
    folder = config.get("PILOTAGE_PROFILES_DIR")
    return Path(folder) if folder else None


def all_profiles() -> dict[str, Profile]:
    """Shipped profiles, then the user's (a user profile may replace a shipped one)."""
    return _load_all(str(profiles_dir() or ""))


@cache
def _load_all(user_dir: str) -> dict[str, Profile]:
    found = {}
    folders = [SHIPPED] + ([Path(user_dir)] if user_dir else [])
    for folder in folders:
        for path in sorted(folder.glob("*.toml")):
            profile = load_profile(path)
            found[profile.name] = profile
    return found


def get_profile(name: str) -> Profile | None:
    """The named profile; None for our own layout; ProfileError for an unknown name."""
    if name == OURS:
        return None
    profiles = all_profiles()
    if name not in profiles:
        known = ", ".join([OURS, *sorted(profiles)])
        raise ProfileError(f"profil inconnu « {name} » ; profils disponibles : {known}")
    return profiles[name]


def load_profile(path: Path) -> Profile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"profil {path.name} illisible : {exc}") from exc
    where = f"profil {path.name}"
    for key in ("name", "label", "source", "columns"):
        if key not in data:
            raise ProfileError(f"{where} : clé « {key} » absente")
    if data["source"] not in SOURCES:
        raise ProfileError(f"{where} : source « {data['source']} » inconnue")
    source = SOURCES[data["source"]]
    unknown = [c for c in data["columns"] if c not in {col.name for col in source.columns}]
    if unknown:
        raise ProfileError(f"{where} : colonnes inconnues de « {source.name} » : {unknown}")
    for column, kind in data.get("durations", {}).items():
        if kind not in DURATION_UNITS:
            raise ProfileError(
                f"{where} : unité « {kind} » de « {column} » (s, ms, clock ou ms_or_s)"
            )
    keep = data.get("keep", {})
    if keep and not {"column", "in", "reason"} <= set(keep):
        raise ProfileError(f"{where} : [keep] demande « column », « in » et « reason »")
    header = data.get("header", True)  # false: the file may come without its header line
    if not header and not data.get("fields"):
        raise ProfileError(f"{where} : un fichier sans en-tête demande la liste « fields »")
    values = {
        column: {fold(str(k)): v for k, v in mapping.items()}
        for column, mapping in data.get("values", {}).items()
    }
    return Profile(
        name=data["name"],
        label=data["label"],
        source=data["source"],
        path=path,
        follows=data.get("follows", ""),
        unclear=data.get("unclear", ""),
        cannot=data.get("cannot", ""),
        header=header,
        fields=tuple(data.get("fields", ())),
        delimiter=data.get("delimiter"),
        timezone=data.get("timezone", "Europe/Paris"),
        detect=data.get("detect", {}),
        keep=data.get("keep", {}),
        dates=data.get("dates", {}),
        durations=data.get("durations", {}),
        legs=data.get("legs", {}),
        columns=data["columns"],
        values=values,
        outcome=tuple(data.get("outcome", ())),
    )
