"""Erlang C: the advisors a call centre needs for a service-level target.

Computed through the Erlang B recursion (no factorial, no power of the traffic), which is
exact and stable for any traffic: B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1)), and
C(n) = n B(n) / (n - A (1 - B(n))) for n > A.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Staffing:
    advisors: int  # on the phones, the fewest that reach the target
    service_level: float  # share answered within the target time
    wait_probability: float  # Erlang C: share of calls that wait at all
    asa_s: float  # average speed of answer, seconds
    occupancy: float  # traffic / advisors


def traffic_erlangs(calls: float, handle_s: float, interval_s: float) -> float:
    """Offered traffic A in Erlangs: calls x handle time / interval length."""
    return calls * handle_s / interval_s


def erlang_c(advisors: int, traffic: float) -> float:
    """Probability that a call waits; 1 when the advisors cannot absorb the traffic."""
    if advisors <= traffic:
        return 1.0
    b = 1.0
    for k in range(1, advisors + 1):
        b = traffic * b / (k + traffic * b)
    return advisors * b / (advisors - traffic * (1 - b))


def evaluate(advisors: int, traffic: float, handle_s: float, target_s: float) -> Staffing:
    """Service level, waiting probability, ASA and occupancy with ``advisors``."""
    if traffic <= 0:
        return Staffing(advisors, 1.0, 0.0, 0.0, 0.0)
    pw = erlang_c(advisors, traffic)
    if advisors <= traffic:
        return Staffing(advisors, 0.0, 1.0, math.inf, 1.0)
    spare = advisors - traffic
    level = 1 - pw * math.exp(-spare * target_s / handle_s)
    return Staffing(advisors, level, pw, pw * handle_s / spare, traffic / advisors)


def required(
    calls: float,
    handle_s: float,
    interval_s: float = 1800,
    target_share: float = 0.80,
    target_s: float = 90,
) -> Staffing:
    """The fewest advisors answering ``target_share`` of the calls within ``target_s``."""
    if calls <= 0 or handle_s <= 0:
        return Staffing(0, 1.0, 0.0, 0.0, 0.0)
    traffic = traffic_erlangs(calls, handle_s, interval_s)
    advisors = max(1, math.floor(traffic) + 1)
    while True:
        result = evaluate(advisors, traffic, handle_s, target_s)
        if result.service_level >= target_share:
            return result
        advisors += 1


def scheduled(advisors: int, shrinkage: float = 0.30) -> float:
    """Advisors to schedule so that ``advisors`` are on the phones after shrinkage."""
    return advisors / (1 - shrinkage)
