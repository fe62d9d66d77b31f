"""Issue 26: no phone number in clear in any column the import writes, derived ones included."""

from __future__ import annotations

import random
import re
from pathlib import Path

from sqlalchemy import inspect, select

from loaders.mask import mask_identifier
from loaders.pipeline import import_file
from loaders.sources import SOURCE_ORDER, SOURCES
from tests.loaders.samples import SAMPLES
from tests.util import load, read_frame, snapshot, write_export
from warehouse.model import schema


def _digit_cells(tables: dict) -> list[str]:
    """Every cell of every table, its digits only."""
    return [re.sub(r"\D", "", str(v)) for rows in tables.values() for r in rows for v in r]


def test_motif_family_is_derived_from_the_masked_motif(engine, tmp_path):
    """Case 1: a motif without « - » is its own family; the family of
    ``rappeler mme durand au 06 50 50 50 01`` is ``rappeler mme durand au [numero masque]``
    (the masked motif, folded), in ``fact_call`` and in ``fact_contact``."""
    motif = "rappeler mme durand au 06 50 50 50 01"
    call = dict(SAMPLES["appels"][0], motif=motif)
    contact = dict(SAMPLES["registres"][0], motif=motif)
    assert load(engine, tmp_path, "appels", [call]).status == "loaded"
    assert load(engine, tmp_path, "registres", [contact]).status == "loaded"
    tables = snapshot(engine)
    for table in ("fact_call", "fact_contact"):
        cells = [str(v) for r in tables[table] for v in r]
        assert "rappeler mme durand au [numero masque]" in cells, table
        assert "rappeler mme durand au [numéro masqué]" in cells, table
    assert not any("650505001" in cell for cell in _digit_cells(tables))


# --- Case 2: a number in every text field of every source, scanned for everywhere -------

_SPELLINGS = [
    lambda n: " ".join(n[i : i + 2] for i in range(0, 10, 2)),  # 06 50 50 50 01
    lambda n: n,  # 0650505001
    lambda n: ".".join(n[i : i + 2] for i in range(0, 10, 2)),  # 06.50.50.50.01
    lambda n: "+33 " + n[1] + " " + " ".join(n[i : i + 2] for i in range(2, 10, 2)),
    lambda n: "/".join(n[i : i + 2] for i in range(0, 10, 2)),  # 07/31/43/65/87
    lambda n: f"{n}-20250303",  # embedded in an id
    lambda n: f"RQ-{n}",
    lambda n: f"Rappel {n[:2]} {n[2:4]} {n[4:6]} {n[6:8]} {n[8:]}",
]


class Numbers:
    """Distinct French mobile numbers, each written in the next spelling of the list."""

    def __init__(self):
        self.used: list[str] = []
        self.rng = random.Random(26)  # the same numbers on each dialect

    def __call__(self) -> str:
        while True:
            number = "0" + self.rng.choice("67") + "".join(self.rng.choices("0123456789", k=8))
            if number not in self.used:
                break
        self.used.append(number)
        return _SPELLINGS[len(self.used) % len(_SPELLINGS)](number)


def _rows_with_numbers(name: str, numbers: Numbers) -> list[dict]:
    """Two rows of ``name``: the sample's first with a number in every text field and in
    two columns no source reads (loaded); then one with a number in every field
    (quarantined where dates, codes or amounts cannot be read)."""
    good = dict(SAMPLES[name][0])
    for col in SOURCES[name].columns:
        if col.kind == "text":
            good[col.name] = numbers()
    good |= {"Commentaire": numbers(), "Tél. locataire": numbers()}
    bad = {column: numbers() for column in good}
    return [good, bad]


def _every_cell(engine) -> list[tuple[str, str, str]]:
    """(table, column, value) of every cell of every table the warehouse holds, the
    quarantine and the load history included; the database has no table the model does
    not know (so none escapes the scan)."""
    assert set(inspect(engine).get_table_names()) == set(schema.metadata.tables)
    cells = []
    with engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            for row in conn.execute(select(table)).mappings():
                cells += [(table.name, c, str(v)) for c, v in row.items() if v is not None]
    return cells


def _leaks(cells, numbers: list[str]) -> list[tuple]:
    """Cells whose digits hold 8 digits in a row of a number's significant 9 (so any
    spelling, any separator, with or without its leading 0 or +33)."""
    runs = {n: (n[1:9], n[2:10]) for n in numbers}
    found = []
    for table, column, value in cells:
        digits = re.sub(r"\D", "", value)
        if len(digits) < 8:
            continue
        found += [
            (table, column, value, n) for n, rs in runs.items() if any(r in digits for r in rs)
        ]
    return found


