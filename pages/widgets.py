"""Widgets the pages share: charts with French formats, a description and their data as a
table, drill-downs, a page's own choices kept in the URL, the two downloads of a table,
tile help, the empty-data message."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from pages import data, fmt
from warehouse.kpis.catalogue import kpi
from warehouse.model.catalog import DEMO_MARK
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

INK = "#333333"  # a chart's words at 12.6:1 on white (Streamlit's chart theme greys them)
# The chart's height is its plot's; axes and legends add to it (Streamlit's default, "fit",
# squeezes them into the height: a heatmap was left a few pixels high, a bar none).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


# RGAA 10.7 / WCAG 2.4.7: where the keyboard is, seen at once. Streamlit marks a focused
# page link or chart button by a faint grey background only. A tile's label and change
# wrap instead of being cut (Streamlit ends them with « … » on one line: « Taux de
# captation des réclamati… » on a row of four, « depuis 2024, défavora… »).
PAGE_STYLE = """<style>
:focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; }
[data-testid="stMetricLabel"] div, [data-testid="stMetricLabel"] p,
[data-testid="stMetricDelta"] div, [data-testid="stMetricDelta"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
</style>"""


def page_style() -> None:
    """A plain focus ring on whatever the keyboard reaches, tile labels whole (drawn once
    per run by app.py)."""
    st.html(PAGE_STYLE)


def url_index(param: str, options: list, default: int = 0) -> int:
    """The index of the option the URL names (``?granularite=week``), else ``default``:
    a page's own choices survive a reload and travel with a shared link."""
    wanted = st.query_params.get(param)
    values = [str(o) for o in options]
    return values.index(wanted) if wanted in values else default


def keep_in_url(param: str, value) -> None:
    if st.query_params.get(param) != str(value):
        st.query_params[param] = str(value)


@functools.cache
def chart_config() -> alt.Config:
    """The configuration every chart gets, built once: each ``configure_*`` of Altair
    builds and validates its object again (0.1 s a page of three charts at every run)."""
    return (
        alt.Chart()
        .configure(locale=FR_LOCALE)
        # One entry a line: a legend sits under the plot, right of the axis labels, and two
        # columns of channel names were cut on a phone.
        .configure_legend(
            orient="bottom",
            labelLimit=0,
            symbolLimit=0,
            columns=1,
            aria=False,
            labelColor=INK,
            titleColor=INK,
        )
        .configure_axis(aria=False, labelColor=INK, titleColor=INK)
        # Streamlit's theme sets labelFlush: a band's first label slid onto the next one's.
        .configure_axisDiscrete(labelFlush=False)
        .configure_title(aria=False, color=INK)  # Vega names it « Title text '…' »
        # What a screen reader calls each mark (Vega: « bar », « rect », « rule »).
        .configure_bar(ariaRoleDescription="barre")
        .configure_rect(ariaRoleDescription="case")
        .configure_point(ariaRoleDescription="point")
        .configure_circle(ariaRoleDescription="point")
        .configure_rule(ariaRoleDescription="trait")
        .configure_arc(ariaRoleDescription="secteur")
    ).config


@functools.cache
def _spec_frame() -> dict:
    """What :func:`chart` adds to every kept spec but its description, built once (each
    ``to_dict`` validates its object again)."""
    return {"autosize": FIT_WIDTH.to_dict(), "config": chart_config().to_dict()}


def frozen(build: Callable[..., alt.TopLevelMixin]) -> Callable[..., dict]:
    """A page's chart builder whose Vega-Lite spec is made once per arguments and then
    kept: Altair's objects, their validation and their conversion were most of a warm
    page's run (about 0.05 s a chart). ``build(*args)`` draws an Altair chart from
    data frames and plain values; the decorated call gives its spec, for :func:`chart`."""
    name = f"{build.__code__.co_filename}:{build.__qualname__}"

    @functools.wraps(build)
    def spec(*args, **kwargs) -> dict:
        return _spec(name, build, args, kwargs)

    return spec


@st.cache_data(show_spinner=False, max_entries=256)
def _spec(name: str, _build, args: tuple, kwargs: dict) -> dict:
    """The spec of ``_build(*args, **kwargs)``, kept per ``name`` and arguments."""
    return vega_spec(_build(*args, **kwargs))


def vega_spec(c: alt.TopLevelMixin) -> dict:
    """An Altair chart as the Vega-Lite spec Streamlit draws: each data frame a named
    dataset, left a frame (Streamlit sends it in Arrow, as for ``st.altair_chart``)."""
    datasets: dict[str, pd.DataFrame] = {}
    _name_data(c, datasets)
    spec = c.to_dict()
    # Altair's default theme adds a view size Streamlit leaves out; :func:`chart` gives
    # every chart its configuration.
    spec.pop("config", None)
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec


def _name_data(c, datasets: dict) -> None:
    data = getattr(c, "data", alt.Undefined)
    if isinstance(data, pd.DataFrame):
        digest = hashlib.sha256(pd.util.hash_pandas_object(data).to_numpy().tobytes())
        name = f"data-{digest.hexdigest()[:16]}"
        datasets[name] = data
        c.data = alt.NamedData(name=name)
    for part in ("layer", "hconcat", "vconcat", "concat"):
        subs = getattr(c, part, alt.Undefined)
        for sub in subs if isinstance(subs, list) else []:
            _name_data(sub, datasets)


def chart(
    c: alt.TopLevelMixin | dict,
    name: str,
    description: str,
    table: pd.DataFrame,
    units: dict[str, str] | None = None,
    key: str | None = None,
):
    """Draw a chart: French numbers and dates; legends below the chart, never cut, never
    eating the width of a phone's screen; ``description`` as its name for screen readers
    (Vega's axis and legend descriptions, English, are left out: the marks carry French
    labels, :func:`pages.charts.described`); and its data as a table in an expander
    « Données du graphique : ``name`` », one keyboard action away (``units`` as for
    :func:`pages.fmt.written`). With a ``key``, the chart's selections rerun the page and
    the event is returned (drill-down). ``c``: an Altair chart, or the spec of one
    (:func:`frozen`)."""
    if isinstance(c, dict):
        spec = c | _spec_frame() | {"description": description}
        draw = functools.partial(st.vega_lite_chart, spec)
    else:
        configured = c.properties(description=description, autosize=FIT_WIDTH)
        configured.config = chart_config()
        draw = functools.partial(st.altair_chart, configured)
    if key is None:
        event = draw(width="stretch")
    else:
        event = draw(width="stretch", key=key, on_select="rerun")
    with st.expander(f"Données du graphique : {fmt.md(name)}"):
        st.dataframe(fmt.written(table, units or {}), hide_index=True)
    return event if key is not None else None


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
    reference = f" Référence : {fmt.md(k.reference)}." if k.reference else ""
    return f"{fmt.md(k.definition)}.{reference} Sigles et définitions : page Glossaire."


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes shown by their labels (channels, categories, request types and statuses)."""
    return exports.labelled(frame, {r: data.reference(r) for r in ("channels", "categories")})


def downloads(
    frame: pd.DataFrame, name: str, key: str, units: dict[str, str] | None = None
) -> None:
    """The two downloads of a table, as an analyst can use them: French headers, codes by
    their labels, values rounded to what they mean; CSV for French Excel and XLSX with
    number formats; named after the table, the period and the filters. ``units``: the
    unit of columns neither the catalogue nor the exports know (``ratio``: percent). The
    files are written when a button is clicked, not on every run of the page (an Excel
    workbook of a few hundred rows takes tens of milliseconds)."""
    refs = {r: data.reference(r) for r in ("channels", "categories")}
    name = exports.file_name(name, st.session_state.get("filters"))
    demo = data.is_demo()
    if demo:
        name = f"demonstration_{name}"
    # What the button gives, made when it is clicked (outside the page's run: no st here).
    table = functools.partial(_for_people, frame, refs, units, demo)
    left, right = st.columns(2)
    left.download_button(
        "Télécharger (CSV)",
        lambda: exports.csv_bytes(table()),
        f"{name}.csv",
        "text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    right.download_button(
        "Télécharger (Excel)",
        lambda: exports.xlsx_bytes(table(), name),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
    )


def _for_people(frame: pd.DataFrame, refs: dict, units, demo: bool) -> pd.DataFrame:
    table = exports.for_people(frame, refs, units)
    return exports.demo_marked(table) if demo else table


def demo_banner(demo: bool) -> None:
    """Above every page of a demo warehouse: its figures are invented."""
    if demo:
        st.warning(
            f"**{DEMO_MARK}** : chiffres inventés, sans rapport avec un bailleur réel. Vos "
            "fichiers n'y sont pas importés : pour voir vos chiffres, le service "
            "informatique relie le tableau de bord à l'entrepôt de l'organisme (guide "
            "d'installation).",
            icon=":material/science:",
        )


def empty(
    message: str = "Aucune donnée pour ces filtres : élargissez la période ou les filtres.",
) -> None:
    st.info(message)
