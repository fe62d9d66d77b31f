"""The fast path for a regular text export: read by Arrow's CSV reader, not line by line.

Exports from telephony systems and CRMs are almost always regular: one record per line,
every line as wide as the header, quotes only around whole fields. Such a file is read in
one pass by ``pyarrow.csv`` (every column as text), each row keeping its physical line
number, and gives exactly the chunks the line-by-line reader of :mod:`loaders.read`
would. Anything else (a quote left open, a field spanning lines, a short or long row, a
lone CR, a NUL byte) sends the whole file to that reader, which knows how to quarantine
it line by line. ``tests/loaders/test_regular.py`` checks both readers agree.

A cp1252 file (Windows exports) is parsed as bytes, never transcoded whole: its
delimiters, quotes and line breaks are the ASCII bytes of UTF-8, so the fields fall where
they would in the text. A column of ASCII only is then its own UTF-8 (a view, no copy);
any other is decoded once per distinct value. Its raw lines stay the file's bytes,
decoded by :func:`raw_text` for the few rows the quarantine keeps.
"""

from __future__ import annotations

import codecs

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from loaders.read.lines import TextLayout, decode_errors

NL, CR, QUOTE, NUL = 10, 13, 34, 0
SINGLE_BYTE = TextLayout("cp1252", "\n")  # the encoding parsed as bytes, and its errors


class Irregular(Exception):
    """The file needs the line-by-line reader."""


def utf8_bytes(path, layout: TextLayout) -> bytes:
    """The file's text as UTF-8 bytes, decoded as the line-by-line reader decodes it; a
    file in another encoding is transcoded 16 MB at a time, never held twice as text."""
    raw = path.read_bytes()
    if layout.encoding == "utf-8-sig":
        raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            raw.decode("utf-8")
            return raw
        except UnicodeDecodeError:
            pass
    decoder = codecs.getincrementaldecoder(layout.encoding)(errors=decode_errors(layout))
    parts, block = [], 1 << 24
    for start in range(0, len(raw), block):
        text = decoder.decode(raw[start : start + block], final=start + block >= len(raw))
        parts.append(text.encode("utf-8"))
    if not raw:
        return b""
    return b"".join(parts).removeprefix(codecs.BOM_UTF8)


def read_regular(
    path, layout: TextLayout, delimiter: str, header_line: int, fields: int, cap: int = 0
):
    """(table of ``fields`` text columns, physical line numbers, raw lines) of the records
    after the header, blank lines left out; or raise :class:`Irregular`, also when a line
    is longer than ``cap`` bytes (it may hold a field over the cap, which the line reader
    quarantines; Arrow would stall on it, or fail past its block size)."""
    if layout.newline != "\n":
        raise Irregular("CR seul")
    as_bytes = layout.encoding == SINGLE_BYTE.encoding and delimiter.isascii()
    data = path.read_bytes() if as_bytes else utf8_bytes(path, layout)
    array = np.frombuffer(data, dtype=np.uint8)
    if data.find(b"\x00") >= 0:
        raise Irregular("NUL")
    newlines = np.flatnonzero(array == NL)
    if data.find(b"\r") >= 0 and _lone_cr(array):
        raise Irregular("CR seul")
    if data.find(b'"') >= 0:
        _check_quotes(array, newlines, ord(delimiter))
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(data)]))  # exclusive, before the LF
    if ends[-1] == starts[-1]:  # the file ends with a line break
        starts, ends = starts[:-1], ends[:-1]
    starts, ends = starts[header_line:], ends[header_line:]
    lengths = ends - starts
    if cap and len(lengths) and int(lengths.max()) > cap:
        raise Irregular("ligne trop longue")
    crlf = lengths > 0
    crlf[crlf] = array[ends[crlf] - 1] == CR
    empty = (lengths == 0) | (crlf & (lengths == 1))
    keep = np.flatnonzero(~empty)
    if len(keep):
        table = _parse(pa.py_buffer(data)[int(starts[keep[0]]) :], delimiter, fields, as_bytes)
    else:  # Arrow refuses a file with no line to read
        table = pa.table({f"f{i}": pa.array([], pa.large_string()) for i in range(fields)})
    if table.num_rows != len(keep):
        raise Irregular("lignes")
    if as_bytes:
        table = pa.table([_as_text(column) for column in table.columns], names=table.column_names)
    lines = keep + header_line + 1
    raws = _raw_lines(data, starts[keep], ends[keep] - crlf[keep], as_bytes)
    return table, lines, raws, int(empty.sum())


