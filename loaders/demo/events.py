"""Demo events: what makes the calls peak each year, and the peaks themselves."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

# (month, first day, last day, label, kind, extra calls on those days)
YEARLY = [
    (1, 6, 17, "Nouveaux avis d'échéance", "avis_echeance", 0.25),
    (4, 1, 15, "Régularisation des charges", "regularisation_charges", 0.35),
    (10, 15, 31, "Mise en chauffe", "chauffage", 0.20),
    (11, 3, 21, "Enquête SLS", "enquete_sls_ops", 0.15),
]
STORM = (2, 12, "Tempête", "intemperies", 0.80)  # one day, every other year


def demo_events(start: date, end: date) -> pd.DataFrame:
    rows = []
    for year in range(start.year, end.year + 1):
        for month, first, last, label, kind, _ in YEARLY:
            rows.append(
                (date(year, month, first), date(year, month, last), f"{label} {year}", kind)
            )
        if year % 2 == 0:
            month, day, label, kind, _ = STORM
            rows.append((date(year, month, day), date(year, month, day), f"{label} {year}", kind))
    frame = pd.DataFrame(rows, columns=["debut", "fin", "libelle", "type"])
    frame = frame[frame["debut"] <= end]
    return frame.assign(
        debut=frame["debut"].map(lambda d: d.strftime("%d/%m/%Y")),
        fin=frame["fin"].map(lambda d: d.strftime("%d/%m/%Y")),
    )


def call_factor(days: pd.DatetimeIndex) -> np.ndarray:
    """How many times the usual calls each day brings, given the events."""
    factor = np.ones(len(days))
    for month, first, last, _, _, extra in YEARLY:
        factor[(days.month == month) & (days.day >= first) & (days.day <= last)] += extra
    month, day, _, _, extra = STORM
    factor[(days.month == month) & (days.day == day) & (days.year % 2 == 0)] += extra
    return factor
