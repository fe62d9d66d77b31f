"""Satisfaction: what tenants say, theme by theme and agency by agency, against the
previous wave, the sector's references and what the operations show."""

import altair as alt
import pandas as pd
import streamlit as st

from pages import charts, data, fmt, state, widgets
from warehouse.kpis.satisfaction import MIN_RESPONDENTS, THEMES, theme_label

BRIDGE_THEMES = ("demandes_techniques", "demandes_administratives", "global")


st.title("Satisfaction des locataires")
f = state.require_filters()
survey = data.survey(f)
if not survey["now"]:
    widgets.empty(
        "Aucune enquête de satisfaction importée pour ces filtres : importez le fichier des "
        "répondants (`enquetes`) et le questionnaire qui rattache chaque question à un thème."
    )
    st.stop()

waves = ", ".join(survey["waves"])
previous = survey["previous"]
st.caption(
    f"Vague{'s' * (len(survey['waves']) > 1)} {fmt.md(waves)}"
    + (
        f", comparée{'s' * (len(survey['waves']) > 1)} à la vague {fmt.md(previous)}"
        if previous
        else ""
    )
    + f". Satisfait : une note de 7 à 10, ou « très » / « assez satisfait » ; « ne sait pas » "
    f"exclu. Un taux appuyé sur moins de {MIN_RESPONDENTS} répondants est signalé : sa marge "
    "d'erreur dépasse ±18 points."
)
now = pd.DataFrame(survey["now"])
before = {r["theme"]: r["rate"] for r in survey["before"]}
order = [t for t in THEMES if t in set(now["theme"])] + sorted(set(now["theme"]) - set(THEMES))
now = now.set_index("theme").loc[order].reset_index()
rows = [st.columns(4) for _ in range(0, len(now), 4)]
for i, row in now.iterrows():
    old = before.get(row["theme"])
    with rows[i // 4][i % 4]:
        st.metric(
            fmt.md(theme_label(row["theme"])),
            fmt.percent(row["rate"]),
            fmt.judged(
                fmt.change(row["rate"], old, "ratio", f"depuis {previous}"), row["rate"], old, "up"
            )
            if old is not None
            else None,
            help=f"{fmt.number(row['respondents'])} répondants ; vague précédente : "
            f"{fmt.percent(old) if old is not None else fmt.EMPTY}. "
            + widgets.kpi_help("satisfaction"),
        )
        if row["respondents"] < MIN_RESPONDENTS:
            st.markdown(f":orange-badge[{fmt.number(row['respondents'])} répondants : fragile]")

st.subheader("Par thème, face à la vague précédente et aux références")
refs = pd.DataFrame(survey["references"], columns=["wave", "perimeter", "theme", "rate"])
compared = [
    {"thème": theme_label(r["theme"]), "série": f"Vague {waves}", "taux": r["rate"]}
    for r in survey["now"]
] + [
    {"thème": theme_label(r["theme"]), "série": f"Vague {previous}", "taux": r["rate"]}
    for r in survey["before"]
]
for (perimeter, theme), group in refs.groupby(["perimeter", "theme"]):
    latest = group.sort_values("wave").iloc[-1]
    compared.append(
        {
            "thème": theme_label(theme),
            "série": f"{perimeter.capitalize()} ({latest['wave']})",
            "taux": latest["rate"],
        }
    )
compared = pd.DataFrame(compared)
series_names = list(dict.fromkeys(compared["série"]))
themes = [theme_label(t) for t in order]
shown, tooltip = charts.described(
    compared,
    [("thème", "Thème", "text"), ("série", "Série", "text"), ("taux", "Satisfaits", "ratio")],
)
table = compared.pivot_table(index="thème", columns="série", values="taux", aggfunc="first")
table = table.reindex(
    [t for t in themes if t in table.index] + sorted(set(table.index) - set(themes))
)
widgets.chart(
    alt.Chart(shown)
    .mark_bar()
    .encode(
        y=alt.Y("thème:N", title=None, sort=themes, axis=alt.Axis(labelLimit=240)),
        # Within a theme the series keep the legend's order: told apart by place too.
        yOffset=alt.YOffset("série:N", sort=series_names),
        x=alt.X(
            "taux:Q", title="Satisfaits", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])
        ),
        color=charts.category_colour("série", series_names, series_names, "Série"),
        description=alt.Description(f"{charts.LABEL}:N"),
        tooltip=tooltip,
    )
    .properties(height=alt.Step(12, **{"for": "offset"})),
    "satisfaction par thème",
    "Barres groupées de la part de locataires satisfaits par thème : pour chaque thème, "
    f"dans l'ordre, {', '.join(series_names)}.",
    table[[c for c in series_names if c in table.columns]]
    .reset_index()
    .rename(columns={"thème": "Thème"}),
    dict.fromkeys(series_names, "ratio"),
)
widgets.downloads(
    compared.rename(columns={"thème": "Thème", "série": "Série", "taux": "Satisfaits"}),
    "satisfaction_par_theme",
    "sat_themes",
    {"Satisfaits": "ratio"},
)

