"""The small shared UI module: engine, cached queries, sidebar filters, charts, downloads.

Pages call only this module and the warehouse's KPI and query functions; no SQL here.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from sqlalchemy import make_url

from pages.shared import fmt
from warehouse.engine import duckdb_path, make_engine, warehouse_url
from warehouse.kpis import Filters, compute_all, queries, satisfaction, series
from warehouse.kpis.catalogue import kpi
from warehouse.kpis.costs import costs_by_nature
from warehouse.kpis.staffing import Target, sizing_table
from warehouse.load.setup import upgrade_if_needed
from warehouse.model.access import LOCAL, Access
from warehouse.report import exports

TTL = 600  # seconds a cached result lives; imports show up within ten minutes at worst
PERIODS = {
    "last_year": "Dernière année complète",
    "this_month": "Ce mois-ci",
    "last_month": "Mois dernier",
    "this_year": "Cette année",
    "last_12": "12 derniers mois",
    "custom": "Personnalisée",
}
FR_LOCALE = {
    "number": {
        "decimal": ",",
        "thousands": "\u202f",
        "grouping": [3],
        "currency": ["", "\u202f€"],
        "percent": "\u202f%",
    },
    "time": {
        "dateTime": "%A %e %B %Y à %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
        "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
        "months": fmt.MONTHS_LONG,
        "shortMonths": fmt.MONTHS,
    },
}


@st.cache_resource
def _checked(url: str) -> str:
    """The warehouse's URL, once its schema is brought up to date (a newer version added
    tables): checked once per process."""
    upgrade_if_needed(url)
    return url


@st.cache_resource
def _shared(url: str):
    """PostgreSQL: one engine and its pool for the process."""
    return make_engine(url, read_only=True)


_runs: dict[int, object] = {}  # thread id -> engine: Streamlit runs each script run in a thread


def engine():
    """The read-only engine of this script run. On DuckDB its one connection serves every
    query of the run (opening the file costs ~30 ms a time) and is closed when the run
    ends (:func:`release`, from ``app.py``), so that an import can take the file between
    two runs. PostgreSQL's engine is the process's."""
    url = _checked(warehouse_url())
    if duckdb_path(url) is None:
        return _shared(url)
    current = _runs.get(threading.get_ident())
    if current is None or current.url != make_url(url):
        release()
        current = _runs[threading.get_ident()] = make_engine(url, read_only=True, pooled=True)
    return current


def release(every: bool = False) -> None:
    """Close this run's DuckDB connection (the end of a script run); ``every`` run's (the
    tests, whose AppTest runs a page without ``app.py``)."""
    for ident in list(_runs) if every else [threading.get_ident()]:
        current = _runs.pop(ident, None)
        if current is not None:
            current.dispose()


# --- cached reads (keyed by the filters, which are hashable) ------------------------------


# The Synthèse's tiles, in their order (satisfaction is added when a survey is loaded).
SYNTHESE_TILES = (
    "offered_calls",
    "answer_rate",
    "service_level_90",
    "first_level_closure_calls",
    "calls_per_dwelling_month",
    "cost_per_dwelling_year",
    "commitment_kept",
    "capture_share.crl",
)


@st.cache_data(ttl=TTL, show_spinner=False)
def kpis(f: Filters, only: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The catalogue's values (``only`` some ids: fewer queries), indexed by id."""
    values = compute_all(engine(), f, only=only)
    return pd.DataFrame([k.as_dict() for k in values]).set_index("id")


@st.cache_data(ttl=TTL, show_spinner=False)
def call_series(f: Filters, grain: str) -> pd.DataFrame:
    return series.call_series(engine(), f, grain)


@st.cache_data(ttl=TTL, show_spinner=False)
def call_heatmap(f: Filters) -> pd.DataFrame:
    return series.call_heatmap(engine(), f)


@st.cache_data(ttl=TTL, show_spinner=False)
def call_breakdown(f: Filters, by: str) -> pd.DataFrame:
    return series.call_breakdown(engine(), f, by)


@st.cache_data(ttl=TTL, show_spinner=False)
def request_series(f: Filters, by: str) -> pd.DataFrame:
    return series.request_series(engine(), f, by)


@st.cache_data(ttl=TTL, show_spinner=False)
def capture_series(f: Filters, grain: str) -> pd.DataFrame:
    return series.capture_series(engine(), f, grain)


