"""Each call's previous offered call of the same number, as files arrive in any order:
set as the calls are inserted, corrected on the stored calls a file lands before, and
always what a full recomputation gives (both dialects)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tests.util import load
from tests.warehouse.kpi_dataset import _call
from warehouse.load.repeats import refresh_previous_calls
from warehouse.model.schema import fact_call

A, B = "06 11 11 11 11", "06 22 22 22 22"


def _in(i, at, caller, issue="decroche", wait=10):
    return _call(i, at, "entrant", "CRL", wait, 30, issue, caller=caller)


def _previous(engine) -> dict[str, datetime | None]:
    with engine.connect() as conn:
        rows = conn.execute(select(fact_call.c.call_id, fact_call.c.previous_offered_at))
        return dict(rows.all())


def _load(engine, tmp_path, name, rows):
    report = load(engine, tmp_path, "appels", rows, name=f"{name}.csv")
    assert report.status == "loaded" and report.rows_inserted == len(rows), report


def test_previous_offered_call_whatever_the_order_of_the_files(engine, tmp_path):
    # File 1. A: C1 offered; C2 abandoned after 3 s (under short_abandon_s = 5: not
    # offered, never anyone's previous call, and without one of its own); C3 offered.
    _load(
        engine,
        tmp_path,
        "first",
        [
            _in("C1", "10/03/2025 09:00", A),
            _in("C2", "10/03/2025 11:00", A, issue="abandonne", wait=3),
            _in("C3", "12/03/2025 09:00", A),
            _in("C4", "11/03/2025 10:00", B),
            _in("C5", "11/03/2025 10:30", ""),  # no number: no previous call
        ],
    )
    assert _previous(engine) == {
        "C1": None,
        "C2": None,
        "C3": datetime(2025, 3, 10, 9, 0),  # C1, C2 skipped
        "C4": None,
        "C5": None,
    }
    # File 2, the days after: the new call gets C3; no stored call changes.
    _load(engine, tmp_path, "later", [_in("C6", "15/03/2025 10:00", A)])
    assert _previous(engine)["C6"] == datetime(2025, 3, 12, 9, 0)
    # File 3, earlier days: C7 lands between C1 and C3, which now follows C7. B's stored
    # call C4 gets C8, and C8 itself has none before it.
    _load(
        engine,
        tmp_path,
        "earlier",
        [_in("C7", "11/03/2025 08:00", A), _in("C8", "01/03/2025 08:00", B)],
    )
    assert _previous(engine) == {
        "C1": None,
        "C2": None,
        "C3": datetime(2025, 3, 11, 8, 0),  # C7
        "C4": datetime(2025, 3, 1, 8, 0),  # C8
        "C5": None,
        "C6": datetime(2025, 3, 12, 9, 0),  # C3
        "C7": datetime(2025, 3, 10, 9, 0),  # C1
        "C8": None,
    }
    # The incremental upkeep is what a full recomputation gives: nothing left to change.
    with engine.begin() as conn:
        assert refresh_previous_calls(conn) == 0


def test_same_time_calls_are_ordered_by_their_id(engine, tmp_path):
    """Two calls of one number in the same minute: the id breaks the tie, in the file that
    holds both as across two files."""
    _load(engine, tmp_path, "one", [_in("K2", "10/03/2025 09:00", A)])
    _load(engine, tmp_path, "two", [_in("K1", "10/03/2025 09:00", A)])
    previous = _previous(engine)
    assert previous == {"K1": None, "K2": datetime(2025, 3, 10, 9, 0)}
    with engine.begin() as conn:
        assert refresh_previous_calls(conn) == 0
