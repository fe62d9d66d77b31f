"""Contacts: the agencies' front-desk registers (``registres``, formats.md §2), one row
per contact at a desk, by agency phone, at a caretaker's lodge, by letter or e-mail."""

from __future__ import annotations

import hashlib
from collections import Counter

import pandas as pd

from loaders.frame import LINE
from loaders.sources.base import (
    AGENCY,
    DWELLING,
    REQUEST_ID,
    Col,
    Source,
    code,
    date_key,
    motif_family,
    time_key,
)
from warehouse.load.merge_facts import merge_contacts
from warehouse.model import reference
from warehouse.model.schema import dim_dwelling, fact_contact

CONTACT_CHANNELS = ("accueil physique", "telephone agence", "loge gardien", "courrier", "email")


def shape(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    """Front-desk lines have no id: the id hashes the line's content and its occurrence
    number in the file, so a re-exported register does not double its contacts while two
    identical contacts in one register stay two."""
    fields = ["date_heure", "agence", "canal", "motif", "ref_logement", "suite", "num_demande"]
    content = (
        t[fields].astype("str").fillna("").agg("|".join, axis=1)
        if len(t)
        else pd.Series([], dtype="str")  # every row of the chunk was quarantined
    )
    seen: Counter = state.setdefault("occurrences", Counter())
    ids = []
    for text in content:
        seen[text] += 1
        ids.append(hashlib.sha1(f"{text}#{seen[text]}".encode()).hexdigest())  # noqa: S324
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "contact_id": ids,
            "contact_at": t["date_heure"],
            "date_key": date_key(t["date_heure"]),
            "time_key": time_key(t["date_heure"]),
            "agency_code": code(t["agence"]),
            "channel_code": t["canal"],
            "dwelling_code": code(t["ref_logement"]),
            "motif_label": t["motif"],
            "motif_family": motif_family(t["motif"]),
            "follow_up": t["suite"],
            "request_id": t["num_demande"],
        },
        index=t.index,
    )


def merge(conn, load_id: int) -> tuple[int, int]:
    return merge_contacts(conn, load_id), 0


REGISTRES = Source(
    "registres",
    "registre d'accueil",
    (
        Col("date_heure", "datetime", True, ("contact_at", "date", "date contact")),
        Col("heure", "time", False, ("time", "heure contact"), joins="date_heure"),
        AGENCY,
        Col(
            "canal",
            "code",
            True,
            ("channel",),
            CONTACT_CHANNELS,
            {
                "accueil": "accueil physique",
                "physique": "accueil physique",
                "telephone": "telephone agence",
                "tel agence": "telephone agence",
                "loge": "loge gardien",
                "mail": "email",
                "e mail": "email",
                "lettre": "courrier",
            },
        ),
        Col("motif", "text", False, ("reason",), free=True),
        DWELLING,
        Col(
            "suite",
            "code",
            False,
            ("follow_up", "suite donnee"),
            reference.CONTACT_FOLLOW_UPS,
            {"reponse": "reponse immediate", "demande": "demande creee"},
        ),
        REQUEST_ID,
    ),
    shape=shape,
    merge=merge,
    written=(fact_contact, dim_dwelling),
)
SOURCES = (REGISTRES,)
