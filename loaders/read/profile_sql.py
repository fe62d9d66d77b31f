"""Run a profile's SQL: a system's export, as read, becomes our source's layout.

The export's records are registered, as an Arrow table named ``export`` (every column
text, under the export's own header or the profile's field names, plus ``_line``, the
record's physical line), in a fresh in-memory DuckDB; then external access is switched
off and the configuration locked (``stack-notes.md``), so the profile's ``SELECT`` reaches
nothing but the export: no file, no network, no warehouse. The session's time zone is the
profile's, so a timestamp written without an offset is read in the system's zone.

The ``SELECT`` returns our source's columns (any it lacks are empty) and ``_line``; it may
group records (call legs, one-event-per-line logs) and say in ``_records`` how many
records each row stands for. Its values are written the way our own layout writes them
(dates ``dd/mm/yyyy hh:mm:ss`` in Paris time, durations in seconds) for staging to type
and check like any other file: a value the SQL passes on as text that staging cannot read
sends its row to the quarantine with the usual reason.

The run is bounded in time: a profile whose SQL runs past :data:`SQL_SECONDS` is stopped
and named, and the file rejected.
"""

from __future__ import annotations

import threading

import pandas as pd
import pyarrow as pa

from loaders.frame import LINE, RAW
from loaders.read.profile import Profile
from loaders.read.profile_terms import LINE_OUT, RECORDS_OUT, first_line
from loaders.sources import SOURCES
from warehouse.french import number

PARIS = "Europe/Paris"
OUT_FORMAT = "%d/%m/%Y %H:%M:%S"
SQL_SECONDS = 120  # a profile's SQL stopped after this long
MEMORY = "2GB"  # a profile's SQL may use this much


class ProfileFailed(Exception):
    """The profile cannot read this file: the message says why, in French."""


def run_profile(frame: pd.DataFrame, profile: Profile) -> tuple[pd.DataFrame, int, int, list[str]]:
    """(our layout, records left out, records grouped into others, notes for the report)."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        _sandbox(con, _table(frame, profile), profile)
        out = _run(con, profile)
    finally:
        con.close()
    return _accounted(out, frame, profile)


def _table(frame: pd.DataFrame, profile: Profile) -> pa.Table:
    columns = {
        name: pa.array(frame[name].astype("str"), type=pa.string())
        for name in frame.columns
        if name not in (LINE, RAW)
    }
    for name in profile.optional:
        if name.lower() not in {c.lower() for c in columns}:
            columns[name] = pa.nulls(len(frame), type=pa.string())
    columns[LINE_OUT] = pa.array(frame[LINE].to_numpy(), type=pa.int64())
    return pa.table(columns)


# Helpers a profile's SQL may call, besides DuckDB's own functions:
# - as_time(text, format): a date-time written with a strptime format (or 'iso'), in the
#   profile's zone unless it carries an offset, as our layout writes it; the text itself
#   when it cannot be read (staging then quarantines the row, showing the value);
# - secs(text): seconds from 'hh:mm:ss', 'mm:ss' or a number (decimal comma or point);
#   NULL when empty or unreadable.
MACROS = (
    f"""CREATE MACRO as_time(t, f) AS CASE
        WHEN t IS NULL OR trim(t) = '' THEN NULL
        ELSE coalesce(strftime(timezone('{PARIS}', CASE WHEN f = 'iso'
            THEN try_cast(trim(t) AS TIMESTAMPTZ)
            ELSE CAST(try_strptime(trim(t), f) AS TIMESTAMPTZ) END), '{OUT_FORMAT}'), trim(t))
        END""",
    """CREATE MACRO secs(t) AS CASE
        WHEN t IS NULL OR trim(t) = '' THEN NULL
        WHEN contains(t, ':') THEN list_reduce(
            list_transform(string_split(trim(t), ':'), lambda x: try_cast(replace(x, ',', '.') AS DOUBLE)),
            lambda a, b: a * 60 + b)
        ELSE try_cast(replace(trim(t), ',', '.') AS DOUBLE)
        END""",
)


def _sandbox(con, table: pa.Table, profile: Profile) -> None:
    """The export registered, the helpers defined, then everything else shut."""
    con.register("export", table)
    for macro in MACROS:
        con.execute(macro)
    con.execute(f"SET TimeZone = '{profile.timezone}'")  # checked against zoneinfo at load
    con.execute(f"SET memory_limit = '{MEMORY}'")
    con.execute("SET threads = 2")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def _run(con, profile: Profile) -> pa.Table:
    import duckdb

    timer = threading.Timer(SQL_SECONDS, con.interrupt)
    timer.start()
    try:
        described = con.execute(f"DESCRIBE ({profile.select})").fetchall()  # noqa: S608
        types = {row[0]: row[1] for row in described}
        _check_columns(types, profile)
        written = ", ".join(_written(name, kind) for name, kind in types.items())
        return con.sql(f"SELECT {written} FROM ({profile.select})").to_arrow_table()  # noqa: S608
    except duckdb.InterruptException as exc:
        raise ProfileFailed(
            f"le profil « {profile.name} » a dépassé {SQL_SECONDS} s et a été arrêté : "
            "sa requête SQL est trop lourde pour ce fichier"
        ) from exc
    except duckdb.Error as exc:
        raise ProfileFailed(
            f"le profil « {profile.name} » ne peut pas lire ce fichier : {_explained(exc)}"
        ) from exc
    finally:
        timer.cancel()


def _explained(exc: Exception) -> str:
    text = first_line(exc)
    if "Referenced column" in text and "not found" in text:
        column = text.split('"')[1] if '"' in text else "?"
        return f"colonne « {column} » absente du fichier ({text})"
    return text


def _check_columns(types: dict[str, str], profile: Profile) -> None:
    ours = {c.name for c in SOURCES[profile.source].columns}
    unknown = [c for c in types if c not in ours | {LINE_OUT, RECORDS_OUT}]
    if unknown:
        raise ProfileFailed(
            f"le profil « {profile.name} » produit des colonnes inconnues de la source "
            f"« {profile.source} » : {', '.join(unknown)}"
        )
    if LINE_OUT not in types:
        raise ProfileFailed(
            f"le profil « {profile.name} » ne donne pas « _line », le numéro de ligne du fichier"
        )
    required = [
        c.name
        for c in SOURCES[profile.source].columns
        if c.required and c.name not in types and c.name not in profile.cannot
    ]
    if required:
        raise ProfileFailed(
            f"le profil « {profile.name} » ne donne pas les colonnes obligatoires : "
            f"{', '.join(required)}"
        )


def _written(name: str, kind: str) -> str:
    """The SQL writing one output column as our layout's text ('' for NULL)."""
    column = f'"{name}"'
    if name in (LINE_OUT, RECORDS_OUT):
        return f"CAST({column} AS BIGINT) AS {column}"
    if kind.startswith("TIMESTAMP WITH TIME ZONE"):
        text = f"strftime(timezone('{PARIS}', {column}), '{OUT_FORMAT}')"
    elif kind.startswith("TIMESTAMP"):  # written without an offset: the profile's zone
        text = f"strftime(timezone('{PARIS}', CAST({column} AS TIMESTAMPTZ)), '{OUT_FORMAT}')"
    elif kind == "DATE":
        text = f"strftime({column}, '%d/%m/%Y')"
    elif kind == "INTERVAL":
        text = f"CAST(round(epoch({column}), 3) AS VARCHAR)"
    elif kind == "BOOLEAN":
        text = f"CASE WHEN {column} THEN 'oui' WHEN NOT {column} THEN 'non' END"
    elif kind in ("DOUBLE", "FLOAT") or kind.startswith("DECIMAL"):
        text = f"CAST(round(CAST({column} AS DOUBLE), 3) AS VARCHAR)"
    else:
        text = f"trim(CAST({column} AS VARCHAR))"
    return f"coalesce({text}, '') AS {column}"


