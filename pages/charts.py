"""Chart conventions shared by the pages: time axes per grain, one colour per channel
everywhere, series told apart by colour and by dash or shape (never by colour alone), and
each mark's French label for screen readers."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pages import fmt
from warehouse import french

# Tableau 10: distinct, and readable by most colour-blind readers.
PALETTE = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac",
]  # fmt: skip
SERIES = {  # a series keeps its colour, dash and point shape from chart to chart
    "Traités": ("#59a14f", [1, 0], "circle"),
    "Perdus": ("#e15759", [4, 2], "square"),
    "Présentés": ("#4e79a7", [6, 3], "square"),
    "Taux de décroché": ("#4e79a7", [1, 0], "circle"),
    "Niveau de service 90 s": ("#f28e2b", [6, 3], "square"),
}
GRAIN_TITLES = {"day": "Jour", "week": "Semaine", "month": "Mois", "year": "Année"}
DAYS = fmt.DAYS
SLOTS = {s: f"{s // 2:02d}:{30 * (s % 2):02d}" for s in range(48)}  # half-hour -> "08:30"
LABEL = "libellé"  # the column of each mark's French label (its name for screen readers)


def series_style(names: list[str], title=None, lines: bool = False) -> dict:
    """Encodings of the ``série`` field by SERIES (only ``names`` in the legend): its
    colour and its dash (a bar's outline, a line's stroke), and for lines its points'
    shape, so that two series differ by more than their colour (RGAA 3.2) and a line drawn
    over another one leaves it visible."""
    domain = {"domain": names}
    style = {
        "color": alt.Color(
            "série:N",
            title=title,
            scale=alt.Scale(range=[SERIES[n][0] for n in names], **domain),
        ),
        "strokeDash": alt.StrokeDash(
            "série:N",
            title=title,
            scale=alt.Scale(range=[SERIES[n][1] for n in names], **domain),
        ),
    }
    if lines:
        style["shape"] = alt.Shape(
            "série:N",
            title=title,
            scale=alt.Scale(range=[SERIES[n][2] for n in names], **domain),
        )
    return style


def series_lines(
    frame: pd.DataFrame, x: alt.X, y: alt.Y, names: list[str], tooltip: list
) -> alt.LayerChart:
    """One line per ``série`` of a :func:`described` frame, each with its dash, and a point
    per value with its shape: the points carry the French labels and the tooltip, the
    lines are hidden from screen readers (a line's name would be its first point's)."""
    style = series_style(names, lines=True)
    base = alt.Chart(frame).encode(x=x, y=y, color=style["color"])
    line = base.mark_line(aria=False).encode(strokeDash=style["strokeDash"])
    points = base.mark_point(filled=True, size=60, opacity=1).encode(
        shape=style["shape"], description=alt.Description(f"{LABEL}:N"), tooltip=tooltip
    )
    return alt.layer(line, points)


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
    """``202502`` -> ``S02 2025`` (ISO week and its year), as the exports write it."""
    return french.week(iso_week)


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


def iso_week_caption(frame: pd.DataFrame, field: str = "iso_week") -> str | None:
    """The ISO weeks of ``frame`` that straddle two years, said with their days (« S01
    2026 » holds 29-31 December 2025, which surprised a new user); None without any."""
    bounds = _bounds(frame[[field]].drop_duplicates().sort_values(field), "week", field)
    across = bounds[bounds["début"].str[:4] != bounds["fin"].str[:4]]
    if across.empty:
        return None
    days = [
        f"{week_label(row[field])} va du {fmt.text(pd.Timestamp(row['début']), 'date')} "
        f"au {fmt.text(pd.Timestamp(row['fin']), 'date')}"
        for _, row in across.iterrows()
    ]
    return "Semaines ISO, du lundi au dimanche : " + " ; ".join(days) + "."


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
    # A tick a day at most: a few days' data had two ticks a day, each day's date twice.
    axis = alt.Axis(format="%d/%m/%y", tickMinStep=86_400_000)
    return frame, alt.X(f"{field}:T", title=title, axis=axis)


def time_labels(frame: pd.DataFrame, grain: str, field: str) -> pd.Series:
    """Each row's period as the axis writes it (``mars 2025``, ``S02 2025``, ``2025``), a day
    as ``lun. 3 mars 2025``: the first column of a chart's data table."""
    if grain == "month":
        return frame[field].map(_month_label)
    if grain == "week":
        return frame[field].map(week_label)
    if grain == "year":
        return frame[field].astype(str)
    return frame[field].map(lambda d: fmt.text(d, "date"))


