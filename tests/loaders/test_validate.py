"""The validation suite on a typed chunk: each failing row and column, with its reason.

The chunk is read and typed from a hand-made call file, as the import does; every
expected issue below was worked out by hand from the lines written.
"""

from __future__ import annotations

import pandas as pd

from loaders.read.detect import open_export
from loaders.sources import SOURCES
from loaders.stage import type_chunk
from loaders.validate import _for_suite, _validation, failing_rows
from tests.loaders.intake import HEADER, call_line, write_lines


def _typed(tmp_path, lines: list[str]) -> tuple[pd.DataFrame, list[dict]]:
    export = open_export(write_lines(tmp_path / "appels.csv", [HEADER, *lines]))
    chunk = next(export.chunks())
    return type_chunk(chunk.frame, export.source)


def test_each_failing_row_is_reported_once_per_rule(tmp_path):
    typed, unreadable = _typed(
        tmp_path,
        [
            call_line(1),  # line 2: every rule met
            call_line(2, sens="sortie"),  # line 3: not a direction
            call_line(3, issue=""),  # line 4: outcome missing
            call_line(4, attente_s="90000"),  # line 5: 25 h of waiting
            call_line(5, sens="", duree_s="-3"),  # line 6: two rules broken
        ],
    )
    assert unreadable == []
    issues = sorted(
        (i["line"], i["column_name"], i["reason"]) for i in failing_rows(typed, SOURCES["appels"])
    )
    assert issues == [
        (3, "sens", "valeur non reconnue (attendu : entrant, sortant)"),
        (4, "issue", "valeur obligatoire manquante"),
        (5, "attente_s", "attente négative ou supérieure à 24 h"),
        (6, "duree_s", "durée négative ou supérieure à 24 h"),
        (6, "sens", "valeur obligatoire manquante"),
    ]


def test_the_suite_gets_text_codes_as_arrow_strings_and_numbers_as_floats(tmp_path):
    typed, _ = _typed(tmp_path, [call_line(1), call_line(2, issue="")])
    assert typed["sens"].dtype == object  # codes come out of typing as Python objects
    _, _, checked = _validation("appels")
    frame = _for_suite(typed, checked)
    assert str(frame["sens"].dtype) == "str"
    assert frame["issue"].isna().tolist() == [False, True]
    assert frame["attente_s"].dtype == "float64"
    assert frame["_line"].dtype == "int64"
    # An object column holding anything but text is left as it is.
    mixed = pd.DataFrame({"_line": [2, 3], "sens": pd.Series([1, None], dtype=object)})
    assert _for_suite(mixed, {"_line", "sens"})["sens"].dtype == object
