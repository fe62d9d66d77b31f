"""Import one file: read, type, validate, quarantine, merge, record; all in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from loaders import shape
from loaders.read import LINE, PERSONAL_COLUMNS, RAW, FileRejected, for_quarantine, open_export
from loaders.stage import type_chunk
from warehouse.bulk import copy_frame
from warehouse.loads import (
    clear_staging,
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
from warehouse.repeats import refresh_previous_calls

# Reference data first, so that facts find their dimension members.
SOURCE_ORDER = ["agences", "logements", "appels", "registres", "demandes", "couts", "effectifs"]
MAX_REASONS = 5


def _merge(source: str, conn, load_id: int) -> tuple[int, int]:
    """Run the source's merge; returns (inserted, updated)."""
    if source == "appels":
        return merge_calls(conn, load_id), 0
    if source == "registres":
        return merge_contacts(conn, load_id), 0
    merge = {
        "demandes": lambda: merge_requests(conn, load_id),
        "agences": lambda: merge_agencies(conn),
        "logements": lambda: merge_dwellings(conn),
        "couts": lambda: merge_costs(conn, load_id),
        "effectifs": lambda: merge_staffing(conn, load_id),
    }[source]
    return merge()


@dataclass
class ImportReport:
    file: str
    status: str  # loaded, rejected, already_loaded, failed
    source: str | None = None
    load_id: int | None = None
    rows_read: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    rows_duplicate: int = 0
    rows_quarantined: int = 0
    rows_blank: int = 0
    message: str = ""
    reasons: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # probable typos, conflicting duplicates
    reason_lines: set[int] = field(default_factory=set, repr=False)

    @property
    def rows_loaded(self) -> int:
        return self.rows_inserted + self.rows_updated

    @property
    def accounted(self) -> bool:
        total = self.rows_loaded + self.rows_duplicate + self.rows_quarantined
        return total == self.rows_read


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
    chunk_size: int = 200_000,
    progress=None,
) -> ImportReport:
    """Import ``path`` into the warehouse; never raises for bad data, only reports it.

    ``progress``, if given, is called with the number of rows read after each chunk.
    """
    path = Path(path)
    started = datetime.now()
    report = ImportReport(file=path.name, status="loaded")
    try:
        sha = file_sha256(path) if path.is_file() else ""
        export = open_export(path, source)
    except FileRejected as exc:
        report.status, report.message = "rejected", str(exc)
        _record_failure(engine, path, sha, None, report, started)
        return report
    report.source, report.ignored_columns = export.source.name, export.ignored
    report.notes = list(export.notes)
    with engine.connect() as conn:
        previous = previous_load(conn, sha)
    if previous:
        report.status, report.load_id = "already_loaded", previous["load_id"]
        report.message = (
            f"contenu identique déjà importé (chargement n° {previous['load_id']} du "
            f"{previous['finished_at']:%d/%m/%Y %H:%M}) : rien n'a changé"
        )
        return report
    try:
        with engine.begin() as conn:
            report.load_id = next_load_id(conn)
            _load_chunks(conn, export, report, chunk_size, progress)
            if report.source == "logements":
                refresh_dwelling_months(conn)
            if report.source == "appels":
                refresh_previous_calls(conn, report.load_id)
            record_load(conn, report.load_id, **_history(path, sha, report, started))
    except Exception as exc:
        # The transaction rolled back: nothing of this file is in the warehouse.
        report.status = "failed"
        report.message = (
            f"échec du chargement, rien n'a été importé : {exc.__class__.__name__} : {exc}"
        )
        _record_failure(engine, path, sha, report.source, report, started)
    return report