def _lone_cr(array: np.ndarray) -> bool:
    """A CR not followed by an LF (a Macintosh line end, or a stray one in a field)."""
    crs = np.flatnonzero(array == CR)
    after = crs + 1
    return bool(len(crs)) and (after[-1] == len(array) or (array[after] != NL).any())


def _check_quotes(array: np.ndarray, newlines: np.ndarray, delimiter: int) -> None:
    """Quotes only around whole fields, doubled inside them, in pairs on each line: the
    quoting both readers read the same way."""
    quotes = np.flatnonzero(array == QUOTE)
    line_of = np.searchsorted(newlines, quotes)
    rank = np.arange(len(quotes)) - np.searchsorted(line_of, line_of)
    opening = rank % 2 == 0
    if (np.bincount(line_of) % 2).any():
        raise Irregular("guillemets")
    padded = np.concatenate(([NL], array, [NL]))
    before, after = padded[quotes], padded[quotes + 2]
    opens_well = np.isin(before, (delimiter, NL, QUOTE))
    closes_well = np.isin(after, (delimiter, NL, CR, QUOTE))
    if not np.where(opening, opens_well, closes_well).all():
        raise Irregular("guillemets")


def _parse(body, delimiter: str, fields: int, as_bytes: bool) -> pa.Table:
    names = [f"f{i}" for i in range(fields)]
    invalid = []

    def on_invalid(row) -> str:
        invalid.append(row)
        return "skip"

    table = pcsv.read_csv(
        body,
        read_options=pcsv.ReadOptions(column_names=names, block_size=1 << 24),
        parse_options=pcsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=False, invalid_row_handler=on_invalid
        ),
        convert_options=pcsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.large_binary() if as_bytes else pa.large_string()),
            null_values=[],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if invalid:
        raise Irregular("largeur")
    return table


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column parsed as cp1252 bytes, as text: a chunk of ASCII only is a view of its
    bytes; another is decoded once per distinct value (a handful for a code or a motif)."""
    chunks, errors = [], decode_errors(SINGLE_BYTE)
    for chunk in column.chunks:
        if _ascii(chunk):
            chunks.append(chunk.view(pa.large_string()))
            continue
        coded = chunk.dictionary_encode()
        words = [v.decode(SINGLE_BYTE.encoding, errors) for v in coded.dictionary.to_pylist()]
        chunks.append(pa.array(words, pa.large_string()).take(coded.indices))
    return pa.chunked_array(chunks, pa.large_string())


def _ascii(chunk: pa.Array) -> bool:
    """No byte above 127 in the chunk's values."""
    _, offsets, data = chunk.buffers()
    if data is None or not len(chunk):
        return True
    bounds = np.frombuffer(offsets, np.int64)[chunk.offset : chunk.offset + len(chunk) + 1]
    return not (np.frombuffer(data, np.uint8)[bounds[0] : bounds[-1]] >= 0x80).any()


def raw_text(raw: str | bytes) -> str:
    """A raw line as text: a cp1252 file's raw lines are kept as its bytes."""
    if isinstance(raw, bytes):
        return raw.decode(SINGLE_BYTE.encoding, decode_errors(SINGLE_BYTE))
    return raw


def _raw_lines(data: bytes, starts: np.ndarray, ends: np.ndarray, as_bytes: bool) -> pa.Array:
    """Each record's line as read, over the file's own bytes (no copy): a line runs to
    the next record's start, so it may end with its line break and any blank lines
    after it, which the quarantine trims. Bytes for a file parsed as bytes."""
    kind = pa.large_binary() if as_bytes else pa.large_string()
    if not len(starts):
        return pa.array([], type=kind)
    offsets = np.concatenate((starts, ends[-1:])).astype(np.int64)
    return pa.Array.from_buffers(
        kind, len(starts), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def blank_rows(table: pa.Table) -> np.ndarray:
    """Rows whose every field is empty or spaces (``;;;``): blank, as the reader counts.

    Each column is checked only on the rows still blank so far: the first column, filled
    on nearly every row, leaves next to nothing for the others."""
    rows = np.arange(table.num_rows)
    for column in table.columns:
        if not len(rows):
            break
        values = column.take(pa.array(rows))
        empty = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(values)), 0)
        rows = rows[empty.to_numpy(zero_copy_only=False)]
    blank = np.zeros(table.num_rows, dtype=bool)
    blank[rows] = True
    return blank


__all__ = ["Irregular", "blank_rows", "raw_text", "read_regular"]
