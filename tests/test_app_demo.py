"""A demo warehouse says so above every page; a real one never does (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pages import PAGES as DASHBOARD_PAGES
from tests.warehouse.kpi_dataset import build_warehouse
from warehouse.engine import make_engine
from warehouse.load.meta import set_setting
from warehouse.model.catalog import DEMO_MARK, DEMO_SETTING

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = [name for name, _, _ in DASHBOARD_PAGES]


@pytest.fixture(scope="module")
def urls(tmp_path_factory):
    """The KPI dataset's warehouse, and a copy of it marked as the demo's."""
    real = build_warehouse(tmp_path_factory.mktemp("real"))
    demo = build_warehouse(tmp_path_factory.mktemp("demo"))
    engine = make_engine(demo)
    with engine.begin() as conn:
        set_setting(conn, DEMO_SETTING, "oui")
    engine.dispose()
    return {"real": real, "demo": demo}


def _banners(url: str, page: str, monkeypatch) -> list[str]:
    monkeypatch.setenv("WAREHOUSE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["periode"] = "custom"
    at.query_params["debut"] = "2025-03-01"
    at.query_params["fin"] = "2025-04-30"
    at.run()
    if page != "synthese":
        at.switch_page(f"pages/views/{page}.py").run()
    assert not at.exception, at.exception
    return [w.value for w in at.warning if DEMO_MARK in w.value]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_of_a_demo_warehouse_says_so(urls, page, monkeypatch):
    assert len(_banners(urls["demo"], page, monkeypatch)) == 1


def test_a_real_warehouse_has_no_demo_banner(urls, monkeypatch):
    for page in ("synthese", "appels"):
        assert _banners(urls["real"], page, monkeypatch) == []


def test_a_demo_warehouse_download_is_named_and_marked(urls, monkeypatch):
    """Every table download of a page (here the Appels page) is named ``demonstration_…``
    and its CSV's first column is the mark, « oui » on every row."""
    from streamlit.delta_generator import DeltaGenerator

    offered: list[tuple[str, bytes]] = []
    original = DeltaGenerator.download_button

    def record(self, label, data, file_name=None, *args, **kwargs):
        offered.append((file_name, data() if callable(data) else data))  # written on click
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    _banners(urls["demo"], "appels", monkeypatch)
    csvs = [(name, data) for name, data in offered if name.endswith(".csv")]
    assert csvs and all(name.startswith("demonstration_") for name, _ in csvs)
    for _, data in csvs:
        header, *rows = data.decode("utf-8-sig").strip().splitlines()
        assert header.startswith(f"{DEMO_MARK};")
        assert rows and all(row.startswith("oui;") for row in rows)
