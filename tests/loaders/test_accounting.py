"""Every row accounted for; bad rows quarantined with file, line, column, raw and reason."""

from __future__ import annotations

import pytest

from loaders.pipeline import import_file
from tests.loaders.samples import SAMPLES
from tests.util import load, read_frame, write_export
from warehouse.model import schema

GOOD = SAMPLES["appels"][0]


def _call(i: int, **changes) -> dict:
    return {**GOOD, "id_appel": f"A{i}", **changes}


def test_rows_read_equal_loaded_plus_quarantined_plus_duplicates(engine, tmp_path):
    rows = [
        _call(1),  # line 2: good
        _call(2, attente_s="abc"),  # line 3: unreadable number
        _call(3, issue="transfere"),  # line 4: unknown outcome
        _call(1),  # line 5: duplicate of line 2
        _call(4, date_heure="31/02/2025 10:00"),  # line 6: impossible date
        _call(5, duree_s="-3"),  # line 7: negative duration
        _call(6, id_appel=""),  # line 8: missing id
        _call(7),  # line 9: good
    ]
    report = load(engine, tmp_path, "appels", rows)
    assert (report.rows_read, report.rows_loaded) == (8, 2)
    assert (report.rows_duplicate, report.rows_quarantined) == (1, 5)
    assert report.accounted

    q = read_frame(engine, schema.quarantine).sort_values("line_number")
    assert q["file_name"].unique().tolist() == ["appels.csv"]
    assert q["line_number"].tolist() == [3, 4, 6, 7, 8]
    assert q["column_name"].tolist() == ["attente_s", "issue", "date_heure", "duree_s", "id_appel"]
    reasons = q["reason"].tolist()
    assert reasons[0] == "durée illisible (attendu des secondes, mm:ss ou hh:mm:ss) : « abc »"
    assert reasons[1].startswith("valeur non reconnue (attendu : decroche")
    assert reasons[2] == "date/heure illisible : « 31/02/2025 10:00 »"
    assert reasons[3] == "durée négative ou supérieure à 24 h"
    assert reasons[4] == "valeur obligatoire manquante"
    assert "abc" in q["raw_content"].iloc[0]
    history = read_frame(engine, schema.load_history).iloc[0]
    assert (history.rows_read, history.rows_loaded, history.rows_duplicate) == (8, 2, 1)
    assert history.rows_quarantined == 5


def test_malformed_line_is_quarantined_and_blank_lines_are_counted_apart(engine, tmp_path):
    path = write_export(tmp_path / "appels.csv", [_call(1), _call(2)])
    with open(path, "ab") as f:
        f.write(b"A3;03/03/2025\r\n\r\n;;;;;;;;;;;;\r\n")
    report = import_file(engine, path)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 2, 1)
    assert report.rows_blank == 2
    q = read_frame(engine, schema.quarantine)
    assert q["line_number"].tolist() == [4]
    assert q["reason"].tolist() == ["ligne incomplète : 2 champs au lieu de 13"]


@pytest.mark.parametrize(
    ("source", "changes", "column"),
    [
        ("registres", {"canal": "pigeon voyageur"}, "canal"),
        ("demandes", {"statut": "perdue"}, "statut"),
        ("demandes", {"date_cloture": "01/01/2025 08:00"}, "date_cloture"),
        ("agences", {"organisme": ""}, "organisme"),
        ("logements", {"agence": ""}, "agence"),
        ("couts", {"montant_eur": "beaucoup"}, "montant_eur"),
        ("effectifs", {"conseillers_etp": "-2"}, "conseillers_etp"),
        ("enquetes", {"Q1": "bof"}, "Q1"),
        ("questionnaire", {"theme": ""}, "theme"),
        ("references_satisfaction", {"taux": "beaucoup"}, "taux"),
        ("evenements", {"debut": "20/02/2025", "fin": "01/02/2025"}, "fin"),
    ],
)
def test_each_source_quarantines_its_bad_rows(engine, tmp_path, source, changes, column):
    rows = [SAMPLES[source][0], dict(SAMPLES[source][1], **changes)]
    report = load(engine, tmp_path, source, rows)
    assert (report.rows_loaded, report.rows_quarantined) == (1, 1)
    q = read_frame(engine, schema.quarantine)
    assert q[["line_number", "column_name"]].values.tolist() == [[3, column]]
    assert q["reason"].iloc[0]


def test_a_failing_load_leaves_nothing_behind(engine, tmp_path, monkeypatch):
    """A load is atomic: an error midway rolls back every row of that file."""
    from loaders.sources import calls

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    load(engine, tmp_path, "appels", [_call(1)], name="first.csv")
    monkeypatch.setattr(calls, "merge_calls", explode)
    report = load(
        engine, tmp_path, "appels", [_call(2), _call(3, attente_s="x")], name="second.csv"
    )
    assert report.status == "failed"
    assert "disk full" in report.message
    assert read_frame(engine, schema.fact_call)["call_id"].tolist() == ["A1"]
    assert read_frame(engine, schema.quarantine).empty
    statuses = read_frame(engine, schema.load_history).sort_values("load_id")["status"].tolist()
    assert statuses == ["loaded", "failed"]


def test_chunks_do_not_change_the_outcome(engine, tmp_path):
    rows = [_call(i) for i in range(1, 8)] + [_call(3), _call(9, attente_s="?")]
    path = write_export(tmp_path / "appels.csv", rows)
    report = import_file(engine, path, chunk_size=2)
    assert (report.rows_read, report.rows_loaded) == (9, 7)
    assert (report.rows_duplicate, report.rows_quarantined) == (1, 1)


def test_postgresql_analyses_the_staging_before_the_merge(engine, tmp_path):
    """Issue 28: unanalysed, the staged calls looked to PostgreSQL's planner like an empty
    table, and the merge looked dwellings up by nested loop. The staging is analysed after
    its last chunk and before the merge writes the dimensions, then the facts."""
    from sqlalchemy import event

    if engine.dialect.name != "postgresql":
        pytest.skip("DuckDB keeps its statistics itself")
    sent: list[str] = []
    listener = lambda *a: sent.append(" ".join(a[2].split())[:40])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        load(engine, tmp_path, "appels", [_call(1), _call(2)])
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    analysed = sent.index("ANALYZE stg_call")
    merged = next(i for i, s in enumerate(sent) if s.startswith(("INSERT INTO dim_", "WITH")))
    assert analysed < merged, sent
