"""What the monthly report says, gathered once from the KPI layer: the PDF and the audit pack
are two ways of writing the same figures."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine

from warehouse.french import by_unit
from warehouse.kpis import (
    DEFAULT_SETTINGS,
    Filters,
    KpiValue,
    chases,
    compute_all,
    failure,
    queries,
    satisfaction,
    series,
)
from warehouse.kpis.catalogue import Kpi, better
from warehouse.model.calendar import months_before

# The tiles of the report's first page, in the order a director reads them.
TILES = [
    "offered_calls",
    "answered_calls",
    "answer_rate",
    "service_level_90",
    "asa_s",
    "abandon_rate",
    "first_level_closure_calls",
    "first_level_closure_requests",
    "commitment_kept",
    "backlog_open",
    "followup_rate",
    "complaint_share",
    "capture_share.crl",
    "calls_per_dwelling_month",
    "cost_per_dwelling_year",
    "cost_per_answered_call",
    "satisfaction.global",
]
LATE_LISTED = 50_000  # the audit pack's list of late requests (the count is exact)
TREND_MONTHS = 13  # the month and the twelve before it: last year's month is on the chart


def month_filters(month: date, agencies: tuple[str, ...] = ()) -> Filters:
    """The whole calendar month of ``month``, for the chosen agencies (all when empty)."""
    last = calendar.monthrange(month.year, month.month)[1]
    return Filters(month.replace(day=1), month.replace(day=last), agencies=agencies)


@dataclass(frozen=True)
class MonthlyReport:
    filters: Filters
    agency_names: dict[str, str]
    refs: dict[str, pd.DataFrame]  # the channels and categories, for their labels
    kpis: list[KpiValue]
    last_year: dict[str, KpiValue]
    trend: pd.DataFrame  # call KPIs per month, 13 months
    request_trend: pd.DataFrame  # request KPIs per month of creation, 13 months
    agencies: pd.DataFrame  # per-agency call and request KPIs of the month
    urgency: pd.DataFrame  # commitments per urgency (days)
    late: pd.DataFrame  # requests late at the month's end, oldest first
    late_count: int
    survey: dict  # satisfaction.overview
    events: pd.DataFrame
    alerts: pd.DataFrame
    generated_at: datetime
    # Call reasons and the cost of non-quality (warehouse.kpis.failure, .chases)
    failure: dict | None = None  # failure.summary of the month
    failure_last_year: dict | None = None
    reasons: pd.DataFrame | None = None  # the reasons table per motif family and motif
    reason_families: pd.DataFrame | None = None  # the same per motif family
    chase_categories: pd.DataFrame | None = None  # categories ranked by follow-ups
    chased_open: pd.DataFrame | None = None  # most-chased open requests at the month's end

    @property
    def month(self) -> date:
        return self.filters.start

    def value(self, kpi_id: str) -> KpiValue | None:
        return next((v for v in self.kpis if v.id == kpi_id), None)

    def tiles(self) -> list[KpiValue]:
        return [v for v in (self.value(i) for i in TILES) if v is not None]

    def scope(self) -> str:
        """« toutes les agences » or the chosen agencies by name."""
        if not self.filters.agencies:
            return "toutes les agences"
        return ", ".join(self.agency_names.get(a, a) for a in self.filters.agencies)


def gather(engine: Engine, month: date, agencies: tuple[str, ...] = ()) -> MonthlyReport:
    """Every figure of the report for ``month`` (any day of it) and the chosen agencies."""
    f = month_filters(month, agencies)
    trend_filters = replace(f, start=months_before(f.start, TREND_MONTHS - 1))
    last_year = {v.id: v for v in compute_all(engine, f.shifted_years(1))}
    urgency = series.request_series(engine, f, "urgency").dropna(subset=["urgency_days"])
    return MonthlyReport(
        filters=f,
        agency_names=queries.agency_labels(queries.agencies(engine)),
        refs={"channels": queries.channels(engine), "categories": queries.categories(engine)},
        kpis=compute_all(engine, f),
        last_year=last_year,
        trend=series.call_series(engine, trend_filters, "month"),
        request_trend=series.request_series(engine, trend_filters, "month"),
        agencies=_ranked(series.agency_table(engine, f)),
        urgency=urgency.sort_values("urgency_days").reset_index(drop=True),
        late=queries.open_requests(engine, f, late_only=True, limit=LATE_LISTED),
        late_count=queries.open_request_count(engine, f, late_only=True),
        survey=satisfaction.overview(engine, f),
        events=queries.events(engine, f.start, f.end),
        alerts=queries.active_alerts(engine),
        generated_at=datetime.now().replace(microsecond=0),
        **_non_quality(engine, f),
    )


def _non_quality(engine: Engine, f: Filters) -> dict:
    """The month's call reasons, failure demand and its cost, against a year before."""
    s = DEFAULT_SETTINGS
    with engine.connect() as conn:
        cells = failure.cells(conn, f, s)  # one query for the summary and both tables
        return {
            "failure": failure.summary(conn, f, s, cells=cells),
            "failure_last_year": failure.summary(conn, f.shifted_years(1), s),
            "reasons": pd.DataFrame(failure.reasons(conn, f, s, cells=cells)),
            "reason_families": pd.DataFrame(
                failure.reasons(conn, f, s, level="family", cells=cells)
            ),
            "chase_categories": pd.DataFrame(chases.categories(conn, f, s)),
            "chased_open": pd.DataFrame(chases.open_requests(conn, f, s, limit=LATE_LISTED)),
        }


RANKED_BY = "commitment_kept"


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    """Agencies from the one that keeps its commitments least to the one that keeps them
    best (the catalogue's target is on that KPI); agencies without a value last."""
    if table.empty or RANKED_BY not in table:
        return table
    ascending = better(RANKED_BY) == "up"  # the weakest first
    return table.sort_values(
        [RANKED_BY, "agency"], ascending=[ascending, True], na_position="last"
    ).reset_index(drop=True)


def target_text(k: Kpi) -> str:
    """The catalogue's target band as a reader says it: « ≥ 80,0 % », « ≤ 60 s »."""
    if k.target is None:
        return ""
    low, high = k.target
    if k.unit == "ratio" and high >= 1:
        return f"≥ {by_unit(low, k.unit)}"
    if low <= 0:
        return f"≤ {by_unit(high, k.unit)}"
    return f"{by_unit(low, k.unit)} à {by_unit(high, k.unit)}"


def status(k: Kpi, value: float | None) -> str:
    """« dans la cible », « hors cible », or nothing without a target or a value."""
    if k.target is None or value is None:
        return ""
    return "dans la cible" if k.target[0] <= value <= k.target[1] else "hors cible"
