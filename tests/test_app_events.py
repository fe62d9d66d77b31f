"""Events on the time series (AppTest): the hand-made landlord of ``kpi_dataset.py`` with
two events, one in its period (March 2025) and one outside."""

from __future__ import annotations

from datetime import date

import pytest
import streamlit as st

from loaders.pipeline import import_file
from tests.test_app import _open
from tests.util import write_export
from tests.warehouse.kpi_dataset import build_warehouse
from warehouse.engine import make_engine

EVENTS = [
    {
        "debut": "03/03/2025",
        "fin": "07/03/2025",
        "libelle": "Avis de mars",
        "type": "quittancement",
    },
    {"debut": "01/10/2025", "fin": "", "libelle": "Mise en chauffe", "type": "chauffage"},
]
MARCH = {"f_period": "custom", "f_start": date(2025, 3, 1), "f_end": date(2025, 4, 30)}


@pytest.fixture(scope="module")
def events_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("events")
    url = build_warehouse(folder)
    engine = make_engine(url)
    report = import_file(engine, write_export(folder / "evenements.csv", EVENTS))
    assert report.status == "loaded" and report.rows_loaded == 2, report
    engine.dispose()
    return url


@pytest.fixture
def app(events_url, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_URL", events_url)
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("appels", {"granularite": "month"}),
        ("appels", {"granularite": "day"}),
        ("synthese", {}),
        ("canaux", {"evolution": "month"}),  # complaints by capture channel, a request series
        ("canaux", {"evolution": "year"}),
    ],
)
def test_the_period_s_events_are_drawn_and_listed(page, params):
    at = _open(page, MARCH, **params)
    captions = " ".join(c.value for c in at.caption)
    assert "Événements (traits pointillés) : 03/03 au 07/03 Avis de mars." in captions
    assert "Mise en chauffe" not in captions  # October: outside the period
    charts = [
        e for e in at.main if getattr(e, "type", "") in ("arrow_vega_lite_chart", "vega_lite_chart")
    ]
    spec = " ".join(str(getattr(c, "proto", "")) for c in charts)
    assert "Avis de mars" in spec and "strokeDash" in spec


@pytest.mark.usefixtures("app")
def test_the_synthese_shows_the_active_alerts(events_url):
    """What the nightly ``python -m warehouse alerts`` found crossed is on the Synthèse, for
    the users who may see the agencies it watches."""
    from sqlalchemy import delete

    from warehouse.model.schema import alert_state
    from warehouse.report import alerts

    engine = make_engine(events_url)
    rules = [alerts.Rule("sl", "service_level_90", alerts.OUTSIDE_TARGET, None, "mois")]
    alerts.record(engine, alerts.evaluate(engine, rules, date(2025, 3, 31)))
    engine.dispose()
    try:
        at = _open("synthese", MARCH)
        shown = " ".join(m.value for m in at.markdown)
        assert "1 alerte(s) active(s)" in shown
        assert "Niveau de service \\(90 s\\) hors de sa cible" in shown
        assert "57,1\u202f% sur le mois au 31/03/2025" in shown
    finally:
        engine = make_engine(events_url)
        with engine.begin() as conn:
            conn.execute(delete(alert_state))
        engine.dispose()
    st.cache_data.clear()
    assert not any("alerte(s) active(s)" in m.value for m in _open("synthese", MARCH).markdown)
