"""The charts of the page « Appels », each built once per data (:func:`pages.widgets.frozen`):
calls answered and lost per period with the events, the answer rate and service level
against the AFNOR line, the weekday x half-hour heatmaps."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pages import charts, widgets

VOLUMES = {"answered_calls": "Traités", "lost_calls": "Perdus"}
RATES = {"answer_rate": "Taux de décroché", "service_level_90": "Niveau de service 90 s"}


def drawn(frame: pd.DataFrame, series: dict[str, str]) -> list[str]:
    """The series of ``series`` (column -> name) that have a value somewhere (lost calls
    and the rates have none under a scope)."""
    return [name for column, name in series.items() if frame[column].notna().any()]


@widgets.frozen
def volumes(frame: pd.DataFrame, grain: str, field: str, events: pd.DataFrame):
    """Stacked bars of answered and lost calls per period (a click selects the period:
    selection ``pick``), the events as dashed rules."""
    melted = frame.melt(field, list(VOLUMES), "série", "appels")
    melted["série"] = melted["série"].map(VOLUMES)
    melted = melted.dropna(subset=["appels"])
    melted, x = charts.time_x(melted, grain, field)
    melted, tooltip = charts.described(
        melted,
        [
            charts.time_field(grain, field),
            ("série", "Série", "text"),
            ("appels", "Appels", "count"),
        ],
    )
    pick = alt.selection_point(fields=["début", "fin"], name="pick")
    bars = (
        alt.Chart(melted)
        .mark_bar(stroke="#1a1a1a", strokeWidth=1)
        .encode(
            x=x,
            y=alt.Y("appels:Q", title="Appels", stack=True),
            description=alt.Description(f"{charts.LABEL}:N"),
            tooltip=tooltip,
            **charts.series_style(drawn(frame, VOLUMES)),
        )
        .add_params(pick)
    )
    marks = charts.event_marks(events, grain, field, x)
    return bars if marks is None else alt.layer(bars, marks)


@widgets.frozen
def rates(frame: pd.DataFrame, grain: str, field: str):
    """Lines of the answer rate and the 90 s service level per period, and the AFNOR
    line at 80 %."""
    melted = frame.melt(field, list(RATES), "série", "taux")
    melted["série"] = melted["série"].map(RATES)
    melted = melted.dropna(subset=["taux"])  # a rate without meaning here is in no legend
    melted, x = charts.time_x(melted, grain, field)
    melted, tooltip = charts.described(
        melted,
        [charts.time_field(grain, field), ("série", "Série", "text"), ("taux", "Taux", "ratio")],
    )
    y = alt.Y("taux:Q", title=None, axis=alt.Axis(format="%"))
    return alt.layer(
        charts.series_lines(melted, x, y, drawn(frame, RATES), tooltip),
        charts.reference_rule(0.8, "Ligne AFNOR : 80 % des appels décrochés en 90 s"),
    )


@widgets.frozen
def heat(frame: pd.DataFrame, measure: str, title: str):
    """The weekday x half-hour heatmap of ``measure``."""
    grid, _ = charts.week_grid(
        frame, alt.Color(f"{measure}:Q", title="Appels"), [(measure, title, "count")], title
    )
    return grid
