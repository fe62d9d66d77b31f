"""The KPI layer: every KPI of ``kpis.md`` as SQLAlchemy Core over the star schema."""

from warehouse.kpis.catalogue import CATALOGUE, Kpi, kpi
from warehouse.kpis.compute import KpiValue, compute_all
from warehouse.model.params import DEFAULT_SETTINGS, Filters, Settings

__all__ = [
    "CATALOGUE",
    "DEFAULT_SETTINGS",
    "Filters",
    "Kpi",
    "KpiValue",
    "Settings",
    "compute_all",
    "kpi",
]
