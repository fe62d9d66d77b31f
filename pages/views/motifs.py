"""Motifs et non-qualité: why tenants call, which calls were avoidable (failure demand),
what they cost, and the requests that make tenants call again."""

import streamlit as st

from pages import charts, data, fmt, motif_charts, state, widgets
from warehouse.kpis import failure
from warehouse.report import exports

ALL = "Tous les motifs"
NO_MOTIF = failure.NO_MOTIF  # the calls without a motif: a choice like any family

st.title("Motifs et non-qualité")
f = state.require_filters()
families = data.reasons(f, "family")
if families.empty:
    widgets.empty()
    st.stop()
named = [m if isinstance(m, str) else NO_MOTIF for m in families["motif_family"]]
labels = dict(zip(named, families["family_label"].fillna(NO_MOTIF), strict=True))

# A reason chosen by a click on the Pareto (below) or in the list: the page is filtered
# to it. The click is applied once, so that the list can change it afterwards.
pareto_event = st.session_state.get("motifs_pareto")
clicked = widgets.picked(pareto_event, "reason")
if clicked is not None and clicked != st.session_state.get("_motifs_click"):
    picked = clicked.get("motif_family") or NO_MOTIF  # the bar without a motif: null
    st.session_state["_motifs_click"] = clicked
    if picked in named:
        st.session_state["motifs_family"] = picked
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
        **fmt.delta_look(delta, "down"),
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
chosen_words = (
    ""
    if family is None
    else " (sans motif)"
    if family == NO_MOTIF
    else f" (motif {labels[family]})"
)
st.caption(
    f"{fmt.number(now['failure'])} appels évitables sur {fmt.number(now['offered'])} "
    f"présentés{fmt.md(chosen_words)} : relance d'une demande "
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
span = f"du {fmt.day(f.start)} au {fmt.day(f.end)}"
widgets.chart(
    motif_charts.pareto(top, family),
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
    detail = detail[motif_charts.of_family(detail["motif_family"], family)]
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
    # The downloads' headers; the screen writes durations in words, not seconds.
    .rename(columns=lambda c: exports.column_header(c).removesuffix(" (s)")),
    hide_index=True,
)
widgets.downloads(detail, "motifs", "reasons")

# --- Failure demand by week, with the events ---------------------------------------------
st.subheader("Appels évitables par semaine")
weeks = data.failure_weeks(f, family)
if weeks.empty:
    widgets.empty()
else:
    events = data.events(f)
    periods = charts.time_labels(weeks, "week", "iso_week")
    widgets.chart(
        motif_charts.weeks(weeks, events),
        "appels évitables par semaine",
        f"Barres des appels évitables par semaine, {span}"
        + (" ; les événements (traits pointillés) y sont posés." if not events.empty else "."),
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
    straddling = charts.iso_week_caption(weeks)
    if straddling:
        st.caption(fmt.md(straddling))
    widgets.downloads(  # offered calls as the catalogue names them
        weeks.rename(columns={"offered": "offered_calls"}),
        "appels_evitables_par_semaine",
        "failure_weeks",
    )

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
    widgets.chart(
        motif_charts.categories(shown),
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
    columns = [
        "request_id",
        "created",
        "agency",
        "category",
        "status",
        "age_days",
        "declared_followups",
        "chase_calls",
        "followups",
    ]
    st.dataframe(  # the downloads' headers
        fmt.shown(widgets.labelled(chased)[columns], {"created": "date"}).rename(
            columns=exports.column_header
        ),
        hide_index=True,
    )
    widgets.downloads(chased, "demandes_ouvertes_relancees", "chased_open")
