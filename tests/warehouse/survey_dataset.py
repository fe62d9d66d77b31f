"""A hand-made satisfaction survey over the landlord of ``kpi_dataset.py``: two waves of
a periodic survey (2022, 2025), « à chaud » surveys after three requests, the
questionnaire and the sector's references. Every rate is worked out in
``test_satisfaction.py``.
"""

from __future__ import annotations

QUESTIONNAIRE = [
    {"code_question": "Q1", "theme": "Global", "libelle": "Globalement, êtes-vous satisfait ?"},
    {"code_question": "Q2", "theme": "accueil", "libelle": "De l'accueil"},
    {"code_question": "Q3", "theme": "Demandes techniques", "libelle": "Du traitement"},
    {"code_question": "Q4", "theme": "demandes_techniques", "libelle": "Du délai"},
]


def _r(rid, wave, day, dwelling="", agency="", weight="", q1="", q2="", q3="", q4="", req=""):
    return {
        "id_repondant": rid,
        "vague": wave,
        "date_reponse": day,
        "ref_logement": dwelling,
        "agence": agency,
        "num_demande": req,
        "poids": weight,
        "Nom": "Mme Dupont",  # personal: an ignored column, never stored
        "Q1": q1,
        "Q2": q2,
        "Q3": q3,
        "Q4": q4,
        "Commentaire": "rappelez-moi au 06 12 34 56 78",  # free text: ignored too
    }


ENQUETES = [
    # Wave 2025, March 2025. R1 and R2 are AG01 (R1 by its dwelling L1), R3 and R4 AG02.
    _r("R1", "2025", "10/03/2025", "L1", "", "", "8", "très satisfait", "6", "ne sait pas"),
    _r("R2", "2025", "11/03/2025", "", "AG01", "2", "9", "peu satisfait", "assez satisfait", "7"),
    _r("R3", "2025", "12/03/2025", "L3", "", "1", "5", "10", "pas du tout satisfait", "3"),
    _r("R4", "2025", "13/03/2025", "", "AG02", "", "plutôt satisfait", "", "7", "9"),
    # Wave 2022, May 2022.
    _r("P1", "2022", "10/05/2022", "", "AG01", "", "6", "8", "4", ""),
    _r("P2", "2022", "10/05/2022", "", "AG02", "", "7", "assez satisfait", "peu satisfait", ""),
]

A_CHAUD = [  # after requests D1 (commitment kept), D2 (kept), D4 (late)
    _r("H1", "chaud-2025", "12/03/2025", "L1", "", "", "", "", "9", "", "D1"),
    _r("H2", "chaud-2025", "20/03/2025", "L2", "", "", "", "", "assez satisfait", "", "D2"),
    _r("H3", "chaud-2025", "25/03/2025", "L3", "", "", "", "", "2", "", "D4"),
]

REFERENCES = [
    {"vague": "2022", "perimetre": "National", "theme": "global", "taux": "85"},
    {"vague": "2022", "perimetre": "régional", "theme": "global", "taux": "0,82"},
    {"vague": "2019", "perimetre": "national", "theme": "accueil", "taux": "85 %"},
]

FILES = [
    ("questionnaire", QUESTIONNAIRE),
    ("references_satisfaction", REFERENCES),
    ("enquetes", ENQUETES),
    ("enquetes_chaud", A_CHAUD),
]
