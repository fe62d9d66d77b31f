"""Events (``evenements``): what explains a series' peaks (rent notices, charge
adjustments, the SLS/OPS survey, the start of heating, storms, a telephone outage)."""

from __future__ import annotations

import pandas as pd

from loaders.frame import LINE
from loaders.sources.base import Col, Source, not_before
from warehouse.load.merge_survey import merge_events

EVENT_KINDS = (
    "avis_echeance",
    "regularisation_charges",
    "enquete_sls_ops",
    "chauffage",
    "intemperies",
    "panne_telephonique",
    "autre",
)


def shape(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    """An event without an end lasts its first day."""
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "start_date": t["debut"],
            "end_date": t["fin"].fillna(t["debut"]),
            "label": t["libelle"],
            "kind": t["type"],
        }
    )


def checks(e) -> list:
    return [not_before(e, "fin", "debut", "fin de l'événement antérieure à son début")]


EVENEMENTS = Source(
    "evenements",
    "événements",
    (
        Col("debut", "date", True, ("start", "date debut", "du")),
        Col("fin", "date", False, ("end", "date fin", "au")),
        Col(
            "libelle",
            "text",
            True,
            ("label", "evenement", "description"),
            max_length=120,
            free=True,
        ),
        Col(
            "type",
            "code",
            True,
            ("kind", "type evenement", "categorie"),
            EVENT_KINDS,
            {
                "avis d echeance": "avis_echeance",
                "avis echeance": "avis_echeance",
                "quittancement": "avis_echeance",
                "regularisation des charges": "regularisation_charges",
                "regularisation charges": "regularisation_charges",
                "enquete sls": "enquete_sls_ops",
                "enquete ops": "enquete_sls_ops",
                "enquete sls ops": "enquete_sls_ops",
                "sls": "enquete_sls_ops",
                "chauffage": "chauffage",
                "mise en chauffe": "chauffage",
                "intemperies": "intemperies",
                "tempete": "intemperies",
                "panne telephonique": "panne_telephonique",
                "panne": "panne_telephonique",
                "other": "autre",
            },
        ),
    ),
    shape=shape,
    checks=checks,
    merge=merge_events,
)
SOURCES = (EVENEMENTS,)
