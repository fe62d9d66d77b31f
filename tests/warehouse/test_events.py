"""The ``evenements`` source: events that explain a series' peaks."""

from __future__ import annotations

from datetime import date

from loaders.pipeline import import_file
from tests.util import write_export


def test_events_load_with_their_rules(engine, tmp_path):
    """An event without an end lasts its day; an end before the start is quarantined; a
    later line with the same start and label corrects it; kinds read by their synonyms."""
    from sqlalchemy import select

    from warehouse.model.schema import fact_event

    rows = [
        {
            "debut": "01/04/2025",
            "fin": "15/04/2025",
            "libelle": "Charges",
            "type": "régularisation des charges",
        },
        {"debut": "12/02/2025", "fin": "", "libelle": "Tempête", "type": "Tempête"},
        {"debut": "10/03/2025", "fin": "01/03/2025", "libelle": "À l'envers", "type": "autre"},
        {
            "debut": "01/04/2025",
            "fin": "20/04/2025",
            "libelle": "Charges",
            "type": "regularisation_charges",
        },
    ]
    report = import_file(engine, write_export(tmp_path / "evenements.csv", rows))
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 2, 1)
    assert report.reasons == ["ligne 4 [fin] : fin de l'événement antérieure à son début"]
    with engine.connect() as conn:
        got = {r.label: (r.end_date, r.kind) for r in conn.execute(select(fact_event))}
    assert got == {
        "Charges": (date(2025, 4, 20), "regularisation_charges"),  # the later line wins
        "Tempête": (date(2025, 2, 12), "intemperies"),
    }
