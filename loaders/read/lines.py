"""A delimited text file as records, each with its first physical line number.

The bytes are decoded as the file comes: UTF-8 (with or without BOM), Windows-1252, a
UTF-8 file with a few Windows-1252 lines (each undecodable byte is read as Windows-1252),
UTF-16 with or without BOM. Lines end with CR LF, LF or CR alone (Excel for Mac's "CSV
(Macintosh)"); a lone CR inside a line of a LF file is a space, unless it separates two
records of the header's width (see :func:`records`).

Quoting is read strictly: a quoted field may span lines, but a record whose quote never
closes, or whose quoted lines do not parse into the header's width, is *broken*: its first
line goes to the quarantine and reading goes on from the line after it, so one bad quote
never swallows the rest of the file.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

QUOTE = '"'
# A record whose quoted fields run over this many characters is taken as broken quoting.
MAX_RECORD_CHARS = 4_000_000
SNIFF_BYTES = 1 << 16
_FALLBACK = "pilotage-cp1252"
_LATIN1 = "pilotage-latin1"
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}

csv.field_size_limit(2**31 - 1)


def _cp1252_fallback(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Read the bytes UTF-8 cannot decode as Windows-1252 (Latin-1 for its five holes)."""
    bad = exc.object[exc.start : exc.end]
    text = "".join(chr(b) if b in _CP1252_UNDEFINED else bytes([b]).decode("cp1252") for b in bad)
    return text, exc.end


def _latin1_fallback(exc: UnicodeDecodeError) -> tuple[str, int]:
    """The five bytes Windows-1252 leaves undefined, read as Latin-1."""
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error(_FALLBACK, _cp1252_fallback)
codecs.register_error(_LATIN1, _latin1_fallback)


@dataclass(frozen=True)
class TextLayout:
    encoding: str  # utf-8-sig, cp1252, utf-16, utf-16-le, utf-16-be
    newline: str  # "\n" (CR LF or LF) or "\r" (CR alone)


def sniff(path: Path) -> tuple[bytes, TextLayout]:
    """The first bytes of ``path`` and how its text is laid out."""
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    return head, TextLayout(_encoding(path, head), _newline(head))


