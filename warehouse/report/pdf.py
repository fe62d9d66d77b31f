"""The monthly report as a PDF a director reads in five minutes (ReportLab's Platypus):
the month's tiles against targets and last year, the trends, the agencies ranked, the
commitments by urgency and the late requests, satisfaction when a survey is loaded."""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from warehouse.french import NNBSP, by_unit, change, day, month, number
from warehouse.kpis import measurable
from warehouse.kpis.catalogue import kpi, label
from warehouse.kpis.satisfaction import theme_label
from warehouse.model.catalog import DEMO_MARK
from warehouse.report import charts, pdf_reasons
from warehouse.report.content import MonthlyReport, status, target_text

LATE_SHOWN = 15  # the oldest late requests the PDF lists; the audit pack has them all
GREEN, RED, GREY = colors.HexColor("#2e7d32"), colors.HexColor("#c62828"), colors.HexColor("#666")


@cache
def _fonts() -> tuple[str, str]:
    """ReportLab's own Bitstream Vera: French accents, €, ≥ and guillemets, on any machine."""
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont("Vera", folder / "Vera.ttf"))
    pdfmetrics.registerFont(TTFont("Vera-Bold", folder / "VeraBd.ttf"))
    return "Vera", "Vera-Bold"


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=9, leading=12)
    return {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5, textColor=GREY),
        "title": ParagraphStyle("title", base, fontName=bold, fontSize=18, leading=22),
        "h2": ParagraphStyle("h2", base, fontName=bold, fontSize=13, leading=17, spaceBefore=8),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10),
        "head": ParagraphStyle("head", base, fontName=bold, fontSize=8, leading=10),
    }


def _text(value: object) -> str:
    """Text for the PDF: escaped, the narrow no-break space (not in Vera) made a plain one."""
    return escape(str(value)).replace(NNBSP, "\u00a0")


def _table(rows: list[list], widths: list[float], styles: dict, extra=()) -> Table:
    head, *body = rows
    cells = [[Paragraph(_text(c), styles["head"]) for c in head]]
    cells += [[Paragraph(_text(c), styles["cell"]) for c in row] for row in body]
    table = Table(cells, colWidths=[w * cm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c8d0da")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *extra,
            ]
        )
    )
    return table


def _image(chart) -> Image:
    data = charts.png(chart)
    picture = Image(BytesIO(data))
    ratio = picture.imageHeight / picture.imageWidth
    picture.drawWidth = 15 * cm
    picture.drawHeight = 15 * cm * ratio
    return picture


def _label(report: MonthlyReport, kpi_id: str) -> str:
    """The catalogue's label of the KPI variant (« Taux de captation des réclamations —
    Centre de relation locataires »), as the screen and the exports say it."""
    return label(kpi_id)


def _tiles(report: MonthlyReport, styles: dict) -> Table:
    rows = [["Indicateur", month(report.month), "Un an plus tôt", "Évolution", "Cible", "Statut"]]
    marks = []
    for i, v in enumerate(report.tiles(), start=1):
        k = kpi(v.id)
        before = report.last_year.get(v.id)
        old = before.value if before else None
        shown = by_unit(v.value, v.unit)
        said = "non mesuré" if v.value is None and v.note.startswith("non mesuré") else None
        said = said or status(k, v.value)
        rows.append(
            [
                _label(report, v.id),
                shown,
                by_unit(old, v.unit),
                change(v.value, old, v.unit, "") or "—",
                target_text(k) or "—",
                said or "—",
            ]
        )
        if said and said != "non mesuré":
            marks.append(("TEXTCOLOR", (5, i), (5, i), GREEN if said == "dans la cible" else RED))
    return _table(rows, [5.6, 2.4, 2.4, 2.2, 2.2, 2.2], styles, marks)


def _measure_notes(report: MonthlyReport, styles: dict) -> list:
    """Why a tile has no value, or is measured on part of the calls: said under the table."""
    lines = [
        f"{_label(report, v.id)} : {v.note}"
        for v in report.tiles()
        if v.note.startswith(("non mesuré", "mesuré sur"))
    ]
    return [Paragraph(_text(line), styles["small"]) for line in lines]


