"""The KPI catalogue of ``kpis.md``: stable id, French label, unit, one-line definition and
sector reference, in one place for the pages, the glossary and the command line."""

from __future__ import annotations

from dataclasses import dataclass

from warehouse.model import reference


@dataclass(frozen=True)
class Kpi:
    id: str
    label: str
    unit: str  # calls, ratio, seconds, days, eur, ...
    definition: str
    reference: str = ""
    target: tuple[float, float] | None = None  # (low, high) band; None: no target
    # What part of the organisation it can be measured for (``measurable.py``): all,
    # identified (calls attached through the caller's dwelling, with a note), centre
    # (the centre as a whole only), staff (the centre's staff as a whole only).
    scope: str = "all"


CATALOGUE: list[Kpi] = [
    Kpi(
        "offered_calls",
        "Appels présentés",
        "calls",
        "Appels entrants des files du centre, décrochés ou non, hors abandons de moins de "
        "short_abandon_s secondes",
        "NMH : 38 382 (2014) → 44 800 (2015)",
        scope="centre",
    ),
    Kpi(
        "answered_calls",
        "Appels traités",
        "calls",
        "Appels présentés décrochés (issue = décroché)",
        "NMH : 38 729 en 2015",
        scope="identified",
    ),
    Kpi(
        "answer_rate",
        "Taux de décroché",
        "ratio",
        "Appels décrochés / appels présentés ; abandon, dissuasion et messagerie sont perdus",
        "secteur : ~90 % ; autres secteurs ≥ 95 %",
        (0.90, 1.0),
        scope="centre",
    ),
    Kpi(
        "service_level_90",
        "Niveau de service (90 s)",
        "ratio",
        "Appels décrochés en 90 s ou moins / appels présentés",
        "AFNOR : ≥ 80 % en 90 s",
        (0.80, 1.0),
        scope="centre",
    ),
    Kpi(
        "service_level_60",
        "Niveau de service (60 s)",
        "ratio",
        "Appels décrochés en 60 s ou moins / appels présentés",
        "",
        scope="centre",
    ),
    Kpi(
        "asa_s",
        "Temps moyen d'attente (ASA)",
        "seconds",
        "Attente moyenne des appels décrochés",
        "secteur : < 60 s",
        (0, 60),
        scope="identified",
    ),
    Kpi(
        "abandon_rate",
        "Taux d'abandon",
        "ratio",
        "Appels abandonnés par l'appelant / appels présentés",
        "secteur : ~10 %",
        (0, 0.10),
        scope="centre",
    ),
    Kpi(
        "aht_s",
        "Durée moyenne de traitement (DMT)",
        "seconds",
        "Durée moyenne de conversation des appels décrochés ; indicative, jamais un objectif",
        scope="identified",
    ),
    Kpi(
        "calls_per_dwelling_month",
        "Appels par logement et par mois",
        "calls/dwelling/month",
        "Appels présentés / (logements gérés × mois)",
        "0,5 à 1 (≈ 350 appels/jour pour 10 000 logements)",
        (0.5, 1.0),
        scope="centre",
    ),
    Kpi(
        "complaint_share",
        "Part de réclamations dans les appels",
        "ratio",
        "Appels décrochés dont la famille de motif commence par « Réclamation » / appels "
        "décrochés qualifiés",
        "NMH : environ 1 sur 5",
        scope="identified",
    ),
    Kpi(
        "capture_share",
        "Taux de captation des réclamations",
        "ratio",
        "Réclamations saisies par un canal / toutes les réclamations, par date de création",
        "NMH 2015 : CRL 24 %, agences > 75 %",
    ),
    Kpi(
        "first_level_closure_calls",
        "Traitement au premier niveau (appels)",
        "ratio",
        "Appels décrochés réglés par le centre / appels décrochés où l'information est connue",
        "secteur : 46 % à 83 %",
        (0.46, 0.83),
        scope="identified",
    ),
    Kpi(
        "first_level_closure_requests",
        "Clôture au premier niveau (demandes)",
        "ratio",
        "Demandes clôturées au niveau 1 / demandes clôturées",
    ),
    Kpi(
        "commitment_kept",
        "Respect des engagements",
        "ratio",
        "Demandes avec engagement échu ou déjà traitées : première action au plus tard à "
        "l'échéance (jours ouvrés ; voisinage : 7 jours calendaires)",
        "Qu@lia : 1, 3 ou 10 jours selon l'urgence ; 7 jours pour le voisinage ; cible "
        "retenue : 90 %",
        (0.9, 1.0),
    ),
    Kpi(
        "close_days_median",
        "Délai de clôture médian",
        "days",
        "Médiane des jours entre création et clôture des demandes clôturées",
    ),
    Kpi(
        "close_days_p90",
        "Délai de clôture (90e centile)",
        "days",
        "90e centile des jours entre création et clôture des demandes clôturées",
    ),
    Kpi(
        "backlog_open",
        "Demandes en cours (stock)",
        "requests",
        "Demandes ouvertes à la fin de la période, par ancienneté (≤ 7 j, 8-30 j, 31-90 j, > 90 j)",
    ),
    Kpi(
        "followup_rate",
        "Taux de relance",
        "ratio",
        "Demandes relancées au moins une fois (nb_relances > 0, ou un appel ultérieur du même "
        "numéro sur la même demande) / demandes, par date de création",
        "coût de la non-qualité",
    ),
    Kpi(
        "followups_per_request",
        "Relances par demande",
        "followups/request",
        "Contacts de relance (nb_relances, plus les appels ultérieurs du même numéro sur la "
        "même demande) / demandes, par date de création",
    ),
    Kpi(
        "repeat_call_rate",
        "Taux de réitération des appels",
        "ratio",
        "Appels présentés d'un numéro qui avait déjà appelé dans les 7 jours précédents "
        "(repeat_window_days) / appels présentés de numéros identifiés",
        "l'inverse de la résolution au premier contact",
        scope="centre",
    ),
    Kpi(
        "out_of_hours_share",
        "Part des appels hors horaires",
        "ratio",
        "Appels présentés hors des horaires d'ouverture (astreinte, soirs, week-ends, jours "
        "fériés) / appels présentés",
        "NMH : CRL 8 h 30-17 h 30, astreinte 17 h 30-8 h 30",
        scope="centre",
    ),
    Kpi(
        "calls_per_advisor_day",
        "Appels traités par conseiller et par jour",
        "calls/FTE-day",
        "Appels décrochés aux heures d'ouverture / jours-ETP de conseillers",
        "≤ 70 appels par conseiller et par jour",
        (0, 70),
        scope="staff",
    ),
    Kpi(
        "supervision_ratio",
        "Taux d'encadrement",
        "advisors/supervisor",
        "ETP conseillers / ETP encadrants",
        "secteur : 6 (autres secteurs : 10)",
        scope="staff",
    ),
    Kpi(
        "cost_per_dwelling_year",
        "Coût par logement et par an",
        "eur",
        "Coûts du dispositif (mise en place étalée sur 36 mois) / logements gérés, annualisé",
        "enquête : 22 € par logement et par an",
        (0, 22),
    ),
    Kpi(
        "cost_per_answered_call",
        "Coût par appel traité",
        "eur",
        "Coûts du dispositif / appels décrochés",
    ),
    Kpi(
        "cost_per_first_level_request",
        "Coût par demande réglée au premier niveau",
        "eur",
        "Coûts du dispositif / demandes clôturées au niveau 1",
    ),
    Kpi(
        "failure_demand_share",
        "Part de demande évitable",
        "ratio",
        "Appels présentés qui relancent une demande déjà enregistrée, dont le motif commence "
        "par « Relance » ou « Suivi », ou d'un numéro qui avait appelé dans les 7 jours "
        "précédents (chaque appel compté une fois) / appels présentés",
        "J. Seddon, « failure demand » des services de réparation : souvent la plus grande "
        "part des appels",
        scope="centre",
    ),
    Kpi(
        "non_quality_cost_eur",
        "Coût de la non-qualité",
        "eur",
        "Coûts du dispositif de chaque mois × durée de conversation des appels évitables "
        "décrochés / durée de conversation de tous les appels décrochés du mois",
        "USH/HTC 2015 : « coût de la non qualité (traitement d'une demande en plusieurs "
        "appels, relance des acteurs de niveau 2) »",
        scope="identified",
    ),
    Kpi(
        "non_quality_cost_per_dwelling_year",
        "Coût de la non-qualité par logement et par an",
        "eur",
        "Coût de la non-qualité / logements gérés, annualisé",
        scope="identified",
    ),
    Kpi(
        "reasons",
        "Motifs d'appel",
        "ratio",
        "Tableau par famille de motif et motif : appels présentés et décrochés, durée de "
        "conversation et sa part, DMT, traitement au premier niveau, réitération, part "
        "évitable ; classés par durée de conversation (l'export donne la part de chaque famille)",
        "tribune 2003 : « déterminer les causes de réclamations et celles qui sont coûteuses "
        "en temps d'appel et de traitement »",
        scope="identified",
    ),
    Kpi(
        "satisfaction",
        "Satisfaction",
        "ratio",
        "Part pondérée des réponses satisfaites (note de 7 à 10, ou « très » / « assez "
        "satisfait ») par thème, pour les vagues d'enquête de la période (sinon la dernière "
        "interrogée avant sa fin, jamais une plus récente) ; « ne sait pas » exclu",
        "2014 : accueil 85 %, communication 83 %, technique 67 %, autres 75 % ; USH/BVA "
        "2019 : logement 85 %",
    ),
    Kpi(
        "satisfaction_after_request",
        "Satisfaction après une demande",
        "ratio",
        "Part des réponses satisfaites des enquêtes « à chaud » liées à une demande, selon "
        "la date de création de la demande",
        "",
    ),
    Kpi(
        "yoy",
        "Évolution sur un an",
        "ratio",
        "Volume de la période / même période un an plus tôt − 1",
        "NMH : +16,7 % d'appels 2014 → 2015",
    ),
]

