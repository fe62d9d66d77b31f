"""The Streamlit entry point starts on a loaded warehouse and shows what is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.pipeline import import_file
from tests.loaders.samples import REFERENCE, SAMPLES
from tests.util import write_export
from warehouse.engine import make_engine
from warehouse.setup import init_warehouse

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def loaded_url(tmp_path):
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    engine = make_engine(url)
    init_warehouse(engine)
    for source in sorted(SAMPLES, key=lambda s: s not in REFERENCE):
        import_file(engine, write_export(tmp_path / f"{source}.csv", SAMPLES[source]))
    engine.dispose()
    return url


def test_app_shows_counts_and_load_history(loaded_url, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_URL", loaded_url)
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Appels"] == "2"
    assert metrics["Demandes"] == "2"
    history = at.dataframe[0].value
    assert sorted(history["Fichier"]) == sorted(f"{s}.csv" for s in SAMPLES)
