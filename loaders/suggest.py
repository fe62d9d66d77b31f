"""A draft profile for a system we do not ship: ``python -m loaders profile suggest FILE``.

From the file's header and its first rows: the delimiter, the source it most resembles,
for each of our columns the closest header (by name, and by what its values look like),
the date and duration formats found, and each coded column's values with the code they
most resemble. The draft is for a person to check and complete: every guess says so.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from loaders.normalise import fold, header_key
from loaders.read.lines import open_text, physical_lines, records, sniff
from loaders.sources import SOURCES
from loaders.sources.base import Col, Source

SAMPLE_ROWS = 200
NAME_CUTOFF = 0.6
DATE_FORMATS = [
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d",
    "%Y%m%d %H%M", "%Y%m%d %H%M%S", "%Y%m%d", "%d-%m-%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M",
]  # fmt: skip
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
_INT = re.compile(r"^-?\d+$")


@dataclass
class Sample:
    delimiter: str
    header: list[str]
    rows: list[list[str]]

    def values(self, position: int) -> list[str]:
        return [r[position].strip() for r in self.rows if position < len(r) and r[position].strip()]


def read_sample(path: Path) -> Sample:
    """The delimiter giving the widest consistent rows, its first row as the header."""
    _, layout = sniff(path)
    best = None
    for delimiter in (";", ",", "\t", "|"):
        with open_text(path, layout) as text:
            rows = []
            for _, _, fields, _ in records(physical_lines(text), delimiter, 0):
                if fields is not None and any(f.strip() for f in fields):
                    rows.append(fields)
                if len(rows) > SAMPLE_ROWS:
                    break
        width = len(rows[0]) if rows else 0
        steady = sum(len(r) == width for r in rows)
        if best is None or (width > 1 and (steady, width) > (best[0], best[1])):
            best = (steady, width, delimiter, rows)
    _, _, delimiter, rows = best
    return Sample(delimiter, [h.strip() for h in rows[0]] if rows else [], rows[1:])


def date_format(values: list[str]) -> str | None:
    """``iso``, ``epoch``, ``epoch_ms`` or the strptime format every sample value fits."""
    if not values:
        return None
    if all(_ISO.match(v) for v in values):
        return "iso"
    if all(_INT.match(v) for v in values):
        numbers = [int(v) for v in values]
        if all(946_684_800 <= n <= 4_102_444_800 for n in numbers):  # 2000-2100, seconds
            return "epoch"
        if all(946_684_800_000 <= n <= 4_102_444_800_000 for n in numbers):
            return "epoch_ms"
        return None
    for fmt in DATE_FORMATS:
        try:
            for v in values:
                datetime.strptime(v, fmt)
        except ValueError:
            continue
        return fmt
    return None


def duration_unit(values: list[str]) -> str | None:
    if values and all(_CLOCK.match(v) for v in values):
        return "clock"
    numbers = []
    for v in values:
        try:
            numbers.append(float(v.replace(",", ".")))
        except ValueError:
            return None
    positive = sorted(n for n in numbers if n > 0)
    if not positive:
        return "s" if numbers else None
    return "ms" if positive[len(positive) // 2] >= 3_600 else "s"


def _names(col: Col) -> list[str]:
    return [header_key(col.name), *(header_key(a) for a in col.aliases)]


def _closest(col: Col, sample: Sample, taken: set[int]) -> tuple[int, float] | None:
    best = None
    for i, header in enumerate(sample.header):
        if i in taken or not header_key(header):
            continue
        score = max(
            difflib.SequenceMatcher(None, header_key(header), name).ratio() for name in _names(col)
        )
        if col.kind in ("datetime", "date") and date_format(sample.values(i)[:50]):
            score += 0.2  # values that read as dates
        if col.kind == "duration" and duration_unit(sample.values(i)[:50]):
            score += 0.1
        if best is None or score > best[1]:
            best = (i, score)
    return best if best and best[1] >= NAME_CUTOFF else None


def _map_columns(source: Source, sample: Sample) -> dict[str, int]:
    """Our column -> the header's position: exact names and aliases first (``Caller`` is
    the caller's number, whatever else resembles it), then the closest, required first."""
    mapping: dict[str, int] = {}
    keys = [header_key(h) for h in sample.header]
    for col in source.columns:
        hits = [i for i, k in enumerate(keys) if k and k in _names(col)]
        if hits and hits[0] not in mapping.values():
            mapping[col.name] = hits[0]
    for col in sorted(source.columns, key=lambda c: not c.required):
        if col.name not in mapping:
            hit = _closest(col, sample, set(mapping.values()))
            if hit:
                mapping[col.name] = hit[0]
    return mapping


