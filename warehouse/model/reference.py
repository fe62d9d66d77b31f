"""Fixed reference rows: the contact and capture channels, the request categories."""

from __future__ import annotations

# code, French label, group. Codes are the folded values found in the exports.
CHANNELS: list[tuple[str, str, str]] = [
    ("crl", "Centre de relation locataires", "centre"),
    ("astreinte", "Astreinte", "astreinte"),
    ("agence", "Agence", "agence"),
    ("accueil physique", "Accueil physique (agence)", "agence"),
    ("telephone agence", "Téléphone agence", "agence"),
    ("gardien", "Gardien", "gardien"),
    ("loge gardien", "Loge de gardien", "gardien"),
    ("extranet", "Extranet locataire", "web"),
    ("email", "E-mail", "ecrit"),
    ("courrier", "Courrier", "ecrit"),
]

CATEGORIES: list[tuple[str, str]] = [
    ("technique", "Technique"),
    ("administrative", "Administrative"),
    ("voisinage", "Voisinage"),
    ("charges", "Charges"),
    ("mutation", "Mutation"),
    ("autre", "Autre"),
]

# The request statuses in the order a request moves through them; a later export can
# only move a request forward (see ``fact_request.progress_rank``).
STATUS_RANK = {"ouverte": 1, "en cours": 2, "cloturee": 3, "annulee": 3}

CALL_OUTCOMES = ("decroche", "abandonne", "dissuade", "messagerie")
CONTACT_FOLLOW_UPS = ("reponse immediate", "demande creee", "orientation")
REQUEST_TYPES = ("reclamation", "renseignement")
COST_NATURES = ("personnel", "formation", "telecom", "informatique", "locaux", "mise_en_place")
SETUP_COST_NATURE = "mise_en_place"
SETUP_SPREAD_MONTHS = 36
NEIGHBOUR_CATEGORY = "voisinage"
