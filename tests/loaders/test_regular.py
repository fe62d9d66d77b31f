"""The fast path (Arrow's CSV reader, ``loaders/read/regular.py``) reads exactly what the
line-by-line reader reads, and leaves every irregular file to it.

Each case writes a file, reads it both ways and compares the chunks: the same values
under the same columns, the same physical line numbers and raw lines, the same blank
count. A property test does the same over generated exports.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.read import regular
from loaders.read.detect import open_export
from loaders.read.regular import Irregular, raw_text, read_regular
from tests.loaders.intake import HEADER, call_line

_counter = itertools.count()


def _write(folder, text: str, encoding: str = "utf-8", name: str = "appels.csv"):
    path = folder / f"{next(_counter)}_{name}"
    path.write_bytes(text.encode(encoding))
    return path


def _both(path):
    """(frame, blank) as the fast path reads the file, then as the line reader does."""
    export = open_export(path)
    fast = list(export.chunks(size=3))
    slow = list(export._line_chunks(size=3))

    def whole(chunks):
        frames = [c.frame for c in chunks]
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        return frame, sum(c.blank for c in chunks), sum(len(c.malformed) for c in chunks)

    return export, whole(fast), whole(slow)


def _blocks(export, block_bytes: int | None = None) -> list:
    """Every block the fast path reads of the export (raises :class:`Irregular`)."""
    return list(
        read_regular(
            export.path,
            export.layout,
            export.delimiter,
            export.header_line,
            export.header_fields,
            block_bytes=block_bytes,
        )
    )


def _fast_taken(path) -> bool:
    export = open_export(path)
    try:
        _blocks(export)
    except Irregular:
        return False
    return True


def _assert_same(path) -> None:
    _, (fast, fast_blank, _), (slow, slow_blank, _) = _both(path)
    assert fast_blank == slow_blank
    # A raw line may keep its line break and the blank lines after it, and a cp1252
    # file's are its bytes: the quarantine decodes and trims them (read.for_quarantine).
    for frame in (fast, slow):
        if len(frame):
            frame["_raw"] = _raw_text(frame)
    pd.testing.assert_frame_equal(fast, slow)


def _raw_text(frame) -> pd.Series:
    return pd.Series([raw_text(r).rstrip("\r\n") for r in frame["_raw"]], dtype="str")


LINES = [call_line(1), call_line(2), call_line(3), call_line(4)]
REGULAR = {
    "crlf": "\r\n".join([HEADER, *LINES]) + "\r\n",
    "lf, no final break": "\n".join([HEADER, *LINES]),
    "title lines above the header": "\n".join(["Export CRC", "", HEADER, *LINES]) + "\n",
    "blank lines and a line of separators": "\n".join(
        [HEADER, LINES[0], "", LINES[1], ";" * 12, "\r", LINES[2]]
    )
    + "\n",
    "quoted fields, doubled quotes, a separator inside quotes": "\n".join(
        [HEADER, LINES[0], call_line(5, motif='"Fuite; urgent ""cuisine"""'), '""' + LINES[1][2:]]
    ),
    "trailing empty header": "\n".join([HEADER + ";", *(line + ";" for line in LINES)]),
    "only the header": HEADER + "\n",
    "only blank rows": "\n".join([HEADER, ";" * 12, ""]) + "\n",
}


@pytest.mark.parametrize("case", list(REGULAR))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_regular_files_read_alike_by_both_readers(tmp_path, case, encoding):
    path = _write(tmp_path, REGULAR[case], encoding)
    assert _fast_taken(path), "the fast path should take this file"
    _assert_same(path)


def test_fast_path_keeps_physical_line_numbers_and_raw_lines(tmp_path):
    path = _write(tmp_path, REGULAR["title lines above the header"])
    _, (fast, _, _), _ = _both(path)
    assert fast["_line"].tolist() == [4, 5, 6, 7]  # title, blank, header, then the calls
    assert fast["_raw"].str.rstrip("\n").tolist() == LINES
    assert fast["id_appel"].tolist() == ["A1", "A2", "A3", "A4"]


