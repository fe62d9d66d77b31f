"""Coûts et effectifs: cost per dwelling by nature, per call, productivity, supervision."""

import altair as alt
import pandas as pd
import streamlit as st

from pages import charts, data, fmt, state, widgets

NATURES = {
    "personnel": "Personnel",
    "formation": "Formation",
    "telecom": "Télécom",
    "informatique": "Informatique",
    "locaux": "Locaux",
    "mise_en_place": "Mise en place",
}

st.title("Coûts et effectifs")
f = state.require_filters()
kp = data.kpis(f)
v = kp["value"]
cols = st.columns(5)
cols[0].metric(
    "Coût par logement et par an",
    fmt.euros(v.get("cost_per_dwelling_year")),
    help="Référence enquête : 22 € par logement et par an",
)
cols[1].metric("Coût par appel traité", fmt.euros(v.get("cost_per_answered_call")))
cols[2].metric(
    "Coût par demande réglée au 1er niveau", fmt.euros(v.get("cost_per_first_level_request"))
)
cols[3].metric(
    "Appels traités par conseiller et par jour",
    fmt.number(v.get("calls_per_advisor_day"), 1),
    help="Plafond : 70",
)
cols[4].metric(
    "Conseillers par encadrant",
    fmt.number(v.get("supervision_ratio"), 1),
    help="Secteur : 6 (autres secteurs : 10)",
)
for kpi_id in ("cost_per_dwelling_year", "calls_per_advisor_day"):
    if kp.loc[kpi_id, "note"]:
        st.info(fmt.md(kp.loc[kpi_id, "note"]))

st.subheader("Coût par logement et par an, par nature (référence : 22 €)")
natures = data.cost_natures(f)
dwelling_months = (
    (v.get("offered_calls") or 0) / v["calls_per_dwelling_month"]
    if v.get("calls_per_dwelling_month")
    else None
)
if not natures or not dwelling_months:
    widgets.empty("Aucun coût ou aucun référentiel de logements pour cette période.")
else:
    frame = pd.DataFrame(
        {
            "nature": [NATURES.get(n, n) for n in natures],
            "eur_par_logement_an": [a * 12 / dwelling_months for a in natures.values()],
            "montant_eur": list(natures.values()),
        }
    )
    shown, tooltip = charts.described(
        frame,
        [
            ("nature", "Nature", "text"),
            ("eur_par_logement_an", "€ par logement et par an", "eur"),
            ("montant_eur", "Montant", "eur"),
        ],
    )
    # One bar, its natures stacked, against the 22 € line: a bar of fixed thickness (the
    # chart's height had been the whole of it, axis and legend included: no bar was left).
    bars = (
        alt.Chart(shown)
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("eur_par_logement_an:Q", title="€ par logement et par an", stack=True),
            color=charts.category_colour(
                "nature", list(NATURES.values()), frame["nature"], "Nature"
            ),
            order=alt.Order("eur_par_logement_an:Q", sort="descending"),
            description=alt.Description(f"{charts.LABEL}:N"),
            tooltip=tooltip,
        )
    )
    target = charts.reference_rule(22, "Référence : 22 € par logement et par an", axis="x")
    total = fmt.euros(frame["eur_par_logement_an"].sum())
    widgets.chart(
        alt.layer(bars, target, data=shown).properties(height=60),
        "coût par nature",
        f"Barre du coût par logement et par an ({total}), découpée par nature de coût, "
        "face à la référence de 22 €.",
        frame.rename(
            columns={
                "nature": "Nature",
                "eur_par_logement_an": "€ par logement et par an",
                "montant_eur": "Montant",
            }
        ),
        {"€ par logement et par an": "eur", "Montant": "eur"},
    )
    widgets.downloads(frame, "couts_par_nature", "costs")
