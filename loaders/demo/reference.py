"""Demo reference data: agencies and dwellings."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

AGENCY_NAMES = ["Nord", "Centre", "Sud", "Est", "Ouest", "Rives", "Plateau", "Vallée"]
COMMUNES = [
    "Villeneuve",
    "Saint-Martin",
    "Beaulieu",
    "Montreuil-sur-Loire",
    "Les Aubiers",
    "Bellevue",
    "Champfleury",
    "Le Clos",
]
RESIDENCES = [
    "Les Tilleuls",
    "Le Parc",
    "Les Érables",
    "La Source",
    "Les Cèdres",
    "Le Moulin",
    "Les Jardins",
    "La Roseraie",
]


def make_agencies(count: int) -> pd.DataFrame:
    codes = [f"AG{i + 1:02d}" for i in range(count)]
    return pd.DataFrame(
        {
            "Code agence": codes,
            "Nom": [
                f"Agence {AGENCY_NAMES[i % len(AGENCY_NAMES)]}"
                + (f" {i // len(AGENCY_NAMES) + 1}" if i >= len(AGENCY_NAMES) else "")
                for i in range(count)
            ],
            "Territoire": [f"Territoire {'ABC'[i % 3]}" for i in range(count)],
            "Organisme": [
                "Habitat Métropole" if i % 5 < 3 else "Logis du Val" for i in range(count)
            ],
            "Date ouverture": ["01/01/2010"] * count,
        }
    )


def make_dwellings(rng, count: int, agencies: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    codes = agencies["Code agence"].to_numpy()
    weights = rng.uniform(0.7, 1.3, len(codes))
    agency = rng.choice(codes, size=count, p=weights / weights.sum())
    # Most dwellings predate the period; about 4% are delivered during it, 1% leave it.
    span = (pd.Timestamp(end) - pd.Timestamp(start)).days
    entered = pd.Timestamp("1975-01-01") + pd.to_timedelta(
        rng.integers(0, (pd.Timestamp(start) - pd.Timestamp("1975-01-01")).days, count), unit="D"
    )
    new = rng.random(count) < 0.04
    entered = entered.where(
        ~new, pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, span, count), unit="D")
    )
    left = pd.Series(pd.NaT, index=range(count), dtype="datetime64[ns]")
    leaving = (rng.random(count) < 0.01) & ~new
    left[leaving] = pd.Timestamp(start) + pd.to_timedelta(
        rng.integers(0, span, leaving.sum()), unit="D"
    )
    residence = rng.integers(0, len(RESIDENCES), count)
    return pd.DataFrame(
        {
            "ref_logement": [f"LGT{i + 1:07d}" for i in range(count)],
            "agence": agency,
            "residence": [f"Résidence {RESIDENCES[r]}" for r in residence],
            "commune": np.array(COMMUNES)[rng.integers(0, len(COMMUNES), count)],
            "type": np.where(rng.random(count) < 0.85, "collectif", "individuel"),
            "date_entree_parc": pd.Series(entered).dt.strftime("%d/%m/%Y"),
            "date_sortie_parc": left.dt.strftime("%d/%m/%Y").fillna(""),
        }
    )


def phone_numbers(indices: np.ndarray) -> np.ndarray:
    """A stable mobile number per dwelling index, written as French exports do."""
    numbers = 600_000_000 + (indices.astype("int64") * 7_919) % 99_999_999
    return np.array(
        [
            f"0{n // 10**8} {n // 10**6 % 100:02d} {n // 10**4 % 100:02d} "
            f"{n // 100 % 100:02d} {n % 100:02d}"
            for n in numbers
        ]
    )
