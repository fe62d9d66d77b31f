"""Import one file: read, type, validate, quarantine, merge, record; all in one transaction."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, delete, func, select

from loaders import quarantine
from loaders.frame import LINE, RAW
from loaders.mask import mask_phones
from loaders.pseudonym import KeyRefused, check_key
from loaders.read.detect import open_export
from loaders.read.export import FileRejected
from loaders.report import ImportReport
from loaders.stage import type_chunk
from warehouse.engine import engine_file
from warehouse.faults import classify
from warehouse.load.check import call_check
from warehouse.load.history import (
    next_load_id,
    previous_load,
    record_load,
    record_quarantine,
)
from warehouse.load.meta import lock_for_writing, refresh_statistics, set_setting
from warehouse.load.spool import Staging
from warehouse.model.catalog import DEMO_SETTING, is_demo
from warehouse.model.schema import load_history


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
    demo: bool = False,
) -> ImportReport:
    """Import ``path`` into the warehouse; never raises for bad data, only reports it.

    ``progress``, if given, is called with the number of rows read after each chunk.
    ``demo``: a file of the demo build, which marks the warehouse as demo data; only an
    empty warehouse or a demo one takes it, and a demo warehouse takes no other file.
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
            _demo_or_real(conn, demo)
            report.load_id = next_load_id(conn)
            _load_chunks(conn, export, report, chunk_size, progress)
            # PostgreSQL's planner needs fresh statistics of the merged tables before the
            # refreshes read them, and of the refreshed ones before the commit.
            refresh_statistics(conn, export.source.written)
            export.source.after_merge(conn, report.load_id)
            refresh_statistics(conn, export.source.refreshed)
            record_load(conn, report.load_id, **_history(path, sha, report, started))
    except (KeyRefused, FileRejected, DemoMixing) as exc:  # FileRejected: a profile cannot read it
        report.status, report.message = "rejected", str(exc)
        _record_failure(engine, path, sha, report.source, report, started)
    except Exception as exc:
        # The transaction rolled back: nothing of this file is in the warehouse. A fault of
        # the warehouse itself (a full disk, a read-only or damaged file) stops the run.
        # The staged rows wait beside a DuckDB warehouse: a disk they fill is its disk.
        fault = classify(exc, engine_file(engine) or "")
        if fault is not None:
            raise fault from None
        report.status = "failed"
        report.message = (
            f"échec du chargement, rien n'a été importé : {exc.__class__.__name__} : {exc}"
        )
        _record_failure(engine, path, sha, report.source, report, started)
    return report


class DemoMixing(RuntimeError):
    """Real and invented data would share the warehouse."""


def _demo_or_real(conn, demo: bool) -> None:
    """Refuse to mix the demo's invented data with real imports, either way; a demo file
    into an empty warehouse marks it (in the import's transaction)."""
    marked = is_demo(conn)
    if marked and not demo:
        raise DemoMixing(
            "cet entrepôt contient des données de démonstration (python -m loaders demo) : "
            "un import réel y mêlerait des chiffres inventés, il est refusé. Pointez "
            "WAREHOUSE_URL vers l'entrepôt de production (ou un nouveau fichier), ou "
            "supprimez le fichier de la démonstration, et relancez l'import"
        )
    if demo and not marked:
        real = select(func.count()).where(load_history.c.status == "loaded")
        if conn.execute(real).scalar_one():
            raise DemoMixing(
                "cet entrepôt contient déjà des imports réels : la démonstration ne s'écrit "
                "que dans un entrepôt vide ; choisissez un autre WAREHOUSE_URL (--url)"
            )
        set_setting(conn, DEMO_SETTING, "oui")


def _load_chunks(conn, export, report: ImportReport, chunk_size: int | None, progress) -> None:
    """Read, type, check and stage the file chunk by chunk, then merge it once: a key
    spread over several chunks (the lines of one month's costs, a request's rows) is
    merged as the whole file has it. The staged rows wait on disk on DuckDB
    (:mod:`warehouse.load.spool`): memory does not grow with the file."""
    source = export.source
    staging = Staging(conn, source.name, deletes_rows=source.file_check is not None)
    try:
        staged_rows = _stage(conn, export, report, staging, chunk_size, progress)
        stg = staging.table
        # PostgreSQL: the planner sizes the staging before the merge (unanalysed, it looked
        # the dwellings up by nested loop; issue 28 measured the merge 11.7 s -> 10.0 s at
        # 1M calls).
        refresh_statistics(conn, [stg])
        if source.name == "appels":
            report.calls_per_day, report.calls_per_hour = call_check(conn, stg)
        inserted, updated, *corrections = source.merge(conn, report.load_id)
        report.rows_inserted, report.rows_updated = inserted, updated
        if corrections:
            report.note_corrections(source.name, corrections[0])
        report.rows_duplicate = staged_rows - inserted - updated
        staging.drop(conn)
    finally:
        staging.discard()


