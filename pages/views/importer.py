"""Importer: upload exports, see how each will be read, import them, read the report.

Roles Direction and Analyste only. The preview and the import run in processes of their
own (``pages/jobs.py``); the dashboard's figures are refreshed afterwards.
"""

import pandas as pd
import streamlit as st

from pages import data, fmt, jobs, state, widgets

ROLES = ("direction", "analyste")
STATUS = {
    "loaded": "importé",
    "rejected": "rejeté",
    "failed": "échec, rien importé",
    "already_loaded": "déjà importé, rien n'a changé",
}

st.title("Importer des fichiers")
if state.access().role not in ROLES:
    st.error("L'import est réservé aux rôles Direction et Analyste.")
    st.stop()
st.write(
    "Exports .csv, .txt, .log (ou sans extension) et .xlsx : notre format, ou celui d'un "
    "système reconnu (Genesys Cloud, Aircall, 3CX, Avaya IP Office, Microsoft Teams, "
    "Asterisk, Wazo, Talkdesk, Zendesk, ou un profil ajouté par l'organisme). Un fichier "
    "déjà importé à l'identique ne change rien."
)
jobs.prepare()  # a loaders process warms up for the import while the user chooses files
# Streamlit's drop zone speaks English (« Drag and drop files here », « Upload », « Limit
# 200MB per file ») and cannot be told otherwise: what it says, in French, above it.
st.caption(
    "Glissez les fichiers sur la zone ci-dessous, ou cliquez son bouton « Upload » pour "
    f"les choisir ; {fmt.number(st.get_option('server.maxUploadSize'))} Mo au plus par "
    "fichier."
)
uploaded = st.file_uploader(
    "Fichiers à importer",
    type=None,  # .log, no extension...: as systems name their files; the loaders judge
    accept_multiple_files=True,
    key="import_files",
)
if not uploaded:
    widgets.empty("Déposez un ou plusieurs fichiers pour voir comment ils seront lus.")
    st.stop()

# The uploads stay in the session's memory (Streamlit's uploader); they are written to a
# private temporary folder only for the time a loaders process reads them (pages/jobs.py).
names = jobs.distinct_names([f.name for f in uploaded])
uploads = [(name, f.getvalue()) for name, f in zip(names, uploaded, strict=True)]

# Kept in the session, never in the shared cache: a preview shows another user's data.
seen = [(f.name, f.file_id) for f in uploaded]
if st.session_state.get("import_seen") != seen:
    try:
        with st.spinner("Lecture des fichiers…"):
            st.session_state["import_previews"] = jobs.preview(uploads)
    except jobs.JobFailed as error:
        st.error(f"Lecture des fichiers impossible : {fmt.md(str(error))}")
        st.stop()
    st.session_state["import_seen"] = seen
previews = st.session_state["import_previews"]


def _shown(result: dict) -> pd.DataFrame:
    frame = pd.DataFrame(result["rows"], columns=result["columns"])
    for column in frame.columns:
        stamps = pd.to_datetime(frame[column], format="ISO8601", errors="coerce")
        if frame[column].notna().any() and stamps.notna().sum() == frame[column].notna().sum():
            frame[column] = stamps.dt.strftime("%d/%m/%Y %H:%M:%S").str.replace(" 00:00:00", "")
    return frame.astype(object).where(frame.notna(), fmt.EMPTY)


def _profile_counts(report: dict) -> None:
    """The records a system's profile left out or grouped: beside the rows, never in them."""
    left_out, grouped = report.get("rows_left_out", 0), report.get("rows_grouped", 0)
    if left_out or grouped:
        st.write(
            f"Hors compte : {fmt.number(left_out)} enregistrement(s) laissé(s) de côté par le "
            f"profil, {fmt.number(grouped)} regroupé(s) avec l'appel qu'ils continuent."
        )


CHECK_COLUMNS = {
    "date": "Jour",
    "offered": "Présentés",
    "answered": "Décrochés",
    "abandoned": "Abandonnés",
    "voicemail": "Messagerie",
    "unknown": "Issue non mesurée",
}


def _calls_check(report: dict) -> None:
    """Per day and per hour, the calls as the warehouse now counts them: the IT person
    compares a day with the telephony system's own dashboard (a wrong time zone shows at
    once in the hours)."""
    days = report.get("calls_per_day") or []
    if not days:
        return
    st.write("**À comparer avec le tableau de bord du système téléphonique** (appels par jour) :")
    table = pd.DataFrame(days, columns=list(CHECK_COLUMNS))
    table["date"] = pd.to_datetime(table["date"]).dt.strftime("%d/%m/%Y")
    st.dataframe(table.rename(columns=CHECK_COLUMNS), hide_index=True)
    hours = ", ".join(
        f"{h['hour']} h : {fmt.number(h['offered'])}" for h in report.get("calls_per_hour", [])
    )
    if hours:
        st.write(f"Appels présentés par heure (heure de Paris) : {hours}.")


