"""Recognise what an export file is and open it as an :class:`~loaders.read.export.Export`.

A text export, a workbook, or something else named .csv; its text layout
(:mod:`loaders.read.lines`), the delimiter (``;``, ``,``, tab, ``|``), the header row
(within the first 10 rows, below any title lines) and the source, from the headers, or a
system's profile.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from loaders.frame import PERSONAL_COLUMNS
from loaders.normalise import header_keys
from loaders.read.columns import HeaderMap, map_headers
from loaders.read.export import Export, FileRejected
from loaders.read.lines import open_text, physical_lines, records, sniff
from loaders.read.profile import (
    Profile,
    ProfileError,
    Stopwatch,
    all_profiles,
    get_profile,
    profile_problems,
)
from loaders.read.xlsx import WorkbookRefused, is_workbook, sheet_rows
from loaders.sources import SOURCES

HEADER_SEARCH_ROWS = 10
DELIMITERS = (";", ",", "\t", "|")
# An ignored column whose header reads like personal data is masked in the quarantine too.
PERSONAL_HEADER_STARTS = ("nom", "prenom", "tel", "mobile", "portable", "mail", "email")
PERSONAL_HEADER_WORDS = ("agent", "conseiller", "appelant", "locataire", "adresse", "telephone")
HEADER_MAX_CHARS = 200  # of each field of the first rows, read in the header search
# Text exports; systems also write ``.log`` (3CX's cdr.log) and files with no extension
# (Asterisk's queue_log).
TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".log", "")


def open_export(path: Path, source: str | None = None, profile: str | None = None) -> Export:
    """Inspect ``path`` and return how to read it; raise :class:`FileRejected` if it can't be.

    ``profile`` forces a system's layout by name (``pilotage`` for ours); by default a
    profile is recognised from the header (or, header-less, the first rows), else ours.
    """
    path = Path(path)
    if not path.is_file():
        raise FileRejected("fichier introuvable")
    suffix = path.suffix.lower()
    try:
        head, layout = sniff(path)
        if not head.strip():
            raise FileRejected("fichier vide")
        profiles = _candidates(source, profile)
        if is_workbook(path):
            try:
                rows = list(itertools.islice(sheet_rows(path), HEADER_SEARCH_ROWS))
            except WorkbookRefused as exc:
                raise FileRejected(str(exc)) from exc
            return _detect(path, rows, source, None, None, profiles)
        _reject_non_text(head, suffix)
        if suffix not in TEXT_SUFFIXES:
            raise FileRejected(
                f"format non pris en charge ({suffix}) ; attendu .csv, .txt, .log, .xlsx ou "
                "un fichier texte sans extension"
            )
        return _detect_text(path, layout, source, profiles)
    except FileRejected:
        raise
    except Exception as exc:  # an unreadable archive, an I/O error...
        raise FileRejected(f"fichier illisible ({exc.__class__.__name__} : {exc})") from exc


_SIGNATURES = {
    b"PK\x03\x04": "une archive ZIP, pas un export texte : décompressez-la et importez son contenu",
    b"%PDF": "un document PDF, pas un export texte : exportez les données en .csv ou .xlsx",
    b"\xd0\xcf\x11\xe0": "un classeur Excel 97-2003 (.xls) : enregistrez-le en .xlsx ou en .csv",
    b"\x1f\x8b": "une archive gzip, pas un export texte : décompressez-la d'abord",
}


def _reject_non_text(head: bytes, suffix: str) -> None:
    for signature, what in _SIGNATURES.items():
        if head.startswith(signature):
            raise FileRejected(f"ce fichier est {what}")
    if suffix == ".xlsx":
        raise FileRejected("ce fichier n'est pas un classeur Excel (.xlsx) lisible")
    sample = head[:4096]
    if b"\x00" in sample and sample.count(0) < len(sample) * 0.3:
        controls = sum(b < 32 and b not in (9, 10, 13) for b in sample)
        if controls > len(sample) * 0.1:
            raise FileRejected("ce fichier est binaire, pas un export texte (.csv, .txt)")


def _candidates(source: str | None, profile: str | None) -> list[Profile] | None:
    """The profiles to try: the forced one, every one (of the forced source), or none
    (our own layout forced: ``None``)."""
    try:
        if profile is not None:
            forced = get_profile(profile)
            return None if forced is None else _Forced([forced])
        return [p for p in all_profiles().values() if source in (None, p.source)]
    except ProfileError as exc:
        raise FileRejected(str(exc)) from exc


def _detect_text(path: Path, layout, source: str | None, profiles) -> Export:
    best: tuple | None = None
    for delim in DELIMITERS:
        with open_text(path, layout) as text:
            rows = []
            for first, last, fields, _ in records(physical_lines(text), delim, 0):
                if fields is not None:  # a header is short: a huge value is cut for the search
                    rows.append((last, [f[:HEADER_MAX_CHARS] for f in fields]))
                if first >= HEADER_SEARCH_ROWS:
                    break
        try:
            export = _detect(path, rows, source, layout, delim, profiles)
        except FileRejected as exc:
            best = best or (None, exc)
            continue
        if export.profile is not None and (best is None or best[0] is None):
            return export  # a system's layout, recognised: its delimiter is the one
        if best is None or best[0] is None or len(export.columns) > len(best[0].columns):
            best = (export, None)
    export, error = best
    if export is None:
        raise error
    return export


def _detect(path, rows, source_name, layout, delimiter, profiles=None) -> Export:
    profiled, slow = _detect_profile(path, rows, layout, delimiter, profiles)
    if profiled is not None:
        profiled.notes += slow + profile_problems()
        return profiled
    if profiles is not None and len(profiles) == 1 and _forced(profiles):
        raise FileRejected(_profile_misses(profiles[0], rows))
    candidates = [SOURCES[source_name]] if source_name else list(SOURCES.values())
    best, nearest = None, None
    for line, fields in rows:
        for source in candidates:
            found = map_headers(fields, source)
            missing = [c for c in source.required if c not in found.mapping.values()]
            if not missing and (best is None or len(found.mapping) > len(best[2].mapping)):
                best = (line, source, found, fields)
            if nearest is None or len(missing) < len(nearest[1]):
                nearest = (source, missing)
        if best:
            break
    if best is None:
        if not any(any(f.strip() for f in fields) for _, fields in rows):
            raise FileRejected("fichier vide")
        raise FileRejected(_unknown_source(source_name, nearest))
    line, source, found, fields = best
    _refuse_ambiguous(found)
    if source.name == "enquetes":
        _add_questions(found, fields)
    width = len(fields)
    while width > 1 and not fields[width - 1].strip():
        width -= 1
    width = max(width, max(found.mapping) + 1)
    personal = [
        i
        for i, name in enumerate(fields)
        if found.mapping.get(i) in PERSONAL_COLUMNS or (i not in found.mapping and _personal(name))
    ]
    return Export(
        path,
        source,
        line,
        found.mapping,
        found.ignored,
        width,
        layout,
        delimiter,
        found.notes + slow + (profile_problems() if profiles is not None else []),
        personal,
        len(fields),
    )


def _forced(profiles: list[Profile]) -> bool:
    return getattr(profiles, "forced", False)


class _Forced(list):
    forced = True


def _detect_profile(path, rows, layout, delimiter, profiles) -> tuple[Export | None, list[str]]:
    """The export of a system a profile describes, recognised by its header or, for a
    header-less file, by its first rows. A profile slow to decide is named in the notes."""
    watch = Stopwatch()
    found = None
    for profile in profiles or ():
        if profile.delimiter and delimiter not in (None, profile.delimiter):
            continue
        with watch.time(profile.name):
            found = _recognised(path, rows, layout, delimiter, profile, _forced(profiles))
        if found is not None:
            break
    return found, watch.notes()


def _recognised(path, rows, layout, delimiter, profile: Profile, forced: bool) -> Export | None:
    for line, fields in rows:
        if profile.fits_header(fields) or (
            forced and profile.headers and not profile.missing(fields)
        ):
            return _profiled(path, profile, line, _names(fields), layout, delimiter)
    if profile.headerless and (profile.fits_rows([f for _, f in rows]) or (forced and rows)):
        return _profiled(path, profile, 0, list(profile.fields), layout, delimiter)
    return None


def _names(fields: list[str]) -> list[str]:
    """The export's headers as its SQL sees them: trimmed, an empty one ``champN``, a
    repeated one numbered (``Date``, ``Date_2``)."""
    names: list[str] = []
    seen: set[str] = set()
    for i, header in enumerate(fields):
        name = header.strip() or f"champ{i + 1}"
        base, n = name, 1
        while name.lower() in seen:
            n += 1
            name = f"{base}_{n}"
        seen.add(name.lower())
        names.append(name)
    return names


def _profiled(path, profile: Profile, line, names, layout, delimiter) -> Export:
    width = len(names)
    personal = [i for i, h in enumerate(names) if _personal(h)]
    export = Export(
        path,
        SOURCES[profile.source],
        line,
        dict(enumerate(names)),
        [],
        width,
        layout,
        delimiter,
        [],
        personal,
        width,
        profile,
    )
    if profile.min_fields:  # older layouts stop after fewer fields, header or not
        export.min_width = min(profile.min_fields, width)
    return export


def _profile_misses(profile: Profile, rows) -> str:
    if not profile.headers:
        return f"le fichier ne ressemble pas aux enregistrements du profil « {profile.name} »"
    nearest = min((profile.missing(f) for _, f in rows), key=len, default=[])
    return (
        f"le fichier n'a pas les colonnes du profil « {profile.name} » ; il manque : "
        f"{', '.join(nearest)}"
    )


def _add_questions(found: HeaderMap, fields: list[str]) -> None:
    """A survey's question columns: every header shaped like a question code; the other
    ignored columns (names, comments) stay ignored and are never stored."""
    from loaders.sources.surveys import QUESTION_HEADER, QUESTION_PREFIX

    for i, (header, key) in enumerate(zip(fields, header_keys(fields), strict=True)):
        if i not in found.mapping and QUESTION_HEADER.match(key):
            found.mapping[i] = QUESTION_PREFIX + header.strip().upper()
    found.ignored = [f for i, f in enumerate(fields) if i not in found.mapping and f.strip()]
    if not any(name.startswith(QUESTION_PREFIX) for name in found.mapping.values()):
        raise FileRejected(
            "enquête sans colonne de question : attendu au moins une colonne « Q01 », "
            "« Q02 »... (une note de 0 à 10 ou une réponse « très satisfait »...)"
        )


def _personal(header: str) -> bool:
    key = header_keys([header])[0]
    return bool(key) and (
        key.startswith(PERSONAL_HEADER_STARTS) or any(w in key for w in PERSONAL_HEADER_WORDS)
    )


def _unknown_source(source_name: str | None, nearest) -> str:
    if source_name and nearest:
        return (
            f"colonnes obligatoires absentes pour la source « {source_name} » : "
            f"{', '.join(nearest[1])}"
        )
    hint = ""
    if nearest and len(nearest[1]) < len(nearest[0].required):
        hint = (
            f" ; la plus proche est « {nearest[0].name} », à qui il manque : "
            f"{', '.join(nearest[1])}"
        )
    return f"source inconnue, aucun en-tête reconnu dans les {HEADER_SEARCH_ROWS} premières lignes{hint}"


def _refuse_ambiguous(found: HeaderMap) -> None:
    if found.ambiguous:
        column, headers = found.ambiguous[0]
        raise FileRejected(
            f"colonnes en double pour « {column} » : {' et '.join(headers)} ; "
            "gardez-en une seule (ou renommez l'autre) pour que l'import sache laquelle lire"
        )