def test_no_number_in_any_column_of_any_table_for_any_source(engine, tmp_path):
    """Case 2: for each of the 11 sources, a file with a number (in one of eight
    spellings, embedded in ids) in every text field and in two unread columns, loaded,
    and a row with a number in every field, quarantined; then every cell of every table
    is scanned: no run of 8 digits of any number is found (both dialects)."""
    numbers = Numbers()
    for name in SOURCE_ORDER:
        report = load(engine, tmp_path, name, _rows_with_numbers(name, numbers))
        assert report.status == "loaded", (name, report.message)
        # Only the questionnaire, all text, loads both rows.
        assert report.rows_loaded >= 1 and report.accounted, (name, report)
    cells = _every_cell(engine)
    assert {"fact_call", "quarantine", "dim_queue", "fact_request"} <= {t for t, _, _ in cells}
    assert len(numbers.used) > 100
    assert _leaks(cells, numbers.used) == []


def test_a_masked_identifier_is_still_a_key(engine, tmp_path):
    """Case 2: the request ``RQ-0647474701`` named by a call and by the request export is
    one token in both tables (so the call still finds its request), whatever the spelling
    of the number; a call id ``0645454501-20250303`` imported twice, in two files, is one
    call; a dwelling ``06 46 46 46 01`` and a queue ``Rappel 06 48 48 48 01`` are stored
    as tokens, none in clear."""
    call = dict(
        SAMPLES["appels"][0],
        id_appel="0645454501-20250303",
        file="Rappel 06 48 48 48 01",
        ref_logement="06 46 46 46 01",
        num_demande="RQ-0647474701",
    )
    request = dict(SAMPLES["demandes"][0], num_demande="RQ-06.47.47.47.01")
    assert load(engine, tmp_path, "appels", [call]).status == "loaded"
    assert load(engine, tmp_path, "demandes", [request]).status == "loaded"
    again = load(engine, tmp_path, "appels", [call, SAMPLES["appels"][1]], name="bis.csv")
    assert (again.rows_inserted, again.rows_duplicate) == (1, 1)
    calls = read_frame(engine, schema.fact_call).sort_values("call_id")
    requests = read_frame(engine, schema.fact_request)
    token = mask_identifier("0647474701")
    assert re.fullmatch(r"TEL-[0-9A-F]{10}", token)
    call_id = mask_identifier("0645454501") + "-20250303"
    assert calls["call_id"].tolist() == ["A2", call_id]
    assert calls["request_id"].tolist()[1] == "RQ-" + token
    assert requests["request_id"].tolist() == ["RQ-" + token]
    queues = read_frame(engine, schema.dim_queue)["queue_code"].tolist()
    assert "RAPPEL " + mask_identifier("06 48 48 48 01") in queues
    dwellings = read_frame(engine, schema.dim_dwelling)["dwelling_code"].tolist()
    assert mask_identifier("0646464601") in dwellings
    assert _leaks(_every_cell(engine), ["0645454501", "0648484801", "0646464601"]) == []


def test_an_avaya_profile_mapping_the_dialled_number_to_the_queue(engine, tmp_path, monkeypatch):
    """Case 2: a user's Avaya profile that takes every call's queue from « Dialled
    Number » (as the shipped one did): on an outbound call that is the tenant's number;
    it lands in ``dim_queue`` as a token, nowhere in clear; the same for a call id and a
    caller number made of numbers."""
    shipped = Path(__file__).resolve().parents[2] / "loaders" / "profiles" / "avaya-ip-office.toml"
    mapped = shipped.read_text(encoding="utf-8").replace(
        """CASE WHEN head.Direction = 'I' THEN head."Dialled Number" ELSE 'SORTANT' END""",
        'head."Dialled Number"',
    )
    assert mapped != shipped.read_text(encoding="utf-8")
    (tmp_path / "profils").mkdir()
    (tmp_path / "profils" / "avaya-ip-office.toml").write_text(mapped, encoding="utf-8")
    monkeypatch.setenv("PILOTAGE_PROFILES_DIR", str(tmp_path / "profils"))
    smdr = [
        "2025/03/03 09:28:41,00:01:00,9,0612345601,I,4324,06 50 50 50 01,,0,0645454501,0,"
        "E4324,Agent 0611111101,T9161,LINE 5.1,0,0",
        "2025/03/03 10:30:57,00:02:13,0,4750,O,0731436587,07/31/43/65/87,,0,1000014160,0,"
        "E4750,John Smith,T9002,LINE 1.2,0,0",
    ]
    path = tmp_path / "smdr.txt"
    path.write_text("\n".join(smdr) + "\n", encoding="utf-8")
    report = import_file(engine, path)
    assert report.status == "loaded" and report.profile == "avaya-ip-office", report
    assert report.rows_loaded == 2, report
    queues = read_frame(engine, schema.dim_queue)["queue_code"].tolist()
    assert mask_identifier("0731436587") in queues and mask_identifier("0650505001") in queues
    numbers = ["0612345601", "0650505001", "0645454501", "0611111101", "0731436587"]
    assert _leaks(_every_cell(engine), numbers) == []


