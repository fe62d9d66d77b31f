"""Read an export file (csv, txt, xlsx) into chunks of raw strings under canonical headers.

Detects the encoding (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252), the
delimiter (``;``, ``,``, tab, ``|``), the header row (within the first 10 rows, below any
title lines) and the source, from the headers. Values stay strings: typing is staging's job.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from loaders.normalise import header_key
from loaders.pseudonym import MASK, mask_phones
from loaders.sources import SOURCES, Source

HEADER_SEARCH_ROWS = 10
DELIMITERS = (";", ",", "\t", "|")
LINE = "_line"
RAW = "_raw"
PERSONAL_COLUMNS = {"numero_appelant"}

csv.field_size_limit(2**31 - 1)


class FileRejected(Exception):
    """The whole file cannot be loaded; the message says why, in French, for the user."""


@dataclass
class Malformed:
    line: int
    raw: str
    reason: str


@dataclass
class Chunk:
    frame: pd.DataFrame  # canonical columns as strings, plus _line and _raw
    malformed: list[Malformed] = field(default_factory=list)
    blank: int = 0


@dataclass
class Export:
    path: Path
    source: Source
    header_line: int
    columns: dict[int, str]  # field position -> canonical column
    ignored: list[str]
    encoding: str | None
    delimiter: str | None

    def chunks(self, size: int = 200_000) -> Iterator[Chunk]:
        rows = _xlsx_rows(self.path) if self.delimiter is None else self._csv_rows()
        width = max(self.columns) + 1
        lines, raws, records, malformed, blank = [], [], [], [], 0
        for line, fields in rows:
            if line <= self.header_line:
                continue
            if not any(f.strip() for f in fields):
                blank += 1
                continue
            if len(fields) > width and not any(f.strip() for f in fields[width:]):
                fields = fields[:width]
            if len(fields) < width:
                reason = f"ligne incomplète : {len(fields)} champs au lieu de {width}"
                malformed.append(Malformed(line, self._masked(fields), reason))
            else:
                lines.append(line)
                raws.append(self._sep.join(fields))  # masked only if it is quarantined
                records.append([fields[i] for i in self.columns])
            if len(records) + len(malformed) >= size:
                yield self._chunk(lines, raws, records, malformed, blank)
                lines, raws, records, malformed, blank = [], [], [], [], 0
        if records or malformed or blank:
            yield self._chunk(lines, raws, records, malformed, blank)

    @property
    def _sep(self) -> str:
        return self.delimiter or ";"

    def _masked(self, fields: list[str]) -> str:
        """The line as read, with caller numbers masked, for the quarantine."""
        fields = [
            MASK if self.columns.get(i) in PERSONAL_COLUMNS and f.strip() else f
            for i, f in enumerate(fields)
        ]
        return mask_phones(self._sep.join(fields))

    def _chunk(self, lines, raws, records, malformed, blank) -> Chunk:
        frame = pd.DataFrame(records, columns=list(self.columns.values()), dtype="str")
        for col in self.source.columns:
            if col.name not in frame:
                frame[col.name] = ""
        frame[LINE] = pd.array(lines, dtype="int64")
        frame[RAW] = pd.array(raws, dtype="str")
        return Chunk(frame, malformed, blank)

    def _csv_rows(self) -> Iterator[tuple[int, list[str]]]:
        with _text_stream(self.path, self.encoding) as text:
            reader = csv.reader(text, delimiter=self.delimiter)
            previous = 0
            for fields in reader:
                yield previous + 1, fields
                previous = reader.line_num


def open_export(path: Path, source: str | None = None) -> Export:
    """Inspect ``path`` and return how to read it; raise :class:`FileRejected` if it can't be."""
    path = Path(path)
    if not path.is_file():
        raise FileRejected("fichier introuvable")
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            head = [
                fields
                for _, (_, fields) in zip(range(HEADER_SEARCH_ROWS), _xlsx_rows(path), strict=False)
            ]
            return _detect(path, head, source, encoding=None, delimiter=None)
        if suffix not in (".csv", ".txt", ".tsv"):
            raise FileRejected(
                f"format non pris en charge ({suffix or 'sans extension'}) ; attendu .csv, .txt ou .xlsx"
            )
        encoding = detect_encoding(path)
        with _text_stream(path, encoding) as text:
            sample = [text.readline() for _ in range(HEADER_SEARCH_ROWS)]
        return _detect_csv(path, sample, source, encoding)
    except FileRejected:
        raise
    except Exception as exc:  # unreadable archive, I/O error...
        raise FileRejected(f"fichier illisible ({exc.__class__.__name__} : {exc})") from exc


