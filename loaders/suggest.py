"""A draft profile for a system we do not ship: ``python -m loaders profile suggest FILE``.

From the file's first rows, header or not: the delimiter; the source it most resembles,
told by its column names and by its values (``In``/``Out``, ``Answered``, ``solved`` are
codes of ours); for each of our columns, the column whose name is closest among those whose
values can be it (a date is never the advisor, a duration never the time of day, a column
whose values repeat never the record's id); the date format found; each coded column's
values with the code they most resemble. The draft is the profile's TOML with its SQL
``SELECT``; what could not be decided is listed at its top and marked ``-- ?`` in the SQL,
for a person to settle.
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
NAME_CUTOFF = 0.55
DATE_FORMATS = [
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d",
    "%Y%m%d %H%M", "%Y%m%d %H%M%S", "%Y%m%d", "%d-%m-%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S",
]  # fmt: skip
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


@dataclass
class Sample:
    delimiter: str
    header: list[str]
    rows: list[list[str]]
    has_header: bool = True

    def values(self, position: int) -> list[str]:
        return [r[position].strip() for r in self.rows if position < len(r) and r[position].strip()]


def date_format(values: list[str]) -> str | None:
    """``iso``, ``epoch`` or the strptime format every sample value fits."""
    if not values:
        return None
    if all(_ISO.match(v) for v in values):
        return "iso"
    if all(re.fullmatch(r"\d{10}", v) and 946_684_800 <= int(v) < 4_102_444_800 for v in values):
        return "epoch"  # seconds since 1970, 2000 to 2100 (a phone number starts with 0)
    for fmt in DATE_FORMATS:
        try:
            for v in values:
                datetime.strptime(v, fmt)
        except ValueError:
            continue
        return fmt
    return None


def value_kind(values: list[str]) -> str:
    """What a column's values can be: datetime, clock (hh:mm:ss), number, or text."""
    if not values:
        return "empty"
    if date_format(values):
        return "datetime"
    if all(_CLOCK.match(v) for v in values):
        return "clock"
    if all(_NUMBER.match(v) for v in values):
        return "number"
    return "text"


# Which value kinds can feed each of our kinds.
FITS = {
    "datetime": {"datetime", "empty"},
    "date": {"datetime", "empty"},
    "duration": {"clock", "number", "empty"},
    "int": {"number", "empty"},
    "number": {"number", "empty"},
    "month": {"datetime", "text", "empty"},
    "time": {"clock", "empty"},
    "bool": {"text", "number", "empty"},
    "code": {"text", "number", "empty"},
    "text": {"text", "number", "empty"},
}
# Our text columns that are never a date, a clock or a duration in disguise.
IDS = {"id_appel", "num_demande", "id_repondant"}


def read_sample(path: Path) -> Sample:
    """The delimiter giving the widest steady rows; the first row is the header unless
    its fields look like the rows' values (a date, a number where the rows have them)."""
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
        if best is None or (width > 1, steady, width) > (best[1] > 1, best[0], best[1]):
            best = (steady, width, delimiter, rows)
    _, width, delimiter, rows = best
    if not rows:
        return Sample(delimiter, [], [])
    first = [f.strip() for f in rows[0]]
    kinds = [value_kind([f]) for f in first if f]
    if any(k in ("datetime", "clock") for k in kinds) or sum(k == "number" for k in kinds) > 1:
        names = [f"champ{i + 1}" for i in range(max(len(r) for r in rows))]
        return Sample(delimiter, names, rows, has_header=False)
    return Sample(delimiter, first, rows[1:])


def _names(col: Col) -> list[str]:
    return [header_key(col.name), *(header_key(a) for a in col.aliases)]


def _code_lookup(col: Col) -> dict[str, str]:
    return {fold(v): v for v in col.allowed} | {fold(k): v for k, v in col.synonyms.items()}


