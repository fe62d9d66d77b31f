"""The hand-made landlord of ``kpi_dataset.py``, loaded through the real loaders."""

from __future__ import annotations

import pytest

from loaders.pipeline import import_file
from tests.util import write_export
from tests.warehouse.kpi_dataset import FILES


@pytest.fixture
def loaded(engine, tmp_path):
    for source, rows in FILES:
        report = import_file(engine, write_export(tmp_path / f"{source}.csv", rows))
        assert report.status == "loaded" and report.rows_quarantined == 0, report
    return engine
