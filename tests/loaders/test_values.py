"""formats.md, value-level messiness: dates, numbers, yes/no, coded values, per source."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.loaders.samples import SAMPLES
from tests.util import load, read_frame
from warehouse.model import schema

# (source, column, warehouse table, warehouse column, kind)
DATE_COLUMNS = [
    ("appels", "date_heure", schema.fact_call, "call_at", "datetime"),
    ("registres", "date_heure", schema.fact_contact, "contact_at", "datetime"),
    ("demandes", "date_creation", schema.fact_request, "created_at", "datetime"),
    ("agences", "date_ouverture", schema.dim_agency, "opened_date", "date"),
    ("logements", "date_entree_parc", schema.dim_dwelling, "entered_date", "date"),
    ("effectifs", "date", schema.fact_staffing, "date_key", "date_key"),
]

# 3 March 2025, 08:31:05 (Paris), written every way formats.md allows.
DATE_SPELLINGS = {
    "dd/mm/yyyy hh:mm:ss": "03/03/2025 08:31:05",
    "dd/mm/yyyy hh:mm": "03/03/2025 08:31",
    "dd/mm/yyyy": "03/03/2025",
    "iso": "2025-03-03T08:31:05",
    "iso with offset": "2025-03-03T07:31:05+00:00",  # 07:31 UTC is 08:31 in Paris (winter)
    "excel serial": "45719.35491898",  # 45719 = 2025-03-03; .35491898 of a day = 08:31:05
}


def _expected(spelling: str, kind: str):
    full = datetime(2025, 3, 3, 8, 31, 5)
    if kind == "date_key":
        return 20250303
    if kind == "date":
        return date(2025, 3, 3)
    if spelling == "dd/mm/yyyy":
        return datetime(2025, 3, 3)
    if spelling == "dd/mm/yyyy hh:mm":
        return datetime(2025, 3, 3, 8, 31)
    return full


def _first_value(engine, table, column):
    frame = read_frame(engine, table)
    value = frame.sort_values(column)[column].iloc[0]
    return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value


@pytest.mark.parametrize(("source", "col", "table", "target", "kind"), DATE_COLUMNS)
@pytest.mark.parametrize("spelling", list(DATE_SPELLINGS))
def test_dates(engine, tmp_path, source, col, table, target, kind, spelling):
    rows = [dict(r, **{col: DATE_SPELLINGS[spelling]}) for r in SAMPLES[source]]
    if source == "logements":  # keep the exit after the entry
        rows = [dict(r, date_sortie_parc="") for r in rows]
    if source == "demandes":  # keep milestones after the creation date
        rows = [dict(r, date_premiere_action="", date_cloture="", statut="ouverte") for r in rows]
        rows[1]["num_demande"] = "D9"
    report = load(engine, tmp_path, source, rows)
    assert report.rows_quarantined == 0, report.reasons
    value = _first_value(engine, table, target)
    if isinstance(value, datetime) and kind == "date":
        value = value.date()
    assert value == _expected(spelling, kind)


def test_excel_date_cells(engine, tmp_path):
    """In .xlsx files, dates are real date cells."""
    rows = [dict(r, date_heure=datetime(2025, 3, 3, 8, 31, 5)) for r in SAMPLES["appels"]]
    rows[1]["id_appel"] = "A2"
    report = load(engine, tmp_path, "appels", rows, name="appels.xlsx")
    assert report.rows_loaded == 2, report.reasons
    assert _first_value(engine, schema.fact_call, "call_at") == datetime(2025, 3, 3, 8, 31, 5)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 234,50", 1234.5),
        ("1\u00a0234,50", 1234.5),
        ("1234.50", 1234.5),
        ("1234,5", 1234.5),
        ("1\u202f234,5", 1234.5),
        ("1234", 1234.0),
    ],
)
def test_numbers_in_costs(engine, tmp_path, raw, expected):
    rows = [dict(SAMPLES["couts"][0], montant_eur=raw)]
    report = load(engine, tmp_path, "couts", rows)
    assert report.rows_loaded == 1, report.reasons
    assert read_frame(engine, schema.fact_cost)["amount_eur"].tolist() == [expected]


@pytest.mark.parametrize(("raw", "expected"), [("8,5", 8.5), ("8.5", 8.5), (" 9 ", 9.0)])
def test_numbers_in_staffing(engine, tmp_path, raw, expected):
    rows = [dict(SAMPLES["effectifs"][0], conseillers_etp=raw)]
    load(engine, tmp_path, "effectifs", rows)
    assert read_frame(engine, schema.fact_staffing)["advisor_fte"].tolist() == [expected]


@pytest.mark.parametrize(("raw", "expected"), [("1 200", 1200), ("1\u00a0200", 1200), ("75,0", 75)])
def test_numbers_in_calls(engine, tmp_path, raw, expected):
    rows = [dict(SAMPLES["appels"][0], attente_s=raw)]
    load(engine, tmp_path, "appels", rows)
    assert read_frame(engine, schema.fact_call)["wait_seconds"].tolist() == [expected]


def test_a_duration_past_any_integer_quarantines_its_row(engine, tmp_path):
    """Found by the fuzz test: a wait of 9223372036854775296 s failed the whole file (« cannot
    safely cast non-equivalent float64 to int64 »). It is a wait over 24 h: its row only is
    quarantined, the next one loads."""
    good = SAMPLES["appels"][0]
    rows = [dict(good, attente_s="9223372036854775296"), dict(good, id_appel="OK2")]
    report = load(engine, tmp_path, "appels", rows)
    assert (report.status, report.rows_loaded, report.rows_quarantined) == ("loaded", 1, 1)
    assert read_frame(engine, schema.quarantine)["reason"].tolist() == [
        "attente négative ou supérieure à 24 h"
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("o", True),
        ("n", False),
        ("Oui", True),
        ("NON", False),
        ("y", True),
        ("N", False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("False", False),
        ("vrai", True),
        ("Faux", False),
        ("", None),
    ],
)
def test_yes_no(engine, tmp_path, raw, expected):
    rows = [dict(SAMPLES["appels"][0], traite_niveau_1=raw)]
    load(engine, tmp_path, "appels", rows)
    value = read_frame(engine, schema.fact_call)["is_settled_first_level"].iloc[0]
    assert (None if value is None or value != value else bool(value)) == expected


# (source, column, raw spelling, warehouse table, column, stored value)
CODES = [
    ("appels", "sens", "ENTRANT", schema.fact_call, "is_inbound", True),
    ("appels", "sens", "Sortant", schema.fact_call, "is_inbound", False),
    ("appels", "issue", "Décroché", schema.fact_call, "outcome", "decroche"),
    ("appels", "issue", "ABANDONNÉ", schema.fact_call, "outcome", "abandonne"),
    ("appels", "issue", "Dissuadé", schema.fact_call, "outcome", "dissuade"),
    ("appels", "issue", "Messagerie", schema.fact_call, "outcome", "messagerie"),
    ("registres", "canal", "Accueil Physique", schema.fact_contact, "channel_key", 4),
    ("registres", "canal", "Téléphone agence", schema.fact_contact, "channel_key", 5),
    (
        "registres",
        "suite",
        "Réponse immédiate",
        schema.fact_contact,
        "follow_up",
        "reponse immediate",
    ),
    ("registres", "suite", "Demande créée", schema.fact_contact, "follow_up", "demande creee"),
    ("demandes", "statut", "Clôturée", schema.fact_request, "status", "cloturee"),
    ("demandes", "statut", "EN COURS", schema.fact_request, "status", "en cours"),
    ("demandes", "statut", "En_cours", schema.fact_request, "status", "en cours"),
    ("demandes", "statut", "Annulée", schema.fact_request, "status", "annulee"),
    ("demandes", "type", "Réclamation", schema.fact_request, "request_type", "reclamation"),
    ("demandes", "canal_saisie", "crl", schema.fact_request, "channel_key", 1),
    ("demandes", "canal_saisie", "Extranet", schema.fact_request, "channel_key", 8),
    ("demandes", "categorie", "Technique", schema.fact_request, "category_key", 1),
    ("logements", "type", "COLLECTIF", schema.dim_dwelling, "dwelling_type", "collectif"),
    ("couts", "nature", "Mise en place", schema.fact_cost, "nature", "mise_en_place"),
    ("couts", "nature", "Télécom", schema.fact_cost, "nature", "telecom"),
]


@pytest.mark.parametrize(("source", "col", "raw", "table", "target", "stored"), CODES)
def test_coded_values_ignore_case_and_accents(
    engine, tmp_path, source, col, raw, table, target, stored
):
    rows = [dict(SAMPLES[source][0], **{col: raw})]
    report = load(engine, tmp_path, source, rows)
    assert report.rows_quarantined == 0, report.reasons
    assert stored in set(read_frame(engine, table)[target])


# Arrow parses the usual spelling fast but rolls impossible dates over (31/02 -> 03/03):
# every one of these must read exactly as pandas' strict parser reads it.
EDGE_DATES = [
    "31/02/2025 10:00:00",  # no such day
    "29/02/2024 23:59:59",  # leap year
    "29/02/2025 00:00:00",  # not a leap year
    "01/01/2025 24:00:00",
    "01/01/2025 23:60:00",
    "01/01/2025 23:59:60",  # a leap second, rolled over by both
    "01/01/2025 10:59:60",
    "00/01/2025 10:00:00",
    "01/13/2025 10:00:00",
    "01/01/0000 10:00:00",
    "03/03/2025 09:01:00",
    "01/01/1905 10:00:00",
    "30/04/2025 10:00:00",
    "31/04/2025 10:00:00",  # April has 30 days
    "31/12/2025 23:59:59",
    "32/01/2025 10:00:00",
]


@pytest.mark.parametrize("spelling", EDGE_DATES)
def test_fast_date_parsing_agrees_with_the_strict_parser(spelling):
    import pandas as pd

    from loaders.normalise import parse_datetime

    values, bad = parse_datetime(pd.Series([spelling, "03/03/2025 09:01:00"], dtype="str"))
    expected = pd.to_datetime(spelling, format="%d/%m/%Y %H:%M:%S", errors="coerce")
    assert (values[0] is pd.NaT and bool(bad[0])) if expected is pd.NaT else values[0] == expected
    assert values[1] == pd.Timestamp(2025, 3, 3, 9, 1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", 1.0), ("-2.5", -2.5), ("1e3", 1000.0), (".5", 0.5), ("5.", 5.0), ("12,5", 12.5)],
)
def test_plain_and_other_numbers_read_alike(raw, expected):
    import pandas as pd

    from loaders.normalise import parse_number

    values, bad = parse_number(pd.Series([raw, "abc", ""], dtype="str"))
    assert values[0] == expected and not bad[0]
    assert bad.tolist() == [False, True, False]


def test_digits_and_messy_numbers_in_one_column():
    """Plain digits are cast at once, the rest cleaned: each value reads as it would alone,
    whatever the chunk's index (a chunk is a slice of the file)."""
    import math

    import pandas as pd

    from loaders.normalise import parse_duration, parse_number

    raw = ["12", "1 234,5", "", "n/a", "007", None, "62,5", "1.234,50", "9" * 16]
    index = range(1000, 1000 + len(raw))
    values, bad = parse_number(pd.Series(raw, index=index, dtype="str"))
    expected = [12.0, 1234.5, None, None, 7.0, None, 62.5, 1234.5, float("9" * 16)]
    assert list(values.index) == list(index) and list(bad.index) == list(index)
    for got, want in zip(values, expected, strict=True):
        assert math.isnan(got) if want is None else got == want
    assert bad.tolist() == [False, False, False, True, False, False, False, False, False]
    seconds, bad = parse_duration(pd.Series(["62", "01:02", "", "62,5", "x"], dtype="str"))
    assert seconds.tolist()[:2] == [62, 62] and seconds.tolist()[3] == 63
    assert bad.tolist() == [False, False, False, False, True]
