"""Issue 26 case 5: where the pseudonym key is kept when no key is given, and what an
import says when it cannot read it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from loaders import pseudonym
from loaders.pipeline import import_file
from tests.loaders.samples import SAMPLES
from tests.util import write_export
from warehouse.model.schema import fact_call


def _calls(tmp_path, name: str = "appels.csv"):
    return write_export(tmp_path / name, [SAMPLES["appels"][0]])


def _call_ids(engine) -> list[str]:
    with engine.connect() as conn:
        return conn.execute(select(fact_call.c.call_id)).scalars().all()


@pytest.fixture
def no_key_given(monkeypatch):
    monkeypatch.delenv(pseudonym.KEY_ENV)
    pseudonym._key.cache_clear()
    yield
    pseudonym._key.cache_clear()


def test_the_key_file_setting_names_where_the_key_is_generated(
    engine, tmp_path, monkeypatch, no_key_given
):
    """``PILOTAGE_PSEUDONYM_KEY_FILE``: the key is generated there, mode 600; the data
    folder (the DuckDB file's) and the default config folder get none."""
    file = tmp_path / "secrets" / "pilotage.key"
    monkeypatch.setenv(pseudonym.KEY_FILE_SETTING, str(file))
    assert import_file(engine, _calls(tmp_path)).status == "loaded"
    assert len(file.read_text()) == 64 and oct(file.stat().st_mode)[-3:] == "600"
    assert not (tmp_path / "data" / "pseudonym.key").exists()
    assert not (tmp_path / "config" / "pilotage-grl" / "pseudonym.key").exists()


def test_a_key_file_readable_by_others_is_made_owner_only(engine, tmp_path, no_key_given):
    file = tmp_path / "config" / "pilotage-grl" / "pseudonym.key"
    file.parent.mkdir(parents=True)
    file.write_text("k" * 40)
    file.chmod(0o644)
    assert import_file(engine, _calls(tmp_path)).status == "loaded"
    assert oct(file.stat().st_mode)[-3:] == "600"


@pytest.mark.parametrize("broken", ["a folder", "not utf-8"])
def test_an_unreadable_key_file_is_said_in_french_and_nothing_imported(
    engine, tmp_path, no_key_given, broken
):
    file = tmp_path / "config" / "pilotage-grl" / "pseudonym.key"
    file.parent.mkdir(parents=True)
    if broken == "a folder":
        file.mkdir()
    else:
        file.write_bytes(b"\xff\xfe" + b"\x00k" * 40)
    report = import_file(engine, _calls(tmp_path))
    assert report.status == "rejected", report
    assert report.message.startswith(f"clé de pseudonymisation illisible ({file}) : ")
    assert "PILOTAGE_PSEUDONYM_KEY_FILE" in report.message
    assert _call_ids(engine) == []


def test_a_key_left_beside_the_warehouse_is_refused_with_where_to_move_it(
    engine, tmp_path, no_key_given
):
    """An earlier version's ``data/pseudonym.key``: the import says to move it, and no
    other key is generated (it would split every caller's history)."""
    legacy = tmp_path / "data" / "pseudonym.key"
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_text("k" * 64)
    report = import_file(engine, _calls(tmp_path))
    assert report.status == "rejected", report
    assert "encore dans" in report.message and "déplacez-la vers" in report.message
    assert not (tmp_path / "config" / "pilotage-grl" / "pseudonym.key").exists()
    assert _call_ids(engine) == []


def test_a_preview_needs_no_key_and_generates_none(tmp_path, no_key_given):
    """A number in a call id is masked in the preview without the key (an import is what
    checks the key against the warehouse): no key file appears."""
    from loaders.preview import preview

    call = dict(SAMPLES["appels"][0], id_appel="0645454501-20250303")
    result = preview(write_export(tmp_path / "appels.csv", [call]))
    assert result["status"] == "ok", result
    assert result["rows"][0][1] == "[numéro masqué]-20250303"
    assert not (tmp_path / "config" / "pilotage-grl" / "pseudonym.key").exists()
