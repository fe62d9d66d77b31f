"""User input reaches SQL only as bound parameters: hostile strings in every filter change
nothing and match nothing (DuckDB and PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.util import snapshot
from tests.warehouse.test_kpis import PERIOD
from warehouse.kpis import Filters, compute_all, queries
from warehouse.kpis.series import (
    agency_table,
    call_breakdown,
    call_heatmap,
    call_series,
    capture_series,
    contact_mix,
    request_series,
)
from warehouse.kpis.staffing import sizing_table

HOSTILE = [
    "'; DROP TABLE fact_call; --",
    "AG01' OR '1'='1",
    'x"); DELETE FROM fact_request; --',
    "crl; SELECT * FROM load_history",
    "%",
    "\\",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ' \" ;",
]


@pytest.mark.parametrize("field", ["organisme", "agencies", "channels", "categories", "queues"])
def test_hostile_strings_in_every_filter(loaded, field):  # noqa: F811
    before = snapshot(loaded)
    value = HOSTILE[0] if field == "organisme" else tuple(HOSTILE)
    f = Filters(PERIOD.start, PERIOD.end, **{field: value})
    values = {k.id: k.value for k in compute_all(loaded, f)}
    if field in ("channels", "queues"):
        assert values["offered_calls"] == 0
    if field in ("organisme", "agencies"):  # a part of the organisation: no offered calls
        assert values["answered_calls"] == 0 and values["offered_calls"] is None
    if field in ("organisme", "agencies", "channels", "categories"):
        assert values["backlog_open"] == 0
    for frame in (
        call_series(loaded, f),
        call_breakdown(loaded, f, "queue"),
        call_heatmap(loaded, f),
        request_series(loaded, f, "category"),
        capture_series(loaded, f, "month"),
        agency_table(loaded, f),
        contact_mix(loaded, f),
        queries.open_requests(loaded, f),
    ):
        assert frame is not None
    # No call in scope: no advisor needed anywhere; a request category filters no call:
    # the sizing of the whole centre (1 advisor at the peak, tests/test_app.py).
    required = sizing_table(loaded, f)["required"]
    if field == "categories":
        whole = sizing_table(loaded, Filters(PERIOD.start, PERIOD.end))["required"]
        assert required.tolist() == whole.tolist() and required.max() == 1
    else:
        assert len(required) and required.max() == 0
    assert snapshot(loaded) == before
