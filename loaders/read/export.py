"""Read an export file (csv, txt, xlsx) into chunks of raw strings under canonical headers.

Recognises what the file is (a text export, a workbook, or something else named .csv),
its text layout (:mod:`loaders.lines`), the delimiter (``;``, ``,``, tab, ``|``), the
header row (within the first 10 rows, below any title lines) and the source, from the
headers. Every row keeps its physical line number. Values stay strings: typing is
staging's job.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from loaders.frame import HIDDEN, LINE, PERSONAL_COLUMNS, RAW
from loaders.mask import MASK, mask_values
from loaders.normalise import header_keys
from loaders.read.columns import HeaderMap, map_headers
from loaders.read.lines import fits, open_text, physical_lines, records, sniff
from loaders.read.profile import (
    Profile,
    ProfileError,
    Stopwatch,
    all_profiles,
    get_profile,
    profile_problems,
)
from loaders.read.regular import Irregular, blank_rows, raw_text, read_regular
from loaders.read.xlsx import WorkbookRefused, is_workbook, sheet_rows
from loaders.sources import SOURCES
from loaders.sources.base import Source
from warehouse import config
from warehouse.french import number

HEADER_SEARCH_ROWS = 10
DELIMITERS = (";", ",", "\t", "|")
# An ignored column whose header reads like personal data is masked in the quarantine too.
PERSONAL_HEADER_STARTS = ("nom", "prenom", "tel", "mobile", "portable", "mail", "email")
PERSONAL_HEADER_WORDS = ("agent", "conseiller", "appelant", "locataire", "adresse", "telephone")
RAW_MAX_CHARS = 1_000  # of a quarantined line kept in the quarantine
HEADER_MAX_CHARS = 200  # of each field of the first rows, read in the header search
# Text exports; systems also write ``.log`` (3CX's cdr.log) and files with no extension
# (Asterisk's queue_log).
TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".log", "")


class FileRejected(Exception):
    """The whole file cannot be loaded; the message says why, in French, for the user."""


@dataclass
class Malformed:
    line: int
    raw: str
    reason: str
    column: str | None = None  # the canonical column at fault, when one is


def max_field_chars() -> int:
    """The longest field read (``PILOTAGE_MAX_FIELD_CHARS``): a longer one is no export's
    value but a runaway text or a hostile file, and quarantines its row as it is read."""
    return int(config.get("PILOTAGE_MAX_FIELD_CHARS"))


@dataclass
class Chunk:
    frame: pd.DataFrame  # canonical columns as strings, plus _line and _raw
    malformed: list[Malformed] = field(default_factory=list)
    blank: int = 0  # blank lines
    notes: list[str] = field(default_factory=list)  # for the report
    left_out: int = 0  # records a profile leaves out
    grouped: int = 0  # records a profile groups into another row (call legs, events)


@dataclass
class Export:
    path: Path
    source: Source
    header_line: int  # last physical line (or sheet row) of the header
    columns: dict[int, str]  # field position -> canonical column
    ignored: list[str]
    width: int  # fields in the header
    layout: object | None  # loaders.lines.TextLayout; None for a workbook
    delimiter: str | None
    notes: list[str] = field(default_factory=list)  # for the report: probable typos...
    personal: list[int] = field(default_factory=list)  # positions masked in the quarantine
    header_fields: int = 0  # fields on the header line, trailing empty headers included
    profile: Profile | None = None  # the system's layout, mapped onto ours by its SQL
    min_width: int = 0  # a shorter record is incomplete (0: the columns read)

    def chunks(self, size: int | None = None) -> Iterator[Chunk]:
        """Our layout's rows, ``size`` at a time; a profiled export as one chunk, mapped
        by the profile's SQL over the whole file (a call's legs, a queue's events, are
        grouped across it)."""
        if self.profile is None:
            yield from self._read_chunks(size)
            return
        from loaders.read.profile_sql import ProfileFailed, run_profile

        chunks = list(self._read_chunks(None))
        frame = pd.concat([c.frame for c in chunks], ignore_index=True)
        try:
            out, left_out, grouped, notes = run_profile(frame, self.profile)
        except ProfileFailed as exc:
            raise FileRejected(str(exc)) from exc
        malformed = [m for c in chunks for m in c.malformed]
        blank = sum(c.blank for c in chunks)
        yield Chunk(out, malformed, blank, notes, left_out, grouped)

    def _read_chunks(self, size: int | None = None) -> Iterator[Chunk]:
        """The rows after the header, ``size`` at a time (200,000 by default): through
        Arrow's CSV reader while the file is regular (:mod:`loaders.read.regular`), block
        by block, then line by line from the first block that is not."""
        size = size or 200_000
        after = 0
        if self.layout is not None and self.header_fields:
            blocks = read_regular(
                self.path,
                self.layout,
                self.delimiter,
                self.header_line,
                self.header_fields,
                max_field_chars(),
            )
            try:
                yield from self._regular_chunks(blocks, size)
                return
            except Irregular as exc:
                after = exc.after
        yield from self._line_chunks(size, after)

    def _regular_chunks(self, blocks, size: int) -> Iterator[Chunk]:
        """Chunks of ``size`` rows from the blocks; before an :class:`Irregular` goes up,
        the rows of the blocks read so far (and their blank lines) are given."""
        picks = list(self.columns) + self._hidden
        pending, blank = _Pending(), 0
        try:
            for block in blocks:
                table, lines, raws = block.table, block.lines, block.raws
                empty = blank_rows(table)
                if empty.any():
                    keep = pa.array(np.flatnonzero(~empty))
                    table, lines, raws = table.take(keep), lines[~empty], raws.take(keep)
                blank += block.blank + int(empty.sum())
                pending.add([table.column(i) for i in picks], lines, raws)
                while pending.rows >= size:
                    yield self._chunk(*pending.take(size), [], blank)
                    blank = 0
        except Irregular:
            if pending.rows or blank:
                yield self._rest(pending, picks, blank)
            raise
        if pending.rows or blank:
            yield self._rest(pending, picks, blank)

    def _rest(self, pending: _Pending, picks: list[int], blank: int) -> Chunk:
        lines, raws, columns = pending.take(pending.rows)
        return self._chunk(lines, raws, columns or [()] * len(picks), [], blank)

    def _line_chunks(self, size: int, after: int = 0) -> Iterator[Chunk]:
        """The rows after the header and after line ``after`` (read by the fast path up to
        it), read line by line."""
        after = max(after, self.header_line)
        lines, raws, records_, malformed, blank = [], [], [], [], 0
        picks = list(self.columns) + self._hidden
        pick = operator.itemgetter(*picks) if len(picks) > 1 else lambda f: (f[picks[0]],)
        needed = self.min_width or max(self.columns) + 1
        reach = max(picks) + 1
        usual = self._usual_width()
        cap = max_field_chars()
        for line, fields, raw in self._rows():
            if line <= after:
                continue
            if fields is None:
                reason = (
                    "guillemets mal fermés : la ligne est mise de côté et la lecture reprend "
                    "à la ligne suivante"
                )
                malformed.append(Malformed(line, self._masked_broken(raw), reason))
            elif not "".join(fields).strip():
                blank += 1
                continue
            elif len(raw) > cap and (longest := max(map(len, fields))) > cap:
                at = next(i for i, f in enumerate(fields) if len(f) == longest)
                column = self.columns.get(at)
                reason = (
                    f"champ de {number(longest)} caractères (au plus {number(cap)}"
                    f"{'' if column else f', champ n° {at + 1}'}) : ligne mise de côté"
                )
                malformed.append(Malformed(line, self._masked(fields), reason, column))
            elif "\x00" in raw:
                reason = "caractère nul (octet 0) dans la ligne : fichier corrompu ?"
                malformed.append(Malformed(line, self._masked(fields), reason))
            elif len(fields) > usual or (len(fields) > self.width and not fits(fields, self.width)):
                expected = usual if len(fields) > usual else self.width
                reason = (
                    f"{len(fields)} champs au lieu de {expected} : un séparateur "
                    f"« {self._sep_label} » dans un texte non entouré de guillemets ?"
                )
                malformed.append(Malformed(line, self._masked(fields), reason))
            elif len(fields) < needed and self.delimiter is not None:
                reason = f"ligne incomplète : {len(fields)} champs au lieu de {self.width}"
                malformed.append(Malformed(line, self._masked(fields), reason))
            else:
                if len(fields) < reach:  # a sheet row ends at its last non-empty cell
                    fields = fields + [""] * (reach - len(fields))
                lines.append(line)
                raws.append(raw)
                records_.append(pick(fields))
            if len(records_) + len(malformed) >= size:
                yield self._chunk(lines, raws, _transpose(records_, picks), malformed, blank)
                lines, raws, records_, malformed, blank = [], [], [], [], 0
        if records_ or malformed or blank:
            yield self._chunk(lines, raws, _transpose(records_, picks), malformed, blank)

    def _usual_width(self, sample: int = 1_000) -> int:
        """The field count of the file's rows: the header's, or more when the rows all
        end with a trailing delimiter (the most frequent count of the first ``sample``
        rows). A wider row has a delimiter too many, even if its extra fields are empty:
        an unquoted ``;`` in a text shifted the fields after it. A sheet's rows end at
        their last cell: no limit."""
        if self.layout is None:
            return 1 << 30
        counts: dict[int, int] = {}
        for line, fields, _ in itertools.islice(self._rows(), sample + self.header_line):
            if line > self.header_line and fields is not None and "".join(fields).strip():
                counts[len(fields)] = counts.get(len(fields), 0) + 1
        # the most frequent count; between two as frequent, the nearer to the header's
        most = max(
            counts.items(),
            key=lambda item: (item[1], -abs(item[0] - self.header_fields)),
            default=(0, 0),
        )[0]
        return max(self.header_fields, self.width, most)

    def _rows(self) -> Iterator[tuple[int, list[str] | None, str]]:
        """(first line, fields or None for broken quoting, the text as read)."""
        if self.layout is None:
            try:
                for number, values in sheet_rows(self.path):
                    yield number, values, self._sep.join(values)
            except WorkbookRefused as exc:
                raise FileRejected(str(exc)) from exc
            return
        with open_text(self.path, self.layout) as text:
            for first, _, fields, raw in records(physical_lines(text), self.delimiter, self.width):
                yield first, fields, raw

    @property
    def _sep(self) -> str:
        return self.delimiter or ";"

    @property
    def _hidden(self) -> list[int]:
        """Positions of ignored personal columns, carried only to mask them."""
        return [i for i in self.personal if i not in self.columns]

    @property
    def _sep_label(self) -> str:
        return {"\t": "tabulation"}.get(self._sep, self._sep)

    def _masked(self, fields: list[str]) -> str:
        """The line as read, with personal values masked, for the quarantine."""
        fields = [MASK if i in self.personal and f.strip() else f for i, f in enumerate(fields)]
        return for_quarantine(self._sep.join(fields))

    def _masked_broken(self, raw) -> str:
        """A line whose quoting is broken, for the quarantine. Its fields are where the
        header says only when it has the header's width: then its personal fields are
        masked; else everything from the first personal position on (a quote left open
        runs to the end of the line and may hold the advisor). The rest stays as written,
        quotes included, to find what broke."""
        text = raw_text(raw).rstrip("\r\n")
        if self.personal:
            spans = _field_spans(text, self._sep)
            if len(spans) == self.width or (
                len(spans) > self.width
                and not any(text[a:b].strip() for a, b in spans[self.width :])
            ):
                hidden = [spans[i] for i in self.personal if i < len(spans)]
            else:
                # From the first personal field, or the last field read if it comes
                # before (an open quote swallowed the rest of the line).
                first = min(min(self.personal), len(spans) - 1)
                hidden = [(spans[first][0], len(text))]
            for a, b in reversed(hidden):
                if text[a:b].strip():
                    text = text[:a] + MASK + text[b:]
        return for_quarantine(text)

    def _chunk(self, lines, raws, columns, malformed, blank) -> Chunk:
        """A chunk from its line numbers, raw lines and picked columns (each a sequence of
        strings or an Arrow array)."""
        names = list(self.columns.values()) + [f"{HIDDEN}{i}" for i in self._hidden]
        frame = pd.DataFrame(
            {name: _strings(values) for name, values in zip(names, columns, strict=True)},
            index=pd.RangeIndex(len(lines)),
        )
        for col in self.source.columns if self.profile is None else ():
            if col.name not in frame:
                frame[col.name] = pd.array([""] * len(frame), dtype="str")
        for col in self.source.columns if self.profile is None else ():
            if col.joins and col.name in names:
                frame[col.joins] = _with_time(frame[col.joins], frame[col.name])
        frame[LINE] = pd.array(lines, dtype="int64")
        frame[RAW] = _raws(raws)
        return Chunk(frame, malformed, blank)


class _Pending:
    """Rows read from blocks, not yet given as a chunk: columns, line numbers, raw lines."""

    def __init__(self):
        self.columns: list[list] = []
        self.lines: list[np.ndarray] = []
        self.raws: list = []
        self.rows = 0

    def add(self, columns: list, lines: np.ndarray, raws) -> None:
        if len(lines):
            self.columns.append(columns)
            self.lines.append(lines)
            self.raws.append(raws)
            self.rows += len(lines)

    def take(self, n: int) -> tuple:
        """(line numbers, raw lines, columns) of the first ``n`` rows, as one chunk wants
        them; nothing pending: no column at all."""
        if not self.rows:
            return [], [], None
        lines = np.concatenate(self.lines)
        raws = pa.chunked_array([c for part in self.raws for c in _chunks_of(part)])
        columns = [
            pa.chunked_array([c for part in self.columns for c in _chunks_of(part[i])])
            for i in range(len(self.columns[0]))
        ]
        rest = self.rows - n
        self.__init__()
        if rest:
            self.add([c.slice(n) for c in columns], lines[n:], raws.slice(n))
        return lines[:n], raws.slice(0, n), [c.slice(0, n) for c in columns]


def _chunks_of(column) -> list:
    return column.chunks if isinstance(column, pa.ChunkedArray) else [column]


def _field_spans(text: str, sep: str) -> list[tuple[int, int]]:
    """(start, end) of each field of a line read leniently: a field opening with a quote
    runs to its closing quote (``""`` is a quote inside), or to the end of the line."""
    spans, start, i, quoted = [], 0, 0, False
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"':
                if text[i + 1 : i + 2] == '"':
                    i += 1
                else:
                    quoted = False
        elif ch == '"' and i == start:
            quoted = True
        elif ch == sep:
            spans.append((start, i))
            start = i + 1
        i += 1
    spans.append((start, len(text)))
    return spans


def _transpose(records_: list[tuple], picks: list[int]) -> list:
    return list(zip(*records_, strict=True)) if records_ else [()] * len(picks)


def _strings(values) -> pd.api.extensions.ExtensionArray:
    """A column of strings, built through Arrow (ten times faster than from a tuple)."""
    if not isinstance(values, pa.Array | pa.ChunkedArray):
        values = pa.array(values, type=pa.large_string())
    return pd.array(values, dtype="str")


def _raws(values) -> pd.api.extensions.ExtensionArray:
    """The raw lines: text, or a cp1252 file's own bytes (``loaders.regular.raw_text``)."""
    if isinstance(values, pa.Array | pa.ChunkedArray) and pa.types.is_large_binary(values.type):
        return pd.array(values, dtype=pd.ArrowDtype(values.type))
    return _strings(values)


