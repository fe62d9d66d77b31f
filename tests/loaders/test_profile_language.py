"""The profile language: a SELECT over the export, in a sandbox that reaches nothing else;
a broken or slow profile never stops the other imports (issue 26, items 9 and 10)."""

from __future__ import annotations

import time

import pytest

from loaders.pipeline import import_file
from loaders.read.profile import ProfileError, all_profiles, load_profile, profile_problems

PROFILE = """
name = "{name}"
label = "Essai"
source = "appels"
[detect]
headers = ["Ref", "Quand"]
[sql]
select = \"\"\"{sql}\"\"\"
"""
GOOD_SQL = """
SELECT _line, "Ref" AS id_appel, as_time("Quand", '%d/%m/%Y %H:%M') AS date_heure,
  'entrant' AS sens, 'CRL' AS file, secs("Attente") AS attente_s, secs("Parole") AS duree_s,
  CASE WHEN secs("Parole") > 0 THEN 'decroche' ELSE 'abandonne' END AS issue
FROM export
"""
EXPORT = "Ref;Quand;Attente;Parole\nR1;03/03/2025 09:00;20;00:03:00\nR2;03/03/2025 10:00;45;0\n"


def _profiles(tmp_path, monkeypatch, **files) -> None:
    folder = tmp_path / "profils"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("PILOTAGE_PROFILES_DIR", str(folder))


def _export(tmp_path, text=EXPORT):
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_profile_maps_an_export_with_sql(engine, tmp_path, monkeypatch):
    _profiles(tmp_path, monkeypatch, essai=PROFILE.format(name="essai", sql=GOOD_SQL))
    report = import_file(engine, _export(tmp_path))
    assert report.status == "loaded" and report.profile == "essai", report
    assert (report.rows_read, report.rows_loaded) == (2, 2)


@pytest.mark.parametrize(
    "reach",
    [
        "(SELECT content FROM read_text('{secret}'))",
        "(SELECT count(*) FROM glob('{folder}/*'))::VARCHAR",
        "(SELECT content FROM read_text('https://example.com/x.txt'))",
    ],
)
def test_the_sql_reaches_nothing_but_the_export(engine, tmp_path, monkeypatch, reach):
    """A well-formed profile whose motif reads a file, a folder or a URL: refused by
    DuckDB itself (external access off), the file rejected, nothing loaded."""
    secret = tmp_path / "secret.txt"
    secret.write_text("mot de passe", encoding="utf-8")
    motif = reach.format(secret=secret, folder=tmp_path)
    sql = GOOD_SQL.replace("FROM export", f", {motif} AS motif FROM export")
    _profiles(tmp_path, monkeypatch, essai=PROFILE.format(name="essai", sql=sql))
    report = import_file(engine, _export(tmp_path))
    assert report.status == "rejected", report
    assert "profil « essai »" in report.message and "Permission" in report.message


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("COPY export TO '/tmp/x.csv'", "une seule requête SELECT"),
        ("SELECT 1; SELECT 2", "une seule requête SELECT"),
        ("SELEC 1", "SQL illisible"),
    ],
)
def test_only_one_select_is_accepted(tmp_path, sql, why):
    path = tmp_path / "p.toml"
    path.write_text(PROFILE.format(name="p", sql=sql), encoding="utf-8")
    with pytest.raises(ProfileError, match=why):
        load_profile(path)


def test_a_broken_profile_is_reported_and_skipped(engine, tmp_path, monkeypatch):
    """Issue 26, 9: one malformed profile (a TOML error) and one with an unknown source;
    the good one, the shipped ones and our own layout keep working, and every report
    says which profile was skipped and why."""
    _profiles(
        tmp_path,
        monkeypatch,
        essai=PROFILE.format(name="essai", sql=GOOD_SQL),
        casse='name = "casse"\nlabel = [',
        inconnu=PROFILE.format(name="inconnu", sql=GOOD_SQL).replace("appels", "nope"),
    )
    assert "essai" in all_profiles() and "genesys-cloud" in all_profiles()
    problems = profile_problems()
    assert len(problems) == 2 and all("ce profil est ignoré" in p for p in problems)
    report = import_file(engine, _export(tmp_path))
    assert report.status == "loaded" and report.profile == "essai", report
    assert sum("casse.toml" in n for n in report.notes) == 1
    ours = tmp_path / "appels.csv"
    ours.write_text(
        "id_appel;date_heure;sens;file;attente_s;duree_s;issue\n"
        "X1;03/03/2025 09:00;entrant;CRL;10;60;decroche\n",
        encoding="utf-8",
    )
    report = import_file(engine, ours)
    assert report.status == "loaded" and report.profile is None, report
    assert any("inconnu.toml" in n for n in report.notes)


