"""The demo warehouse of a first local start: built once, through the real loaders, with
its steps and a progress bar.

Only on the default local path (``WAREHOUSE_URL`` unset) and only when its file does not
exist yet: a ``WAREHOUSE_URL`` naming a missing file (a volume not mounted, a moved file)
is an error to say, never a reason to invent data where real imports will land.
"""

from __future__ import annotations

import time

import streamlit as st

from pages import fmt, jobs
from warehouse import config
from warehouse.engine import claim_lock, default_url, duckdb_path, warehouse_url


def build_if_first_start() -> None:
    """Build the demo warehouse when this is a first local start; other sessions wait."""
    url = warehouse_url()
    path = duckdb_path(url)
    if url != default_url() or path is None:
        return
    lock = path.with_suffix(".building")
    if path.exists() and not lock.exists():
        return
    if not claim_lock(lock):
        with st.spinner("Première ouverture : l'entrepôt de démonstration est en construction…"):
            while lock.exists():
                time.sleep(2)
        st.rerun()
    try:
        _build(url, path)
    finally:
        lock.unlink(missing_ok=True)


def _build(url: str, path) -> None:
    label = "Première ouverture : construction de l'entrepôt de démonstration…"
    dwellings = int(config.get("PILOTAGE_DEMO_DWELLINGS"))
    with st.status(label, expanded=True) as status:
        bar = st.progress(0.0, text="Écriture des exports de démonstration…")
        files = done = 0
        for event in jobs.build_demo(url, path.parent / "demo_exports", dwellings):
            if "demo_files" in event:
                files = event["demo_files"]
                bar.progress(0.1, text=f"{files} exports écrits ; import dans l'entrepôt…")
                st.write(
                    f"{fmt.number(files)} fichiers de démonstration écrits ({fmt.md(event['seconds'])} s)"
                )
            elif "exit_code" in event:
                if event["exit_code"] != 0:
                    status.update(
                        label="La construction de la démonstration a échoué", state="error"
                    )
                    st.error(fmt.md(event["error"] or f"code de sortie {event['exit_code']}"))
                    st.stop()
            else:
                done += 1
                bar.progress(
                    0.1 + 0.9 * done / max(files, 1), text=f"Import : {done} fichiers sur {files}"
                )
                st.write(f"{fmt.md(event['file'])} : {fmt.md(event['status'])}")
        status.update(label="Entrepôt de démonstration prêt", state="complete", expanded=False)