st.subheader("Agences comparées")
agencies = pd.DataFrame(survey["agencies"])
agencies = agencies.assign(thème=agencies["theme"].map(theme_label))
table = agencies.pivot_table(index="agency", columns="thème", values="rate", aggfunc="first")
counts = agencies.groupby("agency")["respondents"].max()
table = table.assign(Répondants=counts).reset_index().rename(columns={"agency": "Agence"})
fragile = table.loc[table["Répondants"] < MIN_RESPONDENTS, "Agence"].tolist()
rates = {c: "ratio" for c in table.columns if c not in ("Agence", "Répondants")}
st.dataframe(fmt.shown(table, rates | {"Répondants": "requests"}), hide_index=True)
if fragile:
    st.warning(
        f"Moins de {MIN_RESPONDENTS} répondants : {fmt.md(', '.join(fragile))} ; leurs taux sont "
        "indicatifs (marge d'erreur au-delà de ±18 points)."
    )
widgets.downloads(table, "satisfaction_par_agence", "sat_agencies", rates)

st.subheader("Ce que disent les locataires, face à ce que montrent les opérations")
theme = next((t for t in BRIDGE_THEMES if t in set(agencies["theme"])), None)
operations = data.agency_table(f)
if theme is None or operations.empty:
    widgets.empty("Pas d'enquête par agence ou pas de demandes pour ces filtres.")
else:
    said = agencies[agencies["theme"] == theme][["agency", "rate", "respondents"]]
    bridge = said.merge(operations, on="agency", how="inner")
    measures = {
        "commitment_kept": "Engagements respectés",
        "first_level_closure_requests": "Clôture au 1er niveau",
    }
    measures = {k: v for k, v in measures.items() if k in bridge}
    measure = st.radio(
        "Indicateur des opérations",
        list(measures),
        format_func=measures.get,
        horizontal=True,
        key="bridge_measure",
    )
    st.caption(
        f"Chaque point est une agence : en abscisse « {fmt.md(measures[measure])} », en ordonnée la "
        f"satisfaction « {fmt.md(theme_label(theme))} » de la vague {fmt.md(waves)}. En haut à droite, les "
        "locataires confirment ce que montrent les opérations."
    )
    shown = bridge.dropna(subset=[measure])
    shown, tooltip = charts.described(
        shown,
        [
            ("agency", "Agence", "text"),
            ("rate", "Satisfaction", "ratio"),
            (measure, measures[measure], "ratio"),
            ("respondents", "Répondants", "count"),
        ],
    )
    widgets.chart(
        alt.Chart(shown)
        .mark_circle(size=160, opacity=1)
        .encode(
            # Both axes zoomed on the agencies' spread: from 0 % they were a cluster of dots
            # in a corner, their codes written over each other.
            x=alt.X(
                f"{measure}:Q",
                title=measures[measure],
                axis=alt.Axis(format="%"),
                scale=alt.Scale(zero=False, padding=30),
            ),
            y=alt.Y(
                "rate:Q",
                title=f"Satisfaction {theme_label(theme)}",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(zero=False, padding=30),
            ),
            description=alt.Description(f"{charts.LABEL}:N"),
            tooltip=tooltip,
        )
        # The agencies' codes beside the points repeat the points' labels.
        + alt.Chart(shown)
        .mark_text(dy=-14, aria=False)
        .encode(
            x=alt.X(f"{measure}:Q", scale=alt.Scale(zero=False, padding=30)),
            y=alt.Y("rate:Q", scale=alt.Scale(zero=False, padding=30)),
            text="agency:N",
        ),
        "satisfaction et opérations",
        f"Nuage de points des agences : en abscisse « {measures[measure]} », en ordonnée la "
        f"satisfaction « {theme_label(theme)} », sur des axes resserrés sur leurs valeurs.",
        shown[["agency", "rate", measure, "respondents"]].rename(
            columns={
                "agency": "Agence",
                "rate": "Satisfaction",
                measure: measures[measure],
                "respondents": "Répondants",
            }
        ),
        {"Satisfaction": "ratio", measures[measure]: "ratio", "Répondants": "count"},
    )
    said_by = f"Satisfaction « {theme_label(theme)} »"
    bridge_table = bridge[["agency", "rate", "respondents", *measures]].rename(
        columns={"rate": said_by, "respondents": "Répondants"}
    )
    widgets.downloads(bridge_table, "satisfaction_et_operations", "sat_bridge", {said_by: "ratio"})

st.subheader("Enquêtes « à chaud » après une demande")
kept = pd.DataFrame(survey["after_kept"])
by_category = pd.DataFrame(survey["after_category"])
if kept.empty:
    widgets.empty("Aucune enquête « à chaud » sur les demandes créées dans la période.")
else:
    left, right = st.columns(2)
    for column, frame, by, title, caption in (
        (left, kept, "kept", "Engagement", "Selon le respect de l'engagement de délai"),
        (right, widgets.labelled(by_category), "category", "Catégorie", "Selon la catégorie"),
    ):
        names = {by: title, "rate": "Satisfaits", "respondents": "Répondants"}
        column.caption(caption)
        column.dataframe(
            fmt.shown(
                frame.rename(columns=names)[list(names.values())],
                {"Satisfaits": "ratio", "Répondants": "requests"},
            ),
            hide_index=True,
        )
    widgets.downloads(kept, "satisfaction_a_chaud_engagements", "sat_kept")
