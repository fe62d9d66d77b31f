"""Periods as the pages say them (issue 25, case 6) and what a tile or a chart says beyond
its colour (issue 30), on the hand-made landlord of ``kpi_dataset.py`` (calls in March
2025, requests up to 25 April 2025). AppTest: the page scripts run, no browser."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.test_app import PERIOD, _open
from tests.test_app import app as app  # noqa: F401  (the fixture, with its warehouse)
from tests.test_app import warehouse_url as warehouse_url  # noqa: F401
from warehouse.engine import make_engine
from warehouse.kpis import queries


def _last_day(url: str) -> date:
    engine = make_engine(url)
    try:
        return queries.data_period(engine)[1]
    finally:
        engine.dispose()


@pytest.mark.usefixtures("app")
def test_a_link_ending_in_2099_is_brought_back_to_the_last_day_with_data_and_says_so(
    warehouse_url,  # noqa: F811
):
    """The README promises it; the end was silently replaced by the default period's."""
    last = _last_day(warehouse_url)
    at = _open("synthese", periode="custom", debut="2025-03-01", fin="2099-12-31")
    assert (at.session_state["f_start"], at.session_state["f_end"]) == (date(2025, 3, 1), last)
    said = " ".join(w.value for w in at.sidebar.warning)
    assert "Fin demandée : jeu. 31 déc. 2099 ; ramenée au" in said, said
    assert at.query_params["fin"] in (last.isoformat(), [last.isoformat()])


@pytest.mark.usefixtures("app")
def test_a_past_end_after_the_data_stays_as_asked(warehouse_url):  # noqa: F811
    """The stock of requests at the end of April is the end of April's, data or not."""
    at = _open("synthese", PERIOD)
    assert at.session_state["f_end"] == date(2025, 4, 30) > _last_day(warehouse_url)
    assert not at.sidebar.warning


@pytest.mark.usefixtures("app")
def test_the_synthese_says_what_it_compares_in_business_days():
    """Friday 7 and Saturday 8 March 2025 (one business day) against Thursday 7 and Friday
    8 March 2024 (two): said, where « −18,7 % sur un an » compared 4 days with 5 silently."""
    at = _open(
        "synthese",
        {"f_period": "custom", "f_start": date(2025, 3, 7)} | {"f_end": date(2025, 3, 8)},
    )
    said = " ".join(m.value for m in at.markdown)
    assert (
        "Du ven. 7 mars 2025 au sam. 8 mars 2025 (1 jour ouvré), comparé aux mêmes jours un an "
        "plus tôt : du jeu. 7 mars 2024 au ven. 8 mars 2024 (2 jours ouvrés). Un an plus "
        "tôt, il y a plus de jours ouvrés : les volumes (appels, demandes) ne se comparent "
        "pas tels quels."
    ) in said, said
    # The hand-made warehouse starts in March 2025: no tile can show a change, and why.
    said = [c.value for c in at.caption if c.value.startswith("Pas d'évolution sur un an")]
    assert len(said) == 1 and said[0].endswith("2025, après le ven. 8 mars 2024."), said
    assert all(m.delta in (None, "") for m in at.metric)


@pytest.mark.usefixtures("app")
def test_this_month_is_compared_over_the_days_with_data(monkeypatch):
    """« Ce mois-ci » on 5 May 2025, data loaded up to 25 April: nothing in May yet, so the
    whole month so far is compared; on 28 April, the month is cut at the 25th."""
    from pages import state

    monkeypatch.setattr(state, "today", lambda: date(2025, 4, 28))
    said = " ".join(m.value for m in _open("synthese", {"f_period": "this_month"}).markdown)
    assert (
        "Du mar. 1 avr. 2025 au lun. 28 avr. 2025, données chargées jusqu'au ven. 25 avr. "
        "2025 : du mar. 1 avr. 2025 au ven. 25 avr. 2025 (18 jours ouvrés), comparé aux "
        "mêmes jours un an plus tôt : du lun. 1 avr. 2024 au jeu. 25 avr. 2024 "
        "(18 jours ouvrés)."
    ) in said, said


@pytest.mark.parametrize(
    ("value", "before", "better", "word"),
    [
        (0.92, 0.90, "up", "favorable"),  # a rate to raise, risen
        (0.85, 0.90, "up", "défavorable"),
        (26.0, 24.05, "down", "défavorable"),  # a cost, risen
        (21.0, 24.05, "down", "favorable"),
        (7000, 6000, None, ""),  # a volume is neither
        (0.9, 0.9, "up", ""),  # no change, no verdict
        (None, 0.9, "up", ""),
    ],
)
def test_good_or_bad_is_said_in_words_as_well_as_colour(value, before, better, word):
    from pages import fmt

    assert fmt.verdict(value, before, better) == word
    change = fmt.change(value, before, "ratio")
    assert fmt.judged(change, value, before, better) == (f"{change}, {word}" if word else change)


@pytest.mark.usefixtures("app")
def test_the_agencies_are_ranked_as_dots_on_an_axis_zoomed_on_their_spread():
    """Bars from 0 % hid differences of a point or two between agencies at 83 to 85 %."""
    at = _open("agences", PERIOD)
    charts = [e for e in at.main if "vega_lite_chart" in getattr(e, "type", "")]
    spec = json.loads(charts[0].proto.spec)
    dots = spec["layer"][0]
    assert dots["mark"]["type"] == "point"
    scale = dots["encoding"]["x"]["scale"]
    assert scale["zero"] is False and 0 < scale["domain"][0] < scale["domain"][1] <= 1
    assert "axe qui commence à" in spec["description"]
    assert any("L'axe ne commence pas à zéro" in c.value for c in at.caption)


@pytest.mark.usefixtures("app")
def test_a_rate_without_values_is_in_no_legend(monkeypatch):
    """Issue 25, case 1: the answer rate's line was in the legend but not drawn. A rate
    that has no value under the filters (lost calls belong to no agency) is left out of the
    legend, and with no rate at all the page says so instead of an empty chart."""
    from pages import data

    real = data.call_series

    def without(*rates):
        return lambda f, grain: real(f, grain).assign(**dict.fromkeys(rates, float("nan")))

    monkeypatch.setattr(data, "call_series", without("answer_rate"))
    at = _open("appels", PERIOD)
    charts = [e for e in at.main if "vega_lite_chart" in getattr(e, "type", "")]
    rates = json.loads(charts[1].proto.spec)
    colour = rates["layer"][0]["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert colour == ["Niveau de service 90 s"]
    monkeypatch.setattr(data, "call_series", without("answer_rate", "service_level_90"))
    at = _open("appels", PERIOD)
    assert any("Aucun taux à tracer" in i.value for i in at.info)
