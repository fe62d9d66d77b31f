"""Downloads an analyst can use: French headers, codes by their labels, values rounded to
what they mean, CSV for French Excel and XLSX with number formats, file names that say
the period and the filters, and never a live formula."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd

from warehouse import french as fmt
from warehouse.kpis.catalogue import BY_ID, UNITS, label
from warehouse.model.catalog import DEMO_MARK

# Headers of the columns that are not KPIs (those take their catalogue label).
HEADERS = {
    "year": "Année",
    "month": "Mois",
    "week": "Semaine",
    "day": "Jour",
    "weekday": "Jour de la semaine",
    "slot": "Créneau",
    "queue": "File",
    "channel": "Canal",
    "category": "Catégorie",
    "agency": "Agence",
    "lost_calls": "Appels perdus",
    "identified_calls": "Appels présentés identifiés",
    "identified_calls_per_dwelling_month": "Appels identifiés par logement et par mois",
    "outbound_calls": "Appels sortants",
    "requests": "Demandes",
    "complaints": "Réclamations",
    "total": "Réclamations, tous canaux",
    "share": "Part",
    "requests_closed_level1": "Demandes clôturées au 1er niveau",
    "contacts": "Contacts",
    "urgency_days": "Délai d'engagement (jours)",
    "nature": "Nature",
    "eur_par_logement_an": "€ par logement et par an",
    "montant_eur": "Montant (€)",
    "offered": "Appels présentés (moyenne)",
    "handle_s": "Durée de traitement (s)",
    "required": "Conseillers nécessaires",
    "service_level": "Niveau de service",
    "occupancy": "Taux d'occupation",
    "scheduled": "Conseillers à planifier",
    "staffed": "Conseillers présents",
    "gap": "Écart (conseillers)",
    "answered": "Appels traités",
    "calls_per_advisor": "Appels par conseiller",
    "advisors_at_ceiling": "Conseillers au plafond de 70 appels",
    "dwelling_months": "Logements-mois",
    "part": "Part",
    "request_type": "Type",
    "status": "Statut",
    "request_id": "Demande",
    "created": "Créée le",
    "due": "Échéance",
    "first_action": "1re action",
    "age_days": "Ancienneté (j)",
    "followup_count": "Relances",
    "ancienneté": "Ancienneté",  # the backlog by age (Demandes page)
    "demandes": "Demandes",
    # satisfaction rows: weighted answers, never « answered » (the calls' word)
    "kept": "Engagement",
    "theme": "Thème",
    "satisfied": "Réponses satisfaites (pondérées)",
    "answers": "Réponses (pondérées)",
    "respondents": "Répondants",
    "rate": "Satisfaits",
    # a table of KPIs (``kpi_table``)
    "id": "Identifiant",
    "label": "Indicateur",
    "value": "Valeur",
    "unit": "Unité",
    "reference": "Référence",
    "note": "Note",
    "motif_family": "Famille de motif (code)",
    "family_label": "Famille de motif",
    "motif": "Motif",
    "handle_time_s": "Durée de conversation (s)",
    "handle_time_share": "Part de la durée de conversation",
    "cumulative_share": "Part cumulée",
    "followups": "Relances",
    "declared_followups": "Relances déclarées (export des demandes)",
    "chase_calls": "Appels de relance",
    "failure": "Appels évitables",
    "iso_week": "Semaine (ISO, du lundi au dimanche)",
    "failure_share": "Part évitable",
}
# Chart-only label columns: the export labels the code column itself.
CHART_LABELS = {"canal", "jour", "créneau", "urgence", "période", "début", "fin", "étiquette"}
RATIOS = {
    "share",
    "service_level",
    "occupancy",
    "part",
    "rate",
    "handle_time_share",
    "cumulative_share",
    "failure_share",
}
# XLSX number formats by unit (a count: thousands grouped, no decimal).
NUMBER_FORMATS = {
    "ratio": "0.0%",
    "eur": "#,##0.00",
    "seconds": "#,##0",
    "days": "0.0",
    "decimal": "#,##0.00",
    "count": "#,##0",
    "calls": "#,##0",
    "requests": "#,##0",
}
# Coded values of the request tables, by their French labels.
CODES = {
    "request_type": {"reclamation": "Réclamation", "renseignement": "Renseignement"},
    "status": {
        "ouverte": "Ouverte",
        "en cours": "En cours",
        "cloturee": "Clôturée",
        "annulee": "Annulée",
    },
}
WHOLE = {"seconds": 0, "eur": 2, "days": 1}


def for_people(
    frame: pd.DataFrame, refs: dict[str, pd.DataFrame], units: dict[str, str] | None = None
) -> pd.DataFrame:
    """The table as a person reads it. ``refs``: the channels and categories lists;
    ``units``: the unit of columns that are neither KPIs nor known (``ratio`` for a
    column of shares named after a theme). The units go with the table (``attrs``) to
    the XLSX, which formats each number by them; a table of KPIs (``kpi_table``) has one
    unit per row."""
    out = frame.drop(columns=[c for c in frame.columns if c in CHART_LABELS and c != "canal"])
    if "canal" in out and "channel" in out:
        out = out.drop(columns="canal")
    out = labelled(out, refs)
    row_units = list(out["unit"]) if {"value", "unit"} <= set(out.columns) else None
    given = units or {}
    found = {c: given.get(c) or _unit(c) for c in out.columns}
    for column in out.columns:
        if column == "value" and row_units is not None:
            rounded = [_round_one(v, u) for v, u in zip(out[column], row_units, strict=True)]
            out[column] = pd.Series(rounded, index=out.index, dtype=object)  # 3 stays 3
        else:
            out[column] = _rounded(column, out[column], found[column])
    if row_units is not None:
        out["unit"] = [UNITS.get(u, u) for u in row_units]
    out = out.rename(columns={c: column_header(c) for c in out.columns})
    out.attrs["units"] = {column_header(c): u for c, u in found.items() if u}
    if row_units is not None:
        out.attrs["row_units"] = {column_header("value"): row_units}
    return out


def kpi_table(values: list[dict]) -> pd.DataFrame:
    """A table of KPI values (``KpiValue.as_dict()``) as an export holds it: the label of
    each variant, the number as a number, its unit, the reference and the note; a KPI
    without a value is kept when the note says why it is not measured."""
    columns = ["label", "value", "unit", "reference", "note"]
    kept = [v for v in values if v["value"] is not None or str(v["note"]).startswith("non mesuré")]
    return pd.DataFrame(kept, columns=columns).astype({"value": "float64"})


def _unit(column: str) -> str | None:
    kpi = BY_ID.get(column.split(".", 1)[0])
    return kpi.unit if kpi else ("ratio" if column in RATIOS else None)


def _round_one(value, unit: str):
    if value is None or pd.isna(value):
        return None
    if unit == "ratio":
        return round(float(value), 4)
    if unit in WHOLE:
        return round(float(value), WHOLE[unit]) if WHOLE[unit] else int(round(float(value)))
    return int(value) if float(value).is_integer() else round(float(value), 2)


def labelled(frame: pd.DataFrame, refs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every coded column by its French label (channel, category, weekday, half-hour, ISO
    week, request type and status); the column names stay."""
    out = frame.copy()
    channels, categories = refs["channels"], refs["categories"]
    labels = {
        "channel": dict(zip(channels["channel_code"], channels["channel_label"], strict=True)),
        "category": dict(
            zip(categories["category_code"], categories["category_label"], strict=True)
        ),
        "weekday": {i + 1: d for i, d in enumerate(fmt.DAYS_LONG)},
        "iso_week": {w: fmt.week(w) for w in out["iso_week"].dropna().unique()}
        if "iso_week" in out
        else {},
        "slot": {s: f"{s // 2:02d}:{30 * (s % 2):02d}" for s in range(48)},
    } | CODES
    for column, mapping in labels.items():
        if column in out:
            out[column] = out[column].map(lambda v, m=mapping: m.get(v, v))
    return out


