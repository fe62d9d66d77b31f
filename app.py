"""Pilotage GRL: Streamlit entry point.

Resolves the user's access (sign-in when configured), builds the demo warehouse on first start when there is none (through the real loaders, in
a separate process: the dashboard never imports Great Expectations), draws the shared
sidebar filters, then runs the page chosen in the navigation.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import streamlit as st

from pages import PAGES
from pages.shared import ui, warm
from pages.shared.auth import current_access, sidebar_identity
from pages.shared.filters import sidebar_filters
from warehouse.engine import (
    PROJECT_ROOT,
    WarehouseBusy,
    claim_lock,
    duckdb_path,
    warehouse_url,
)

st.set_page_config(page_title="Pilotage GRL", page_icon=":material/call:", layout="wide")

IMPORT_ROLES = ("direction", "analyste")  # the only roles the Importer page is listed for


def navigation_for(role: str) -> list:
    return [
        st.Page(f"pages/{name}.py", title=title, icon=icon, url_path=name, default=i == 0)
        for i, (name, title, icon) in enumerate(PAGES)
        if name != "importer" or role in IMPORT_ROLES
    ]


def build_demo_if_missing(url: str) -> None:
    """Run ``python -m loaders demo`` once when the embedded warehouse does not exist."""
    path = duckdb_path(url)
    if path is None or (path.exists() and not path.with_suffix(".building").exists()):
        return
    lock = path.with_suffix(".building")
    if not claim_lock(lock):
        with st.spinner("Première ouverture : l'entrepôt de démonstration est en construction…"):
            while lock.exists():
                time.sleep(2)
        st.rerun()
    try:
        _build_demo(url, path)
    finally:
        lock.unlink(missing_ok=True)


def _build_demo(url: str, path: Path) -> None:
    """Run the demo build in its own process, showing its steps and each file imported."""
    label = "Première ouverture : construction de l'entrepôt de démonstration…"
    with st.status(label, expanded=True) as status:
        bar = st.progress(0.0, text="Écriture des exports de démonstration…")
        process = subprocess.Popen(
            [sys.executable, "-m", "loaders", "--url", url, "demo"]
            + ["--dwellings", os.environ.get("PILOTAGE_DEMO_DWELLINGS", "25000")]
            + ["--out", str(path.parent / "demo_exports")],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        files = done = 0
        for line in process.stdout:
            line = line.rstrip()
            written = re.match(r"(\d+) fichiers de démonstration écrits", line)
            if written:
                files = int(written.group(1))
                bar.progress(0.1, text=f"{files} exports écrits ; import dans l'entrepôt…")
            elif line.startswith(("OK", "REJETÉ", "IGNORÉ")) and files:
                done += 1
                bar.progress(0.1 + 0.9 * done / files, text=f"Import : {done} fichiers sur {files}")
            st.write(line)
        if process.wait() != 0:
            status.update(label="La construction de la démonstration a échoué", state="error")
            st.stop()
        status.update(label="Entrepôt de démonstration prêt", state="complete", expanded=False)


access = current_access()  # stops here until the user is signed in and known
build_demo_if_missing(warehouse_url())
warm.start(warm.interval())  # once per process: the default view stays computed
navigation = st.navigation(navigation_for(access.role))
if "_wanted_params" in st.session_state:  # a page opened by URL before app.py ever ran
    st.query_params.from_dict(st.session_state.pop("_wanted_params"))
st.session_state["access"] = access
try:
    st.session_state["filters"] = sidebar_filters(access)
    sidebar_identity(access)
    if "_wanted_page" in st.session_state:
        st.switch_page(f"pages/{st.session_state.pop('_wanted_page')}")
    navigation.run()
except WarehouseBusy:
    st.warning(
        "L'entrepôt est occupé par un import qui dure : les chiffres s'afficheront dès qu'il "
        "sera terminé. Réessayez dans quelques minutes."
    )
finally:
    ui.release()  # the run's DuckDB connection: an import may take the file now
