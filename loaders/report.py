"""What an import reports: counts that account for every row, the first reasons, warnings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from warehouse.french import number

MAX_REASONS = 5
_CONFLICT_HEAD = "demandes présentes plusieurs fois dans le fichier :"


@dataclass
class ImportReport:
    file: str
    status: str  # loaded, rejected, already_loaded, failed
    source: str | None = None
    profile: str | None = None  # the system's layout it was read with; None for ours
    load_id: int | None = None
    rows_read: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    rows_duplicate: int = 0
    rows_quarantined: int = 0
    rows_blank: int = 0
    rows_left_out: int = 0  # records a profile leaves out (internal calls, other media)
    rows_grouped: int = 0  # records a profile groups into another (call legs, events)
    message: str = ""
    reasons: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # probable typos, conflicting duplicates
    # A telephony file's calls per day and per hour of the day, to compare with the
    # system's own dashboard (warehouse.load.check).
    calls_per_day: list[dict] = field(default_factory=list)
    calls_per_hour: list[dict] = field(default_factory=list)
    # Stored rows this file differs from (a corrected re-export): how many, per export
    # column; the refused ones were kept as stored (warehouse.load.corrections).
    rows_corrected: int = 0
    corrected_fields: dict[str, int] = field(default_factory=dict)
    rows_refused: int = 0
    refused_fields: dict[str, int] = field(default_factory=dict)
    reason_lines: set[int] = field(default_factory=set, repr=False)

    def to_json(self) -> str:
        """The report as one JSON line, for tools (the dashboard's import page)."""
        fields = {k: v for k, v in vars(self).items() if k != "reason_lines"}
        return json.dumps(fields | {"rows_loaded": self.rows_loaded}, ensure_ascii=False)

    @property
    def rows_loaded(self) -> int:
        return self.rows_inserted + self.rows_updated

    @property
    def accounted(self) -> bool:
        total = self.rows_loaded + self.rows_duplicate + self.rows_quarantined
        return total == self.rows_read

    def add_reasons(self, entries: pd.DataFrame) -> None:
        """The first reason of each of the first quarantined lines, five lines at most."""
        for row in entries.sort_values("line_number", kind="stable").itertuples():
            if len(self.reasons) >= MAX_REASONS:
                return
            if row.line_number in self.reason_lines:
                continue
            self.reason_lines.add(row.line_number)
            column = f" [{row.column_name}]" if isinstance(row.column_name, str) else ""
            self.reasons.append(f"ligne {row.line_number}{column} : {row.reason}")

    def note_corrections(self, source: str, corrections) -> None:
        """Say which stored rows the file differs from, in which fields, and what was done."""
        self.rows_corrected, self.corrected_fields = corrections.rows, dict(corrections.fields)
        self.rows_refused, self.refused_fields = (
            corrections.refused,
            dict(corrections.refused_fields),
        )
        if corrections.rows and source == "appels":
            self.notes.append(
                f"{number(corrections.rows)} appel(s) déjà chargé(s) diffèrent de ce fichier "
                f"({_fields(corrections.fields)}) : corrigés, l'import le plus récent "
                "l'emporte ; les agrégats de leurs jours sont recalculés"
            )
        elif corrections.rows and source == "demandes":
            self.notes.append(
                f"{number(corrections.rows)} demande(s) déjà chargée(s) mises à jour par ce "
                f"fichier ({_fields(corrections.fields)})"
            )
        if corrections.refused and source == "demandes":
            self.notes.append(
                f"{number(corrections.refused)} demande(s) déjà chargée(s) plus avancées que "
                f"dans ce fichier, gardées telles quelles ({_fields(corrections.refused_fields)}) "
                "; un nombre de relances plus élevé dans le fichier est repris"
            )

    def note_conflicts(self, staged: pd.DataFrame, state: dict) -> None:
        """A request present twice in the file with different content: say which line won.

        The merge keeps the most advanced row (status, first action, closure, follow-ups),
        the last in the file when they are as advanced.
        """
        seen: dict = state.setdefault("requests", {})
        conflicts: list = state.setdefault("conflicts", [])
        content = pd.util.hash_pandas_object(staged.drop(columns=["line_number"]), index=False)
        rows = zip(
            staged["request_id"],
            staged["line_number"],
            content,
            staged["progress_rank"],
            strict=True,
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
        self.notes = [n for n in self.notes if not n.startswith(_CONFLICT_HEAD)]
        if conflicts:
            examples = "; ".join(
                f"{rid} (lignes {a} et {b} : ligne {kept} retenue)"
                for rid, a, b, kept in conflicts[:MAX_REASONS]
            )
            self.notes.append(
                f"{_CONFLICT_HEAD} {len(conflicts)} fois avec un contenu différent ; la ligne "
                f"la plus avancée (statut, puis première action, clôture, relances) est "
                f"retenue, à égalité la dernière du fichier : {examples}"
            )


def _fields(counts: dict[str, int]) -> str:
    """``attente_s : 1, issue : 1``: the export's columns that differed, with their rows."""
    return ", ".join(f"{name} : {number(n)}" for name, n in sorted(counts.items()))
