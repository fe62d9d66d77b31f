"""Demo satisfaction surveys: one wave of the periodic survey per demo year (marks from 0
to 10 one year, the verbal scale the next), « à chaud » surveys after some closed
requests, the questionnaire and the sector's references. Satisfaction follows the
operations: an agency whose requests slip more has tenants less satisfied with their
handling, and a late request gets a less satisfied « à chaud » answer."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

QUESTIONS = [  # code, theme, wording, base rate of satisfied tenants
    ("Q01", "global", "Globalement, êtes-vous satisfait de votre bailleur ?", 0.80),
    ("Q02", "accueil", "Êtes-vous satisfait de l'accueil ?", 0.85),
    ("Q03", "communication", "De l'information donnée par votre bailleur ?", 0.80),
    ("Q04", "demandes_techniques", "Du traitement de votre dernière demande technique ?", 0.67),
    ("Q05", "demandes_techniques", "Du délai de traitement de cette demande ?", 0.62),
    ("Q06", "demandes_administratives", "Du traitement de vos demandes administratives ?", 0.75),
    ("Q07", "proprete", "De la propreté des parties communes ?", 0.70),
    ("Q08", "logement", "De votre logement ?", 0.85),
]
VERBAL = ["pas du tout satisfait", "peu satisfait", "assez satisfait", "très satisfait"]
REFERENCES = [  # wave, perimeter, theme, rate (kpis.md and the regional wave of 2022)
    ("2014", "national", "accueil", "85"),
    ("2014", "national", "communication", "83"),
    ("2014", "national", "demandes_techniques", "67"),
    ("2014", "national", "demandes_administratives", "75"),
    ("2019", "national", "logement", "85"),
    ("2022", "regional", "global", "81"),
    ("2022", "regional", "accueil", "86"),
    ("2022", "regional", "demandes_techniques", "66"),
]


def questionnaire() -> pd.DataFrame:
    return pd.DataFrame([q[:3] for q in QUESTIONS], columns=["code_question", "theme", "libelle"])


def references() -> pd.DataFrame:
    return pd.DataFrame(REFERENCES, columns=["vague", "perimetre", "theme", "taux"])


def _answers(rng, satisfied: np.ndarray, verbal: bool) -> list[str]:
    """An answer per respondent: satisfied ones mark 7-10 (« assez » / « très »), the
    others 0-6; about 4 % « ne sait pas »."""
    if verbal:
        level = np.where(
            satisfied, rng.integers(2, 4, len(satisfied)), rng.integers(0, 2, len(satisfied))
        )
        out = [VERBAL[i] for i in level]
    else:
        mark = np.where(
            satisfied, rng.integers(7, 11, len(satisfied)), rng.integers(0, 7, len(satisfied))
        )
        out = [str(m) for m in mark]
    unknown = rng.random(len(out)) < 0.04
    return [
        ("ne sait pas" if verbal else "") if u else a for a, u in zip(out, unknown, strict=True)
    ]


def waves(rng, dwellings: pd.DataFrame, requests: pd.DataFrame, start: date, end: date):
    """(year, frame) of the periodic survey, one wave per year, interviewed in May (or by
    the end date for the current year)."""
    late = requests.groupby("agency")["late"].mean()
    n = max(60, len(dwellings) // 60)
    for i, year in enumerate(range(start.year, end.year + 1)):
        day = min(date(year, 5, 15), end)
        picked = dwellings.sample(n, random_state=int(rng.integers(1 << 31)))
        frame = pd.DataFrame(
            {
                "Id répondant": [f"{year}-{k:05d}" for k in range(n)],
                "Vague": str(year),
                "Date réponse": day.strftime("%d/%m/%Y"),
                "Réf. logement": picked["ref_logement"].to_numpy(),
                "Poids": np.round(rng.uniform(0.8, 1.2, n), 2).astype(str),
            }
        )
        slip = picked["agence"].map(late).fillna(late.mean()).to_numpy()
        for code, theme, _, base in QUESTIONS:
            p = base + 0.01 * i  # a slow improvement wave after wave
            if theme == "demandes_techniques":
                p = p + 0.9 * (late.mean() - slip)  # agencies that slip more, less satisfied
            frame[code] = _answers(rng, rng.random(n) < np.clip(p, 0.05, 0.98), verbal=i % 2 == 1)
        frame["Commentaire"] = ""  # the institute's free text: never stored
        yield year, frame


def after_requests(rng, requests: pd.DataFrame, end: date) -> pd.DataFrame:
    """« À chaud »: one closed request in eight, surveyed three days after closing."""
    closed = requests[requests["closed"].notna() & ~requests["cancelled"]]
    closed = closed[closed["closed"] + pd.Timedelta(days=3) <= pd.Timestamp(end)]
    picked = closed[rng.random(len(closed)) < 0.125]
    satisfied = rng.random(len(picked)) < np.where(picked["late"], 0.45, 0.85)
    return pd.DataFrame(
        {
            "Id répondant": [f"AC-{k:06d}" for k in range(len(picked))],
            "Vague": "à chaud",
            "Date réponse": (picked["closed"] + pd.Timedelta(days=3)).dt.strftime("%d/%m/%Y"),
            "Réf. logement": picked["ref"].to_numpy(),
            "N° demande": picked["num"].to_numpy(),
            "Q04": _answers(rng, satisfied, verbal=False),
        }
    )
