"""Dimensionnement: Erlang C advisors per weekday x half-hour against those staffed."""

import altair as alt
import streamlit as st

from pages import charts, data, fmt, state, widgets
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
limit = max(1.0, float(open_slots["gap"].abs().max()))
grid, cells = charts.week_grid(
    open_slots,
    alt.Color("gap:Q", title="Écart", scale=alt.Scale(scheme="redblue", domain=[-limit, limit])),
    [
        ("offered", "Appels", "decimal"),
        ("required", "Nécessaires", "count"),
        ("scheduled", "À planifier", "decimal"),
        ("staffed", "Présents", "decimal"),
        ("gap", "Écart", "decimal"),
    ],
)
COLUMNS = {
    "jour": "Jour",
    "créneau": "Demi-heure",
    "offered": "Appels",
    "required": "Nécessaires",
    "scheduled": "À planifier",
    "staffed": "Présents",
    "gap": "Écart",
}
widgets.chart(
    grid,
    "écart par jour et demi-heure",
    "Carte de chaleur, par jour de la semaine et demi-heure, des conseillers présents "
    "moins les conseillers à planifier : rouge, il en manque ; bleu, il y en a en plus.",
    cells[list(COLUMNS)].rename(columns=COLUMNS),
    {"Appels": "decimal", "Nécessaires": "calls", "À planifier": "decimal"}
    | {"Présents": "decimal", "Écart": "decimal"},
)
widgets.downloads(table, "dimensionnement", "sizing")

st.subheader(
    f"Charge par jour : appels traités par conseiller (plafond {CEILING_CALLS_PER_ADVISOR_DAY})"
)
days = daily_load(table, data.kpis(f)["value"].get("answer_rate"))
days = days.assign(jour=days["weekday"].map(lambda d: DAYS[d - 1]))
days, tooltip = charts.described(
    days,
    [
        ("jour", "Jour", "text"),
        ("calls_per_advisor", "Appels traités par conseiller", "decimal"),
        ("staffed", "Conseillers présents", "decimal"),
    ],
)
bars = (
    alt.Chart(days)
    .mark_bar()
    .encode(
        x=alt.X("jour:O", sort=DAYS, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("calls_per_advisor:Q", title="Appels traités par conseiller"),
        description=alt.Description(f"{charts.LABEL}:N"),
        tooltip=tooltip,
    )
)
ceiling = charts.reference_rule(
    CEILING_CALLS_PER_ADVISOR_DAY,
    f"Plafond : {CEILING_CALLS_PER_ADVISOR_DAY} appels traités par conseiller et par jour",
)
LOAD = {"jour": "Jour", "calls_per_advisor": "Appels traités par conseiller"}
LOAD |= {"staffed": "Conseillers présents"}
widgets.chart(
    alt.layer(bars, ceiling, data=days),
    "charge par jour",
    "Barres des appels traités par conseiller pour chaque jour de la semaine, face au "
    f"plafond de {CEILING_CALLS_PER_ADVISOR_DAY} par jour.",
    days[list(LOAD)].rename(columns=LOAD),
    {"Appels traités par conseiller": "decimal", "Conseillers présents": "decimal"},
)
widgets.downloads(days, "charge_par_jour", "daily_load")
