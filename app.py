"""Pilotage GRL: Streamlit entry point.

Builds the demo warehouse on first start when there is none (through the real loaders, in
a separate process: the dashboard never imports Great Expectations), draws the shared
sidebar filters, then runs the page chosen in the navigation.
"""

from __future__ import annotations

import subprocess
import sys

import streamlit as st

from pages.filters import sidebar_filters
from warehouse.engine import PROJECT_ROOT, duckdb_path, warehouse_url

st.set_page_config(page_title="Pilotage GRL", page_icon=":material/call:", layout="wide")

PAGES = [
    st.Page(
        "pages/synthese.py",
        title="Synthèse",
        icon=":material/dashboard:",
        default=True,
        url_path="synthese",
    ),
    st.Page("pages/appels.py", title="Appels", icon=":material/call:", url_path="appels"),
    st.Page(
        "pages/canaux.py",
        title="Canaux et captation",
        icon=":material/alt_route:",
        url_path="canaux",
    ),
    st.Page(
        "pages/demandes.py", title="Demandes", icon=":material/assignment:", url_path="demandes"
    ),
    st.Page("pages/agences.py", title="Agences", icon=":material/apartment:", url_path="agences"),
    st.Page("pages/couts.py", title="Coûts et effectifs", icon=":material/euro:", url_path="couts"),
    st.Page(
        "pages/dimensionnement.py",
        title="Dimensionnement",
        icon=":material/groups:",
        url_path="dimensionnement",
    ),
    st.Page(
        "pages/qualite.py",
        title="Qualité des données",
        icon=":material/fact_check:",
        url_path="qualite",
    ),
    st.Page(
        "pages/glossaire.py", title="Glossaire", icon=":material/menu_book:", url_path="glossaire"
    ),
]


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


build_demo_if_missing(warehouse_url())
navigation = st.navigation(PAGES)
if "_wanted_params" in st.session_state:  # a page opened by URL before app.py ever ran
    st.query_params.from_dict(st.session_state.pop("_wanted_params"))
st.session_state["filters"] = sidebar_filters()
if "_wanted_page" in st.session_state:
    st.switch_page(f"pages/{st.session_state.pop('_wanted_page')}")
navigation.run()
