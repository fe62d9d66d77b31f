"""The report's charts: Altair, exported to PNG by Altair's own ``save`` (vl-convert), with
French number and date formats."""

from __future__ import annotations

import io

import altair as alt
import pandas as pd

from warehouse.french import MONTHS
from warehouse.kpis.catalogue import kpi

WIDTH, HEIGHT = 460, 150
COLOURS = {"Présentés": "#4e79a7", "Traités": "#59a14f", "value": "#f28e2b"}
TARGET_COLOUR = "#e15759"


def png(chart: alt.Chart) -> bytes:
    """The chart as a PNG at twice its size (sharp in print)."""
    buffer = io.BytesIO()
    chart.configure_legend(orient="bottom").save(
        buffer,
        format="png",
        scale_factor=2,
        embed_options={"formatLocale": "fr-FR", "timeFormatLocale": "fr-FR"},
    )
    return buffer.getvalue()


def _months(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    stamps = pd.to_datetime(frame["month"])
    labels = [f"{MONTHS[s.month - 1]} {s.year}" for s in stamps]
    out = frame.assign(mois=labels, month=stamps.dt.strftime("%Y-%m")).sort_values("month")
    return out, list(out["mois"])


def call_volumes(trend: pd.DataFrame) -> alt.Chart:
    """Offered and answered calls per month; answered only when the scope cannot count
    offered calls (``measurable``: their column has no value)."""
    frame, order = _months(trend)
    long = frame.melt("mois", ["offered_calls", "answered_calls"], "série", "appels")
    long["série"] = long["série"].map({"offered_calls": "Présentés", "answered_calls": "Traités"})
    long = long.dropna(subset=["appels"])
    names = [n for n in ("Présentés", "Traités") if n in set(long["série"])]
    title = "Appels présentés et traités par mois" if len(names) == 2 else "Appels traités par mois"
    return (
        alt.Chart(long, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("mois:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("appels:Q", title="Appels", axis=alt.Axis(format=",d")),
            color=alt.Color(
                "série:N",
                title=None,
                scale=alt.Scale(domain=names, range=[COLOURS[n] for n in names]),
            ),
        )
        .properties(width=WIDTH, height=HEIGHT)
    )


def rate_with_target(frame: pd.DataFrame, kpi_id: str, title: str) -> alt.LayerChart:
    """One rate per month, with the catalogue's target as a line."""
    frame, order = _months(frame)
    base = alt.Chart(frame, title=title)
    line = base.mark_line(point=True, color=COLOURS["value"]).encode(
        x=alt.X("mois:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40)),
        y=alt.Y(f"{kpi_id}:Q", title=kpi(kpi_id).label, axis=alt.Axis(format="%")),
    )
    layers = [line]
    target = kpi(kpi_id).target
    if target is not None:
        rule = pd.DataFrame({"cible": [target[0]]})
        layers.append(
            alt.Chart(rule)
            .mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4])
            .encode(y=alt.Y("cible:Q"))
        )
    return alt.layer(*layers).properties(width=WIDTH, height=HEIGHT)


def agencies_ranked(table: pd.DataFrame, names: dict[str, str], kpi_id: str) -> alt.LayerChart:
    """Agencies on one rate, the weakest at the top (as the table ranks them): a dot each,
    on an axis that starts near the lowest value so that forty agencies stay apart, with
    the target as a line."""
    frame = table.dropna(subset=[kpi_id]).assign(
        agence=lambda t: t["agency"].map(lambda a: names.get(a, a))
    )
    target = kpi(kpi_id).target
    low = min([*frame[kpi_id], *([target[0]] if target else [])])
    scale = alt.Scale(domain=[max(0.0, low - 0.05), 1.0])
    dots = (
        alt.Chart(frame, title=f"{kpi(kpi_id).label} par agence")
        .mark_circle(size=50, color=COLOURS["Présentés"], opacity=1)
        .encode(
            y=alt.Y("agence:N", sort="x", title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X(f"{kpi_id}:Q", title=kpi(kpi_id).label, axis=alt.Axis(format="%"), scale=scale),
        )
    )
    layers = [dots]
    if target is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"cible": [target[0]]}))
            .mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4])
            .encode(x=alt.X("cible:Q", scale=scale))
        )
    return alt.layer(*layers).properties(width=WIDTH - 120, height=max(60, 11 * len(frame)))
