"""Failure demand, the cost of non-quality and the reasons table on ``failure_dataset.py``,
every value worked out by hand (both dialects).

Period: 1 March - 30 April 2025. Offered calls: F1-F10, F12, F13 = 12 (F11 abandoned
after 3 s < short_abandon_s is not offered). Failure demand, each call once:

- F2: A called 7 days to the minute before (F1, 3 March 09:00): a repeat, on the boundary;
- F4 is not: B's previous call (F3) was 8 days before;
- F1 names R1 the day R1 is created: not a chase;
- F5: names R1, created on an earlier day (a chase of an open request);
- F6: motif « Relance - intervention »; F10: motif « Suivi - chauffage »;
- F7: a chase of R1, a « Relance » motif and a repeat of C's F5 two days before: once;
- F12: E called the evening before (F10); F11, abandoned in 3 s, is no one's previous call.

So 6 of 12: F2 F5 F6 F7 F10 F12. Causes: chases F5 F7 = 2, motifs F6 F7 F10 = 3, repeats
F2 F7 F12 = 3 (8 causes for 6 calls).

Cost of non-quality, each month's costs allocated by that month's handle time:
- March: 3,000 EUR; answered F1-F7, talk 100+200+50+150+300+100+100 = 1,000 s, of which
  failure demand F2 F5 F6 F7 = 200+300+100+100 = 700 s -> 3,000 x 0.7 = 2,100;
- April: 2,600 EUR; answered F8 F10 F12 F13, talk 60+120+80+200 = 460 s, failure F10 F12
  = 200 s -> 2,600 x 200 / 460 = 1,130.43;
- total 3,230.43 (one allocation over both months would give 5,600 x 900 / 1,460 =
  3,452.05: the test tells them apart); per dwelling and year: x 12 / (3 dwellings x 2
  months) = 6,460.87.
By answered calls ("failure-demand calls x cost per answered call"): March 3,000 x 4 / 7 =
1,714.29, April 2,600 x 2 / 4 = 1,300 -> 3,014.29.
"""

from __future__ import annotations

from datetime import date

import pytest

from loaders.pipeline import import_file
from tests.util import load_files, write_export
from tests.warehouse.failure_dataset import FILES
from warehouse.kpis import DEFAULT_SETTINGS as S
from warehouse.kpis import Filters, chases, compute_all, failure

PERIOD = Filters(date(2025, 3, 1), date(2025, 4, 30))
BY_TIME = 3000 * 0.7 + 2600 * 200 / 460


@pytest.fixture
def loaded(engine, tmp_path):
    return load_files(engine, tmp_path, FILES)


def _values(engine, f=PERIOD) -> dict:
    return {k.id: k for k in compute_all(engine, f)}


def test_failure_demand_and_its_cost_by_hand(loaded):
    got = _values(loaded)
    assert got["failure_demand_share"].value == pytest.approx(6 / 12)
    assert got["non_quality_cost_eur"].value == pytest.approx(BY_TIME)  # 3,230.43
    assert got["non_quality_cost_eur"].note == ""
    assert got["non_quality_cost_per_dwelling_year"].value == pytest.approx(BY_TIME * 12 / 6)
    with loaded.connect() as conn:
        fd = failure.summary(conn, PERIOD, S)
    assert (fd["offered"], fd["failure"], fd["answered"], fd["failure_answered"]) == (12, 6, 11, 6)
    assert (fd["chases"], fd["followup_motifs"], fd["repeats"]) == (2, 3, 3)
    assert fd["non_quality_cost_by_calls_eur"] == pytest.approx(3000 * 4 / 7 + 2600 * 2 / 4)
    assert fd["cost_eur"] == pytest.approx(5600)


def test_per_month_agency_channel_and_category(loaded):
    """March 4 of 7, April 2 of 5. AG02 (dwelling L3): F6 F9 F10 F12 F13, failure F6 F10
    F12 = 3 of 5; astreinte: F10 alone, 1 of 1; CRL: 5 of 11. By the category of the request
    named: technique (R1) F1 F5 F7, failure F5 F7 = 2 of 3; the rest, 4 of 9."""
    with loaded.connect() as conn:
        months = failure.grouped(conn, PERIOD, S, ["month"])
        agencies = failure.grouped(conn, PERIOD, S, ["agency"])
        channels = failure.grouped(conn, PERIOD, S, ["channel"])
        categories = failure.grouped(conn, PERIOD, S, ["category"])

    def pairs(rows):
        return {k[0]: (v["failure"], v["offered"]) for k, v in rows.items()}

    assert pairs(months) == {date(2025, 3, 1): (4, 7), date(2025, 4, 1): (2, 5)}
    assert pairs(agencies) == {"AG01": (3, 6), "AG02": (3, 5), None: (0, 1)}
    assert pairs(channels) == {"crl": (5, 11), "astreinte": (1, 1)}
    assert pairs(categories) == {"technique": (2, 3), failure.NO_CALLER: (4, 9)}


