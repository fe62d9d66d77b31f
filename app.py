"""Pilotage GRL: Streamlit entry point.

On first start with no warehouse, builds the demo warehouse through the real loaders (in
a separate process: the dashboard never imports Great Expectations), then shows what is
loaded. The KPI pages come with the dashboard issue.
"""

from __future__ import annotations

import subprocess
import sys

import streamlit as st

from warehouse.engine import PROJECT_ROOT, duckdb_path, make_engine, warehouse_url
from warehouse.queries import fact_row_counts, load_history_frame

st.set_page_config(page_title="Pilotage GRL", layout="wide")

FACT_LABELS = {
    "fact_call": "Appels",
    "fact_contact": "Contacts en agence",
    "fact_request": "Demandes",
    "fact_cost": "Lignes de coûts (mois)",
    "fact_staffing": "Jours d'effectifs",
    "fact_dwelling_month": "Logements × mois",
}


def _french(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def build_demo_if_missing(url: str) -> None:
    """Run ``python -m loaders demo`` once when the embedded warehouse does not exist."""
    path = duckdb_path(url)
    if path is None or path.exists():
        return
    with st.status("Première ouverture : construction de l'entrepôt de démonstration…") as status:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "loaders",
                "--url",
                url,
                "demo",
                "--out",
                str(path.parent / "demo_exports"),
            ],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for line in process.stdout:
            st.write(line.rstrip())
        if process.wait() != 0:
            status.update(label="La construction de la démonstration a échoué", state="error")
            st.stop()
        status.update(label="Entrepôt de démonstration prêt", state="complete", expanded=False)


@st.cache_resource
def engine():
    return make_engine(warehouse_url(), read_only=True)


url = warehouse_url()
build_demo_if_missing(url)
st.title("Pilotage de la relation locataires")
st.caption("Entrepôt : " + (str(duckdb_path(url)) if duckdb_path(url) else url.split("@")[-1]))

counts = fact_row_counts(engine())
columns = st.columns(len(FACT_LABELS))
for column, (table, label) in zip(columns, FACT_LABELS.items(), strict=True):
    column.metric(label, _french(counts[table]))

st.subheader("Historique des chargements")
history = load_history_frame(engine())
st.dataframe(
    history[
        [
            "load_id",
            "file_name",
            "source",
            "status",
            "rows_read",
            "rows_loaded",
            "rows_duplicate",
            "rows_quarantined",
            "finished_at",
        ]
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
        }
    ),
    hide_index=True,
    column_config={"Terminé le": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")},
)