BY_ID = {k.id: k for k in CATALOGUE}

# Which way is good: "up" (a rise is good news), "down" (a fall is), absent when neither
# (volumes, handle time: shown, never judged).
BETTER = {
    "answer_rate": "up",
    "service_level_90": "up",
    "service_level_60": "up",
    "asa_s": "down",
    "abandon_rate": "down",
    "complaint_share": "down",
    "capture_share": "up",
    "first_level_closure_calls": "up",
    "first_level_closure_requests": "up",
    "commitment_kept": "up",
    "close_days_median": "down",
    "close_days_p90": "down",
    "backlog_open": "down",
    "followup_rate": "down",
    "followups_per_request": "down",
    "repeat_call_rate": "down",
    "cost_per_dwelling_year": "down",
    "cost_per_answered_call": "down",
    "cost_per_first_level_request": "down",
    "satisfaction": "up",
    "satisfaction_after_request": "up",
    "failure_demand_share": "down",
    "non_quality_cost_eur": "down",
    "non_quality_cost_per_dwelling_year": "down",
}


def better(kpi_id: str) -> str | None:
    return BETTER.get(kpi_id.split(".", 1)[0])


YOY_VOLUMES = ("offered_calls", "answered_calls", "requests", "complaints", "contacts")


def kpi(kpi_id: str) -> Kpi:
    """The catalogue entry of an id, including parametrised ones (``capture_share.crl``)."""
    return BY_ID[kpi_id.split(".", 1)[0]]


