"""Importing the same files twice changes nothing; request exports upsert, never roll back."""

from __future__ import annotations

from loaders.pipeline import import_file
from tests.loaders.samples import REFERENCE, SAMPLES
from tests.util import load, read_frame, snapshot, write_export
from warehouse.model import schema


def _write_all(tmp_path):
    return [write_export(tmp_path / f"{s}.csv", rows) for s, rows in SAMPLES.items()]


def test_importing_the_same_files_twice_changes_no_table(engine, tmp_path):
    files = _write_all(tmp_path)
    ordered = sorted(files, key=lambda p: (p.stem not in REFERENCE, p.stem))
    for path in ordered:
        assert import_file(engine, path).status == "loaded"
    before = snapshot(engine)
    reports = [import_file(engine, path) for path in ordered]
    assert {r.status for r in reports} == {"already_loaded"}
    assert snapshot(engine) == before


def test_same_rows_in_another_file_are_duplicates(engine, tmp_path):
    load(engine, tmp_path, "appels", SAMPLES["appels"], name="a.csv")
    load(engine, tmp_path, "registres", SAMPLES["registres"], name="r.csv")
    before = snapshot(engine)
    calls = load(engine, tmp_path, "appels", SAMPLES["appels"], name="a.txt", sep="\t")
    contacts = load(engine, tmp_path, "registres", SAMPLES["registres"], name="r.xlsx")
    assert (calls.rows_loaded, calls.rows_duplicate) == (0, 2)
    assert (contacts.rows_loaded, contacts.rows_duplicate) == (0, 2)
    after = snapshot(engine)
    assert after["fact_call"] == before["fact_call"]
    assert after["fact_contact"] == before["fact_contact"]


def test_identical_contacts_in_one_register_stay_two(engine, tmp_path):
    row = SAMPLES["registres"][0]
    report = load(engine, tmp_path, "registres", [row, row])
    assert report.rows_loaded == 2
    assert len(read_frame(engine, schema.fact_contact)) == 2


OPEN = dict(
    SAMPLES["demandes"][0],
    statut="ouverte",
    date_premiere_action="",
    date_cloture="",
    niveau_cloture="",
    nb_relances="0",
)
IN_PROGRESS = dict(OPEN, statut="en cours", date_premiere_action="05/03/2025 09:00")
CLOSED = dict(SAMPLES["demandes"][0])  # cloturee, level 2, 1 follow-up


def _request(engine) -> dict:
    frame = read_frame(engine, schema.fact_request)
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


def test_successive_exports_upsert_the_request(engine, tmp_path):
    first = load(engine, tmp_path, "demandes", [OPEN], name="export_1.csv")
    assert (first.rows_inserted, first.rows_updated) == (1, 0)
    second = load(engine, tmp_path, "demandes", [IN_PROGRESS], name="export_2.csv")
    assert (second.rows_inserted, second.rows_updated) == (0, 1)
    third = load(engine, tmp_path, "demandes", [CLOSED], name="export_3.csv")
    assert (third.rows_inserted, third.rows_updated) == (0, 1)
    row = _request(engine)
    assert row["status"] == "cloturee"
    assert row["closure_level"] == 2
    assert row["followup_count"] == 1
    # 03/03 08:35 -> 10/03 16:00 = 7 days 7 h 25 min = 7.309 days
    assert round(row["days_to_close"], 3) == 7.309


def test_an_older_export_never_rolls_a_request_back(engine, tmp_path):
    load(engine, tmp_path, "demandes", [CLOSED], name="export_new.csv")
    before = snapshot(engine)["fact_request"]
    stale = load(engine, tmp_path, "demandes", [OPEN], name="export_old.csv")
    assert (stale.rows_loaded, stale.rows_duplicate) == (0, 1)
    assert snapshot(engine)["fact_request"] == before
    assert _request(engine)["status"] == "cloturee"


def test_first_reference_row_replaces_an_inferred_member(engine, tmp_path):
    load(engine, tmp_path, "demandes", SAMPLES["demandes"])
    agencies = read_frame(engine, schema.dim_agency).set_index("agency_code")
    assert agencies.loc["AG01", "is_inferred"]
    report = load(engine, tmp_path, "agences", SAMPLES["agences"])
    assert (report.rows_inserted, report.rows_updated) == (0, 2)
    agencies = read_frame(engine, schema.dim_agency).set_index("agency_code")
    assert not agencies["is_inferred"].any()
    assert agencies.loc["AG01", "agency_name"] == "Agence Nord-Été"
