"""Demo costs of the centre and its daily staffing, near the sector's 22 EUR per dwelling."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from warehouse.model.calendar import french_holidays

REFERENCE_DWELLINGS = 25_000
MONTHLY = {  # EUR per month for 25,000 dwellings
    "personnel": 34_500.0,
    "telecom": 1_200.0,
    "informatique": 1_500.0,
    "locaux": 1_800.0,
    "formation": 400.0,
}
SETUP_EUR = 300_000.0  # spread over 36 months by the warehouse


def _french(amount: float) -> str:
    return f"{amount:,.2f}".replace(",", "\u00a0").replace(".", ",")


def make_costs(rng, dwellings: int, start: date, end: date) -> pd.DataFrame:
    scale = dwellings / REFERENCE_DWELLINGS
    months = pd.period_range(start, end, freq="M")
    rows = []
    for i, month in enumerate(months):
        growth = 1.03 ** (i // 12)
        for nature, amount in MONTHLY.items():
            value = amount * scale * growth * rng.uniform(0.92, 1.08)
            rows.append((str(month), "CRL", nature, _french(value)))
        if i == 0:
            rows.append((str(month), "CRL", "mise_en_place", _french(SETUP_EUR * scale)))
    return pd.DataFrame(rows, columns=["periode", "centre", "nature", "montant_eur"])


def make_staffing(rng, dwellings: int, start: date, end: date) -> pd.DataFrame:
    days = pd.date_range(start, end, freq="B")
    holidays = set(french_holidays())
    days = days[[d.date() not in holidays for d in days]]
    scale = dwellings / REFERENCE_DWELLINGS
    years = days.year - start.year
    advisors = 9.0 * scale * 1.04**years * (1 - rng.uniform(0.04, 0.18, len(days)))
    supervisors = np.maximum(1.5 * scale * (1 - rng.uniform(0, 0.2, len(days))), 0.5)
    return pd.DataFrame(
        {
            "date": days.strftime("%d/%m/%Y"),
            "equipe": "CRL",
            "conseillers_etp": [f"{v:.1f}".replace(".", ",") for v in advisors],
            "encadrants_etp": [f"{v:.1f}".replace(".", ",") for v in supervisors],
        }
    )
