"""Agences: one row per agency, side by side, with the organisme as the reference row."""

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from pages import charts, data, fmt, state, widgets
from warehouse.kpis import series
from warehouse.report import exports

COLUMNS = {
    "agency": "Agence",
    "requests": "Demandes",
    "complaints": "Réclamations",
    "commitment_kept": "Engagements respectés",
    "first_level_closure_requests": "Clôture 1er niveau",
    "identified_calls": "Appels présentés (identifiés)",
    "identified_calls_per_dwelling_month": "Appels identifiés / logement / mois",
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
    "Appels identifiés / logement / mois": "calls/dwelling/month",
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
st.caption(
    "Pour filtrer tout le tableau de bord sur une agence : cliquez sa ligne ou son point du "
    "classement ; au clavier, Tab jusqu'au tableau, les flèches jusqu'à sa ligne, puis "
    "Maj+Espace, ou la liste « Filtrer le tableau de bord sur une agence » sous le classement."
)


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
    "identified_calls_per_dwelling_month": "Appels identifiés par logement et par mois",
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
    unit = "ratio" if ratio else ("count" if measure == "complaints" else "decimal")
    whole = reference.get(measure) if measure != "complaints" else None
    # A dot per agency on an axis zoomed on their spread (as the monthly report does): bars
    # from 0 % hid differences of a point or two between agencies at 83 to 85 %.
    spread = [*ranked[measure], *([whole] if whole is not None else [])]
    margin = (max(spread) - min(spread)) * 0.15 or abs(max(spread)) * 0.05 or 0.01
    domain = [min(spread) - margin, max(spread) + margin]
    if ratio:
        domain = [max(0.0, domain[0]), min(1.0, domain[1])]
    shown, tooltip = charts.described(
        ranked, [("nom", "Agence", "text"), (measure, RANKED[measure], unit)]
    )
    pick = alt.selection_point(fields=["agency"], name="pick")
    dots = (
        alt.Chart(shown)
        .mark_point(filled=True, size=140, opacity=1)
        .encode(
            y=alt.Y(
                "nom:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)
            ),
            x=alt.X(
                f"{measure}:Q",
                title=RANKED[measure],
                axis=alt.Axis(format="%" if ratio else ","),
                scale=alt.Scale(domain=domain, zero=False, nice=False),
            ),
            description=alt.Description(f"{charts.LABEL}:N"),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    layers = [dots]
    if whole is not None:
        layers.append(
            charts.reference_rule(
                whole,
                f"Ensemble des agences : {fmt.text(whole, unit)}",
                axis="x",
                colour="black",
            )
        )
    event = widgets.chart(
        alt.layer(*layers, data=shown).properties(height=alt.Step(30)),
        "agences classées",
        f"Points des agences classées sur « {RANKED[measure]} », sur un axe qui commence "
        f"à {fmt.text(domain[0], unit)} pour que leurs écarts se voient"
        + (", face à l'ensemble des agences (trait pointillé)." if whole is not None else "."),
        ranked.sort_values(measure, ascending=False)[["nom", measure]].rename(
            columns={"nom": "Agence", measure: RANKED[measure]}
        ),
        {RANKED[measure]: unit},
        key="ranked",
    )
    clicked = widgets.picked(event, "pick")
    if clicked:
        focus(clicked["agency"], "ranked")
    keyboard = st.selectbox(
        "Filtrer le tableau de bord sur une agence",
        list(ranked["agency"]),
        index=None,
        format_func=agency_label,
        placeholder="Choisissez une agence",
        key="agency_focus",
    )
    if keyboard:
        focus(keyboard, "agency_focus")
    st.caption(
        f"L'axe ne commence pas à zéro : il va de {fmt.text(domain[0], unit)} à "
        f"{fmt.text(domain[1], unit)}."
        + (
            " Trait pointillé : l'ensemble des agences, comme dans la dernière ligne du tableau."
            if whole is not None
            else ""
        )
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
widgets.downloads(shown, "comparaison_agences", "agencies", units)

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
# Each KPI variant by the catalogue's label (seven capture shares, each with its channel);
# a figure the agency cannot measure is listed with the reason, never left out.
detail_rows = exports.kpi_table(detail.reset_index().to_dict("records"))
detail_table = pd.DataFrame(
    {
        "Indicateur": detail_rows["label"],
        "Valeur": [
            fmt.by_unit(v, u)
            for v, u in zip(detail_rows["value"], detail_rows["unit"], strict=True)
        ],
        "Référence": detail_rows["reference"],
        "Note": detail_rows["note"],
    }
)
st.dataframe(detail_table, hide_index=True)
widgets.downloads(detail_rows, f"agence_{code}", "agency_detail")
