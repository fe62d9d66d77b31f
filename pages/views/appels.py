"""Appels: volumes, answer rate and service level, waits, heatmaps, out of hours."""

from datetime import date

import altair as alt
import streamlit as st

from pages import charts, data, fmt, state, widgets

GRAINS = {"day": "Jour", "week": "Semaine", "month": "Mois"}
DAYS = fmt.DAYS

st.title("Appels")
f = state.require_filters()
table = data.kpis(f)
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
    col.metric(label, fmt.by_unit(values.get(kpi_id), unit), help=widgets.kpi_help(kpi_id))
st.caption(
    f"Abandons : {fmt.percent(values.get('abandon_rate'))} · hors horaires : "
    f"{fmt.percent(values.get('out_of_hours_share'))} · niveau de service 60 s : "
    f"{fmt.percent(values.get('service_level_60'))} · réitération (même numéro sous 7 jours) : "
    f"{fmt.percent(values.get('repeat_call_rate'))}"
)

grain = st.radio(
    "Granularité",
    list(GRAINS),
    format_func=GRAINS.get,
    horizontal=True,
    index=widgets.url_index("granularite", list(GRAINS), 2),
    key="calls_grain",
)
widgets.keep_in_url("granularite", grain)
frame = data.call_series(f, grain)
if frame.empty:
    widgets.empty()
    st.stop()
field = {"day": "day", "week": "iso_week", "month": "month"}[grain]
st.subheader("Présentés, traités et perdus")
volumes = frame.melt(field, ["answered_calls", "lost_calls"], "série", "appels")
volumes["série"] = volumes["série"].map({"answered_calls": "Traités", "lost_calls": "Perdus"})
volumes, x = charts.time_x(volumes, grain, field)
pick = alt.selection_point(fields=["début", "fin"], name="pick")
bars = (
    alt.Chart(volumes)
    .mark_bar()
    .encode(
        x=x,
        y=alt.Y("appels:Q", title="Appels", stack=True),
        color=charts.series_colour(["Traités", "Perdus"]),
        tooltip=[
            charts.time_tooltip(grain, field),
            alt.Tooltip("série:N", title="Série"),
            alt.Tooltip("appels:Q", format=",", title="Appels"),
        ],
    )
    .add_params(pick)
)
events = data.events(f)
marks = charts.event_marks(events, grain, field, x)
clicked = widgets.picked(
    widgets.chart(
        bars if marks is None else alt.layer(bars, marks),
        key="calls_bars" if grain != "day" else None,
    ),
    "pick",
)
if not events.empty:
    st.caption(charts.event_caption(events))
if clicked:  # a month or a week: the page shows its days
    start, end = date.fromisoformat(clicked["début"]), date.fromisoformat(clicked["fin"])
    if (start, end) != (f.start, f.end):
        state = {"f_period": "custom", "f_start": start, "f_end": end}
        widgets.drill(state, {"granularite": "day"}, forget=("calls_grain", "calls_bars"))
if grain != "day":
    st.caption("Cliquez une barre pour voir ses jours.")
st.subheader("Taux de décroché et niveau de service (ligne AFNOR : 80 % en 90 s)")
rates = frame.melt(field, ["answer_rate", "service_level_90"], "série", "taux")
rates["série"] = rates["série"].map(
    {"answer_rate": "Taux de décroché", "service_level_90": "Niveau de service 90 s"}
)
rates, x = charts.time_x(rates, grain, field)
line = (
    alt.Chart(rates)
    .mark_line(point=True)
    .encode(
        x=x,
        y=alt.Y("taux:Q", title=None, axis=alt.Axis(format="%")),
        color=charts.series_colour(["Taux de décroché", "Niveau de service 90 s"]),
        tooltip=[
            charts.time_tooltip(grain, field),
            alt.Tooltip("série:N", title="Série"),
            alt.Tooltip("taux:Q", format=".1%", title="Taux"),
        ],
    )
)
afnor = alt.Chart().mark_rule(strokeDash=[6, 4], color="red").encode(y=alt.datum(0.8))
widgets.chart(alt.layer(line, afnor, data=rates))
widgets.downloads(frame, f"appels_par_{grain}", "appels_series")

st.subheader("Appels présentés et perdus par jour et demi-heure")
heat = data.call_heatmap(f)
if not heat.empty:
    slots = widgets.SLOT_LABELS
    heat = heat.assign(
        jour=heat["weekday"].map(lambda d: DAYS[d - 1]), créneau=heat["slot"].map(slots)
    )
    for measure, title in (("offered_calls", "Présentés"), ("lost_calls", "Perdus")):
        widgets.chart(
            alt.Chart(heat, title=title)
            .mark_rect()
            .encode(
                x=alt.X("créneau:O", title="Demi-heure", sort=list(slots.values())),
                y=alt.Y("jour:O", title=None, sort=DAYS, axis=alt.Axis(labelOverlap=False)),
                color=alt.Color(f"{measure}:Q", title="Appels"),
                tooltip=[
                    alt.Tooltip("jour:N", title="Jour"),
                    alt.Tooltip("créneau:N", title="Demi-heure"),
                    alt.Tooltip(f"{measure}:Q", format=",", title=title),
                ],
            )
            .properties(height=220)
        )
    widgets.downloads(heat, "appels_jour_demi_heure", "appels_heat")

st.subheader("Appels sortants (à part)")
st.metric(
    "Appels sortants",
    fmt.number(frame["outbound_calls"].sum()),
    help="Rappels émis par le centre : hors appels présentés et hors taux.",
)
st.subheader("Par file")
queues = data.call_breakdown(f, "queue")
if not queues.empty:
    table = queues[
        ["queue", "offered_calls", "answered_calls", "answer_rate", "service_level_90"]
        + ["outbound_calls"]
    ].rename(
        columns={
            "queue": "File",
            "offered_calls": "Présentés",
            "answered_calls": "Traités",
            "answer_rate": "Taux de décroché",
            "service_level_90": "Niveau de service 90 s",
            "outbound_calls": "Sortants",
        }
    )
    units = {"Présentés": "calls", "Traités": "calls", "Sortants": "calls"}
    units |= {"Taux de décroché": "ratio", "Niveau de service 90 s": "ratio"}
    st.dataframe(fmt.shown(table, units), hide_index=True)
    widgets.downloads(queues, "appels_par_file", "queues")