def column_header(column: str) -> str:
    """A column's French header: its own, or the catalogue's label of the KPI variant."""
    if column in HEADERS:
        return HEADERS[column]
    return label(column) if column.split(".", 1)[0] in BY_ID else column


def _rounded(column: str, values: pd.Series, unit: str | None = None) -> pd.Series:
    if not pd.api.types.is_float_dtype(values):
        return values
    unit = unit or _unit(column) or ""
    if unit == "ratio":
        return values.round(4)
    if unit in WHOLE:
        return values.round(WHOLE[unit])
    whole = values.dropna()
    if len(whole) and (whole == whole.round()).all():
        return values.round().astype("Int64")  # a count that came out as a float
    return values.round(2)


def file_name(name: str, filters) -> str:
    """``appels_par_mois_2025_AG02``: the table, the period, the chosen agencies."""
    if filters is None:
        return name
    start, end = filters.start, filters.end
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        period = f"{start.year}"
    elif start.day == 1 and (start.year, start.month) == (end.year, end.month) and _last_day(end):
        period = f"{start:%Y-%m}"
    else:
        period = f"{start:%Y-%m-%d}_{end:%Y-%m-%d}"
    name = "_".join(_FRENCH_WORDS.get(word, word) for word in name.split("_"))
    parts = [name, period, *filters.agencies, *filters.channels, *filters.categories]
    return "_".join(p.replace(" ", "-") for p in parts)


