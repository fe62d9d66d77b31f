"""How a file would be read, before importing it: ``python -m loaders preview FILE --json``.

The source and profile detected, the first rows typed as staging types them, and the
problems typing finds in them (the validation suite runs at import). Personal values
(caller numbers, advisors) are masked: a preview is shown in the dashboard.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from loaders.frame import LINE, PERSONAL_COLUMNS
from loaders.mask import MASK
from loaders.read.detect import open_export
from loaders.read.export import FileRejected
from loaders.stage import type_chunk

PREVIEW_ROWS = 20
# What a personal column shows in the preview instead of its value (never in clear).
SHOWN_AS = {"numero_appelant": MASK, "agent": "[conseiller masqué]"}


def preview(path: Path, profile: str | None = None, rows: int = PREVIEW_ROWS) -> dict:
    out: dict = {"file": path.name}
    try:
        export = open_export(path, None, profile)
    except FileRejected as exc:
        return out | {"status": "rejected", "message": str(exc)}
    chunk = next(iter(export.chunks(max(rows, 1))), None)
    frame = chunk.frame.head(rows) if chunk is not None else pd.DataFrame()
    out |= {
        "status": "ok",
        "source": export.source.name,
        "source_label": export.source.label,
        "profile": export.profile.name if export.profile else None,
        "profile_label": export.profile.label if export.profile else None,
        "ignored_columns": export.ignored,
        "notes": list(export.notes) + (chunk.notes if chunk else []),
        "columns": [c.name for c in export.source.columns if not c.joins],
        "rows": [],
        "problems": [],
    }
    if chunk is None or frame.empty:
        return out
    typed, issues = type_chunk(frame, export.source, tokens=False)  # no key needed
    out["problems"] = [
        {"line": m.line, "column": m.column, "reason": m.reason} for m in chunk.malformed[:rows]
    ] + [{"line": i["line"], "column": i["column_name"], "reason": i["reason"]} for i in issues]
    shown = typed[[LINE, *out["columns"]]].astype(object)
    for column in PERSONAL_COLUMNS & set(shown.columns):
        mask = SHOWN_AS.get(column, MASK)
        shown[column] = shown[column].map(lambda v, m=mask: m if isinstance(v, str) and v else v)
    out["rows"] = [[_plain(v) for v in row] for row in shown.itertuples(index=False)]
    out["columns"] = ["ligne", *out["columns"]]
    return out


def _plain(value):
    """A JSON value: dates as ISO text, missing as None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def to_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, default=str)
