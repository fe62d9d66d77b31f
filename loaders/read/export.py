"""An export file opened (:mod:`loaders.read.detect`) read into chunks of raw strings under
canonical headers: every row keeps its physical line number, values stay strings (typing
is staging's job); a regular file is read in blocks by Arrow, an irregular one line by
line; what cannot be read becomes a malformed row for the quarantine.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from loaders.frame import HIDDEN, LINE, RAW
from loaders.mask import MASK
from loaders.read.fields import (
    Pending,
    field_spans,
    for_quarantine,
    raw_lines,
    strings,
    transpose,
    with_time,
)
from loaders.read.lines import fits, open_text, physical_lines, records
from loaders.read.profile import (
    Profile,
)
from loaders.read.regular import Irregular, blank_rows, raw_text, read_regular
from loaders.read.xlsx import WorkbookRefused, sheet_rows
from loaders.sources.base import Source
from warehouse import config
from warehouse.french import number


class FileRejected(Exception):
    """The whole file cannot be loaded; the message says why, in French, for the user."""


@dataclass
class Malformed:
    line: int
    raw: str
    reason: str
    column: str | None = None  # the canonical column at fault, when one is


def max_field_chars() -> int:
    """The longest field read (``PILOTAGE_MAX_FIELD_CHARS``): a longer one is no export's
    value but a runaway text or a hostile file, and quarantines its row as it is read."""
    return int(config.get("PILOTAGE_MAX_FIELD_CHARS"))


@dataclass
class Chunk:
    frame: pd.DataFrame  # canonical columns as strings, plus _line and _raw
    malformed: list[Malformed] = field(default_factory=list)
    blank: int = 0  # blank lines
    notes: list[str] = field(default_factory=list)  # for the report
    left_out: int = 0  # records a profile leaves out
    grouped: int = 0  # records a profile groups into another row (call legs, events)


@dataclass
class Export:
    path: Path
    source: Source
    header_line: int  # last physical line (or sheet row) of the header
    columns: dict[int, str]  # field position -> canonical column
    ignored: list[str]
    width: int  # fields in the header
    layout: object | None  # loaders.lines.TextLayout; None for a workbook
    delimiter: str | None
    notes: list[str] = field(default_factory=list)  # for the report: probable typos...
    personal: list[int] = field(default_factory=list)  # positions masked in the quarantine
    header_fields: int = 0  # fields on the header line, trailing empty headers included
    profile: Profile | None = None  # the system's layout, mapped onto ours by its SQL
    min_width: int = 0  # a shorter record is incomplete (0: the columns read)

    def chunks(self, size: int | None = None) -> Iterator[Chunk]:
        """Our layout's rows, ``size`` at a time; a profiled export as one chunk, mapped
        by the profile's SQL over the whole file (a call's legs, a queue's events, are
        grouped across it)."""
        if self.profile is None:
            yield from self._read_chunks(size)
            return
        from loaders.read.profile_sql import ProfileFailed, run_profile

        chunks = list(self._read_chunks(None))
        frame = pd.concat([c.frame for c in chunks], ignore_index=True)
        try:
            out, left_out, grouped, notes = run_profile(frame, self.profile)
        except ProfileFailed as exc:
            raise FileRejected(str(exc)) from exc
        malformed = [m for c in chunks for m in c.malformed]
        blank = sum(c.blank for c in chunks)
        yield Chunk(out, malformed, blank, notes, left_out, grouped)

    def _read_chunks(self, size: int | None = None) -> Iterator[Chunk]:
        """The rows after the header, ``size`` at a time (200,000 by default): through
        Arrow's CSV reader while the file is regular (:mod:`loaders.read.regular`), block
        by block, then line by line from the first block that is not."""
        size = size or 200_000
        after = 0
        if self.layout is not None and self.header_fields:
            blocks = read_regular(
                self.path,
                self.layout,
                self.delimiter,
                self.header_line,
                self.header_fields,
                max_field_chars(),
            )
            try:
                yield from self._regular_chunks(blocks, size)
                return
            except Irregular as exc:
                after = exc.after
        yield from self._line_chunks(size, after)

    def _regular_chunks(self, blocks, size: int) -> Iterator[Chunk]:
        """Chunks of ``size`` rows from the blocks; before an :class:`Irregular` goes up,
        the rows of the blocks read so far (and their blank lines) are given."""
        picks = list(self.columns) + self._hidden
        pending, blank = Pending(), 0
        try:
            for block in blocks:
                table, lines, raws = block.table, block.lines, block.raws
                empty = blank_rows(table)
                if empty.any():
                    keep = pa.array(np.flatnonzero(~empty))
                    table, lines, raws = table.take(keep), lines[~empty], raws.take(keep)
                blank += block.blank + int(empty.sum())
                pending.add([table.column(i) for i in picks], lines, raws)
                while pending.rows >= size:
                    yield self._chunk(*pending.take(size), [], blank)
                    blank = 0
        except Irregular:
            if pending.rows or blank:
                yield self._rest(pending, picks, blank)
            raise
        if pending.rows or blank:
            yield self._rest(pending, picks, blank)

    def _rest(self, pending: Pending, picks: list[int], blank: int) -> Chunk:
        lines, raws, columns = pending.take(pending.rows)
        return self._chunk(lines, raws, columns or [()] * len(picks), [], blank)

    def _line_chunks(self, size: int, after: int = 0) -> Iterator[Chunk]:
        """The rows after the header and after line ``after`` (read by the fast path up to
        it), read line by line."""
        after = max(after, self.header_line)
        lines, raws, records_, malformed, blank = [], [], [], [], 0
        picks = list(self.columns) + self._hidden
        pick = operator.itemgetter(*picks) if len(picks) > 1 else lambda f: (f[picks[0]],)
        needed = self.min_width or max(self.columns) + 1
        reach = max(picks) + 1
        usual = self._usual_width()
        cap = max_field_chars()
        for line, fields, raw in self._rows():
            if line <= after:
                continue
            if fields is None:
                reason = (
                    "guillemets mal fermés : la ligne est mise de côté et la lecture reprend "
                    "à la ligne suivante"
                )
                malformed.append(Malformed(line, self._masked_broken(raw), reason))
            elif not "".join(fields).strip():
                blank += 1
                continue
            elif len(raw) > cap and (longest := max(map(len, fields))) > cap:
                at = next(i for i, f in enumerate(fields) if len(f) == longest)
                column = self.columns.get(at)
                reason = (
                    f"champ de {number(longest)} caractères (au plus {number(cap)}"
                    f"{'' if column else f', champ n° {at + 1}'}) : ligne mise de côté"
                )
                malformed.append(Malformed(line, self._masked(fields), reason, column))
            elif "\x00" in raw:
                reason = "caractère nul (octet 0) dans la ligne : fichier corrompu ?"
                malformed.append(Malformed(line, self._masked(fields), reason))
            elif len(fields) > usual or (len(fields) > self.width and not fits(fields, self.width)):
                expected = usual if len(fields) > usual else self.width
                reason = (
                    f"{len(fields)} champs au lieu de {expected} : un séparateur "
                    f"« {self._sep_label} » dans un texte non entouré de guillemets ?"
                )
                malformed.append(Malformed(line, self._masked(fields), reason))
            elif len(fields) < needed and self.delimiter is not None:
                reason = f"ligne incomplète : {len(fields)} champs au lieu de {self.width}"
                malformed.append(Malformed(line, self._masked(fields), reason))
            else:
                if len(fields) < reach:  # a sheet row ends at its last non-empty cell
                    fields = fields + [""] * (reach - len(fields))
                lines.append(line)
                raws.append(raw)
                records_.append(pick(fields))
            if len(records_) + len(malformed) >= size:
                yield self._chunk(lines, raws, transpose(records_, picks), malformed, blank)
                lines, raws, records_, malformed, blank = [], [], [], [], 0
        if records_ or malformed or blank:
            yield self._chunk(lines, raws, transpose(records_, picks), malformed, blank)

    def _usual_width(self, sample: int = 1_000) -> int:
        """The field count of the file's rows: the header's, or more when the rows all
        end with a trailing delimiter (the most frequent count of the first ``sample``
        rows). A wider row has a delimiter too many, even if its extra fields are empty:
        an unquoted ``;`` in a text shifted the fields after it. A sheet's rows end at
        their last cell: no limit."""
        if self.layout is None:
            return 1 << 30
        counts: dict[int, int] = {}
        for line, fields, _ in itertools.islice(self._rows(), sample + self.header_line):
            if line > self.header_line and fields is not None and "".join(fields).strip():
                counts[len(fields)] = counts.get(len(fields), 0) + 1
        # the most frequent count; between two as frequent, the nearer to the header's
        most = max(
            counts.items(),
            key=lambda item: (item[1], -abs(item[0] - self.header_fields)),
            default=(0, 0),
        )[0]
        return max(self.header_fields, self.width, most)

    def _rows(self) -> Iterator[tuple[int, list[str] | None, str]]:
        """(first line, fields or None for broken quoting, the text as read)."""
        if self.layout is None:
            try:
                for number, values in sheet_rows(self.path):
                    yield number, values, self._sep.join(values)
            except WorkbookRefused as exc:
                raise FileRejected(str(exc)) from exc
            return
        with open_text(self.path, self.layout) as text:
            for first, _, fields, raw in records(physical_lines(text), self.delimiter, self.width):
                yield first, fields, raw

    @property
    def _sep(self) -> str:
        return self.delimiter or ";"

    @property
    def _hidden(self) -> list[int]:
        """Positions of ignored personal columns, carried only to mask them."""
        return [i for i in self.personal if i not in self.columns]

    @property
    def _sep_label(self) -> str:
        return {"\t": "tabulation"}.get(self._sep, self._sep)

    def _masked(self, fields: list[str]) -> str:
        """The line as read, with personal values masked, for the quarantine."""
        fields = [MASK if i in self.personal and f.strip() else f for i, f in enumerate(fields)]
        return for_quarantine(self._sep.join(fields))

    def _masked_broken(self, raw) -> str:
        """A line whose quoting is broken, for the quarantine. Its fields are where the
        header says only when it has the header's width: then its personal fields are
        masked; else everything from the first personal position on (a quote left open
        runs to the end of the line and may hold the advisor). The rest stays as written,
        quotes included, to find what broke."""
        text = raw_text(raw).rstrip("\r\n")
        if self.personal:
            spans = field_spans(text, self._sep)
            if len(spans) == self.width or (
                len(spans) > self.width
                and not any(text[a:b].strip() for a, b in spans[self.width :])
            ):
                hidden = [spans[i] for i in self.personal if i < len(spans)]
            else:
                # From the first personal field, or the last field read if it comes
                # before (an open quote swallowed the rest of the line).
                first = min(min(self.personal), len(spans) - 1)
                hidden = [(spans[first][0], len(text))]
            for a, b in reversed(hidden):
                if text[a:b].strip():
                    text = text[:a] + MASK + text[b:]
        return for_quarantine(text)

    def _chunk(self, lines, raws, columns, malformed, blank) -> Chunk:
        """A chunk from its line numbers, raw lines and picked columns (each a sequence of
        strings or an Arrow array)."""
        names = list(self.columns.values()) + [f"{HIDDEN}{i}" for i in self._hidden]
        frame = pd.DataFrame(
            {name: strings(values) for name, values in zip(names, columns, strict=True)},
            index=pd.RangeIndex(len(lines)),
        )
        for col in self.source.columns if self.profile is None else ():
            if col.name not in frame:
                frame[col.name] = pd.array([""] * len(frame), dtype="str")
        for col in self.source.columns if self.profile is None else ():
            if col.joins and col.name in names:
                frame[col.joins] = with_time(frame[col.joins], frame[col.name])
        frame[LINE] = pd.array(lines, dtype="int64")
        frame[RAW] = raw_lines(raws)
        return Chunk(frame, malformed, blank)
