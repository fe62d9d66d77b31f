"""One rule of what a scope can measure (``warehouse.kpis.measurable``), inherited by every
output: the KPI values, the series and tables, their CSV and XLSX exports, the KPI command,
the monthly report (tiles, audit pack, page 2) and alerts. DuckDB and PostgreSQL.

``kpi_dataset.py``, March 2025. The whole centre: offered 7, answered 5, answer rate 5/7.
AG01 (dwellings L1, L2): the calls of its identified dwellings are C1, C5 and C9, all three
answered (lost calls C4 and C8 name no dwelling: they belong to no agency). So, for AG01:
- no value, « non mesuré : sans objet pour une agence… »: offered calls, answer rate,
  service levels, abandon rate, calls per dwelling, out-of-hours share, repeat calls, lost
  calls, and the year-on-year change of offered calls; the centre's staff (advisor
  productivity, supervision) « non mesuré : effectifs du centre… »;
- measured over identified calls, with the note: answered 3; ASA (10 + 20 + 5) / 3 = 35/3 s;
  first-level closure of calls: C1 and C9 settled, C5 unknown -> 2/2 = 1.
Per agency (a table with a row per agency), the same rule: AG01's identified calls 3, over
2 dwellings x 1 month = 1.5 per dwelling and month; AG02's: C2 -> 1, over 1 -> 1.0.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import date

import openpyxl
import pandas as pd
import pytest

from tests.util import engine_url
from warehouse.cli import main
from warehouse.kpis import Filters, compute_all, series
from warehouse.kpis.catalogue import CATALOGUE
from warehouse.kpis.measurable import IDENTIFIED, REASONS, scope_of
from warehouse.report import alerts, content, pdf, xlsx
from warehouse.report.exports import csv_bytes, for_people, xlsx_bytes

MARCH = Filters(date(2025, 3, 1), date(2025, 3, 31))
AG01 = replace(MARCH, agencies=("AG01",))
CENTRE = {
    "offered_calls",
    "answer_rate",
    "service_level_90",
    "service_level_60",
    "abandon_rate",
    "calls_per_dwelling_month",
    "out_of_hours_share",
    "repeat_call_rate",
    "failure_demand_share",  # over offered calls, repeat calls among them
}
STAFF = {"calls_per_advisor_day", "supervision_ratio"}


def test_the_catalogue_says_the_scope_of_each_kpi():
    assert {k.id for k in CATALOGUE if k.scope == "centre"} == CENTRE
    assert {k.id for k in CATALOGUE if k.scope == "staff"} == STAFF
    assert scope_of("yoy.offered_calls") == "centre" and scope_of("yoy.requests") == "all"
    assert scope_of("lost_calls") == "centre" and scope_of("capture_share.crl") == "all"


def test_an_agency_has_no_value_where_the_figure_means_nothing_for_it(loaded):
    whole = {v.id: v for v in compute_all(loaded, MARCH)}
    assert whole["answer_rate"].value == pytest.approx(5 / 7)
    assert whole["offered_calls"].value == 7 and not whole["offered_calls"].note
    got = {v.id: v for v in compute_all(loaded, AG01)}
    for kpi_id in CENTRE | {"yoy.offered_calls"}:
        assert got[kpi_id].value is None, kpi_id
        assert got[kpi_id].note.startswith(REASONS["centre"]), kpi_id
    # Each says what it would wrongly read: a rate near 100 % is only the answer rate's.
    assert got["answer_rate"].note == REASONS["centre"] + " (un taux de décroché proche de 100 %)"
    assert got["abandon_rate"].note == REASONS["centre"] + " (un taux d'abandon proche de 0 %)"
    assert got["yoy.offered_calls"].note.endswith("(presque les seuls appels décrochés)")
    assert "100 %" not in got["failure_demand_share"].note
    assert "100 %" not in got["offered_calls"].note
    for kpi_id in STAFF:
        assert (got[kpi_id].value, got[kpi_id].note) == (None, REASONS["staff"]), kpi_id
    assert REASONS["centre"].startswith("non mesuré : ")
    assert got["answered_calls"].value == 3 and got["answered_calls"].note == IDENTIFIED
    assert got["asa_s"].value == pytest.approx(35 / 3) and IDENTIFIED in got["asa_s"].note
    assert got["first_level_closure_calls"].value == 1.0
    assert got["commitment_kept"].value == 1.0 and not got["commitment_kept"].note


def test_series_tables_and_their_exports_carry_no_value_either(loaded):
    months = series.call_series(loaded, AG01, "month")
    assert months["answered_calls"].tolist() == [3]
    for column in ("offered_calls", "answer_rate", "service_level_90", "lost_calls"):
        assert months[column].isna().all(), column
    refs = {
        "channels": pd.DataFrame({"channel_code": [], "channel_label": []}),
        "categories": pd.DataFrame({"category_code": [], "category_label": []}),
    }
    table = for_people(months, refs)
    rows = list(csv.DictReader(io.StringIO(csv_bytes(table).decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["Taux de décroché"] == "" and rows[0]["Niveau de service (90 s)"] == ""
    assert rows[0]["Appels traités"] == "3"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table))).active
    values = {
        sheet.cell(1, c).value: sheet.cell(2, c).value for c in range(1, sheet.max_column + 1)
    }
    assert values["Taux de décroché"] is None and values["Appels présentés"] is None
    assert values["Appels traités"] == 3

    per_agency = series.agency_table(loaded, MARCH).set_index("agency")
    assert not {"answer_rate", "offered_calls", "lost_calls"} & set(per_agency.columns)
    assert per_agency["identified_calls"].to_dict() == {"AG01": 3, "AG02": 1}
    assert per_agency["identified_calls_per_dwelling_month"].to_dict() == pytest.approx(
        {"AG01": 1.5, "AG02": 1.0}
    )
    by_agency = series.call_breakdown(loaded, MARCH, "agency")
    assert by_agency["service_level_90"].isna().all()
    by_queue = series.call_breakdown(loaded, MARCH, "queue")  # the whole centre: measured
    assert by_queue["answer_rate"].notna().any()
    # The channel mix: the centre's offered calls (CRL 6, astreinte C5 1) for the whole,
    # none for AG01 (no register is loaded: nothing at all).
    mix = series.contact_mix(loaded, MARCH)
    assert dict(zip(mix["channel"], mix["contacts"], strict=True)) == {"crl": 6, "astreinte": 1}
    assert series.contact_mix(loaded, AG01).empty


def test_the_kpi_command_says_why(loaded, capsys):
    args = ["--url", engine_url(loaded), "kpis", "--start", "2025-03-01", "--end", "2025-03-31"]
    assert main([*args, "--agence", "AG01", "--format", "json"]) == 0
    data = {d["id"]: d for d in json.loads(capsys.readouterr().out)}
    assert data["service_level_90"]["value"] is None
    assert data["service_level_90"]["note"] == (
        REASONS["centre"] + " (un niveau de service gonflé par l'absence des appels perdus)"
    )
    assert main([*args, "--format", "json"]) == 0
    data = {d["id"]: d for d in json.loads(capsys.readouterr().out)}
    assert data["service_level_90"]["value"] == pytest.approx(4 / 7)


def test_the_monthly_report_of_an_agency(loaded, tmp_path):
    report = content.gather(loaded, date(2025, 3, 1), ("AG01",))
    assert report.value("service_level_90").value is None
    assert report.trend["service_level_90"].isna().all()  # page 2 draws no level
    book = openpyxl.load_workbook(xlsx.write(report, tmp_path / "a.xlsx"), read_only=True)
    rows = list(book["Indicateurs"].iter_rows(values_only=True))
    kpis = {r[rows[0].index("Identifiant")]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    per_dwelling = kpis["calls_per_dwelling_month"]
    assert per_dwelling["Valeur du mois"] is None and not per_dwelling["Statut"]
    assert per_dwelling["Note"] == REASONS["centre"] + (
        " (un nombre d'appels par logement limité aux appels décrochés identifiés)"
    )
    from pypdf import PdfReader

    pages = [
        p.extract_text().replace("\u00a0", " ").replace("\n", " ")
        for p in PdfReader(pdf.write(report, tmp_path / "a.pdf")).pages
    ]
    assert "Niveau de service (90 s) : non mesuré : sans objet pour une agence" in pages[1]
    # Page 1: the tile says « non mesuré », never « hors cible » (0,5 to 1 call a dwelling).
    said = re.search(r"Appels par logement et par mois.*?(non mesuré|hors cible|dans la)", pages[0])
    assert said and said.group(1) == "non mesuré"


def test_an_alert_on_an_agency_s_answer_rate_never_fires_and_says_why(loaded):
    rule = alerts.Rule("r", "answer_rate", "<", 0.99, "mois", ("AG01",))
    whole = alerts.Rule("w", "answer_rate", "<", 0.99, "mois", ())
    unmeasured: list = []
    found = alerts.evaluate(loaded, [rule, whole], date(2025, 3, 31), unmeasured)
    assert [a.rule.id for a in found] == ["w"]  # 5/7 < 99 %
    assert unmeasured == [(rule, REASONS["centre"] + " (un taux de décroché proche de 100 %)")]