def time_field(grain: str, field: str) -> tuple[str, str, str]:
    """A time axis's column, title and unit, for :func:`described` (after :func:`time_x`)."""
    if grain in ("month", "week"):
        return "période", GRAIN_TITLES[grain], "text"
    if grain == "year":
        return field, GRAIN_TITLES[grain], "text"
    return field, GRAIN_TITLES[grain], "date"


def described(
    frame: pd.DataFrame, fields: list[tuple[str, str, str]]
) -> tuple[pd.DataFrame, list[alt.Tooltip]]:
    """Each row's French label in ``libellé`` (« Mois : mars 2025 ; Série : Traités ;
    Appels : 1 234 »), for the mark's ``description`` encoding: a screen reader reads it
    as the mark's name, where Vega's own is English and raw (« Appels: 17644; série:
    Présentés »). ``fields`` are (column, title, unit of :func:`pages.fmt.text`); the
    tooltip shows the same values, written the same way."""
    out = frame.copy()
    parts, tooltip = [], []
    for i, (column, title, unit) in enumerate(fields):
        shown = f"_texte{i}"
        out[shown] = out[column].map(lambda v, u=unit: fmt.text(v, u))
        parts.append(title + " : " + out[shown])
        tooltip.append(alt.Tooltip(f"{shown}:N", title=title))
    out[LABEL] = pd.concat(parts, axis=1).agg(" ; ".join, axis=1) if len(out) else []
    return out, tooltip


def span(first: str, last: str) -> str:
    """« de janvier 2025 à décembre 2025 », or « en novembre 2026 » for one."""
    return f"en {first}" if first == last else f"de {first} à {last}"


def reference_rule(value: float, label: str, axis: str = "y", colour: str = "red") -> alt.Chart:
    """A target or reference as a dashed line across the chart (the AFNOR 80 %, the 22 €),
    named for screen readers by ``label``."""
    position = {axis: alt.datum(value)}
    return (
        alt.Chart()
        .mark_rule(color=colour, strokeDash=[6, 4], strokeWidth=2)
        .encode(description=alt.value(label), **position)
    )


def week_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each weekday x half-hour cell's ``jour`` and ``créneau`` labels."""
    return frame.assign(
        jour=frame["weekday"].map(lambda d: DAYS[d - 1]), créneau=frame["slot"].map(SLOTS)
    )


def week_grid(
    frame: pd.DataFrame, colour: alt.Color, fields: list[tuple[str, str, str]], title=None
) -> tuple[alt.Chart, pd.DataFrame]:
    """Weekday x half-hour cells (``weekday`` 1 to 7, ``slot`` 0 to 47) coloured by
    ``colour``, each named by its day, half-hour and ``fields``; and the frame with the
    ``jour`` and ``créneau`` labels. Each weekday gets a row of fixed height: Streamlit
    fits a chart to its height, axes and legend included, which left the rows a few
    pixels high and their labels stacked; the hours label the half-hours (48 labels do
    not fit a phone)."""
    grid = week_cells(frame)
    grid, tooltip = described(
        grid, [("jour", "Jour", "text"), ("créneau", "Demi-heure", "text"), *fields]
    )
    slots = [SLOTS[s] for s in sorted(grid["slot"].unique())]
    ticks = [s for s in slots if s.endswith(":00")] if len(slots) > 24 else slots
    chart = (
        alt.Chart(grid, **({"title": alt.TitleParams(title, aria=False)} if title else {}))
        .mark_rect()
        .encode(
            x=alt.X(
                "créneau:O",
                title="Demi-heure",
                sort=slots,
                axis=alt.Axis(values=ticks, labelAngle=-90, labelOverlap="greedy"),
            ),
            y=alt.Y("jour:O", title=None, sort=DAYS, axis=alt.Axis(labelOverlap=False)),
            color=colour,
            description=alt.Description(f"{LABEL}:N"),
            tooltip=tooltip,
        )
        .properties(height=alt.Step(26))
    )
    return chart, grid


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
    band of their month or week), with their label in the tooltip and as their name for
    screen readers; None without any."""
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
    frame[LABEL] = (
        "Événement : " + frame["label"] + " (" + frame["type"] + "), du " + frame["du"]
        + " au " + frame["au"]
    )  # fmt: skip
    return (
        alt.Chart(frame)
        .mark_rule(color="#555555", strokeDash=[4, 3], strokeWidth=2)
        .encode(
            x=x,
            description=alt.Description(f"{LABEL}:N"),
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
        + f" {fmt.md(e.label)}"
        for e in events.itertuples()
    ]
    return "Événements (traits pointillés) : " + " ; ".join(items) + "."
