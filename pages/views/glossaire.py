"""Glossaire: every KPI by theme, with its definition, reference and target, and the
acronyms of the sector; readable as a page, downloadable as a table."""

import pandas as pd
import streamlit as st

from pages import fmt, widgets
from warehouse.kpis.catalogue import CATALOGUE

THEMES = {
    "Appels": [
        "offered_calls", "answered_calls", "answer_rate", "service_level_90",
        "service_level_60", "asa_s", "abandon_rate", "aht_s", "calls_per_dwelling_month",
        "complaint_share", "first_level_closure_calls", "repeat_call_rate", "out_of_hours_share",
    ],
    "Demandes et réclamations": [
        "capture_share", "first_level_closure_requests", "commitment_kept",
        "close_days_median", "close_days_p90", "backlog_open", "followup_rate",
        "followups_per_request",
    ],
    "Motifs et non-qualité": [
        "reasons", "failure_demand_share", "non_quality_cost_eur",
        "non_quality_cost_per_dwelling_year",
    ],
    "Coûts et effectifs": [
        "calls_per_advisor_day", "supervision_ratio", "cost_per_dwelling_year",
        "cost_per_answered_call", "cost_per_first_level_request",
    ],
    "Locataires et évolution": ["satisfaction", "yoy"],
}  # fmt: skip
ACRONYMS = {
    "AFNOR": "Association française de normalisation : sa norme de la relation client fixe "
    "80 % des appels décrochés en 90 secondes.",
    "ASA": "Average Speed of Answer : attente moyenne avant décroché (temps moyen d'attente).",
    "CRC / CRL": "Centre de relation clients / centre de relation locataires : le centre "
    "d'appels de l'organisme.",
    "Demande évitable": "Traduction de « failure demand » (John Seddon) : les appels causés "
    "par ce qui n'a pas été fait, ou pas bien fait, la première fois (relances, rappels).",
    "DMT": "Durée moyenne de traitement : durée moyenne de conversation d'un appel décroché.",
    "ETP": "Équivalent temps plein.",
    "NMH": "Nantes Métropole Habitat : l'organisme dont l'étude sert de référence aux "
    "volumes et à la captation des réclamations.",
    "Qu@lia": "Démarche qualité du mouvement Hlm : engagements de délai de 1, 3 ou 10 jours "
    "selon l'urgence, 7 jours pour les troubles de voisinage.",
    "SLS / OPS": "Enquêtes réglementaires (supplément de loyer de solidarité, occupation du "
    "parc social) : elles font monter les appels.",
}

st.title("Glossaire des indicateurs")
st.caption(
    "Chaque indicateur du tableau de bord, sa définition exacte et sa référence sectorielle ; "
    "les sigles du secteur en fin de page."
)
by_id = {k.id: k for k in CATALOGUE}
listed = {i for ids in THEMES.values() for i in ids}
themes = THEMES | {"Autres": [k.id for k in CATALOGUE if k.id not in listed]}
for theme, ids in themes.items():
    if not ids:
        continue
    st.header(theme)
    for kpi_id in ids:
        k = by_id[kpi_id]
        st.subheader(k.label)
        st.write(fmt.md(k.definition) + ".")
        details = [f"Identifiant : `{k.id}`"]
        if k.reference:
            details.append(f"Référence : {fmt.md(k.reference)}")
        if k.target is not None:
            details.append(
                f"Cible : {fmt.by_unit(k.target[0], k.unit)} à {fmt.by_unit(k.target[1], k.unit)}"
            )
        st.caption(" · ".join(details))

st.header("Sigles")
for acronym, meaning in ACRONYMS.items():
    st.markdown(f"**{fmt.md(acronym)}** : {fmt.md(meaning)}")

frame = pd.DataFrame(
    [
        {
            "Thème": theme,
            "Indicateur": by_id[i].label,
            "Identifiant": i,
            "Définition": by_id[i].definition,
            "Référence": by_id[i].reference or fmt.EMPTY,
        }
        for theme, ids in themes.items()
        for i in ids
    ]
)
widgets.downloads(frame, "glossaire", "glossary")
