"""The satisfaction survey sources of ``formats.md`` §7: respondents (one column per
question), the questionnaire (question -> theme) and the sector's reference rates.

A respondent file's question columns are not listed: every header shaped like a question
code (``Q01``, ``q12b``, ``SAT_3``, ``EC-07``) is one. Any other column the institute adds
(names, phone numbers, free comments) is ignored and never stored. Respondents become one
staging row per answered question.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from loaders.frame import LINE
from loaders.normalise import fold
from loaders.sources.base import DWELLING, REQUEST_ID, Col, Source, between, code
from warehouse.load.merge_survey import merge_answers, merge_questions, merge_references
from warehouse.model.schema import fact_survey_answer

QUESTION_HEADER = re.compile(r"^[a-z]{0,6}\d{1,3}[a-z0-9]{0,3}$")  # on header_key()
QUESTION_PREFIX = "q:"  # frame columns holding a question's answers


def theme_code(values: pd.Series) -> pd.Series:
    """``Demandes techniques`` -> ``demandes_techniques``: themes compare folded."""
    return values.map(lambda v: fold(v).replace(" ", "_") if isinstance(v, str) else None)


def answers(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    """One row per (respondent, question) answered or « ne sait pas »: the question
    columns melted; a mark (0-10) or a verbal level (1-4); the respondent's dwelling or
    agency, weight (default 1) and the request an « à chaud » survey follows."""
    questions = [c for c in t.columns if c.startswith(QUESTION_PREFIX)]
    keys = {
        LINE: t[LINE],
        "wave": t["vague"].str.strip(),
        "respondent_id": t["id_repondant"].str.strip(),
        "answer_date": t["date_reponse"],
        "dwelling_code": code(t["ref_logement"]),
        "agency_code": code(t["agence"]),
        "request_id": t["num_demande"],
        "weight": t["poids"].fillna(1.0),
    }
    base = pd.DataFrame(keys).reset_index(drop=True)
    if not questions or base.empty:
        return pd.DataFrame(columns=[*keys, "question_code", "mark", "level"]).rename(
            columns={LINE: "line_number"}
        )
    values = t[questions].reset_index(drop=True)
    long = base.loc[np.repeat(base.index, len(questions))].reset_index(drop=True)
    long["question_code"] = np.tile([q.removeprefix(QUESTION_PREFIX) for q in questions], len(base))
    answer = pd.Series(values.to_numpy().ravel(), dtype="object")
    kind = answer.str[0]
    number = pd.to_numeric(answer.str[1:], errors="coerce")
    long["mark"] = number.where(kind.eq("m"))
    long["level"] = number.where(kind.eq("v")).astype("Int64")
    return long.rename(columns={LINE: "line_number"})


def questions(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "question_code": code(t["code_question"]),
            "theme": theme_code(t["theme"]),
            "label": t["libelle"],
        }
    )


def references(t: pd.DataFrame, state: dict) -> pd.DataFrame:
    """A rate given as a percentage (``85`` or ``85 %``) or a share (``0,85``)."""
    rate = t["taux"]
    return pd.DataFrame(
        {
            "line_number": t[LINE],
            "wave": t["vague"].str.strip(),
            "perimeter": theme_code(t["perimetre"]),
            "theme": theme_code(t["theme"]),
            "rate": rate.where(rate <= 1, rate / 100),
        }
    )


def answer_checks(e) -> list:
    return [between(e, "poids", 0, 10_000, "poids négatif ou aberrant")]


def reference_checks(e) -> list:
    return [between(e, "taux", 0, 100, "taux hors de 0 à 100")]


def merge_respondents(conn, load_id: int) -> tuple[int, int]:
    return merge_answers(conn, load_id), 0


def merge_question_list(conn, load_id: int) -> tuple[int, int]:
    return merge_questions(conn)


ENQUETES = Source(
    "enquetes",
    "enquête de satisfaction",
    (
        Col("id_repondant", "text", True, ("respondent_id", "repondant", "id"), max_length=80),
        Col("vague", "text", True, ("wave", "campagne"), max_length=40),
        Col("date_reponse", "date", False, ("answered_at", "date", "date enquete")),
        DWELLING,
        Col("agence", "text", False, ("agency", "code agence"), max_length=40),
        REQUEST_ID,
        Col("poids", "number", False, ("weight", "ponderation", "coefficient")),
    ),
    shape=answers,
    checks=answer_checks,
    merge=merge_respondents,
    written=(fact_survey_answer,),
)

QUESTIONNAIRE = Source(
    "questionnaire",
    "questionnaire d'enquête",
    (
        Col("code_question", "text", True, ("question_code", "question", "code"), max_length=40),
        Col("theme", "text", True, ("theme question", "thematique"), max_length=60),
        Col("libelle", "text", False, ("label", "intitule", "wording"), free=True),
    ),
    shape=questions,
    merge=merge_question_list,
)

REFERENCES_SATISFACTION = Source(
    "references_satisfaction",
    "références de satisfaction",
    (
        Col("vague", "text", True, ("wave", "annee", "year"), max_length=40),
        Col("perimetre", "text", True, ("scope", "benchmark"), max_length=60),
        Col("theme", "text", True, ("thematique",), max_length=60),
        Col("taux", "number", True, ("rate", "taux satisfaction", "satisfaits")),
    ),
    shape=references,
    checks=reference_checks,
    merge=merge_references,
)
SOURCES = (ENQUETES, QUESTIONNAIRE, REFERENCES_SATISFACTION)
