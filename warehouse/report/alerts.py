"""Threshold alerts on any KPI of the catalogue, from a rules file the quality manager edits.

A rule names a KPI id, a test (an operator and a threshold, or the catalogue's target band),
the agencies it watches (all when none) and its period: the reference day (``jour``), the
7 days ending on it (``semaine``) or the month ending on it (``mois``). ``evaluate`` finds
the rules crossed; ``record`` keeps one row per active alert in ``alert_state`` and says
which ones crossed since the last run, so that a mail goes out once per crossing.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update

from warehouse.french import by_unit
from warehouse.kpis import Filters, KpiValue, compute_all
from warehouse.kpis.catalogue import kpi
from warehouse.model.schema import alert_state

OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
OUTSIDE_TARGET = "hors_cible"
PERIODS = {"jour": "le", "semaine": "sur les 7 jours au", "mois": "sur le mois au"}


class RulesError(ValueError):
    """A rules file that cannot be used, with the rule and the reason in French (the file
    is read and checked in :mod:`warehouse.report.rules_file`)."""


@dataclass(frozen=True)
class Rule:
    id: str
    kpi_id: str
    test: str  # an operator of OPERATORS, or OUTSIDE_TARGET
    threshold: float | None
    period: str  # jour, semaine, mois
    agencies: tuple[str, ...] = ()

    def window(self, day: date) -> tuple[date, date]:
        """The period the rule watches, ending on ``day``."""
        if self.period == "jour":
            return day, day
        if self.period == "semaine":
            return day - timedelta(days=6), day
        before = day.month - 2
        year, month = day.year + before // 12, before % 12 + 1
        try:
            return date(year, month, day.day) + timedelta(days=1), day
        except ValueError:  # 31 March -> 1 March: the whole month
            return day.replace(day=1), day

    def crossed(self, value: float | None) -> bool:
        if value is None:
            return False
        if self.test == OUTSIDE_TARGET:
            low, high = kpi(self.kpi_id).target
            return not low <= value <= high
        return OPERATORS[self.test](value, self.threshold)

    def describe(self) -> str:
        """« Niveau de service (90 s) < 80,0 % » or « … hors de sa cible (80,0 % à 100,0 %) »."""
        k = kpi(self.kpi_id)
        if self.test == OUTSIDE_TARGET:
            low, high = k.target
            return f"{k.label} hors de sa cible ({by_unit(low, k.unit)} à {by_unit(high, k.unit)})"
        return f"{k.label} {self.test} {by_unit(self.threshold, k.unit)}"


@dataclass(frozen=True)
class Alert:
    rule: Rule
    start: date
    end: date
    value: float

    @property
    def message(self) -> str:
        k = kpi(self.rule.kpi_id)
        scope = ", ".join(self.rule.agencies) or "toutes les agences"
        when = PERIODS[self.rule.period]
        return (
            f"{self.rule.describe()} : {by_unit(self.value, k.unit)} {when} "
            f"{self.end:%d/%m/%Y} ({scope})"
        )


def evaluate(
    engine: Engine, rules: list[Rule], day: date, unmeasured: list | None = None
) -> list[Alert]:
    """The rules crossed on ``day``; the KPIs of each period and scope computed once.
    ``unmeasured``, if given, receives (rule, note) for each rule whose KPI has no value
    because the exports cannot measure it (« non mesuré »): it cannot fire, and says so."""
    computed: dict[tuple, dict[str, KpiValue]] = {}
    alerts = []
    for rule in rules:
        start, end = rule.window(day)
        key = (start, end, rule.agencies)
        if key not in computed:
            values = compute_all(engine, Filters(start, end, agencies=rule.agencies))
            computed[key] = {v.id: v for v in values}
        found = computed[key].get(rule.kpi_id)
        value = found.value if found else None
        if (
            value is None
            and found
            and found.note.startswith("non mesuré")
            and unmeasured is not None
        ):
            unmeasured.append((rule, found.note))
        if rule.crossed(value):
            alerts.append(Alert(rule, start, end, value))
    return alerts


def record(engine: Engine, alerts: list[Alert]) -> list[Alert]:
    """Keep ``alert_state`` to the alerts found now; the ones to mail: newly crossed, or
    crossed before but never mailed. A cleared alert's row goes, so that it mails again the
    next time it crosses. Rules no longer in the file leave the state too."""
    now = datetime.now().replace(microsecond=0)
    s = alert_state.c
    with engine.begin() as conn:
        before = {r.rule_id: r for r in conn.execute(select(s.rule_id, s.notified_at))}
        crossed = {a.rule.id for a in alerts}
        conn.execute(delete(alert_state).where(s.rule_id.not_in(crossed)))
        for a in alerts:
            row = {
                "kpi_id": a.rule.kpi_id,
                "agencies": ",".join(a.rule.agencies),
                "period_start": a.start,
                "period_end": a.end,
                "value": a.value,
                "message": a.message,
                "checked_at": now,
            }
            if a.rule.id in before:
                conn.execute(update(alert_state).where(s.rule_id == a.rule.id).values(**row))
            else:
                conn.execute(insert(alert_state).values(rule_id=a.rule.id, since_at=now, **row))
    return [a for a in alerts if a.rule.id not in before or before[a.rule.id].notified_at is None]


def mark_notified(engine: Engine, alerts: list[Alert]) -> None:
    """The alerts whose mail went out: not sent again while they stay crossed."""
    if not alerts:
        return
    now = datetime.now().replace(microsecond=0)
    ids = [a.rule.id for a in alerts]
    with engine.begin() as conn:
        conn.execute(
            update(alert_state).where(alert_state.c.rule_id.in_(ids)).values(notified_at=now)
        )