def _load_chunks(conn, export, report: ImportReport, chunk_size: int, progress) -> None:
    from loaders.validate import failing_rows

    source = export.source
    stg = create_staging(conn, source.name)
    state: dict = {}
    quarantined = 0
    for chunk in export.chunks(chunk_size):
        report.rows_blank += chunk.blank
        report.rows_read += len(chunk.frame) + len(chunk.malformed)
        typed, issues = type_chunk(chunk.frame, source)
        unreadable = {(i["line"], i["column_name"]) for i in issues}
        # An unreadable value is also "missing": report the cause, not its echo.
        issues += [
            i
            for i in failing_rows(typed, source)
            if (i["line"], i["column_name"]) not in unreadable
        ]
        bad = pd.DataFrame(issues, columns=["line", "column_name", "reason"])
        good = typed[~typed[LINE].isin(bad["line"])]
        raw_by_line = _quarantine_raw(chunk.frame, set(bad["line"]))
        rows = [
            {"line_number": m.line, "column_name": None, "raw_content": m.raw, "reason": m.reason}
            for m in chunk.malformed
        ]
        for item in bad.sort_values("line").itertuples():
            rows.append(
                {
                    "line_number": item.line,
                    "column_name": item.column_name,
                    "raw_content": raw_by_line[item.line],
                    "reason": item.reason,
                }
            )
        entries = pd.DataFrame(
            rows, columns=["line_number", "column_name", "raw_content", "reason"]
        )
        entries.insert(0, "file_name", export.path.name)
        record_quarantine(conn, report.load_id, entries, first=quarantined + 1)
        quarantined += len(entries)
        report.rows_quarantined += len(chunk.malformed) + bad["line"].nunique()
        _first_reasons(report, rows)

        staged = shape.SHAPERS[source.name](good, state)
        if source.name == "demandes":
            _note_conflicts(report, staged, state)
        clear_staging(conn, stg)
        copy_frame(conn, stg, staged)
        inserted, updated = _merge(source.name, conn, report.load_id)
        report.rows_inserted += inserted
        report.rows_updated += updated
        report.rows_duplicate += len(staged) - inserted - updated
        if progress:
            progress(report.rows_read)
    drop_staging(conn, stg)


def _note_conflicts(report: ImportReport, staged: pd.DataFrame, state: dict) -> None:
    """A request present twice in the file with different content: say which line won.

    The merge keeps the most advanced row (status, first action, closure, follow-ups),
    the last in the file when they are as advanced.
    """
    seen: dict = state.setdefault("requests", {})
    conflicts: list = state.setdefault("conflicts", [])
    content = pd.util.hash_pandas_object(staged.drop(columns=["line_number"]), index=False)
    rows = zip(
        staged["request_id"], staged["line_number"], content, staged["progress_rank"], strict=True
    )
    for request_id, line, digest, rank in rows:
        before = seen.get(request_id)
        if before is None:
            seen[request_id] = (line, digest, rank)
            continue
        if before[1] == digest:
            continue
        kept = (line, digest, rank) if rank >= before[2] else before
        seen[request_id] = kept
        conflicts.append((request_id, before[0], line, kept[0]))
    report.notes = [n for n in report.notes if not n.startswith(_CONFLICT_HEAD)]
    if conflicts:
        examples = "; ".join(
            f"{rid} (lignes {a} et {b} : ligne {kept} retenue)"
            for rid, a, b, kept in conflicts[:MAX_REASONS]
        )
        report.notes.append(
            f"{_CONFLICT_HEAD} {len(conflicts)} fois avec un contenu différent ; la ligne "
            f"la plus avancée (statut, puis première action, clôture, relances) est retenue, "
            f"à égalité la dernière du fichier : {examples}"
        )


_CONFLICT_HEAD = "demandes présentes plusieurs fois dans le fichier :"


def _first_reasons(report: ImportReport, rows: list[dict]) -> None:
    """The first reason of each of the first quarantined lines, five lines at most."""
    for row in sorted(rows, key=lambda r: r["line_number"]):
        if len(report.reasons) >= MAX_REASONS:
            return
        if row["line_number"] in report.reason_lines:
            continue
        report.reason_lines.add(row["line_number"])
        column = f" [{row['column_name']}]" if row["column_name"] else ""
        report.reasons.append(f"ligne {row['line_number']}{column} : {row['reason']}")


def _quarantine_raw(frame: pd.DataFrame, lines: set[int]) -> dict[int, str]:
    """Raw content of the rows going to the quarantine, with personal values masked."""
    rows = frame[frame[LINE].isin(lines)]
    personal = [c for c in PERSONAL_COLUMNS if c in rows]
    return {
        row[LINE]: for_quarantine(row[RAW], [row[c] for c in personal])
        for row in rows.to_dict("records")
    }


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
        "message": report.message or " ; ".join(report.notes) or None,
        "started_at": started,
    }


def _record_failure(engine, path, sha, source, report: ImportReport, started) -> None:
    """Keep a trace of a rejected or failed file, with no row counted as loaded."""
    for attr in ("rows_inserted", "rows_updated", "rows_duplicate", "rows_quarantined"):
        setattr(report, attr, 0)
    with engine.begin() as conn:
        report.load_id = next_load_id(conn)
        record_load(conn, report.load_id, **_history(path, sha, report, started))
