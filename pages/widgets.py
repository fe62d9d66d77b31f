"""Widgets the pages share: charts with French formats, drill-downs, a page's own choices
kept in the URL, the two downloads of a table, tile help, the empty-data message."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from pages import data, fmt
from warehouse.kpis.catalogue import kpi
from warehouse.report import exports

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


SLOT_LABELS = {s: f"{s // 2:02d}:{30 * (s % 2):02d}" for s in range(48)}


def url_index(param: str, options: list, default: int = 0) -> int:
    """The index of the option the URL names (``?granularite=week``), else ``default``:
    a page's own choices survive a reload and travel with a shared link."""
    wanted = st.query_params.get(param)
    values = [str(o) for o in options]
    return values.index(wanted) if wanted in values else default


def keep_in_url(param: str, value) -> None:
    if st.query_params.get(param) != str(value):
        st.query_params[param] = str(value)


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


def kpi_help(kpi_id: str) -> str:
    """A tile's help: the catalogue's definition and reference (sigles: the Glossaire)."""
    k = kpi(kpi_id)
    reference = f" Référence : {k.reference}." if k.reference else ""
    return f"{k.definition}.{reference} Sigles et définitions : page Glossaire."


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes shown by their labels (channels, categories, request types and statuses)."""
    return exports.labelled(frame, {r: data.reference(r) for r in ("channels", "categories")})


def downloads(frame: pd.DataFrame, name: str, key: str) -> None:
    """The two downloads of a table, as an analyst can use them: French headers, codes by
    their labels, values rounded to what they mean; CSV for French Excel and XLSX with
    number formats; named after the table, the period and the filters."""
    refs = {r: data.reference(r) for r in ("channels", "categories")}
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