def _encoding(path: Path, head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4:
        even = sample[0::2].count(0) / (len(sample) / 2)
        odd = sample[1::2].count(0) / (len(sample) / 2)
        if odd > 0.3 and even < 0.05:
            return "utf-16-le"
        if even > 0.3 and odd < 0.05:
            return "utf-16-be"
    return "utf-8-sig" if _mostly_utf8(path) else "cp1252"


_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


def _mostly_utf8(path: Path) -> bool:
    """UTF-8, or UTF-8 with a few Windows-1252 lines, rather than Windows-1252.

    In UTF-8 every accented letter is a lead byte and one or two continuation bytes
    (0x80-0xBF), so at least half the high bytes are continuations; French Windows-1252
    text has almost none (its accented letters are single bytes from 0xC0 up).
    """
    high = continuation = 0
    with open(path, "rb") as f:
        while block := f.read(1 << 22):
            high += len(block) - len(block.translate(None, _HIGH_BYTES))
            continuation += len(block) - len(block.translate(None, _CONTINUATION_BYTES))
    return continuation >= 0.3 * high


def _newline(head: bytes) -> str:
    for lf, cr in ((b"\n", b"\r"), (b"\n\x00", b"\r\x00"), (b"\x00\n", b"\x00\r")):
        if lf in head:
            return "\n"
        if cr in head:
            return "\r"
    return "\n"


def decode_errors(layout: TextLayout) -> str:
    """What to do with the bytes the file's encoding cannot decode."""
    return {"utf-8-sig": _FALLBACK, "cp1252": _LATIN1}.get(layout.encoding, "replace")


def open_text(path: Path, layout: TextLayout) -> io.TextIOWrapper:
    errors = decode_errors(layout)
    return io.TextIOWrapper(
        open(path, "rb"),  # noqa: SIM115 - closed with the wrapper
        encoding=layout.encoding,
        errors=errors,
        newline=layout.newline,
    )


def physical_lines(text: Iterator[str]) -> Iterator[tuple[int, str]]:
    """(line number, line with its terminator) from 1."""
    return enumerate(text, start=1)


class _Pushback:
    """An iterator of physical lines that takes lines back, to read them again."""

    def __init__(self, lines: Iterator[tuple[int, str]]):
        self._lines = lines
        self._back: list[tuple[int, str]] = []

    def __iter__(self):
        return self

    def __next__(self) -> tuple[int, str]:
        if self._back:
            return self._back.pop()
        return next(self._lines)

    def push(self, taken: list[tuple[int, str]]) -> None:
        self._back.extend(reversed(taken))


class _Feed:
    """Feeds csv.reader one record's lines, remembering what it took."""

    def __init__(self, first: tuple[int, str], source: _Pushback):
        self.taken = [first]
        self._source = source
        self._size = len(first[1])
        self._started = False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if not self._started:
            self._started = True
            return self.taken[0][1]
        item = next(self._source)
        self.taken.append(item)
        self._size += len(item[1])
        if self._size > MAX_RECORD_CHARS:
            raise _Broken
        return item[1]


class _Broken(Exception):
    pass


Record = tuple  # (first line, last line, fields or None for broken quoting, raw text)


def records(lines: Iterator[tuple[int, str]], delimiter: str, width: int) -> Iterator[Record]:
    """One record per line, or per quoted record spanning lines: (first physical line,
    last physical line, fields or None when its quoting is broken, the text as read).

    ``width`` is the header's field count: a quoted record spanning lines must have it
    (extra trailing fields empty), or it is broken quoting. 0 means unknown (header search).

    A lone CR inside a CR LF (or LF) line is a space when the line, read so, has the
    header's width (a CR typed in a field); when it separates records that each have that
    width, it is a line break, as a text editor shows it, and the lines after it are
    numbered one further down.
    """
    source = _Pushback(lines)
    shift = 0  # lone CRs read as line breaks so far
    for number, line in source:
        number += shift
        body = line.rstrip("\r\n")
        if width and "\r" in body:
            pieces = _split_at_lone_cr(body, delimiter, width)
            if pieces is not None:
                for k, (fields, text) in enumerate(pieces):
                    yield number + k, number + k, fields, text
                shift += len(pieces) - 1
                continue
        if QUOTE not in line:
            if "\r" in body:
                body = body.replace("\r", " ")
            yield number, number, body.split(delimiter), body
            continue
        feed = _Feed((number, line), source)
        try:
            fields = next(csv.reader(feed, delimiter=delimiter, strict=True))
            if len(feed.taken) > 1 and width and not fits(fields, width):
                raise _Broken
        except (csv.Error, _Broken, StopIteration):
            source.push(feed.taken[1:])
            yield number, number, None, line
            continue
        raw = "".join(text for _, text in feed.taken).rstrip("\r\n")
        last = feed.taken[-1][0] + (shift if len(feed.taken) > 1 else 0)
        yield number, last, fields, raw


def _one_line(text: str, delimiter: str) -> list[str] | None:
    """The fields of one line of text, or None when its quoting is broken."""
    if QUOTE not in text:
        return text.split(delimiter)
    try:
        return next(csv.reader([text], delimiter=delimiter, strict=True))
    except (csv.Error, StopIteration):
        return None


def _split_at_lone_cr(body: str, delimiter: str, width: int) -> list | None:
    """The records a line holds when its lone CRs end records: each piece as wide as the
    header (or blank), and the line read with the CRs as spaces is not. Else None."""
    joined = _one_line(body.replace("\r", " "), delimiter)
    if joined is not None and fits(joined, width):
        return None
    out = []
    for piece in body.split("\r"):
        fields = _one_line(piece, delimiter)
        if fields is None or not (fits(fields, width) or not piece.strip()):
            return None
        out.append((fields, piece))
    return out


def fits(fields: list[str], width: int) -> bool:
    """The record has the header's width, or more with only empty fields past it."""
    return len(fields) == width or (
        len(fields) > width and not any(f.strip() for f in fields[width:])
    )
