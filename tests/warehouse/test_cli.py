"""``python -m warehouse kpis`` on the hand-made dataset, in each format."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.warehouse.kpi_dataset import build_warehouse
from warehouse.cli import main
from warehouse.engine import make_engine
from warehouse.kpis.catalogue import CATALOGUE
from warehouse.load.setup import init_warehouse

ARGS = ["kpis", "--start", "2025-03-01", "--end", "2025-04-30"]


@pytest.fixture
def url(tmp_path):
    return build_warehouse(tmp_path)


def test_table(url, capsys):
    assert main(["--url", url, *ARGS]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = {line.split()[0]: line for line in out[1:]}
    assert rows["offered_calls"].split()[1] == "7"
    assert rows["answer_rate"].split()[1] == "0,7143"  # 5 / 7
    assert "aucune enquête de satisfaction" in rows["satisfaction"]
    for k in CATALOGUE:  # every id of the catalogue is printed
        assert any(i == k.id or i.startswith(k.id + ".") for i in rows), k.id


def test_csv_is_french_excel_by_default(url, capsysbinary):
    assert main(["--url", url, *ARGS, "--format", "csv"]) == 0
    data = capsysbinary.readouterr().out
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["id", "value", "unit", "definition", "reference", "note"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["asa_s"][1] == "41"
    assert by_id["aht_s"][1] == "138"
    assert by_id["answer_rate"][1] == "0,714286"
    assert by_id["satisfaction"][1] == ""


def test_plain_csv_and_json(url, capsys):
    assert main(["--url", url, *ARGS, "--format", "csv", "--plain-csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert {r[0]: r[1] for r in rows[1:]}["answer_rate"] == "0.714286"
    assert main(["--url", url, *ARGS, "--format", "json", "--agence", "ag01"]) == 0
    data = {d["id"]: d for d in json.loads(capsys.readouterr().out)}
    assert data["answered_calls"]["value"] == 3
    assert data["offered_calls"]["value"] is None  # lost calls belong to no agency
    assert data["answer_rate"]["note"].startswith("non mesuré : sans objet pour une agence")
    assert data["calls_per_advisor_day"]["value"] is None
    assert data["calls_per_advisor_day"]["note"]


def test_a_warehouse_of_an_older_version_is_said_then_upgraded_by_init(tmp_path, capsys):
    """A table added by a later version (here: dropped): the readers never write, they say
    which command upgrades it (exit 2); ``init`` creates it; a missing file is said too."""
    from sqlalchemy import inspect, text

    from warehouse.model.catalog import SchemaOutdated, open_reader

    url = f"duckdb:///{tmp_path / 'old.duckdb'}"
    engine = make_engine(url)
    init_warehouse(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE agg_call_day"))
    engine.dispose()
    with pytest.raises(SchemaOutdated, match="python -m warehouse init"):
        open_reader(url)
    days = ["--start", "2025-01-01", "--end", "2025-01-31"]
    assert main(["--url", url, "kpis", *days]) == 2
    assert "table agg_call_day absente" in capsys.readouterr().err
    assert "agg_call_day" not in inspect(make_engine(url, read_only=True)).get_table_names()
    assert main(["--url", url, "init"]) == 0
    assert "agg_call_day" in inspect(make_engine(url, read_only=True)).get_table_names()
    open_reader(url).dispose()  # up to date: no error
    assert main(["--url", f"duckdb:///{tmp_path / 'none.duckdb'}", "kpis", *days]) == 2
    assert "aucun entrepôt" in capsys.readouterr().err
    assert not (tmp_path / "none.duckdb").exists()


def test_a_warehouse_without_the_previous_call_column_gets_it_computed(tmp_path):
    """The column added after the first release is created and filled: the follow-up KPI
    (hand-computed in test_kpis.py) is the same before and after."""
    from sqlalchemy import text

    from tests.warehouse.test_kpis import PERIOD
    from warehouse.engine import make_engine
    from warehouse.kpis import compute_all

    url = build_warehouse(tmp_path)

    def repeat_call_rate():  # read from each call's previous call, kept at import
        values = compute_all(make_engine(url, read_only=True), PERIOD)
        return next(k.value for k in values if k.id == "repeat_call_rate")

    expected = repeat_call_rate()
    assert expected == 0.5
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE fact_call DROP COLUMN previous_offered_at"))
        # A warehouse of that release also had an ART index on the table.
        conn.execute(text("CREATE INDEX ix_fact_call_date_key ON fact_call (date_key)"))
    engine.dispose()
    assert main(["--url", url, "init"]) == 0
    assert repeat_call_rate() == expected


def test_the_reasons_table(tmp_path, capsys):
    """``--motifs``: the reasons table of test_failure.py (relance F6 F7: 200 s of 1,460 s,
    every call failure demand), ranked by handle time."""
    from tests.warehouse.failure_dataset import FILES

    url = build_warehouse(tmp_path, FILES)
    assert main(["--url", url, *ARGS, "--motifs", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["motif_family"] for r in rows][:2] == ["reclamation technique", "renseignement"]
    relance = next(r for r in rows if r["motif_family"] == "relance")
    assert relance["handle_time_s"] == 200 and relance["failure_demand_share"] == 1
    assert main(["--url", url, *ARGS, "--motifs", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")  # French Excel
    csv_rows = list(csv.reader(io.StringIO(out[1:]), delimiter=";"))
    assert csv_rows[0][:3] == ["motif_family", "family_label", "motif"]
    assert main(["--url", url, *ARGS, "--motifs"]) == 0
    table = capsys.readouterr().out
    assert "Relance - intervention" in table and "100,0" in table
