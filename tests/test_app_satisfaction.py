"""The Satisfaction page (AppTest) on the hand-made survey of
``tests/warehouse/survey_dataset.py``: the rates and changes worked out in
``tests/warehouse/test_satisfaction.py``, the agencies, the bridge, the « à chaud » tables,
and the Synthèse's overall satisfaction tile."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from loaders.pipeline import import_file
from tests.test_app import PERIOD
from tests.test_app import _open as open_page
from tests.util import write_export
from tests.warehouse import survey_dataset
from tests.warehouse.kpi_dataset import build_warehouse
from warehouse.engine import make_engine


@pytest.fixture(scope="module")
def surveyed_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("survey")
    url = build_warehouse(folder)
    engine = make_engine(url)
    for name, rows in survey_dataset.FILES:
        assert import_file(engine, write_export(folder / f"{name}.csv", rows)).status == "loaded"
    engine.dispose()
    return url


@pytest.fixture
def app(surveyed_url, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_URL", surveyed_url)
    st.cache_data.clear()
    st.cache_resource.clear()


def _open(page: str) -> AppTest:
    return open_page(page, PERIOD)


def _table(at: AppTest, *columns: str):
    """The page's table holding ``columns`` (charts' data tables sit among them)."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


@pytest.mark.usefixtures("app")
def test_the_satisfaction_page_shows_the_hand_computed_rates():
    at = _open("satisfaction")
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    # 2025 against 2022: global 80 % (+30 pts), accueil 50 % (-50 pts), technique 66,7 %.
    # Good or bad in words as well as colour (issue 30).
    assert tiles["Satisfaction globale"] == (
        "80,0\u202f%",
        "+30,0\u202fpts depuis 2022, favorable",
    )
    assert tiles["Accueil"][0] == "50,0\u202f%" and tiles["Accueil"][1].endswith(
        "50,0\u202fpts depuis 2022, défavorable"
    )
    assert tiles["Demandes techniques"][0] == "66,7\u202f%"
    # Every theme rests on fewer than 30 respondents: flagged.
    assert any("fragile" in m.value for m in at.markdown)
    agencies = _table(at, "Satisfaction globale", "Répondants")
    assert list(agencies["Agence"]) == ["AG01", "AG02"]
    assert list(agencies["Satisfaction globale"]) == ["100,0\u202f%", "50,0\u202f%"]
    assert any("Moins de 30 répondants" in w.value for w in at.warning)
    kept = _table(at, "Engagement")
    assert dict(zip(kept["Engagement"], kept["Satisfaits"], strict=True)) == {
        "respecté": "100,0\u202f%",
        "non respecté": "0,0\u202f%",
    }
    keys = {b.key for b in at.get("download_button")}
    for prefix in ("sat_themes", "sat_agencies", "sat_bridge", "sat_kept"):
        assert {f"{prefix}_csv", f"{prefix}_xlsx"} <= keys, prefix


@pytest.mark.usefixtures("app")
def test_the_synthese_has_the_overall_satisfaction_tile():
    tiles = {m.label: (m.value, m.delta) for m in _open("synthese").metric}
    assert tiles["Satisfaction globale"] == (
        "80,0\u202f%",
        "+30,0\u202fpts depuis 2022, favorable",
    )
