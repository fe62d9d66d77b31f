"""Issue 11, cases 1, 2, 5, 7 and 10: what a text export's bytes can do to the reader.

Each file is written byte for byte by the test; each checks the report's counts, the
quarantine's lines and reasons, and what reached the warehouse, on both dialects.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from loaders.pipeline import import_file
from tests.loaders.intake import HEADER, call_ids, call_line, quarantine, write_lines
from tests.util import read_frame, write_export
from warehouse.model import schema


def _counts(report) -> tuple[int, int, int, int]:
    return report.rows_read, report.rows_loaded, report.rows_duplicate, report.rows_quarantined


def test_an_unterminated_quote_costs_its_own_line_only(engine, tmp_path):
    # line 4 opens a quote in its last field (num_demande) and never closes it
    lines = [HEADER] + [call_line(n) for n in range(1, 7)]
    lines[3] = lines[3] + '"D12 rappeler au 06 11 22 33 44'
    report = import_file(engine, write_lines(tmp_path / "appels.csv", lines))
    assert report.status == "loaded", report
    assert _counts(report) == (6, 5, 0, 1)
    assert call_ids(engine) == ["A1", "A2", "A4", "A5", "A6"]
    [(line, column, reason)] = quarantine(engine)
    assert (line, column) == (4, None)
    assert reason.startswith("guillemets mal fermés")
    raw = read_frame(engine, schema.quarantine)["raw_content"][0]
    assert "06 11 22 33 44" not in raw and "A3" in raw


def test_a_quoted_field_over_two_lines_is_one_row_and_line_numbers_stay_physical(engine, tmp_path):
    # lines 2-3 hold one call whose motif spans two lines; line 5 has a bad duration
    first_nine = ";".join(call_line(1).split(";")[:9])
    lines = [
        HEADER,
        first_nine + ';"Réclamation technique - fuite',
        'rappel demandé";L001;oui;',
        call_line(2),
        call_line(3, duree_s="abc"),
    ]
    report = import_file(engine, write_lines(tmp_path / "appels.csv", lines))
    assert _counts(report) == (3, 2, 0, 1), report
    assert [q[0] for q in quarantine(engine)] == [5]
    with engine.connect() as conn:
        motif = conn.execute(
            select(schema.fact_call.c.motif_label).where(schema.fact_call.c.call_id == "A1")
        ).scalar_one()
    assert motif.replace("\r", "") == "Réclamation technique - fuite\nrappel demandé"


def test_an_unquoted_delimiter_in_free_text_sends_the_row_to_the_quarantine(engine, tmp_path):
    """Issue 26 case 15: a row wider than the file's usual width (13 fields here) is
    quarantined even when its extra fields are empty: « fuite; urgent » unquoted shifts
    ``ref_logement`` to « urgent »... and an empty ``num_demande`` made it look harmless,
    which created a dwelling « URGENT »."""
    lines = [
        HEADER,
        call_line(1, motif="Réclamation technique - fuite; urgent", num_demande="D9"),
        call_line(2) + ";;",  # two fields more than every other line: a shifted row too
        call_line(3),
        call_line(4, motif="Réclamation technique - fuite; urgent"),  # extra field empty
        call_line(5),
    ]
    report = import_file(engine, write_lines(tmp_path / "appels.csv", lines))
    assert _counts(report) == (5, 2, 0, 3), report
    wider = "au lieu de 13 : un séparateur « ; » dans un texte non entouré de guillemets ?"
    assert quarantine(engine) == [
        (2, None, f"14 champs {wider}"),
        (3, None, f"15 champs {wider}"),
        (5, None, f"14 champs {wider}"),
    ]
    with engine.connect() as conn:
        codes = conn.execute(select(schema.dim_dwelling.c.dwelling_code)).scalars().all()
    assert codes == ["L001"]  # no inferred dwelling "URGENT"


@pytest.mark.parametrize("header_too", [False, True])
def test_a_trailing_delimiter_on_every_line_is_the_usual_width(engine, tmp_path, header_too):
    """Every data line ends with « ; » (14 fields, the last empty), the header with or
    without it: the usual width is 14, every row loads; the shifted row, 15 fields with
    its extra ones empty, is still one too many."""
    lines = [HEADER + (";" if header_too else "")]
    lines += [call_line(n) + ";" for n in range(1, 4)]
    lines.append(call_line(4, motif="fuite; urgent") + ";")
    report = import_file(engine, write_lines(tmp_path / "appels.csv", lines))
    assert _counts(report) == (4, 3, 0, 1), report
    assert quarantine(engine) == [
        (
            5,
            None,
            "15 champs au lieu de 14 : un séparateur « ; » dans un texte non entouré "
            "de guillemets ?",
        )
    ]
    assert call_ids(engine) == ["A1", "A2", "A3"]


@pytest.mark.slow
def test_too_long_values_and_nul_bytes_go_to_the_quarantine_on_both_dialects(engine, tmp_path):
    lines = [
        HEADER,
        call_line(1, motif="M" * 200),  # exactly the column's width: loads
        call_line(2, motif="M" * 201),
        call_line(3).replace("A3", "C" * 81, 1),  # a call id over 80 characters
        call_line(4, file="Q" * 61),
        call_line(5, motif="fuite\x00"),
        call_line(6, motif="x" * 5_000_000),  # a 5 MB field
        call_line(7).replace("A7", "I" * 80, 1),  # an 80-character id: loads
    ]
    report = import_file(engine, write_lines(tmp_path / "appels.csv", lines))
    assert _counts(report) == (7, 2, 0, 5), report
    assert call_ids(engine) == ["A1", "I" * 80]
    found = {(line, column): reason for line, column, reason in quarantine(engine)}
    assert found == {
        (3, "motif"): "valeur trop longue : 201 caractères (au plus 200)",
        (4, "id_appel"): "valeur trop longue : 81 caractères (au plus 80)",
        (5, "file"): "valeur trop longue : 61 caractères (au plus 60)",
        (6, None): "caractère nul (octet 0) dans la ligne : fichier corrompu ?",
        (7, "motif"): "champ de 5\u202f000\u202f000 caractères (au plus 100\u202f000) : "
        "ligne mise de côté",
    }
    raws = read_frame(engine, schema.quarantine)["raw_content"]
    assert raws.str.len().max() < 1_100  # a huge line is kept cut short
    assert not raws.str.contains("\x00").any()


@pytest.mark.parametrize("quoted", [False, True])
def test_a_field_over_the_cap_quarantines_its_row_as_it_is_read(
    engine, tmp_path, monkeypatch, quoted
):
    """Issue 26 case 13: a 50 MB motif ran 12 minutes on DuckDB, then rejected the whole
    file. With the cap at 50 characters (PILOTAGE_MAX_FIELD_CHARS): a 50-character motif
    is read and loads (the column takes 200); 51 characters quarantine the row as it is
    read, naming the column, and the rows around it load. With the default cap (100,000)
    a 2 MB motif on line 3, inside the header search, goes the same way."""
    monkeypatch.setenv("PILOTAGE_MAX_FIELD_CHARS", "50")
    q = '"' if quoted else ""
    lines = [
        HEADER,
        call_line(1, motif=f"{q}{'m' * 50}{q}"),
        call_line(2, motif=f"{q}{'m' * 51}{q}"),
        call_line(3),
        call_line(4, ref_logement="L" * 51),
    ]
    report = import_file(engine, write_lines(tmp_path / "appels.csv", lines))
    assert _counts(report) == (4, 2, 0, 2), report
    assert call_ids(engine) == ["A1", "A3"]
    cut = "champ de 51 caractères (au plus 50) : ligne mise de côté"
    assert quarantine(engine) == [(3, "motif", cut), (5, "ref_logement", cut)]

    monkeypatch.delenv("PILOTAGE_MAX_FIELD_CHARS")
    lines = [HEADER, call_line(5), call_line(6, motif=f"{q}{'x' * 2_000_000}{q}"), call_line(7)]
    report = import_file(engine, write_lines(tmp_path / "grand.csv", lines))
    assert _counts(report) == (3, 2, 0, 1), report
    reason = "champ de 2\u202f000\u202f000 caractères (au plus 100\u202f000) : ligne mise de côté"
    assert (3, "motif", reason) in quarantine(engine)
    assert call_ids(engine) == ["A1", "A3", "A5", "A7"]


def test_line_endings_cr_only_and_a_lone_cr(engine, tmp_path):
    mac = write_lines(tmp_path / "mac.csv", [HEADER, call_line(1), call_line(2)], newline="\r")
    report = import_file(engine, mac)
    assert _counts(report) == (2, 2, 0, 0), report
    lone = [
        "Extraction\r du 05/03/2025",
        HEADER,
        call_line(3, motif="Renseignement\r - quittance"),
        call_line(4),
    ]
    report = import_file(engine, write_lines(tmp_path / "lone.csv", lone))
    assert _counts(report) == (2, 2, 0, 0), report
    with engine.connect() as conn:
        motif = conn.execute(
            select(schema.fact_call.c.motif_label).where(schema.fact_call.c.call_id == "A3")
        ).scalar_one()
    assert motif == "Renseignement  - quittance"


def test_a_lone_cr_between_two_records_of_a_crlf_file_ends_the_first(engine, tmp_path):
    """Issue 26 case 15: a CR alone between calls 1 and 2 of a CR LF file merged them into
    one 25-field line, quarantined. Each side has the header's 13 fields: the CR ends a
    record, as an editor shows it, and the lines after it are numbered one further down
    (call 3's bad duration is on line 4, as an editor shows it)."""
    lines = [HEADER, call_line(1) + "\r" + call_line(2), call_line(3, duree_s="abc")]
    report = import_file(engine, write_lines(tmp_path / "appels.csv", lines))
    assert _counts(report) == (3, 2, 0, 1), report
    assert call_ids(engine) == ["A1", "A2"]
    assert [q[:2] for q in quarantine(engine)] == [(4, "duree_s")]


def test_a_date_time_column_beside_a_time_column_is_read_once(engine, tmp_path):
    """Issue 26 case 15: « Date » already holding the time and « Heure » saying it again
    gave « 10:15:00 10:15:00 » on every row, all quarantined. Same time (10:15 and
    10:15:00): read once; a date at midnight takes the time column's; two different times:
    that row only is quarantined, both times shown."""
    header = HEADER.replace("date_heure", "Date;Heure")
    cases = [
        ("03/03/2025 10:15:00", "10:15:00"),
        ("2025-03-04 10:15", "10:15:00"),
        ("05/03/2025 00:00:00", "08:30:00"),
        ("06/03/2025 10:15:00", "11:00:00"),
        ("07/03/2025", "09:00"),
    ]
    lines = [header]
    for n, (day, clock) in enumerate(cases, 1):
        fields = call_line(n).split(";")
        lines.append(";".join([fields[0], day, clock, *fields[2:]]))
    report = import_file(engine, write_lines(tmp_path / "appels.csv", lines))
    assert _counts(report) == (5, 4, 0, 1), report
    with engine.connect() as conn:
        query = select(schema.fact_call.c.call_at).order_by(schema.fact_call.c.call_id)
        stamps = conn.execute(query).scalars().all()
    assert [s.strftime("%d %H:%M") for s in stamps] == [
        "03 10:15",
        "04 10:15",
        "05 08:30",
        "07 09:00",
    ]
    [(line, column, reason)] = quarantine(engine)
    assert (line, column) == (5, "date_heure") and "06/03/2025 10:15:00 11:00:00" in reason


def test_a_utf8_file_with_one_cp1252_line_and_utf16_without_bom(engine, tmp_path):
    good = "\r\n".join([HEADER, call_line(1), call_line(2)]).encode("utf-8")
    bad = call_line(3, motif="Réclamation technique - chauffage").encode("cp1252")
    (tmp_path / "mixed.csv").write_bytes(good + b"\r\n" + bad + b"\r\n")
    report = import_file(engine, tmp_path / "mixed.csv")
    assert _counts(report) == (3, 3, 0, 0), report
    utf16 = [HEADER, call_line(4, motif="Réclamation - ascenseur")]
    report = import_file(engine, write_lines(tmp_path / "u16.csv", utf16, encoding="utf-16-le"))
    assert _counts(report) == (1, 1, 0, 0), report
    with engine.connect() as conn:
        motifs = conn.execute(
            select(schema.fact_call.c.motif_label).order_by(schema.fact_call.c.call_id)
        ).scalars()
        assert list(motifs) == [
            "Réclamation technique - plomberie",
            "Réclamation technique - plomberie",
            "Réclamation technique - chauffage",
            "Réclamation - ascenseur",
        ]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_files_that_are_not_text_exports_say_what_they_are(engine, tmp_path):
    cases = {
        "archive.csv": (_zip({"appels.csv": b"x"}), "archive ZIP"),
        "rapport.csv": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "document PDF"),
        "ancien.csv": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Excel 97-2003"),
    }
    for name, (data, words) in cases.items():
        (tmp_path / name).write_bytes(data)
        report = import_file(engine, tmp_path / name)
        assert report.status == "rejected" and words in report.message, report
    # a workbook saved under a .csv name is read as the workbook it is
    book = write_export(tmp_path / "registre.xlsx", [_contact(1)])
    (tmp_path / "registre_renomme.csv").write_bytes(book.read_bytes())
    report = import_file(engine, tmp_path / "registre_renomme.csv")
    assert (report.status, report.source, report.rows_loaded) == ("loaded", "registres", 1)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.fact_contact)).scalar() == 1


def _contact(n: int) -> dict:
    return {
        "date_heure": f"0{n}/03/2025 10:00",
        "agence": "AG01",
        "canal": "accueil physique",
        "motif": "Renseignement - loyer",
        "ref_logement": "L001",
        "suite": "reponse immediate",
        "num_demande": "",
    }
