"""The monthly report: its figures are the KPI layer's (read back from the audit pack), its
PDF holds the expected pages, the command writes both files.

Dataset: ``kpi_dataset.py``. March 2025, by hand: offered C1 C2 C4 C5 C6 C8 C9 = 7,
answered 5, answer rate 5/7, service level 4/7. Commitments of requests created in March:
D1 AG01 kept, D2 AG01 kept, D4 AG02 late: AG02 0 %, AG01 100 %. No request is late on
31/03 (D4 was acted on 18/03). April: D6 (AG02, due 15/04, no action) is late on 30/04;
D5's deadline (30/04) has not passed; D3 was acted on; D8 has no commitment.
"""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.util import engine_url, write_export
from warehouse.kpis import compute_all
from warehouse.report import content, pdf, xlsx
from warehouse.report.content import month_filters

MARCH = date(2025, 3, 1)


def _sheet(path, name) -> list[dict]:
    rows = list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _pdf_text(path) -> list[str]:
    """Each page's text, no-break spaces read as spaces."""
    return [page.extract_text().replace("\u00a0", " ") for page in PdfReader(path).pages]


@pytest.fixture
def march(loaded, tmp_path):
    report = content.gather(loaded, MARCH)
    return (
        report,
        xlsx.write(report, tmp_path / "audit.xlsx"),
        pdf.write(report, tmp_path / "r.pdf"),
    )


def test_audit_pack_holds_every_kpi_of_the_kpi_layer(loaded, march):
    _, book, _ = march
    expected = {v.id: v for v in compute_all(loaded, month_filters(MARCH))}
    rows = {r["Identifiant"]: r for r in _sheet(book, "Indicateurs")}
    assert set(rows) == set(expected)
    for kpi_id, v in expected.items():
        got = rows[kpi_id]["Valeur du mois"]
        assert got == (None if v.value is None else pytest.approx(v.value)), kpi_id
        assert rows[kpi_id]["Définition"] == v.definition
        assert (rows[kpi_id]["Note"] or "") == v.note
    # By hand, as the docstring says.
    assert rows["offered_calls"]["Valeur du mois"] == 7
    assert rows["answer_rate"]["Valeur du mois"] == pytest.approx(5 / 7)
    assert rows["answer_rate"]["Cible"] == "≥ 90,0\u202f%"
    assert rows["answer_rate"]["Statut"] == "hors cible"
    assert rows["asa_s"]["Statut"] == "dans la cible"  # 41 s <= 60 s
    assert rows["offered_calls"]["Même mois un an plus tôt"] == 0  # nothing in March 2024


def test_audit_pack_ranks_agencies_and_lists_late_requests(loaded, tmp_path):
    march = content.gather(loaded, MARCH)
    agencies = _sheet(xlsx.write(march, tmp_path / "m.xlsx"), "Agences")
    assert [(a["Agence"], a["Respect des engagements"]) for a in agencies] == [
        ("AG02", 0),
        ("AG01", 1),
    ]
    assert march.late_count == 0
    april = content.gather(loaded, date(2025, 4, 15))
    book = xlsx.write(april, tmp_path / "a.xlsx")
    assert april.late_count == 1
    assert [r["Demande"] for r in _sheet(book, "Demandes en retard")] == ["D6"]
    parameters = {r["Paramètre"]: r["Valeur"] for r in _sheet(book, "Paramètres")}
    assert parameters["Du"] == "01/04/2025" and parameters["Au"] == "30/04/2025"
    assert parameters["Demandes en retard à la fin du mois"] == 1


def test_agency_report_is_scoped(loaded, tmp_path):
    report = content.gather(loaded, MARCH, ("AG01",))
    rows = {
        r["Identifiant"]: r for r in _sheet(xlsx.write(report, tmp_path / "x.xlsx"), "Indicateurs")
    }
    assert rows["commitment_kept"]["Valeur du mois"] == 1  # D1, D2 kept
    assert "sans objet" in rows["answer_rate"]["Note"]  # lost calls have no agency
    assert report.scope() == "AG01 – Nord"


def test_pdf_holds_its_pages(march):
    report, _, path = march
    pages = _pdf_text(path)
    assert len(pages) == 5
    first = pages[0]
    assert "Rapport qualité mensuel — mars 2025" in first
    assert "toutes les agences" in first
    assert "71,4 %" in first and "57,1 %" in first  # answer rate, service level
    assert "0 demande(s) en retard au lun. 31 mars 2025" in first
    assert "Aucun événement saisi pour ce mois." in first
    assert "Tendances sur treize mois" in pages[1]
    assert "Agences" in pages[2] and "AG02 – Sud" in pages[2]
    assert "Engagements par urgence et demandes en retard" in pages[3]
    assert "Satisfaction des locataires" not in "".join(pages)  # no survey loaded
    assert "Motifs d'appel et coût de la non-qualité" in pages[4]