def _summary(report: MonthlyReport, styles: dict) -> list:
    judged = [status(kpi(v.id), v.value) for v in report.tiles()]
    inside, outside = judged.count("dans la cible"), judged.count("hors cible")
    lines = [
        f"{inside} indicateur(s) dans leur cible, {outside} hors cible.",
        f"{number(report.late_count)} demande(s) en retard au {day(report.filters.end)} "
        "(échéance de première action dépassée, sans action).",
    ]
    if len(report.alerts):
        lines.append(f"{len(report.alerts)} alerte(s) active(s) : voir en fin de page.")
    return [Paragraph(_text(line), styles["body"]) for line in lines]


def _events(report: MonthlyReport, styles: dict) -> list:
    if report.events.empty:
        return [Paragraph("Aucun événement saisi pour ce mois.", styles["small"])]
    rows = [["Du", "Au", "Événement", "Type"]]
    for e in report.events.itertuples():
        kind = e.kind.replace("_", " ")
        rows.append([f"{e.start_date:%d/%m/%Y}", f"{e.end_date:%d/%m/%Y}", e.label, kind])
    return [_table(rows, [2.4, 2.4, 8, 4.2], styles)]


def _alerts(report: MonthlyReport, styles: dict) -> list:
    if report.alerts.empty:
        return []
    rows = [["Depuis", "Alerte"]]
    rows += [[f"{a.since_at:%d/%m/%Y}", a.message] for a in report.alerts.itertuples()]
    return [Paragraph("Alertes actives", styles["h2"]), _table(rows, [2.4, 14.6], styles)]


def _trends(report: MonthlyReport, styles: dict) -> list:
    out = [Paragraph("Tendances sur treize mois", styles["h2"])]
    if report.trend.empty and report.request_trend.empty:
        return [*out, Paragraph("Aucune donnée sur la période.", styles["body"])]
    if not report.trend.empty:
        out.append(_image(charts.call_volumes(report.trend)))
        for kpi_id in ("offered_calls", "service_level_90"):  # what the scope cannot measure
            why = measurable.reason(kpi_id, report.filters)
            if why:
                out.append(Paragraph(f"{_label(report, kpi_id)} : {why}.", styles["small"]))
        if report.trend["service_level_90"].notna().any():
            level = charts.rate_with_target(report.trend, "service_level_90", "Niveau de service")
            out.append(_image(level))
    if not report.request_trend.empty:
        title = "Engagements respectés, par mois de création"
        out.append(_image(charts.rate_with_target(report.request_trend, "commitment_kept", title)))
    return out


def _agencies(report: MonthlyReport, styles: dict) -> list:
    out = [Paragraph("Agences", styles["h2"])]
    table = report.agencies
    if table.empty:
        return [*out, Paragraph("Aucune donnée par agence pour ce mois.", styles["body"])]
    out.append(
        Paragraph(
            "Classées de celle qui respecte le moins ses engagements à celle qui les respecte "
            "le mieux.",
            styles["small"],
        )
    )
    if table["commitment_kept"].notna().any():
        out.append(_image(charts.agencies_ranked(table, report.agency_names, "commitment_kept")))
    columns = [
        ("requests", "Demandes"),
        ("complaints", "Réclam."),
        ("first_level_closure_requests", "Clôture 1er niveau"),
        ("commitment_kept", "Engagements respectés"),
        ("identified_calls", "Appels identifiés"),
        ("identified_calls_per_dwelling_month", "Appels identifiés par logt et mois"),
    ]
    rows = [["Agence", *[title for _, title in columns]]]
    for r in table.to_dict("records"):
        cells = [report.agency_names.get(r["agency"], r["agency"])]
        for name, _ in columns:
            unit = "ratio" if name in ("first_level_closure_requests", "commitment_kept") else ""
            value = r.get(name)
            value = None if value is None or pd.isna(value) else value
            cells.append(by_unit(value, unit) if unit else number(value, 2 if "per" in name else 0))
        rows.append(cells)
    out.append(_table(rows, [3.8, 2.2, 1.8, 2.2, 2.6, 2.2, 2.2], styles))
    return out


