"""Appels: volumes, answer rate and service level, waits, heatmaps, out of hours."""

from datetime import date

import streamlit as st

from pages import call_charts, charts, data, fmt, state, widgets

GRAINS = {"day": "Jour", "week": "Semaine", "month": "Mois"}
DAYS = fmt.DAYS

st.title("Appels")
f = state.require_filters()
table = data.kpis(f)
values = table["value"]
if table.loc["answer_rate", "note"]:
    st.info(fmt.md(table.loc["answer_rate", "note"].capitalize()) + ".")
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

# A drill-down to a month's days sets the choice itself (the radio still said « Mois »
# while the chart showed days): the URL's choice is then no default to pass.
chosen_grain = (
    {}
    if "calls_grain" in st.session_state
    else {"index": widgets.url_index("granularite", list(GRAINS), 2)}
)
grain = st.radio(
    "Granularité",
    list(GRAINS),
    format_func=GRAINS.get,
    horizontal=True,
    key="calls_grain",
    **chosen_grain,
)
widgets.keep_in_url("granularite", grain)
frame = data.call_series(f, grain)
if frame.empty:
    widgets.empty()
    st.stop()
field = {"day": "day", "week": "iso_week", "month": "month"}[grain]
periods = charts.time_labels(frame, grain, field)
span = charts.span(periods.iloc[0], periods.iloc[-1])
st.subheader("Présentés, traités et perdus")
stacked = call_charts.drawn(frame, call_charts.VOLUMES)  # lost calls: none under a scope
events = data.events(f)
GRAIN_WORDS = {"day": "jour", "week": "semaine", "month": "mois"}
clicked = widgets.picked(
    widgets.chart(
        call_charts.volumes(frame, grain, field, events),
        "présentés, traités et perdus",
        (
            f"Barres empilées des appels traités et perdus par {GRAIN_WORDS[grain]}, {span} ; "
            "leur hauteur totale est celle des appels présentés."
            if len(stacked) == 2
            else f"Barres des appels traités (identifiés) par {GRAIN_WORDS[grain]}, {span}."
        ),
        frame.assign(période=periods)[
            ["période", "offered_calls", "answered_calls", "lost_calls"]
        ].rename(
            columns={
                "période": GRAIN_WORDS[grain].capitalize(),
                "offered_calls": "Présentés",
                "answered_calls": "Traités",
                "lost_calls": "Perdus",
            }
        ),
        {"Présentés": "calls", "Traités": "calls", "Perdus": "calls"},
        key="calls_bars" if grain != "day" else None,
    ),
    "pick",
)
if not events.empty:
    st.caption(charts.event_caption(events))
straddling = charts.iso_week_caption(frame, field) if grain == "week" else None
if straddling:
    st.caption(fmt.md(straddling))
if grain != "day":  # a click on a bar, or the same from the keyboard: the period's days
    bounds, _ = charts.time_x(frame, grain, field)
    choices = {row.période: (row.début, row.fin) for row in bounds.itertuples()}
    chosen = st.selectbox(
        f"Voir les jours d'un{'e' if grain == 'week' else ''} {GRAIN_WORDS[grain]}",
        list(choices),
        index=None,
        placeholder="Choisissez",
        key="calls_days_of",
    )
    st.caption(
        "Cliquez une barre du graphique, ou choisissez sa période dans la liste ci-dessus "
        "(au clavier : Tab, puis les flèches et Entrée), pour voir ses jours."
    )
    if chosen:
        start, end = choices[chosen]
        clicked = {"début": start, "fin": end}
if clicked:  # a month or a week: the page shows its days
    start, end = date.fromisoformat(clicked["début"]), date.fromisoformat(clicked["fin"])
    if (start, end) != (f.start, f.end):
        drilled = {"f_period": "custom", "f_start": start, "f_end": end, "calls_grain": "day"}
        widgets.drill(drilled, {"granularite": "day"}, forget=("calls_bars", "calls_days_of"))
st.subheader("Taux de décroché et niveau de service (ligne AFNOR : 80 % en 90 s)")
RATES = call_charts.RATES
if not call_charts.drawn(
    frame, RATES
):  # no rate has a meaning here (a scope: lost calls belong to no agency)
    widgets.empty("Aucun taux à tracer pour ces filtres.")
else:
    widgets.chart(
        call_charts.rates(frame, grain, field),
        "taux de décroché et niveau de service",
        f"Courbes du taux de décroché (trait plein, ronds) et du niveau de service à 90 s "
        f"(tirets, carrés) par {GRAIN_WORDS[grain]}, {span}, face à la ligne AFNOR de 80 %.",
        frame.assign(période=periods)[["période", *RATES]].rename(
            columns={"période": GRAIN_WORDS[grain].capitalize(), **RATES}
        ),
        dict.fromkeys(RATES.values(), "ratio"),
    )
widgets.downloads(frame, f"appels_par_{grain}", "appels_series")

st.subheader("Appels présentés et perdus par jour et demi-heure")
heat = data.call_heatmap(f)
if not heat.empty:
    drawn = [
        (m, t)
        for m, t in (("offered_calls", "Présentés"), ("lost_calls", "Perdus"))
        if heat[m].notna().any()
    ] or [("answered_calls", "Traités")]  # a scope: offered and lost calls have no value
    if len(drawn) == 1:
        st.caption(
            "Appels présentés et perdus : " + fmt.md(table.loc["offered_calls", "note"]) + "."
        )
    for measure, title in drawn:
        table = charts.week_cells(heat).pivot_table(
            index="créneau", columns="jour", values=measure, aggfunc="sum", fill_value=0
        )
        table = table[[d for d in DAYS if d in table.columns]].reset_index()
        widgets.chart(
            call_charts.heat(heat, measure, title),
            f"appels {title.lower()} par jour et demi-heure",
            f"Carte de chaleur des appels {title.lower()} par jour de la semaine et "
            "demi-heure, sur la période : plus la case est foncée, plus il y en a.",
            table.rename(columns={"créneau": "Demi-heure"}),
            dict.fromkeys(DAYS, "calls"),
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
