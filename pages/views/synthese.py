"""Synthèse: KPI tiles for directors, against last year and the sector references."""

import altair as alt
import streamlit as st

from pages import charts, data, fmt, state, widgets
from warehouse.kpis.catalogue import better, kpi

TILES = list(data.SYNTHESE_TILES)

st.title("Synthèse")
f = state.require_filters()
values = data.kpis(f)
if "satisfaction.global" in values.index:  # a survey is loaded: what tenants say
    TILES = [*TILES, "satisfaction.global"]
before = data.kpis(f.shifted_years(1), data.SYNTHESE_TILES)  # the year before: its tiles only
scope_reference = state.organisme_reference(f)
organisme = None if scope_reference is None else data.kpis(scope_reference)
st.caption(f"Du {fmt.day(f.start)} au {fmt.day(f.end)}, comparé à la même période un an plus tôt.")
if state.access().agencies is not None and scope_reference is None:
    st.caption(
        "Pas de référence organisme : vos agences relèvent de plusieurs organismes, ou "
        "aucune ne figure encore dans l'entrepôt."
    )

alerts = data.active_alerts(state.access().agencies)
if not alerts.empty:
    with st.container(border=True, key="alerts"):
        st.markdown(f"**{len(alerts)} alerte(s) active(s)** (contrôle de la nuit)")
        for a in alerts.itertuples():
            since = fmt.day(a.since_at.date())
            st.markdown(f":red-badge[alerte] {fmt.md(a.message)}, depuis le {since}")


def per_dwelling(offered) -> str:
    """The sector's 0.5 to 1 call per dwelling and month, as this landlord's volume for the
    period (another landlord's call count means nothing here)."""
    low, high = kpi("calls_per_dwelling_month").target
    if "calls_per_dwelling_month" not in values.index:
        return ""
    rate = values.loc["calls_per_dwelling_month"]["value"]
    if offered is None or offered != offered or not rate or rate != rate:
        return ""
    dwelling_months = offered / rate
    return (
        f"Référence pour votre parc : {fmt.number(low * dwelling_months)} à "
        f"{fmt.number(high * dwelling_months)} appels (0,5 à 1 par logement et par mois)"
    )


# Rows of four tiles: a phone stacks each row's columns, so the tiles keep their order.
rows = [st.columns(4) for _ in range(0, len(TILES), 4)]
for i, kpi_id in enumerate(TILES):
    row = values.loc[kpi_id] if kpi_id in values.index else None
    value = None if row is None else row["value"]
    old = before.loc[kpi_id]["value"] if kpi_id in before.index else None
    delta = fmt.change(value, old, kpi(kpi_id).unit)
    if kpi_id == "satisfaction.global":  # against the previous wave, not a year before
        survey = data.survey(f)
        old = next((r["rate"] for r in survey["before"] if r["theme"] == "global"), None)
        delta = fmt.change(value, old, "ratio", f"depuis {survey['previous']}")
    colour = fmt.delta_colour(better(kpi_id))
    with rows[i // 4][i % 4]:
        label = kpi(kpi_id).label + {
            "capture_share.crl": " (centre)",
            "satisfaction.global": " globale",
        }.get(kpi_id, "")
        st.metric(
            label,
            fmt.by_unit(value, kpi(kpi_id).unit),
            delta,
            delta_color=colour,
            help=f"{kpi(kpi_id).definition}. Référence : {kpi(kpi_id).reference or '—'}",
        )
        reference = per_dwelling(value) if kpi_id == "offered_calls" else kpi(kpi_id).reference
        st.caption(" ".join(x for x in (fmt.badge(kpi(kpi_id).target, value), reference) if x))
        if row is not None and row["note"] and (value is None or value != value):
            st.caption(fmt.md(row["note"].capitalize()) + ".")
        if organisme is not None and kpi_id in organisme.index:
            st.caption(
                f"Référence organisme : "
                f"{fmt.by_unit(organisme.loc[kpi_id]['value'], kpi(kpi_id).unit)}"
            )

st.subheader("Tendances mensuelles")
months = data.call_series(f, "month")
if months.empty:
    widgets.empty()
else:
    volumes = months.melt("month", ["offered_calls", "answered_calls"], "série", "appels")
    volumes["série"] = volumes["série"].map(
        {"offered_calls": "Présentés", "answered_calls": "Traités"}
    )
    events = data.events(f)
    x = alt.X("month:T", title="Mois", axis=alt.Axis(format="%b %Y"))
    marks = charts.event_marks(events, "day", "month", x)
    trend = (
        alt.Chart(volumes)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("appels:Q", title="Appels"),
            color=charts.series_colour(["Présentés", "Traités"]),
            tooltip=[
                alt.Tooltip("month:T", format="%B %Y", title="Mois"),
                alt.Tooltip("série:N", title="Série"),
                alt.Tooltip("appels:Q", format=",", title="Appels"),
            ],
        )
    )
    widgets.chart(trend if marks is None else alt.layer(trend, marks))
    if not events.empty:
        st.caption(charts.event_caption(events))
    widgets.downloads(months, "tendances_mensuelles", "synthese_mois")
