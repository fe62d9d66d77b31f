"""« As known at the period's end » (``warehouse.model.as_of``): a period never gets a survey
wave interviewed after it, and its open and late requests are those of its last day, whatever
their status today. DuckDB and PostgreSQL.

Surveys: ``survey_dataset.py`` (waves 2022, May 2022, and 2025, 10-13 March 2025) plus a
wave 2026 written here, R1's answers only, interviewed on 12 May 2026, every answer
dissatisfied (marks 1): global 0/1, accueil 0/1, demandes techniques 0/1.
- November 2025 (1-30 Nov): the 2026 wave is not known yet: wave 2025 (global 4/5 = 0,8,
  test_satisfaction.py), compared with 2022.
- A period ending on 11 May 2026, the day before the 2026 interview: still wave 2025.
- A period ending on 12 May 2026, the day of the interview: wave 2026, global 0, against 2025.
- The first half of 2024 (no interview): the latest wave known then, 2022, and none before it
  (the 2025 wave, interviewed in March 2025, was not known yet).

Requests: ``kpi_dataset.py`` plus D9, written here: created Monday 3 March 2025 09:00, urgency
1 business day (due Tuesday 4 March), first action Thursday 6 March, closed 20 March, status
« cloturee » today. Requests created by each end (D8 20/02 open today; D1 03/03 acted 04/03,
closed 10/03; D9; D2 07/03 is later):
- end 4 March: open D8, D1, D9 (3; backlog 3). D9's deadline is the end itself: not late.
- end 5 March: open D8, D1, D9 (3). D9 late (due 4 < 5, no action by the 5th), status then
  « ouverte »; D1 « en cours » (acted 04/03), though both are « cloturee » today.
- end 6 March: open 3, D9 acted that day: none late, D9 « en cours ».
- end 10 March: D1 closed that day: D8, D9, D2 (07/03, acted 10/03: « en cours ») and D4
  (created 10/03, acted 18/03: « ouverte ») open: 4.
"""

from __future__ import annotations

from datetime import date

import pytest

from loaders.pipeline import import_file
from tests.util import write_export
from tests.warehouse import kpi_dataset, survey_dataset
from warehouse.kpis import Filters, compute_all, queries
from warehouse.kpis import satisfaction as sat
from warehouse.report import content

WAVE_2026 = [
    dict(survey_dataset.ENQUETES[0], vague="2026", date_reponse="12/05/2026", Q1="1", Q2="1")
    | {"Q3": "1", "Q4": "1"}
]
D9 = kpi_dataset._req(
    "D9",
    "03/03/2025 09:00",
    "CRL",
    "AG01",
    "technique",
    "reclamation",
    "1",
    "cloturee",
    "06/03/2025 10:00",
    "20/03/2025 09:00",
    "1",
)


@pytest.fixture
def known(engine, tmp_path):
    files = kpi_dataset.FILES + survey_dataset.FILES
    files += [("enquetes_2026", WAVE_2026), ("demandes_d9", [D9])]
    for name, rows in files:
        report = import_file(engine, write_export(tmp_path / f"{name}.csv", rows))
        assert report.status == "loaded" and report.rows_quarantined == 0, (name, report)
    return engine


def _global(engine, f: Filters) -> float | None:
    return next(v.value for v in compute_all(engine, f) if v.id == "satisfaction.global")


def test_a_period_never_gets_a_wave_interviewed_after_it(known):
    november = Filters(date(2025, 11, 1), date(2025, 11, 30))
    with known.connect() as conn:
        assert sat.waves(conn, november) == (["2025"], "2022")
        assert sat.waves(conn, Filters(date(2026, 5, 1), date(2026, 5, 11))) == (["2025"], "2022")
        assert sat.waves(conn, Filters(date(2026, 5, 1), date(2026, 5, 12))) == (["2026"], "2025")
        assert sat.waves(conn, Filters(date(2024, 1, 1), date(2024, 6, 30))) == (["2022"], None)
    assert _global(known, november) == pytest.approx(4 / 5)
    assert _global(known, Filters(date(2026, 5, 1), date(2026, 5, 12))) == 0.0
    # A year before November 2025: the 2022 wave (global P2 1 of 2), never the 2025 one.
    assert _global(known, november.shifted_years(1)) == pytest.approx(1 / 2)


def test_the_report_compares_a_month_with_what_was_known_a_year_before(known):
    report = content.gather(known, date(2025, 11, 1))
    assert report.value("satisfaction.global").value == pytest.approx(4 / 5)
    assert report.last_year["satisfaction.global"].value == pytest.approx(1 / 2)
    assert report.survey["waves"] == ["2025"]


def _open(engine, end: date, late_only: bool = False) -> dict[str, str]:
    rows = queries.open_requests(engine, Filters(date(2025, 3, 1), end), late_only)
    return dict(zip(rows["request_id"], rows["status"], strict=True))


@pytest.mark.parametrize(
    ("day", "opened", "late"),
    [
        (4, {"D8": "ouverte", "D1": "en cours", "D9": "ouverte"}, {}),
        (5, {"D8": "ouverte", "D1": "en cours", "D9": "ouverte"}, {"D9": "ouverte"}),
        (6, {"D8": "ouverte", "D1": "en cours", "D9": "en cours"}, {}),
        (10, {"D8": "ouverte", "D9": "en cours", "D2": "en cours", "D4": "ouverte"}, {}),
    ],
)
def test_open_and_late_requests_are_those_of_the_period_s_end(known, day, opened, late):
    end = date(2025, 3, day)
    f = Filters(date(2025, 3, 1), end)
    assert _open(known, end) == opened
    assert _open(known, end, late_only=True) == late
    assert queries.open_request_count(known, f) == len(opened)
    assert queries.open_request_count(known, f, late_only=True) == len(late)
    backlog = next(v.value for v in compute_all(known, f, only=("backlog_open",)))
    assert backlog == len(opened)  # the list and the KPI count the same requests
    if late:
        listed = queries.open_requests(known, f, late_only=True)
        assert listed["first_action"].isna().all()  # no action known by the end


def test_the_monthly_report_lists_the_requests_late_at_its_end(known):
    """March 2025 (end 31/03): D9 was acted on (06/03), D4 too (18/03): none late, as
    test_report.py says; a later export closing a late request leaves it late at the end
    of a month before: February 2025 has D8 (no deadline) only."""
    assert content.gather(known, date(2025, 3, 1)).late_count == 0
    assert queries.open_request_count(known, Filters(date(2025, 2, 1), date(2025, 2, 28))) == 1