ready = 0
for result in previews:
    st.subheader(fmt.md(result["file"]))
    if result["status"] != "ok":
        st.error(f"Ne sera pas importé : {fmt.md(result['message'])}")
        continue
    ready += 1
    read_as = result["profile_label"] or "notre format"
    st.write(f"**Source** : {fmt.md(result['source_label'])} · **lu comme** : {fmt.md(read_as)}")
    for note in result["notes"]:
        st.caption(fmt.md(note))
    if result["ignored_columns"]:
        st.caption("Colonnes ignorées : " + fmt.md(", ".join(result["ignored_columns"])))
    st.dataframe(_shown(result), hide_index=True)
    problems = pd.DataFrame(result["problems"], columns=["line", "column", "reason"])
    if problems.empty:
        st.success(f"Aucun problème dans les {fmt.number(len(result['rows']))} premières lignes.")
    else:
        st.warning(f"{fmt.number(len(problems))} problème(s) dans les premières lignes :")
        st.dataframe(
            problems.rename(
                columns={"line": "Ligne", "column": "Colonne", "reason": "Problème"}
            ).fillna(fmt.EMPTY),
            hide_index=True,
        )

demo = data.is_demo()
if demo and ready:  # said before the click, not after it (the loaders refuse it too)
    st.info(
        "Import désactivé : ce tableau de bord montre l'entrepôt de démonstration, dont les "
        "chiffres sont inventés ; vos fichiers s'y mêleraient. L'aperçu ci-dessus montre "
        "comment ils seront lus. Pour les importer, le service informatique relie le tableau "
        "de bord à l'entrepôt de l'organisme (guide d'installation, réglage WAREHOUSE_URL)."
    )
if st.button(
    f"Importer {fmt.number(ready)} fichier(s)",
    type="primary",
    disabled=not ready or demo,
    key="run_import",
):
    with st.status("Import en cours…", expanded=True) as status:
        reports, ended = [], {}
        for event in jobs.run_import(uploads):
            if "exit_code" in event:
                ended = event
                continue
            reports.append(event)
            st.write(
                f"{fmt.md(event['file'])} : {fmt.md(STATUS.get(event['status'], event['status']))}"
            )
        missing = [n for n in names if n not in {r["file"] for r in reports}]
        failed = any(r["status"] in ("rejected", "failed") for r in reports)
        if missing:  # the process stopped before these files: nothing of them is imported
            status.update(label="Import interrompu", state="error")
        else:
            status.update(
                label="Import terminé" + (" avec des fichiers rejetés" if failed else ""),
                state="error" if failed else "complete",
            )
    st.cache_data.clear()  # every page reads the new state
    order = {name: i for i, name in enumerate(names)}  # the reports in the order dropped
    st.session_state["import_reports"] = sorted(reports, key=lambda r: order.get(r["file"], 0))
    st.session_state["import_stopped"] = (
        {"files": missing, "error": ended.get("error") or "arrêt sans message"} if missing else None
    )

stopped = st.session_state.get("import_stopped")
if stopped:
    st.error(
        f"Import interrompu, {fmt.number(len(stopped['files']))} fichier(s) non importé(s) "
        f"({fmt.md(', '.join(stopped['files']))}) : {fmt.md(stopped['error'])}. Les fichiers "
        "déposés restent ci-dessus : relancez l'import quand la cause est levée."
    )

for report in st.session_state.get("import_reports", []):
    st.subheader(f"Rapport : {fmt.md(report['file'])}")
    st.write(f"**{fmt.md(STATUS.get(report['status'], report['status']))}**")
    if report.get("message"):
        st.write(fmt.md(report["message"]))
    if report["status"] == "loaded":
        cols = st.columns(4)
        cols[0].metric("Lignes lues", fmt.number(report["rows_read"]))
        cols[1].metric("Chargées", fmt.number(report["rows_loaded"]))
        cols[2].metric("Doublons ou déjà à jour", fmt.number(report["rows_duplicate"]))
        cols[3].metric("En quarantaine", fmt.number(report["rows_quarantined"]))
        _profile_counts(report)
        _calls_check(report)
    for line in report.get("notes", []) + report.get("reasons", []):
        st.caption(fmt.md(line))
    if report.get("rows_quarantined"):
        st.page_link(
            "pages/views/qualite.py", label="Voir la quarantaine", icon=":material/fact_check:"
        )
