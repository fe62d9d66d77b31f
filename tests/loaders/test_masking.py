"""Issue 26: no phone number in clear in any column the import writes, derived ones included."""

from __future__ import annotations

import re

from tests.loaders.samples import SAMPLES
from tests.util import load, snapshot


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
