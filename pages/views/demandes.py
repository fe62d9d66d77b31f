"""Demandes: first-level closure, commitments, time to close, backlog, late requests."""

import altair as alt
import streamlit as st

from pages import data, fmt, state, widgets

st.title("Demandes")
f = state.require_filters()
v = data.kpis(f)["value"]
TILES = [  # (KPI, label, unit), two rows of three; the catalogue gives each its help
    ("first_level_closure_requests", "Clôture au 1er niveau", "ratio"),
    ("commitment_kept", "Engagements respectés", "ratio"),
    ("close_days_median", "Délai de clôture médian", "days"),
    ("close_days_p90", "Délai de clôture (90e centile)", "days"),
    ("followup_rate", "Taux de relance", "ratio"),
    ("followups_per_request", "Relances par demande", "followups/request"),
]
rows = [st.columns(3), st.columns(3)]
for i, (kpi_id, label, unit) in enumerate(TILES):
    rows[i // 3][i % 3].metric(
        label, fmt.by_unit(v.get(kpi_id), unit), help=widgets.kpi_help(kpi_id)
    )
st.caption(
    f"Appels réglés par le centre : {fmt.percent(v.get('first_level_closure_calls'))} "
    "(secteur : 46 % à 83 %). Ce taux porte sur les appels décrochés où le conseiller a "
    "indiqué s'il a réglé la question ; la clôture au 1er niveau des demandes porte sur les "
    "demandes clôturées, dont beaucoup sont nées ailleurs (agences, gardiens, courrier) et "
    "dont les questions simples réglées au téléphone n'ont jamais fait une demande : les "
    "deux taux ne mesurent pas la même population et diffèrent normalement."
)

left, right = st.columns(2)
with left:
    st.subheader("Engagements par urgence")
    urg = data.request_series(f, "urgency").dropna(subset=["urgency_days"])
    if urg.empty:
        widgets.empty()
    else:
        urg = urg.sort_values("urgency_days")
        urg = urg.assign(urgence=urg["urgency_days"].map(lambda d: f"{int(d)} j"))
        widgets.chart(
            alt.Chart(urg)
            .mark_bar()
            .encode(
                x=alt.X("urgence:N", title="Délai d'engagement", sort=list(urg["urgence"])),
                y=alt.Y("commitment_kept:Q", title="Respectés", axis=alt.Axis(format="%")),
                tooltip=[
                    alt.Tooltip("urgence:N", title="Délai d'engagement"),
                    alt.Tooltip("commitment_kept:Q", format=".1%", title="Respectés"),
                    alt.Tooltip("requests:Q", format=",", title="Demandes"),
                ],
            )
        )
        widgets.downloads(urg, "engagements_par_urgence", "urgency")
with right:
    st.subheader("Stock à la fin de la période, par ancienneté")
    buckets = v[v.index.str.startswith("backlog_open.")]
    frame = buckets.rename(lambda i: i.split(".", 1)[1] + " j").reset_index()
    frame.columns = ["ancienneté", "demandes"]
    widgets.chart(
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("ancienneté:N", sort=list(frame["ancienneté"]), title="Ancienneté"),
            y=alt.Y("demandes:Q", title="Demandes"),
            tooltip=[
                alt.Tooltip("ancienneté:N", title="Ancienneté"),
                alt.Tooltip("demandes:Q", format=",", title="Demandes"),
            ],
        )
    )
    st.caption(f"{fmt.number(v.get('backlog_open'))} demandes ouvertes au {fmt.day(f.end)}.")
    widgets.downloads(frame, "stock_par_anciennete", "backlog")

st.subheader("Clôture au premier niveau par canal et par catégorie")
by = st.radio(
    "Par",
    ["channel", "category"],
    horizontal=True,
    key="flc_by",
    format_func={"channel": "Canal", "category": "Catégorie"}.get,
    index=widgets.url_index("par", ["channel", "category"]),
)
widgets.keep_in_url("par", by)
flc = data.request_series(f, by)
if not flc.empty:
    widgets.chart(
        alt.Chart(widgets.labelled(flc))
        .mark_bar()
        .encode(
            y=alt.Y(f"{by}:N", title=None, sort="-x"),
            x=alt.X(
                "first_level_closure_requests:Q",
                title="Clôture au 1er niveau",
                axis=alt.Axis(format="%"),
            ),
            tooltip=[
                alt.Tooltip(f"{by}:N", title="Canal" if by == "channel" else "Catégorie"),
                alt.Tooltip(
                    "first_level_closure_requests:Q", format=".1%", title="Clôture au 1er niveau"
                ),
            ],
        )
    )
    widgets.downloads(flc, f"cloture_premier_niveau_par_{by}", "flc")

st.subheader("Demandes en retard ou ouvertes")
late_only = st.toggle(
    "Seulement les demandes en retard (échéance dépassée, sans action)",
    value=st.query_params.get("retard", "oui") == "oui",
    key="late_only",
)
widgets.keep_in_url("retard", "oui" if late_only else "non")
rows = data.open_requests(f, late_only)
if rows.empty:
    widgets.empty("Aucune demande ouverte ou en retard pour ces filtres.")
else:
    shown = widgets.labelled(rows).rename(
        columns={
            "request_id": "N° demande",
            "created": "Créée le",
            "agency": "Agence",
            "channel": "Canal",
            "category": "Catégorie",
            "request_type": "Type",
            "urgency_days": "Urgence (j)",
            "due": "Échéance",
            "first_action": "1re action",
            "status": "Statut",
            "age_days": "Ancienneté (j)",
            "followup_count": "Relances",
        }
    )
    st.dataframe(
        fmt.shown(
            shown.fillna(
                {c: fmt.EMPTY for c in ("Agence", "Canal", "Catégorie", "Type", "Statut")}
            ),
            {"Urgence (j)": "requests", "Ancienneté (j)": "requests", "Relances": "requests"}
            | {"Créée le": "date", "Échéance": "date", "1re action": "date"},
        ),
        hide_index=True,
    )
    st.caption(f"{fmt.number(len(rows))} demandes (5 000 au plus, les plus anciennes d'abord).")
    widgets.downloads(shown, "demandes_en_retard" if late_only else "demandes_ouvertes", "late")
