"""Charts drawn from a kept Vega-Lite spec (``pages.widgets.frozen``): the spec is the one
Streamlit makes of the Altair chart itself, data included, and a builder runs once per
data, never handing one chart's spec to another; the weeks a chart of weeks holds that
straddle two years are said with their days."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st

# Streamlit's own conversion, behind st.altair_chart: what our spec must equal.
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from pages import call_charts, charts, motif_charts, widgets

WEEKS = pd.DataFrame(
    {"iso_week": [202501, 202502, 202503], "offered": [10, 12, 9], "failure": [2, 0, 3]}
).assign(failure_share=lambda d: d["failure"] / d["offered"])
EVENTS = pd.DataFrame(
    {
        "kind": ["intemperies"],
        "label": ["Tempête"],
        "start_date": [pd.Timestamp("2025-01-08").date()],
        "end_date": [pd.Timestamp("2025-01-09").date()],
    }
)
TOP = pd.DataFrame(
    {
        "motif_family": ["reclamation technique", None],
        "famille": ["Réclamation technique", "(sans motif)"],
        "heures": [2.5, 0.5],
        "handle_time_share": [0.8333, 0.1667],
        "cumulative_share": [0.8333, 1.0],
        "failure_demand_share": [0.5, None],
    }
)


SERIES = pd.DataFrame(
    {
        "month": pd.to_datetime(["2025-01-01", "2025-02-01"]),
        "answered_calls": [90, 80],
        "lost_calls": [10.0, None],
        "answer_rate": [0.9, 0.8],
        "service_level_90": [0.75, None],
    }
)
HEAT = pd.DataFrame({"weekday": [1, 1, 2], "slot": [17, 18, 17], "offered_calls": [4, 6, 2]})


def _frames(spec: dict) -> dict[str, pd.DataFrame]:
    """The spec's datasets as frames: ours are frames, Streamlit's Arrow IPC bytes (and,
    either way, Altair's own values: its « empty » dataset of a chart without data)."""

    def frame(data) -> pd.DataFrame:
        if isinstance(data, pd.DataFrame):
            return data
        if isinstance(data, list):
            return pd.DataFrame(data)
        return pa.ipc.open_stream(data).read_pandas()

    return {name: frame(data) for name, data in spec["datasets"].items()}


def _same_data(ours: pd.DataFrame, theirs: pd.DataFrame) -> bool:
    ours = pa.Table.from_pandas(ours, preserve_index=False).to_pandas()
    theirs = theirs[[c for c in theirs.columns if not c.startswith("__index")]]
    return ours.reset_index(drop=True).equals(theirs.reset_index(drop=True))


def _named_alike(ours: dict, theirs: dict) -> dict:
    """``ours`` with its dataset names replaced by Streamlit's for the same data."""
    names = {}
    for name, frame in _frames(ours).items():
        if name in theirs["datasets"]:  # Altair's own name (« empty »): the same values
            assert ours["datasets"][name] == theirs["datasets"][name]
            continue
        names[name] = next(t for t, f in _frames(theirs).items() if _same_data(frame, f))
    text = json.dumps({k: v for k, v in ours.items() if k != "datasets"})
    for old, new in names.items():
        text = text.replace(old, new)
    return json.loads(text)


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.described(WEEKS, [("failure", "Appels évitables", "count")])[0],
        lambda: motif_charts.pareto.__wrapped__(TOP, None),
        lambda: motif_charts.pareto.__wrapped__(TOP, "reclamation technique"),
        lambda: motif_charts.weeks.__wrapped__(WEEKS, EVENTS),  # two frames: bars, events
        lambda: call_charts.volumes.__wrapped__(SERIES, "month", "month", EVENTS),
        lambda: call_charts.rates.__wrapped__(SERIES, "month", "month"),  # and a rule
        lambda: call_charts.heat.__wrapped__(HEAT, "offered_calls", "Présentés"),
    ],
    ids=["plain", "pareto", "pareto-chosen", "weeks-and-events", "volumes", "rates", "heat"],
)
def test_the_spec_is_the_one_streamlit_makes_of_the_chart(build):
    """Every key but the dataset names (content hashes either way) and the configuration
    (:func:`widgets.chart` sets it) equals Streamlit's conversion, and each dataset holds
    the same rows and columns."""
    chart = build()
    if isinstance(chart, pd.DataFrame):
        chart = alt.Chart(chart).mark_bar().encode(x="iso_week:O", y="failure:Q")
    theirs = _convert_altair_to_vega_lite_spec(chart.copy(deep=True))
    ours = widgets.vega_spec(chart.copy(deep=True))
    assert len(ours["datasets"]) == len(theirs["datasets"]) >= 1
    assert _named_alike(ours, theirs) == {k: v for k, v in theirs.items() if k != "datasets"}


def test_a_builder_runs_once_per_data_and_specs_never_mix():
    st.cache_data.clear()
    calls = []

    @widgets.frozen
    def bars(frame: pd.DataFrame, colour: str):
        calls.append(("bars", colour))
        return alt.Chart(frame).mark_bar(color=colour).encode(x="iso_week:O", y="failure:Q")

    @widgets.frozen
    def ticks(frame: pd.DataFrame, colour: str):
        calls.append(("ticks", colour))
        return alt.Chart(frame).mark_tick(color=colour).encode(x="iso_week:O", y="failure:Q")

    first = bars(WEEKS, "#4e79a7")
    again = bars(WEEKS.copy(), "#4e79a7")  # same data: kept, not built again
    assert again.keys() == first.keys() and again["mark"] == first["mark"]
    assert calls == [("bars", "#4e79a7")]
    assert ticks(WEEKS, "#4e79a7")["mark"]["type"] == "tick"  # same arguments, own spec
    other = bars(WEEKS.assign(failure=[1, 1, 1]), "#4e79a7")  # new data: built again
    assert len(calls) == 3 and list(other["datasets"]) != list(first["datasets"])
    assert list(other["datasets"].values())[0]["failure"].tolist() == [1, 1, 1]


def test_weeks_that_straddle_two_years_are_said_with_their_days():
    """ISO weeks, Monday to Sunday: 2026-W01 runs from Monday 29 December 2025 to Sunday 4
    January 2026, 2020-W53 from 28 December 2020 to 3 January 2021; 2025-W52 (22-28
    December) and 2026-W02 (5-11 January) stay within a year."""
    weeks = pd.DataFrame({"iso_week": [202552, 202601, 202602, 202053]})
    assert charts.iso_week_caption(weeks) == (
        "Semaines ISO, du lundi au dimanche : S53 2020 va du lun. 28 déc. 2020 au dim. 3 janv. "
        "2021 ; S01 2026 va du lun. 29 déc. 2025 au dim. 4 janv. 2026."
    )
    assert charts.iso_week_caption(pd.DataFrame({"iso_week": [202552, 202602]})) is None
