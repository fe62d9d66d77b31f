"""The fast path for a regular text export: read by Arrow's CSV reader, not line by line.

Exports from telephony systems and CRMs are almost always regular: one record per line,
every line as wide as the header, quotes only around whole fields. Such a file is read by
``pyarrow.csv`` (every column as text) one block of whole lines at a time, each row
keeping its physical line number, and gives exactly the rows the line-by-line reader of
:mod:`loaders.read` would; the file is never held whole, so an import's memory does not
grow with its length. Anything else (a quote left open, a field spanning lines, a short
or long row, a lone CR, a NUL byte) sends the rest of the file, from the first line of
the block where it is found, to that reader, which knows how to quarantine it line by
line. ``tests/loaders/test_regular.py`` checks both readers agree, blocks of a few lines
included.

A cp1252 file (Windows exports) is parsed as bytes, never transcoded whole: its
delimiters, quotes and line breaks are the ASCII bytes of UTF-8, so the fields fall where
they would in the text. A column of ASCII only is then its own UTF-8 (a view, no copy);
any other is decoded once per distinct value. Its raw lines stay the file's bytes,
decoded by :func:`raw_text` for the few rows the quarantine keeps.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from loaders.read.lines import TextLayout, decode_errors

NL, CR, QUOTE, NUL = 10, 13, 34, 0
SINGLE_BYTE = TextLayout("cp1252", "\n")  # the encoding parsed as bytes, and its errors


BLOCK_BYTES = 1 << 25  # 32 MB of the file per block: about 250,000 call records


class Irregular(Exception):
    """The file needs the line-by-line reader, from the line after ``after`` on: the
    lines up to it were read regularly, in blocks already given."""

    def __init__(self, reason: str, after: int = 0):
        super().__init__(reason)
        self.after = after


@dataclass
class Block:
    """The records of a run of whole lines of the file."""

    table: pa.Table  # ``fields`` text columns
    lines: np.ndarray  # each record's physical line number
    raws: pa.Array  # each record's line as read
    blank: int  # blank lines among them
    last_line: int  # the block's last physical line


def read_regular(
    path,
    layout: TextLayout,
    delimiter: str,
    header_line: int,
    fields: int,
    cap: int = 0,
    block_bytes: int | None = None,
) -> Iterator[Block]:
    """The records after the header, blank lines left out, one block of whole lines at a
    time: the file is never held whole, so memory does not grow with its length. Raises
    :class:`Irregular` at the first block that is not regular, saying up to which line
    the blocks given went; also when a line is longer than ``cap`` bytes (it may hold a
    field over the cap, which the line reader quarantines; Arrow would stall on it, or
    fail past its block size)."""
    if layout.newline != "\n":
        raise Irregular("CR seul")
    as_bytes = layout.encoding == SINGLE_BYTE.encoding and delimiter.isascii()
    base = 0
    try:
        size = block_bytes or BLOCK_BYTES
        for data in _line_blocks(path, layout, as_bytes, size, cap):
            block = _read_block(data, base, delimiter, header_line, fields, cap, as_bytes)
            yield block
            base = block.last_line
    except Irregular as exc:
        exc.after = base
        raise


def _line_blocks(path, layout: TextLayout, as_bytes: bool, size: int, cap: int):
    """The file as blocks of whole lines (the last may lack its line break), each about
    ``size`` bytes: its own bytes when parsed as bytes, else its text as UTF-8, decoded
    as the line-by-line reader decodes it. An encoding whose line break is the byte
    ``\\n`` is cut at that byte before decoding; UTF-16 is decoded as it streams."""
    ascii_breaks = not layout.encoding.startswith("utf-16")
    decoder = codecs.getincrementaldecoder(layout.encoding)(errors=decode_errors(layout))
    carry, first = b"", True
    with open(path, "rb") as f:
        while True:
            raw = f.read(size)
            final = not raw
            if ascii_breaks:
                pending = carry + raw
            else:
                pending = carry + decoder.decode(raw, final=final).encode("utf-8")
            cut = len(pending) if final else pending.rfind(b"\n") + 1
            out, carry = pending[:cut], pending[cut:]
            if ascii_breaks and not as_bytes:
                out = _as_utf8(out, layout)
            if cap and len(carry) > cap:
                raise Irregular("ligne trop longue")
            if first and out:
                out, first = out.removeprefix(codecs.BOM_UTF8), False
            if out:
                yield out
            if final:
                return


def _as_utf8(data: bytes, layout: TextLayout) -> bytes:
    """Whole lines of an ASCII-compatible encoding as UTF-8 (no copy when they are)."""
    if layout.encoding == "utf-8-sig":
        try:
            data.decode("utf-8")
            return data
        except UnicodeDecodeError:
            return data.decode("utf-8", decode_errors(layout)).encode("utf-8")
    return data.decode(layout.encoding, decode_errors(layout)).encode("utf-8")


def _read_block(data: bytes, base: int, delimiter, header_line, fields, cap, as_bytes) -> Block:
    """The records of ``data``, whole lines numbered from ``base + 1``."""
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
    if ends[-1] == starts[-1]:  # the block ends with a line break
        starts, ends = starts[:-1], ends[:-1]
    last_line = base + len(starts)
    skip = min(max(header_line - base, 0), len(starts))  # the header and what is above it
    starts, ends = starts[skip:], ends[skip:]
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
    lines = keep + base + skip + 1
    raws = _raw_lines(data, starts[keep], ends[keep] - crlf[keep], as_bytes)
    return Block(table, lines, raws, int(empty.sum()), last_line)


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


__all__ = ["BLOCK_BYTES", "Block", "Irregular", "blank_rows", "raw_text", "read_regular"]
