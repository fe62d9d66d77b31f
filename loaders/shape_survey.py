"""Staging of the survey sources: respondents become one row per answered question."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.normalise import fold
from loaders.pseudonym import mask_free_text
from loaders.read import LINE
from loaders.shape import _code
from loaders.survey_sources import QUESTION_PREFIX


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
        "dwelling_code": _code(t["ref_logement"]),
        "agency_code": _code(t["agence"]),
        "request_id": mask_free_text(t["num_demande"]),
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
            "question_code": _code(t["code_question"]),
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


def events(t: pd.DataFrame, state: dict) -> pd.DataFrame:
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


SURVEY_SHAPERS = {
    "evenements": events,
    "enquetes": answers,
    "questionnaire": questions,
    "references_satisfaction": references,
}