def _code_guess(value: str, col: Col) -> str | None:
    lookup = _code_lookup(col)
    folded = fold(value)
    if folded in lookup:
        return lookup[folded]
    close = difflib.get_close_matches(folded, list(lookup), n=1, cutoff=0.6)
    return lookup[close[0]] if close else None


def _fits(col: Col, sample: Sample, i: int) -> bool:
    values = sample.values(i)[:SAMPLE_ROWS]
    kind = value_kind(values)
    if kind not in FITS[col.kind]:
        return False
    if col.name in IDS and len(set(values)) < len(values):
        return False  # repeated values: not the record's id (a requester id, a queue)
    if col.kind == "code":
        distinct = set(values)
        return len(distinct) <= 30 and any(_code_guess(v, col) for v in distinct)
    return True


ID_WORDS = ("id", "ref", "reference", "numero", "num", "n", "no", "code", "ticket")


def _score(col: Col, sample: Sample, i: int) -> float:
    header = header_key(sample.header[i]) if sample.has_header else ""
    by_name = max(difflib.SequenceMatcher(None, header, n).ratio() for n in _names(col))
    if col.name in IDS and header in ID_WORDS:
        by_name = max(by_name, 0.8)  # « Ref », « Id », « N° »: the record's own number
    if not sample.has_header:  # no names: the values alone say a date or a duration
        kind = value_kind(sample.values(i)[:SAMPLE_ROWS])
        if col.kind in ("datetime", "date") and kind == "datetime":
            by_name = max(by_name, 0.7 - 0.01 * i)  # the first date: the start
        elif col.kind == "duration" and kind == "clock":
            by_name = max(by_name, 0.6 - 0.01 * i)
    if col.kind == "code":  # the values say it better than the name
        distinct = set(sample.values(i))
        known = sum(1 for v in distinct if _code_guess(v, col))
        by_name = max(by_name, known / max(len(distinct), 1))
    return by_name


def map_columns(source: Source, sample: Sample) -> dict[str, int]:
    """Our column -> the export's position, among the columns whose values fit: best
    scores first, each export column used once."""
    candidates = []
    for col in source.columns:
        if col.joins:
            continue
        for i in range(len(sample.header)):
            if _fits(col, sample, i):
                score = _score(col, sample, i)
                if score >= NAME_CUTOFF:
                    candidates.append((score + 0.01 * col.required, col.name, i))
    mapping: dict[str, int] = {}
    for _, name, i in sorted(candidates, reverse=True):
        if name not in mapping and i not in mapping.values():
            mapping[name] = i
    return mapping


