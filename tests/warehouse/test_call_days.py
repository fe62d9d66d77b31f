"""Call totals and series served from the daily aggregates equal the detail's answer, with
and without each filter, after every way the aggregates are refreshed (a call file, a
dwellings file, a purge, an older warehouse), on both dialects."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import text

from loaders.pipeline import import_file
from tests.util import write_export
from tests.warehouse.kpi_dataset import APPELS, FILES, LOGEMENTS, _call
from tests.warehouse.test_kpis import PERIOD
from warehouse.kpis import DEFAULT_SETTINGS, Filters
from warehouse.kpis.calls import grouped_aggregates

FILTERS = [
    PERIOD,
    replace(PERIOD, agencies=("AG01",)),
    replace(PERIOD, organisme="Org B"),
    replace(PERIOD, channels=("astreinte",)),
    replace(PERIOD, channels=("crl",)),
    replace(PERIOD, queues=("CRL",)),
    replace(PERIOD, allowed_agencies=("AG02",)),
    replace(PERIOD, allowed_agencies=()),
    replace(PERIOD, categories=("technique",)),  # not a call filter: every call
    Filters(date(2025, 3, 3), date(2025, 3, 3)),
    Filters(date(2030, 1, 1), date(2030, 1, 31)),  # nothing
]
GROUPINGS = [
    [],
    ["day"],
    ["iso_week"],
    ["month"],
    ["year"],
    ["weekday"],
    ["agency"],
    ["channel"],
    ["queue"],
    ["month", "agency"],
]


def assert_same(engine, filters=FILTERS) -> None:
    with engine.connect() as conn:
        for f in filters:
            for by in GROUPINGS:
                served = grouped_aggregates(conn, f, DEFAULT_SETTINGS, by)
                detail = grouped_aggregates(conn, f, DEFAULT_SETTINGS, by, detail=True)
                assert served == detail, (f, by)


def test_served_equals_detail_with_every_filter(loaded):
    assert_same(loaded)
    with loaded.connect() as conn:  # and it is the hand-made figure (test_kpis.py)
        assert grouped_aggregates(conn, PERIOD, DEFAULT_SETTINGS, [])[()]["offered"] == 7


def _load(engine, folder, source, rows, name=None):
    report = import_file(engine, write_export(folder / f"{name or source}.csv", rows))
    assert report.status == "loaded", report
    return report


@pytest.mark.slow
def test_a_dwellings_file_moves_calls_between_agencies(engine, tmp_path):
    for source, rows in FILES:
        if source != "logements":
            _load(engine, tmp_path, source, rows)
    assert_same(engine)  # calls first: their dwellings are inferred, without an agency
    _load(engine, tmp_path, "logements", LOGEMENTS)
    assert_same(engine)
    moved = [r | {"agence": "AG02"} if r["ref_logement"] == "L1" else r for r in LOGEMENTS]
    _load(engine, tmp_path, "logements", moved, "logements_2")
    assert_same(engine)
    with engine.connect() as conn:
        by_agency = grouped_aggregates(conn, PERIOD, DEFAULT_SETTINGS, ["agency"])
    # L1's calls C1 C5 C9 and L3's C2 are AG02's now: 4 offered; none left to AG01.
    assert by_agency[("AG02",)]["offered"] == 4 and ("AG01",) not in by_agency


@pytest.mark.slow
def test_a_later_file_makes_an_earlier_day_s_call_a_repeat(loaded, tmp_path):
    """B called on 3 March at 09:10 (C2) with no earlier call: not a repeat. A file
    bringing B's call of 2 March makes it one, on a day the new file does not hold."""
    before = _call(
        "C0",
        "02/03/2025 20:00",
        "entrant",
        "CRL",
        10,
        30,
        "decroche",
        caller=APPELS[1]["numero_appelant"],
    )
    with loaded.connect() as conn:
        day = Filters(date(2025, 3, 3), date(2025, 3, 3))
        assert grouped_aggregates(conn, day, DEFAULT_SETTINGS, [])[()]["repeats"] == 1  # C5
    _load(loaded, tmp_path, "appels", [before], "appels_2")
    assert_same(loaded)
    with loaded.connect() as conn:
        assert grouped_aggregates(conn, day, DEFAULT_SETTINGS, [])[()]["repeats"] == 2  # C2


def test_a_purge_keeps_every_day_once(loaded):
    from warehouse.load.retention import purge_calls

    purge_calls(loaded, date(2025, 3, 5))
    assert_same(loaded)
    with loaded.connect() as conn:
        assert grouped_aggregates(conn, PERIOD, DEFAULT_SETTINGS, [])[()]["offered"] == 7


@pytest.mark.slow
def test_an_older_warehouse_gets_its_daily_aggregates(loaded):
    from warehouse.load.setup import init_warehouse

    with loaded.begin() as conn:
        conn.execute(text("DROP TABLE agg_call_kept"))
    init_warehouse(loaded)
    assert_same(loaded)
    with loaded.connect() as conn:
        assert grouped_aggregates(conn, PERIOD, DEFAULT_SETTINGS, [])[()]["offered"] == 7


@pytest.mark.parametrize("settings", [replace(DEFAULT_SETTINGS, short_abandon_s=2)])
def test_other_settings_read_the_detail(loaded, settings):
    """C3 (abandoned after 3 s) is offered when short abandons are under 2 s: 8."""
    with loaded.connect() as conn:
        assert grouped_aggregates(conn, PERIOD, settings, [])[()]["offered"] == 8


def test_an_older_warehouse_lets_unmeasured_calls_in(loaded):
    """A warehouse of the version before unmeasured calls: outcome, wait and talk NOT
    NULL, the daily aggregates without the counts of known measures. The upgrade drops
    the NOT NULL and fills the new counts from what they equalled then (every call's
    outcome, wait and talk were known): the KPIs read as before."""
    from warehouse.load.setup import init_warehouse

    with loaded.begin() as conn:
        for column in ("outcome", "wait_seconds", "talk_seconds"):
            conn.execute(text(f"ALTER TABLE fact_call ALTER COLUMN {column} SET NOT NULL"))
        for table in ("agg_call_kept", "agg_call_day"):
            for column in ("offered_known", "answered_wait_known", "answered_talk_known"):
                conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
    init_warehouse(loaded)
    assert_same(loaded)
    with loaded.connect() as conn:
        totals = grouped_aggregates(conn, PERIOD, DEFAULT_SETTINGS, [])[()]
        assert totals["offered_known"] == totals["offered"] == 7
        assert totals["answered_wait_known"] == totals["answered"]
        conn.execute(text("UPDATE fact_call SET outcome = NULL, wait_seconds = NULL"))
