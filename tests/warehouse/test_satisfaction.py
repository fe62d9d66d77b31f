"""Satisfaction surveys: the hand-made survey of ``survey_dataset.py`` loaded over the
landlord of ``kpi_dataset.py``, every rate worked out by hand (DuckDB and PostgreSQL).

Satisfied: a mark of 7 to 10, or « très » / « assez » / « plutôt satisfait ». Weights:
R2 counts 2, every other respondent 1. « ne sait pas » and empty answers count nowhere.

Wave 2025 (March 2025):
    R1 (AG01, L1): Q1 8 ✓, Q2 très ✓, Q3 6 ✗, Q4 ne sait pas
    R2 (AG01, weight 2): Q1 9 ✓, Q2 peu ✗, Q3 assez ✓, Q4 7 ✓
    R3 (AG02, L3): Q1 5 ✗, Q2 10 ✓, Q3 pas du tout ✗, Q4 3 ✗
    R4 (AG02): Q1 plutôt ✓, Q2 empty, Q3 7 ✓, Q4 9 ✓
Wave 2022 (May 2022): P1 (AG01) Q1 6 ✗, Q2 8 ✓, Q3 4 ✗; P2 (AG02) Q1 7 ✓, Q2 assez ✓,
Q3 peu ✗.
"""

from __future__ import annotations

from datetime import date

import pytest

from loaders.pipeline import import_file
from tests.util import load_files, write_export
from tests.warehouse import kpi_dataset, survey_dataset
from warehouse.kpis import Filters, compute_all
from warehouse.kpis import satisfaction as sat

PERIOD = Filters(date(2025, 3, 1), date(2025, 4, 30))

# global (Q1): ✓ R1 1 + R2 2 + R4 1 = 4 of 5 -> 0.8
# accueil (Q2): ✓ R1 1 + R3 1 = 2 of R1 1 + R2 2 + R3 1 = 4 (R4 empty) -> 0.5
# demandes_techniques (Q3, Q4): ✓ R2 2+2, R4 1+1 = 6 of R1 1 (Q3) + R2 4 + R3 2 + R4 2 = 9
WAVE_2025 = {"global": 4 / 5, "accueil": 2 / 4, "demandes_techniques": 6 / 9}
# 2022: global P2 = 1/2; accueil 2/2; demandes_techniques 0/2
WAVE_2022 = {"global": 1 / 2, "accueil": 1.0, "demandes_techniques": 0.0}
# By agency, 2025. AG01 (R1, R2): global 3/3; accueil R1 1 of 1 + 2 = 1/3; technique R2
# 2+2 of R1 1 + R2 4 = 4/5. AG02 (R3, R4): global 1/2; accueil 1/1; technique 2/4.
BY_AGENCY = {
    ("AG01", "global"): 1.0,
    ("AG01", "accueil"): 1 / 3,
    ("AG01", "demandes_techniques"): 4 / 5,
    ("AG02", "global"): 1 / 2,
    ("AG02", "accueil"): 1.0,
    ("AG02", "demandes_techniques"): 2 / 4,
}


@pytest.fixture
def surveyed(engine, tmp_path):
    return load_files(engine, tmp_path, kpi_dataset.FILES + survey_dataset.FILES)


def test_theme_rates_of_the_period_s_wave(surveyed):
    got = {k.id: k.value for k in compute_all(surveyed, PERIOD)}
    for theme, rate in WAVE_2025.items():
        assert got[f"satisfaction.{theme}"] == pytest.approx(rate), theme


def test_the_previous_wave_and_the_change(surveyed):
    with surveyed.connect() as conn:
        chosen, previous = sat.waves(conn, PERIOD)
        assert (chosen, previous) == (["2025"], "2022")
        before = {r["theme"]: r["rate"] for r in sat.theme_rates(conn, PERIOD, [previous])}
    assert before == pytest.approx(WAVE_2022)
    # Changes in points, as the page computes them from the overview (both waves read from
    # the warehouse): global 4/5 - 1/2 = +30, accueil 2/4 - 2/2 = -50, demandes
    # techniques 6/9 - 0/2 = +66.7.
    seen = sat.overview(surveyed, PERIOD)
    assert (seen["waves"], seen["previous"]) == (["2025"], "2022")
    now = {r["theme"]: r["rate"] for r in seen["now"]}
    then = {r["theme"]: r["rate"] for r in seen["before"]}
    changes = {theme: now[theme] - then[theme] for theme in now}
    assert changes == pytest.approx(
        {"global": 0.30, "accueil": -0.50, "demandes_techniques": 6 / 9}
    )


def test_a_period_without_interviews_takes_the_latest_wave_known_at_its_end(surveyed):
    with surveyed.connect() as conn:
        assert sat.waves(conn, Filters(date(2024, 1, 1), date(2024, 6, 30))) == (["2022"], None)
        assert sat.waves(conn, Filters(date(2025, 6, 1), date(2025, 6, 30))) == (["2025"], "2022")
        assert sat.waves(conn, Filters(date(2022, 5, 1), date(2022, 5, 31))) == (["2022"], None)