# --- Case 5: a line with broken quoting keeps no advisor in the quarantine ---------------


def _broken_lines(count: int) -> list[str]:
    """Lines of the call log whose quoting is broken in four ways: a quote opened before
    the advisor and never closed (the advisor inside the broken field), one opened in the
    advisor's field, one after it, a well-quoted ``;`` before a broken field."""
    head = "03/03/2025 08:31:05;entrant"
    tail = "12;180;decroche;Renseignement;L001;oui;D1"
    shapes = [
        lambda i, a: f'X{i};{head};"CRL;06 12 34 56 78;{a};{tail}',
        lambda i, a: f'X{i};{head};CRL;06 12 34 56 78;"{a};{tail}',
        lambda i, a: f'X{i};{head};CRL;06 12 34 56 78;{a};12;180;decroche;"Rens;L001;oui;D1',
        lambda i, a: f'X{i};{head};"C;RL";06 12 34 56 78;{a};12;180;"decroche;motif;L1;oui;D1',
    ]
    return [shapes[i % len(shapes)](i, f"agent.conseiller{i:03d}") for i in range(count)]


def test_broken_quoting_keeps_no_advisor_in_the_quarantine(engine, tmp_path):
    """334 lines with broken quoting (as in the report of issue 26), each with its own
    advisor id: all quarantined, none of the ids nor the caller's number in any table; the
    line number and what precedes the advisor stay, to find the line in the file."""
    path = write_export(tmp_path / "appels.csv", [SAMPLES["appels"][0]])
    lines = _broken_lines(334)
    with path.open("a", encoding="utf-8") as f:
        f.write("\r\n".join(lines) + "\r\n")
    report = import_file(engine, path)
    assert (report.rows_loaded, report.rows_quarantined) == (1, 334), report
    cells = _every_cell(engine)
    quarantined = [v for t, c, v in cells if (t, c) == ("quarantine", "raw_content")]
    assert len(quarantined) == 334
    kept = {re.match(r"X(\d+);03/03/2025 08:31:05;entrant;", v) for v in quarantined}
    assert {int(m.group(1)) for m in kept if m} == set(range(334))
    assert [v for _, _, v in cells if "conseiller" in v] == []
    assert _leaks(cells, ["0612345678"]) == []


def test_a_file_named_after_a_number_keeps_no_number(engine, tmp_path):
    """Case 2: the load history and the quarantine name the file with its number masked."""
    bad = dict(SAMPLES["appels"][0], id_appel="B1", attente_s="oops")
    report = load(
        engine, tmp_path, "appels", [SAMPLES["appels"][0], bad], name="rappel 06 50 50 50 01.csv"
    )
    assert (report.rows_loaded, report.rows_quarantined) == (1, 1), report
    cells = _every_cell(engine)
    assert ("load_history", "file_name", "rappel [numéro masqué].csv") in cells
    assert ("quarantine", "file_name", "rappel [numéro masqué].csv") in cells
    assert _leaks(cells, ["0650505001"]) == []


def test_a_column_read_in_several_arrow_chunks_is_masked():
    """A profile's output can reach the masking as a column of several Arrow chunks; the
    import then failed (« 'ChunkedArray' object has no attribute 'dictionary' »), at random
    in the Avaya test above."""
    import pandas as pd
    import pyarrow as pa

    from loaders.mask import mask_column

    chunks = pa.chunked_array([["rappeler 06 50 50 50 01"], ["fuite", "0650505001"]])
    column = pd.Series(pd.arrays.ArrowExtensionArray(chunks.cast(pa.large_string())))
    assert mask_column(column, free=True).tolist() == [
        "rappeler [numéro masqué]",
        "fuite",
        "[numéro masqué]",
    ]
