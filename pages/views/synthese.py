"""Synthèse: KPI tiles for directors, against last year and the sector references."""

import altair as alt
import streamlit as st

from pages import charts, data, fmt, state, widgets
from warehouse.kpis import costs, measurable
from warehouse.kpis.catalogue import better, kpi, label

TILES = list(data.SYNTHESE_TILES)

st.title("Synthèse")
f = state.require_filters()
values = data.kpis(f)
if "satisfaction.global" in values.index:  # a survey is loaded: what tenants say
    TILES = [*TILES, "satisfaction.global"]
period = data.data_period()
compared = state.year_before(f, period[1] if period else None)
before = data.kpis(compared.before, data.SYNTHESE_TILES)  # the year before: its tiles only
scope_reference = state.organisme_reference(f)
organisme = None if scope_reference is None else data.kpis(scope_reference)


def days(n: int) -> str:
    return f"{n} jour{'s' * (n > 1)} ouvré{'s' * (n > 1)}"


now, then = compared.now, compared.before
uneven = compared.business_now != compared.business_before
same = "au même jour" if now.start == now.end else "aux mêmes jours"
cut = (
    f"Du {fmt.day(f.start)} au {fmt.day(f.end)}, données chargées jusqu'au "
    f"{fmt.day(now.end)} : du {fmt.day(now.start)} au {fmt.day(now.end)} "
    if now.end < f.end
    else f"Du {fmt.day(now.start)} au {fmt.day(now.end)} "
)
more = "plus" if compared.business_before > compared.business_now else "moins"
UNEVEN = (  # which period has more business days, and what it means for the volumes
    f" Un an plus tôt, il y a {more} de jours ouvrés : les volumes (appels, demandes) ne "
    "se comparent pas tels quels."
)
st.markdown(  # what is compared with what, business days included
    f"{cut}({days(compared.business_now)}), comparé {same} un an plus tôt : du "
    f"{fmt.day(then.start)} au {fmt.day(then.end)} ({days(compared.business_before)})."
    + (UNEVEN if uneven else "")
)
if period and period[0] > then.end:  # a first year: nothing to compare with, said
    st.caption(
        f"Pas d'évolution sur un an : les données chargées commencent le "
        f"{fmt.day(period[0])}, après le {fmt.day(then.end)}."
    )
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
blank_tiles: dict[str, list[str]] = {}  # one reason -> what each tile would wrongly read
for i, kpi_id in enumerate(TILES):
    row = values.loc[kpi_id] if kpi_id in values.index else None
    value = None if row is None else row["value"]
    old = before.loc[kpi_id]["value"] if kpi_id in before.index else None
    delta = fmt.change(value, old, kpi(kpi_id).unit)
    if kpi_id == "satisfaction.global":  # against the previous wave, not a year before
        survey = data.survey(f)
        old = next((r["rate"] for r in survey["before"] if r["theme"] == "global"), None)
        delta = fmt.change(value, old, "ratio", f"depuis {survey['previous']}")
    delta = fmt.judged(delta, value, old, better(kpi_id))  # good or bad in words too
    look = fmt.delta_look(delta, better(kpi_id))
    with rows[i // 4][i % 4]:
        st.metric(
            label(kpi_id),
            fmt.by_unit(value, kpi(kpi_id).unit),
            delta,
            **look,
            help=f"{fmt.md(kpi(kpi_id).definition)}. Référence : {fmt.md(kpi(kpi_id).reference or '—')}",
        )
        if delta and uneven and kpi(kpi_id).unit in ("calls", "requests"):  # like with like?
            st.caption(
                f"Évolution sur {days(compared.business_now)} contre "
                f"{fmt.number(compared.business_before)} un an plus tôt."
            )
        badge = fmt.badge(kpi(kpi_id).target, value)
        if badge:  # in plain text: a badge inside a caption's faded text fell under 3:1
            st.markdown(badge)
        reference = per_dwelling(value) if kpi_id == "offered_calls" else kpi(kpi_id).reference
        if reference:
            st.caption(reference)
        if row is not None and row["note"] and (value is None or value != value):
            found = measurable.unmeasured(kpi_id, f)
            if found:  # said once, under the tiles
                why, would = found
                blank_tiles.setdefault(why.removeprefix(measurable.UNMEASURED), []).append(
                    f"{label(kpi_id)}{' : ' + would if would else ''}"
                )
                st.caption("Non mesuré (raison sous les indicateurs).")
            else:
                st.caption(fmt.md(row["note"].capitalize()) + ".")
        elif row is not None and row["note"] == costs.ALLOCATED:  # an agency's share
            st.caption(f"Coûts : {fmt.md(costs.ALLOCATED)}.")
        if (
            organisme is not None
            and kpi_id in organisme.index
            and not measurable.reason(kpi_id, scope_reference)
        ):
            st.caption(
                f"Référence organisme : "
                f"{fmt.by_unit(organisme.loc[kpi_id]['value'], kpi(kpi_id).unit)}"
            )

for why, tiles in blank_tiles.items():  # the reason, then a line per tile (was one sentence)
    st.caption(
        f"Non mesuré : {fmt.md(why)}.\n\n"
        + ("Ils se liraient ainsi :\n" if len(tiles) > 1 else "Il se lirait ainsi :\n")
        + "".join(f"\n- {fmt.md(t)}" for t in tiles)
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
    volumes = volumes.dropna(subset=["appels"])  # offered calls: none under a scope
    names = [n for n in ("Présentés", "Traités") if n in set(volumes["série"])]
    # Months as whole bands with their French name: a time axis labelled "%b %Y" repeated
    # a month's name under every tick of a short period, and shifted the labels of longer.
    volumes, x = charts.time_x(volumes, "month", "month")
    volumes, tooltip = charts.described(
        volumes,
        [
            charts.time_field("month", "month"),
            ("série", "Série", "text"),
            ("appels", "Appels", "count"),
        ],
    )
    events = data.events(f)
    marks = charts.event_marks(events, "month", "month", x)
    trend = charts.series_lines(volumes, x, alt.Y("appels:Q", title="Appels"), names, tooltip)
    first, last = (fmt.month(m) for m in (months["month"].min(), months["month"].max()))
    widgets.chart(
        trend if marks is None else alt.layer(trend, marks),
        "tendances mensuelles",
        f"Courbes des appels {' et '.join(n.lower() for n in names)} par mois, "
        f"{charts.span(first, last)}.",
        months.assign(mois=months["month"].map(fmt.month))[
            ["mois", "offered_calls", "answered_calls"]
        ].rename(
            columns={"mois": "Mois", "offered_calls": "Présentés", "answered_calls": "Traités"}
        ),
        {"Présentés": "calls", "Traités": "calls"},
    )
    if not events.empty:
        st.caption(charts.event_caption(events))
    if len(names) < 2:  # the reason is said under the tiles
        st.caption(
            "Seuls les appels traités sont tracés : les appels présentés ne sont pas "
            "mesurés pour ce périmètre."
        )
    widgets.downloads(months, "tendances_mensuelles", "synthese_mois")