def _accounted(
    out: pa.Table, frame: pd.DataFrame, profile: Profile
) -> tuple[pd.DataFrame, int, int, list[str]]:
    """Our layout with each row's line and raw text, and what the SQL left out or grouped."""
    lines = out.column(LINE_OUT).to_numpy(zero_copy_only=False)
    raws = pd.Series(frame[RAW].to_numpy(), index=frame[LINE].to_numpy())
    known = pd.Index(frame[LINE].to_numpy())
    if pd.isna(lines).any() or not pd.Index(lines).isin(known).all():
        raise ProfileFailed(
            f"le profil « {profile.name} » donne des numéros de ligne (_line) qui ne sont pas "
            "ceux du fichier"
        )
    if pd.Index(lines).has_duplicates:
        raise ProfileFailed(
            f"le profil « {profile.name} » donne plusieurs lignes avec le même _line : "
            "une ligne regroupée porte le _line de son premier enregistrement (min(_line))"
        )
    records = (
        out.column(RECORDS_OUT).to_numpy(zero_copy_only=False)
        if RECORDS_OUT in out.column_names
        else None
    )
    stood_for = int(records.sum()) if records is not None else len(lines)
    grouped = stood_for - len(lines)
    left_out = len(frame) - stood_for
    if left_out < 0 or grouped < 0:
        raise ProfileFailed(
            f"le profil « {profile.name} » compte plus d'enregistrements (_records) que le "
            "fichier n'en a"
        )
    result = pd.DataFrame(index=pd.RangeIndex(len(lines)))
    names = set(out.column_names)
    for col in SOURCES[profile.source].columns:
        values = out.column(col.name) if col.name in names else pa.nulls(len(lines), pa.string())
        result[col.name] = pd.array(values.fill_null(""), dtype="str")
    result[LINE] = pd.array(lines, dtype="int64")
    result[RAW] = raws.loc[lines].to_numpy()
    result = result.sort_values(LINE, kind="stable").reset_index(drop=True)
    return result, left_out, grouped, _notes(profile, left_out, grouped)


def _notes(profile: Profile, left_out: int, grouped: int) -> list[str]:
    notes = []
    if left_out:
        why = profile.left_out or "le profil ne les retient pas"
        notes.append(f"{_records(left_out)} laissé{'s' * (left_out > 1)} de côté : {why}")
    if grouped:
        why = profile.grouped or "plusieurs enregistrements d'un même appel"
        notes.append(
            f"{_records(grouped)} regroupé{'s' * (grouped > 1)} avec {'celui' if grouped == 1 else 'ceux'} "
            f"qu'il{'s' * (grouped > 1)} complète{'nt' * (grouped > 1)} : {why}"
        )
    for column, why in profile.cannot.items():
        notes.append(f"profil « {profile.name} » : « {column} » non mesuré par cet export : {why}")
    return notes


def _records(n: int) -> str:
    return f"{number(n)} enregistrement{'s' * (n > 1)}"