def test_pdf_lists_the_events_and_the_satisfaction(loaded, tmp_path):
    from loaders.pipeline import import_file
    from tests.warehouse.survey_dataset import FILES as SURVEY

    event = {"debut": "10/03/2025", "fin": "20/03/2025", "libelle": "Avis d'échéance"}
    kind = {"type": "avis d'échéance"}
    done = import_file(loaded, write_export(tmp_path / "evenements.csv", [event | kind]))
    assert done.rows_loaded == 1
    for source, rows in SURVEY:
        import_file(loaded, write_export(tmp_path / f"{source}.csv", rows))
    report = content.gather(loaded, MARCH)
    text = "".join(_pdf_text(pdf.write(report, tmp_path / "r.pdf")))
    assert "Avis d'échéance" in text and "10/03/2025" in text
    assert "Satisfaction des locataires" in text


def test_command_writes_both_files(loaded, tmp_path, capsys):
    from warehouse.cli import main

    out = tmp_path / "out"
    url = engine_url(loaded)
    assert (
        main(["--url", url, "report", "--month", "2025-03", "--agence", "ag01", "--out", str(out)])
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "dossier_audit_2025-03_AG01.xlsx",
        "rapport_qualite_2025-03_AG01.pdf",
    ]
    with pytest.raises(SystemExit):
        main(["--url", url, "report", "--month", "mars", "--out", str(out)])
    assert "mois illisible « mars »" in capsys.readouterr().err


def test_previous_month():
    from warehouse.report.run import previous_month

    assert previous_month(date(2026, 1, 5)) == date(2025, 12, 1)
    assert previous_month(date(2024, 3, 31)) == date(2024, 2, 1)


@pytest.fixture
def failure_march(engine, tmp_path):
    """The hand-made failure dataset (``failure_dataset.py``), March 2025's report."""
    from loaders.pipeline import import_file
    from tests.warehouse.failure_dataset import FILES

    for source, rows in FILES:
        assert import_file(engine, write_export(tmp_path / f"{source}.csv", rows)).rows_loaded
    report = content.gather(engine, MARCH)
    return (
        report,
        xlsx.write(report, tmp_path / "audit.xlsx"),
        pdf.write(report, tmp_path / "r.pdf"),
    )


def test_the_reasons_and_the_cost_of_non_quality_in_report_and_audit_pack(failure_march):
    """March 2025 of test_failure.py: 7 offered calls, 4 avoidable (F2 F5 F6 F7); handle
    time 1,000 s, 700 s avoidable -> 3,000 EUR x 0.7 = 2,100 EUR; by answered calls 3,000 x
    4 / 7 = 1,714.29; per dwelling and year 2,100 x 12 / 3 dwelling-months = 8,400. Reasons:
    Reclamation technique F1 F4 F5 550 s (55 %), Renseignement F2 F3 250 s (80 %
    cumulated), Relance F6 F7 200 s. Technique: 4 follow-ups for R1 R3 = 2 per request.
    R1 open on 31/03 with 1 declared follow-up and F5 F7."""
    report, book, path = failure_march
    page = _pdf_text(path)[-1]
    assert "Motifs d'appel et coût de la non-qualité" in page
    assert "4 appels évitables sur 7 présentés (57,1 %)" in page
    assert "2 100,00 €" in page and "1 714,29 €" in page and "8 400,00 €" in page
    assert "Reclamation technique" in page and "55,0 %" in page and "80,0 %" in page
    assert "Technique" in page and "2,00" in page
    kpis = {r["Identifiant"]: r for r in _sheet(book, "Indicateurs")}
    assert kpis["failure_demand_share"]["Valeur du mois"] == pytest.approx(4 / 7)
    assert kpis["non_quality_cost_eur"]["Valeur du mois"] == pytest.approx(2100)
    assert kpis["reasons.reclamation_technique"]["Valeur du mois"] == pytest.approx(0.55)
    motifs = _sheet(book, "Motifs d'appel")
    assert [m["Motif"] for m in motifs] == [
        "Reclamation technique - fuite",
        "Renseignement - loyer",
        "Relance - intervention",
    ]
    assert motifs[0]["Durée de conversation (s)"] == 550
    assert motifs[0]["Part de la durée de conversation"] == pytest.approx(0.55)
    cost = {r["Mesure"]: r["Mois"] for r in _sheet(book, "Non-qualité")}
    assert cost["Appels évitables"] == 4
    assert cost["Appels évitables × coût par appel traité (€)"] == pytest.approx(3000 * 4 / 7)
    categories = _sheet(book, "Catégories relancées")
    assert categories[0]["Catégorie"] == "Technique"
    assert categories[0]["Relances par demande"] == 2
    chased = _sheet(book, "Demandes relancées")
    assert [(r["Demande"], r["Relances déclarées (export des demandes)"], r["Appels de relance"])
            for r in chased] == [("R1", 1, 2)]  # fmt: skip
