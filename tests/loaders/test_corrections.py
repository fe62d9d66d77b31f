"""A re-export that corrects stored rows: reported per field and applied by the README's
rule (calls: the newest import wins; requests: the most advanced row wins, a higher
follow-up count is always taken), with the aggregates of the corrected days refreshed."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from tests.loaders.test_idempotence import CLOSED, IN_PROGRESS
from tests.util import load, read_frame, snapshot, table_rows
from warehouse.load.aggregates import refresh_call_days
from warehouse.load.repeats import refresh_previous_calls
from warehouse.model import schema


def _call(call_id: str, when: str, wait: str, outcome: str, caller: str = "06 11 22 33 44"):
    return {
        "id_appel": call_id,
        "date_heure": when,
        "sens": "entrant",
        "file": "CRL",
        "numero_appelant": caller,
        "agent": "jdupont",
        "attente_s": wait,
        "duree_s": "120" if outcome == "decroche" else "0",
        "issue": outcome,
        "motif": "",
    }


# Tuesday 4 March 2025: C1 answered after 14 s, C2 answered after 30 s, C3 answered after
# 20 s; Wednesday 5 March: C4, same number as C3, answered after 10 s.
FIRST = [
    _call("C1", "04/03/2025 09:00:00", "14", "decroche"),
    _call("C2", "04/03/2025 10:00:00", "30", "decroche", "06 99 88 77 66"),
    _call("C3", "04/03/2025 11:00:00", "20", "decroche", "06 55 44 33 22"),
    _call("C4", "05/03/2025 11:00:00", "10", "decroche", "06 55 44 33 22"),
]
# The re-export: C1 waited 15 s, C2 was abandoned, C3 happened on 14 March, C4 unchanged.
CORRECTED = [
    _call("C1", "04/03/2025 09:00:00", "15", "decroche"),
    _call("C2", "04/03/2025 10:00:00", "30", "abandonne", "06 99 88 77 66"),
    _call("C3", "14/03/2025 11:00:00", "20", "decroche", "06 55 44 33 22"),
    FIRST[3],
]


def _day(engine, date_key: int) -> dict:
    a = schema.agg_call_kept.c
    with engine.connect() as conn:
        row = conn.execute(
            select(
                func.sum(a.offered),
                func.sum(a.answered),
                func.sum(a.abandoned),
                func.sum(a.wait_sum),
            ).where(a.date_key == date_key)
        ).one()
    return dict(zip(("offered", "answered", "abandoned", "wait_sum"), row, strict=True))


def test_a_corrected_call_export_is_reported_and_applied(engine, tmp_path):
    """Before: 4 March has 3 calls offered, 3 answered, waits 14 + 30 + 20 = 64 s; C4 on
    5 March follows C3 (previous offered call 04/03 11:00).

    After the re-export: 3 stored calls differ (C1 attente_s, C2 issue and duree_s
    120 -> 0, C3 date_heure), the
    newest import wins: 4 March has 2 offered (C1, C2), 1 answered (C1), 1 abandoned (C2),
    waits of answered calls 15 s; 14 March has C3 (answered, 20 s), and C4 (5 March) now
    has no previous offered call of its number. C4 identical: a duplicate."""
    first = load(engine, tmp_path, "appels", FIRST, name="appels_1.csv")
    assert (first.rows_inserted, first.rows_corrected) == (4, 0)
    assert _day(engine, 20250304) == dict(offered=3, answered=3, abandoned=0, wait_sum=64)

    report = load(engine, tmp_path, "appels", CORRECTED, name="appels_2.csv")
    assert report.status == "loaded"
    assert (report.rows_inserted, report.rows_updated, report.rows_duplicate) == (0, 3, 1)
    assert report.rows_corrected == 3
    assert report.corrected_fields == {
        "attente_s": 1,
        "issue": 1,
        "duree_s": 1,
        "date_heure": 1,
    }
    assert any(
        "3 appel(s) déjà chargé(s) diffèrent" in n and "attente_s : 1" in n for n in report.notes
    )
    assert report.accounted

    calls = read_frame(engine, schema.fact_call).set_index("call_id")
    assert calls.loc["C1", "wait_seconds"] == 15
    assert calls.loc["C2", "outcome"] == "abandonne"
    assert calls.loc["C3", "date_key"] == 20250314
    assert calls.loc["C1", "load_id"] == report.load_id
    assert calls.loc["C4", "load_id"] == first.load_id
    assert pd.isna(calls.loc["C4", "previous_offered_at"])
    assert str(calls.loc["C3", "previous_offered_at"]) == "2025-03-05 11:00:00"
    assert _day(engine, 20250304) == dict(offered=2, answered=1, abandoned=1, wait_sum=15)
    assert _day(engine, 20250314) == dict(offered=1, answered=1, abandoned=0, wait_sum=20)

    # What was refreshed equals a full recomputation.
    with engine.begin() as conn:
        assert refresh_previous_calls(conn) == 0
    kept = table_rows(engine, schema.agg_call_kept)
    with engine.begin() as conn:
        refresh_call_days(conn)
    assert sorted(table_rows(engine, schema.agg_call_kept)) == sorted(kept)


def test_a_call_moved_to_another_day_leaves_its_former_day(engine, tmp_path):
    """Only C3 corrected, from 4 to 20 March: the load's own days (20 March and the repeat
    window after it) do not include 4 March, which must still lose C3: 2 offered, 2
    answered, waits 14 + 30 = 44 s; C4 (5 March) loses its previous call."""
    load(engine, tmp_path, "appels", FIRST, name="appels_1.csv")
    moved = [*FIRST[:2], dict(FIRST[2], date_heure="20/03/2025 11:00:00"), FIRST[3]]
    report = load(engine, tmp_path, "appels", moved, name="appels_2.csv")
    assert (report.rows_corrected, report.corrected_fields) == (1, {"date_heure": 1})
    assert _day(engine, 20250304) == dict(offered=2, answered=2, abandoned=0, wait_sum=44)
    calls = read_frame(engine, schema.fact_call).set_index("call_id")
    assert pd.isna(calls.loc["C4", "previous_offered_at"])


def test_a_call_given_another_number_leaves_its_former_caller(engine, tmp_path):
    """C3's number corrected: C4 (5 March, C3's former number) had C3 as its previous
    offered call and now has none."""
    load(engine, tmp_path, "appels", FIRST, name="appels_1.csv")
    renumbered = [*FIRST[:2], dict(FIRST[2], numero_appelant="06 00 00 00 01"), FIRST[3]]
    report = load(engine, tmp_path, "appels", renumbered, name="appels_2.csv")
    assert report.corrected_fields == {"numero_appelant": 1}
    calls = read_frame(engine, schema.fact_call).set_index("call_id")
    assert pd.isna(calls.loc["C4", "previous_offered_at"])


def test_the_same_calls_again_change_nothing(engine, tmp_path):
    """The corrected file twice (same content: skipped; same rows in another file: every
    row a duplicate, no correction) leaves every table as it was."""
    load(engine, tmp_path, "appels", FIRST, name="appels_1.csv")
    load(engine, tmp_path, "appels", CORRECTED, name="appels_2.csv")
    before = snapshot(engine)
    assert load(engine, tmp_path, "appels", CORRECTED, name="appels_2.csv").status == (
        "already_loaded"
    )
    again = load(engine, tmp_path, "appels", CORRECTED, name="appels_3.txt", sep="\t")
    assert (again.rows_loaded, again.rows_duplicate, again.rows_corrected) == (0, 4, 0)
    after = snapshot(engine)
    for table in ("fact_call", "agg_call_kept", "fact_request"):
        assert after[table] == before[table]


def _request(engine) -> dict:
    return read_frame(engine, schema.fact_request).iloc[0].to_dict()


def test_a_request_with_more_followups_is_reported_and_applied(engine, tmp_path):
    """Stored: D1 closed with 1 follow-up. A later export, as advanced, says 2 follow-ups:
    1 stored row differs in nb_relances, updated."""
    load(engine, tmp_path, "demandes", [CLOSED], name="export_1.csv")
    report = load(engine, tmp_path, "demandes", [dict(CLOSED, nb_relances="2")], name="e2.csv")
    assert (report.rows_updated, report.rows_corrected, report.rows_refused) == (1, 1, 0)
    assert report.corrected_fields == {"nb_relances": 1}
    assert _request(engine)["followup_count"] == 2


def test_a_less_advanced_export_is_refused_but_its_higher_followups_kept(engine, tmp_path):
    """Stored: D1 closed (first action 05/03, closed 10/03 level 2) with 1 follow-up. An
    older-looking export says "en cours" (no closure) with 3 follow-ups: the row is refused
    (statut, date_cloture, niveau_cloture and nb_relances differ), the status stays
    closed, the follow-up count becomes 3; a second file with 2 follow-ups changes
    nothing (2 < 3)."""
    load(engine, tmp_path, "demandes", [CLOSED], name="export_1.csv")
    stale = dict(IN_PROGRESS, nb_relances="3")
    report = load(engine, tmp_path, "demandes", [stale], name="export_2.csv")
    assert (report.rows_updated, report.rows_duplicate) == (1, 0)
    assert (report.rows_corrected, report.rows_refused) == (0, 1)
    assert report.refused_fields == {
        "date_cloture": 1,
        "nb_relances": 1,
        "niveau_cloture": 1,
        "statut": 1,
    }
    assert any("plus avancées que dans ce fichier" in n for n in report.notes)
    row = _request(engine)
    assert (row["status"], row["closure_level"], row["followup_count"]) == ("cloturee", 2, 3)
    assert row["load_id"] == report.load_id

    before = snapshot(engine)["fact_request"]
    fewer = load(engine, tmp_path, "demandes", [dict(stale, nb_relances="2")], name="e3.csv")
    assert (fewer.rows_loaded, fewer.rows_duplicate, fewer.rows_refused) == (0, 1, 1)
    assert snapshot(engine)["fact_request"] == before
