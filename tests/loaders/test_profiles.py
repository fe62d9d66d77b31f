"""Import profiles: each shipped system's export, in its documented layout, loads as it
comes out of the system, and gives KPIs worked out by hand (on DuckDB and PostgreSQL).

Every file holds a handful of calls in the week of Monday 3 March 2025 (Paris is UTC+1
until 30 March). Offered calls leave out outbound calls and abandons under 5 s; out of
hours is outside Monday-Friday 8:30-17:30, Paris time.
"""

from __future__ import annotations

import csv
from datetime import date

import pytest

from loaders.pipeline import import_file
from warehouse.kpis import Filters, compute_all

MARCH = Filters(date(2025, 3, 1), date(2025, 3, 31))
KPIS = [
    "offered_calls",
    "answered_calls",
    "answer_rate",
    "service_level_90",
    "asa_s",
    "abandon_rate",
    "aht_s",
    "out_of_hours_share",
]


def _write(path, rows, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def _kpis(engine) -> dict:
    got = {k.id: k.value for k in compute_all(engine, MARCH)}
    return {k: got[k] for k in KPIS}


def _assert_kpis(engine, expected: dict) -> None:
    assert _kpis(engine) == pytest.approx(expected)


def expected(offered, answered, within_90, waits, talks, abandoned, out_of_hours) -> dict:
    """The eight KPIs from the counts worked out by hand: waits and talks of the answered
    calls, the others counted over the offered calls."""
    return {
        "offered_calls": offered,
        "answered_calls": answered,
        "answer_rate": answered / offered,
        "service_level_90": within_90 / offered,
        "asa_s": sum(waits) / answered,
        "abandon_rate": abandoned / offered,
        "aht_s": sum(talks) / answered,
        "out_of_hours_share": out_of_hours / offered,
    }


# --- Genesys Cloud -------------------------------------------------------------------
GENESYS_HEADER = [
    "Conversation ID", "Media Type", "Direction", "Date", "Queue", "ANI", "Users",
    "Abandoned", "Total Queue", "Total Talk", "Wrap-up",
]  # fmt: skip
# (id, media, direction, UTC start, queue wait, talk, abandoned) in seconds
GENESYS_CALLS = [
    ("G1", "voice", "inbound", "2025-03-03T08:00:00.000Z", 20, 180, "NO"),  # 09:00, answered
    ("G2", "voice", "inbound", "2025-03-03T09:30:00.000Z", 45, 0, "YES"),  # abandoned
    ("G3", "voice", "inbound", "2025-03-03T10:00:00.000Z", 3, 0, "YES"),  # short abandon
    ("G4", "voice", "inbound", "2025-03-03T17:00:00.000Z", 100, 60, "NO"),  # 18:00, answered
    ("G5", "email", "inbound", "2025-03-03T11:00:00.000Z", 0, 0, "NO"),  # not a call
    ("G6", "voice", "outbound", "2025-03-04T08:00:00.000Z", 0, 30, "NO"),  # outbound
    ("G7", "voice", "inbound", "2025-03-04T13:00:00.000Z", 10, 0, "NO"),  # flowed out
]
# Offered G1 G2 G4 G7 = 4; answered G1 G4 = 2; within 90 s: G1 (20 s); waits 20 + 100;
# talk 180 + 60; abandoned G2; out of hours G4 (18:00).
GENESYS_KPIS = expected(4, 2, 1, [20, 100], [180, 60], 1, 1)


def _genesys(path, unit: str):
    def duration(seconds: int) -> str:
        if unit == "ms":
            return str(seconds * 1000)
        if unit == "clock":
            return f"00:{seconds // 60:02d}:{seconds % 60:02d}"
        return str(seconds)

    rows = [GENESYS_HEADER]
    for cid, media, direction, start, wait, talk, abandoned in GENESYS_CALLS:
        rows.append(
            [cid, media, direction, start, "CRL", "tel:+33612345678", "Marie Curie", abandoned]
            + [duration(wait), duration(talk), "Renseignement - quittance"]
        )
    return _write(path, rows)


@pytest.mark.parametrize("unit", ["ms", "s", "clock"])
def test_genesys_interactions_export(engine, tmp_path, unit):
    report = import_file(engine, _genesys(tmp_path / "interactions.csv", unit))
    assert report.status == "loaded" and report.profile == "genesys-cloud", report
    assert (report.rows_read, report.rows_loaded, report.rows_blank) == (6, 6, 1)
    assert any("non téléphoniques" in n for n in report.notes)
    if unit != "clock":
        said = "millisecondes" if unit == "ms" else "secondes"
        assert any(said in n for n in report.notes), report.notes
    _assert_kpis(engine, GENESYS_KPIS)


# --- Aircall -------------------------------------------------------------------------
AIRCALL_HEADER = [
    "id", "direction", "started_at", "answered_at", "ended_at", "duration", "raw_digits",
    "user", "number", "missed_call_reason", "voicemail", "tags",
]  # fmt: skip
MON_08 = 1740988800  # 2025-03-03 08:00:00 UTC, 09:00 in Paris
TUE_08 = 1741075200  # 2025-03-04 08:00:00 UTC
# (id, direction, start, seconds to answer or None, seconds answered to end or to hang-up,
#  missed reason, voicemail)
AIRCALL_CALLS = [
    ("A1", "inbound", MON_08, 15, 120, "", ""),
    ("A2", "inbound", MON_08 + 3600, None, 40, "abandoned_in_classic", ""),
    ("A3", "inbound", MON_08 + 11 * 3600, None, 2, "out_of_opening_hours", ""),  # 20:00
    ("A4", "inbound", TUE_08, None, 30, "agents_did_not_answer", "https://vm/1.mp3"),
    ("A5", "outbound", TUE_08 + 3600, 5, 60, "", ""),
    ("A6", "inbound", TUE_08 + 7200, 95, 200, "", ""),
]
# Offered A1 A2 A3 A4 A6 = 5 (A3 overflow outside opening hours, A4 voicemail); answered
# A1 A6; within 90 s: A1 (15 s); waits 15 + 95; talk 120 + 200; abandoned A2; out of hours
# A3 (20:00).
AIRCALL_KPIS = expected(5, 2, 1, [15, 95], [120, 200], 1, 1)


def aircall_rows() -> list[list[str]]:
    rows = [AIRCALL_HEADER]
    for cid, direction, start, answer, rest, reason, voicemail in AIRCALL_CALLS:
        answered = "" if answer is None else str(start + answer)
        end = start + (answer or 0) + rest
        rows.append(
            [cid, direction, str(start), answered, str(end), str(end - start), "+33612345678"]
            + ["Paul Martin", "Standard CRL", reason, voicemail, "Renseignement"]
        )
    return rows


def test_aircall_call_history(engine, tmp_path):
    report = import_file(engine, _write(tmp_path / "aircall.csv", aircall_rows()))
    assert report.status == "loaded" and report.profile == "aircall", report
    assert (report.rows_read, report.rows_loaded) == (6, 6)
    _assert_kpis(engine, AIRCALL_KPIS)


# --- 3CX -----------------------------------------------------------------------------
CDR_FIELDS = [
    "historyid", "callid", "duration", "time-start", "time-answered", "time-end",
    "reason-terminated", "from-no", "to-no", "from-dn", "to-dn", "dial-no", "reason-changed",
    "final-number", "final-dn", "bill-code", "bill-rate", "bill-cost", "bill-name", "chain",
    "from-type", "to-type", "final-type", "from-dispname", "to-dispname", "final-dispname",
    "missed-queue-calls",
]  # fmt: skip


def _cdr(hid, callid, duration, start, answered, end, from_no, to_dn, final_dn, types):
    record = dict.fromkeys(CDR_FIELDS, "")
    record |= {"historyid": hid, "callid": callid, "duration": duration}
    record |= {"time-start": start, "time-answered": answered, "time-end": end}
    record |= {"reason-terminated": "TerminatedBySrc", "from-no": from_no, "to-dn": to_dn}
    record |= {"final-dn": final_dn, "to-dispname": "CRL" if to_dn == "800" else ""}
    record["from-type"], record["to-type"], record["final-type"] = types
    return [record[f] for f in CDR_FIELDS]


CDR_RECORDS = [
    # Call 100: queue 800 answered by 201 after 30 s, talks 2 min, transfers to 202 (1 min).
    _cdr("1", "100", "00:02:00", "2025/03/03 08:00:00", "2025/03/03 08:00:30",
         "2025/03/03 08:02:30", "0612345678", "800", "201", ("Line", "Queue", "Extension")),
    _cdr("2", "100", "00:01:00", "2025/03/03 08:02:30", "2025/03/03 08:02:40",
         "2025/03/03 08:03:40", "201", "202", "202", ("Extension", "Extension", "Extension")),
    # Call 101: hangs up in the queue after 50 s. Call 102: voicemail after 20 s.
    _cdr("3", "101", "00:00:00", "2025/03/03 09:00:00", "", "2025/03/03 09:00:50",
         "0698765432", "800", "800", ("Line", "Queue", "Queue")),
    _cdr("4", "102", "00:00:00", "2025/03/03 10:00:00", "", "2025/03/03 10:00:20",
         "0698765433", "800", "999", ("Line", "Queue", "VMail")),
    # Call 103 at 18:00 Paris: answered after 100 s, 2 min. Call 104: outbound.
    _cdr("5", "103", "00:02:00", "2025/03/03 17:00:00", "2025/03/03 17:01:40",
         "2025/03/03 17:03:40", "0698765434", "800", "203", ("Line", "Queue", "Extension")),
    _cdr("6", "104", "00:01:00", "2025/03/04 08:00:00", "2025/03/04 08:00:05",
         "2025/03/04 08:01:05", "201", "0611111111", "0611111111", ("Extension", "Line", "Line")),
]  # fmt: skip
# Offered 100 101 102 103 = 4 (the transfer is the same call); answered 100 103; within
# 90 s: 100 (30 s); waits 30 + 100; talk 120 + 60 = 180 for call 100, 120 for 103;
# abandoned 101; out of hours 103.
CDR_KPIS = expected(4, 2, 1, [30, 100], [120 + 60, 120], 1, 1)


@pytest.mark.parametrize("with_header", [False, True])
def test_3cx_call_data_records(engine, tmp_path, with_header):
    rows = ([CDR_FIELDS] if with_header else []) + CDR_RECORDS
    report = import_file(engine, _write(tmp_path / "cdr.log", rows).rename(tmp_path / "cdr.txt"))
    assert report.status == "loaded" and report.profile == "3cx", report
    assert (report.rows_read, report.rows_loaded, report.rows_blank) == (5, 5, 1)
    assert any("transfert" in n for n in report.notes)
    _assert_kpis(engine, CDR_KPIS)


# --- Avaya IP Office -----------------------------------------------------------------
def _smdr(start, connected, ring, caller, direction, dialled, internal, call_id, cont, p2, name):
    fields = [start, connected, str(ring), caller, direction, "0169000000", dialled, ""]
    fields += [internal, call_id, cont, "T9001", "Line 1.1", p2, name]
    fields += ["0", "0"] + [""] * 17 + ["2025/03/03 23:59:00"]
    assert len(fields) == 35
    return fields


SMDR = [
    # 1000001: answered by Marie after 12 s ring, 3 min, transferred to Jean (1 min).
    _smdr("2025/03/03 09:00:00", "00:03:00", 12, "0612345678", "I", "800", "0", "1000001", "1",
          "E201", "Marie"),
    _smdr("2025/03/03 09:03:12", "00:01:00", 5, "0612345678", "I", "800", "0", "1000001", "0",
          "E202", "Jean"),
    _smdr("2025/03/03 10:00:00", "00:00:00", 40, "0698765432", "I", "800", "0", "1000002", "0",
          "E201", "Marie"),  # hung up while ringing
    _smdr("2025/03/03 11:00:00", "00:00:35", 25, "0698765433", "I", "800", "0", "1000003", "0",
          "V9501", "VM Channel 1"),  # voicemail
    _smdr("2025/03/03 18:30:00", "00:02:00", 95, "0698765434", "I", "800", "0", "1000004", "0",
          "E203", "Luc"),  # after hours, answered after 95 s
    _smdr("2025/03/04 09:30:00", "00:01:00", 3, "201", "O", "0611111111", "0", "1000005", "0",
          "T9001", "Line 1.2"),  # outbound
    _smdr("2025/03/04 10:00:00", "00:00:40", 2, "201", "O", "202", "1", "1000006", "0",
          "E202", "Jean"),  # internal
]  # fmt: skip
# Offered 1000001-1000004 = 4; answered 1000001 and 1000004; within 90 s: 1000001 (12 s);
# waits 12 + 95; talk 180 + 60 = 240 and 120; abandoned 1000002; out of hours 1000004.
SMDR_KPIS = expected(4, 2, 1, [12, 95], [180 + 60, 120], 1, 1)


def test_avaya_smdr_with_continuation_records(engine, tmp_path):
    report = import_file(engine, _write(tmp_path / "smdr.csv", SMDR))
    assert report.status == "loaded" and report.profile == "avaya-ip-office", report
    # 7 records: one continuation grouped, one internal call left out.
    assert (report.rows_read, report.rows_loaded, report.rows_blank) == (5, 5, 2)
    _assert_kpis(engine, SMDR_KPIS)


# --- Microsoft Teams -----------------------------------------------------------------
TEAMS = [
    ["UsageId", "Call ID", "UPN", "User Display Name", "Caller ID", "Call Type",
     "Start Time", "End Time", "Duration Seconds"],
    ["u1", "T1", "marie@hlm.fr", "Marie", "+33612345678", "user_in", "2025-03-03T08:00:00Z",
     "2025-03-03T08:02:00Z", "120"],
    ["u2", "T2", "cq@hlm.fr", "File CRL", "+33698765432", "ucap_in", "2025-03-03T17:30:00Z",
     "2025-03-03T17:31:00Z", "60"],
    ["u3", "T3", "marie@hlm.fr", "Marie", "+33169000000", "user_out", "2025-03-04T08:00:00Z",
     "2025-03-04T08:00:30Z", "30"],
    ["u4", "T4", "marie@hlm.fr", "Marie", "+33169000000", "conf_in", "2025-03-04T09:00:00Z",
     "2025-03-04T09:10:00Z", "600"],
]  # fmt: skip
# Connected calls only: offered = answered = T1 T2; waits unknown, read as 0; talk 120 +
# 60; out of hours T2 (18:30).
TEAMS_KPIS = expected(2, 2, 2, [0, 0], [120, 60], 0, 1)


def test_teams_pstn_usage_says_what_it_cannot_give(engine, tmp_path):
    report = import_file(engine, _write(tmp_path / "pstn.csv", TEAMS))
    assert report.status == "loaded" and report.profile == "teams-pstn", report
    assert (report.rows_read, report.rows_loaded, report.rows_blank) == (3, 3, 1)
    assert any("ni appels perdus" in n or "sans temps d'attente" in n for n in report.notes)
    _assert_kpis(engine, TEAMS_KPIS)


# --- A landlord's own profile: a CRM request export ------------------------------------
CRM = [
    ["N° ticket", "Ouvert le", "Origine", "Code agence", "Lot", "Domaine", "Sous-domaine",
     "Nature", "Délai (j)", "Etat", "Pris en charge le", "Soldé le", "Niveau", "Relances"],
    ["T-1", "20250303 0900", "Centre relation client", "AG01", "L1", "Technique", "Fuite",
     "Réclamation", "3", "Soldée", "20250304 1000", "20250305 1000", "1", "0"],
    ["T-2", "20250304 1400", "Accueil agence", "AG01", "L2", "Charges", "",
     "Demande d'information", "", "Soldée", "20250304 1400", "20250304 1500", "2", "1"],
    ["T-3", "20250305 1000", "Site locataire", "AG02", "", "Voisinage", "Bruit",
     "Réclamation", "10", "En traitement", "20250306 0900", "", "", "0"],
    ["T-4", "20250306 1100", "Centre relation client", "AG02", "", "Technique", "",
     "Réclamation", "1", "A traiter", "", "", "", "2"],
]  # fmt: skip
# Created in March: T-1 to T-4. Complaints: T-1 crl, T-3 extranet, T-4 crl (T-2 asks for
# information). Closed: T-1 at level 1, T-2 at level 2. Chased at least once: T-2 (1) and
# T-4 (2), of 4 requests.
CRM_KPIS = {
    "capture_share.crl": 2 / 3,
    "capture_share.extranet": 1 / 3,
    "first_level_closure_requests": 1 / 2,
    "followup_rate": 2 / 4,
}


def test_a_user_profile_reads_a_crm_request_export(engine, tmp_path, monkeypatch):
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "profiles"
    monkeypatch.setenv("PILOTAGE_PROFILES_DIR", str(docs))
    path = _write(tmp_path / "sollicitations.csv", CRM, delimiter=";")
    report = import_file(engine, path)
    assert report.status == "loaded" and report.profile == "crm-demandes-exemple", report
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 4, 0)
    got = {k.id: k.value for k in compute_all(engine, MARCH)}
    assert {k: got[k] for k in CRM_KPIS} == pytest.approx(CRM_KPIS)


