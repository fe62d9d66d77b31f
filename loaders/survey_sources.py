"""The satisfaction survey sources of ``formats.md`` §7: respondents (one column per
question), the questionnaire (question -> theme) and the sector's reference rates; and the
``evenements`` that explain a series' peaks (rent notices, charge adjustments, storms...).

A respondent file's question columns are not listed: every header shaped like a question
code (``Q01``, ``q12b``, ``SAT_3``, ``EC-07``) is one. Any other column the institute adds
(names, phone numbers, free comments) is ignored and never stored.
"""

from __future__ import annotations

import re

from loaders.sources import DWELLING, REQUEST_ID, Col, Source

QUESTION_HEADER = re.compile(r"^[a-z]{0,6}\d{1,3}[a-z0-9]{0,3}$")  # on header_key()
QUESTION_PREFIX = "q:"  # frame columns holding a question's answers

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
)

QUESTIONNAIRE = Source(
    "questionnaire",
    "questionnaire d'enquête",
    (
        Col("code_question", "text", True, ("question_code", "question", "code"), max_length=40),
        Col("theme", "text", True, ("theme question", "thematique"), max_length=60),
        Col("libelle", "text", False, ("label", "intitule", "wording")),
    ),
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
)

EVENT_KINDS = (
    "avis_echeance",
    "regularisation_charges",
    "enquete_sls_ops",
    "chauffage",
    "intemperies",
    "panne_telephonique",
    "autre",
)
EVENEMENTS = Source(
    "evenements",
    "événements",
    (
        Col("debut", "date", True, ("start", "date debut", "du")),
        Col("fin", "date", False, ("end", "date fin", "au")),
        Col("libelle", "text", True, ("label", "evenement", "description"), max_length=120),
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
)

SURVEY_SOURCES = (ENQUETES, QUESTIONNAIRE, REFERENCES_SATISFACTION, EVENEMENTS)