def test_a_pattern_that_backtracks_cannot_hang_an_import(engine, tmp_path, monkeypatch):
    """Issue 26, 10: ``(a+)+$`` on a 28-character field took 51 s with Python's engine;
    RE2 (DuckDB's) answers at once. A pattern RE2 cannot read (a back-reference) makes
    its profile broken, reported and skipped."""
    slow = PROFILE.format(name="lent", sql=GOOD_SQL).replace(
        'headers = ["Ref", "Quand"]',
        'patterns = { c1 = \'^(a+)+$\' }\n[read]\nfields = ["c1", "c2"]\ndelimiter = ";"',
    )
    backref = slow.replace("lent", "refarriere").replace("(a+)+$", "(a)\\1")
    _profiles(tmp_path, monkeypatch, lent=slow, refarriere=backref)
    assert any("refarriere.toml" in p and "RE2" in p for p in profile_problems())
    started = time.perf_counter()
    report = import_file(engine, _export(tmp_path, "a" * 28 + "!;x\n" + "a" * 40 + "!;y\n"))
    assert time.perf_counter() - started < 30
    assert report.status == "rejected" and "source inconnue" in report.message


def test_a_slow_sql_is_stopped_and_named(engine, tmp_path, monkeypatch):
    from loaders.read import profile_sql

    monkeypatch.setattr(profile_sql, "SQL_SECONDS", 1)
    sql = GOOD_SQL.replace("FROM export", "FROM export, range(100000000000) r")
    _profiles(tmp_path, monkeypatch, lourd=PROFILE.format(name="lourd", sql=sql))
    started = time.perf_counter()
    report = import_file(engine, _export(tmp_path))
    assert time.perf_counter() - started < 30
    assert report.status == "rejected", report
    assert "profil « lourd » a dépassé 1 s" in report.message


@pytest.mark.parametrize(
    ("sql", "said"),
    [
        (GOOD_SQL.replace("_line,", ""), "« _line »"),
        (GOOD_SQL.replace("_line,", "_line + 100 AS _line,"), "numéros de ligne"),
        (GOOD_SQL.replace('"Ref" AS id_appel', '"Absente" AS id_appel'), "« Absente » absente"),
        (GOOD_SQL.replace("'CRL' AS file,", ""), "obligatoires : file"),
    ],
)
def test_a_profile_that_loses_track_of_lines_is_refused(engine, tmp_path, monkeypatch, sql, said):
    _profiles(tmp_path, monkeypatch, essai=PROFILE.format(name="essai", sql=sql))
    report = import_file(engine, _export(tmp_path))
    assert report.status == "rejected" and said in report.message, report


def test_an_unreadable_value_is_quarantined_with_its_line(engine, tmp_path, monkeypatch):
    """as_time passes an unreadable date on as written: staging quarantines its line."""
    _profiles(tmp_path, monkeypatch, essai=PROFILE.format(name="essai", sql=GOOD_SQL))
    path = _export(tmp_path, EXPORT + "R3;le 3 mars;10;60\n")
    report = import_file(engine, path)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 2, 1)
    assert report.reasons == ["ligne 4 [date_heure] : date/heure illisible : « le 3 mars »"]


def test_an_unknown_profile_names_the_known_ones(engine, tmp_path):
    report = import_file(engine, _export(tmp_path), profile="nope")
    assert report.status == "rejected"
    assert "profil inconnu « nope »" in report.message and "genesys-cloud" in report.message


def test_a_forced_profile_that_does_not_fit_says_what_is_missing(engine, tmp_path):
    report = import_file(engine, _export(tmp_path), profile="genesys-cloud")
    assert report.status == "rejected", report
    assert "profil « genesys-cloud »" in report.message and "Conversation ID" in report.message
