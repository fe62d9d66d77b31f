"""Import profiles: how one system's export becomes one of our sources, declared in TOML.

A profile keeps its metadata in TOML (name, label, source, the vendor document it
follows and what that document left unclear, its time zone, how the export is recognised
and read) and says how the export maps onto our columns as one SQL ``SELECT`` over the
export's raw text columns, run by an in-memory DuckDB (:mod:`loaders.read.profile_sql`):
a dbt staging model for one system. Profiles ship in ``loaders/profiles/``; a landlord
adds its own in the folder ``PILOTAGE_PROFILES_DIR``. Our own layout needs no profile
(its name is ``pilotage``).

A broken profile never stops an import: it is reported (:func:`profile_problems`) and
skipped, the others keep working. Detection patterns are RE2 expressions (DuckDB's
regular expressions: no backtracking, so no pattern can hang an import), checked on the
first rows only.
"""

from __future__ import annotations

import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from loaders.normalise import header_key, header_keys
from loaders.read.profile_terms import ProfileError, check_select
from loaders.sources import SOURCES
from warehouse import config

SHIPPED = Path(__file__).resolve().parent.parent / "profiles"
OURS = "pilotage"  # our own layout, the default: no profile
PATTERN_CHARS = 1_000  # of a field a detection pattern is tried on
SLOW_SECONDS = 2.0  # a profile taking longer than this to recognise a file is named
# Our columns an export may be unable to give, stored as NULL ("non mesuré").
MAY_BE_UNMEASURED = {"appels": {"attente_s", "issue", "duree_s"}}


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    source: str
    path: Path
    select: str  # the SQL mapping the export (table ``export``) onto our columns
    follows: str = ""  # the vendor's document the profile was built from
    unclear: str = ""  # what that document left open
    timezone: str = "Europe/Paris"  # of the export's times written without an offset
    cannot: dict = field(default_factory=dict)  # our column -> why the export cannot give it
    left_out: str = ""  # why the SQL leaves records out (said with their count)
    grouped: str = ""  # why it groups several records into one row
    fields: tuple[str, ...] = ()  # a header-less file's fields, in order
    min_fields: int = 0  # a header-less record may stop after this many fields
    delimiter: str | None = None
    optional: tuple[str, ...] = ()  # export columns read as empty when a file lacks them
    headers: tuple[str, ...] = ()  # detection: headers that together name the export
    patterns: dict = field(default_factory=dict)  # detection, header-less: field -> RE2

    @property
    def headerless(self) -> bool:
        return bool(self.fields)

    def fits_header(self, fields: list[str]) -> bool:
        keys = set(header_keys(fields))
        return bool(self.headers) and all(header_key(h) in keys for h in self.headers)

    def missing(self, fields: list[str]) -> list[str]:
        keys = set(header_keys(fields))
        return [h for h in self.headers if header_key(h) not in keys]

    def fits_rows(self, rows: list[list[str]]) -> bool:
        """A header-less file: the first rows have at least the profile's fewest fields,
        and each pattern matches its field (RE2, on the first 1,000 characters)."""
        if not self.fields or not self.patterns or not rows:
            return False
        least = self.min_fields or len(self.fields)
        positions = {self.fields.index(name): p for name, p in self.patterns.items()}
        checks = []
        rows = [r for r in rows if any(f.strip() for f in r)]
        if not rows:
            return False
        for fields in rows[:5]:
            if len(fields) < least or len(fields) > len(self.fields) + 1:
                return False
            for position, pattern in positions.items():
                value = fields[position].strip() if position < len(fields) else ""
                checks.append((value[:PATTERN_CHARS], pattern))
        return all(_re2_matches(checks))


def _re2_matches(checks: list[tuple[str, str]]) -> list[bool]:
    """Whether each (value, pattern) matches, by DuckDB's RE2 (linear time)."""
    if not checks:
        return []
    import duckdb

    values = ", ".join("(?, ?)" for _ in checks)
    params = [x for pair in checks for x in pair]
    query = f"SELECT regexp_matches(v, p) FROM (VALUES {values}) t(v, p)"  # noqa: S608
    with duckdb.connect(":memory:") as con:
        con.execute("SET enable_external_access = false")
        return [row[0] for row in con.execute(query, params).fetchall()]


def _check_pattern(where: str, name: str, pattern: str) -> None:
    try:
        _re2_matches([("", pattern)])
    except Exception as exc:
        raise ProfileError(
            f"{where} : motif de « {name} » illisible pour RE2 (pas de retour arrière ni "
            f"de référence \\1) : {str(exc).splitlines()[0]}"
        ) from exc


def profiles_dir() -> Path | None:
    folder = config.get("PILOTAGE_PROFILES_DIR")
    return Path(folder) if folder else None


_CACHE: dict[str, tuple[tuple, dict[str, Profile], list[str]]] = {}


def _load_all(user_dir: str) -> tuple[dict[str, Profile], list[str]]:
    """Shipped profiles, then the user's (a user profile may replace a shipped one); a
    file that cannot be read is left out and its problem kept. Read again when a file
    changes (its modification time)."""
    folders = [SHIPPED] + ([Path(user_dir)] if user_dir else [])
    paths = [p for folder in folders if folder.is_dir() for p in sorted(folder.glob("*.toml"))]
    stamp = tuple((str(p), _mtime(p)) for p in paths)
    cached = _CACHE.get(user_dir)
    if cached and cached[0] == stamp:
        return cached[1], cached[2]
    found: dict[str, Profile] = {}
    problems: list[str] = []
    if user_dir and not Path(user_dir).is_dir():
        problems.append(f"dossier des profils introuvable : {user_dir} (PILOTAGE_PROFILES_DIR)")
    for path in paths:
        try:
            profile = load_profile(path)
        except ProfileError as exc:
            problems.append(f"{exc} ; ce profil est ignoré, les autres restent utilisables")
            continue
        found[profile.name] = profile
    _CACHE[user_dir] = (stamp, found, problems)
    return found, problems


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def all_profiles() -> dict[str, Profile]:
    """The readable profiles by name: shipped, then the user's."""
    return _load_all(str(profiles_dir() or ""))[0]


