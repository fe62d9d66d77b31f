"""The audit pack: every KPI of the catalogue with its definition, value, target and sector
reference, the per-agency table, the commitments by urgency, the late requests, the
trends, the events and the alerts, one sheet each, for a Quali'Hlm or NF service audit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warehouse.french import month
from warehouse.kpis.catalogue import kpi
from warehouse.model.catalog import DEMO_MARK
from warehouse.report import exports
from warehouse.report.content import MonthlyReport, status, target_text

KPI_HEADERS = [
    "Identifiant",
    "Indicateur",
    "Définition",
    "Unité",
    "Valeur du mois",
    "Même mois un an plus tôt",
    "Cible",
    "Statut",
    "Référence du secteur",
    "Note",
]
UNITS = {
    "calls": "appels",
    "requests": "demandes",
    "ratio": "taux",
    "seconds": "secondes",
    "days": "jours",
    "eur": "euros",
}
NUMBER_FORMATS = {"ratio": "0.0%", "eur": "#,##0.00", "seconds": "0", "days": "0.0"}


def write(report: MonthlyReport, path: Path, demo: bool = False) -> Path:
    """The audit pack; ``demo``: every sheet's rows start with the demo mark."""
    with exports.xlsx_writer(path) as writer:
        _kpi_sheet(writer, report, demo)
        for name, frame in _tables(report):
            exports.write_sheet(writer, exports.demo_marked(frame) if demo else frame, name)
    return path


def _kpi_sheet(writer: pd.ExcelWriter, report: MonthlyReport, demo: bool = False) -> None:
    """One row per KPI; each value cell formatted by the KPI's unit (a sheet-wide column
    format cannot say percent on one row and euros on the next)."""
    book = writer.book
    page = book.add_worksheet("Indicateurs")
    writer.sheets["Indicateurs"] = page
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    formats = {
        u: book.add_format({"num_format": f, "valign": "top"}) for u, f in NUMBER_FORMATS.items()
    }
    counts = book.add_format({"num_format": "#,##0", "valign": "top"})
    for column, header in enumerate(KPI_HEADERS):
        page.write_string(0, column, header, bold)
    for row, v in enumerate(report.kpis, start=1):
        before = report.last_year.get(v.id)
        style = formats.get(v.unit, counts)
        page.write_string(row, 0, v.id, wrap)
        page.write_string(row, 1, v.label, wrap)
        page.write_string(row, 2, v.definition, wrap)
        page.write_string(row, 3, UNITS.get(v.unit, v.unit), wrap)
        for column, value in ((4, v.value), (5, before.value if before else None)):
            if value is None:
                page.write_blank(row, column, None, style)
            else:
                page.write_number(row, column, value, style)
        page.write_string(row, 6, target_text(kpi(v.id)), wrap)
        page.write_string(row, 7, status(kpi(v.id), v.value), wrap)
        page.write_string(row, 8, v.reference, wrap)
        note = " ; ".join(n for n in (DEMO_MARK if demo else "", v.note) if n)
        page.write_string(row, 9, note, wrap)
    for column, width in enumerate([26, 30, 60, 10, 14, 14, 16, 14, 36, 40]):
        page.set_column(column, column, width)
    page.freeze_panes(1, 2)


NON_QUALITY = [
    ("offered", "Appels présentés"),
    ("failure", "Appels évitables"),
    ("failure_demand_share", "Part de demande évitable"),
    ("chases", "dont relances d'une demande déjà enregistrée"),
    ("followup_motifs", "dont motifs « Relance » ou « Suivi »"),
    ("repeats", "dont rappels du même numéro sous 7 jours"),
    ("cost_eur", "Coûts du dispositif (€)"),
    ("non_quality_cost_eur", "Coût de la non-qualité, selon la durée de conversation (€)"),
    ("non_quality_cost_by_calls_eur", "Appels évitables × coût par appel traité (€)"),
    ("non_quality_cost_per_dwelling_year", "Coût de la non-qualité par logement et par an (€)"),
]


def _non_quality(report: MonthlyReport) -> pd.DataFrame:
    """Failure demand and its cost, the month and the same month a year before (a cause
    may count a call twice; the avoidable calls count it once)."""
    now, before = report.failure or {}, report.failure_last_year or {}
    rows = [(label, now.get(key), before.get(key)) for key, label in NON_QUALITY]
    rows.append(("Note", now.get("cost_note") or "", before.get("cost_note") or ""))
    return pd.DataFrame(rows, columns=["Mesure", "Mois", "Même mois un an plus tôt"]).astype(
        {"Mois": "object", "Même mois un an plus tôt": "object"}
    )


def _tables(report: MonthlyReport) -> list[tuple[str, pd.DataFrame]]:
    def people(frame: pd.DataFrame) -> pd.DataFrame:
        return exports.for_people(frame, report.refs)

    agencies = report.agencies.copy()
    if not agencies.empty:
        agencies.insert(1, "nom", agencies["agency"].map(report.agency_names))
    parameters = pd.DataFrame(
        [
            ("Mois", month(report.month)),
            ("Du", f"{report.filters.start:%d/%m/%Y}"),
            ("Au", f"{report.filters.end:%d/%m/%Y}"),
            ("Périmètre", report.scope()),
            ("Demandes en retard à la fin du mois", report.late_count),
            ("Produit le", f"{report.generated_at:%d/%m/%Y %H:%M}"),
        ],
        columns=["Paramètre", "Valeur"],
    ).astype({"Valeur": "object"})
    events = report.events.rename(
        columns={"start_date": "Début", "end_date": "Fin", "label": "Événement", "kind": "Type"}
    )
    alerts = report.alerts.rename(
        columns={
            "rule_id": "Règle",
            "kpi_id": "Indicateur",
            "agencies": "Agences",
            "period_start": "Du",
            "period_end": "Au",
            "value": "Valeur",
            "message": "Alerte",
            "since_at": "Depuis",
        }
    )
    return [
        ("Agences", people(agencies.rename(columns={"nom": "Nom"}))),
        ("Motifs d'appel", people(report.reasons)),
        ("Non-qualité", _non_quality(report)),
        ("Catégories relancées", people(report.chase_categories)),
        ("Demandes relancées", people(report.chased_open)),
        ("Engagements par urgence", people(report.urgency)),
        ("Demandes en retard", people(report.late)),
        ("Appels par mois", people(report.trend)),
        ("Demandes par mois", people(report.request_trend)),
        ("Événements", events),
        ("Alertes actives", alerts),
        ("Paramètres", parameters),
    ]
