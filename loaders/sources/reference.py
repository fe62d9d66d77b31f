"""Reference data (formats.md §4): the agencies and the dwellings managed, whose stock per
agency and month is the denominator of every per-dwelling figure."""

from __future__ import annotations

import pandas as pd

from loaders.frame import LINE
from loaders.sources.base import AGENCY, REFERENCE_SINCE, Col, Source, code, not_before
from warehouse.load.aggregates import refresh_call_days
from warehouse.load.merge_dims import merge_agencies, merge_dwellings
from warehouse.load.merge_requests import refresh_dwelling_months
from warehouse.model.schema import agg_call_kept, dim_agency, dim_dwelling, fact_dwelling_month


def shape_agencies(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "agency_code": code(t["agence"]),
            "agency_name": t["nom"],
            "territory": t["territoire"],
            "organisme": t["organisme"],
            "opened_date": t["date_ouverture"],
        }
    )


def shape_dwellings(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "dwelling_code": code(t["ref_logement"]),
            "agency_code": code(t["agence"]),
            "residence": t["residence"],
            "commune": t["commune"],
            "dwelling_type": t["type"],
            "entered_date": t["date_entree_parc"],
            "left_date": t["date_sortie_parc"],
        }
    )


def dwelling_checks(e) -> list:
    return [
        not_before(
            e, "date_sortie_parc", "date_entree_parc", "sortie du parc antérieure à l'entrée"
        ),
    ]


def after_dwellings(conn, load_id: int) -> None:
    """The stock per agency and month, and every day's call aggregates (a dwelling's
    agency is its calls' agency)."""
    refresh_dwelling_months(conn)
    refresh_call_days(conn)


AGENCES = Source(
    "agences",
    "référentiel des agences",
    (
        Col("agence", "text", True, ("agency", "code agence", "code"), max_length=40),
        Col("nom", "text", True, ("name", "libelle", "nom agence"), free=True),
        Col("territoire", "text", False, ("territory",), free=True),
        Col("organisme", "text", True, ("landlord", "bailleur"), free=True),
        Col(
            "date_ouverture",
            "date",
            False,
            ("opened_at", "ouverture"),
            since_year=REFERENCE_SINCE,
        ),
    ),
    shape=shape_agencies,
    merge=lambda conn, load_id: merge_agencies(conn),
    written=(dim_agency,),
)

LOGEMENTS = Source(
    "logements",
    "référentiel des logements",
    (
        Col("ref_logement", "text", True, ("dwelling", "dwelling_id", "logement"), max_length=60),
        AGENCY,
        Col("residence", "text", False, ("building", "groupe"), free=True),
        Col("commune", "text", False, ("city", "town", "ville"), free=True),
        Col(
            "type",
            "code",
            False,
            ("dwelling_type", "type logement"),
            ("collectif", "individuel"),
            {"coll": "collectif", "ind": "individuel"},
        ),
        Col(
            "date_entree_parc",
            "date",
            False,
            ("entered_at", "entree parc", "date entree"),
            since_year=REFERENCE_SINCE,
        ),
        Col(
            "date_sortie_parc",
            "date",
            False,
            ("left_at", "sortie parc", "date sortie"),
            since_year=REFERENCE_SINCE,
        ),
    ),
    shape=shape_dwellings,
    checks=dwelling_checks,
    merge=lambda conn, load_id: merge_dwellings(conn),
    after_merge=after_dwellings,
    written=(dim_dwelling,),
    refreshed=(fact_dwelling_month, agg_call_kept),
)
SOURCES = (AGENCES, LOGEMENTS)
