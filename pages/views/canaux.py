"""Canaux et captation: channel mix, capture share of complaints over time."""

import altair as alt
import streamlit as st

from pages import charts, data, fmt, state, widgets

st.title("Canaux et captation")
f = state.require_filters()
labels = dict(data.reference("channels")[["channel_code", "channel_label"]].values)
categories = dict(data.reference("categories")[["category_code", "category_label"]].values)
ORDER = list(labels.values())  # every channel keeps one colour on the page
values = data.kpis(f)
shares = values[values.index.str.startswith("capture_share.")]
st.subheader("Où sont captées les réclamations")
if shares.empty:
    widgets.empty("Aucune réclamation sur la période.")
else:
    cols = st.columns(min(len(shares), 4))
    for i, (kpi_id, row) in enumerate(shares.sort_values("value", ascending=False).iterrows()):
        cols[i % len(cols)].metric(
            labels.get(kpi_id.split(".", 1)[1], kpi_id), fmt.percent(row["value"])
        )
    st.caption("Référence NMH 2015 : CRL 24 %, agences plus de 75 %.")

grain = st.radio(
    "Évolution par",
    ["month", "year"],
    horizontal=True,
    key="capture_grain",
    format_func={"month": "Mois", "year": "Année"}.get,
    index=widgets.url_index("evolution", ["month", "year"], 1),
)
widgets.keep_in_url("evolution", grain)
capture = data.capture_series(f, grain)
if not capture.empty:
    capture = capture.assign(canal=capture["channel"].map(labels))
    capture, x = charts.time_x(capture, grain, grain)
    shares = (
        alt.Chart(capture)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y(
                "share:Q",
                stack="normalize",
                title="Part des réclamations",
                axis=alt.Axis(format="%"),
            ),
            color=charts.category_colour("canal", ORDER, capture["canal"], "Canal de saisie"),
            tooltip=[
                charts.time_tooltip(grain, grain),
                alt.Tooltip("canal:N", title="Canal"),
                alt.Tooltip("share:Q", format=".1%", title="Part"),
                alt.Tooltip("complaints:Q", format=",", title="Réclamations"),
            ],
        )
    )
    events = data.events(f)
    marks = charts.event_marks(events, grain, grain, x)
    widgets.chart(shares if marks is None else alt.layer(shares, marks))
    if not events.empty:
        st.caption(charts.event_caption(events))
    widgets.downloads(capture, f"captation_par_{grain}", "capture")

st.subheader("Demandes par canal et par catégorie")
by_channel = data.request_series(f, "channel")
by_category = data.request_series(f, "category")
left, right = st.columns(2)
if by_channel.empty:
    widgets.empty()
else:
    by_channel = by_channel.assign(canal=by_channel["channel"].map(labels))

    def requests_bars(frame, by: str) -> None:
        """Requests per value of ``by``, largest first."""
        widgets.chart(
            alt.Chart(frame)
            .mark_bar()
            .encode(
                y=alt.Y(f"{by}:N", sort="-x", title=None),
                x=alt.X("requests:Q", title="Demandes"),
                tooltip=[
                    alt.Tooltip(f"{by}:N", title=by.capitalize()),
                    alt.Tooltip("requests:Q", format=",", title="Demandes"),
                ],
            )
        )

    with left:
        requests_bars(by_channel, "canal")
    with right:
        requests_bars(
            by_category.assign(catégorie=by_category["category"].map(categories)), "catégorie"
        )
    widgets.downloads(by_channel, "demandes_par_canal", "req_channel")
    widgets.downloads(by_category, "demandes_par_categorie", "req_category")

st.subheader("Contacts par canal : centre d'appels, agences, gardiens, écrits")
mix = data.contact_mix(f)
if mix.empty:
    widgets.empty()
else:
    mix = mix.assign(canal=mix["channel"].map(labels), part=mix["contacts"] / mix["contacts"].sum())
    mix = mix.assign(étiquette=mix["part"].map(lambda p: fmt.percent(p, 0) if p >= 0.03 else ""))
    donut = alt.Chart(mix).encode(
        theta=alt.Theta("contacts:Q", stack=True),
        order=alt.Order("contacts:Q", sort="descending"),
        color=charts.category_colour("canal", ORDER, mix["canal"], "Canal"),
        tooltip=[
            alt.Tooltip("canal:N", title="Canal"),
            alt.Tooltip("contacts:Q", format=",", title="Contacts"),
            alt.Tooltip("part:Q", format=".1%", title="Part"),
        ],
    )
    widgets.chart(
        donut.mark_arc(innerRadius=60, outerRadius=120)
        + donut.mark_text(radius=140, size=13).encode(text="étiquette:N", color=alt.value("black"))
    )
    st.caption(
        f"{fmt.number(mix['contacts'].sum())} contacts : appels présentés au centre et "
        "lignes des registres d'accueil."
    )
    widgets.downloads(mix, "contacts_par_canal", "contact_mix")
