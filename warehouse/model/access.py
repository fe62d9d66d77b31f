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

Without sign-in (no ``[auth]`` in ``.streamlit/secrets.toml``: a laptop, a trial), the
dashboard runs as ``direction``, or as the file's ``[local]`` entry, which lets anyone try
what a role sees without an identity provider::

    [local]
    role = "qualite"
    agencies = ["AG01"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import jsonschema

from warehouse import config
from warehouse.engine import PROJECT_ROOT
from warehouse.model.params import Filters

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
    given = Path(config.get("PILOTAGE_ACCESS_FILE"))
    return given if config.is_set("PILOTAGE_ACCESS_FILE") else PROJECT_ROOT / given


@dataclass(frozen=True)
class _Entry:
    role: str
    agencies: tuple[str, ...] | None


ENTRY_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["role"],
    "properties": {
        "role": {"enum": list(ROLES)},
        "agencies": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": r"\S"},
        },
    },
    "if": {"properties": {"role": {"const": "qualite"}}},
    "then": {"required": ["agencies"]},
    "else": {"not": {"required": ["agencies"]}},
}
ACCESS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "users": {"type": "object", "additionalProperties": ENTRY_SCHEMA},
        "groups": {"type": "object", "additionalProperties": ENTRY_SCHEMA},
        "local": ENTRY_SCHEMA,
    },
}


def load_access(path: Path | None = None) -> dict[str, dict[str, _Entry]]:
    """Read and check the access file: ``{"users": {...}, "groups": {...}}``.

    Checked against :data:`ACCESS_SCHEMA` (``jsonschema``); any problem raises
    :class:`AccessFileError` with a French message saying where, and the dashboard then
    shows no data to anyone: it fails closed. Agency codes compare upper-case; two users
    or two groups differing only by case are an error, not a silent pick.
    """
    path = path or access_file()
    data = _read_toml(path)
    problem = next(iter(jsonschema.Draft202012Validator(ACCESS_SCHEMA).iter_errors(data)), None)
    if problem is not None:
        raise AccessFileError(f"{path} : {_french(problem)}")
    out: dict[str, dict[str, _Entry]] = {"users": {}, "groups": {}, "local": {}}
    if "local" in data:
        out["local"][""] = _entry(data["local"])
    for section in ("users", "groups"):
        for name, entry in data.get(section, {}).items():
            key = name.strip().lower()
            if key in out[section]:
                raise AccessFileError(
                    f"{path} : [{section}.{name!r}] figure deux fois (à la casse près)"
                )
            out[section][key] = _entry(entry)
    return out


def _entry(entry: dict) -> _Entry:
    agencies = entry.get("agencies")
    codes = tuple(sorted({a.strip().upper() for a in agencies})) if agencies else None
    return _Entry(entry["role"], codes)


def local_access(path: Path | None = None) -> Access:
    """The access of the dashboard without sign-in: the access file's ``[local]`` entry,
    else ``direction`` (no file, or none in it). A file that cannot be used raises
    :class:`AccessFileError`, as with sign-in: never a wider access than it says."""
    path = path or access_file()
    if not path.exists():
        return LOCAL
    entry = load_access(path)["local"].get("")
    return Access(entry.role, entry.agencies, "") if entry else LOCAL


def _read_toml(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise AccessFileError(f"{path} : fichier des accès introuvable") from error
    except IsADirectoryError as error:
        raise AccessFileError(f"{path} : c'est un dossier, pas un fichier") from error
    except OSError as error:  # no permission...
        raise AccessFileError(f"{path} : fichier des accès illisible") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # saved by a Windows editor
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AccessFileError(f"{path} : TOML invalide ({error})") from error


def _french(error: jsonschema.ValidationError) -> str:
    parts = [str(p) for p in error.absolute_path]
    where = f"[{parts[0]}.{parts[1]!r}]" if len(parts) > 1 else f"[{parts[0]}]" if parts else ""
    where += "".join(f" {p}" for p in parts[2:3])
    where = f"{where} : " if where else ""
    kind = error.validator
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"{where}clé inconnue : {', '.join(extra)}"
    if kind == "enum":
        return f"{where}rôle inconnu {error.instance!r} (attendu : {', '.join(ROLES)})"
    if kind in ("type", "minItems", "pattern"):
        return f'{where}attendu une liste de codes d\'agence, par exemple ["AG01"]'
    if kind in ("required", "then") or (kind == "if" and "agencies" in str(error.message)):
        return f"{where}le rôle qualite demande la liste de ses agences (agencies)"
    if kind in ("not", "else"):
        return f"{where}seul le rôle qualite prend une liste d'agences"
    return f"{where}{error.message}"


def resolve(
    mapping: dict[str, dict[str, _Entry]], email: str | None, groups: list[str] | None = None
) -> Access | None:
    """The access of a signed-in user, or None when the file does not name them."""
    user = (email or "").strip().lower()
    if user and user in mapping["users"]:
        entry = mapping["users"][user]
        return Access(entry.role, entry.agencies, user)
    names = {g.strip().lower() for g in groups or []}
    matched = [entry for name, entry in mapping["groups"].items() if name in names]
    for role in WIDEST_FIRST:
        entries = [e for e in matched if e.role == role]
        if entries and role != "qualite":
            return Access(role, None, user)
        if entries:
            agencies = sorted({a for e in entries for a in e.agencies or ()})
            return Access(role, tuple(agencies), user)
    return None