def test_an_agency_bears_its_share_of_the_centre(loaded):
    """Org B (AG02, 1 of 3 dwellings): the centre's costs x 1/3 (1,000 and 866.67). March:
    F6 100 s of 100 s -> 1,000; April: F10 F12 200 s of F10 F12 F13 400 s -> 433.33; total
    1,433.33, per dwelling and year x 12 / 2 dwelling-months = 8,600, over its identified
    calls (noted). The failure-demand share counts offered calls, whose lost ones are almost
    never identified: like the answer rate, it has no value for a part of the organisation
    (3 of 5 identified calls would read as its share), and says why."""
    got = _values(loaded, Filters(PERIOD.start, PERIOD.end, organisme="Org B"))
    assert got["failure_demand_share"].value is None
    assert got["failure_demand_share"].note.startswith("non mesuré : ")
    assert "filtre agence" in got["non_quality_cost_eur"].note
    assert got["non_quality_cost_eur"].value == pytest.approx(1000 + 2600 / 3 / 2)
    assert got["non_quality_cost_per_dwelling_year"].value == pytest.approx(8600)


def test_category_filter_keeps_the_calls_naming_such_a_request(loaded):
    got = _values(loaded, Filters(PERIOD.start, PERIOD.end, categories=("technique",)))
    assert got["failure_demand_share"].value == pytest.approx(2 / 3)


def test_the_reasons_table_ranked_by_handle_time(loaded):
    """Per family: reclamation technique F1 F4 F5 (550 s, failure F5, first level F1 oui
    F4 non, no repeat among A B C's calls); renseignement F2 F3 F12 F13 (530 s, failure and
    repeats F2 F12, first level F3 oui); relance F6 F7 (200 s, both failure, F7 a repeat
    of C's F5); suivi F10 (120 s); no motif F8 F9 (60 s, F9 unanswered).
    Total 1,460 s."""
    with loaded.connect() as conn:
        rows = failure.reasons(conn, PERIOD, S, level="family")
    assert [r["motif_family"] for r in rows] == [
        "reclamation technique",
        "renseignement",
        "relance",
        "suivi",
        None,
    ]
    tech, info, relance, suivi, blank = rows
    assert (tech["offered_calls"], tech["answered_calls"], tech["handle_time_s"]) == (3, 3, 550)
    assert tech["handle_time_share"] == pytest.approx(550 / 1460)
    assert tech["aht_s"] == pytest.approx(550 / 3)
    assert tech["first_level_closure_calls"] == pytest.approx(1 / 2)
    assert tech["repeat_call_rate"] == 0
    assert tech["failure_demand_share"] == pytest.approx(1 / 3)
    assert info["cumulative_share"] == pytest.approx(1080 / 1460)
    assert info["failure_demand_share"] == pytest.approx(2 / 4)
    assert info["repeat_call_rate"] == pytest.approx(2 / 4)
    assert info["first_level_closure_calls"] == 1
    assert relance["failure_demand_share"] == 1 and relance["repeat_call_rate"] == 0.5
    assert suivi["handle_time_s"] == 120 and suivi["cumulative_share"] == pytest.approx(1400 / 1460)
    assert (blank["offered_calls"], blank["answered_calls"], blank["cumulative_share"]) == (2, 1, 1)
    with loaded.connect() as conn:
        detail = failure.reasons(conn, PERIOD, S)
    assert ("relance", "Relance - intervention") in {
        (r["motif_family"], r["motif"]) for r in detail
    }
    got = _values(loaded)
    assert got["reasons.reclamation_technique"].value == pytest.approx(550 / 1460)
    assert got["reasons.sans_motif"].value == pytest.approx(60 / 1460)


def test_one_family_and_no_handle_time(loaded):
    """The page's reason filter: « relance » is F6 F7, both failure; its cost by handle
    time is March 3,000 x 200 s / all 1,000 s answered in March = 600 (April has no
    relance call); by calls 3,000 x 2 / 7 = 857.14."""
    with loaded.connect() as conn:
        fd = failure.summary(conn, PERIOD, S, family="relance")
    assert (fd["failure"], fd["offered"]) == (2, 2)
    assert fd["non_quality_cost_eur"] == pytest.approx(600)
    assert fd["non_quality_cost_by_calls_eur"] == pytest.approx(3000 * 2 / 7)


