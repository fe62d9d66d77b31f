"""Import one file: read, type, validate, quarantine, merge, record; all in one transaction."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, delete

from loaders import quarantine, shape
from loaders.pseudonym import KeyRefused, check_key
from loaders.read import LINE, RAW, FileRejected, open_export
from loaders.report import ImportReport
from loaders.stage import type_chunk
from warehouse.aggregates import refresh_after_calls, refresh_call_days
from warehouse.bulk import copy_frame
from warehouse.loads import (
    create_staging,
    drop_staging,
    next_load_id,
    previous_load,
    record_load,
    record_quarantine,
)
from warehouse.merge_dims import merge_agencies, merge_dwellings
from warehouse.merge_facts import merge_calls, merge_contacts, merge_costs, merge_staffing
from warehouse.merge_requests import merge_requests, refresh_dwelling_months
from warehouse.merge_survey import (
    merge_answers,
    merge_events,
    merge_questions,
    merge_references,
)
from warehouse.meta import lock_for_writing, refresh_statistics
from warehouse.repeats import refresh_previous_calls
from warehouse.schema import (
    agg_call_kept,
    dim_agency,
    dim_dwelling,
    dim_queue,
    fact_call,
    fact_contact,
    fact_dwelling_month,
    fact_request,
    fact_survey_answer,
)

# Reference data first, so that facts find their dimension members.
SOURCE_ORDER = [
    "agences",
    "logements",
    "questionnaire",
    "references_satisfaction",
    "evenements",
    "appels",
    "registres",
    "demandes",
    "couts",
    "effectifs",
    "enquetes",
]


# The large tables each source's merge writes, and those refreshed from them after it,
# whose statistics PostgreSQL's planner needs fresh: the merged ones before the refreshes
# read them, the refreshed ones before the commit.
WRITTEN = {
    "appels": (fact_call, dim_dwelling, dim_queue),
    "registres": (fact_contact, dim_dwelling),
    "demandes": (fact_request, dim_dwelling),
    "logements": (dim_dwelling,),
    "agences": (dim_agency,),
    "enquetes": (fact_survey_answer,),
}
REFRESHED = {"appels": (agg_call_kept,), "logements": (fact_dwelling_month, agg_call_kept)}


def _merge(source: str, conn, load_id: int) -> tuple[int, int]:
    """Run the source's merge; returns (inserted, updated)."""
    if source == "appels":
        return merge_calls(conn, load_id), 0
    if source == "registres":
        return merge_contacts(conn, load_id), 0
    if source == "enquetes":
        return merge_answers(conn, load_id), 0
    if source == "questionnaire":
        return merge_questions(conn)
    if source == "references_satisfaction":
        return merge_references(conn, load_id)
    if source == "evenements":
        return merge_events(conn, load_id)
    merge = {
        "demandes": lambda: merge_requests(conn, load_id),
        "agences": lambda: merge_agencies(conn),
        "logements": lambda: merge_dwellings(conn),
        "couts": lambda: merge_costs(conn, load_id),
        "effectifs": lambda: merge_staffing(conn, load_id),
    }[source]
    return merge()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def import_file(
    engine: Engine,
    path: Path | str,
    source: str | None = None,
    *,
    chunk_size: int | None = None,
    progress=None,
    profile: str | None = None,
) -> ImportReport:
    """Import ``path`` into the warehouse; never raises for bad data, only reports it.

    ``progress``, if given, is called with the number of rows read after each chunk.
    """
    path = Path(path)
    started = datetime.now()
    report = ImportReport(file=path.name, status="loaded")
    try:
        sha = file_sha256(path) if path.is_file() else ""
        export = open_export(path, source, profile)
    except FileRejected as exc:
        report.status, report.message = "rejected", str(exc)
        _record_failure(engine, path, sha, None, report, started)
        return report
    report.source, report.ignored_columns = export.source.name, export.ignored
    report.profile = export.profile.name if export.profile else None
    report.notes = list(export.notes)
    try:
        with engine.begin() as conn:
            lock_for_writing(conn)  # one import at a time per warehouse
            previous = previous_load(conn, sha)
            if previous:
                report.status, report.load_id = "already_loaded", previous["load_id"]
                report.message = (
                    f"contenu identique déjà importé (chargement n° {previous['load_id']} du "
                    f"{previous['finished_at']:%d/%m/%Y %H:%M}) : rien n'a changé"
                )
                return report
            check_key(conn)
            report.load_id = next_load_id(conn)
            _load_chunks(conn, export, report, chunk_size, progress)
            refresh_statistics(conn, WRITTEN.get(report.source, ()))
            if report.source == "logements":
                refresh_dwelling_months(conn)
                refresh_call_days(conn)  # a dwelling's agency is its calls' agency
            if report.source == "appels":
                refresh_previous_calls(conn, report.load_id)
                refresh_after_calls(conn, report.load_id)
            refresh_statistics(conn, REFRESHED.get(report.source, ()))
            record_load(conn, report.load_id, **_history(path, sha, report, started))
    except KeyRefused as exc:
        report.status, report.message = "rejected", str(exc)
        _record_failure(engine, path, sha, report.source, report, started)
    except Exception as exc:
        # The transaction rolled back: nothing of this file is in the warehouse.
        report.status = "failed"
        report.message = (
            f"échec du chargement, rien n'a été importé : {exc.__class__.__name__} : {exc}"
        )
        _record_failure(engine, path, sha, report.source, report, started)
    return report


