"""Motifs et non-qualité: why tenants call, which calls were avoidable (failure demand),
what they cost, and the requests that make tenants call again."""

import altair as alt
import streamlit as st

from pages import charts, data, fmt, state, widgets

ALL = "Tous les motifs"
NO_MOTIF = "(sans motif)"

st.title("Motifs et non-qualité")
f = state.require_filters()
families = data.reasons(f, "family")
if families.empty:
    widgets.empty()
    st.stop()
named = [m for m in families["motif_family"] if isinstance(m, str)]
labels = dict(zip(families["motif_family"], families["family_label"], strict=True))

# A reason chosen by a click on the Pareto (below) or in the list: the page is filtered
# to it. The click is applied once, so that the list can change it afterwards.
pareto_event = st.session_state.get("motifs_pareto")
clicked = widgets.picked(pareto_event, "reason")
if (
    clicked
    and clicked.get("motif_family") in named
    and clicked != st.session_state.get("_motifs_click")
):
    st.session_state["_motifs_click"] = clicked
    st.session_state["motifs_family"] = clicked["motif_family"]
chosen_family = (
    {}
    if "motifs_family" in st.session_state
    else {"index": widgets.url_index("motif", [ALL, *named])}
)
family = st.selectbox(
    "Motif (famille)",
    [ALL, *named],
    format_func=lambda m: labels.get(m) or m,
    key="motifs_family",
    help="Cliquez une barre du graphique des motifs, ou choisissez ici (au clavier : Tab, "
    "puis les flèches et Entrée) : la page ne montre plus que ce motif.",
    **chosen_family,
)
if family != ALL:
    widgets.keep_in_url("motif", family)
elif "motif" in st.query_params:
    del st.query_params["motif"]
family = None if family == ALL else family

# --- Tiles: failure demand and its cost, against a year before ---------------------------
now = data.failure_summary(f, family)
before = data.failure_summary(f.shifted_years(1), family)
tiles = [
    ("Part de demande évitable", "failure_demand_share", "ratio", "failure_demand_share"),
    ("Coût de la non-qualité", "non_quality_cost_eur", "eur", "non_quality_cost_eur"),
    (
        "Par logement et par an",
        "non_quality_cost_per_dwelling_year",
        "eur",
        "non_quality_cost_per_dwelling_year",
    ),
    (
        # Short enough not to be cut on a four-tile row (« Appels évitables × coût par
        # app… » was); the help says the rule.
        "Coût, règle simple",
        "non_quality_cost_by_calls_eur",
        "eur",
        "non_quality_cost_eur",
    ),
]
for col, (label, key, unit, kpi_id) in zip(st.columns(4), tiles, strict=True):
    value, old = now[key], before[key]
    delta = fmt.judged(fmt.change(value, old, unit), value, old, "down")
    col.metric(
        label,
        fmt.by_unit(value, unit),
        delta=delta,
        delta_color="inverse",
        help=widgets.kpi_help(kpi_id)
        + (
            " Règle simple : chaque mois, appels évitables décrochés × coût par appel "
            "traité ; l'écart avec la tuile « Coût de la non-qualité » est l'effet de la "
            "répartition par durée de conversation."
            if key == "non_quality_cost_by_calls_eur"
            else f" {fmt.md(now['share_note'])}."
            if key == "failure_demand_share" and now.get("share_note")
            else ""
        ),
    )
st.caption(
    f"{fmt.number(now['failure'])} appels évitables sur {fmt.number(now['offered'])} "
    f"présentés{' (motif ' + fmt.md(labels[family]) + ')' if family else ''} : relance d'une demande "
    f"déjà enregistrée {fmt.number(now['chases'])}, motif « Relance » ou « Suivi » "
    f"{fmt.number(now['followup_motifs'])}, rappel du même numéro sous 7 jours "
    f"{fmt.number(now['repeats'])} (un appel qui cumule plusieurs causes compte une fois)."
    + (f" Coûts : {fmt.md(now['cost_note'])}." if now["cost_note"] else "")
    + ("" if now["cost_eur"] is not None else " Aucun fichier de coûts chargé.")
)
if f.has_scope:
    st.caption(
        "Filtre agence : seuls les appels dont le logement a été identifié sont rattachés à "
        "une agence ; les coûts du centre sont répartis au prorata des logements. Part de "
        f"demande évitable : {fmt.md(now.get('share_note') or 'mesurée')}."
    )

