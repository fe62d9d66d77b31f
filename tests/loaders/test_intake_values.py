"""Issue 11, cases 3, 4, 6, 8, 9 and 10: sheets, dates, columns, ACD formats, chunks, reports.

Each file is made by the test; each checks the counts, the quarantine and the warehouse's
contents, on both dialects.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time

import xlsxwriter
from sqlalchemy import func, select

from loaders.pipeline import import_file
from tests.loaders.intake import CALL_COLUMNS, HEADER, call_line, quarantine, write_lines
from tests.loaders.samples import SAMPLES
from tests.util import load, write_export
from warehouse.load.setup import init_warehouse
from warehouse.model import schema

CONTACT_COLUMNS = list(SAMPLES["registres"][0])


def _contact(n: int, **values) -> dict:
    row = {
        "date_heure": f"{1 + n % 28:02d}/03/2025 10:00",
        "agence": "AG01",
        "canal": "accueil physique",
        "motif": "Renseignement - loyer",
        "ref_logement": "L001",
        "suite": "",
        "num_demande": "",
    }
    return row | values


def _workbook(path, rows: list[dict], columns: list[str], **formats):
    """An xlsx written cell by cell: empty values are no cell at all, as Excel writes."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Feuil1")
    styles = {k: book.add_format({"num_format": v}) for k, v in formats.items()}
    sheet.write_row(0, 0, columns)
    for r, row in enumerate(rows, start=1):
        for c, column in enumerate(columns):
            value = row.get(column)
            if value in (None, ""):
                continue
            if column in styles:
                sheet.write_datetime(r, c, value, styles[column])
            else:
                sheet.write(r, c, value)
    book.close()
    return path