def test_rates_by_agency_with_their_respondents(surveyed):
    with surveyed.connect() as conn:
        rows = sat.theme_rates(conn, PERIOD, ["2025"], by=["agency"])
    got = {(r["agency"], r["theme"]): r["rate"] for r in rows}
    assert got == pytest.approx(BY_AGENCY)
    respondents = {(r["agency"], r["theme"]): r["respondents"] for r in rows}
    assert respondents[("AG01", "global")] == 2 and respondents[("AG02", "accueil")] == 1


def test_an_agency_filter_scopes_the_rates(surveyed):
    from dataclasses import replace

    got = {k.id: k.value for k in compute_all(surveyed, replace(PERIOD, agencies=("AG02",)))}
    assert got["satisfaction.global"] == pytest.approx(1 / 2)


# « À chaud »: H1 after D1 (kept) 9 ✓, H2 after D2 (kept) assez ✓, H3 after D4 (late) 2 ✗.
def test_satisfaction_after_a_request(surveyed):
    got = {k.id: k.value for k in compute_all(surveyed, PERIOD)}
    assert got["satisfaction_after_request"] == pytest.approx(2 / 3)
    with surveyed.connect() as conn:
        kept = {r["kept"]: r["rate"] for r in sat.after_request(conn, PERIOD, by="kept")}
        category = {
            r["category"]: r["rate"] for r in sat.after_request(conn, PERIOD, by="category")
        }
    assert kept == pytest.approx({"respecté": 1.0, "non respecté": 0.0})
    assert category == pytest.approx({"technique": 1.0, "voisinage": 0.0})


def test_the_marks_setting(surveyed):
    from warehouse.model.params import Settings

    # From 6: R1's Q3 (6) becomes satisfied: technique 7 of 9.
    got = {k.id: k.value for k in compute_all(surveyed, PERIOD, Settings(satisfied_from_mark=6))}
    assert got["satisfaction.demandes_techniques"] == pytest.approx(7 / 9)


def test_references_are_read_as_shares(surveyed):
    from sqlalchemy import select

    from warehouse.model.schema import fact_satisfaction_reference as ref

    with surveyed.connect() as conn:
        rows = conn.execute(select(ref.c.wave, ref.c.perimeter, ref.c.theme, ref.c.rate)).all()
    got = {(w, p, t): r for w, p, t, r in rows}
    assert got == pytest.approx(
        {
            ("2022", "national", "global"): 0.85,
            ("2022", "regional", "global"): 0.82,
            ("2019", "national", "accueil"): 0.85,
        }
    )


def test_names_and_comments_are_never_stored(surveyed):
    from sqlalchemy import select

    from warehouse.model.schema import fact_survey_answer, quarantine

    with surveyed.connect() as conn:
        rows = conn.execute(select(fact_survey_answer)).all()
        held = conn.execute(select(quarantine.c.raw_content)).all()
    text = repr(rows) + repr(held)
    assert "Dupont" not in text and "06 12 34 56 78" not in text
    assert {r.question_code for r in rows} == {"Q1", "Q2", "Q3", "Q4"}


def test_reimport_changes_nothing_and_a_new_wave_adds_beside(surveyed, tmp_path):
    again = import_file(
        surveyed, write_export(tmp_path / "again.csv", survey_dataset.ENQUETES, sep=",")
    )
    assert again.status == "loaded" and again.rows_loaded == 0
    assert again.rows_duplicate == len(survey_dataset.ENQUETES)
    new = [dict(r, vague="2028", date_reponse="10/03/2025") for r in survey_dataset.ENQUETES[:1]]
    report = import_file(surveyed, write_export(tmp_path / "w2028.csv", new))
    assert report.rows_loaded == 1


def test_unreadable_answers_and_rows_without_agency_go_to_the_quarantine(engine, tmp_path):
    rows = [
        dict(survey_dataset.ENQUETES[0], Q2="bof"),
        dict(survey_dataset.ENQUETES[1], ref_logement="", agence=""),
        dict(survey_dataset.ENQUETES[2], Q1="12"),
        survey_dataset.ENQUETES[3],
    ]
    report = import_file(engine, write_export(tmp_path / "e.csv", rows))
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 1, 3)
    assert report.reasons[0].startswith("ligne 2 [Q2] : réponse illisible")
    assert "ni logement ni agence" in report.reasons[1]
    assert report.reasons[2].startswith("ligne 4 [Q1] : réponse illisible")


@pytest.mark.postgres
def test_an_older_warehouse_gets_its_source_column_widened():
    """``references_satisfaction`` is longer than the 20 characters ``load_history.source``
    had: the next start widens it on PostgreSQL (DuckDB does not enforce lengths)."""
    from sqlalchemy import text

    from tests.conftest import postgres_engine
    from warehouse.load.setup import init_warehouse

    engine, drop = postgres_engine()
    try:
        init_warehouse(engine)
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE load_history ALTER COLUMN source TYPE varchar(20)"))
        init_warehouse(engine)
        with engine.connect() as conn:
            length = conn.execute(
                text(
                    "SELECT character_maximum_length FROM information_schema.columns WHERE "
                    "table_schema = current_schema() AND table_name = 'load_history' "
                    "AND column_name = 'source'"
                )
            ).scalar_one()
        assert length == 40
    finally:
        drop()
