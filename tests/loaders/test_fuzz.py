"""Property-based tests over the readers and the import (hypothesis).

Whatever the bytes, encoding, column order or field sizes: the import never raises, every
row read is accounted for (loaded, duplicate or quarantined), and a rejection or a
quarantine reason is a sentence a person can act on.
"""

from __future__ import annotations

import csv
import io
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.pipeline import import_file
from loaders.sources import SOURCES
from tests.loaders.samples import SAMPLES
from warehouse.engine import make_engine
from warehouse.load.setup import init_warehouse

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CALL_COLUMNS = list(SAMPLES["appels"][0])
REQUIRED = set(SOURCES["appels"].required)
OPTIONAL = [c for c in CALL_COLUMNS if c not in REQUIRED]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]
_counter = itertools.count()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    engine = make_engine(f"duckdb:///{folder / 'w.duckdb'}")
    init_warehouse(engine)
    yield engine, folder
    engine.dispose()


def _file(folder, data: bytes, suffix: str = ".csv"):
    path = folder / f"f{next(_counter)}{suffix}"
    path.write_bytes(data)
    return path


def _readable(message: str) -> bool:
    """A French sentence, not a bare exception repr or a traceback."""
    return bool(message) and len(message) < 2_000 and "Traceback" not in message


def _check(report) -> None:
    assert report.status in ("loaded", "rejected", "already_loaded"), report
    assert report.accounted, report
    if report.status == "rejected":
        assert _readable(report.message), report.message
    for reason in report.reasons:
        assert _readable(reason) and reason.startswith("ligne "), reason


@FUZZ
@given(data=st.binary(max_size=4_000), suffix=st.sampled_from([".csv", ".txt", ".xlsx"]))
def test_random_bytes_never_crash_the_import(warehouse, data, suffix):
    engine, folder = warehouse
    _check(import_file(engine, _file(folder, data, suffix)))


@st.composite
def call_files(draw):
    """A call export: shuffled columns, some optional ones dropped, random rows (some
    valid, some with random text or huge fields), a random encoding and delimiter."""
    columns = [c for c in CALL_COLUMNS if c in REQUIRED or draw(st.booleans())]
    columns = draw(st.permutations(columns))
    text = st.text(
        alphabet=st.characters(codec="cp1252", exclude_categories=("Cs", "Cc")), max_size=30
    )
    # a huge field: a few characters (quotes, delimiters and newlines among them) repeated
    huge = st.builds(
        lambda piece, times: piece * times,
        st.text(alphabet="abcé;,\"' \n", min_size=1, max_size=4),
        st.integers(2_000, 20_000),
    )
    rows = []
    for i in range(draw(st.integers(0, 12))):
        base = dict(SAMPLES["appels"][i % 2], id_appel=f"F{draw(st.integers(0, 10**9))}")
        for column in columns:
            choice = draw(st.integers(0, 9))
            if choice == 0:
                base[column] = draw(text)
            elif choice == 1:
                base[column] = draw(huge)
        rows.append([base[c] for c in columns])
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(ENCODINGS))
    return buffer.getvalue().encode(encoding, errors="replace"), len(rows), encoding


@pytest.mark.slow
@FUZZ
@given(call_files())
def test_any_call_export_is_read_and_every_row_accounted(warehouse, drawn):
    engine, folder = warehouse
    data, rows, encoding = drawn
    report = import_file(engine, _file(folder, data), source="appels")
    _check(report)
    if report.status == "loaded":
        assert report.rows_read == rows, (report, encoding)


@FUZZ
@given(
    missing=st.sampled_from(sorted(REQUIRED)),
    encoding=st.sampled_from(ENCODINGS),
)
def test_a_missing_required_column_is_named_in_the_rejection(warehouse, missing, encoding):
    engine, folder = warehouse
    columns = [c for c in CALL_COLUMNS if c != missing]
    lines = [";".join(columns), ";".join(SAMPLES["appels"][0][c] for c in columns)]
    report = import_file(engine, _file(folder, "\r\n".join(lines).encode(encoding)), "appels")
    assert report.status == "rejected" and missing in report.message, report


@pytest.mark.parametrize(
    ("data", "status", "rows"),
    [
        (b"", "rejected", 0),  # empty file
        (b"\r\n\r\n  \r\n", "rejected", 0),  # blank lines only
        (";".join(CALL_COLUMNS).encode(), "loaded", 0),  # a header and nothing else
    ],
)
def test_empty_and_header_only_files(warehouse, data, status, rows):
    engine, folder = warehouse
    report = import_file(engine, _file(folder, data))
    assert (report.status, report.rows_read) == (status, rows), report
    _check(report)
