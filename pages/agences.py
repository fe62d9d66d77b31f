"""Agences: one row per agency, side by side, with the organisme as the reference row."""

from dataclasses import replace

import streamlit as st

from pages.shared import fmt, ui

COLUMNS = {
    "agency": "Agence",
    "requests": "Demandes",
    "complaints": "Réclamations",
    "commitment_kept": "Engagements respectés",
    "first_level_closure_requests": "Clôture 1er niveau",
    "offered_calls": "Appels présentés (identifiés)",
    "calls_per_dwelling_month": "Appels / logement / mois",
    "complaint_share": "Part de réclamations (appels)",
}

st.title("Agences")
f = ui.require_filters()
table = ui.agency_table(f)
if table.empty:
    ui.empty()
    st.stop()
values = ui.kpis(f)["value"]
# The reference row's call figures add up the agencies' identified calls, as their rows
# count them (every call of the centre would not compare); request figures are the whole's.
identified = table["offered_calls"].sum() if "offered_calls" in table else None
months = table["dwelling_months"].sum()
reference = {
    "agency": "Ensemble (référence)",
    "commitment_kept": values.get("commitment_kept"),
    "first_level_closure_requests": values.get("first_level_closure_requests"),
    "calls_per_dwelling_month": identified / months if identified is not None and months else None,
    "offered_calls": identified,
}
shown = table[[c for c in COLUMNS if c in table]].copy()
totals = {c: shown[c].sum() for c in ("requests", "complaints") if c in shown}
shown.loc[len(shown)] = {k: reference.get(k) for k in shown.columns} | totals
shown = shown.rename(columns=COLUMNS)
percent = {"Engagements respectés", "Clôture 1er niveau", "Part de réclamations (appels)"}
st.dataframe(
    shown,
    hide_index=True,
    column_config={c: st.column_config.NumberColumn(format="localized") for c in shown.columns}
    | {c: st.column_config.NumberColumn(format="percent") for c in percent},
)
assessed = table.dropna(subset=["commitment_kept"]) if "commitment_kept" in table else table[:0]
if not assessed.empty:
    worst = assessed.sort_values("commitment_kept").iloc[0]
    st.caption(
        f"Engagements les moins respectés : {fmt.md(worst['agency'])} "
        f"({fmt.percent(worst['commitment_kept'])})."
    )
st.caption(
    "Les appels sont rattachés à une agence par le logement identifié : les appels perdus, "
    "rarement identifiés, n'y figurent pas ; la ligne de référence additionne donc les appels "
    "identifiés des agences, et n'a pas de part de réclamations (celle de l'ensemble compte "
    "des appels qu'aucune agence ne compte)."
)
ui.downloads(shown, "comparaison_agences", "agencies")

st.subheader("Détail d'une agence")
code = st.selectbox("Agence", list(table["agency"]), key="agency_drill")
detail = ui.kpis(replace(f, agencies=(code,)))
rows = detail[detail["value"].notna()][["label", "value", "unit", "reference"]]
rows = rows.assign(
    valeur=[fmt.by_unit(v, u) for v, u in zip(rows["value"], rows["unit"], strict=True)]
)
detail_table = rows[["label", "valeur", "reference"]].rename(
    columns={"label": "Indicateur", "valeur": "Valeur", "reference": "Référence"}
)
st.dataframe(detail_table, hide_index=True)
ui.downloads(detail_table, f"agence_{code}", "agency_detail")
