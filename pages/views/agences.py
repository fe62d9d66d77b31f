"""Agences: one row per agency, side by side, with the organisme as the reference row."""

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from pages import data, fmt, state, widgets
from warehouse.kpis import series

COLUMNS = {
    "agency": "Agence",
    "requests": "Demandes",
    "complaints": "Réclamations",
    "commitment_kept": "Engagements respectés",
    "first_level_closure_requests": "Clôture 1er niveau",
    "offered_calls": "Appels présentés (identifiés)",
    "calls_per_dwelling_month": "Appels / logement / mois",
    "complaint_share": "Part de réclamations (appels)",
}

st.title("Agences")
f = state.require_filters()
table = data.agency_table(f)
if table.empty:
    widgets.empty()
    st.stop()
values = data.kpis(f)["value"]
reference = series.agency_reference(table, values) | {"agency": "Ensemble (référence)"}
labels = data.agency_labels()


def agency_label(code: str) -> str:
    return labels.get(code, code)


shown = table[[c for c in COLUMNS if c in table]].copy()
shown["agency"] = shown["agency"].map(agency_label)
shown.loc[len(shown)] = {k: reference.get(k) for k in shown.columns}
shown = shown.rename(columns=COLUMNS)
units = {
    "Demandes": "requests",
    "Réclamations": "requests",
    "Engagements respectés": "ratio",
    "Clôture 1er niveau": "ratio",
    "Appels présentés (identifiés)": "calls",
    "Appels / logement / mois": "calls/dwelling/month",
    "Part de réclamations (appels)": "ratio",
}
rows = st.dataframe(
    fmt.shown(shown, units),
    hide_index=True,
    column_config={"Agence": st.column_config.TextColumn(width="medium")},
    on_select="rerun",
    selection_mode="single-row",
    key="agency_rows",
)
st.caption("Cliquez une agence (ligne ou barre) pour filtrer le tableau de bord sur elle.")


def focus(code: str, widget: str) -> None:
    """Filter the dashboard on the agency clicked (once: the click stays selected)."""
    if (code,) != tuple(f.agencies):
        widgets.drill({"f_agencies": [code]}, forget=(widget,))


chosen = rows.selection.rows if rows is not None else []
if chosen and chosen[0] < len(table):
    focus(table["agency"].iloc[chosen[0]], "agency_rows")

st.subheader("Agences classées")
RANKED = {
    "commitment_kept": "Engagements respectés",
    "first_level_closure_requests": "Clôture au 1er niveau",
    "calls_per_dwelling_month": "Appels identifiés par logement et par mois",
    "complaints": "Réclamations",
}
measures = [m for m in RANKED if m in table]
measure = st.selectbox(
    "Indicateur",
    measures,
    format_func=RANKED.get,
    index=widgets.url_index("classement", measures),
    key="agency_rank",
)
widgets.keep_in_url("classement", measure)
ranked = table.dropna(subset=[measure]).assign(nom=lambda t: t["agency"].map(agency_label))
if ranked.empty:
    widgets.empty("Pas de valeur pour cet indicateur sur la période.")
else:
    ratio = measure in ("commitment_kept", "first_level_closure_requests")
    axis = alt.Axis(format="%" if ratio else ",")
    pick = alt.selection_point(fields=["agency"], name="pick")
    bars = (
        alt.Chart(ranked)
        .mark_bar()
        .encode(
            y=alt.Y(
                "nom:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)
            ),
            x=alt.X(f"{measure}:Q", title=RANKED[measure], axis=axis),
            tooltip=[
                alt.Tooltip("nom:N", title="Agence"),
                alt.Tooltip(f"{measure}:Q", title=RANKED[measure], format=".1%" if ratio else ","),
            ],
        )
        .add_params(pick)
    )
    layers = [bars]
    if reference.get(measure) is not None and measure != "complaints":
        layers.append(
            alt.Chart(pd.DataFrame({"x": [reference[measure]], "label": ["Ensemble"]}))
            .mark_rule(color="black", strokeDash=[6, 4])
            .encode(
                x="x:Q",
                tooltip=[alt.Tooltip("x:Q", title="Ensemble", format=".1%" if ratio else ",.2f")],
            )
        )
    event = widgets.chart(alt.layer(*layers).properties(height=alt.Step(30)), key="ranked")
    clicked = widgets.picked(event, "pick")
    if clicked:
        focus(clicked["agency"], "ranked")
    if len(layers) > 1:
        st.caption(
            "Trait pointillé : l'ensemble des agences, comme dans la dernière ligne du tableau."
        )

assessed = table.dropna(subset=["commitment_kept"]) if "commitment_kept" in table else table[:0]
if not assessed.empty:
    worst = assessed.sort_values("commitment_kept").iloc[0]
    st.caption(
        f"Engagements les moins respectés : {fmt.md(worst['agency'])} "
        f"({fmt.percent(worst['commitment_kept'])})."
    )
st.caption(
    "Les appels sont rattachés à une agence par le logement identifié : les appels perdus, "
    "rarement identifiés, n'y figurent pas ; la ligne de référence additionne donc les appels "
    "identifiés des agences, et n'a pas de part de réclamations (celle de l'ensemble compte "
    "des appels qu'aucune agence ne compte)."
)
widgets.downloads(shown, "comparaison_agences", "agencies")

st.subheader("Détail d'une agence")
codes = list(table["agency"])
code = st.selectbox(
    "Agence",
    codes,
    index=widgets.url_index("agence", codes),
    format_func=agency_label,
    key="agency_drill",
)
widgets.keep_in_url("agence", code)
detail = data.kpis(replace(f, agencies=(code,)))
rows = detail[detail["value"].notna()][["label", "value", "unit", "reference"]]
rows = rows.assign(
    valeur=[fmt.by_unit(v, u) for v, u in zip(rows["value"], rows["unit"], strict=True)]
)
detail_table = rows[["label", "valeur", "reference"]].rename(
    columns={"label": "Indicateur", "valeur": "Valeur", "reference": "Référence"}
)
st.dataframe(detail_table, hide_index=True)
widgets.downloads(detail_table, f"agence_{code}", "agency_detail")