def test_without_the_user_folder_the_crm_export_is_not_recognised(engine, tmp_path):
    path = _write(tmp_path / "sollicitations.csv", CRM, delimiter=";")
    report = import_file(engine, path)
    assert report.status == "rejected" and "source inconnue" in report.message


def test_a_forced_profile_that_does_not_fit_says_what_is_missing(engine, tmp_path):
    path = _write(tmp_path / "aircall.csv", [AIRCALL_HEADER[:3], ["A1", "inbound", "1"]])
    report = import_file(engine, path, profile="genesys-cloud")
    assert report.status == "rejected", report
    assert "profil « genesys-cloud »" in report.message and "conversationid" in report.message


def test_an_unknown_profile_names_the_known_ones(engine, tmp_path):
    report = import_file(engine, _genesys(tmp_path / "g.csv", "ms"), profile="nope")
    assert report.status == "rejected"
    assert "profil inconnu « nope »" in report.message and "genesys-cloud" in report.message


def test_our_own_layout_can_be_forced(engine, tmp_path):
    report = import_file(engine, _genesys(tmp_path / "g.csv", "ms"), profile="pilotage")
    assert report.status == "rejected" and "source inconnue" in report.message


# --- A draft profile for a system we do not ship ---------------------------------------
OTHER = [
    ["Call Ref", "Start time", "Call direction", "Queue name", "Caller", "Wait (s)",
     "Talk time", "Result"],
    ["X1", "2025/03/03 09:00:00", "In", "CRL", "0612345678", "20", "00:03:00", "Answered"],
    ["X2", "2025/03/03 10:00:00", "In", "CRL", "0612345679", "45", "00:00:00", "Abandoned"],
    ["X3", "2025/03/03 18:00:00", "In", "CRL", "0612345670", "100", "00:01:00", "Answered"],
    ["X4", "2025/03/04 09:00:00", "Out", "CRL", "0612345671", "0", "00:00:30", "Answered"],
]  # fmt: skip


