"""Small arithmetic shared by the KPI modules: a ratio is None when its denominator is 0."""

from __future__ import annotations


def ratio(numerator, denominator) -> float | None:
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator)


def number(value) -> float | None:
    return None if value is None else float(value)
