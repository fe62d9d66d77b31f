"""Requests: the CRM's export of tenant requests and complaints (``demandes``,
formats.md §3), an accumulating snapshot upserted on ``num_demande``."""

from __future__ import annotations

import pandas as pd

from loaders.frame import LINE
from loaders.sources.base import (
    AGENCY,
    DWELLING,
    Col,
    Source,
    between,
    code,
    date_key,
    not_before,
)
from warehouse.load.aggregates import refresh_after_requests
from warehouse.load.merge_requests import merge_requests
from warehouse.model import reference
from warehouse.model.calendar import commitment_due_dates
from warehouse.model.reference import NEIGHBOUR_CATEGORY, STATUS_RANK
from warehouse.model.schema import dim_dwelling, fact_request

CAPTURE_CHANNELS = ("crl", "agence", "gardien", "extranet", "courrier", "email", "astreinte")


def shape(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    created, first, closed = t["date_creation"], t["date_premiere_action"], t["date_cloture"]
    calendar = t["categorie"].eq(NEIGHBOUR_CATEGORY)
    day = pd.Timedelta(days=1)
    status_rank = t["statut"].map(STATUS_RANK).fillna(0).astype("int64")
    progress = (status_rank * 4 + first.notna() * 2 + closed.notna()) * 10_000
    progress += t["nb_relances"].fillna(0).clip(0, 9_999).astype("int64")
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "request_id": t["num_demande"],
            "created_at": created,
            "created_date_key": date_key(created),
            "first_action_at": first,
            "first_action_date_key": date_key(first),
            "closed_at": closed,
            "closed_date_key": date_key(closed),
            "channel_code": t["canal_saisie"],
            "agency_code": code(t["agence"]),
            "dwelling_code": code(t["ref_logement"]),
            "category_code": t["categorie"],
            "subcategory": t["sous_categorie"],
            "request_type": t["type"],
            "urgency_days": t["urgence_j"],
            "is_calendar_commitment": calendar,
            "first_action_due_date": commitment_due_dates(created, t["urgence_j"], calendar),
            "status": t["statut"],
            "closure_level": t["niveau_cloture"],
            "followup_count": t["nb_relances"],
            "days_to_first_action": (first - created) / day,
            "days_to_close": (closed - created) / day,
            "progress_rank": progress,
        }
    )


def checks(e) -> list:
    return [
        between(e, "urgence_j", 0, 365, "délai d'engagement hors de 0 à 365 jours"),
        (
            e.ExpectColumnValuesToBeInSet(column="niveau_cloture", value_set=[1, 2]),
            "niveau de clôture différent de 1 ou 2",
        ),
        between(e, "nb_relances", 0, None, "nombre de relances négatif"),
        not_before(e, "date_cloture", "date_creation", "date de clôture antérieure à la création"),
        not_before(
            e, "date_premiere_action", "date_creation", "première action antérieure à la création"
        ),
    ]


DEMANDES = Source(
    "demandes",
    "export des demandes",
    (
        Col(
            "num_demande",
            "text",
            True,
            ("request_id", "n demande", "numero demande"),
            max_length=80,
        ),
        Col("date_creation", "datetime", True, ("created_at", "creation", "date saisie")),
        Col(
            "canal_saisie",
            "code",
            True,
            ("channel", "canal"),
            CAPTURE_CHANNELS,
            {
                "centre": "crl",
                "crc": "crl",
                "loge gardien": "gardien",
                "web": "extranet",
                "mail": "email",
                "e mail": "email",
            },
        ),
        AGENCY,
        DWELLING,
        Col(
            "categorie",
            "code",
            True,
            ("category",),
            tuple(code for code, _ in reference.CATEGORIES),
            {"administratif": "administrative", "technical": "technique"},
        ),
        Col("sous_categorie", "text", False, ("subcategory",), free=True),
        Col(
            "type",
            "code",
            True,
            ("request_type", "type demande"),
            reference.REQUEST_TYPES,
            {"complaint": "reclamation", "information": "renseignement"},
        ),
        Col("urgence_j", "int", False, ("urgency_days", "urgence", "delai engagement")),
        Col(
            "statut",
            "code",
            True,
            ("status", "etat"),
            tuple(reference.STATUS_RANK),
            {
                "open": "ouverte",
                "in progress": "en cours",
                "closed": "cloturee",
                "cancelled": "annulee",
                "ouvert": "ouverte",
                "cloture": "cloturee",
                "annule": "annulee",
                "encours": "en cours",
            },
        ),
        Col("date_premiere_action", "datetime", False, ("first_action_at", "premiere action")),
        Col("date_cloture", "datetime", False, ("closed_at", "cloture")),
        Col("niveau_cloture", "int", False, ("closure_level", "niveau")),
        Col("nb_relances", "int", False, ("followups", "relances", "nombre relances")),
    ),
    shape=shape,
    checks=checks,
    merge=merge_requests,
    after_merge=refresh_after_requests,
    written=(fact_request, dim_dwelling),
)
SOURCES = (DEMANDES,)
