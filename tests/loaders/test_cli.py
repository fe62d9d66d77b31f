"""``python -m loaders``: reports per file, exit codes, folders, forced source, demo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from loaders.cli import main
from tests.loaders.samples import SAMPLES
from tests.util import write_export

ROOT = Path(__file__).resolve().parents[2]


def _url(tmp_path):
    return f"duckdb:///{tmp_path / 'w.duckdb'}"


def test_import_folder_reports_each_file(tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    write_export(
        folder / "b_appels.csv",
        SAMPLES["appels"] + [dict(SAMPLES["appels"][0], id_appel="X", issue="??")],
    )
    write_export(folder / "a_agences.xlsx", SAMPLES["agences"], title_rows=2)
    code = main(["--url", _url(tmp_path), "import", str(folder)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0].startswith("OK      a_agences.xlsx [agences] : 2 lues, 2 chargées")
    assert out[1] == (
        "OK      b_appels.csv [appels] : 3 lues, 2 chargées (2 nouvelles, 0 mises à jour), "
        "0 doublons ou déjà à jour, 1 en quarantaine"
    )
    assert out[2].strip().startswith("ligne 4 [issue] : valeur non reconnue")
    # Again: identical content is recognised and nothing changes.
    assert main(["--url", _url(tmp_path), "import", str(folder)]) == 0
    assert all(line.startswith("IGNORÉ") for line in capsys.readouterr().out.splitlines())


def test_rejected_files_exit_non_zero_and_say_why(tmp_path, capsys):
    unknown = tmp_path / "mystere.csv"
    unknown.write_text("a;b;c\n1;2;3\n")
    missing = write_export(
        tmp_path / "appels.csv", [{k: v for k, v in SAMPLES["appels"][0].items() if k != "issue"}]
    )
    empty = tmp_path / "vide.csv"
    empty.write_text("")
    code = main(["--url", _url(tmp_path), "import", str(unknown), str(missing), str(empty)])
    out = capsys.readouterr().out
    assert code == 1
    assert "REJETÉ  mystere.csv [?] : source inconnue" in out
    assert "REJETÉ  appels.csv [?] : source inconnue" in out
    assert "« appels », à qui il manque : issue" in out
    assert "REJETÉ  vide.csv [?] : fichier vide" in out


def test_forced_source_names_the_missing_columns(tmp_path, capsys):
    path = write_export(tmp_path / "x.csv", [{"id_appel": "1", "sens": "entrant"}])
    code = main(["--url", _url(tmp_path), "import", "--source", "appels", str(path)])
    assert code == 1
    out = capsys.readouterr().out
    assert "colonnes obligatoires absentes pour la source « appels »" in out
    assert "date_heure, file, attente_s, duree_s, issue" in out


def test_demo_is_deterministic_and_imports_cleanly(tmp_path):
    from loaders.demo import build_demo

    first = build_demo(tmp_path / "one", dwellings=300, years=2, seed=7, end_year=2024)
    second = build_demo(tmp_path / "two", dwellings=300, years=2, seed=7, end_year=2024)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        if a.suffix != ".xlsx":  # xlsx files carry a creation time
            assert a.read_bytes() == b.read_bytes(), a.name
    assert (tmp_path / "one" / "appels_2023.csv").read_bytes().decode("cp1252")


@pytest.mark.slow
def test_module_entry_point_runs(tmp_path):
    env = {"PILOTAGE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "loaders",
            "--url",
            _url(tmp_path),
            "demo",
            "--dwellings",
            "200",
            "--years",
            "1",
            "--out",
            str(tmp_path / "demo"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "fichiers de démonstration écrits" in result.stdout
    assert "REJETÉ" not in result.stdout
    assert "leaked" not in result.stderr
