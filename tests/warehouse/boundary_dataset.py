"""Values on and beside every KPI threshold, end of April - May 2025, loaded through the
real loaders; each expected figure is worked out by hand in ``test_boundaries.py``.

French public holidays around it: Thursday 1 May, Thursday 8 May 2025.
"""

from __future__ import annotations

from tests.warehouse.kpi_dataset import AGENCES, LOGEMENTS, _call, _req

X, Y = "06 33 33 33 33", "06 44 44 44 44"


def _answered(i, at, wait=10, caller=""):
    return _call(i, at, "entrant", "CRL", wait, 60, "decroche", caller=caller)


def _abandoned(i, at, wait):
    return _call(i, at, "entrant", "CRL", wait, 0, "abandonne")


APPELS = [
    # Opening hours 08:30 - 17:30 (Paris time, as the export gives it), Monday 5 May.
    _answered("H0829", "05/05/2025 08:29"),  # out of hours (slot 16)
    _answered("H0830", "05/05/2025 08:30"),  # in hours (slot 17, the first open one)
    _answered("H1729", "05/05/2025 17:29"),  # in hours (slot 34, the last open one)
    _answered("H1730", "05/05/2025 17:30"),  # out of hours (slot 35)
    # Service levels: answered within 60 s and 90 s, Tuesday 6 May.
    _answered("W60", "06/05/2025 10:00", 60),  # within 60 and 90
    _answered("W61", "06/05/2025 10:05", 61),  # within 90 only
    _answered("W90", "06/05/2025 10:10", 90),  # within 90 only
    _answered("W91", "06/05/2025 10:15", 91),  # within neither
    # Short abandons: abandoned in under 5 s are not offered.
    _abandoned("AB4", "06/05/2025 10:20", 4),  # short: not offered
    _abandoned("AB5", "06/05/2025 10:25", 5),  # offered, abandoned
    _abandoned("AB6", "06/05/2025 10:30", 6),  # offered, abandoned
    # Repeats within 7 days of the same number's previous offered call.
    _answered("R1A", "05/05/2025 10:00", caller=X),
    _answered("R1B", "12/05/2025 10:00", caller=X),  # exactly 7 days later: a repeat
    _answered("R2A", "05/05/2025 11:00", caller=Y),
    _answered("R2B", "13/05/2025 11:00", caller=Y),  # 8 days later: not a repeat
]


def _complaint(n, created, first, urgency="1"):
    return _req(n, created, "CRL", "AG01", "technique", "reclamation", urgency, "en cours", first)


DEMANDES = [
    # Created Tuesday 29 April, 1 business day: due Wednesday 30 April, the eve of 1 May.
    _complaint("E1", "29/04/2025 10:00", "30/04/2025 17:00"),  # acted on the deadline: kept
    _complaint("E2", "29/04/2025 10:00", "02/05/2025 09:00"),  # acted after it: late
    # Created Wednesday 30 April, 1 business day: 1 May is off, due Friday 2 May.
    _complaint("E3", "30/04/2025 10:00", "02/05/2025 09:00"),  # kept
    # Created Wednesday 7 May, 1 business day: 8 May is off, due Friday 9 May.
    _complaint("E4", "07/05/2025 10:00", "09/05/2025 16:00"),  # kept
]

FILES = [
    ("agences", AGENCES),
    ("logements", LOGEMENTS),
    ("appels", APPELS),
    ("demandes", DEMANDES),
]

# A front-desk register whose num_demande holds a phone number (typed in the wrong box).
REGISTRE = [
    {
        "date_heure": "05/05/2025 10:00",
        "agence": "AG01",
        "canal": "accueil physique",
        "motif": "Renseignement - quittance",
        "ref_logement": "L1",
        "suite": "demande creee",
        "num_demande": "06 12 34 56 78",
    },
    {
        "date_heure": "05/05/2025 11:00",
        "agence": "AG01",
        "canal": "accueil physique",
        "motif": "Renseignement - loyer",
        "ref_logement": "L1",
        "suite": "demande creee",
        "num_demande": "D-2025-0042",
    },
]
