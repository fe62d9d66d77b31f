"""The monthly report's page on call reasons and the cost of non-quality: the month's
avoidable calls and what they cost against a year before, the reasons that take the most
handle time (a Pareto as a table), the request categories that make tenants call again."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer

from warehouse.french import by_unit, change, number
from warehouse.report.content import MonthlyReport

REASONS_SHOWN = 10
CATEGORIES_SHOWN = 6
NO_MOTIF = "(sans motif)"


def _summary(report: MonthlyReport) -> str:
    now, before = report.failure, report.failure_last_year or {}
    share = now["failure_demand_share"]
    shift = change(share, before.get("failure_demand_share"), "ratio")
    text = (
        f"{number(now['failure'])} appels évitables sur {number(now['offered'])} présentés "
        f"({by_unit(share, 'ratio')}{', ' + shift if shift else ''}) : relance d'une demande "
        f"déjà enregistrée {number(now['chases'])}, motif « Relance » ou « Suivi » "
        f"{number(now['followup_motifs'])}, rappel du même numéro sous 7 jours "
        f"{number(now['repeats'])} (un appel compte une fois). "
    )
    if now["cost_eur"] is None:
        return text + "Coût de la non-qualité : aucun fichier de coûts chargé."
    cost = now["non_quality_cost_eur"]
    cost_shift = change(cost, before.get("non_quality_cost_eur"), "eur")
    text += (
        f"Coût de la non-qualité : {by_unit(cost, 'eur')}"
        f"{' (' + cost_shift + ')' if cost_shift else ''} selon la durée de conversation, "
        f"{by_unit(now['non_quality_cost_by_calls_eur'], 'eur')} en appels évitables × coût "
        f"par appel traité ; {by_unit(now['non_quality_cost_per_dwelling_year'], 'eur')} par "
        "logement et par an."
    )
    return text + (f" Note : {now['cost_note']}." if now["cost_note"] else "")


def story(
    report: MonthlyReport,
    styles: dict,
    table: Callable[[list[list], list[float], dict], object],
    text: Callable[[object], str],
) -> list:
    """The page's flowables (``table`` and ``text``: the report's table and text helpers)."""
    out = [
        Paragraph("Motifs d'appel et coût de la non-qualité", styles["h2"]),
        Paragraph(text(_summary(report)), styles["body"]),
        Spacer(1, 0.3 * cm),
    ]
    reasons = report.reason_families
    if reasons is None or reasons.empty:
        return out + [Paragraph("Aucun appel ce mois-ci.", styles["body"])]
    rows = [["Motif", "Appels", "Heures", "Part du temps", "Part cumulée", "Évitables"]]
    for r in reasons.head(REASONS_SHOWN).itertuples():
        avoidable = (r.failure_demand_share or 0) * r.offered_calls
        rows.append(
            [
                r.family_label or NO_MOTIF,
                number(r.offered_calls),
                number(r.handle_time_s / 3600, 1),
                by_unit(r.handle_time_share, "ratio"),
                by_unit(r.cumulative_share, "ratio"),
                number(round(avoidable)),
            ]
        )
    out += [
        Paragraph(f"Les {REASONS_SHOWN} motifs les plus longs au téléphone", styles["body"]),
        table(rows, [5.2, 1.8, 1.8, 2.6, 2.6, 2], styles),
        Spacer(1, 0.3 * cm),
    ]
    ranked = report.chase_categories
    if ranked is None or ranked.empty:
        return out
    labels = dict(
        zip(
            report.refs["categories"]["category_code"],
            report.refs["categories"]["category_label"],
            strict=True,
        )
    )
    rows = [["Catégorie", "Demandes", "Relances par demande", "Délai médian", "Engagements"]]
    for r in ranked.head(CATEGORIES_SHOWN).itertuples():
        rows.append(
            [
                labels.get(r.category, r.category),
                number(r.requests),
                number(r.followups_per_request, 2),
                by_unit(r.close_days_median, "days"),
                by_unit(r.commitment_kept, "ratio"),
            ]
        )
    return out + [
        Paragraph("Les catégories de demandes qui font rappeler", styles["body"]),
        table(rows, [4.4, 2, 3.4, 3, 3.2], styles),
    ]
