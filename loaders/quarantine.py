"""The quarantine's entries: one per unreadable line or failed check, personal data masked."""

from __future__ import annotations

import pandas as pd

from loaders.read import HIDDEN, LINE, PERSONAL_COLUMNS, RAW, Chunk, for_quarantine
from warehouse.french import number

COLUMNS = ["line_number", "column_name", "raw_content", "reason"]


def entries(chunk: Chunk, bad: pd.DataFrame) -> pd.DataFrame:
    """The chunk's malformed lines, then its rows with an issue (``line``, ``column_name``,
    ``reason``), each with its line as read, masked."""
    raw_by_line = _masked_raw(chunk.frame, set(bad["line"]))
    rows = [(m.line, None, m.raw, m.reason) for m in chunk.malformed]
    rows += [
        (item.line, item.column_name, raw_by_line[item.line], item.reason)
        for item in bad.sort_values("line", kind="stable").itertuples()
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _masked_raw(frame: pd.DataFrame, lines: set[int]) -> dict[int, str]:
    """Raw content of the rows going to the quarantine, with personal values masked."""
    rows = frame[frame[LINE].isin(lines)]
    personal = [c for c in rows if c in PERSONAL_COLUMNS or c.startswith(HIDDEN)]
    return {
        row[LINE]: for_quarantine(row[RAW], [row[c] for c in personal])
        for row in rows.to_dict("records")
    }


COST_KEY = ["month_date", "cost_centre", "nature"]


def negative_costs(lines: list[pd.DataFrame]) -> pd.DataFrame:
    """Cost lines whose (month, centre, nature) adds up to less than zero in the file.

    A credit note is a legitimate line, but a month where credits exceed expenses is an
    error of the export (a cost per dwelling of -301 €): every line of that key goes to the
    quarantine. ``lines``: staged cost frames with ``_raw`` beside them.
    """
    if not lines:
        return pd.DataFrame(columns=COLUMNS)
    costs = pd.concat(lines, ignore_index=True)
    totals = costs.groupby(COST_KEY, dropna=False)["amount_eur"].transform("sum")
    negative = costs[totals < 0].assign(total=totals[totals < 0])
    return pd.DataFrame(
        {
            "line_number": negative["line_number"],
            "column_name": "montant_eur",
            "raw_content": [for_quarantine(r) for r in negative[RAW]],
            "reason": [
                f"total négatif pour ce mois, ce centre et cette nature : {number(t, 2)} € "
                "(avoirs supérieurs aux dépenses)"
                for t in negative["total"]
            ],
        },
        columns=COLUMNS,
    )
