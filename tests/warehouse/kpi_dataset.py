"""A tiny hand-made landlord, March-April 2025, whose every KPI is worked out by hand in
``test_kpis.py``. Loaded through the real loaders."""

from __future__ import annotations

from pathlib import Path

AGENCES = [
    {
        "agence": "AG01",
        "nom": "Nord",
        "territoire": "T1",
        "organisme": "Org A",
        "date_ouverture": "",
    },
    {
        "agence": "AG02",
        "nom": "Sud",
        "territoire": "T2",
        "organisme": "Org B",
        "date_ouverture": "",
    },
]
LOGEMENTS = [  # AG01: 2 dwellings, AG02: 1, all managed since 2000
    {"ref_logement": r, "agence": a, "date_entree_parc": "01/01/2000"}
    for r, a in (("L1", "AG01"), ("L2", "AG01"), ("L3", "AG02"))
]


def _call(i, at, sens, file, wait, talk, issue, motif="", ref="", n1="", caller="", req=""):
    return {
        "id_appel": i,
        "date_heure": at,
        "sens": sens,
        "file": file,
        "numero_appelant": caller,
        "agent": "a1" if issue == "decroche" else "",
        "attente_s": wait,
        "duree_s": talk,
        "issue": issue,
        "motif": motif,
        "ref_logement": ref,
        "traite_niveau_1": n1,
        "num_demande": req,
    }


A, B = "06 11 11 11 11", "06 22 22 22 22"
APPELS = [
    _call(
        "C1",
        "03/03/2025 09:00",
        "entrant",
        "CRL",
        10,
        100,
        "decroche",
        "Reclamation technique - fuite",
        "L1",
        "oui",
        A,
        "D1",
    ),
    _call(
        "C2",
        "03/03/2025 09:10",
        "entrant",
        "CRL",
        100,
        200,
        "decroche",
        "Renseignement - loyer",
        "L3",
        "non",
        B,
    ),
    _call("C3", "03/03/2025 09:20", "entrant", "CRL", 3, 0, "abandonne"),  # short abandon
    _call("C4", "03/03/2025 09:30", "entrant", "CRL", 40, 0, "abandonne"),
    _call("C5", "03/03/2025 18:00", "entrant", "ASTREINTE", 20, 60, "decroche", "", "L1", "", A),
    _call(
        "C6",
        "08/03/2025 10:00",
        "entrant",
        "CRL",
        70,
        300,
        "decroche",  # a Saturday
        "Réclamation voisinage - bruit",
    ),
    _call("C7", "04/03/2025 10:00", "sortant", "CRL", 0, 50, "decroche"),  # outbound
    _call("C8", "05/03/2025 11:00", "entrant", "CRL", 0, 0, "dissuade"),
    _call(
        "C9",
        "06/03/2025 10:00",
        "entrant",
        "CRL",
        5,
        30,
        "decroche",
        "Renseignement - suivi",
        "L1",
        "oui",
        A,
        "D1",
    ),
]


def _req(n, created, canal, agence, cat, typ, urg, statut, first="", closed="", level="", rel="0"):
    return {
        "num_demande": n,
        "date_creation": created,
        "canal_saisie": canal,
        "agence": agence,
        "categorie": cat,
        "type": typ,
        "urgence_j": urg,
        "statut": statut,
        "date_premiere_action": first,
        "date_cloture": closed,
        "niveau_cloture": level,
        "nb_relances": rel,
    }


DEMANDES = [
    _req(
        "D1",
        "03/03/2025 09:05",
        "CRL",
        "AG01",
        "technique",
        "reclamation",
        "1",
        "cloturee",
        "04/03/2025 10:00",
        "10/03/2025 09:05",
        "1",
        "0",
    ),
    _req(
        "D2",
        "07/03/2025 16:00",
        "agence",
        "AG01",
        "technique",
        "reclamation",
        "1",
        "cloturee",
        "10/03/2025 11:00",
        "17/03/2025 16:00",
        "2",
        "2",
    ),
    _req(
        "D3",
        "18/04/2025 10:00",
        "gardien",
        "AG02",
        "technique",
        "reclamation",
        "1",
        "en cours",
        "22/04/2025 09:00",
    ),
    _req(
        "D4",
        "10/03/2025 09:00",
        "agence",
        "AG02",
        "voisinage",
        "reclamation",
        "7",
        "cloturee",
        "18/03/2025 09:00",
        "31/03/2025 09:00",
        "1",
        "1",
    ),
    _req("D5", "25/04/2025 09:00", "extranet", "AG01", "technique", "reclamation", "3", "ouverte"),
    _req(
        "D6", "01/04/2025 09:00", "CRL", "AG02", "administrative", "renseignement", "10", "ouverte"
    ),
    _req(
        "D7",
        "02/04/2025 09:00",
        "CRL",
        "AG01",
        "charges",
        "renseignement",
        "",
        "cloturee",
        "02/04/2025 11:00",
        "02/04/2025 12:00",
        "1",
    ),
    _req("D8", "20/02/2025 09:00", "agence", "AG01", "technique", "reclamation", "", "ouverte"),
]

COUTS = [
    {"periode": "2025-01", "centre": "CRL", "nature": "mise_en_place", "montant_eur": "36 000"},
    {"periode": "2025-03", "centre": "CRL", "nature": "personnel", "montant_eur": "6000"},
    {"periode": "2025-04", "centre": "CRL", "nature": "personnel", "montant_eur": "6000"},
    {"periode": "2025-03", "centre": "AG02", "nature": "locaux", "montant_eur": "300"},
]

EFFECTIFS = [
    {"date": d, "equipe": "CRL", "conseillers_etp": a, "encadrants_etp": "0,5"}
    for d, a in (("03/03/2025", "2"), ("04/03/2025", "2"), ("05/03/2025", "1"))
]

FILES = [
    ("agences", AGENCES),
    ("logements", LOGEMENTS),
    ("appels", APPELS),
    ("demandes", DEMANDES),
    ("couts", COUTS),
    ("effectifs", EFFECTIFS),
]


def build_warehouse(folder: Path, files=None) -> str:
    """A DuckDB warehouse in ``folder`` with every file of this dataset (or of ``files``)
    loaded; its URL."""
    from loaders.pipeline import import_file
    from tests.util import write_export
    from warehouse.engine import make_engine
    from warehouse.load.setup import init_warehouse

    url = f"duckdb:///{folder / 'w.duckdb'}"
    engine = make_engine(url)
    init_warehouse(engine)
    for source, rows in FILES if files is None else files:
        import_file(engine, write_export(folder / f"{source}.csv", rows))
    engine.dispose()
    return url
