"""Demo call-centre log: weekday and half-hour patterns, yearly growth, on-call nights."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from loaders.demo.events import call_factor
from loaders.demo.reference import phone_numbers
from warehouse.model.calendar import french_holidays

WEEKDAY_FACTOR = np.array([1.35, 1.05, 1.0, 0.9, 0.7, 0.0, 0.0])
# Relative weight of each half-hour from 8:30 to 17:30 (18 slots): morning and 14h peaks.
OPEN_PROFILE = np.array(
    [1.3, 1.6, 1.7, 1.6, 1.4, 1.2, 1.0, 0.8, 0.5, 0.6, 1.1, 1.3, 1.2, 1.0, 0.9, 0.8, 0.7, 0.5]
)
MOTIFS = [  # label, weight, settled-at-first-level probability
    ("Reclamation technique - plomberie", 5, 0.2),
    ("Reclamation technique - chauffage", 4, 0.2),
    ("Reclamation technique - ascenseur", 3, 0.1),
    ("Réclamation technique - électricité", 2, 0.25),
    ("Réclamation voisinage - bruit", 3, 0.3),
    ("Réclamation propreté - parties communes", 2, 0.35),
    ("Renseignement - quittance", 12, 0.9),
    ("Renseignement - loyer et paiement", 14, 0.85),
    ("Suivi - où en est ma demande", 9, 0.7),  # a chase: failure demand
    ("Demande administrative - attestation", 10, 0.85),
    ("Demande administrative - changement de coordonnées", 8, 0.9),
    ("Charges - régularisation", 8, 0.6),
    ("Mutation - demande de logement", 5, 0.5),
    ("Autre - divers", 10, 0.7),
]
ADVISORS = [f"crl.conseiller{i:02d}" for i in range(1, 15)]


def _day_volumes(rng, dwellings: int, start: date, end: date) -> pd.DataFrame:
    days = pd.date_range(start, end, freq="D")
    holidays = set(french_holidays())
    is_holiday = np.array([d.date() in holidays for d in days])
    years = days.year - start.year
    monthly_rate = 0.55 * 1.08**years  # calls per dwelling per month, growing 8% a year
    business = dwellings * monthly_rate * 12 / 250 * WEEKDAY_FACTOR[days.weekday]
    business = np.where(is_holiday, 0, business) * call_factor(days)  # events' peaks
    on_call = dwellings * monthly_rate * 12 / 250 * np.where(business > 0, 0.035, 0.12)
    return pd.DataFrame(
        {
            "day": days,
            "open": rng.poisson(business),
            "on_call": rng.poisson(on_call),
            "year_index": years,
        }
    )


def _stamps(rng, volumes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Call start times and an in-hours flag."""
    day_open = np.repeat(volumes["day"].to_numpy(), volumes["open"].to_numpy())
    monday = pd.DatetimeIndex(day_open).weekday == 0
    profile = OPEN_PROFILE / OPEN_PROFILE.sum()
    slot = rng.choice(len(profile), size=len(day_open), p=profile)
    # Monday mornings are busier still.
    early = rng.choice(6, size=len(day_open), p=profile[:6] / profile[:6].sum())
    slot = np.where(monday & (rng.random(len(day_open)) < 0.25), early, slot)
    open_seconds = 510 * 60 + slot * 1800 + rng.integers(0, 1800, len(day_open))
    open_at = day_open + pd.to_timedelta(open_seconds, unit="s").to_numpy()
    day_night = np.repeat(volumes["day"].to_numpy(), volumes["on_call"].to_numpy())
    # Out of hours: 17:30-24:00 (most) and 0:00-8:30.
    evening = rng.random(len(day_night)) < 0.7
    night_seconds = np.where(
        evening,
        1050 * 60 + rng.integers(0, 390 * 60, len(day_night)),
        rng.integers(0, 510 * 60, len(day_night)),
    )
    night_at = day_night + pd.to_timedelta(night_seconds, unit="s").to_numpy()
    stamps = np.concatenate([open_at, night_at])
    in_hours = np.concatenate([np.ones(len(open_at), bool), np.zeros(len(night_at), bool)])
    order = np.argsort(stamps, kind="stable")
    return stamps[order], in_hours[order]


def make_calls(rng, dwellings: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    volumes = _day_volumes(rng, len(dwellings), start, end)
    stamps, in_hours = _stamps(rng, volumes)
    n = len(stamps)
    year_index = pd.DatetimeIndex(stamps).year - start.year
    outbound = in_hours & (rng.random(n) < 0.04)
    answer_p = np.clip(0.87 + 0.02 * year_index, 0, 0.95)
    answered = outbound | (rng.random(n) < answer_p)
    lost_kind = rng.choice(["abandonne", "dissuade", "messagerie"], size=n, p=[0.75, 0.15, 0.10])
    outcome = np.where(answered, "decroche", lost_kind)
    wait = np.where(
        answered,
        rng.lognormal(np.log(24), 0.9, n),
        np.where(
            lost_kind == "abandonne",
            rng.exponential(50, n),
            np.where(lost_kind == "messagerie", 40, 0),
        ),
    )
    wait = np.where(outbound, 0, np.minimum(wait, 900)).round().astype(int)
    talk = np.where(answered, rng.lognormal(np.log(175), 0.55, n), 0).round().astype(int)

    weights = np.array([m[1] for m in MOTIFS], float)
    motif_index = rng.choice(len(MOTIFS), size=n, p=weights / weights.sum())
    has_motif = answered & (rng.random(n) < 0.9)
    motif = np.where(has_motif, np.array([m[0] for m in MOTIFS])[motif_index], "")
    settled_p = np.array([m[2] for m in MOTIFS])[motif_index]
    known = has_motif & (rng.random(n) < 0.95)
    settled = np.where(known, np.where(rng.random(n) < settled_p, "oui", "non"), "")

    identified = answered & (rng.random(n) < 0.75)
    dwelling_index = rng.integers(0, len(dwellings), n)
    ref = np.where(identified, dwellings["ref_logement"].to_numpy()[dwelling_index], "")
    caller_index = np.where(rng.random(n) < 0.85, dwelling_index, rng.integers(0, 10**7, n))
    phones = phone_numbers(caller_index)
    phones = np.where(rng.random(n) < 0.1, "", phones)  # hidden numbers
    frame = pd.DataFrame(
        {
            "Id appel": [f"C{start.year % 100:02d}{i:09d}" for i in range(n)],
            "Date/Heure": stamps,
            "Sens": np.where(outbound, "Sortant", "Entrant"),
            "File": np.where(in_hours, "CRL", "ASTREINTE"),
            "Numéro appelant": phones,
            "Agent": np.where(answered, np.array(ADVISORS)[rng.integers(0, len(ADVISORS), n)], ""),
            "Attente (s)": wait.astype(str),
            "Durée (s)": talk.astype(str),
            "Issue": np.where(outcome == "decroche", "Décroché", outcome),
            "Motif": motif,
            "Réf. logement": ref,
            "Traité niveau 1": settled,
            "N° demande": "",
            "_year": pd.DatetimeIndex(stamps).year,
        }
    )
    # A handful of rows as broken as real exports have them, for the quarantine to show.
    broken = rng.choice(n, size=min(n, max(1, n // 20_000)), replace=False)
    frame.loc[broken[::2], "Attente (s)"] = "n/a"
    frame.loc[broken[1::2], "Issue"] = "transféré"
    return frame
