"""Qualité des données: load history, quarantine, and the period each source covers."""

import pandas as pd
import streamlit as st

from pages import data, fmt, state, widgets

SOURCES = {
    "appels": "Journal d'appels",
    "registres": "Registres d'accueil",
    "demandes": "Demandes",
    "couts": "Coûts",
    "effectifs": "Effectifs",
    "logements": "Parc de logements (entrée la plus ancienne, dernier import)",
    "agences": "Agences",
}
STATUS = {
    "loaded": "chargé",
    "rejected": "rejeté",
    "failed": "échec, rien importé",
    "already_loaded": "déjà importé",
}

st.title("Qualité des données")
scope = state.access().agencies
st.subheader("Période couverte par source")
coverage = data.reference("coverage")
coverage = pd.DataFrame(
    {
        "Source": coverage["source"].map(SOURCES),
        "Du": coverage["first"].map(lambda d: fmt.day(d) if d else fmt.EMPTY),
        "Au": coverage["last"].map(lambda d: fmt.day(d) if d else fmt.EMPTY),
        "Lignes": coverage["rows"].map(fmt.number),
    }
)
# The rows loaded are every agency's volumes: only for users who see every agency.
st.dataframe(coverage if scope is None else coverage.drop(columns="Lignes"), hide_index=True)
missing = coverage.loc[coverage["Lignes"] == "0", "Source"].tolist()
if missing:
    st.warning(
        "Jamais chargé : " + fmt.md(", ".join(missing)) + ". Les indicateurs qui en dépendent "
        "n'ont pas de valeur."
    )

st.subheader("Historique des chargements")
history = data.loads("history", scope)
if scope is not None:
    st.caption(
        "Registres d'accueil de vos agences seulement ; les exports communs à l'organisme "
        "(appels, demandes, coûts, effectifs, référentiels) sans leurs volumes."
    )
if history.empty:
    widgets.empty("Aucun chargement.")
else:
    volumes = ["rows_read", "rows_loaded", "rows_duplicate", "rows_quarantined"]
    history = history.assign(
        source=history["source"].map(SOURCES).fillna(fmt.EMPTY),
        status=history["status"].map(STATUS).fillna(history["status"]),
        message=history["message"].fillna(""),
        **{c: history[c].map(fmt.number) for c in volumes},
    )
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
            "rows_duplicate": "Doublons ou déjà à jour",
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
    widgets.downloads(shown, "historique_chargements", "history")

st.subheader("Quarantaine")
q = data.loads("quarantine", scope)
if not q.empty:
    files = q["file_name"].nunique()
    st.caption(
        f"{fmt.number(len(q))} ligne{'s' if len(q) > 1 else ''} en quarantaine"
        + (" (les 5 000 plus récentes)" if len(q) >= 5_000 else "")
        + f" dans {fmt.number(files)} fichier{'s' if files > 1 else ''}."
    )
if not state.access().sees_raw_lines:
    # Raw lines may name any agency's tenants: a user limited to some agencies sees counts.
    st.caption("Lignes brutes réservées aux rôles Direction et Analyste.")
    q = q.groupby(["file_name", "reason"], as_index=False).size()
    st.dataframe(
        q.rename(columns={"file_name": "Fichier", "reason": "Motif", "size": "Lignes"}),
        hide_index=True,
    )
elif q.empty:
    widgets.empty("Aucune ligne en quarantaine.")
else:
    files = st.multiselect(
        "Fichiers",
        sorted(q["file_name"].unique()),
        key="q_files",
        placeholder="Tous",
        select_all=False,  # none chosen is all; Streamlit's bulk action is English
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
    widgets.downloads(shown, "quarantaine", "quarantine")
