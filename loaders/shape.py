"""Staging, step two: rename typed columns to the staging tables' names and derive keys.

Only renames, normalises codes and derives row-local values (date and time keys, the
pseudonyms, the deadline of a request); joins and aggregations happen in the warehouse.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import pandas as pd

from loaders.normalise import fold, map_distinct
from loaders.pseudonym import advisor_codes, caller_keys, mask_free_text
from loaders.read import LINE
from warehouse.calendar import commitment_due_dates
from warehouse.reference import NEIGHBOUR_CATEGORY, STATUS_RANK

FAMILY_MAX_CHARS = 100  # fact_call.motif_family


def _date_key(stamps: pd.Series) -> pd.Series:
    return (stamps.dt.year * 10000 + stamps.dt.month * 100 + stamps.dt.day).astype("Int64")


def _time_key(stamps: pd.Series) -> pd.Series:
    return (stamps.dt.hour * 2 + stamps.dt.minute // 30).astype("Int64")


def _code(values: pd.Series) -> pd.Series:
    """Reference codes (agency, dwelling, queue, team) compare upper-case and trimmed."""
    return values.str.strip().str.upper().where(values.notna(), None)


def _motif_family(motif: pd.Series) -> pd.Series:
    return map_distinct(motif, lambda m: fold(m.split(" - ", 1)[0])[:FAMILY_MAX_CHARS])


def calls(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "call_id": t["id_appel"],
            "call_at": t["date_heure"],
            "date_key": _date_key(t["date_heure"]),
            "time_key": _time_key(t["date_heure"]),
            "queue_code": _code(t["file"]),
            "advisor_code": advisor_codes(t["agent"]),
            "dwelling_code": _code(t["ref_logement"]),
            "caller_key": caller_keys(t["numero_appelant"], state.setdefault("callers", {})),
            "is_inbound": t["sens"].eq("entrant"),
            "outcome": t["issue"],
            "wait_seconds": t["attente_s"],
            "talk_seconds": t["duree_s"],
            "motif_label": mask_free_text(t["motif"]),
            "motif_family": _motif_family(t["motif"]),
            "is_settled_first_level": t["traite_niveau_1"],
            "request_id": mask_free_text(t["num_demande"]),
        }
    )


def contacts(t: pd.DataFrame, state: dict) -> pd.DataFrame:
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
            "date_key": _date_key(t["date_heure"]),
            "time_key": _time_key(t["date_heure"]),
            "agency_code": _code(t["agence"]),
            "channel_code": t["canal"],
            "dwelling_code": _code(t["ref_logement"]),
            "motif_label": mask_free_text(t["motif"]),
            "motif_family": _motif_family(t["motif"]),
            "follow_up": t["suite"],
            "request_id": mask_free_text(t["num_demande"]),
        },
        index=t.index,
    )


def requests(t: pd.DataFrame, state: dict) -> pd.DataFrame:
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
            "created_date_key": _date_key(created),
            "first_action_at": first,
            "first_action_date_key": _date_key(first),
            "closed_at": closed,
            "closed_date_key": _date_key(closed),
            "channel_code": t["canal_saisie"],
            "agency_code": _code(t["agence"]),
            "dwelling_code": _code(t["ref_logement"]),
            "category_code": t["categorie"],
            "subcategory": mask_free_text(t["sous_categorie"]),
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


def agencies(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "agency_code": _code(t["agence"]),
            "agency_name": t["nom"],
            "territory": t["territoire"],
            "organisme": t["organisme"],
            "opened_date": t["date_ouverture"],
        }
    )


def dwellings(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "dwelling_code": _code(t["ref_logement"]),
            "agency_code": _code(t["agence"]),
            "residence": t["residence"],
            "commune": t["commune"],
            "dwelling_type": t["type"],
            "entered_date": t["date_entree_parc"],
            "left_date": t["date_sortie_parc"],
        }
    )


def costs(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    month = t["periode"]
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "month_date": month,
            "month_index": (month.dt.year * 12 + month.dt.month - 1).astype("Int64"),
            "cost_centre": _code(t["centre"]),
            "nature": t["nature"],
            "amount_eur": t["montant_eur"],
        }
    )


def staffing(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "date_key": _date_key(t["date"]),
            "team": _code(t["equipe"]),
            "advisor_fte": t["conseillers_etp"],
            "supervisor_fte": t["encadrants_etp"],
        }
    )


SHAPERS = {
    "appels": calls,
    "registres": contacts,
    "demandes": requests,
    "agences": agencies,
    "logements": dwellings,
    "couts": costs,
    "effectifs": staffing,
}


def _add_survey_shapers() -> None:
    from loaders.shape_survey import SURVEY_SHAPERS

    SHAPERS.update(SURVEY_SHAPERS)


_add_survey_shapers()
