"""The hand-made landlord of ``kpi_dataset.py``, loaded through the real loaders."""

from __future__ import annotations

import pytest

from tests.util import load_files
from tests.warehouse.kpi_dataset import FILES


@pytest.fixture
def loaded(engine, tmp_path):
    return load_files(engine, tmp_path, FILES)
