"""Chart conventions shared by the pages: time axes per grain, one colour per channel
everywhere, series colours that mean the same on every page."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pages import fmt

# Tableau 10: distinct, and readable by most colour-blind readers.
PALETTE = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac",
]  # fmt: skip
SERIES = {  # a series keeps its colour from chart to chart
    "Traités": "#59a14f",
    "Perdus": "#e15759",
    "Présentés": "#4e79a7",
    "Taux de décroché": "#4e79a7",
    "Niveau de service 90 s": "#f28e2b",
}
GRAIN_TITLES = {"day": "Jour", "week": "Semaine", "month": "Mois", "year": "Année"}


def series_colour(names: list[str], title=None) -> alt.Color:
    """The ``série`` field coloured by SERIES (only ``names`` in the legend)."""
    return alt.Color(
        "série:N", title=title, scale=alt.Scale(domain=names, range=[SERIES[n] for n in names])
    )


def category_colour(field: str, labels: list[str], shown, title: str) -> alt.Color:
    """One colour per value of a reference list (channels, cost natures), fixed by the
    list's order whatever subset a chart shows: a colour never means two things; only the
    values ``shown`` are in the legend."""
    colours = dict(zip(labels, PALETTE * (len(labels) // len(PALETTE) + 1), strict=False))
    present = [v for v in labels if v in set(shown)]
    return alt.Color(
        f"{field}:N",
        title=title,
        scale=alt.Scale(domain=present, range=[colours[v] for v in present]),
    )


def week_label(iso_week: int) -> str:
    """``202502`` -> ``S02 2025`` (ISO week and its year)."""
    return f"S{int(iso_week) % 100:02d} {int(iso_week) // 100}"


def _month_label(month) -> str:
    stamp = pd.Timestamp(month)
    return f"{fmt.MONTHS[stamp.month - 1]} {stamp.year}"


def _bounds(frame: pd.DataFrame, grain: str, field: str) -> pd.DataFrame:
    """Each row's first and last day (``début``, ``fin``, ISO text): what a click on its
    bar filters the page to."""
    if grain == "month":
        first = pd.to_datetime(frame[field]).dt.to_period("M").dt.start_time
        last = first + pd.offsets.MonthEnd(0)
    else:  # ISO week: year * 100 + week
        weeks = frame[field].astype(int)
        first = pd.to_datetime(
            (weeks // 100).astype(str) + "-W" + (weeks % 100).map("{:02d}".format) + "-1",
            format="%G-W%V-%u",
        )
        last = first + pd.Timedelta(days=6)
    return frame.assign(début=first.dt.strftime("%Y-%m-%d"), fin=last.dt.strftime("%Y-%m-%d"))


def time_x(frame: pd.DataFrame, grain: str, field: str) -> tuple[pd.DataFrame, alt.X]:
    """The frame (with a label column, and for months and weeks each bar's first and last
    day) and the x encoding of its time axis: whole bands for months and weeks, dated
    ticks for days, each titled by its grain."""
    title = GRAIN_TITLES[grain]
    if grain in ("month", "week"):
        label = _month_label if grain == "month" else week_label
        labelled = _bounds(frame, grain, field).assign(période=frame[field].map(label))
        order = list(labelled.sort_values(field)["période"].unique())
        axis = alt.Axis(labelAngle=0 if len(order) <= 12 else -45, labelOverlap=True)
        return labelled, alt.X("période:O", title=title, sort=order, axis=axis)
    if grain == "year":
        return frame, alt.X(f"{field}:O", title=title, axis=alt.Axis(labelAngle=0))
    return frame, alt.X(f"{field}:T", title=title, axis=alt.Axis(format="%d/%m/%y"))


def time_tooltip(grain: str, field: str) -> alt.Tooltip:
    if grain in ("month", "week"):
        return alt.Tooltip("période:N", title=GRAIN_TITLES[grain])
    if grain == "year":
        return alt.Tooltip(f"{field}:O", title="Année")
    return alt.Tooltip(f"{field}:T", format="%A %d/%m/%Y", title="Jour")


EVENT_KINDS = {
    "avis_echeance": "Avis d'échéance",
    "regularisation_charges": "Régularisation des charges",
    "enquete_sls_ops": "Enquête SLS / OPS",
    "chauffage": "Mise en chauffe",
    "intemperies": "Intempéries",
    "panne_telephonique": "Panne téléphonique",
    "autre": "Autre",
}


def event_marks(events: pd.DataFrame, grain: str, field: str, x: alt.X):
    """The period's events as dashed rules on a time axis (at their first day, or on the
    band of their month or week), with their label in the tooltip; None without any."""
    if events.empty:
        return None
    start = pd.to_datetime(events["start_date"])
    frame = events.assign(
        type=events["kind"].map(EVENT_KINDS).fillna(events["kind"]),
        du=start.dt.strftime("%d/%m/%Y"),
        au=pd.to_datetime(events["end_date"]).dt.strftime("%d/%m/%Y"),
    )
    if grain == "month":
        frame["période"] = start.map(_month_label)
    elif grain == "week":
        iso = start.dt.isocalendar()
        frame["période"] = (iso["year"] * 100 + iso["week"]).map(week_label)
    elif grain == "year":
        frame[field] = start.dt.year
    else:
        frame[field] = start
    return (
        alt.Chart(frame)
        .mark_rule(color="#555555", strokeDash=[4, 3], strokeWidth=2)
        .encode(
            x=x,
            tooltip=[
                alt.Tooltip("label:N", title="Événement"),
                alt.Tooltip("type:N", title="Type"),
                alt.Tooltip("du:N", title="Du"),
                alt.Tooltip("au:N", title="Au"),
            ],
        )
    )


def event_caption(events: pd.DataFrame) -> str:
    """« Événements : 01/04 au 15/04 Régularisation des charges ; ... »."""
    items = [
        f"{pd.Timestamp(e.start_date):%d/%m}"
        + (f" au {pd.Timestamp(e.end_date):%d/%m}" if e.end_date != e.start_date else "")
        + f" {e.label}"
        for e in events.itertuples()
    ]
    return "Événements (traits pointillés) : " + " ; ".join(items) + "."