def guess_source(sample: Sample) -> Source:
    def matched(source: Source) -> float:
        found = _map_columns(source, sample)
        score = sum(1 + source.col(c).required for c in found)
        return score / (len(source.columns) + len(source.required))

    return max(SOURCES.values(), key=matched)


def _code_guess(value: str, col: Col) -> str:
    folded = fold(value)
    lookup = {fold(v): v for v in col.allowed} | {fold(k): v for k, v in col.synonyms.items()}
    if folded in lookup:
        return lookup[folded]
    close = difflib.get_close_matches(folded, list(lookup), n=1, cutoff=0.5)
    return lookup[close[0]] if close else "?"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def suggest(path: Path, source_name: str | None = None, name: str | None = None) -> str:
    """The draft profile for ``path``, as TOML text."""
    sample = read_sample(path)
    source = SOURCES[source_name] if source_name else guess_source(sample)
    name = name or re.sub(r"[^a-z0-9]+", "-", fold(path.stem)).strip("-") or "mon-systeme"
    mapping = _map_columns(source, sample)
    taken = set(mapping.values())
    lines = [
        f"# Brouillon écrit par « python -m loaders profile suggest » depuis {path.name} :",
        "# à vérifier ligne par ligne, puis à déposer dans PILOTAGE_PROFILES_DIR.",
        f"name = {_q(name)}",
        f"label = {_q(f'{name} : à renommer')}",
        f"source = {_q(source.name)}  # {source.label} (à vérifier)",
        f"delimiter = {_q(sample.delimiter)}",
        "",
        "[detect]",
        "# Quelques en-têtes qui, ensemble, désignent cet export (à ajuster).",
        f"headers = [{', '.join(_q(sample.header[i]) for i in list(mapping.values())[:4])}]",
        "",
    ]
    dates = {
        sample.header[i]: fmt
        for c, i in mapping.items()
        if source.col(c).kind in ("datetime", "date")
        and (fmt := date_format(sample.values(i)[:SAMPLE_ROWS]))
    }
    units = {
        sample.header[i]: unit
        for c, i in mapping.items()
        if source.col(c).kind == "duration" and (unit := duration_unit(sample.values(i)))
    }
    if dates:
        lines += ["[dates]", *(f"{_q(h)} = {_q(f)}" for h, f in dates.items()), ""]
    if units:
        lines += ["[durations]", *(f"{_q(h)} = {_q(u)}" for h, u in units.items()), ""]
    lines.append("[columns]")
    for col in source.columns:
        if col.name in mapping:
            lines.append(f"{col.name} = {_q(sample.header[mapping[col.name]])}")
        elif col.required:
            lines.append(f"# {col.name} = ?  # OBLIGATOIRE : aucune colonne ressemblante trouvée")
        else:
            lines.append(f"# {col.name} = ?  # facultative, non trouvée")
    for col in source.columns:
        if col.kind != "code" or col.name not in mapping:
            continue
        found = sorted(set(sample.values(mapping[col.name])))[:30]
        lines += ["", f"[values.{col.name}]", f"# codes attendus : {', '.join(col.allowed)}"]
        lines += [f"{_q(v)} = {_q(_code_guess(v, col))}" for v in found]
    ignored = [h for i, h in enumerate(sample.header) if i not in taken and h]
    if ignored:
        lines += ["", f"# Colonnes non utilisées : {', '.join(ignored)}"]
    return "\n".join(lines) + "\n"
