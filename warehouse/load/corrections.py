"""Stored rows that a re-export corrects: which differ, in which fields of the export.

A telephony or CRM system re-exports a period with some rows corrected (a wait of 14 s
become 15 s, an outcome become abandoned, a request with one more follow-up). The merges
compare the file's row of each natural key with the stored one, field by field, count
the differences per column of the export (its French header) and apply them by the rule
of each source (``merge_facts.merge_calls``, ``merge_requests.merge_requests``); the
import report says how many stored rows differed, in which fields, and what was done.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, func, or_, select

# fact_call column -> the export's column it comes from (formats.md §1)
CALL_FIELDS = {
    "call_at": "date_heure",
    "queue_key": "file",
    "advisor_key": "agent",
    "dwelling_key": "ref_logement",
    "caller_key": "numero_appelant",
    "is_inbound": "sens",
    "outcome": "issue",
    "wait_seconds": "attente_s",
    "talk_seconds": "duree_s",
    "motif_label": "motif",
    "is_settled_first_level": "traite_niveau_1",
    "request_id": "num_demande",
}

# fact_request column -> the export's column (formats.md §3); the derived columns
# (date keys, durations, deadline, progress) follow the ones they come from.
REQUEST_FIELDS = {
    "created_at": "date_creation",
    "channel_key": "canal_saisie",
    "agency_key": "agence",
    "dwelling_key": "ref_logement",
    "category_key": "categorie",
    "subcategory": "sous_categorie",
    "request_type": "type",
    "urgency_days": "urgence_j",
    "status": "statut",
    "first_action_at": "date_premiere_action",
    "closed_at": "date_cloture",
    "closure_level": "niveau_cloture",
    "followup_count": "nb_relances",
}


@dataclass
class Corrections:
    """Stored rows a file differs from: how many, per export column; ``refused`` of them
    were kept as stored (with their own per-column counts)."""

    rows: int = 0
    fields: dict[str, int] = field(default_factory=dict)
    refused: int = 0
    refused_fields: dict[str, int] = field(default_factory=dict)
    # calls: the corrected ids, their stored numbers and (first, last) day, to refresh
    ids: list = field(default_factory=list, repr=False)
    callers: list = field(default_factory=list, repr=False)
    days: tuple = ()


def differing(fact, incoming, columns) -> object:
    """True where the stored row differs from the file's in one of ``columns``."""
    return or_(*[fact.c[c].is_distinct_from(incoming.c[c]) for c in columns])


def count_fields(
    conn: Connection, fact, incoming, match, fields: dict[str, str], where=None
) -> tuple[int, dict[str, int]]:
    """(stored rows that differ, {export column: rows differing in it}) over the rows of
    ``incoming`` matching a stored row (``match``) and ``where``, in one query."""
    diffs = {c: fact.c[c].is_distinct_from(incoming.c[c]) for c in fields}
    condition = and_(
        match, differing(fact, incoming, fields), *([where] if where is not None else [])
    )
    counts = conn.execute(
        select(func.count(), *[func.count().filter(d) for d in diffs.values()])
        .select_from(incoming.join(fact, match))
        .where(condition)
    ).one()
    per_field: dict[str, int] = {}
    for column, n in zip(fields, counts[1:], strict=True):
        if n:
            name = fields[column]
            per_field[name] = max(per_field.get(name, 0), int(n))
    return int(counts[0]), per_field
