"""The charts of the page « Motifs et non-qualité », each built once per data
(:func:`pages.widgets.frozen`): the reasons' Pareto, failure demand by week with the
events, the request categories that make tenants call again."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pages import charts, widgets
from warehouse.kpis import failure


def of_family(families: pd.Series, family: str | None) -> pd.Series:
    """Which of ``families`` (``motif_family`` values, None for no motif) are the chosen
    ``family`` (``failure.NO_MOTIF``: the calls without one)."""
    return families.isna() if family == failure.NO_MOTIF else families == family


@widgets.frozen
def pareto(top: pd.DataFrame, family: str | None) -> alt.TopLevelMixin:
    """Bars of handle time by motif family (``famille``, ``heures``), longest first, and
    the dashed line of their cumulative share; a click on a bar selects its family
    (selection ``reason``), and a chosen ``family`` stands out."""
    top, tooltip = charts.described(
        top,
        [
            ("famille", "Motif", "text"),
            ("heures", "Heures de conversation", "decimal"),
            ("handle_time_share", "Part", "ratio"),
            ("cumulative_share", "Part cumulée", "ratio"),
            ("failure_demand_share", "Part évitable", "ratio"),
        ],
    )
    top = top.assign(choisi=of_family(top["motif_family"], family))
    pick = alt.selection_point(fields=["motif_family"], name="reason")
    x = alt.X(
        "famille:N",
        title="Motif",
        sort=list(top["famille"]),
        # Upright labels: slanted, every other one was hidden (they overlapped), on a phone
        # and on a wide screen alike.
        axis=alt.Axis(labelAngle=-90, labelLimit=160),
    )
    # The data on the outer layer only: Altair copies and hashes a layer's data for each
    # part it combines (half of this chart's build time when each part held the frame).
    base = alt.Chart().encode(
        x=x, tooltip=tooltip, description=alt.Description(f"{charts.LABEL}:N")
    )
    bars = base.mark_bar(color=charts.PALETTE[0], stroke="#1a1a1a", strokeWidth=1).encode(
        y=alt.Y("heures:Q", title="Heures de conversation"),
        opacity=alt.condition(pick, alt.value(1), alt.value(0.45))
        if family is None
        else alt.condition(alt.datum.choisi, alt.value(1), alt.value(0.35)),
    )
    line = base.mark_line(color=charts.PALETTE[1], strokeDash=[6, 3], aria=False).encode(
        y=alt.Y("cumulative_share:Q", title="Part cumulée", axis=alt.Axis(format="%"))
    )
    points = base.mark_point(color=charts.PALETTE[1], shape="square", filled=True, size=50).encode(
        y=alt.Y("cumulative_share:Q")
    )
    return (
        alt.layer(bars.add_params(pick), alt.layer(line, points), data=top)
        .resolve_scale(y="independent")
        .properties(height=320)
    )


@widgets.frozen
def weeks(weeks: pd.DataFrame, events: pd.DataFrame) -> alt.TopLevelMixin:
    """Bars of failure-demand calls per ISO week (``iso_week``, ``failure``, ``offered``,
    ``failure_share``), with the period's events as dashed rules."""
    framed, wx = charts.time_x(weeks, "week", "iso_week")
    framed, tooltip = charts.described(
        framed,
        [
            charts.time_field("week", "iso_week"),
            ("failure", "Appels évitables", "count"),
            ("offered", "Appels présentés", "count"),
            ("failure_share", "Part évitable", "ratio"),
        ],
    )
    bars = (
        alt.Chart(framed)
        .mark_bar(color=charts.PALETTE[3], stroke="#1a1a1a", strokeWidth=1)
        .encode(
            x=wx,
            y=alt.Y("failure:Q", title="Appels évitables"),
            description=alt.Description(f"{charts.LABEL}:N"),
            tooltip=tooltip,
        )
    )
    marks = charts.event_marks(events, "week", "iso_week", wx)
    return bars if marks is None else alt.layer(bars, marks)


@widgets.frozen
def categories(shown: pd.DataFrame) -> alt.TopLevelMixin:
    """Horizontal bars of follow-ups per request by category (labelled), most chased
    first."""
    shown, tooltip = charts.described(
        shown,
        [
            ("category", "Catégorie", "text"),
            ("followups_per_request", "Relances par demande", "decimal"),
            ("requests", "Demandes", "count"),
            ("close_days_median", "Délai de clôture médian (j)", "decimal"),
            ("commitment_kept", "Respect des engagements", "ratio"),
        ],
    )
    return (
        alt.Chart(shown)
        .mark_bar(color=charts.PALETTE[2], stroke="#1a1a1a", strokeWidth=1)
        .encode(
            y=alt.Y("category:N", title=None, sort=list(shown["category"])),
            x=alt.X("followups_per_request:Q", title="Relances par demande"),
            description=alt.Description(f"{charts.LABEL}:N"),
            tooltip=tooltip,
        )
    )
