"""Dimensionnement: Erlang C advisors per weekday x half-hour against those staffed."""

import altair as alt
import streamlit as st

from pages import data, fmt, state, widgets
from warehouse.kpis.staffing import CEILING_CALLS_PER_ADVISOR_DAY, Target, daily_load

DAYS = fmt.DAYS

st.title("Dimensionnement")
f = state.require_filters()
if f.has_scope:
    st.info(
        "Le dimensionnement porte sur le centre entier : ses effectifs répondent à tous les "
        "appels, et les appels perdus ne sont rattachés à aucune agence. Sans objet pour une "
        "sélection d'agences ou d'organisme : retirez ce filtre pour le voir."
    )
    st.stop()
st.caption(
    "Modèle d'Erlang C : pour chaque jour de la semaine et demi-heure, les appels "
    "présentés moyens de la période et la durée de traitement observée donnent les "
    "conseillers nécessaires, puis le foisonnement donne les conseillers à planifier."
)
left, mid, right, far = st.columns(4)
share = left.slider(
    "Objectif : part des appels décrochés", 50, 99, 80, 1, format="%d %%", key="sz_share"
)
seconds = mid.slider("… en moins de (secondes)", 10, 300, 90, 5, key="sz_seconds")
shrinkage = right.slider(
    "Foisonnement (absences, pauses)", 0, 60, 30, 5, format="%d %%", key="sz_shrinkage"
)
growth = far.slider(
    "Hausse de la demande (simulation)", 0, 100, 0, 5, format="%d %%", key="sz_growth"
)
table = data.sizing(f, Target(share / 100, seconds, shrinkage / 100, growth / 100))
if table["offered"].sum() == 0:
    widgets.empty()
    st.stop()

open_slots = table[(table["offered"] > 0) | (table["staffed"] > 0)]
short = open_slots[open_slots["gap"] < 0]
cols = st.columns(3)
cols[0].metric("Créneaux en sous-effectif", fmt.number(len(short)))
cols[1].metric(
    "Manque maximal (conseillers)", fmt.number(-open_slots["gap"].min(), 1) if len(short) else "0"
)
cols[2].metric("Conseillers nécessaires au pic", fmt.number(open_slots["required"].max()))

st.subheader("Conseillers présents moins conseillers à planifier (rouge : manque)")
slots = widgets.SLOT_LABELS
heat = open_slots.assign(
    jour=open_slots["weekday"].map(lambda d: DAYS[d - 1]), créneau=open_slots["slot"].map(slots)
)
limit = max(1.0, float(heat["gap"].abs().max()))
widgets.chart(
    alt.Chart(heat)
    .mark_rect()
    .encode(
        x=alt.X("créneau:O", title="Demi-heure", sort=list(slots.values())),
        y=alt.Y("jour:O", title=None, sort=DAYS),
        color=alt.Color(
            "gap:Q", title="Écart", scale=alt.Scale(scheme="redblue", domain=[-limit, limit])
        ),
        tooltip=[
            "jour:N",
            "créneau:N",
            alt.Tooltip("offered:Q", format=".1f", title="Appels"),
            alt.Tooltip("required:Q", title="Nécessaires"),
            alt.Tooltip("scheduled:Q", format=".1f", title="À planifier"),
            alt.Tooltip("staffed:Q", format=".1f", title="Présents"),
            alt.Tooltip("gap:Q", format=".1f", title="Écart"),
        ],
    )
    .properties(height=240)
)
widgets.downloads(table, "dimensionnement", "sizing")

st.subheader(
    f"Charge par jour : appels traités par conseiller (plafond {CEILING_CALLS_PER_ADVISOR_DAY})"
)
days = daily_load(table, data.kpis(f)["value"].get("answer_rate"))
days = days.assign(jour=days["weekday"].map(lambda d: DAYS[d - 1]))
bars = (
    alt.Chart(days)
    .mark_bar()
    .encode(
        x=alt.X("jour:O", sort=DAYS, title=None),
        y=alt.Y("calls_per_advisor:Q", title="Appels traités par conseiller"),
        tooltip=[
            "jour:N",
            alt.Tooltip("calls_per_advisor:Q", format=".1f"),
            alt.Tooltip("staffed:Q", format=".1f", title="Conseillers présents"),
        ],
    )
)
ceiling = (
    alt.Chart()
    .mark_rule(color="red", strokeDash=[6, 4])
    .encode(y=alt.datum(CEILING_CALLS_PER_ADVISOR_DAY))
)
widgets.chart(alt.layer(bars, ceiling, data=days))
widgets.downloads(days, "charge_par_jour", "daily_load")