@st.cache_data(ttl=TTL, show_spinner=False)
def contact_mix(f: Filters) -> pd.DataFrame:
    return series.contact_mix(engine(), f)


@st.cache_data(ttl=TTL, show_spinner=False)
def sizing(f: Filters, target: Target) -> pd.DataFrame:
    return sizing_table(engine(), f, target)


@st.cache_data(ttl=TTL, show_spinner=False)
def agency_table(f: Filters) -> pd.DataFrame:
    return series.agency_table(engine(), f)


@st.cache_data(ttl=TTL, show_spinner=False)
def active_alerts(allowed: tuple[str, ...] | None) -> pd.DataFrame:
    """The alerts the last nightly check found crossed (``python -m warehouse alerts``)."""
    return queries.active_alerts(engine(), allowed)


@st.cache_data(ttl=TTL, show_spinner=False)
def events(f: Filters) -> pd.DataFrame:
    """The events of the period, drawn on the time series."""
    return queries.events(engine(), f.start, f.end)


@st.cache_data(ttl=TTL, show_spinner=False)
def survey(f: Filters) -> dict:
    """The Satisfaction page's figures (warehouse.kpis.satisfaction.overview)."""
    return satisfaction.overview(engine(), f)


@st.cache_data(ttl=TTL, show_spinner=False)
def open_requests(f: Filters, late_only: bool) -> pd.DataFrame:
    return queries.open_requests(engine(), f, late_only)


@st.cache_data(ttl=TTL, show_spinner=False)
def cost_natures(f: Filters) -> dict:
    with engine().connect() as conn:
        return costs_by_nature(conn, f)


@st.cache_data(ttl=TTL, show_spinner=False)
def reference(name: str) -> pd.DataFrame:
    """Small reference lists: agencies, channels, categories, coverage."""
    return {
        "agencies": queries.agencies,
        "channels": queries.channels,
        "categories": queries.categories,
        "coverage": queries.coverage,
    }[name](engine())


@st.cache_data(ttl=TTL, show_spinner=False)
def loads(name: str, allowed_agencies: tuple[str, ...] | None) -> pd.DataFrame:
    """The load history or the quarantine, as far as ``allowed_agencies`` may see."""
    read = {"history": queries.load_history_frame, "quarantine": queries.quarantine_frame}[name]
    return read(engine(), allowed_agencies=allowed_agencies)


@st.cache_data(ttl=TTL, show_spinner=False)
def data_period() -> tuple[date, date] | None:
    return queries.data_period(engine())


@st.cache_data(ttl=TTL, show_spinner=False)
def last_import():
    return queries.last_import(engine())


# --- the period ------------------------------------------------------------------------


def period_bounds(choice: str, today: date, custom: tuple[date, date]) -> tuple[date, date]:
    """The dates of a quick choice, counted from ``today`` (the calendar's today, not the
    last day of loaded data: « Ce mois-ci » is this month)."""
    first_of_month = today.replace(day=1)
    if choice == "this_month":
        return first_of_month, today
    if choice == "last_month":
        end = first_of_month - timedelta(days=1)
        return end.replace(day=1), end
    if choice == "this_year":
        return date(today.year, 1, 1), today
    if choice == "last_12":
        year, month = today.year, today.month - 11
        if month <= 0:
            year, month = year - 1, month + 12
        return date(year, month, 1), today
    if choice == "custom":
        return custom
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)  # the last full year


# --- a page's own choices, kept in the URL ---------------------------------------------


def url_index(param: str, options: list, default: int = 0) -> int:
    """The index of the option the URL names (``?granularite=week``), else ``default``:
    a page's own choices survive a reload and travel with a shared link."""
    wanted = st.query_params.get(param)
    values = [str(o) for o in options]
    return values.index(wanted) if wanted in values else default


def keep_in_url(param: str, value) -> None:
    if st.query_params.get(param) != str(value):
        st.query_params[param] = str(value)


# --- charts and downloads ---------------------------------------------------------------


def chart(c: alt.Chart, key: str | None = None):
    """French numbers and dates; legends below the chart, never cut, never eating the
    width of a phone's screen. With a ``key``, the chart's selections rerun the page and
    the event is returned (drill-down)."""
    configured = c.configure(locale=FR_LOCALE).configure_legend(
        orient="bottom", labelLimit=0, symbolLimit=0, columns=4
    )
    if key is None:
        st.altair_chart(configured, width="stretch")
        return None
    return st.altair_chart(configured, width="stretch", key=key, on_select="rerun")


