"""The default view kept warm: a director opening the dashboard in the morning, after the
nightly import, finds the Synthèse already computed.

Cached results live ``data.TTL`` seconds for every session of the process. A thread of the
dashboard process asks for the default view (the sidebar's lists, the Synthèse over the
last full year, every agency) every ``PILOTAGE_WARM_S`` seconds: a hit costs nothing, and
an entry that expired (or new data after an import) is computed again by the thread, not
by the next visitor.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import date

import streamlit as st

from pages import data, state
from warehouse import config
from warehouse.kpis import Filters

LOG = logging.getLogger(__name__)


def interval() -> float:
    """``PILOTAGE_WARM_S``: seconds between two checks; 0 turns the warming off."""
    return float(config.get("PILOTAGE_WARM_S"))


def warm_default_view(today: date | None = None) -> Filters | None:
    """Compute what a director's first visit computes: the sidebar's lists and data period,
    then the Synthèse over the default period (the last full year) for every agency.
    Returns those filters (None when nothing is loaded)."""
    period = data.data_period()
    if period is None:
        return None
    for name in ("agencies", "channels", "categories"):
        data.reference(name)
    data.last_import()
    start, end = state.period_bounds("last_year", today or date.today(), period)
    f = Filters(start, end, allowed_agencies=None)
    values = data.kpis(f)
    data.kpis(f.shifted_years(1), data.SYNTHESE_TILES)
    data.call_series(f, "month")
    data.events(f)
    data.active_alerts(None)
    if "satisfaction.global" in values.index:
        data.survey(f)
    return f


def _loop(seconds: float) -> None:
    while True:
        try:
            warm_default_view()
        except Exception:  # noqa: BLE001 - a failed warm-up must not stop the next one
            LOG.exception("warming the default view failed")
        finally:
            data.release()  # the thread's DuckDB connection: imports may take the file
        time.sleep(seconds)


@st.cache_resource
def start(seconds: float) -> threading.Thread | None:
    """Start the warming thread once per process (none when ``seconds`` is 0)."""
    if seconds <= 0:
        return None
    thread = threading.Thread(target=_loop, args=(seconds,), name="pilotage-warm", daemon=True)
    thread.start()
    return thread