def profile_problems() -> list[str]:
    """Why each unreadable profile was skipped, in French."""
    return _load_all(str(profiles_dir() or ""))[1]


def get_profile(name: str) -> Profile | None:
    """The named profile; None for our own layout; ProfileError for an unknown name."""
    if name == OURS:
        return None
    profiles = all_profiles()
    if name not in profiles:
        known = ", ".join([OURS, *sorted(profiles)])
        broken = [p for p in profile_problems() if f"« {name} »" in p or f"{name}.toml" in p]
        why = f" ({broken[0]})" if broken else ""
        raise ProfileError(f"profil inconnu « {name} »{why} ; profils disponibles : {known}")
    return profiles[name]


def _text(data: dict, key: str, where: str, default: str = "") -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise ProfileError(f"{where} : « {key} » doit être un texte")
    return value


def _texts(value, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"{where} : « {key} » doit être une liste de textes")
    return tuple(value)


def load_profile(path: Path) -> Profile:
    """Read and check one profile file; :class:`ProfileError` says what is wrong."""
    where = f"profil {path.name}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ProfileError(f"{where} illisible : {exc}") from exc
    for key in ("name", "label", "source"):
        if not _text(data, key, where):
            raise ProfileError(f"{where} : clé « {key} » absente")
    if data["source"] not in SOURCES:
        raise ProfileError(f"{where} : source « {data['source']} » inconnue")
    source = SOURCES[data["source"]]
    sql = data.get("sql", {})
    if not isinstance(sql, dict) or not isinstance(sql.get("select"), str):
        raise ProfileError(f'{where} : section [sql] sans « select = """...""" »')
    check_select(sql["select"], where)
    cannot = data.get("cannot", {})
    allowed = MAY_BE_UNMEASURED.get(source.name, set()) | {
        c.name for c in source.columns if not c.required
    }
    if not isinstance(cannot, dict) or not all(isinstance(v, str) for v in cannot.values()):
        raise ProfileError(f'{where} : [cannot] attend « colonne = "raison" »')
    if set(cannot) - allowed:
        raise ProfileError(
            f"{where} : [cannot] ne peut porter que sur {', '.join(sorted(allowed))} "
            f"(pas {', '.join(sorted(set(cannot) - allowed))})"
        )
    read = data.get("read", {})
    detect = data.get("detect", {})
    if not isinstance(read, dict) or not isinstance(detect, dict):
        raise ProfileError(f"{where} : [read] et [detect] sont des sections")
    fields = _texts(read.get("fields", []), "fields", where)
    min_fields = read.get("min_fields", 0)
    if not isinstance(min_fields, int) or not 0 <= min_fields <= len(fields):
        raise ProfileError(f"{where} : « min_fields » doit être un entier entre 0 et {len(fields)}")
    delimiter = read.get("delimiter")
    if delimiter is not None and delimiter not in (";", ",", "\t", "|"):
        raise ProfileError(f"{where} : séparateur « {delimiter} » non pris en charge")
    headers = _texts(detect.get("headers", []), "headers", where)
    patterns = detect.get("patterns", {})
    if not isinstance(patterns, dict) or not all(isinstance(v, str) for v in patterns.values()):
        raise ProfileError(f"{where} : [detect] patterns attend « champ = 'motif' »")
    unknown = [p for p in patterns if p not in fields]
    if unknown:
        raise ProfileError(f"{where} : motifs sur des champs absents de « fields » : {unknown}")
    for name, pattern in patterns.items():
        _check_pattern(where, name, pattern)
    if not headers and not patterns:
        raise ProfileError(f"{where} : [detect] demande « headers » ou « patterns »")
    timezone = _text(data, "timezone", where, "Europe/Paris")
    _check_timezone(timezone, where)
    return Profile(
        name=data["name"],
        label=data["label"],
        source=source.name,
        path=path,
        select=sql["select"],
        follows=_text(data, "follows", where),
        unclear=_text(data, "unclear", where),
        timezone=timezone,
        cannot=dict(cannot),
        left_out=_text(data, "left_out", where),
        grouped=_text(data, "grouped", where),
        fields=fields,
        min_fields=min_fields,
        delimiter=delimiter,
        optional=_texts(read.get("optional", []), "optional", where),
        headers=headers,
        patterns=dict(patterns),
    )


def _check_timezone(zone: str, where: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ProfileError(f"{where} : fuseau horaire « {zone} » inconnu") from exc


class Stopwatch:
    """Time spent by each profile recognising a file, to name a slow one."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def time(self, name: str):
        watch = self

        class _Timer:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                spent = time.perf_counter() - self.start
                watch.spent[name] = watch.spent.get(name, 0.0) + spent

        return _Timer()

    def notes(self) -> list[str]:
        return [
            f"le profil « {name} » a mis {seconds:.1f} s à examiner ce fichier : "
            "vérifiez ses motifs de reconnaissance"
            for name, seconds in self.spent.items()
            if seconds > SLOW_SECONDS
        ]