# --- Pareto of handle time by reason -------------------------------------------------------
st.subheader("Motifs d'appel : durée de conversation et part cumulée (Pareto)")
top = families.head(15).copy()
top["famille"] = top["family_label"].fillna(NO_MOTIF)
top["heures"] = top["handle_time_s"] / 3600
top, tooltip = charts.described(
    top,
    [
        ("famille", "Motif", "text"),
        ("heures", "Heures de conversation", "decimal"),
        ("handle_time_share", "Part", "ratio"),
        ("cumulative_share", "Part cumulée", "ratio"),
        ("failure_demand_share", "Part évitable", "ratio"),
    ],
)
order = list(top["famille"])
pick = alt.selection_point(fields=["motif_family"], name="reason")
x = alt.X("famille:N", title="Motif", sort=order, axis=alt.Axis(labelAngle=-30, labelLimit=160))
base = alt.Chart(top).encode(x=x, tooltip=tooltip, description=alt.Description(f"{charts.LABEL}:N"))
bars = base.mark_bar(color=charts.PALETTE[0], stroke="#1a1a1a", strokeWidth=1).encode(
    y=alt.Y("heures:Q", title="Heures de conversation"),
    opacity=alt.condition(pick, alt.value(1), alt.value(0.45))
    if family is None
    else alt.condition(alt.datum.motif_family == family, alt.value(1), alt.value(0.35)),
)
line = base.mark_line(color=charts.PALETTE[1], strokeDash=[6, 3], aria=False).encode(
    y=alt.Y("cumulative_share:Q", title="Part cumulée", axis=alt.Axis(format="%"))
)
points = base.mark_point(color=charts.PALETTE[1], shape="square", filled=True, size=50).encode(
    y=alt.Y("cumulative_share:Q")
)
span = f"du {fmt.day(f.start)} au {fmt.day(f.end)}"
widgets.chart(
    alt.layer(bars.add_params(pick), alt.layer(line, points))
    .resolve_scale(y="independent")
    .properties(height=320),
    "motifs d'appel",
    f"Barres des heures de conversation par famille de motif, {span}, de la plus longue à "
    "la plus courte, et courbe en tirets (carrés) de leur part cumulée : les premiers "
    "motifs font l'essentiel du temps passé au téléphone.",
    top[["famille", "offered_calls", "heures", "handle_time_share", "cumulative_share"]]
    .assign(évitable=top["failure_demand_share"])
    .rename(
        columns={
            "famille": "Motif",
            "offered_calls": "Appels présentés",
            "heures": "Heures",
            "handle_time_share": "Part",
            "cumulative_share": "Part cumulée",
            "évitable": "Part évitable",
        }
    ),
    {"Appels présentés": "count", "Heures": "decimal"}
    | dict.fromkeys(["Part", "Part cumulée", "Part évitable"], "ratio"),
    key="motifs_pareto",
)
if len(families) > len(top):
    st.caption(f"Les 15 motifs les plus longs sur {fmt.number(len(families))} ; tous ci-dessous.")
detail = data.reasons(f, "motif")
if family is not None:
    detail = detail[detail["motif_family"] == family]
REASON_UNITS = {
    "offered_calls": "calls",
    "answered_calls": "calls",
    "handle_time_s": "seconds",
    "aht_s": "seconds",
} | dict.fromkeys(
    [
        "handle_time_share",
        "cumulative_share",
        "first_level_closure_calls",
        "repeat_call_rate",
        "failure_demand_share",
    ],
    "ratio",
)
st.dataframe(
    fmt.shown(detail.fillna({"family_label": NO_MOTIF, "motif": NO_MOTIF}), REASON_UNITS)
    .drop(columns=["cumulative_share", "motif_family"])
    .rename(
        columns={
            "family_label": "Famille",
            "motif": "Motif",
            "offered_calls": "Présentés",
            "answered_calls": "Décrochés",
            "handle_time_s": "Durée de conversation",
            "handle_time_share": "Part du temps",
            "aht_s": "DMT",
            "first_level_closure_calls": "Premier niveau",
            "repeat_call_rate": "Réitération",
            "failure_demand_share": "Part évitable",
        }
    ),
    hide_index=True,
)
widgets.downloads(detail, "motifs", "reasons")

# --- Failure demand by week, with the events ---------------------------------------------
st.subheader("Appels évitables par semaine")
weeks = data.failure_weeks(f, family)
if weeks.empty:
    widgets.empty()
