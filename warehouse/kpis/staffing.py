"""Sizing from the observed demand: Erlang C per weekday x half-hour against staffing."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import Engine, func, select

from warehouse.kpis import erlang
from warehouse.model import scopes
from warehouse.model.params import DEFAULT_SETTINGS, Filters, Settings
from warehouse.model.schema import dim_date, fact_staffing

SLOT_S = 1800
CEILING_CALLS_PER_ADVISOR_DAY = 70


@dataclass(frozen=True)
class Target:
    share: float = 0.80  # AFNOR: 80 % ...
    seconds: float = 90  # ... answered within 90 s
    shrinkage: float = 0.30
    growth: float = 0.0  # what-if: +0.1 = 10 % more calls


def _weekday_days(conn, f: Filters) -> dict[int, int]:
    lo, hi = scopes.date_key(f.start), scopes.date_key(f.end)
    rows = conn.execute(
        select(dim_date.c.iso_weekday, func.count())
        .where(dim_date.c.date_key.between(lo, hi))
        .group_by(dim_date.c.iso_weekday)
    )
    return {int(d): int(n) for d, n in rows}


def _staffed_by_weekday(conn, f: Filters) -> dict[int, float]:
    lo, hi = scopes.date_key(f.start), scopes.date_key(f.end)
    rows = conn.execute(
        select(dim_date.c.iso_weekday, func.sum(fact_staffing.c.advisor_fte))
        .select_from(fact_staffing.join(dim_date, dim_date.c.date_key == fact_staffing.c.date_key))
        .where(fact_staffing.c.date_key.between(lo, hi))
        .group_by(dim_date.c.iso_weekday)
    )
    return {int(d): float(v or 0) for d, v in rows}


def sizing_table(
    engine: Engine, f: Filters, target: Target | None = None, s: Settings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """One row per ISO weekday x half-hour slot of the period.

    ``offered``: mean offered calls of the slot per such weekday of the period (times the
    what-if growth); ``handle_s``: mean talk time of the slot's answered calls (the
    period's mean where the slot has none); ``required``: Erlang C advisors on the phones;
    ``scheduled``: after shrinkage; ``staffed``: the mean advisor FTE present that weekday,
    counted in every opening slot; ``gap`` = staffed - scheduled (negative: short). Without
    a channel filter, only the centre's own queues count (not the on-call line).
    """
    target = target or Target()
    if not f.channels:  # the centre's advisors do not staff the on-call (astreinte) line
        f = replace(f, channels=("crl",))
    q = scopes.calls(f, s)
    with engine.connect() as conn:
        days = _weekday_days(conn, f)
        staffed = _staffed_by_weekday(conn, f)
        rows = (
            conn.execute(
                select(
                    q.c.weekday,
                    q.c.slot,
                    func.count().filter(q.c.is_offered).label("offered"),
                    func.count().filter(q.c.is_answered).label("answered"),
                    func.sum(q.c.talk_seconds).filter(q.c.is_answered).label("talk"),
                ).group_by(q.c.weekday, q.c.slot)
            )
            .mappings()
            .all()
        )
    observed = {(r["weekday"], r["slot"]): r for r in rows}
    answered = sum(r["answered"] for r in rows)
    mean_handle = sum(r["talk"] or 0 for r in rows) / answered if answered else 0.0
    out = []
    for weekday in range(1, 8):
        n_days = days.get(weekday, 0)
        fte = staffed.get(weekday, 0.0) / n_days if n_days else 0.0
        for slot in range(48):
            r = observed.get((weekday, slot))
            offered = (r["offered"] / n_days if r and n_days else 0.0) * (1 + target.growth)
            handle = (r["talk"] / r["answered"]) if r and r["answered"] else mean_handle
            result = erlang.required(offered, handle, SLOT_S, target.share, target.seconds)
            is_open = weekday in s.open_weekdays and s.open_from_slot <= slot < s.open_to_slot
            need = erlang.scheduled(result.advisors, target.shrinkage)
            present = fte if is_open else 0.0
            out.append(
                {
                    "weekday": weekday,
                    "slot": slot,
                    "offered": offered,
                    "handle_s": handle,
                    "required": result.advisors,
                    "service_level": result.service_level,
                    "asa_s": result.asa_s,
                    "occupancy": result.occupancy,
                    "scheduled": need,
                    "staffed": present,
                    "gap": present - need,
                }
            )
    return pd.DataFrame(out)


def daily_load(table: pd.DataFrame, answer_rate: float | None) -> pd.DataFrame:
    """Per weekday: mean calls, advisors staffed, and calls per advisor against 70."""
    days = table.groupby("weekday").agg(offered=("offered", "sum"), staffed=("staffed", "max"))
    days["answered"] = days["offered"] * (answer_rate or 1.0)
    days["calls_per_advisor"] = days["answered"] / days["staffed"].where(days["staffed"] > 0)
    days["advisors_at_ceiling"] = days["answered"] / CEILING_CALLS_PER_ADVISOR_DAY
    return days.reset_index()