def test_suggest_writes_a_draft_a_person_completes_in_minutes(engine, tmp_path, monkeypatch):
    from loaders.cli import main

    export = _write(tmp_path / "other.csv", OTHER, delimiter=";")
    folder = tmp_path / "profiles"
    folder.mkdir()
    draft = folder / "other.toml"
    assert main(["profile", "suggest", str(export), "--out", str(draft)]) == 0
    text = draft.read_text(encoding="utf-8")
    assert 'source = "appels"' in text
    assert 'date_heure = "Start time"' in text and '"Start time" = "%Y/%m/%d %H:%M:%S"' in text
    assert '"Talk time" = "clock"' in text and 'attente_s = "Wait (s)"' in text
    assert '"Answered" = "decroche"' in text and '"Abandoned" = "abandonne"' in text
    assert 'id_appel = "Call Ref"' in text and 'numero_appelant = "Caller"' in text
    assert '"In" = "entrant"' in text and '"Out" = "sortant"' in text
    # The person checks it, names it, and drops it in the profiles folder.
    draft.write_text(text.replace("other : à renommer", "ACD de l'agence"), encoding="utf-8")
    monkeypatch.setenv("PILOTAGE_PROFILES_DIR", str(folder))
    report = import_file(engine, export)
    assert report.status == "loaded" and report.profile == "other", (report, text)
    assert (report.rows_read, report.rows_loaded) == (4, 4)
    # Offered X1 X2 X3; answered X1 X3 (waits 20, 100; talk 180, 60); abandoned X2.
    got = _kpis(engine)
    assert got["offered_calls"] == 3 and got["answer_rate"] == pytest.approx(2 / 3)
    assert got["asa_s"] == pytest.approx(60) and got["aht_s"] == pytest.approx(120)


@pytest.mark.parametrize(
    ("profile", "written", "paris"),
    [
        ("genesys-cloud", "2025-07-01T08:00:00.000Z", "2025-07-01 10:00:00"),  # summer, UTC+2
        ("genesys-cloud", "2025-01-15T08:00:00.000Z", "2025-01-15 09:00:00"),  # winter, UTC+1
        ("3cx", "2025/10/26 01:30:00", "2025-10-26 02:30:00"),  # UTC, just before the change
        # Local wall-clock time, the hour that happens twice in October: kept as written.
        ("avaya-ip-office", "2025/10/26 02:30:00", "2025-10-26 02:30:00"),
    ],
)
def test_dates_become_paris_wall_clock_time(profile, written, paris):
    import pandas as pd

    from loaders.read.profile import get_profile
    from loaders.read.translate import _dates

    spec = get_profile(profile)
    column = {"genesys-cloud": "Date", "3cx": "time-start", "avaya-ip-office": "Call Start"}
    kind = spec.dates[column[profile]]
    stamps = _dates(pd.Series([written], dtype="str"), kind, spec)
    assert stamps[0] == pd.Timestamp(paris)
