"""One label per KPI variant, from the catalogue, on screen and in exports alike; exports
that keep numbers numeric with their formats and French headers (issue 25, case 5).
DuckDB and PostgreSQL where the warehouse is read.

``kpi_dataset.py``, March-April 2025, AG01: complaints D1 (CRL), D2 (agence), D5
(extranet), D8 (agence, created in February: not in the period) -> capture shares CRL 1/3,
agence 1/3, extranet 1/3. Surveys: ``survey_dataset.py``; « à chaud » by commitment:
respecté H1 9 ✓ and H2 assez ✓ -> 2 of 2; non respecté H3 2 ✗ -> 0 of 1.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import openpyxl
import pandas as pd
import pytest

from tests.util import load_files
from tests.warehouse import kpi_dataset, survey_dataset
from warehouse.kpis import Filters, compute_all
from warehouse.kpis import satisfaction as sat
from warehouse.kpis.catalogue import CATALOGUE, label
from warehouse.report.exports import csv_bytes, for_people, kpi_table, xlsx_bytes

PERIOD = Filters(date(2025, 3, 1), date(2025, 4, 30))
REFS = {
    "channels": pd.DataFrame({"channel_code": ["crl"], "channel_label": ["Centre (CRL)"]}),
    "categories": pd.DataFrame({"category_code": [], "category_label": []}),
}


def _csv(table: pd.DataFrame) -> list[list[str]]:
    return list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig")), delimiter=";"))


def _xlsx(table: pd.DataFrame) -> list[list]:
    """Each row's cells (value, number format), the header row's values."""
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table))).active
    return [[(c.value, c.number_format) for c in row] for row in sheet.iter_rows()]


def test_each_variant_has_its_own_label():
    assert label("capture_share.agence") == "Taux de captation des réclamations — Agence"
    assert label("capture_share.crl") == (
        "Taux de captation des réclamations — Centre de relation locataires"
    )
    assert label("backlog_open.8-30") == "Demandes en cours (stock) — 8 à 30 jours"
    assert label("backlog_open.91+") == "Demandes en cours (stock) — plus de 90 jours"
    assert label("yoy.offered_calls") == "Évolution sur un an — Appels présentés"
    assert label("satisfaction.accueil") == "Satisfaction — Accueil"
    assert label("satisfaction.global") == "Satisfaction globale"
    assert label("answer_rate") == "Taux de décroché"
    assert all(label(k.id) == k.label for k in CATALOGUE)


@pytest.fixture
def surveyed(engine, tmp_path):
    return load_files(engine, tmp_path, kpi_dataset.FILES + survey_dataset.FILES)


def test_an_agency_s_kpis_export_as_numbers_each_with_its_label(surveyed):
    values = compute_all(surveyed, replace(PERIOD, agencies=("AG01",)))
    labels = [v.label for v in values]
    assert len(labels) == len(set(labels))  # no two rows read the same
    table = for_people(kpi_table([v.as_dict() for v in values]), REFS)
    rows = _csv(table)
    assert rows[0] == ["Indicateur", "Valeur", "Unité", "Référence", "Note"]
    by_label = {r[0]: r for r in rows[1:]}
    assert by_label["Taux de captation des réclamations — Agence"][1] == "0,3333"
    assert by_label["Appels traités"][1:3] == ["3", "appels"]
    assert by_label["Taux de décroché"][1] == ""  # no value for an agency, and why:
    assert by_label["Taux de décroché"][4].startswith("non mesuré : ")
    assert not any(cell.startswith("'") for row in rows for cell in row)

    cells = {r[0][0]: r for r in _xlsx(table)[1:]}
    share = cells["Taux de captation des réclamations — Agence"][1]
    assert share == (pytest.approx(1 / 3, abs=1e-4), "0.0%")
    assert cells["Appels traités"][1] == (3, "#,##0")
    assert cells["Temps moyen d'attente (ASA)"][1] == (12, "#,##0")  # 35/3 s, whole seconds
    assert cells["Taux de décroché"][1][0] is None
    numbers = [r[1][0] for r in cells.values() if r[1][0] is not None]
    assert all(isinstance(n, int | float) for n in numbers), numbers


def test_satisfaction_exports_say_what_they_hold(surveyed):
    with surveyed.connect() as conn:
        kept = pd.DataFrame(sat.after_request(conn, PERIOD, by="kept"))
    table = for_people(kept.sort_values("kept"), REFS)
    header = _csv(table)[0]
    assert header == [
        "Engagement",
        "Réponses satisfaites (pondérées)",
        "Réponses (pondérées)",
        "Répondants",
        "Satisfaits",
    ]
    rows = _xlsx(table)
    assert rows[1][0][0] == "non respecté" and rows[1][4] == (0, "0.0%")
    assert rows[2][0][0] == "respecté" and rows[2][4] == (1, "0.0%")
    assert rows[2][3] == (2, "#,##0")  # H1 and H2


def test_a_column_of_shares_named_after_a_theme_is_a_percent_with_its_decimals():
    """The Satisfaction page's agencies: a theme's column is a share (given as such), kept
    to four decimals (84,12 %), never rounded to 0,84 with no percent format."""
    frame = pd.DataFrame({"Agence": ["AG01"], "Accueil": [0.841234], "Répondants": [31]})
    table = for_people(frame, REFS, {"Accueil": "ratio"})
    rows = _xlsx(table)
    assert rows[1][1] == (0.8412, "0.0%") and rows[1][2] == (31, "#,##0")
    assert _csv(table)[1] == ["AG01", "0,8412", "31"]
    backlog = pd.DataFrame({"ancienneté": ["0-7 j"], "demandes": [3]})  # the Demandes page's
    assert _csv(for_people(backlog, REFS))[0] == ["Ancienneté", "Demandes"]