def detect_encoding(path: Path) -> str:
    with open(path, "rb") as f:
        start = f.read(4)
        if start.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := f.read(1 << 22):
                decoder.decode(block)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        f.seek(0)
        decoder = codecs.getincrementaldecoder("cp1252")()
        try:
            while block := f.read(1 << 22):
                decoder.decode(block)
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"


def _text_stream(path: Path, encoding: str):
    return io.TextIOWrapper(open(path, "rb"), encoding=encoding, newline="")  # noqa: SIM115


def _detect_csv(path: Path, sample: list[str], source: str | None, encoding: str) -> Export:
    text = "".join(sample)
    if not text.strip():
        raise FileRejected("fichier vide")
    best: tuple | None = None
    for delim in DELIMITERS:
        rows = list(csv.reader(io.StringIO(text), delimiter=delim))
        try:
            export = _detect(path, rows, source, encoding, delim)
        except FileRejected as exc:
            best = best or (None, exc)
            continue
        score = len(export.columns)
        if best is None or best[0] is None or score > len(best[0].columns):
            best = (export, None)
    export, error = best
    if export is None:
        raise error
    return export


def _detect(path, rows, source_name, encoding, delimiter) -> Export:
    candidates = [SOURCES[source_name]] if source_name else list(SOURCES.values())
    best, nearest = None, None
    for index, fields in enumerate(rows):
        keys = [header_key(f) for f in fields]
        for source in candidates:
            mapping = _map_headers(keys, source)
            missing = [c for c in source.required if c not in mapping.values()]
            if not missing and (best is None or len(mapping) > len(best[2])):
                best = (index, source, mapping, fields)
            if nearest is None or len(missing) < len(nearest[1]):
                nearest = (source, missing)
        if best:
            break
    if best is None:
        if source_name and nearest:
            raise FileRejected(
                "colonnes obligatoires absentes pour la source "
                f"« {source_name} » : {', '.join(nearest[1])}"
            )
        hint = ""
        if nearest and len(nearest[1]) < len(nearest[0].required):
            hint = (
                f" ; la plus proche est « {nearest[0].name} », à qui il manque : "
                f"{', '.join(nearest[1])}"
            )
        raise FileRejected(
            "source inconnue, aucun en-tête reconnu dans les "
            f"{HEADER_SEARCH_ROWS} premières lignes{hint}"
        )
    index, source, mapping, fields = best
    ignored = [f for i, f in enumerate(fields) if i not in mapping and f.strip()]
    return Export(path, source, index + 1, mapping, ignored, encoding, delimiter)


def _map_headers(keys: list[str], source: Source) -> dict[int, str]:
    """Field position -> canonical column: exact names first, then aliases; first one wins."""
    mapping: dict[int, str] = {}
    for exact in (True, False):
        for col in source.columns:
            if col.name in mapping.values():
                continue
            wanted = {header_key(col.name)} if exact else {header_key(a) for a in col.aliases}
            for i, key in enumerate(keys):
                if i not in mapping and key in wanted:
                    mapping[i] = col.name
                    break
    return mapping


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(v) for v in values]
    finally:
        workbook.close()
