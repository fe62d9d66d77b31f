"""The Importer page (AppTest): upload, see how each file will be read, import, read the
report; the import runs in a process of its own, the figures are read afresh after it."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from tests.test_app import APP
from tests.test_app_access import AUTH, access_file  # noqa: F401 (fixture)
from tests.util import hold_duckdb, release
from tests.warehouse.kpi_dataset import build_warehouse
from warehouse.engine import make_engine
from warehouse.load.meta import set_setting
from warehouse.model import schema
from warehouse.model.catalog import DEMO_SETTING


@pytest.fixture
def fresh_url(tmp_path, monkeypatch):
    """A warehouse of its own: this test writes to it."""
    url = build_warehouse(tmp_path)
    monkeypatch.setenv("WAREHOUSE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    return url


SAMPLE = Path(__file__).parent / "loaders" / "samples" / "aircall" / "api-calls.csv"
LABEL = "Aircall : appels de l'API publique (champs de l'objet Call)"


def _shown(markdown: str) -> str:
    """A markdown text as the page shows it: its backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def aircall_rows() -> list[list[str]]:
    """The Aircall API sample of tests/loaders/test_profiles.py (A1-A6, its source named
    there), as rows."""
    with open(SAMPLE, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


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
    text = " ".join(_shown(m.value) for m in at.markdown)
    assert LABEL in text and "journal d'appels" in text
    assert any("document PDF" in e.value for e in at.error)
    preview = at.dataframe[0].value
    assert list(preview["id_appel"]) == ["A1", "A2", "A3", "A4", "A5", "A6"]
    assert set(preview["numero_appelant"]) == {"[numéro masqué]"}  # never shown in clear
    # The advisor is masked too, as what it is (a new user read « numéro » on a name).
    assert set(preview["agent"]) == {"[conseiller masqué]", "—"}  # A2-A4: missed, no one
    # Streamlit's drop zone is English: the page says it in French above it.
    assert any("Glissez les fichiers" in c.value and "200 Mo" in c.value for c in at.caption)
    assert preview["date_heure"][0] == "03/03/2025 09:00:00"  # 1740988800 UTC: 09:00 in Paris
    assert _calls(fresh_url, "A") == 0

    at.button(key="run_import").click().run()
    assert not at.exception, at.exception
    assert _calls(fresh_url, "A") == 6
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Lignes lues"] == "6" and metrics["Chargées"] == "6"
    assert "importé" in " ".join(m.value for m in at.markdown)
    assert "rejeté" in " ".join(m.value for m in at.markdown)  # the PDF's report


def test_a_demo_warehouse_says_before_the_click_that_it_takes_no_import(fresh_url):
    """A new user saw « Aucun problème » then, on the click, a refusal: on the demo the
    preview still shows how the files will be read, and the button is off with the
    reason beside it."""
    engine = make_engine(fresh_url)
    with engine.begin() as conn:
        set_setting(conn, DEMO_SETTING, "oui")
    engine.dispose()
    at = _importer()
    at.file_uploader(key="import_files").set_value(
        [("aircall.csv", _csv(aircall_rows()), "text/csv")]
    ).run()
    assert not at.exception, at.exception
    assert list(at.dataframe[0].value["id_appel"]) == ["A1", "A2", "A3", "A4", "A5", "A6"]
    assert at.button(key="run_import").disabled
    assert any(i.value.startswith("Import désactivé : ") for i in at.info)


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


def _other_calls() -> list[list[str]]:
    """Three calls in the same Aircall layout as ``aircall_rows``, ids B1-B3 (another
    export that happens to carry the same file name)."""
    header, *rows = aircall_rows()
    return [header] + [[f"B{i}", *row[1:]] for i, row in enumerate(rows[:3], start=1)]


def test_two_uploads_with_one_name_are_both_previewed_and_imported(fresh_url):
    """Issue 26, case 6: the second ``appels.csv`` once overwrote the first; both are read,
    previewed under names told apart, and imported."""
    at = _importer()
    at.file_uploader(key="import_files").set_value(
        [
            ("appels.csv", _csv(aircall_rows()), "text/csv"),
            ("appels.csv", _csv(_other_calls()), "text/csv"),
        ]
    ).run()
    assert not at.exception, at.exception
    # File names are data: the page escapes them for markdown (issue 26, case 3).
    assert [_shown(h.value) for h in at.subheader] == ["appels.csv", "appels (2).csv"]
    assert list(at.dataframe[0].value["id_appel"])[:2] == ["A1", "A2"]
    assert list(at.dataframe[1].value["id_appel"]) == ["B1", "B2", "B3"]
    at.button(key="run_import").click().run()
    assert not at.exception, at.exception
    assert (_calls(fresh_url, "A"), _calls(fresh_url, "B")) == (6, 3)
    reports = [_shown(h.value) for h in at.subheader if h.value.startswith("Rapport")]
    assert reports == ["Rapport : appels.csv", "Rapport : appels (2).csv"]


def test_nothing_uploaded_stays_on_the_server_s_disk(fresh_url, tmp_path, monkeypatch):
    """Issue 26, case 4: uploads (clear caller numbers) stayed in a temporary folder when
    the user left without importing. They now exist on disk only while a loaders process
    reads them: nothing after the preview, nothing after the import."""
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    at = _importer()
    at.file_uploader(key="import_files").set_value(
        [("aircall.csv", _csv(aircall_rows()), "text/csv")]
    ).run()
    assert not at.exception, at.exception
    assert at.dataframe[0].value is not None  # the preview ran...
    assert list(scratch.rglob("*")) == []  # ...and left nothing behind
    at.button(key="run_import").click().run()
    assert not at.exception, at.exception
    assert _calls(fresh_url, "A") == 6
    assert list(scratch.rglob("*")) == []


def test_an_import_that_cannot_run_says_why_and_never_says_done(fresh_url, monkeypatch):
    """Issue 26, case 7: with the DuckDB file held by another process, the page once showed
    « Import terminé » with no report. It now says the import stopped, which files were
    not imported and why (the loaders' own French message), and keeps the uploads."""

    at = _importer()
    at.file_uploader(key="import_files").set_value(
        [("aircall.csv", _csv(aircall_rows()), "text/csv")]
    ).run()
    assert not at.exception, at.exception
    path = fresh_url.removeprefix("duckdb:///")
    holder = hold_duckdb(path)
    monkeypatch.setenv("PILOTAGE_LOCK_WAIT_S", "1")
    try:
        assert holder.stdout.readline().strip() == "held"
        at.button(key="run_import").click().run()
    finally:
        release(holder)
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")  # markdown escapes
    assert "Import interrompu" in errors and "aircall.csv" in errors
    assert "Entrepôt occupé" in errors  # the loaders' own words
    assert not [m for m in at.metric if m.label == "Chargées"]
    assert "Import terminé" not in " ".join(s.label for s in at.get("expandable"))
    assert _calls(fresh_url, "A") == 0


def test_a_telephony_import_shows_the_check_a_person_can_make(fresh_url):
    """Issue 24: after a telephony import the page gives, per day, the offered, answered,
    abandoned and voicemail calls, and the calls per hour, to compare with the system's
    own dashboard. The typed 3CX sample (its hand count in tests/loaders/test_profiles.py):
    on 03/03/2025 5 offered, 3 answered, 1 abandoned, 1 voicemail; on 04/03 none (an
    outbound and an internal call); one call at 9, 10 and 17 h, two at 11 h; 1 internal
    record left out."""
    sample = Path(__file__).parent / "loaders" / "samples" / "3cx" / "cdr-typed.log"
    at = _importer()
    at.file_uploader(key="import_files").set_value(
        [("cdr.log", sample.read_bytes(), "text/plain")]
    ).run()
    assert not at.exception, at.exception
    at.button(key="run_import").click().run()
    assert not at.exception, at.exception
    check = at.dataframe[-1].value
    assert list(check.columns) == [
        "Jour",
        "Présentés",
        "Décrochés",
        "Abandonnés",
        "Messagerie",
        "Issue non mesurée",
    ]
    assert check.iloc[0].tolist() == ["03/03/2025", 5, 3, 1, 1, 0]
    assert check.iloc[1].tolist() == ["04/03/2025", 0, 0, 0, 0, 0]
    text = " ".join(m.value for m in at.markdown)
    assert "9 h : 1, 10 h : 1, 11 h : 2, 17 h : 1" in text
    assert "Hors compte : 1 enregistrement(s) laissé(s) de côté" in text
