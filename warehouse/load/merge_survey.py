"""Merge the survey sources: questions and references upserted, answers insert-if-new.

A wave is loaded beside the older ones; a respondent already loaded for a wave is a
duplicate (re-importing a file changes nothing). The answer's agency is its dwelling's
agency, or the agency the institute gives when the dwelling is not known.
"""

from __future__ import annotations

from sqlalchemy import (
    Connection,
    and_,
    exists,
    func,
    insert,
    literal,
    select,
)

from warehouse.load.merge_dims import add_inferred_agencies, add_inferred_dwellings
from warehouse.load.merge_facts import first_per_id, upsert_last
from warehouse.load.staging import stg_answer, stg_event, stg_question, stg_sat_reference
from warehouse.model.schema import (
    dim_agency,
    dim_dwelling,
    dim_question,
    fact_event,
    fact_satisfaction_reference,
    fact_survey_answer,
)


def merge_questions(conn: Connection) -> tuple[int, int]:
    return upsert_last(conn, dim_question, stg_question, ["question_code"], ["theme", "label"])


def merge_references(conn: Connection, load_id: int) -> tuple[int, int]:
    keys = ["wave", "perimeter", "theme"]
    return upsert_last(
        conn, fact_satisfaction_reference, stg_sat_reference, keys, ["rate"], load_id
    )


def merge_events(conn: Connection, load_id: int) -> tuple[int, int]:
    keys = ["start_date", "label"]
    return upsert_last(conn, fact_event, stg_event, keys, ["end_date", "kind"], load_id)


def merge_answers(conn: Connection, load_id: int) -> int:
    """Insert the answers of the respondents not loaded yet; returns how many respondents
    (file lines) were inserted."""
    s = stg_answer
    add_inferred_dwellings(conn, s.c.dwelling_code)
    add_inferred_agencies(conn, s.c.agency_code)
    first = first_per_id(s, ["wave", "respondent_id", "question_code"])
    f = fact_survey_answer
    match = and_(
        f.c.wave == first.c.wave,
        f.c.respondent_id == first.c.respondent_id,
        f.c.question_code == first.c.question_code,
    )
    joined = first.outerjoin(dim_dwelling, dim_dwelling.c.dwelling_code == first.c.dwelling_code)
    joined = joined.outerjoin(dim_agency, dim_agency.c.agency_code == first.c.agency_code)
    new = (
        select(
            first.c.line_number,
            first.c.wave,
            first.c.respondent_id,
            first.c.question_code,
            literal(load_id).label("load_id"),
            first.c.answer_date,
            func.coalesce(dim_dwelling.c.agency_key, dim_agency.c.agency_key).label("agency_key"),
            dim_dwelling.c.dwelling_key,
            first.c.request_id,
            first.c.weight,
            first.c.mark,
            first.c.level,
        )
        .select_from(joined)
        .where(first.c.occurrence == 1, ~exists().where(match))
    )
    new = new.subquery()
    respondents = conn.execute(select(func.count(func.distinct(new.c.line_number)))).scalar_one()
    cols = [c.name for c in new.c if c.name != "line_number"]
    conn.execute(insert(f).from_select(cols, select(*[new.c[c] for c in cols])))
    return respondents