def _load_chunks(conn, export, report: ImportReport, chunk_size: int | None, progress) -> None:
    """Read, type, check and stage the file chunk by chunk, then merge it once: a key
    spread over several chunks (the lines of one month's costs, a request's rows) is
    merged as the whole file has it."""
    source = export.source
    stg = create_staging(conn, source.name)
    state: dict = {}
    quarantined = staged_rows = 0
    costs: list[pd.DataFrame] = []
    for chunk, typed, issues in _typed_ahead(export.chunks(chunk_size), source):
        report.rows_blank += chunk.blank
        report.notes += chunk.notes
        report.rows_read += len(chunk.frame) + len(chunk.malformed)
        bad = pd.DataFrame(issues, columns=["line", "column_name", "reason"])
        entries = quarantine.entries(chunk, bad)
        quarantined += _quarantine(conn, report, export, entries, quarantined)
        report.rows_quarantined += len(chunk.malformed) + bad["line"].nunique()

        good = typed.drop(columns=RAW)
        if len(bad):
            good = good[~good[LINE].isin(bad["line"])]
        staged = shape.SHAPERS[source.name](good, state)
        if source.name == "demandes":
            report.note_conflicts(staged, state)
        if source.name == "couts":
            costs.append(staged.assign(**{RAW: typed.loc[staged.index, RAW]}))
        copy_frame(conn, stg, staged)
        # File lines, not staged rows: a respondent is staged once per question.
        staged_rows += staged["line_number"].nunique()
        if progress:
            progress(report.rows_read)
    chunk = typed = good = staged = bad = None  # free the last chunk before the merge
    _release_arrow_memory()
    negative = quarantine.negative_costs(costs)
    if len(negative):
        conn.execute(delete(stg).where(stg.c.line_number.in_(negative["line_number"].tolist())))
        _quarantine(conn, report, export, negative, quarantined)
        report.rows_quarantined += len(negative)
        staged_rows -= len(negative)
    inserted, updated = _merge(source.name, conn, report.load_id)
    report.rows_inserted, report.rows_updated = inserted, updated
    report.rows_duplicate = staged_rows - inserted - updated
    drop_staging(conn, stg)


def _release_arrow_memory() -> None:
    """Give back to the system the memory Arrow's allocator keeps for reuse, before the
    merge: the file read and typed would otherwise stay in the process beside DuckDB's
    merge (at a million calls, 250 MB; the import's peak went from 1,605 to 1,364 MB)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _typed_ahead(chunks, source):
    """(chunk, typed, issues), the next chunk read, typed and checked by the validation
    suite in a thread while this one is quarantined, shaped and staged: Arrow's kernels,
    DuckDB's hashing and copy leave the GIL, so the two overlap on a second core. The
    issues are the unreadable values and the suite's failures."""
    from concurrent.futures import ThreadPoolExecutor

    from loaders.validate import failing_rows

    def next_typed():
        chunk = next(chunks, None)
        if chunk is None:
            return None
        typed, issues = type_chunk(chunk.frame, source)
        unreadable = {(i["line"], i["column_name"]) for i in issues}
        # An unreadable value is also "missing": report the cause, not its echo.
        issues += [
            i
            for i in failing_rows(typed, source)
            if (i["line"], i["column_name"]) not in unreadable
        ]
        return chunk, typed, issues

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="typing") as pool:
        ahead = pool.submit(next_typed)
        while (item := ahead.result()) is not None:
            ahead = pool.submit(next_typed)
            yield item


def _quarantine(conn, report: ImportReport, export, entries: pd.DataFrame, before: int) -> int:
    """Store the entries after the ``before`` already stored; returns how many."""
    entries = entries.assign(file_name=export.path.name)
    record_quarantine(conn, report.load_id, entries, first=before + 1)
    report.add_reasons(entries)
    return len(entries)


def _history(path: Path, sha: str, report: ImportReport, started: datetime) -> dict:
    return {
        "file_name": path.name,
        "file_path": str(path.resolve()),
        "content_sha256": sha,
        "source": report.source,
        "status": report.status,
        "rows_read": report.rows_read,
        "rows_loaded": report.rows_loaded,
        "rows_inserted": report.rows_inserted,
        "rows_updated": report.rows_updated,
        "rows_duplicate": report.rows_duplicate,
        "rows_quarantined": report.rows_quarantined,
        "rows_blank": report.rows_blank,
        "message": report.message or " ; ".join(_profile_said(report) + report.notes) or None,
        "started_at": started,
    }


def _profile_said(report: ImportReport) -> list[str]:
    return [f"lu avec le profil « {report.profile} »"] if report.profile else []


def _record_failure(engine, path, sha, source, report: ImportReport, started) -> None:
    """Keep a trace of a rejected or failed file, with no row counted as loaded."""
    for attr in ("rows_inserted", "rows_updated", "rows_duplicate", "rows_quarantined"):
        setattr(report, attr, 0)
    with engine.begin() as conn:
        report.load_id = next_load_id(conn)
        record_load(conn, report.load_id, **_history(path, sha, report, started))
