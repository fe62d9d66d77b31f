"""Failure demand in the demo, as it behaves in life: requests whose first action comes late
draw chasing calls naming them (more for technical requests, and more the longer they
stay open), and the heating start and storms bring calls back from the same numbers a few
days later. Appended to the call log built by :mod:`loaders.demo.calls`."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from loaders.demo.calls import ADVISORS
from loaders.demo.events import STORM
from loaders.demo.reference import phone_numbers
from warehouse.model.calendar import french_holidays

# Chasing calls expected per request: (late, on time) x (technical, other).
CHASES = {(True, True): 3.0, (True, False): 1.4, (False, True): 0.5, (False, False): 0.15}
CHASE_MOTIFS = [
    ("Relance - intervention en attente", 0.45),
    ("Suivi - demande en cours", 0.25),
    ("Suivi - où en est ma demande", 0.30),
]
# Calls of these motifs on a heating start or storm day come back within a few days.
COMEBACK_MOTIFS = (
    "Reclamation technique - chauffage",
    "Reclamation technique - plomberie",
    "Reclamation technique - ascenseur",
    "Réclamation technique - électricité",
)
COMEBACK_SHARE = {"chauffage": 0.5, "intemperies": 0.6}


def _business_times(rng, days: np.ndarray) -> np.ndarray:
    """Each day rolled to a business day (holidays off), at an opening-hours time."""
    holidays = np.array(sorted(french_holidays()), dtype="datetime64[D]")
    rolled = np.busday_offset(days.astype("datetime64[D]"), 0, roll="forward", holidays=holidays)
    seconds = rng.integers(510 * 60, 1050 * 60, len(days))
    return rolled.astype("datetime64[s]") + seconds.astype("timedelta64[s]")


def _calls(rng, at, phones, motifs, requests, refs, prefix: str) -> pd.DataFrame:
    n = len(at)
    answered = rng.random(n) < 0.88
    lost = rng.choice(["abandonne", "messagerie"], size=n, p=[0.85, 0.15])
    wait = np.where(answered, rng.lognormal(np.log(24), 0.9, n), rng.exponential(50, n))
    talk = np.where(answered, rng.lognormal(np.log(150), 0.5, n), 0)
    stamps = pd.DatetimeIndex(at)
    return pd.DataFrame(
        {
            "Id appel": [f"{prefix}{s.year % 100:02d}{i:09d}" for i, s in enumerate(stamps)],
            "Date/Heure": stamps,
            "Sens": "Entrant",
            "File": "CRL",
            "Numéro appelant": phones,
            "Agent": np.where(answered, np.array(ADVISORS)[rng.integers(0, len(ADVISORS), n)], ""),
            "Attente (s)": np.minimum(wait, 900).round().astype(int).astype(str),
            "Durée (s)": talk.round().astype(int).astype(str),
            "Issue": np.where(answered, "Décroché", lost),
            "Motif": np.where(answered, motifs, ""),
            "Réf. logement": np.where(answered, refs, ""),
            "Traité niveau 1": np.where(answered, "non", ""),
            "N° demande": np.where(answered, requests, ""),
            "_year": stamps.year,
        }
    )


def chasing_calls(rng, requests: pd.DataFrame, dwellings: pd.DataFrame, end: date) -> pd.DataFrame:
    """Calls naming a request after the day it was created, while it waits: from its
    creation to its closure (or the end of the data)."""
    late = requests["late"].to_numpy()
    tech = (requests["category"] == "technique").to_numpy()
    rate = np.select(
        [late & tech, late & ~tech, ~late & tech], [CHASES[True, True], CHASES[True, False],
         CHASES[False, True]], CHASES[False, False],
    )  # fmt: skip
    created = requests["created"].to_numpy().astype("datetime64[D]")
    stop = np.minimum(
        requests["closed"].to_numpy().astype("datetime64[D]"), np.datetime64(end, "D")
    )
    waiting = (stop - created).astype(int)
    rate = rate * np.clip(waiting / 14, 0.3, 3)  # a request left open is chased more
    count = np.where(waiting >= 2, rng.poisson(rate), 0)
    which = np.repeat(np.arange(len(requests)), count)
    offset = 1 + np.floor(rng.random(len(which)) * (waiting[which] - 1)).astype(int)
    at = _business_times(rng, created[which] + offset.astype("timedelta64[D]"))
    keep = at.astype("datetime64[D]") <= np.minimum(stop[which], np.datetime64(end, "D"))
    which, at = which[keep], at[keep]
    refs = requests["ref"].to_numpy()[which]
    index = pd.Index(dwellings["ref_logement"]).get_indexer(refs)
    labels, weights = zip(*CHASE_MOTIFS, strict=True)
    motifs = rng.choice(labels, size=len(which), p=weights)
    nums = requests["num"].to_numpy()[which]
    return _calls(rng, at, phone_numbers(index), motifs, nums, refs, "R")


def comeback_calls(rng, calls: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """On the heating start (15-31 October) a share of the technical calls, and after a
    storm a share of every answered call, come back from the same number 1 to 6 days
    later."""
    stamps = pd.DatetimeIndex(calls["Date/Heure"])
    heating = (stamps.month == 10) & (stamps.day >= 15)
    month, day, *_ = STORM  # the storm's day and the two after it: damage of every kind
    storm = (stamps.month == month) & (stamps.day - day).isin([0, 1, 2]) & (stamps.year % 2 == 0)
    technical = calls["Motif"].isin(COMEBACK_MOTIFS).to_numpy()
    share = np.where(
        storm,
        COMEBACK_SHARE["intemperies"],
        np.where(heating & technical, COMEBACK_SHARE["chauffage"], 0),
    )
    eligible = (
        (calls["Issue"] == "Décroché").to_numpy()
        & (calls["Sens"] == "Entrant").to_numpy()
        & (calls["Numéro appelant"] != "").to_numpy()
        & (rng.random(len(calls)) < share)
    )
    rows = np.flatnonzero(eligible)
    days = stamps[rows].to_numpy().astype("datetime64[D]") + rng.integers(1, 7, len(rows)).astype(
        "timedelta64[D]"
    )
    at = _business_times(rng, days)
    keep = at.astype("datetime64[D]") <= np.datetime64(end, "D")
    rows, at = rows[keep], at[keep]
    motifs = np.where(
        rng.random(len(rows)) < 0.5,
        calls["Motif"].to_numpy()[rows],
        "Relance - intervention en attente",
    )
    phones = calls["Numéro appelant"].to_numpy()[rows]
    refs = calls["Réf. logement"].to_numpy()[rows]
    return _calls(rng, at, phones, motifs, np.full(len(rows), ""), refs, "B")


def with_failure_demand(
    rng,
    calls: pd.DataFrame,
    requests: pd.DataFrame,
    dwellings: pd.DataFrame,
    start: date,
    end: date,
) -> pd.DataFrame:
    """The call log with the chasing and comeback calls, in time order."""
    extra = [chasing_calls(rng, requests, dwellings, end), comeback_calls(rng, calls, start, end)]
    out = pd.concat([calls, *extra], ignore_index=True)
    return out.sort_values("Date/Heure", kind="stable").reset_index(drop=True)