# The survey themes' French labels, in the order the pages and the report list them.
THEMES = {
    "global": "Satisfaction globale",
    "accueil": "Accueil",
    "communication": "Communication",
    "demandes_techniques": "Demandes techniques",
    "demandes_administratives": "Demandes administratives",
    "proprete": "Propreté",
    "logement": "Logement",
    "cadre_de_vie": "Cadre de vie",
    "voisinage": "Voisinage",
}
CHANNELS = {code: name for code, name, _ in reference.CHANNELS}
VOLUMES = {
    "offered_calls": "Appels présentés",
    "answered_calls": "Appels traités",
    "requests": "Demandes",
    "complaints": "Réclamations",
    "contacts": "Contacts",
}


def theme_label(code: str) -> str:
    return THEMES.get(code, code.replace("_", " ").capitalize())


def bucket_label(bucket: str) -> str:
    """An age bucket of the backlog: ``8-30`` -> « 8 à 30 jours », ``91+`` -> « plus de 90
    jours »."""
    if bucket.endswith("+"):
        return f"plus de {int(bucket[:-1]) - 1} jours"
    low, _, high = bucket.partition("-")
    return f"{low} à {high} jours"


def label(kpi_id: str) -> str:
    """The one French label of a KPI id, its variant said: « Taux de captation des
    réclamations — Agence », « Demandes en cours (stock) — 8 à 30 jours », « Évolution sur
    un an — Appels présentés », « Satisfaction — Accueil ». Every table, tile and export
    names a KPI by it, so that no two rows of one table read the same."""
    base, _, detail = kpi_id.partition(".")
    name = BY_ID[base].label
    if not detail:
        return name
    if base == "satisfaction":
        return theme_label(detail) if detail == "global" else f"{name} — {theme_label(detail)}"
    variant = {
        "capture_share": lambda: CHANNELS.get(detail, detail),
        "backlog_open": lambda: bucket_label(detail),
        "yoy": lambda: VOLUMES.get(detail, detail),
    }.get(base, lambda: detail)()
    return f"{name} — {variant}"


# Units as a reader says them (the exports' « Unité » column).
UNITS = {
    "calls": "appels",
    "ratio": "part (de 0 à 1)",
    "seconds": "secondes",
    "days": "jours",
    "eur": "euros",
    "requests": "demandes",
    "calls/dwelling/month": "appels par logement et par mois",
    "followups/request": "relances par demande",
    "calls/FTE-day": "appels par ETP et par jour",
    "advisors/supervisor": "conseillers par encadrant",
}
