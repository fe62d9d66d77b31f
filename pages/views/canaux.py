"""Canaux et captation: channel mix, capture share of complaints over time."""

import altair as alt
import streamlit as st

from pages import charts, data, fmt, state, widgets
from warehouse.kpis import measurable

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
            fmt.md(labels.get(kpi_id.split(".", 1)[1], kpi_id)), fmt.percent(row["value"])
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
    when = charts.time_field(grain, grain)
    capture, tooltip = charts.described(
        capture,
        [
            when,
            ("canal", "Canal", "text"),
            ("share", "Part", "ratio"),
            ("complaints", "Réclamations", "count"),
        ],
    )
    shares = (
        alt.Chart(capture)
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            x=x,
            y=alt.Y(
                "share:Q",
                stack="normalize",
                title="Part des réclamations",
                axis=alt.Axis(format="%"),
            ),
            color=charts.category_colour("canal", ORDER, capture["canal"], "Canal de saisie"),
            description=alt.Description(f"{charts.LABEL}:N"),
            tooltip=tooltip,
        )
    )
    events = data.events(f)
    marks = charts.event_marks(events, grain, grain, x)
    table = capture.pivot_table(
        index=when[0], columns="canal", values="share", aggfunc="sum", sort=False
    )
    table = table[[c for c in ORDER if c in table.columns]].reset_index()
    word = {"month": "mois", "year": "année"}[grain]
    widgets.chart(
        shares if marks is None else alt.layer(shares, marks),
        "part des réclamations par canal",
        f"Barres empilées à 100 % de la part des réclamations captée par chaque canal, par {word}.",
        table.rename(columns={when[0]: when[1]}),
        dict.fromkeys(ORDER, "ratio"),
    )
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
        title = by.capitalize()
        shown, tooltip = charts.described(
            frame, [(by, title, "text"), ("requests", "Demandes", "count")]
        )
        widgets.chart(
            alt.Chart(shown)
            .mark_bar()
            .encode(
                y=alt.Y(f"{by}:N", sort="-x", title=None),
                x=alt.X("requests:Q", title="Demandes"),
                description=alt.Description(f"{charts.LABEL}:N"),
                tooltip=tooltip,
            ),
            f"demandes par {by}",
            f"Barres des demandes créées par {by}, de la plus grande à la plus petite.",
            frame.sort_values("requests", ascending=False)[[by, "requests"]].rename(
                columns={by: title, "requests": "Demandes"}
            ),
            {"Demandes": "count"},
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
    shown, tooltip = charts.described(
        mix,
        [("canal", "Canal", "text"), ("contacts", "Contacts", "count"), ("part", "Part", "ratio")],
    )
    donut = alt.Chart(shown).encode(
        theta=alt.Theta("contacts:Q", stack=True),
        order=alt.Order("contacts:Q", sort="descending"),
        color=charts.category_colour("canal", ORDER, mix["canal"], "Canal"),
        tooltip=tooltip,
    )
    widgets.chart(
        donut.mark_arc(innerRadius=60, outerRadius=120, stroke="white").encode(
            description=alt.Description(f"{charts.LABEL}:N")
        )
        # The percentages beside the arcs repeat the arcs' labels: hidden from screen readers.
        + donut.mark_text(radius=140, size=13, aria=False).encode(
            text="étiquette:N", color=alt.value("black")
        ),
        "contacts par canal",
        "Anneau de la part des contacts de chaque canal (appels présentés au centre et "
        "lignes des registres d'accueil).",
        mix.sort_values("contacts", ascending=False)[["canal", "contacts", "part"]].rename(
            columns={"canal": "Canal", "contacts": "Contacts", "part": "Part"}
        ),
        {"Contacts": "count", "Part": "ratio"},
    )
    unmeasured = measurable.reason("offered_calls", f)
    st.caption(
        f"{fmt.number(mix['contacts'].sum())} contacts : "
        + (
            f"lignes des registres d'accueil ; appels présentés au centre : {fmt.md(unmeasured)}."
            if unmeasured
            else "appels présentés au centre et lignes des registres d'accueil."
        )
    )
    widgets.downloads(mix, "contacts_par_canal", "contact_mix")
