"""Erlang C against published worked examples, at large traffic, and its monotonicity."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warehouse.kpis.erlang import erlang_c, evaluate, required, scheduled, traffic_erlangs


def test_published_example_100_calls_180_s_80_in_20_s():
    """Call Centre Helper, "Erlang C formula - made simple" (callcentrehelper.com): 100
    calls in 30 minutes, 180 s handle time, 80 % in 20 s -> 10 Erlangs; 14 advisors
    (service level 88.8 %, 17.4 % of calls wait, ASA 7.8 s); 13 give 79.6 %."""
    assert traffic_erlangs(100, 180, 1800) == 10
    result = required(100, 180, 1800, 0.80, 20)
    assert result.advisors == 14
    assert result.service_level == pytest.approx(0.8884, abs=1e-4)
    assert result.wait_probability == pytest.approx(0.1741, abs=1e-4)
    assert result.asa_s == pytest.approx(7.84, abs=0.01)
    assert result.occupancy == pytest.approx(10 / 14)
    assert evaluate(13, 10, 180, 20).service_level == pytest.approx(0.7956, abs=1e-4)


def test_erlang_c_small_case_by_hand():
    """A = 0.5, n = 2: B(1) = 1/3, B(2) = 1/13, C = 2 x 1/13 / (2 - 0.5 x 12/13) = 0.1."""
    assert erlang_c(2, 0.5) == pytest.approx(0.1)
    assert erlang_c(1, 1.0) == 1.0  # no spare capacity: every call waits


def test_large_traffic_does_not_overflow():
    """500 calls per half-hour at 180 s = 50 Erlangs; 10,000 calls = 1,000 Erlangs."""
    result = required(500, 180, 1800, 0.80, 90)
    assert 51 <= result.advisors <= 60
    assert result.service_level >= 0.80
    huge = required(10_000, 180, 1800, 0.80, 90)
    assert huge.advisors > 1000 and math.isfinite(huge.asa_s)


def test_shrinkage():
    assert scheduled(14, 0.30) == pytest.approx(20.0)
    assert scheduled(0) == 0


def test_no_calls_no_advisors():
    assert required(0, 180).advisors == 0


calls = st.floats(min_value=0.5, max_value=800, allow_nan=False)
handle = st.floats(min_value=30, max_value=900, allow_nan=False)
share = st.floats(min_value=0.5, max_value=0.95)
seconds = st.integers(min_value=5, max_value=300)


@settings(max_examples=200, deadline=None)
@given(
    calls=calls,
    more=st.floats(min_value=0, max_value=200),
    handle=handle,
    share=share,
    seconds=seconds,
)
def test_more_calls_never_need_fewer_advisors(calls, more, handle, share, seconds):
    base = required(calls, handle, 1800, share, seconds).advisors
    assert required(calls + more, handle, 1800, share, seconds).advisors >= base


@settings(max_examples=200, deadline=None)
@given(
    calls=calls,
    handle=handle,
    share=share,
    stricter=st.floats(0, 0.04),
    seconds=seconds,
    shorter=st.integers(0, 4),
)
def test_a_stricter_target_never_needs_fewer_advisors(
    calls, handle, share, stricter, seconds, shorter
):
    base = required(calls, handle, 1800, share, seconds).advisors
    strict = required(calls, handle, 1800, share + stricter, max(1, seconds - shorter)).advisors
    assert strict >= base
