"""KPI series for charts and tables: by period grain, by dimension, weekday x half-hour.

Each returns a small DataFrame of aggregates (one row per group), never fact rows.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from sqlalchemy import Engine

from warehouse.kpis import calls, costs, measurable, requests
from warehouse.model import scopes
from warehouse.model.params import DEFAULT_SETTINGS, Filters, Settings

GRAINS = {"day": "day", "week": "iso_week", "month": "month", "year": "year"}
CALL_DIMENSIONS = {"agency": "agency", "channel": "channel", "queue": "queue"}
REQUEST_DIMENSIONS = {
    "agency": "agency",
    "channel": "channel",
    "category": "category",
    "urgency": "urgency_days",
}


def _call_columns(s: Settings) -> list[str]:
    zeros = dict.fromkeys(calls.aggregates_of(s), 0)
    return list(calls.derive(zeros, s))


REQUEST_COLUMNS = list(
    requests.derive(
        {
            k: 0
            for k in (
                "requests",
                "complaints",
                "closed",
                "closed_level1",
                "closed_level_known",
                "commitments_assessed",
                "commitments_kept",
                "followups_declared",
            )
        }
    )
)


def _frame(rows: list[dict], keys: list[str], columns: list[str]) -> pd.DataFrame:
    """The rows, with their columns even when there is none (an empty period)."""
    return pd.DataFrame(rows, columns=[*keys, *columns])


def call_series(
    engine: Engine, f: Filters, grain: str = "month", s: Settings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """Call KPIs per day, ISO week (yyyyww), month or year of the period (without the
    figures the filters' scope cannot measure, ``measurable``)."""
    with engine.connect() as conn:
        rows = calls.grouped(conn, f, s, [GRAINS[grain]])
    return measurable.blank(_frame(rows, [GRAINS[grain]], _call_columns(s)), f)


def call_breakdown(
    engine: Engine, f: Filters, by: str, s: Settings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """Call KPIs per agency (of the identified dwelling), channel or queue; per agency,
    or under a scope, without the figures a part of the organisation cannot measure."""
    with engine.connect() as conn:
        rows = calls.grouped(conn, f, s, [CALL_DIMENSIONS[by]])
    frame = _frame(rows, [CALL_DIMENSIONS[by]], _call_columns(s))
    return measurable.blank(frame, f, part=f.has_scope or by == "agency")


def call_heatmap(engine: Engine, f: Filters, s: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Offered, answered and lost calls per ISO weekday (1 = Monday) x half-hour slot."""
    with engine.connect() as conn:
        rows = calls.grouped(conn, f, s, ["weekday", "slot"])
    frame = measurable.blank(_frame(rows, ["weekday", "slot"], _call_columns(s)), f)
    return frame[["weekday", "slot", "offered_calls", "answered_calls", "lost_calls"]]


def request_series(engine: Engine, f: Filters, by: str = "month") -> pd.DataFrame:
    """Request KPIs per creation period (a grain) or per agency, channel or category."""
    column = GRAINS.get(by) or REQUEST_DIMENSIONS[by]
    with engine.connect() as conn:
        rows = requests.grouped(conn, f, [column])
    return _frame(rows, [column], REQUEST_COLUMNS)


def capture_series(engine: Engine, f: Filters, grain: str = "year") -> pd.DataFrame:
    """Complaints per capture channel and their share, per period of creation."""
    with engine.connect() as conn:
        rows = requests.capture_shares(conn, f, [GRAINS[grain]])
    return _frame(rows, [GRAINS[grain], "channel"], ["complaints", "total", "share"])


def agency_table(engine: Engine, f: Filters, s: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """One row per agency with its request KPIs, dwellings managed, and the call figures an
    agency can measure (``measurable``): its identified calls (``identified_calls``, per
    dwelling and month too) beside them; no offered calls, answer rate or service level
    column (``measurable``)."""
    with engine.connect() as conn:
        call_rows = _frame(calls.grouped(conn, f, s, ["agency"]), ["agency"], _call_columns(s))
        call_rows["identified_calls"] = call_rows["offered_calls"]
        # what an agency cannot measure is no column at all (an empty one would say nothing)
        call_rows = call_rows.drop(columns=list(measurable.reasons(call_rows.columns, part=True)))
        request_rows = _frame(requests.grouped(conn, f, ["agency"]), ["agency"], REQUEST_COLUMNS)
        months = costs.dwelling_months_by_agency(conn, f)
    parts = [
        p.dropna(subset=["agency"]).set_index("agency")
        for p in (request_rows, call_rows)
        if not p.empty
    ]
    if not parts:
        return pd.DataFrame()
    table = pd.concat(parts, axis=1).rename_axis("agency").reset_index()
    table["dwelling_months"] = table["agency"].map(months).fillna(0)
    if "identified_calls" in table:
        per = table["identified_calls"] / table["dwelling_months"].where(
            table["dwelling_months"] > 0
        )
        table["identified_calls_per_dwelling_month"] = per
    return table.reset_index(drop=True)


def agency_reference(table: pd.DataFrame, whole: Mapping[str, float | None]) -> dict:
    """The reference row under the agency table (« Ensemble »): the request KPIs of the
    whole (``whole``: the KPI values over the same filters); the call figures over the
    agencies' identified calls, as their rows count them (every call of the centre would
    not compare), per dwelling managed by those agencies; requests and complaints summed."""
    identified = table["identified_calls"].sum() if "identified_calls" in table else None
    months = table["dwelling_months"].sum() if "dwelling_months" in table else 0
    row = {
        "agency": None,
        "commitment_kept": whole.get("commitment_kept"),
        "first_level_closure_requests": whole.get("first_level_closure_requests"),
        "identified_calls": identified,
        "identified_calls_per_dwelling_month": identified / months
        if identified is not None and months
        else None,
    }
    for column in ("requests", "complaints"):
        if column in table:
            row[column] = table[column].sum()
    return row


def contact_mix(engine: Engine, f: Filters) -> pd.DataFrame:
    """Front-desk contacts per channel, with the centre's offered calls beside them; none
    under a scope, which cannot count offered calls (``measurable``)."""
    from sqlalchemy import func, select

    q = scopes.contacts(f)
    query = select(q.c.channel, func.count().label("contacts")).group_by(q.c.channel)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(query.order_by(q.c.channel)).mappings()]
        centre = calls.grouped(conn, f, DEFAULT_SETTINGS, ["channel"])
    if not measurable.reason("offered_calls", f):
        rows += [{"channel": r["channel"], "contacts": r["offered_calls"]} for r in centre]
    return pd.DataFrame(rows, columns=["channel", "contacts"])
