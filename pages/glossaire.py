"""Glossaire: every KPI with its definition and reference, from the catalogue."""

import pandas as pd
import streamlit as st

from pages.shared import ui
from warehouse.kpis.catalogue import CATALOGUE

st.title("Glossaire des indicateurs")
frame = pd.DataFrame(
    [
        {
            "Indicateur": k.label,
            "Identifiant": k.id,
            "Définition": k.definition,
            "Référence": k.reference or "—",
        }
        for k in CATALOGUE
    ]
)
st.dataframe(frame, hide_index=True, width="stretch")
ui.downloads(frame, "glossaire", "glossary")
