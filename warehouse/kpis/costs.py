"""Cost and staffing KPIs: per dwelling, per answered call, per advisor."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from warehouse.model import scopes
from warehouse.model.params import Filters
from warehouse.model.schema import dim_agency, fact_cost, fact_dwelling_month, fact_staffing

# Under an agency or organisme filter, what a cost figure adds up (:func:`costs`).
ALLOCATED = (
    "coûts propres des agences retenues et part des coûts partagés du centre, répartie au "
    "prorata des logements gérés"
)


def dwelling_months_by_agency(
    conn: Connection, f: Filters, scoped: bool = True
) -> dict[str, float]:
    """Dwellings managed x months per agency over the period (months weighted by their
    days inside); ``scoped=False`` ignores the organisme and agency filters."""
    w = scopes.month_weights(f)
    query = (
        select(
            dim_agency.c.agency_code, func.sum(fact_dwelling_month.c.dwellings_count * w.c.weight)
        )
        .select_from(
            fact_dwelling_month.join(w, w.c.month == fact_dwelling_month.c.month_date).join(
                dim_agency, dim_agency.c.agency_key == fact_dwelling_month.c.agency_key
            )
        )
        .group_by(dim_agency.c.agency_code)
    )
    if scoped:
        query = query.where(*scopes._agency_filters(f, dim_agency))
    return {code: float(v or 0) for code, v in conn.execute(query)}


def dwelling_months(conn: Connection, f: Filters, scoped: bool = True) -> float:
    """Dwellings managed x months over the period, all agencies in scope together."""
    return sum(dwelling_months_by_agency(conn, f, scoped).values())


def costs(conn: Connection, f: Filters) -> float | None:
    """Costs of the period, months weighted by their days inside; None if none loaded.

    With an agency or organisme filter, the agencies' own cost centres count in full and
    the shared centre's costs are allocated in proportion to dwellings managed.
    """
    if conn.execute(select(func.count()).select_from(fact_cost)).scalar_one() == 0:
        return None
    return sum(costs_by_nature(conn, f).values())


def costs_by_nature(conn: Connection, f: Filters) -> dict[str, float]:
    """Costs of the period per nature, months weighted by their days inside, with the
    shared centre's costs allocated to an agency or organisme filter (see :func:`costs`)."""
    return _costs_by(conn, f, fact_cost.c.nature)


def costs_by_month(conn: Connection, f: Filters) -> dict | None:
    """Costs of the period per month (the first day of each), weighted and allocated as
    :func:`costs_by_nature`; None if no cost file is loaded."""
    if conn.execute(select(func.count()).select_from(fact_cost)).scalar_one() == 0:
        return None
    return _costs_by(conn, f, fact_cost.c.month_date)


def _costs_by(conn: Connection, f: Filters, key) -> dict:
    w = scopes.month_weights(f)
    amount = func.sum(fact_cost.c.amount_eur * w.c.weight)
    base = (
        select(key, amount)
        .select_from(fact_cost.join(w, w.c.month == fact_cost.c.month_date))
        .group_by(key)
    )
    if not f.has_scope:
        return {n: float(v or 0) for n, v in conn.execute(base)}
    agencies = select(dim_agency.c.agency_code)
    scoped = agencies.where(*scopes._agency_filters(f, dim_agency))
    total_dm = dwelling_months(conn, f, scoped=False)
    share = dwelling_months(conn, f) / total_dm if total_dm else 0
    out: dict = {}
    for k, value in conn.execute(base.where(fact_cost.c.cost_centre.in_(scoped))):
        out[k] = out.get(k, 0) + float(value or 0)
    for k, value in conn.execute(base.where(fact_cost.c.cost_centre.not_in(agencies))):
        out[k] = out.get(k, 0) + float(value or 0) * share
    return out


def staffing(conn: Connection, f: Filters) -> tuple[float, float] | None:
    """Advisor and supervisor FTE-days over the period; None if no staffing loaded."""
    lo, hi = scopes.date_key(f.start), scopes.date_key(f.end)
    if conn.execute(select(func.count()).select_from(fact_staffing)).scalar_one() == 0:
        return None
    row = conn.execute(
        select(
            func.sum(fact_staffing.c.advisor_fte), func.sum(fact_staffing.c.supervisor_fte)
        ).where(fact_staffing.c.date_key.between(lo, hi))
    ).one()
    return float(row[0] or 0), float(row[1] or 0)