def test_a_cp1252_file_is_parsed_as_bytes_and_decoded_like_the_line_reader(tmp_path):
    """Accents, the euro sign, a no-break space and bytes cp1252 leaves undefined (read
    as Latin-1, as the line reader reads them), in a column beside ASCII-only ones."""
    lines = [
        HEADER,
        call_line(1, motif="Réclamation € loyer"),
        call_line(2, motif="Réparée à côté, été déjà évalué, pénalité réglée"),
        call_line(3, motif="x\u00a0y"),
    ]
    data = "\r\n".join(lines).encode("cp1252")
    data = data.replace(b"x\xa0y", b"x\x81\x8d\x9dy") + b"\r\n"
    path = tmp_path / "appels.csv"
    path.write_bytes(data)
    export, (fast, _, _), _ = _both(path)
    assert export.layout.encoding == "cp1252"
    assert _fast_taken(path)
    _assert_same(path)
    assert fast["motif"].tolist() == [
        "Réclamation € loyer",
        "Réparée à côté, été déjà évalué, pénalité réglée",
        "x\x81\x8d\x9dy",
    ]
    # The raw lines are the file's own bytes, decoded only when the quarantine keeps one.
    assert fast["_raw"].map(type).eq(bytes).all()
    assert _raw_text(fast).tolist()[:2] == lines[1:3]


IRREGULAR = {
    "quote never closed": [HEADER, LINES[0], call_line(5, num_demande='"D1'), LINES[1]],
    "quoted field spanning lines": [HEADER, call_line(5, motif='"Fuite'), 'cuisine"', LINES[0]],
    "quote inside a field": [HEADER, call_line(5, motif='Fuite 5" cuisine'), LINES[0]],
    "text after a closing quote": [HEADER, call_line(5, motif='"Fuite" cuisine'), LINES[0]],
    "row wider than the header": [HEADER, LINES[0] + ";en trop", LINES[1]],
    "short row": [HEADER, LINES[0], "A9;03/03/2025", LINES[1]],
    "NUL byte": [HEADER, LINES[0].replace("A1", "A\x001"), LINES[1]],
    "lone CR inside a line": [HEADER, LINES[0].replace("plomberie", "plom\rberie"), LINES[1]],
}


@pytest.mark.parametrize("case", list(IRREGULAR))
def test_irregular_files_go_to_the_line_reader(tmp_path, case):
    path = _write(tmp_path, "\n".join(IRREGULAR[case]) + "\n")
    assert not _fast_taken(path)
    export = open_export(path)
    assert [len(c.frame) for c in export.chunks(size=100)] == [
        len(c.frame) for c in export._line_chunks(size=100)
    ]


def test_cr_only_file_goes_to_the_line_reader(tmp_path):
    path = _write(tmp_path, "\r".join([HEADER, *LINES]) + "\r")
    assert not _fast_taken(path)
    assert len(next(open_export(path).chunks()).frame) == 4


# Blocks of a few bytes: every block boundary a file can have, a line longer than a
# block, a block holding only the header or a blank line.
BLOCKS = [1, 7, 64, 200]


@pytest.mark.parametrize("block", BLOCKS)
@pytest.mark.parametrize("case", list(REGULAR))
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_regular_files_read_alike_in_blocks_of_any_size(
    tmp_path, monkeypatch, case, encoding, block
):
    monkeypatch.setattr(regular, "BLOCK_BYTES", block)
    path = _write(tmp_path, REGULAR[case], encoding)
    assert _fast_taken(path)
    _assert_same(path)