def _rewrite_sheet(path, edit) -> None:
    """Apply ``edit`` to the first sheet's XML inside the workbook."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = edit(members[sheet].decode()).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_stale_or_missing_sheet_dimension_loses_no_row(engine, tmp_path):
    rows = [_contact(n, suite="", num_demande="") for n in range(50)]
    stale = _workbook(tmp_path / "stale.xlsx", rows, CONTACT_COLUMNS)
    _rewrite_sheet(
        stale, lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:G10"/>', xml)
    )
    report = import_file(engine, stale)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (50, 50, 0)

    rows = [_contact(n, motif=f"Renseignement - loyer {n}") for n in range(50)]
    bare = _workbook(tmp_path / "bare.xlsx", rows, CONTACT_COLUMNS)
    _rewrite_sheet(bare, lambda xml: re.sub(r"<dimension ref=\"[^\"]*\"/>", "", xml))
    report = import_file(engine, bare)
    # rows end at their motif or dwelling cell: trailing empty cells are empty values
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (50, 50, 0)
    assert _count(engine, schema.fact_contact) == 100


def test_implausible_dates_are_quarantined_and_every_counted_cost_is_written(engine, tmp_path):
    costs = [
        {"periode": p, "centre": "CRL", "nature": n, "montant_eur": "100"}
        for p, n in [
            ("2025", "personnel"),
            ("45778", "personnel"),  # an Excel serial date: 1 May 2025
            ("2046-01", "personnel"),
            ("1999-12", "personnel"),
            ("2025-03", "telecom"),
        ]
    ]
    report = load(engine, tmp_path, "couts", costs)
    assert (report.rows_read, report.rows_inserted, report.rows_quarantined) == (5, 2, 3)
    found = quarantine(engine)
    assert [(line, column) for line, column, _ in found] == [
        (2, "periode"),
        (4, "periode"),
        (5, "periode"),
    ]
    assert found[0][2] == "période illisible (attendu aaaa-mm) : « 2025 »"
    assert found[1][2].startswith("date invraisemblable : 01/01/2046, plus d'un an après l'import")
    assert found[2][2] == "date invraisemblable : 01/12/1999, avant 2000"
    with engine.connect() as conn:
        months = conn.execute(
            select(schema.fact_cost.c.month_date).order_by(schema.fact_cost.c.month_date)
        ).scalars()
        assert list(months) == [date(2025, 3, 1), date(2025, 5, 1)]

    calls = [HEADER, call_line(1, date_heure="03/03/1905 10:00"), call_line(2)]
    calls.append(call_line(3, date_heure="03/03/2068 10:00"))
    report = import_file(engine, write_lines(tmp_path / "appels.csv", calls))
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 1, 2)
    with engine.connect() as conn:
        assert conn.execute(select(func.max(schema.fact_call.c.call_at))).scalar_one().year == 2025


def test_the_calendar_grows_with_the_years(engine, monkeypatch):
    """Whatever an import accepts (up to a year after it) has its calendar days."""
    import warehouse.load.setup

    monkeypatch.setattr(warehouse.load.setup, "calendar_end", lambda: date(2047, 12, 31))
    monkeypatch.setattr(
        "warehouse.model.calendar.calendar_end", lambda today=None: date(2047, 12, 31)
    )
    init_warehouse(engine)
    with engine.connect() as conn:
        d = schema.dim_date.c
        last, days = conn.execute(select(func.max(d.full_date), func.count())).one()
        assert last == date(2047, 12, 31)
        assert days == (date(2047, 12, 31) - date(2000, 1, 1)).days + 1
        index = dict(
            conn.execute(
                select(d.full_date, d.business_day_index).where(
                    d.full_date.in_([date(2045, 12, 29), date(2046, 1, 2)])
                )
            ).all()
        )
    # Friday 29 December 2045, then (1 January off) Tuesday 2 January 2046: one step
    assert index[date(2046, 1, 2)] == index[date(2045, 12, 29)] + 1


def test_date_and_time_columns_duplicates_and_typos(engine, tmp_path):
    header = HEADER.replace("date_heure", "Date;Heure").replace(
        "numero_appelant", "Numéro apellant"
    )
    header = header.replace("ref_logement", "Réf. logment")
    lines = [header]
    for n, (day, clock) in enumerate([("03/03/2025", "08:31:05"), ("2025-03-04", "17:45")], 1):
        fields = call_line(n).split(";")
        lines.append(";".join([fields[0], day, clock, *fields[2:]]))
    report = import_file(engine, write_lines(tmp_path / "appels.csv", lines))
    assert (report.rows_read, report.rows_loaded) == (2, 2), report
    with engine.connect() as conn:
        stamps = conn.execute(
            select(schema.fact_call.c.call_at).order_by(schema.fact_call.c.call_id)
        ).scalars()
        assert list(stamps) == [datetime(2025, 3, 3, 8, 31, 5), datetime(2025, 3, 4, 17, 45)]
    assert report.notes == [
        "colonne « Numéro apellant » ignorée : faute de frappe pour « numero_appelant » ? "
        "Corrigez l'en-tête pour l'importer",
        "colonne « Réf. logment » ignorée : faute de frappe pour « ref_logement » ? "
        "Corrigez l'en-tête pour l'importer",
    ]

    twice = HEADER.replace("duree_s", "Durée (s)") + ";Durée (s)"
    report = import_file(engine, write_lines(tmp_path / "deux.csv", [twice, call_line(3) + ";5"]))
    assert report.status == "rejected"
    assert report.message.startswith(
        "colonnes en double pour « duree_s » : « Durée (s) » et « Durée (s) »"
    )


def test_acd_duration_and_date_formats_are_read(engine, tmp_path):
    cases = [  # (date_heure, attente_s, duree_s) -> (call_at, wait, talk)
        ("03/03/25 08:31:05", "1:02:03", "00:01:02,5"),
        ("04-03-25", "01:02", "62,5"),
        ("05.03.25", "0", "62"),
        ("06.03.2025 14:05", "00:00:09", "1:00"),
    ]
    lines = [HEADER] + [
        call_line(n, date_heure=d, attente_s=w, duree_s=t) for n, (d, w, t) in enumerate(cases, 1)
    ]
    report = import_file(engine, write_lines(tmp_path / "appels.csv", lines))
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 4, 0), report
    # Excel time cells for the durations, a date-time cell for the start
    rows = [
        dict(
            SAMPLES["appels"][0],
            id_appel="X1",
            date_heure=datetime(2025, 3, 7, 9, 15),
            attente_s=time(0, 0, 42),
            duree_s=time(0, 3, 5),
        )
    ]
    book = _workbook(
        tmp_path / "appels.xlsx",
        rows,
        CALL_COLUMNS,
        date_heure="dd/mm/yyyy hh:mm",
        attente_s="hh:mm:ss",
        duree_s="hh:mm:ss",
    )
    report = import_file(engine, book)
    assert (report.rows_read, report.rows_loaded) == (1, 1), report
    c = schema.fact_call.c
    with engine.connect() as conn:
        got = conn.execute(
            select(c.call_at, c.wait_seconds, c.talk_seconds).order_by(c.call_id)
        ).all()
    assert [tuple(r) for r in got] == [
        (datetime(2025, 3, 3, 8, 31, 5), 3723, 63),
        (datetime(2025, 3, 4), 62, 63),
        (datetime(2025, 3, 5), 0, 62),
        (datetime(2025, 3, 6, 14, 5), 9, 60),
        (datetime(2025, 3, 7, 9, 15), 42, 185),
    ]


def test_a_chunk_whose_rows_are_all_quarantined(engine, tmp_path):
    rows = [_contact(1), _contact(2), _contact(3, canal="pigeon"), _contact(4, canal="fax")]
    path = write_export(tmp_path / "registre.csv", rows)
    report = import_file(engine, path, chunk_size=2)
    assert report.status == "loaded", report
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 2, 2)

    # a last chunk holding only a totals line
    lines = path.read_text().splitlines() + ["Total : 4 contacts;;;;;;"]
    report = import_file(engine, write_lines(tmp_path / "total.csv", lines), chunk_size=4)
    assert report.status == "loaded", report
    assert (report.rows_read, report.rows_duplicate, report.rows_quarantined) == (5, 2, 3)

    # a file of nothing but short lines
    short = [";".join(CONTACT_COLUMNS), "01/03/2025;AG01", "02/03/2025;AG01"]
    report = import_file(engine, write_lines(tmp_path / "court.csv", short))
    assert report.status == "loaded", report
    assert (report.rows_read, report.rows_quarantined) == (2, 2)
    assert report.reasons == [
        "ligne 2 : ligne incomplète : 2 champs au lieu de 7",
        "ligne 3 : ligne incomplète : 2 champs au lieu de 7",
    ]


def test_the_report_shows_five_distinct_lines_and_names_the_winning_duplicate(engine, tmp_path):
    bad = dict(attente_s="x", duree_s="y", issue="perdu", sens="?")  # four reasons, one line
    lines = [HEADER, call_line(1, **bad)] + [call_line(n, attente_s="z") for n in range(2, 8)]
    report = import_file(engine, write_lines(tmp_path / "appels.csv", lines))
    assert [r.split(" ")[1] for r in report.reasons] == ["2", "3", "4", "5", "6"]

    request = dict(SAMPLES["demandes"][0])
    closed = request | {
        "statut": "cloturee",
        "date_premiere_action": "04/03/2025",
        "date_cloture": "05/03/2025",
        "niveau_cloture": "1",
    }
    rows = [closed, dict(SAMPLES["demandes"][1]), request | {"statut": "ouverte"}]
    report = load(engine, tmp_path, "demandes", rows)
    assert (report.rows_read, report.rows_inserted, report.rows_duplicate) == (3, 2, 1)
    rid = request["num_demande"]
    assert report.notes == [
        "demandes présentes plusieurs fois dans le fichier : 1 fois avec un contenu "
        "différent ; la ligne la plus avancée (statut, puis première action, clôture, "
        "relances) est retenue, à égalité la dernière du fichier : "
        f"{rid} (lignes 2 et 4 : ligne 2 retenue)"
    ]
    with engine.connect() as conn:
        status = conn.execute(
            select(schema.fact_request.c.status).where(schema.fact_request.c.request_id == rid)
        ).scalar_one()
    assert status == "cloturee"
