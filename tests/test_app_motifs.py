"""The page « Motifs et non-qualité » (AppTest) on the hand-made landlord of
``tests/warehouse/failure_dataset.py``, whose every figure is worked out by hand in
``tests/warehouse/test_failure.py``, with a storm in March laid over the weekly chart."""

from __future__ import annotations

from datetime import date

import pytest
import streamlit as st

from loaders.pipeline import import_file
from tests.test_app import _open
from tests.util import write_export
from tests.warehouse.failure_dataset import FILES
from warehouse.engine import make_engine
from warehouse.load.setup import init_warehouse

PERIOD = {"f_period": "custom", "f_start": date(2025, 3, 1), "f_end": date(2025, 4, 30)}
STORM = [{"debut": "10/03/2025", "fin": "11/03/2025", "libelle": "Tempête", "type": "intemperies"}]
NNBSP = "\u202f"


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("motifs")
    url = f"duckdb:///{folder / 'w.duckdb'}"
    engine = make_engine(url)
    init_warehouse(engine)
    for source, rows in [*FILES, ("evenements", STORM)]:
        report = import_file(engine, write_export(folder / f"{source}.csv", rows))
        assert report.status == "loaded", report
    engine.dispose()
    return url


@pytest.fixture(autouse=True)
def app(url, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()


def _table(at, column: str):
    """The first table of the page with ``column`` (the charts' data tables come first)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_tiles_pareto_and_tables_by_hand():
    """6 of 12 offered calls avoidable; 3,230.43 EUR by handle time, 6,460.87 per dwelling
    and year; 3,014.29 by answered calls. No calls a year before: no change shown."""
    at = _open("motifs", PERIOD)
    assert not at.exception, at.exception
    tiles = _tiles(at)
    assert tiles["Part de demande évitable"] == f"50,0{NNBSP}%"
    assert tiles["Coût de la non-qualité"] == f"3{NNBSP}230,43{NNBSP}€"
    assert tiles["Par logement et par an"] == f"6{NNBSP}460,87{NNBSP}€"
    assert tiles["Coût, règle simple"] == f"3{NNBSP}014,29{NNBSP}€"
    assert all(m.delta in (None, "") for m in at.metric)
    caption = " ".join(c.value for c in at.caption)
    assert "relance d'une demande déjà enregistrée 2" in caption
    assert "Tempête" in caption  # the storm over the weekly chart
    reasons = _table(at, "Famille de motif")
    assert list(reasons["Famille de motif"])[:2] == ["Reclamation technique", "Renseignement"]
    # The screen's headers are the downloads' (a new user found « Décrochés » on screen and
    # « Appels traités » in the file); durations are written in words on screen.
    assert list(reasons.columns) == [
        "Famille de motif",
        "Motif",
        "Appels présentés",
        "Appels traités",
        "Durée de conversation",
        "Part de la durée de conversation",
        "Durée moyenne de traitement (DMT)",
        "Traitement au premier niveau (appels)",
        "Taux de réitération des appels",
        "Part de demande évitable",
    ]
    opened = _table(at, "Appels de relance")
    assert list(opened["Demande"]) == ["R1"] and list(opened["Relances"]) == [3]
    assert "Relances déclarées (export des demandes)" in opened.columns
    keys = {b.key for b in at.get("download_button")}
    for prefix in ("reasons", "failure_weeks", "chase_categories", "chased_open"):
        assert {f"{prefix}_csv", f"{prefix}_xlsx"} <= keys, prefix


def test_choosing_a_reason_filters_the_page():
    """« relance »: F6 F7, both avoidable; 600 EUR (3,000 x 200 s / March's 1,000 s)."""
    at = _open("motifs", PERIOD)
    at.selectbox(key="motifs_family").select("relance").run()
    assert not at.exception, at.exception
    tiles = _tiles(at)
    assert tiles["Part de demande évitable"] == f"100,0{NNBSP}%"
    assert tiles["Coût de la non-qualité"] == f"600,00{NNBSP}€"
    assert at.query_params["motif"] == ["relance"] or at.query_params["motif"] == "relance"
    assert list(_table(at, "Famille de motif")["Famille de motif"]) == ["Relance"]
    # A shared link (?motif=relance) opens the page filtered: see test_browser.py (AppTest's
    # switch_page drops the URL's parameters).


def test_the_calls_without_a_motif_can_be_chosen_too():
    """« (sans motif) »: F8 (answered, no number) and F9 (abandoned after 40 s; D's last
    call was F6, 33 days before): 2 offered, neither avoidable: 0 %, 0 EUR. A new user
    found its Pareto bar and nothing to choose it by."""
    at = _open("motifs", PERIOD)
    select = at.selectbox(key="motifs_family")
    assert "(sans motif)" in select.options
    select.select("(sans motif)").run()
    assert not at.exception, at.exception
    tiles = _tiles(at)
    assert tiles["Part de demande évitable"] == f"0,0{NNBSP}%"
    assert tiles["Coût de la non-qualité"] == f"0,00{NNBSP}€"
    reasons = _table(at, "Famille de motif")
    assert list(reasons["Famille de motif"]) == ["(sans motif)"]
    assert list(reasons["Appels présentés"]) == ["2"]
    captions = [c.value.replace("\\", "") for c in at.caption]  # markdown escapes
    assert any("0 appels évitables sur 2 présentés (sans motif)" in c for c in captions)


def test_an_agency_sees_its_share():
    """Org B: 1,433.33 EUR (test_failure.py); its share of avoidable calls (3 of its 5
    identified calls) is no figure for a part of the organisation: « — », and why."""
    at = _open("motifs", PERIOD | {"f_org": "Org B"})
    tiles = _tiles(at)
    assert tiles["Part de demande évitable"] == "—"
    share = next(m for m in at.metric if m.label == "Part de demande évitable")
    assert "non mesuré" in share.help
    # ...and said on the page, not only in the tile's help (a new user missed it there)
    assert any("Part de demande évitable : non mesuré" in c.value for c in at.caption)
    assert tiles["Coût de la non-qualité"] == f"1{NNBSP}433,33{NNBSP}€"