else:
    when = charts.time_field("week", "iso_week")
    framed, wx = charts.time_x(weeks, "week", "iso_week")
    framed, tooltip = charts.described(
        framed,
        [
            when,
            ("failure", "Appels évitables", "count"),
            ("offered", "Appels présentés", "count"),
            ("failure_share", "Part évitable", "ratio"),
        ],
    )
    week_bars = (
        alt.Chart(framed)
        .mark_bar(color=charts.PALETTE[3], stroke="#1a1a1a", strokeWidth=1)
        .encode(
            x=wx,
            y=alt.Y("failure:Q", title="Appels évitables"),
            description=alt.Description(f"{charts.LABEL}:N"),
            tooltip=tooltip,
        )
    )
    events = data.events(f)
    marks = charts.event_marks(events, "week", "iso_week", wx)
    periods = charts.time_labels(weeks, "week", "iso_week")
    widgets.chart(
        week_bars if marks is None else alt.layer(week_bars, marks),
        "appels évitables par semaine",
        f"Barres des appels évitables par semaine, {span}"
        + (" ; les événements (traits pointillés) y sont posés." if marks is not None else "."),
        weeks.assign(période=periods)[["période", "failure", "offered", "failure_share"]].rename(
            columns={
                "période": "Semaine",
                "failure": "Appels évitables",
                "offered": "Appels présentés",
                "failure_share": "Part évitable",
            }
        ),
        {"Appels évitables": "count", "Appels présentés": "count", "Part évitable": "ratio"},
    )
    if not events.empty:
        st.caption(charts.event_caption(events))
    widgets.downloads(weeks, "appels_evitables_par_semaine", "failure_weeks")

# --- The requests that make tenants call again --------------------------------------------
st.subheader("Catégories de demandes qui font rappeler")
if family:
    st.caption(
        "Demandes de toutes les catégories d'appel : le filtre de motif ne s'y applique pas."
    )
ranked = data.chase_categories(f)
if ranked.empty:
    widgets.empty("Aucune demande créée sur la période pour ces filtres.")
else:
    shown = widgets.labelled(ranked)
    shown, tooltip = charts.described(
        shown,
        [
            ("category", "Catégorie", "text"),
            ("followups_per_request", "Relances par demande", "decimal"),
            ("requests", "Demandes", "count"),
            ("close_days_median", "Délai de clôture médian (j)", "decimal"),
            ("commitment_kept", "Respect des engagements", "ratio"),
        ],
    )
    widgets.chart(
        alt.Chart(shown)
        .mark_bar(color=charts.PALETTE[2], stroke="#1a1a1a", strokeWidth=1)
        .encode(
            y=alt.Y("category:N", title=None, sort=list(shown["category"])),
            x=alt.X("followups_per_request:Q", title="Relances par demande"),
            description=alt.Description(f"{charts.LABEL}:N"),
            tooltip=tooltip,
        ),
        "catégories qui font rappeler",
        "Barres horizontales des relances par demande de chaque catégorie (créées sur la "
        "période), de la plus relancée à la moins relancée.",
        shown[["category", "requests", "followups_per_request", "close_days_median"]]
        .assign(engagements=shown["commitment_kept"])
        .rename(
            columns={
                "category": "Catégorie",
                "requests": "Demandes",
                "followups_per_request": "Relances par demande",
                "close_days_median": "Délai de clôture médian (j)",
                "engagements": "Respect des engagements",
            }
        ),
        {
            "Demandes": "count",
            "Relances par demande": "decimal",
            "Délai de clôture médian (j)": "decimal",
            "Respect des engagements": "ratio",
        },
    )
    widgets.downloads(ranked, "categories_relances", "chase_categories")

st.subheader("Demandes ouvertes les plus relancées")
if family:
    st.caption(
        "Toutes les relances, quel que soit leur motif : le filtre de motif ne s'y applique pas."
    )
chased = data.chased_open_requests(f)
if chased.empty:
    widgets.empty("Aucune demande ouverte relancée à la fin de la période.")
else:
    st.caption(
        f"Ouvertes au {fmt.day(f.end)}, de la plus relancée à la moins relancée (500 au "
        "plus) : relances de l'export des demandes, et appels citant la demande un autre jour "
        "que celui de sa création."
    )
    columns = {
        "request_id": "Demande",
        "created": "Créée le",
        "agency": "Agence",
        "category": "Catégorie",
        "status": "Statut",
        "age_days": "Ancienneté (j)",
        "declared_followups": "Relances déclarées",
        "chase_calls": "Appels de relance",
        "followups": "Total",
    }
    st.dataframe(
        fmt.shown(widgets.labelled(chased)[list(columns)], {"created": "date"}).rename(
            columns=columns
        ),
        hide_index=True,
    )
    widgets.downloads(chased, "demandes_ouvertes_relancees", "chased_open")