# Grains and groupings named in code, as the file names say them.
_FRENCH_WORDS = {
    "day": "jour",
    "week": "semaine",
    "month": "mois",
    "year": "annee",
    "channel": "canal",
    "category": "categorie",
    "agency": "agence",
}


def _last_day(day: date) -> bool:
    return (day + pd.Timedelta(days=1)).day == 1


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+…``, ``@…``)
    prefixed with an apostrophe, as OWASP advises against CSV injection; numbers stay."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype("object")
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START))
            out[column] = text.where(~risky, "'" + text.astype(str))
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for French Excel: ``;``, decimal comma (in a column of mixed units too), UTF-8
    with BOM, no live formula."""
    out = inert(frame)
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(
                lambda v: str(v).replace(".", ",") if isinstance(v, float) else v
            )
    return out.to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "données") -> bytes:
    """XLSX where every text is a text (never a formula, never a link), numbers are
    numbers with French-readable formats (percent for shares), columns wide enough."""
    buffer = io.BytesIO()
    with xlsx_writer(buffer) as writer:
        write_sheet(writer, frame, sheet)
    return buffer.getvalue()


def xlsx_writer(target) -> pd.ExcelWriter:
    """A workbook writer that never turns a text into a formula or a link."""
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    return pd.ExcelWriter(target, engine="xlsxwriter", engine_kwargs={"options": options})


def write_sheet(writer: pd.ExcelWriter, frame: pd.DataFrame, sheet: str) -> None:
    """One sheet of ``frame``: numbers formatted by their unit (``for_people`` gives them:
    percent for shares, per row in a table of KPIs), columns sized."""
    frame.to_excel(writer, index=False, sheet_name=sheet[:31])
    book, page = writer.book, writer.sheets[sheet[:31]]
    formats = {u: book.add_format({"num_format": f}) for u, f in NUMBER_FORMATS.items()}
    units = frame.attrs.get("units", {})
    row_units = frame.attrs.get("row_units", {})
    for i, column in enumerate(frame.columns):
        values = frame[column]
        style = None
        if column in row_units:  # one unit per row: each cell its own format
            for row, (value, unit) in enumerate(zip(values, row_units[column], strict=True), 1):
                if value is not None and not pd.isna(value):
                    page.write_number(row, i, value, formats.get(unit, formats["decimal"]))
        elif pd.api.types.is_integer_dtype(values):
            style = formats["count"]
        elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            unit = units.get(column)
            if unit is None and values.dropna().between(0, 1).all() and _is_share(column):
                unit = "ratio"
            style = formats.get(unit or "decimal", formats["decimal"])
        width = max(len(str(column)), *(len(str(v)) for v in values.head(200)), 8) + 2
        page.set_column(i, i, min(width, 60), style)


def _is_share(header: str) -> bool:
    shares = {k.label for k in BY_ID.values() if k.unit == "ratio"}
    return header in shares or header in {HEADERS[c] for c in RATIOS}


def demo_marked(frame: pd.DataFrame) -> pd.DataFrame:
    """A demo warehouse's table: a first column says on every row that it is invented."""
    return frame.assign(**{DEMO_MARK: "oui"})[[DEMO_MARK, *frame.columns]]
