"""Qualité des données: load history, quarantine, and the period each source covers."""

import streamlit as st

from pages.shared import fmt, ui

SOURCES = {
    "appels": "Journal d'appels",
    "registres": "Registres d'accueil",
    "demandes": "Demandes",
    "couts": "Coûts",
    "effectifs": "Effectifs",
    "logements": "Parc de logements (mois calculés)",
}

st.title("Qualité des données")
scope = ui.access().agencies
st.subheader("Période couverte par source")
coverage = ui.reference("coverage")
coverage = coverage.assign(
    source=coverage["source"].map(SOURCES),
    du=coverage["first"].map(lambda d: fmt.day(d) if d else "—"),
    au=coverage["last"].map(lambda d: fmt.day(d) if d else "—"),
    lignes=coverage["rows"].map(fmt.number),
)
# The rows loaded are every agency's volumes: only for users who see every agency.
st.dataframe(
    coverage[["source", "du", "au"] + (["lignes"] if scope is None else [])], hide_index=True
)
missing = coverage.loc[coverage["lignes"] == "0", "source"].tolist()
if missing:
    st.warning(
        "Jamais chargé : " + ", ".join(missing) + ". Les indicateurs qui en dépendent "
        "n'ont pas de valeur."
    )

st.subheader("Historique des chargements")
history = ui.loads("history", scope)
if scope is not None:
    st.caption(
        "Registres d'accueil de vos agences seulement ; les exports communs à l'organisme "
        "(appels, demandes, coûts, effectifs, référentiels) sans leurs volumes."
    )
if history.empty:
    ui.empty("Aucun chargement.")
else:
    volumes = ["rows_read", "rows_loaded", "rows_duplicate", "rows_quarantined"]
    shown = history[
        ["load_id", "file_name", "source", "status"]
        + (volumes if scope is None else [])
        + ["finished_at", "message"]
    ].rename(
        columns={
            "load_id": "N°",
            "file_name": "Fichier",
            "source": "Source",
            "status": "Statut",
            "rows_read": "Lues",
            "rows_loaded": "Chargées",
            "rows_duplicate": "Doublons",
            "rows_quarantined": "Quarantaine",
            "finished_at": "Terminé le",
            "message": "Message",
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        column_config={"Terminé le": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")},
    )
    ui.downloads(shown, "historique_chargements", "history")

st.subheader("Quarantaine")
q = ui.loads("quarantine", scope)
if not ui.access().sees_raw_lines:
    # Raw lines may name any agency's tenants: a user limited to some agencies sees counts.
    st.caption("Lignes brutes réservées aux rôles Direction et Analyste.")
    q = q.groupby(["file_name", "reason"], as_index=False).size()
    st.dataframe(
        q.rename(columns={"file_name": "Fichier", "reason": "Motif", "size": "Lignes"}),
        hide_index=True,
    )
elif q.empty:
    ui.empty("Aucune ligne en quarantaine.")
else:
    files = st.multiselect(
        "Fichiers", sorted(q["file_name"].unique()), key="q_files", placeholder="Tous"
    )
    search = st.text_input("Motif contenant", key="q_reason")
    if files:
        q = q[q["file_name"].isin(files)]
    if search:
        q = q[q["reason"].str.contains(search, case=False, regex=False)]
    shown = q[["file_name", "line_number", "column_name", "reason", "raw_content"]].rename(
        columns={
            "file_name": "Fichier",
            "line_number": "Ligne",
            "column_name": "Colonne",
            "reason": "Motif",
            "raw_content": "Contenu (numéros masqués)",
        }
    )
    st.dataframe(shown, hide_index=True)
    ui.downloads(shown, "quarantaine", "quarantine")
