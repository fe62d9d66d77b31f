"""Calls: the call-centre log (``appels``, formats.md §1), one row per call handled by the
centre and the on-call line; the caller's number is pseudonymised, the advisor coded (the
phone-like runs of every text column are masked before, by staging)."""

from __future__ import annotations

import pandas as pd

from loaders.frame import LINE
from loaders.pseudonym import advisor_codes, caller_keys
from loaders.sources.base import (
    DWELLING,
    REQUEST_ID,
    Col,
    Source,
    between,
    code,
    date_key,
    motif_family,
    time_key,
)
from warehouse.load.aggregates import refresh_after_calls
from warehouse.load.merge_facts import merge_calls
from warehouse.load.repeats import refresh_previous_calls
from warehouse.model import reference
from warehouse.model.schema import agg_call_kept, dim_dwelling, dim_queue, fact_call


def shape(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "call_id": t["id_appel"],
            "call_at": t["date_heure"],
            "date_key": date_key(t["date_heure"]),
            "time_key": time_key(t["date_heure"]),
            "queue_code": code(t["file"]),
            "advisor_code": advisor_codes(t["agent"]),
            "dwelling_code": code(t["ref_logement"]),
            "caller_key": caller_keys(t["numero_appelant"], state.setdefault("callers", {})),
            "is_inbound": t["sens"].eq("entrant"),
            "outcome": t["issue"],
            "wait_seconds": t["attente_s"],
            "talk_seconds": t["duree_s"],
            "motif_label": t["motif"],
            "motif_family": motif_family(t["motif"]),
            "is_settled_first_level": t["traite_niveau_1"],
            "request_id": t["num_demande"],
        }
    )


def checks(e) -> list:
    return [
        between(e, "attente_s", 0, 86_400, "attente négative ou supérieure à 24 h"),
        between(e, "duree_s", 0, 86_400, "durée négative ou supérieure à 24 h"),
    ]


def merge(conn, load_id: int) -> tuple:
    """New calls inserted; stored calls the file corrects replaced (the newest import
    wins), counted as updated, with the fields that differed."""
    inserted, corrected = merge_calls(conn, load_id)
    return inserted, corrected.rows, corrected


def after_merge(conn, load_id: int) -> None:
    """Each call's previous call of the same number, then the daily aggregates."""
    refresh_previous_calls(conn, load_id)
    refresh_after_calls(conn, load_id)


APPELS = Source(
    "appels",
    "journal d'appels",
    (
        Col(
            "id_appel",
            "text",
            True,
            ("call_id", "id", "identifiant appel", "n appel"),
            max_length=80,
        ),
        Col("date_heure", "datetime", True, ("started_at", "date", "debut", "date appel")),
        Col("heure", "time", False, ("time", "heure appel", "heure debut"), joins="date_heure"),
        Col(
            "sens",
            "code",
            True,
            ("direction",),
            ("entrant", "sortant"),
            {
                "in": "entrant",
                "inbound": "entrant",
                "e": "entrant",
                "out": "sortant",
                "outbound": "sortant",
                "s": "sortant",
            },
        ),
        Col("file", "text", True, ("queue", "file attente", "service"), max_length=60),
        Col(
            "numero_appelant",
            "text",
            False,
            ("caller", "caller number", "telephone", "ani"),
            max_length=40,
        ),
        Col("agent", "text", False, ("advisor", "conseiller", "agent id"), max_length=100),
        Col("attente_s", "duration", True, ("wait_s", "wait seconds", "attente")),
        Col("duree_s", "duration", True, ("talk_s", "duration_s", "duree", "talk seconds")),
        Col(
            "issue",
            "code",
            True,
            ("outcome", "resultat"),
            reference.CALL_OUTCOMES,
            {
                "answered": "decroche",
                "abandoned": "abandonne",
                "overflow": "dissuade",
                "voicemail": "messagerie",
                "repondu": "decroche",
            },
        ),
        Col("motif", "text", False, ("reason", "qualification"), free=True),
        DWELLING,
        Col("traite_niveau_1", "bool", False, ("first_level", "settled_first_level", "n1")),
        REQUEST_ID,
    ),
    shape=shape,
    checks=checks,
    merge=merge,
    after_merge=after_merge,
    written=(fact_call, dim_dwelling, dim_queue),
    refreshed=(agg_call_kept,),
)
SOURCES = (APPELS,)