def _stage(conn, export, report: ImportReport, staging: Staging, chunk_size, progress) -> int:
    """Stage every chunk, quarantine what cannot be; the file lines staged."""
    source = export.source
    state: dict = {}
    quarantined = staged_rows = 0
    whole: list[pd.DataFrame] = []  # staged rows a whole-file check needs
    unmeasured = set(export.profile.cannot) if export.profile else set()
    for chunk, typed, issues in _typed_ahead(export.chunks(chunk_size), source, unmeasured):
        report.rows_blank += chunk.blank
        report.rows_left_out += chunk.left_out
        report.rows_grouped += chunk.grouped
        report.notes += chunk.notes
        report.rows_read += len(chunk.frame) + len(chunk.malformed)
        bad = pd.DataFrame(issues, columns=["line", "column_name", "reason"])
        entries = quarantine.entries(chunk, bad)
        quarantined += _quarantine(conn, report, export, entries, quarantined)
        report.rows_quarantined += len(chunk.malformed) + bad["line"].nunique()

        good = typed.drop(columns=RAW)
        if len(bad):
            good = good[~good[LINE].isin(bad["line"])]
        staged = source.shape(good, state)
        if source.name == "demandes":
            report.note_conflicts(staged, state)
        if source.file_check:
            whole.append(staged.assign(**{RAW: typed.loc[staged.index, RAW]}))
        staging.add(conn, staged)
        # File lines, not staged rows: a respondent is staged once per question.
        staged_rows += staged["line_number"].nunique()
        if progress:
            progress(report.rows_read)
    chunk = typed = good = staged = bad = None  # free the last chunk before the merge
    _release_arrow_memory()
    staging.ready(conn)
    if whole:
        stg = staging.table
        refused = quarantine.file_entries(source.file_check(pd.concat(whole, ignore_index=True)))
        if len(refused):
            lines = refused["line_number"].tolist()
            conn.execute(delete(stg).where(stg.c.line_number.in_(lines)))
            _quarantine(conn, report, export, refused, quarantined)
            report.rows_quarantined += len(refused)
            staged_rows -= len(refused)
    return staged_rows


def _release_arrow_memory() -> None:
    """Give back to the system the memory Arrow's allocator keeps for reuse, before the
    merge: the file read and typed would otherwise stay in the process beside DuckDB's
    merge (at a million calls, 250 MB; the import's peak went from 1,605 to 1,364 MB)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _typed_ahead(chunks, source, unmeasured: set[str] = frozenset()):
    """(chunk, typed, issues), the next chunk read, typed and checked by the validation
    suite in a thread while this one is quarantined, shaped and staged: Arrow's kernels,
    DuckDB's hashing and copy leave the GIL, so the two overlap on a second core. The
    issues are the unreadable values and the suite's failures; an empty value of a column
    the profile says its export cannot give (``unmeasured``) is none: stored as unknown."""
    from concurrent.futures import ThreadPoolExecutor

    from loaders.validate import MISSING, failing_rows

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
            and not (i["column_name"] in unmeasured and i["reason"] == MISSING)
        ]
        return chunk, typed, issues

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="typing") as pool:
        ahead = pool.submit(next_typed)
        while (item := ahead.result()) is not None:
            ahead = pool.submit(next_typed)
            yield item


def _quarantine(conn, report: ImportReport, export, entries: pd.DataFrame, before: int) -> int:
    """Store the entries after the ``before`` already stored; returns how many."""
    entries = entries.assign(file_name=mask_phones(export.path.name))
    record_quarantine(conn, report.load_id, entries, first=before + 1)
    report.add_reasons(entries)
    return len(entries)


def _history(path: Path, sha: str, report: ImportReport, started: datetime) -> dict:
    return {
        # A file named after a tenant's number keeps no number either.
        "file_name": mask_phones(path.name),
        "file_path": mask_phones(str(path.resolve())),
        "content_sha256": sha,
        "source": report.source,
        "status": report.status,
        "rows_read": report.rows_read,
        "rows_loaded": report.rows_loaded,
        "rows_inserted": report.rows_inserted,
        "rows_updated": report.rows_updated,
        "rows_duplicate": report.rows_duplicate,
        "rows_quarantined": report.rows_quarantined,
        "rows_blank": report.rows_blank + report.rows_left_out + report.rows_grouped,
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
