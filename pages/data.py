"""The dashboard's reads: the read-only engine of a script run and the cached results of
the KPI layer and the warehouse's queries, keyed by the filters (which are hashable).

No SQL here and no write: a warehouse that needs an upgrade is said, never upgraded.
"""

from __future__ import annotations

import threading
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import make_url

from warehouse.engine import WarehouseMissing, duckdb_path, make_engine, warehouse_url
from warehouse.kpis import (
    DEFAULT_SETTINGS,
    Filters,
    chases,
    compute_all,
    failure,
    queries,
    satisfaction,
    series,
)
from warehouse.kpis.costs import costs_by_nature
from warehouse.kpis.staffing import Target, sizing_table
from warehouse.model.catalog import check_current
from warehouse.model.catalog import is_demo as _is_demo

TTL = 600  # seconds a cached result lives; imports show up within ten minutes at worst


@st.cache_resource
def _checked(url: str) -> str:
    """The warehouse's URL, once its schema is found up to date: checked once per process.
    The dashboard never writes: a warehouse built by an earlier version raises
    :class:`SchemaOutdated`, whose message names the command that upgrades it (an
    exception is not cached, so the page works again as soon as it has run)."""
    path = duckdb_path(url)
    if path is not None and not path.exists():
        raise WarehouseMissing(path)
    reader = make_engine(url, read_only=True)
    try:
        check_current(reader)
    finally:
        reader.dispose()
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
    tests, between two AppTest runs)."""
    for ident in list(_runs) if every else [threading.get_ident()]:
        current = _runs.pop(ident, None)
        if current is not None:
            current.dispose()


def is_demo() -> bool:
    """Whether the warehouse holds the demo's invented data: every page and download says
    so."""
    return _demo(warehouse_url())


@st.cache_data(ttl=TTL, show_spinner=False)
def _demo(url: str) -> bool:
    return _is_demo(engine())


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
def failure_cells(f: Filters) -> list[dict]:
    """Failure demand's measures per month, week and motif (``failure.cells``): one query
    for the Motifs page's tiles, reasons and weeks, whichever motif is chosen."""
    with engine().connect() as conn:
        return failure.cells(conn, f, DEFAULT_SETTINGS)


@st.cache_data(ttl=TTL, show_spinner=False)
def failure_summary(f: Filters, family: str | None = None) -> dict:
    """Failure demand and its cost (``warehouse.kpis.failure.summary``), of one motif
    family when given."""
    cells = failure_cells(f)
    with engine().connect() as conn:
        return failure.summary(conn, f, DEFAULT_SETTINGS, family, cells)


@st.cache_data(ttl=TTL, show_spinner=False)
def reasons(f: Filters, level: str) -> pd.DataFrame:
    """The reasons table per motif family (``family``) or per motif (``motif``)."""
    cells = failure_cells(f)
    with engine().connect() as conn:
        rows = failure.reasons(conn, f, DEFAULT_SETTINGS, level, cells)
    columns = ["motif_family", *(["motif"] if level == "motif" else [])]
    return pd.DataFrame(rows, columns=None if rows else columns)


@st.cache_data(ttl=TTL, show_spinner=False)
def failure_weeks(f: Filters, family: str | None = None) -> pd.DataFrame:
    """Offered calls and failure-demand calls per ISO week (yyyyww)."""
    cells = failure_cells(f)
    with engine().connect() as conn:
        rows = failure.grouped(conn, f, DEFAULT_SETTINGS, ["iso_week"], family, cells)
    frame = pd.DataFrame(
        [
            {"iso_week": k[0], "offered": v["offered"], "failure": v["failure"]}
            for k, v in rows.items()
        ],
        columns=["iso_week", "offered", "failure"],
    ).sort_values("iso_week")
    return frame.assign(
        failure_share=frame["failure"] / frame["offered"].where(frame["offered"] > 0)
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def chase_categories(f: Filters) -> pd.DataFrame:
    """Request categories ranked by follow-ups per request (``warehouse.kpis.chases``)."""
    with engine().connect() as conn:
        return pd.DataFrame(chases.categories(conn, f, DEFAULT_SETTINGS))


@st.cache_data(ttl=TTL, show_spinner=False)
def chased_open_requests(f: Filters) -> pd.DataFrame:
    """The most-chased open requests at the end of the period (bounded)."""
    with engine().connect() as conn:
        return pd.DataFrame(chases.open_requests(conn, f, DEFAULT_SETTINGS))


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


def agency_labels() -> dict[str, str]:
    """``AG01 – Nord`` by agency code (the code alone when the agency has no name)."""
    return queries.agency_labels(reference("agencies"))