def picked(event, name: str) -> dict | None:
    """The first point a chart's selection ``name`` holds, as {field: value}; None."""
    if event is None:
        return None
    points = (event.get("selection") or {}).get(name) or []
    return points[0] if points else None


def drill(state: dict, params: dict | None = None, forget: tuple[str, ...] = ()) -> None:
    """Filter the page to what was clicked: the sidebar applies ``state`` before drawing
    its widgets (so the URL follows), the page's own choices start from ``params``."""
    st.session_state["_drill"] = state
    for key in forget:
        st.session_state.pop(key, None)
    for param, value in (params or {}).items():
        st.query_params[param] = value
    st.rerun()


def agency_labels() -> dict[str, str]:
    """``AG01 – Nord`` by agency code (the code alone when the agency has no name)."""
    return queries.agency_labels(reference("agencies"))


def kpi_help(kpi_id: str) -> str:
    """A tile's help: the catalogue's definition and reference (sigles: the Glossaire)."""
    k = kpi(kpi_id)
    reference = f" Référence : {k.reference}." if k.reference else ""
    return f"{k.definition}.{reference} Sigles et définitions : page Glossaire."


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes shown by their labels (channels, categories, request types and statuses)."""
    return exports.labelled(frame, {r: reference(r) for r in ("channels", "categories")})


def downloads(frame: pd.DataFrame, name: str, key: str) -> None:
    """The two downloads of a table, as an analyst can use them: French headers, codes by
    their labels, values rounded to what they mean; CSV for French Excel and XLSX with
    number formats; named after the table, the period and the filters."""
    refs = {r: reference(r) for r in ("channels", "categories")}
    table = exports.for_people(frame, refs)
    name = exports.file_name(name, st.session_state.get("filters"))
    left, right = st.columns(2)
    left.download_button(
        "Télécharger (CSV)",
        exports.csv_bytes(table),
        f"{name}.csv",
        "text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    right.download_button(
        "Télécharger (Excel)",
        exports.xlsx_bytes(table, name),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
    )


def empty(
    message: str = "Aucune donnée pour ces filtres : élargissez la période ou les filtres.",
) -> None:
    st.info(message)


def current_filters() -> Filters | None:
    """The filters drawn by ``app.py`` in the sidebar for this run.

    A page opened by its URL as the very first request of a server process runs through
    Streamlit's legacy ``pages/`` routing, without ``app.py`` (1.67 switches that routing
    off only once ``st.navigation`` has run). The page then hands over to ``app.py``,
    which comes back to it with the same URL parameters.
    """
    if "filters" not in st.session_state:
        st.session_state["_wanted_params"] = st.query_params.to_dict()
        st.session_state["_wanted_page"] = Path(_caller_file()).name
        st.switch_page("app.py")
    return st.session_state.get("filters")


def require_filters() -> Filters:
    """The page's filters; without any loaded data, a message and the page stops here."""
    f = current_filters()
    if f is None:
        empty(
            "Aucune donnée n'est chargée : importez des fichiers avec `python -m loaders import`."
        )
        st.stop()
    return f


def access() -> Access:
    """The session's access, resolved by ``app.py``."""
    return st.session_state.get("access", LOCAL)


def organisme_reference(f: Filters) -> Filters | None:
    """For a user limited to some agencies: the same period over their organisme (every
    agency of it), shown as a reference only. None for the other users."""
    allowed = access().agencies
    if allowed is None:
        return None
    organisme = scope_organisme(allowed)
    if organisme is None:
        return None
    return replace(f, organisme=organisme, agencies=(), allowed_agencies=None)


def scope_organisme(allowed: tuple[str, ...]) -> str | None:
    """The one organisme of a user's agencies; None when they span several, or none of
    them is in the warehouse (no reference then: the whole warehouse is no organisme)."""
    agencies = reference("agencies")
    organismes = agencies.loc[agencies["agency_code"].isin(allowed), "organisme"].dropna()
    return organismes.iloc[0] if organismes.nunique() == 1 else None


SLOT_LABELS = {s: f"{s // 2:02d}:{30 * (s % 2):02d}" for s in range(48)}


def _caller_file() -> str:
    """The page script on the call stack (a file of pages/, where no helper lives)."""
    import inspect

    pages = Path(__file__).parent.parent
    for frame in inspect.stack():
        if Path(frame.filename).parent == pages:
            return frame.filename
    raise RuntimeError("current_filters() must be called from a page of pages/")