def _commitments(report: MonthlyReport, styles: dict) -> list:
    out = [Paragraph("Engagements par urgence et demandes en retard", styles["h2"])]
    if report.urgency.empty:
        out.append(Paragraph("Aucune demande avec un délai d'engagement.", styles["body"]))
    else:
        rows = [["Délai d'engagement", "Demandes", "Engagements respectés"]]
        for r in report.urgency.itertuples():
            kept = None if pd.isna(r.commitment_kept) else r.commitment_kept
            rows.append(
                [f"{int(r.urgency_days)} j ouvré(s)", number(r.requests), by_unit(kept, "ratio")]
            )
        out.append(_table(rows, [5, 4, 5], styles))
    out.append(Spacer(1, 0.3 * cm))
    out.append(
        Paragraph(
            _text(
                f"{number(report.late_count)} demande(s) en retard au {day(report.filters.end)}."
                + (
                    f" Les {LATE_SHOWN} plus anciennes ; la liste complète est dans le dossier "
                    "d'audit (XLSX)."
                    if report.late_count > LATE_SHOWN
                    else ""
                )
            ),
            styles["body"],
        )
    )
    if not report.late.empty:
        rows = [["Demande", "Créée le", "Agence", "Échéance", "Ancienneté", "Relances"]]
        for r in report.late.head(LATE_SHOWN).itertuples():
            rows.append(
                [
                    r.request_id,
                    f"{r.created:%d/%m/%Y}",
                    report.agency_names.get(r.agency, r.agency or "—"),
                    f"{r.due:%d/%m/%Y}",
                    f"{int(r.age_days)} j",
                    number(r.followup_count or 0),
                ]
            )
        out.append(_table(rows, [3, 2.4, 4.6, 2.4, 2.2, 2], styles))
    return out


def _satisfaction(report: MonthlyReport, styles: dict) -> list:
    survey = report.survey
    if not survey.get("now"):
        return []
    previous = {r["theme"]: r["rate"] for r in survey.get("before", [])}
    waves = ", ".join(survey["waves"])
    rows = [["Thème", f"Satisfaits ({waves})", "Répondants", survey.get("previous") or "—"]]
    for r in survey["now"]:
        rows.append(
            [
                theme_label(r["theme"]),
                by_unit(r["rate"], "ratio"),
                number(r["respondents"]),
                by_unit(previous.get(r["theme"]), "ratio"),
            ]
        )
    return [
        KeepTogether(
            [
                Paragraph("Satisfaction des locataires", styles["h2"]),
                _table(rows, [6, 4, 3, 4], styles),
            ]
        )
    ]


def write(report: MonthlyReport, path: Path, demo: bool = False) -> Path:
    """The PDF; ``demo``: the title and every page's footer say the data is invented."""
    styles = _styles()
    title = f"Rapport qualité mensuel — {month(report.month)}"
    if demo:
        title = f"{DEMO_MARK} — {title}"

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(_fonts()[0], 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(2 * cm, 1.2 * cm, f"Pilotage GRL — {title} — {report.scope()}")
        canvas.drawRightString(19 * cm, 1.2 * cm, f"page {doc.page}")
        canvas.restoreState()

    story = [
        Paragraph(_text(title), styles["title"]),
        Paragraph(
            _text(
                f"Du {day(report.filters.start)} au {day(report.filters.end)}, "
                f"{report.scope()}. Produit le {report.generated_at:%d/%m/%Y à %H:%M}."
            ),
            styles["small"],
        ),
        Spacer(1, 0.3 * cm),
        *_summary(report, styles),
        Paragraph("Indicateurs du mois", styles["h2"]),
        _tiles(report, styles),
        *_measure_notes(report, styles),
        Paragraph("Événements du mois", styles["h2"]),
        *_events(report, styles),
        *_alerts(report, styles),
        PageBreak(),
        *_trends(report, styles),
        PageBreak(),
        *_agencies(report, styles),
        PageBreak(),
        *_commitments(report, styles),
        *_satisfaction(report, styles),
        PageBreak(),
        *pdf_reasons.story(report, styles, _table, _text),
    ]
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.8 * cm,
        title=title,
        author="Pilotage GRL",
        lang="fr-FR",
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path
