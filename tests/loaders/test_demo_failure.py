"""The demo's failure demand behaves as in life: late requests draw chasing calls that
name them (technical ones most), and the heating start and a storm bring calls back from
the same numbers within days (``loaders/demo/chases.py``)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from loaders.demo.calls import make_calls
from loaders.demo.chases import with_failure_demand
from loaders.demo.reference import make_agencies, make_dwellings
from loaders.demo.requests import make_requests

START, END = date(2026, 1, 1), date(2026, 11, 30)  # an even year: the storm of 12 February


@pytest.fixture(scope="module")
def demo():
    rng = np.random.default_rng(11)
    dwellings = make_dwellings(rng, 3000, make_agencies(3), START, END)
    calls = make_calls(rng, dwellings, START, END)
    requests = make_requests(rng, dwellings, calls, START, END)
    return calls, requests, with_failure_demand(rng, calls, requests, dwellings, START, END)


def test_chasing_calls_name_a_request_created_on_an_earlier_day(demo):
    before, requests, after = demo
    chases = after[after["Id appel"].str.startswith("R") & (after["N° demande"] != "")]
    assert len(chases) > 100
    created = requests.set_index("num")["created"]
    days = pd.DatetimeIndex(chases["Date/Heure"]).normalize()
    assert (days > created.loc[chases["N° demande"]].dt.normalize().to_numpy()).all()
    assert (
        pd.DatetimeIndex(chases["Date/Heure"]) <= pd.Timestamp(END) + pd.Timedelta(days=1)
    ).all()
    assert len(after) == len(before) + (~after["Id appel"].str.startswith("C")).sum()
    # Chases per request: late technical requests most, on-time other requests least.
    per = chases.groupby("N° demande").size().reindex(requests["num"], fill_value=0).to_numpy()
    late, tech = requests["late"].to_numpy(), (requests["category"] == "technique").to_numpy()
    means = [per[m].mean() for m in (late & tech, late & ~tech, ~late & tech, ~late & ~tech)]
    assert means == sorted(means, reverse=True), means
    assert means[0] > 3 * means[3], means


def test_a_storm_and_the_heating_start_bring_calls_back(demo):
    _, _, after = demo
    back = after[after["Id appel"].str.startswith("B")]
    days = pd.DatetimeIndex(back["Date/Heure"])
    after_storm = (days >= "2026-02-13") & (days <= "2026-02-21")
    heating = (days >= "2026-10-16") & (days <= "2026-11-07")
    assert after_storm.sum() > 50 and heating.sum() > 50
    assert (after_storm | heating).all()  # nowhere else
    # Each comes from a number that called on an event day.
    earlier = set(after.loc[after["Id appel"].str.startswith("C"), "Numéro appelant"])
    assert set(back["Numéro appelant"]) <= earlier
