"""The Importer page (AppTest): upload, see how each file will be read, import, read the
report; the import runs in a process of its own, the figures are read afresh after it."""

from __future__ import annotations

import csv
import io

import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from tests.loaders.test_profiles import aircall_rows
from tests.test_app import APP
from tests.test_app_access import AUTH, access_file  # noqa: F401 (fixture)
from tests.warehouse.kpi_dataset import build_warehouse
from warehouse.engine import make_engine
from warehouse.model import schema


@pytest.fixture
def fresh_url(tmp_path, monkeypatch):
    """A warehouse of its own: this test writes to it."""
    url = build_warehouse(tmp_path)
    monkeypatch.setenv("WAREHOUSE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    return url


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _importer(user: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if user is not None:
        at.secrets["auth"] = AUTH
        at.user = user
    at.run()
    assert not at.exception, at.exception
    at.switch_page("pages/views/importer.py").run()
    return at


def _calls(url: str, prefix: str) -> int:
    engine = make_engine(url, read_only=True)
    with engine.connect() as conn:
        count = conn.execute(
            select(func.count()).where(schema.fact_call.c.call_id.like(f"{prefix}%"))
        ).scalar_one()
    engine.dispose()
    return count


def test_upload_preview_import_and_report(fresh_url):
    at = _importer()
    assert not at.exception, at.exception
    at.file_uploader(key="import_files").set_value(
        [
            ("aircall.csv", _csv(aircall_rows()), "text/csv"),
            ("rapport.csv", b"%PDF-1.7 not an export", "text/csv"),
        ]
    ).run()
    assert not at.exception, at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Aircall : historique des appels" in text and "journal d'appels" in text
    assert any("document PDF" in e.value for e in at.error)
    preview = at.dataframe[0].value
    assert list(preview["id_appel"]) == ["A1", "A2", "A3", "A4", "A5", "A6"]
    assert set(preview["numero_appelant"]) == {"[numéro masqué]"}  # never shown in clear
    assert preview["date_heure"][0] == "03/03/2025 09:00:00"  # Paris time, French format
    assert _calls(fresh_url, "A") == 0

    at.button(key="run_import").click().run()
    assert not at.exception, at.exception
    assert _calls(fresh_url, "A") == 6
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Lignes lues"] == "6" and metrics["Chargées"] == "6"
    assert "importé" in " ".join(m.value for m in at.markdown)
    assert "rejeté" in " ".join(m.value for m in at.markdown)  # the PDF's report


@pytest.mark.usefixtures("access_file")
def test_the_quality_role_cannot_import(fresh_url):
    """An agency-scoped quality manager could load other agencies' data: no import."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "qualite@office.fr"}
    at.run()
    assert not at.exception, at.exception
    # The page is not in this role's navigation: it cannot be reached at all.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/views/importer.py")
