"""Documentation is tested: every header, alias and coded value is in the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from loaders.sources import SOURCES

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "import-formats.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_header_alias_and_value_is_documented(source):
    spec = SOURCES[source]
    assert f"## `{source}`" in DOC
    for col in spec.columns:
        assert f"| `{col.name}` |" in DOC
        for word in (*col.aliases, *col.allowed):
            assert f"`{word}`" in DOC, f"{source}.{col.name}: {word}"


def test_readme_opens_with_the_two_commands():
    head = README.split("## ", 1)[0]
    assert "streamlit run app.py" in head
    assert "pytest" in head


def _settings_in_code() -> set[str]:
    """Every environment variable the code or the tests read."""
    found = set()
    for path in [ROOT / "app.py", *ROOT.glob("[wlpt]*/**/*.py")]:
        if ".venv" in path.parts:
            continue
        found |= set(re.findall(r"environ(?:\.get)?[\[(]\s*\"([A-Z_]+)\"", path.read_text()))
    return found


def test_the_settings_are_found():
    assert {"WAREHOUSE_URL", "PILOTAGE_REQUIRE_PG", "PILOTAGE_ACCESS_FILE"} <= _settings_in_code()


@pytest.mark.parametrize("setting", sorted(_settings_in_code()))
def test_every_setting_is_documented(setting):
    assert f"`{setting}`" in README


def test_every_kpi_id_and_setting_is_in_the_kpi_docs():
    from dataclasses import fields

    from warehouse.kpis.catalogue import CATALOGUE
    from warehouse.model.params import Settings

    doc = (ROOT / "docs" / "kpis.md").read_text(encoding="utf-8")
    for k in CATALOGUE:
        assert f"| `{k.id}` | {k.label} |" in doc, k.id
        assert k.definition in doc, k.id
    for field in fields(Settings):
        assert f"`{field.name}`" in doc, field.name


def test_every_shipped_profile_is_documented():
    from loaders.read.profile import SHIPPED, load_profile

    for path in sorted(SHIPPED.glob("*.toml")):
        profile = load_profile(path)
        assert f"| `{profile.name}` |" in DOC, profile.name
        assert profile.follows and profile.unclear, f"{profile.name}: say what it follows"
