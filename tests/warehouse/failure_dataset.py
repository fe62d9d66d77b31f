"""A tiny hand-made landlord, March-April 2025, for failure demand, the cost of non-quality,
the reasons table and the requests that make tenants call again; every figure is worked out
by hand in ``test_failure.py``. Loaded through the real loaders.

Callers: A, B, C, D, E, G (pseudonymised at load). Dwellings L1, L2 (AG01, Org A) and L3
(AG02, Org B). R1 is open all along; F1 names it the day it is created (not a chase).
"""

from __future__ import annotations

from tests.warehouse.kpi_dataset import AGENCES, LOGEMENTS, _call, _req

A, B, C, D, E, G = (f"06 0{i} 00 00 0{i}" for i in range(1, 7))
TECH, INFO = "Reclamation technique - fuite", "Renseignement - loyer"
RELANCE, SUIVI = "Relance - intervention", "Suivi - chauffage"


def _in(
    i, at, caller, talk, motif="", ref="", req="", n1="", file="CRL", issue="decroche", wait=20
):
    return _call(i, at, "entrant", file, wait, talk, issue, motif, ref, n1, caller, req)


APPELS = [
    # March: 7 offered, 7 answered, talk 1,000 s; failure demand F2 F5 F6 F7 (700 s).
    _in("F1", "03/03/2025 09:00", A, 100, TECH, "L1", "R1", "oui"),  # R1 created 10:00 that day
    _in("F2", "10/03/2025 09:00", A, 200, INFO, "L1"),  # repeat: 7 days to the minute after F1
    _in("F3", "03/03/2025 14:00", B, 50, INFO, "L2", n1="oui"),
    _in("F4", "11/03/2025 14:00", B, 150, TECH, "L2", n1="non"),  # 8 days after F3: no repeat
    _in("F5", "12/03/2025 10:00", C, 300, TECH, "L1", "R1"),  # chases open R1 (3 March)
    _in("F6", "13/03/2025 11:00", D, 100, RELANCE, "L3"),  # motif « Relance »
    _in("F7", "14/03/2025 10:00", C, 100, RELANCE, "L1", "R1"),  # chase, Relance and repeat
    # April: 5 offered, 4 answered, talk 460 s; failure demand F10 F12 (200 s).
    _in("F8", "20/04/2025 10:00", "", 60),  # no reason, no number
    _in("F9", "15/04/2025 10:00", D, 0, ref="L3", issue="abandonne", wait=40),  # offered
    _in("F10", "21/04/2025 20:00", E, 120, SUIVI, "L3", file="ASTREINTE"),  # motif « Suivi »
    _in("F11", "22/04/2025 08:00", E, 0, issue="abandonne", wait=3),  # short: not offered
    _in("F12", "22/04/2025 09:00", E, 80, INFO, "L3"),  # repeat of F10 (F11 is no call)
    _in("F13", "23/04/2025 09:00", G, 200, INFO, "L3"),
]

DEMANDES = [
    _req("R1", "03/03/2025 10:00", "CRL", "AG01", "technique", "reclamation", "3", "en cours",
         rel="1"),
    _req("R2", "10/03/2025 09:00", "agence", "AG02", "administrative", "renseignement", "10",
         "cloturee", "11/03/2025 09:00", "12/03/2025 09:00", "1"),
    _req("R3", "17/03/2025 09:00", "agence", "AG01", "technique", "reclamation", "1",
         "cloturee", "19/03/2025 09:00", "27/03/2025 09:00", "2", rel="2"),
]  # fmt: skip

COUTS = [
    {"periode": "2025-03", "centre": "CRL", "nature": "personnel", "montant_eur": "3000"},
    {"periode": "2025-04", "centre": "CRL", "nature": "personnel", "montant_eur": "2600"},
]

FILES = [
    ("agences", AGENCES),
    ("logements", LOGEMENTS),
    ("appels", APPELS),
    ("demandes", DEMANDES),
    ("couts", COUTS),
]
