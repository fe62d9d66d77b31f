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


def test_every_setting_is_read_through_the_table_only():
    """No module reads the environment for a setting of ours but ``warehouse/config.py``."""
    from warehouse.config import SETTINGS

    read = re.compile(
        r"(?:environ(?:\.get)?[\[(]|getenv\()\s*[\"']((?:PILOTAGE|WAREHOUSE)_[A-Z_]+)"
    )
    for path in [ROOT / "app.py", *ROOT.glob("[wlp]*/**/*.py")]:
        if ".venv" in path.parts or path.name == "config.py":
            continue
        found = read.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(ROOT)} reads {found} itself: use warehouse.config"
    assert "PILOTAGE_PSEUDONYM_KEY" in SETTINGS


def test_the_readme_s_settings_table_is_the_config_table():
    """The README lists exactly the settings of ``warehouse/config.py``, each with its
    meaning and default."""
    from warehouse.config import SETTINGS

    rows = re.findall(r"^\| `((?:PILOTAGE|WAREHOUSE)_[A-Z_]+)` \| (.+?) \| (.+?) \|$", README, re.M)
    assert [name for name, _, _ in rows] == list(SETTINGS)
    for name, meaning, default in rows:
        setting = SETTINGS[name]
        assert meaning == setting.meaning, name
        shown = setting.shown_default or (f"`{setting.default}`" if setting.default else "unset")
        assert default == shown, name


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


def test_every_speed_figure_of_the_readme_comes_from_a_results_file():
    """The README copies its speed figures from the benchmarks' results files: a figure
    typed by hand, or left behind by a re-run, fails here."""
    results = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "bench").glob("results-*.md"))
    )
    section = README.split("## Speed", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) > 2
    for row in rows[1:]:
        measured = row.split(" | ")[1]
        for figure in re.findall(r"\d[\d,]*(?:\.\d+)?", measured):
            assert re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d,]|\.\d)", results), (
                f"{figure} ({row}) is in no bench/results-*.md"
            )


def test_every_relative_link_of_the_docs_resolves():
    """The README is a guide pointing into docs/: a moved page must not leave a dead link."""
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for link in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if not link.startswith(("http:", "https:", "mailto:")):
                assert (doc.parent / link).exists(), f"{doc.name}: {link}"