def test_without_costs_or_calls_the_figures_say_why(engine, tmp_path):
    for source, rows in FILES[:4]:  # no cost file
        import_file(engine, write_export(tmp_path / f"{source}.csv", rows))
    got = _values(engine)
    assert got["failure_demand_share"].value == pytest.approx(6 / 12)
    assert got["non_quality_cost_eur"].value is None
    assert "coûts" in got["non_quality_cost_eur"].note
    empty = _values(engine, Filters(date(2030, 1, 1), date(2030, 1, 31)))
    assert empty["failure_demand_share"].value is None and empty["failure_demand_share"].note


def test_request_categories_ranked_by_follow_ups(loaded):
    """Created in the period: technique R1 (open, nb_relances 1; C named it twice, F5 F7:
    1 later call of the same number; A once, F1) and R3 (closed in 10 days, nb_relances 2);
    administrative R2 (closed in 2 days, none). Technique: follow-ups 1 + 1 + 2 = 4 for 2
    requests = 2, both chased; median close 10 days (R3 only); commitments: R1 due 6/3 (3
    business days), no action by 30/4: missed; R3 due 18/3, acted 19/3: missed -> 0 of 2.
    Administrative: 0 follow-ups, 2 days, R2 due 24/3 acted 11/3: kept, 1 of 1."""
    with loaded.connect() as conn:
        rows = chases.categories(conn, PERIOD, S)
    assert [r["category"] for r in rows] == ["technique", "administrative"]
    tech, admin = rows
    assert (tech["requests"], tech["followups"]) == (2, 4)
    assert tech["followups_per_request"] == 2 and tech["followup_rate"] == 1
    assert tech["close_days_median"] == pytest.approx(10)
    assert tech["commitment_kept"] == 0
    assert (admin["followups_per_request"], admin["followup_rate"]) == (0, 0)
    assert admin["close_days_median"] == pytest.approx(2)
    assert admin["commitment_kept"] == 1


def test_most_chased_open_requests(loaded):
    """Open on 30 April: R1 alone (R2 R3 closed). Declared 1, calls naming it on a later
    day than its creation: F5 F7 (F1 came the same day) = 2; 58 days old. On 13 March, F7
    is still to come: 1 chase call; AG02's user sees none of it (R1 is AG01's)."""
    with loaded.connect() as conn:
        rows = chases.open_requests(conn, PERIOD, S)
        earlier = chases.open_requests(conn, Filters(PERIOD.start, date(2025, 3, 13)), S)
        theirs = chases.open_requests(
            conn, Filters(PERIOD.start, PERIOD.end, allowed_agencies=("AG02",)), S
        )
    assert [(r["request_id"], r["declared_followups"], r["chase_calls"]) for r in rows] == [
        ("R1", 1, 2)
    ]
    assert rows[0]["followups"] == 3 and rows[0]["age_days"] == 58
    assert [(r["request_id"], r["chase_calls"]) for r in earlier] == [("R1", 1)]
    assert theirs == []


def test_most_chased_open_requests_as_they_were_at_the_period_s_end(loaded):
    """On 20 March R3 (created 17 March, first action 19 March, closed 27 March: « cloturee »
    today) was still open, « en cours », 3 days old, with its 2 declared follow-ups; R1 has
    1 declared and F5 F7 (3 in all). Today's status had hidden R3 (as_of.open_at)."""
    with loaded.connect() as conn:
        rows = chases.open_requests(conn, Filters(PERIOD.start, date(2025, 3, 20)), S)
    got = [(r["request_id"], r["status"], r["followups"], r["age_days"]) for r in rows]
    assert got == [("R1", "en cours", 3, 17), ("R3", "en cours", 2, 3)]


@pytest.mark.parametrize(
    "f",
    [
        PERIOD,
        Filters(PERIOD.start, PERIOD.end, organisme="Org B"),
        Filters(PERIOD.start, PERIOD.end, channels=("astreinte",)),
        Filters(PERIOD.start, PERIOD.end, categories=("technique",)),
        Filters(date(2025, 3, 10), date(2025, 3, 14)),
    ],
    ids=["all", "org-b", "astreinte", "technique", "one-week"],
)
def test_the_daily_aggregates_give_what_the_detail_gives(loaded, f):
    """The default settings read the daily aggregates refreshed at import; other settings
    (here one that changes nothing of failure demand) the detail: the same figures."""
    from dataclasses import replace

    detail = replace(S, satisfied_from_mark=8)
    with loaded.connect() as conn:
        for by in (["month"], ["iso_week"], ["agency"], ["channel"], ["category"], ["day"]):
            assert failure.grouped(conn, f, S, by) == failure.grouped(conn, f, detail, by), by
        for level in ("family", "motif"):
            assert failure.reasons(conn, f, S, level) == failure.reasons(conn, f, detail, level)
        assert failure.summary(conn, f, S, "relance") == failure.summary(conn, f, detail, "relance")