def guess_source(sample: Sample) -> Source:
    """The source whose required columns the file gives best. A date, a duration or a
    code matched by its values is evidence; a text column fits almost anything and
    weighs little; a required column not found counts against."""

    def weight(col: Col) -> float:
        return 0.3 if col.kind == "text" else 1.0

    def covered(source: Source) -> float:
        found = map_columns(source, sample)
        required = [source.col(c) for c in source.required]
        return sum(weight(c) for c in required if c.name in found) - 0.25 * sum(
            weight(c) for c in required if c.name not in found
        )

    return max(SOURCES.values(), key=covered)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _expression(col: Col, sample: Sample, i: int) -> tuple[str, str | None]:
    """(the SQL giving our column from the export's, what is left to decide)."""
    column = _ident(sample.header[i])
    values = sample.values(i)[:SAMPLE_ROWS]
    if col.kind in ("datetime", "date"):
        fmt = date_format(values)
        if fmt == "epoch":
            return f"to_timestamp(try_cast({column} AS BIGINT))", None
        return f"as_time({column}, {_sql_text(fmt or 'iso')})", None
    if col.kind == "duration" and value_kind(values) == "number":
        numbers = sorted(
            float(v.replace(",", ".")) for v in values if float(v.replace(",", ".")) > 0
        )
        if numbers and numbers[len(numbers) // 2] >= 3_600:
            return f"secs({column}) / 1000.0", "durées lues en millisecondes (médiane ≥ 3 600)"
    if col.kind == "code":
        whens, unknown = [], []
        for value in sorted(set(values))[:30]:
            code = _code_guess(value, col)
            if code:
                whens.append(f"WHEN {_sql_text(value)} THEN {_sql_text(code)}")
            else:
                unknown.append(value)
        todo = f"valeurs sans code : {', '.join(unknown)}" if unknown else None
        body = " ".join(whens)
        return f"CASE {column} {body} ELSE {column} END", todo
    return column, None


def suggest(path: Path, source_name: str | None = None, name: str | None = None) -> str:
    """The draft profile for ``path``, as TOML text."""
    sample = read_sample(path)
    source = SOURCES[source_name] if source_name else guess_source(sample)
    name = name or re.sub(r"[^a-z0-9]+", "-", fold(path.stem)).strip("-") or "mon-systeme"
    mapping = map_columns(source, sample)
    selects: list[tuple[str, str]] = [("  _line", "")]
    todo: list[str] = []
    for col in source.columns:
        if col.joins:
            continue
        if col.name not in mapping:
            if col.required:
                todo.append(
                    f"{col.name} (obligatoire) : aucune colonne dont les valeurs conviennent"
                )
                selects.append((f"  NULL AS {col.name}", "  -- ? obligatoire : à écrire"))
            continue
        expression, left = _expression(col, sample, mapping[col.name])
        if left:
            todo.append(f"{col.name} : {left}")
        selects.append((f"  {expression} AS {col.name}", f"  -- ? {left}" if left else ""))
    unused = [h for i, h in enumerate(sample.header) if i not in mapping.values() and h]
    lines = [
        f"# Brouillon écrit par « python -m loaders profile suggest » depuis {path.name} :",
        "# à vérifier ligne par ligne, puis à déposer dans PILOTAGE_PROFILES_DIR.",
        f"# Source reconnue : {source.name} ({source.label}), par les noms et les valeurs.",
    ]
    lines += ["# À décider :", *(f"#   - {t}" for t in todo)] if todo else []
    if unused:
        lines.append(f"# Colonnes non utilisées : {', '.join(unused)}")
    lines += [
        f"name = {_q(name)}",
        f"label = {_q(f'{name} : à renommer')}",
        f"source = {_q(source.name)}",
        f"follows = {_q('à compléter : la documentation de l export suivie')}",
        f"unclear = {_q('à compléter : ce que cette documentation laisse ouvert')}",
        'timezone = "Europe/Paris"  # le fuseau des heures écrites sans décalage',
        "",
        "[read]",
        f"delimiter = {_q(sample.delimiter)}",
    ]
    if not sample.has_header:
        lines.append(f"fields = [{', '.join(_q(h) for h in sample.header)}]")
    lines += ["", "[detect]"]
    if sample.has_header:
        chosen = [sample.header[i] for i in list(mapping.values())[:4]]
        lines.append(f"headers = [{', '.join(_q(h) for h in chosen)}]")
    else:
        patterns = [
            f"{h} = {_q(_pattern(sample.values(i)))}"
            for i, h in enumerate(sample.header)
            if i in mapping.values() and _pattern(sample.values(i))
        ][:3]
        lines.append(f"patterns = {{ {', '.join(patterns)} }}")
    body = [
        expr + ("," if n < len(selects) - 1 else "") + mark
        for n, (expr, mark) in enumerate(selects)
    ]
    lines += ["", "[sql]", 'select = """', "SELECT", *body, "FROM export", '"""']
    return "\n".join(lines) + "\n"


def _pattern(values: list[str]) -> str | None:
    """An RE2 pattern every sample value of a header-less field matches, if a simple one."""
    kind = value_kind(values[:SAMPLE_ROWS])
    if kind == "datetime":
        return "^" + re.sub(r"\d", r"\\d", values[0]) + "$" if values else None
    if kind == "clock":
        return r"^\d{1,2}:\d{2}(:\d{2})?$"
    return None