def for_quarantine(text: str | bytes, personal: list | None = None) -> str:
    """A line as the quarantine keeps it: cut at 1,000 characters, NUL bytes shown as
    ``\\0``, the given personal values and anything phone-like masked."""
    text = raw_text(text).rstrip("\r\n").replace("\x00", "\\0")
    if len(text) > RAW_MAX_CHARS:
        text = text[:RAW_MAX_CHARS] + f"… ({number(len(text))} caractères)"
    return mask_values(text, personal or [])


_DAY_AND_CLOCK = r"^(?P<day>.+?)[ T](?P<clock>\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)$"
_MIDNIGHT = r"^0?0:00(:00([.,]0+)?)?$"


def _with_time(day: pd.Series, clock: pd.Series) -> pd.Series:
    """A date column and a separate time-of-day column, as one date-time. A date that
    already carries its time (an export with both « Date/Heure » and « Heure ») keeps it
    when the time column says the same; when they differ, both stay side by side and the
    row is quarantined as an unreadable date-time."""
    clock = clock.str.strip()
    has_time = clock.ne("")
    parts = day.str.strip().str.extract(_DAY_AND_CLOCK)
    carried = parts["clock"].fillna("")
    bare_day = parts["day"].where(carried.str.match(_MIDNIGHT), day.str.strip())
    bare_day = bare_day.fillna(day.str.strip())
    same = carried.ne("") & ~carried.str.match(_MIDNIGHT) & (_seconds(carried) == _seconds(clock))
    joined = bare_day + " " + clock
    return day.where(~has_time | same, joined)


def _seconds(clock: pd.Series) -> pd.Series:
    """``h:mm[:ss[.f]]`` as seconds of the day (-1 for anything else), to compare times
    written differently (``10:15`` and ``10:15:00``)."""
    parts = clock.str.extract(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?$")
    numbers = parts.fillna({2: "0"}).apply(pd.to_numeric, errors="coerce")
    total = numbers[0] * 3600 + numbers[1] * 60 + numbers[2]
    return total.fillna(-1)


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