def test_a_file_is_read_block_by_block_never_whole(tmp_path):
    """70 records of about 100 bytes, blocks of 1,000 bytes: each block holds whole lines
    and no more than a block and one line of the file."""
    path = _write(tmp_path, "\n".join([HEADER, *(call_line(i) for i in range(70))]) + "\n")
    export = open_export(path)
    blocks = _blocks(export, block_bytes=1_000)
    longest = max(len(call_line(i)) for i in range(70)) + 1
    assert len(blocks) >= path.stat().st_size // (1_000 + longest)
    assert all(len(b.raws) * min(map(len, LINES)) <= 1_000 + longest for b in blocks)
    assert [n for b in blocks for n in b.lines] == list(range(2, 72))
    assert blocks[-1].last_line == 71


@pytest.mark.parametrize("case", list(IRREGULAR))
@pytest.mark.parametrize("block", [1, 150, 400])
def test_an_irregular_line_far_in_the_file_sends_only_the_rest_to_the_line_reader(
    tmp_path, monkeypatch, case, block
):
    """Twenty regular records, then the irregular case, then twenty more: the blocks
    before the irregular one are read by the fast path, the rest line by line, and the
    whole gives what the line reader alone gives (rows, blank lines, malformed rows)."""
    monkeypatch.setattr(regular, "BLOCK_BYTES", block)
    head = [call_line(100 + i) for i in range(20)]
    tail = [call_line(200 + i) for i in range(20)]
    lines = [IRREGULAR[case][0], *head, "", *IRREGULAR[case][1:], *tail]
    path = _write(tmp_path, "\n".join(lines) + "\n")
    export = open_export(path)
    with pytest.raises(Irregular) as raised:
        _blocks(export)
    # Some blocks were read regularly, none past the first irregular line.
    first_bad = 22 + next(i for i, x in enumerate(IRREGULAR[case][1:], 1) if x not in LINES)
    assert 1 < raised.value.after < first_bad
    fast = list(export.chunks(size=7))
    slow = list(export._line_chunks(size=7))
    assert sum(c.blank for c in fast) == sum(c.blank for c in slow) == 1
    assert [(m.line, m.reason) for c in fast for m in c.malformed] == [
        (m.line, m.reason) for c in slow for m in c.malformed
    ]
    frames = [pd.concat([c.frame for c in chunks], ignore_index=True) for chunks in (fast, slow)]
    for frame in frames:
        frame["_raw"] = _raw_text(frame)
    pd.testing.assert_frame_equal(*frames)


CLEAN = st.text(alphabet=[*"abcé €0\t", "\u00a0"], max_size=6)
HOSTILE = st.text(alphabet=[*'abcé ;"\r\n\t€0', "\u00a0"], min_size=1, max_size=6)


@st.composite
def exports(draw):
    """Rows as wide as the header with plain values, then perhaps a few hostile values
    (separators, quotes, line breaks) and a row one field short or long."""
    rows = draw(st.lists(st.lists(CLEAN, min_size=13, max_size=13), max_size=6))
    for _ in range(draw(st.integers(0, 2)) if rows else 0):
        row = draw(st.sampled_from(rows))
        row[draw(st.integers(0, 12))] = draw(HOSTILE)
    if rows and draw(st.booleans()) and draw(st.booleans()):
        row = draw(st.sampled_from(rows))
        row.append("x") if draw(st.booleans()) else row.pop()
    return rows


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=exports(),
    quote_all=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]),
    block=st.sampled_from([None, 1, 33, 120]),
)
@pytest.mark.slow
def test_any_file_the_fast_path_takes_reads_as_the_line_reader_reads_it(
    tmp_path, rows, quote_all, newline, encoding, block
):
    def field(value: str) -> str:
        if quote_all:
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [HEADER] + [";".join(field(v) for v in row) for row in rows]
    path = _write(tmp_path, newline.join(lines) + newline, encoding)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regular, "BLOCK_BYTES", block or regular.BLOCK_BYTES)
        # Taken or not, in blocks or not: the chunks give what the line reader gives.
        _assert_same(path)
