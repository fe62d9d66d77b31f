"""The shared sidebar filters, kept across pages and written to the URL query string."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pages import data, fmt, state
from warehouse.kpis import Filters
from warehouse.model.access import Access
from warehouse.model.calendar import CALENDAR_START as FIRST_DAY
from warehouse.model.calendar import calendar_end

ALL = "(tous)"
# URL parameter -> widget key
PARAMS = {
    "periode": "f_period",
    "debut": "f_start",
    "fin": "f_end",
    "organisme": "f_org",
    "agences": "f_agencies",
    "canaux": "f_channels",
    "categories": "f_categories",
}
LISTS = {"agences", "canaux", "categories"}
DATES = {"debut", "fin"}


def _restore_from_url(options: dict[str, list[str]]) -> None:
    """Once per session, before the widgets exist: URL parameters -> widget state."""
    if st.session_state.get("f_restored"):
        return
    st.session_state["f_restored"] = True
    params = st.query_params
    for param, key in PARAMS.items():
        if param not in params:
            continue
        raw = params[param]
        try:
            if param in LISTS:
                allowed = options[param]
                value = [v for v in raw.split(",") if v in allowed]
            elif param in DATES:
                value = date.fromisoformat(raw)
                if param == "fin" and value > calendar_end():  # fin=2099-12-31
                    st.session_state["_end_asked"] = value  # brought back below, and said
                    value = calendar_end()
                elif not FIRST_DAY <= value <= calendar_end():
                    value = None  # outside the calendar: the default period stays
            elif param == "periode":
                value = raw if raw in state.PERIODS else None
            else:
                value = raw if raw in options["organisme"] else None
        except ValueError:
            continue
        if value is not None:
            st.session_state[key] = value


# A page's own choices (widgets.url_index / widgets.keep_in_url), kept when the filters are written.
PAGE_PARAMS = ("granularite", "evolution", "par", "retard", "agence", "classement", "motif")


def _write_url() -> None:
    state = st.session_state
    params = {"periode": state.get("f_period", "last_year")}
    params |= {p: st.query_params[p] for p in PAGE_PARAMS if p in st.query_params}
    if params["periode"] == "custom":
        params["debut"] = state["f_start"].isoformat()
        params["fin"] = state["f_end"].isoformat()
    if state.get("f_org", ALL) != ALL:
        params["organisme"] = state["f_org"]
    for param in LISTS:
        values = state.get(PARAMS[param]) or []
        if values:
            params[param] = ",".join(values)
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def _bring_back(last: date, today: date) -> None:
    """A custom end in the future (``fin=2099-12-31`` in a link, or a later day picked) is
    brought back to the last day with data, as the README promises, and the sidebar says
    so until the end is changed. A past end stays as asked (the stock of requests at the
    end of April is the end of April's); a period wholly after the data stays too: it has
    no data, and the pages say that."""
    session = st.session_state
    asked = session.pop("_end_asked", None) or session["f_end"]
    day = min(last, today)
    if asked <= today or session["f_start"] > day:
        return
    session["_end_note"] = (
        f"Fin demandée : {fmt.day(asked)} ; ramenée au {fmt.day(day)}, dernier jour chargé "
        "(rien n'est chargé au-delà)."
    )
    session["f_end"] = day


def sidebar_filters(access: Access) -> Filters | None:
    """Draw the filters, limited to what ``access`` may see (which the returned filters
    enforce in every query); None when no data is loaded at all."""
    period = data.data_period()
    sb = st.sidebar
    if period is None:
        sb.info("Aucune donnée d'appels ni de demandes n'est chargée.")
        return None
    first, last = period
    agencies = data.reference("agencies")
    if access.agencies is not None:
        agencies = agencies[agencies["agency_code"].isin(access.agencies)]
    channels = data.reference("channels")
    categories = data.reference("categories")
    codes = list(agencies["agency_code"])
    labels = dict(zip(channels["channel_code"], channels["channel_label"], strict=True))
    cat_labels = dict(zip(categories["category_code"], categories["category_label"], strict=True))
    organismes = sorted(agencies["organisme"].dropna().unique())
    _restore_from_url(
        {
            "agences": codes,
            "canaux": list(labels),
            "categories": list(cat_labels),
            "organisme": organismes,
        }
    )
    today = state.today()
    for key, value in st.session_state.pop("_drill", {}).items():  # a click on a chart
        st.session_state[key] = value
    default_start, default_end = state.period_bounds("last_year", today, (first, last))
    st.session_state.setdefault("f_start", default_start)
    st.session_state.setdefault("f_end", default_end)

    sb.header("Filtres")
    choice = sb.selectbox(
        "Période", list(state.PERIODS), format_func=state.PERIODS.get, key="f_period"
    )
    if choice == "custom":
        _bring_back(last, today)  # before the date inputs are drawn: they show the day used
        bounds = {"min_value": FIRST_DAY, "max_value": calendar_end()}
        sb.date_input("Du", key="f_start", format="DD/MM/YYYY", **bounds)
        sb.date_input("Au", key="f_end", format="DD/MM/YYYY", **bounds)
    start, end = state.period_bounds(
        choice, today, (st.session_state["f_start"], st.session_state["f_end"])
    )
    if end < start:
        sb.error("La fin de la période précède son début.")
        start, end = end, start
    if choice == "custom" and "_end_note" in st.session_state and end == min(last, today):
        sb.warning(st.session_state["_end_note"])  # until the end is changed
    else:
        st.session_state.pop("_end_note", None)
    sb.caption(f"Du {fmt.day(start)} au {fmt.day(end)}")
    organisme = sb.selectbox("Organisme", [ALL, *organismes], key="f_org")
    in_scope = [
        c
        for c in codes
        if organisme == ALL or agencies.set_index("agency_code").at[c, "organisme"] == organisme
    ]
    if st.session_state.get("f_agencies"):
        st.session_state["f_agencies"] = [
            a for a in st.session_state["f_agencies"] if a in in_scope
        ]
    chosen = sb.multiselect(
        "Agences",
        in_scope,
        key="f_agencies",
        format_func=data.agency_labels().get,
        placeholder="Toutes",
        select_all=False,  # none chosen is all; Streamlit's bulk action is English
    )
    chan = sb.multiselect(
        "Canaux",
        list(labels),
        key="f_channels",
        format_func=labels.get,
        placeholder="Tous",
        select_all=False,
    )
    cats = sb.multiselect(
        "Catégories de demandes",
        list(cat_labels),
        key="f_categories",
        format_func=cat_labels.get,
        placeholder="Toutes",
        select_all=False,
    )
    sb.caption(f"Données chargées du {fmt.day(first)} au {fmt.day(last)}.")
    imported = data.last_import()
    if imported is not None:
        sb.caption(
            f"Données à jour au {fmt.day(imported.date())} à {imported:%H:%M} (dernier import)."
        )
    _write_url()
    chosen_org = None if organisme == ALL else organisme
    f = Filters(start, end, chosen_org, tuple(chosen), tuple(chan), tuple(cats))
    return access.scope(f)
