"""Caller numbers are pseudonymised at load and stored in clear nowhere."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from loaders.cli import main
from loaders.mask import mask_phones
from loaders.pipeline import import_file
from loaders.pseudonym import _digest, caller_keys, normalise_phone, secret_key
from tests.loaders.samples import SAMPLES
from tests.util import load, snapshot, write_export

NUMBERS = ["06 12 34 56 78", "+33 6 98 76 54 32", "01.23.45.67.89", "0033 7 11 22 33 44"]


def _forms(number: str) -> set[str]:
    """Every way the number could have been written to a table."""
    digits = re.sub(r"\D", "", number)
    national = normalise_phone(number)
    return {number, digits, national, national[1:], "+33" + national[1:]}


def test_no_caller_number_in_any_table(engine, tmp_path):
    rows = [
        dict(SAMPLES["appels"][0], id_appel=f"A{i}", numero_appelant=n)
        for i, n in enumerate(NUMBERS)
    ]
    bad = dict(rows[0], id_appel="BAD", attente_s="oops", numero_appelant="06 55 44 33 22")
    broken = "A9;03/03/2025;entrant;CRL;06 99 88 77 66"  # malformed: goes to quarantine
    path = write_export(tmp_path / "appels.csv", [*rows, bad])
    with path.open("a", encoding="utf-8") as f:
        f.write(broken + "\r\n")
    report = import_file(engine, path)
    assert (report.rows_loaded, report.rows_quarantined) == (4, 2)
    text = repr(snapshot(engine))
    for number in [*NUMBERS, "06 55 44 33 22", "06 99 88 77 66"]:
        for form in _forms(number):
            assert form not in text, form


def test_no_caller_number_in_the_import_log_nor_the_quarantine_download(tmp_path, capsys):
    """The command's report and progress lines, and the quarantine as the dashboard
    offers it for download (CSV and Excel), hold no number either."""
    from warehouse.engine import make_engine
    from warehouse.kpis import queries
    from warehouse.report.exports import csv_bytes, xlsx_bytes

    bad = [
        dict(SAMPLES["appels"][0], id_appel=f"B{i}", attente_s="oops", numero_appelant=n)
        for i, n in enumerate(NUMBERS)
    ]
    path = write_export(tmp_path / "appels.csv", bad)
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    assert main(["--url", url, "import", str(path)]) == 0
    log = "".join(capsys.readouterr())
    assert "4 en quarantaine" in log
    quarantine = queries.quarantine_frame(make_engine(url, read_only=True))
    assert len(quarantine) == 4
    exported = [
        log,
        csv_bytes(quarantine).decode("utf-8-sig"),
        repr(pd.read_excel(io.BytesIO(xlsx_bytes(quarantine)), dtype=str).to_dict()),
    ]
    for number in NUMBERS:
        for form in _forms(number):
            assert all(form not in text for text in exported), form


def test_same_number_same_pseudonym_whatever_its_spelling(engine, tmp_path):
    rows = [
        dict(SAMPLES["appels"][0], id_appel=f"A{i}", numero_appelant=n)
        for i, n in enumerate(["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78"])
    ]
    load(engine, tmp_path, "appels", rows)
    keys = {r[8] for r in snapshot(engine)["fact_call"]}
    assert len(keys) == 1 and len(next(iter(keys))) == 32


def test_advisors_are_pseudonymous_codes(engine, tmp_path):
    load(engine, tmp_path, "appels", SAMPLES["appels"])
    codes = [r[1] for r in snapshot(engine)["dim_advisor"]]
    assert len(codes) == 1 and re.fullmatch(r"CONS-[0-9A-F]{8}", codes[0])
    assert "jdupont" not in repr(snapshot(engine))


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("A1;06 12 34 56 78;x", "A1;[numéro masqué];x"),
        ("tel +33 6 12 34 56 78", "tel [numéro masqué]"),
        ("2025-03-05 08:31:00;12;180", "2025-03-05 08:31:00;12;180"),
    ],
)
def test_mask_phones_keeps_dates_and_counts(text, masked):
    assert mask_phones(text) == masked


def test_key_is_generated_in_the_user_s_config_folder_when_not_given(monkeypatch, tmp_path):
    """Issue 26 case 5: into ``$XDG_CONFIG_HOME/pilotage-grl/`` (mode 600, its folder
    700), never into the data folder beside the DuckDB warehouse."""
    from loaders import pseudonym

    monkeypatch.delenv(pseudonym.KEY_ENV)
    key = pseudonym.secret_key()
    file = tmp_path / "config" / "pilotage-grl" / "pseudonym.key"
    assert file.read_text().strip().encode() == key
    assert oct(file.stat().st_mode)[-3:] == "600"
    assert oct(file.parent.stat().st_mode)[-3:] == "700"
    assert len(key) == 64
    assert not (tmp_path / "data" / "pseudonym.key").exists()


SAME_NUMBER = [
    "06 12 34 56 78",
    "0612345678",
    "+33 6 12 34 56 78",
    "33612345678",
    "(+33) 6 12 34 56 78",
    "tel:+33612345678",
    "612345678",  # a numeric Excel cell loses the leading zero
    "+33 (0)6 12 34 56 78",
    "0612345678.0",  # ...or gains a decimal
    "0033 6 12 34 56 78",
    "06/12/34/56/78",
]


@pytest.mark.parametrize("spelling", SAME_NUMBER)
def test_every_spelling_of_a_number_is_one_number(spelling):
    assert normalise_phone(spelling) == "0612345678"


@pytest.mark.parametrize(
    ("spelling", "normal"),
    [
        ("0044 20 7946 3959", "+442079463959"),
        ("+44 20 7946 3959", "+442079463959"),
        ("+1 (212) 555-3199", "+12125553199"),
        ("0", None),
        ("00000000", None),
        ("+33000000000", None),
        ("anonymous", None),
        ("Masqué", None),
    ],
)
def test_foreign_and_hidden_numbers(spelling, normal):
    assert normalise_phone(spelling) == normal


def test_hidden_callers_get_no_pseudonym(engine, tmp_path):
    rows = [
        dict(SAMPLES["appels"][0], id_appel=f"H{i:02d}", numero_appelant=n)
        for i, n in enumerate(["0", "00000000", "+33000000000", "anonymous", *SAME_NUMBER])
    ]
    load(engine, tmp_path, "appels", rows)
    keys = [r[8] for r in snapshot(engine)["fact_call"]]
    assert keys[:4] == [None] * 4
    assert len(set(keys[4:])) == 1 and keys[4] is not None


@pytest.mark.parametrize(
    "text",
    [
        "33647987654",
        "648987654",
        "06/50/98/76/54",
        "0044 20 7946 3959",
        "0041 22 123 45 67",
        "+1 (212) 555-3199",
        "rappeler au 07 21 43 65 87",
        "06 12 34 56 78 03/03/2025",
    ],
)
def test_mask_phones_finds_every_spelling(text):
    masked = mask_phones(text)
    assert "[numéro masqué]" in masked
    assert len(re.findall(r"\d", masked.replace("03/03/2025", ""))) < 4, masked


def test_no_number_nor_advisor_anywhere_in_the_warehouse(engine, tmp_path):
    """Numbers typed in free text, advisors and an ignored 'Nom agent' column, loaded or
    quarantined: no table holds any of them, in any spelling (both dialects)."""
    calls = [
        dict(
            SAMPLES["appels"][0],
            id_appel="P1",
            numero_appelant="06 12 34 56 78",
            motif="Réclamation - rappeler au 07 21 43 65 87",
            num_demande="rappel 06/50/98/76/54",
        ),
        dict(
            SAMPLES["appels"][0],
            id_appel="P2",
            numero_appelant="648987654",
            attente_s="oops",  # quarantined
            motif="joindre le 0044 20 7946 3959",
        ),
    ]
    calls = [row | {"Nom agent": "Martin Durand"} for row in calls]
    contacts = [dict(SAMPLES["registres"][0], motif="Renseignement - tel +1 (212) 555-3199")]
    requests = [dict(SAMPLES["demandes"][0], sous_categorie="rappeler le 0041 22 123 45 67")]
    for name, rows in (("appels", calls), ("registres", contacts), ("demandes", requests)):
        report = load(engine, tmp_path, name, rows)
        assert report.status == "loaded", report
    tables = snapshot(engine)
    text = repr(tables)
    cells = [re.sub(r"\D", "", str(v)) for rows in tables.values() for r in rows for v in r]
    numbers = [
        "06 12 34 56 78",
        "07 21 43 65 87",
        "06/50/98/76/54",
        "648987654",
        "0044 20 7946 3959",
        "+1 (212) 555-3199",
        "0041 22 123 45 67",
    ]
    for number in numbers:
        digits = re.sub(r"\D", "", number)
        assert number not in text, number
        assert not any(digits[-9:] in cell for cell in cells), number
    for person in ("jdupont", "Martin Durand"):
        assert person not in text, person


def test_caller_keys_across_chunks_hash_each_number_once_and_alike():
    """Two chunks of one file sharing the known numbers: each pseudonym is the keyed hash
    of the number's national digits (``_digest("tel:" + digits)``, Python's hmac, the
    definition), whatever the spelling and whichever chunk hashed it first."""
    first = pd.Series(["06 12 34 56 78", None, "0612345678", "01.23.45.67.89"], dtype="str")
    second = pd.Series(["0123456789", "07 00 00 00 01", "0612345678", None], dtype="str")
    key = secret_key()
    expected = {
        digits: _digest("tel:" + digits, key, 32)
        for digits in ("0612345678", "0123456789", "0700000001")
    }
    state: dict = {}
    assert caller_keys(first, state).tolist() == [
        expected["0612345678"],
        None,
        expected["0612345678"],
        expected["0123456789"],
    ]
    assert caller_keys(second, state).tolist() == [
        expected["0123456789"],
        expected["0700000001"],
        expected["0612345678"],
        None,
    ]
    # The five spellings, each hashed once; a fresh state gives the same pseudonyms.
    assert len(state["numbers"]) == len(state["keys"]) == 5
    assert caller_keys(second).tolist() == caller_keys(second, state).tolist()
