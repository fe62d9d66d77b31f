"""formats.md, file-level messiness: encodings, delimiters, file kinds, title rows, headers.

Every bullet is tested for every source, on DuckDB and PostgreSQL.
"""

from __future__ import annotations

import pytest

from loaders.sources import SOURCES
from tests.loaders.samples import SAMPLES
from tests.util import load, read_frame
from warehouse.model import schema

ALL = sorted(SOURCES)

# Where each source lands, and one accented text that must survive the encoding.
TARGET = {
    "agences": (schema.dim_agency, "agency_name", "Agence Nord-Été"),
    "logements": (schema.dim_dwelling, "residence", "Les Érables"),
    "appels": (schema.fact_call, "motif_label", "Réclamation technique - plomberie"),
    "registres": (schema.fact_contact, "motif_label", "Réclamation voisinage - bruit"),
    "demandes": (schema.fact_request, "subcategory", "bruit nocturne"),
    "couts": (schema.fact_cost, "nature", "personnel"),
    "effectifs": (schema.fact_staffing, "team", "CRL"),
    "enquetes": (schema.fact_survey_answer, "respondent_id", "Répondant-É1"),
    "questionnaire": (schema.dim_question, "label", "Êtes-vous satisfait ?"),
    "references_satisfaction": (schema.fact_satisfaction_reference, "perimeter", "regional"),
    "evenements": (schema.fact_event, "label", "Régularisation des charges été"),
}


def _check_loaded(engine, report, source):
    assert report.status == "loaded", report.message
    assert report.source == source
    assert report.rows_read == len(SAMPLES[source])
    assert report.rows_quarantined == 0, report.reasons
    assert report.rows_loaded == len(SAMPLES[source])
    table, column, text = TARGET[source]
    assert text in set(read_frame(engine, table)[column])


@pytest.mark.parametrize("source", ALL)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings(engine, tmp_path, source, encoding):
    report = load(engine, tmp_path, source, SAMPLES[source], encoding=encoding)
    _check_loaded(engine, report, source)


@pytest.mark.parametrize("source", ALL)
@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_delimiters_are_detected(engine, tmp_path, source, sep):
    report = load(engine, tmp_path, source, SAMPLES[source], sep=sep)
    _check_loaded(engine, report, source)


@pytest.mark.parametrize("source", ALL)
@pytest.mark.parametrize(("name", "title_rows"), [("x.txt", 0), ("x.xlsx", 0), ("x.xlsx", 4)])
def test_file_kinds_and_title_rows(engine, tmp_path, source, name, title_rows):
    report = load(engine, tmp_path, source, SAMPLES[source], name=name, title_rows=title_rows)
    _check_loaded(engine, report, source)


def _shouty(name: str) -> str:
    """``num_demande`` -> ``NUM-DEMANDE (°)``: case, separators and punctuation differ."""
    return name.upper().replace("_", "-") + " (°)"


@pytest.mark.parametrize("source", ALL)
@pytest.mark.parametrize("variant", ["shouty", "english"])
def test_header_variants(engine, tmp_path, source, variant):
    spec = SOURCES[source]
    if variant == "shouty":
        headers = {c.name: _shouty(c.name) for c in spec.columns}
    else:
        headers = {c.name: c.aliases[0] for c in spec.columns if c.aliases}
    report = load(engine, tmp_path, source, SAMPLES[source], headers=headers)
    _check_loaded(engine, report, source)


@pytest.mark.parametrize("header", ["N° Demande", "Num. demande", "numero_demande", "REQUEST_ID"])
def test_spec_header_examples(engine, tmp_path, header):
    report = load(
        engine, tmp_path, "demandes", SAMPLES["demandes"], headers={"num_demande": header}
    )
    _check_loaded(engine, report, "demandes")


def test_spec_call_header_examples(engine, tmp_path):
    headers = {"date_heure": "Date/Heure", "attente_s": "Attente (s)", "duree_s": "DUREE_S"}
    report = load(engine, tmp_path, "appels", SAMPLES["appels"], headers=headers)
    _check_loaded(engine, report, "appels")


@pytest.mark.parametrize("long_line", [1, 2], ids=["before-the-header", "in-a-row"])
def test_a_long_field_is_never_folded_as_a_header(tmp_path, monkeypatch, long_line):
    """Issue 28: header detection folded every field of the first 10 lines (26 µs per
    character: a 3-row file with a 1 MB field took 26 s). A field over 200 characters is
    no header: the file is still recognised, and no long field is ever folded."""
    import loaders.normalise as normalise
    from loaders.read.detect import open_export

    folded = normalise.strip_accents

    def short_only(text: str) -> str:
        assert len(text) <= 200, f"{len(text)} characters folded"
        return folded(text)

    monkeypatch.setattr(normalise, "strip_accents", short_only)
    header = ";".join(SOURCES["appels"].required)
    row = ";".join(["A1", "03/03/2025 10:15", "entrant", "CRL", "12", "120", "decroche"])
    lines = [header, row, row.replace("A1", "A2"), row.replace("A1", "A3")]
    lines.insert(long_line - 1, ("x" * 1_000_000) + ";y")
    path = tmp_path / "appels.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    export = open_export(path)
    assert export.source.name == "appels"
    assert export.header_line == (2 if long_line == 1 else 1)
