"""Who may see what: roles, the access file the IT team edits, and scoped filters.

Roles:

- ``direction``: every agency, every page;
- ``analyste``: every agency, every page and export, the quarantine's raw lines included;
- ``qualite``: only the agencies the access file gives; every figure is computed over
  them (``Filters.allowed_agencies``, applied in every warehouse query), with the
  organisme's totals offered only as a reference.

The access file (TOML) maps e-mails, then groups, to a role::

    [users."marie.durand@office-hlm.fr"]
    role = "qualite"
    agencies = ["AG01", "AG02"]

    [groups."grl-direction"]
    role = "direction"

An e-mail entry wins over groups. Among several matching groups the widest role wins
(direction, then analyste, then qualite, whose agencies add up). Anyone the file does not
name has no access: the dashboard fails closed.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from warehouse.engine import PROJECT_ROOT
from warehouse.kpis.params import Filters

ROLES = {
    "direction": "Direction",
    "analyste": "Analyste",
    "qualite": "Qualité",
}
WIDEST_FIRST = ("direction", "analyste", "qualite")


class AccessFileError(ValueError):
    """The access file cannot be used as it is; the message says where and why."""


@dataclass(frozen=True)
class Access:
    role: str
    agencies: tuple[str, ...] | None = None  # None: every agency
    user: str = ""

    @property
    def label(self) -> str:
        return ROLES[self.role]

    @property
    def sees_raw_lines(self) -> bool:
        """The quarantine's raw lines may hold any agency's tenants: not for scoped users."""
        return self.agencies is None

    def scope(self, f: Filters) -> Filters:
        """The filters restricted to what this user may see."""
        return replace(f, allowed_agencies=self.agencies)


LOCAL = Access("direction", None, "")
"""The local default when no sign-in is configured."""


def access_file() -> Path:
    """``PILOTAGE_ACCESS_FILE``, default ``.streamlit/access.toml`` beside the secrets."""
    return Path(os.environ.get("PILOTAGE_ACCESS_FILE", PROJECT_ROOT / ".streamlit/access.toml"))


@dataclass(frozen=True)
class _Entry:
    role: str
    agencies: tuple[str, ...] | None


def load_access(path: Path | None = None) -> dict[str, dict[str, _Entry]]:
    """Read and check the access file: ``{"users": {...}, "groups": {...}}``."""
    path = path or access_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise AccessFileError(f"{path}: access file not found") from error
    except tomllib.TOMLDecodeError as error:
        raise AccessFileError(f"{path}: not valid TOML ({error})") from error
    unknown = set(data) - {"users", "groups"}
    if unknown:
        raise AccessFileError(f"{path}: unknown section(s) {sorted(unknown)}")
    out: dict[str, dict[str, _Entry]] = {"users": {}, "groups": {}}
    for section in out:
        for name, entry in data.get(section, {}).items():
            where = f"{path}: [{section}.{name!r}]"
            out[section][name.lower() if section == "users" else name] = _entry(entry, where)
    return out


def _entry(entry: object, where: str) -> _Entry:
    if not isinstance(entry, dict) or entry.get("role") not in ROLES:
        raise AccessFileError(f"{where}: role must be one of {', '.join(ROLES)}")
    agencies = entry.get("agencies")
    if entry["role"] == "qualite":
        if not agencies or not all(isinstance(a, str) for a in agencies):
            raise AccessFileError(f"{where}: role qualite needs a list of agency codes")
        return _Entry("qualite", tuple(sorted(set(agencies))))
    if agencies is not None:
        raise AccessFileError(f"{where}: only role qualite takes agencies")
    return _Entry(entry["role"], None)


def resolve(
    mapping: dict[str, dict[str, _Entry]], email: str | None, groups: list[str] | None = None
) -> Access | None:
    """The access of a signed-in user, or None when the file does not name them."""
    user = (email or "").strip().lower()
    if user and user in mapping["users"]:
        entry = mapping["users"][user]
        return Access(entry.role, entry.agencies, user)
    matched = [mapping["groups"][g] for g in groups or [] if g in mapping["groups"]]
    for role in WIDEST_FIRST:
        entries = [e for e in matched if e.role == role]
        if entries and role != "qualite":
            return Access(role, None, user)
        if entries:
            agencies = sorted({a for e in entries for a in e.agencies or ()})
            return Access(role, tuple(agencies), user)
    return None
