"""Appels: volumes, answer rate and service level, waits, heatmaps, out of hours."""

import altair as alt
import streamlit as st

from pages.shared import fmt, ui

GRAINS = {"day": "Jour", "week": "Semaine", "month": "Mois"}
DAYS = fmt.DAYS

st.title("Appels")
f = ui.require_filters()
table = ui.kpis(f)
values = table["value"]
if table.loc["answer_rate", "note"]:
    st.info(table.loc["answer_rate", "note"].capitalize() + ".")
cols = st.columns(6)
for col, (kpi_id, label, unit) in zip(
    cols,
    [
        ("offered_calls", "Présentés", "calls"),
        ("answered_calls", "Traités", "calls"),
        ("answer_rate", "Taux de décroché", "ratio"),
        ("service_level_90", "Niveau de service 90 s", "ratio"),
        ("asa_s", "Attente moyenne", "seconds"),
        ("aht_s", "Durée moyenne", "seconds"),
    ],
    strict=True,
):
    col.metric(label, fmt.by_unit(values.get(kpi_id), unit))
st.caption(
    f"Abandons : {fmt.percent(values.get('abandon_rate'))} · hors horaires : "
    f"{fmt.percent(values.get('out_of_hours_share'))} · niveau de service 60 s : "
    f"{fmt.percent(values.get('service_level_60'))} · réitération (même numéro sous 7 jours) : "
    f"{fmt.percent(values.get('repeat_call_rate'))}"
)

grain = st.radio(
    "Granularité", list(GRAINS), format_func=GRAINS.get, horizontal=True, index=2, key="calls_grain"
)
frame = ui.call_series(f, grain)
if frame.empty:
    ui.empty()
    st.stop()
x = {"day": "day:T", "week": "iso_week:O", "month": "month:T"}[grain]
st.subheader("Présentés, traités et perdus")
volumes = frame.melt(x.split(":")[0], ["answered_calls", "lost_calls"], "série", "appels")
volumes["série"] = volumes["série"].map({"answered_calls": "Traités", "lost_calls": "Perdus"})
ui.chart(
    alt.Chart(volumes)
    .mark_bar()
    .encode(
        x=alt.X(x, title=GRAINS[grain]),
        y=alt.Y("appels:Q", title="Appels", stack=True),
        color=alt.Color("série:N", title=None),
        tooltip=["série:N", alt.Tooltip("appels:Q", format=",")],
    )
)
st.subheader("Taux de décroché et niveau de service (ligne AFNOR : 80 % en 90 s)")
rates = frame.melt(x.split(":")[0], ["answer_rate", "service_level_90"], "série", "taux")
rates["série"] = rates["série"].map(
    {"answer_rate": "Taux de décroché", "service_level_90": "Niveau de service 90 s"}
)
line = (
    alt.Chart(rates)
    .mark_line(point=True)
    .encode(
        x=alt.X(x, title=GRAINS[grain]),
        y=alt.Y("taux:Q", title=None, axis=alt.Axis(format="%")),
        color=alt.Color("série:N", title=None),
        tooltip=["série:N", alt.Tooltip("taux:Q", format=".1%")],
    )
)
afnor = alt.Chart().mark_rule(strokeDash=[6, 4], color="red").encode(y=alt.datum(0.8))
ui.chart(alt.layer(line, afnor, data=rates))
ui.downloads(frame, f"appels_par_{grain}", "appels_series")

st.subheader("Appels présentés et perdus par jour et demi-heure")
heat = ui.call_heatmap(f)
if not heat.empty:
    slots = ui.SLOT_LABELS
    heat = heat.assign(
        jour=heat["weekday"].map(lambda d: DAYS[d - 1]), créneau=heat["slot"].map(slots)
    )
    for measure, title in (("offered_calls", "Présentés"), ("lost_calls", "Perdus")):
        ui.chart(
            alt.Chart(heat, title=title)
            .mark_rect()
            .encode(
                x=alt.X("créneau:O", title="Demi-heure", sort=list(slots.values())),
                y=alt.Y("jour:O", title=None, sort=DAYS, axis=alt.Axis(labelOverlap=False)),
                color=alt.Color(f"{measure}:Q", title="Appels"),
                tooltip=["jour:N", "créneau:N", alt.Tooltip(f"{measure}:Q", format=",")],
            )
            .properties(height=220)
        )
    ui.downloads(heat, "appels_jour_demi_heure", "appels_heat")

st.subheader("Appels sortants (à part)")
st.metric(
    "Appels sortants",
    fmt.number(frame["outbound_calls"].sum()),
    help="Rappels émis par le centre : hors appels présentés et hors taux.",
)
st.subheader("Par file")
queues = ui.call_breakdown(f, "queue")
if not queues.empty:
    st.dataframe(
        queues[
            [
                "queue",
                "offered_calls",
                "answered_calls",
                "answer_rate",
                "service_level_90",
                "outbound_calls",
            ]
        ].rename(
            columns={
                "queue": "File",
                "offered_calls": "Présentés",
                "answered_calls": "Traités",
                "answer_rate": "Taux de décroché",
                "service_level_90": "Niveau de service 90 s",
                "outbound_calls": "Sortants",
            }
        ),
        hide_index=True,
        column_config={
            "Taux de décroché": st.column_config.NumberColumn(format="percent"),
            "Niveau de service 90 s": st.column_config.NumberColumn(format="percent"),
            "Présentés": st.column_config.NumberColumn(format="localized"),
            "Traités": st.column_config.NumberColumn(format="localized"),
        },
    )
    ui.downloads(queues, "appels_par_file", "queues")