@pytest.mark.parametrize(
    "f",
    [
        PERIOD,
        Filters(PERIOD.start, PERIOD.end, organisme="Org B"),
        Filters(PERIOD.start, PERIOD.end, categories=("technique",)),
        Filters(date(2025, 3, 10), date(2025, 3, 14)),
    ],
    ids=["all", "org-b", "technique", "one-week"],
)
def test_the_cells_give_what_the_queries_give(loaded, f):
    """The Motifs page reads one query of cells (month x week x motif) and sums them for
    its tiles, reasons and weeks, of whichever family is chosen: the same figures as a
    query each, the calls without a motif (NO_MOTIF) included."""
    with loaded.connect() as conn:
        cells = failure.cells(conn, f, S)
        for family in (None, "relance", "reclamation technique", failure.NO_MOTIF):
            for by in (["month"], ["iso_week"]):
                direct = failure.grouped(conn, f, S, by, family)
                assert failure.grouped(conn, f, S, by, family, cells) == direct, (by, family)
            direct = failure.summary(conn, f, S, family)
            assert failure.summary(conn, f, S, family, cells) == direct, family
        for level in ("family", "motif"):
            assert failure.reasons(conn, f, S, level, cells) == failure.reasons(conn, f, S, level)


def test_the_calls_without_a_motif_as_a_family(loaded):
    """NO_MOTIF: F8 (answered, no number, 60 s in April) and F9 (abandoned after 40 s; D's
    previous call F6 is 33 days before): 2 offered, no failure demand, 0 EUR."""
    with loaded.connect() as conn:
        for cells in (None, failure.cells(conn, PERIOD, S)):
            fd = failure.summary(conn, PERIOD, S, failure.NO_MOTIF, cells)
            assert (fd["offered"], fd["answered"], fd["failure"], fd["talk_sum"]) == (2, 1, 0, 60)
            assert fd["non_quality_cost_eur"] == 0


def test_requests_loaded_after_the_calls_turn_them_into_chases(engine, tmp_path):
    """The call file first, the requests after: F5 and F7 chase R1 once R1 is loaded (the
    aggregates of their days are refreshed by the request file)."""
    order = [FILES[0], FILES[1], FILES[2], FILES[4], FILES[3]]  # demandes last
    for source, rows in order[:4]:
        import_file(engine, write_export(tmp_path / f"{source}.csv", rows))
    with engine.connect() as conn:
        assert failure.summary(conn, PERIOD, S)["chases"] == 0
    import_file(engine, write_export(tmp_path / "demandes.csv", order[4][1]))
    with engine.connect() as conn:
        fd = failure.summary(conn, PERIOD, S)
    assert (fd["chases"], fd["failure"]) == (2, 6)


def test_a_month_without_handle_times_falls_back_to_answered_calls(loaded):
    """April's talk times unknown (an export that does not give them): April's 2,600 EUR
    are allocated by answered calls, failure F10 F12 of F8 F10 F12 F13 -> 1,300; March
    still by handle time, 2,100; 3,400 in all, and the note says why."""
    from sqlalchemy import update

    from warehouse.load.aggregates import refresh_call_days
    from warehouse.model.schema import fact_call

    with loaded.begin() as conn:
        april = fact_call.c.date_key >= 20250401
        conn.execute(update(fact_call).where(april).values(talk_seconds=None))
        refresh_call_days(conn)
    got = _values(loaded)
    assert got["non_quality_cost_eur"].value == pytest.approx(2100 + 1300)
    note = got["non_quality_cost_eur"].note
    assert "part des appels décrochés à la place de la durée de conversation" in note
    assert "pour 1 mois (4 appels décrochés sans durée connue)" in note


def test_a_family_written_with_and_without_accents_shows_the_accented_spelling(engine, tmp_path):
    """« Reclamation technique » and « Réclamation technique » fold into one family; the
    page and the exports show it as « Réclamation technique » (either order in the file),
    from the daily aggregates and from the detail (a half-hour setting)."""
    import dataclasses

    from tests.loaders.samples import SAMPLES

    first = SAMPLES["appels"][0]
    rows = [
        dict(first, id_appel="P1", motif="Reclamation technique - fuite"),
        dict(first, id_appel="P2", motif="Réclamation technique - chauffage"),
        dict(first, id_appel="P3", motif="Reclamation technique - porte"),
    ]
    import_file(engine, write_export(tmp_path / "appels.csv", rows))
    march = Filters(date(2025, 3, 1), date(2025, 3, 31))
    with engine.connect() as conn:
        for settings in (S, dataclasses.replace(S, short_abandon_s=6)):
            found = failure.reasons(conn, march, settings, "family")
            assert [r["family_label"] for r in found] == ["Réclamation technique"], settings
            cells = failure.cells(conn, march, settings)  # the page's path
            found = failure.reasons(conn, march, settings, "family", cells)
            assert [r["family_label"] for r in found] == ["Réclamation technique"], settings
