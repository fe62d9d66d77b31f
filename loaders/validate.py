"""Validation: each source's Great Expectations suite, built from its column specs and the
checks its family module declares beside its columns.

Staging has already typed the values; each suite states the rules a typed row must meet
(required values present, codes in their set, quantities in range, dates in order). A row
that fails any expectation is quarantined with the expectation's reason.
"""

from __future__ import annotations

import contextlib
import os
from functools import cache, lru_cache

import pandas as pd

from loaders.frame import LINE
from loaders.sources import SOURCES
from loaders.sources.base import Source

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
MISSING = "valeur obligatoire manquante"


def _rules(gx, source: Source) -> list:
    e = gx.expectations
    rules = []
    for col in source.columns:
        if col.required:
            rules.append((e.ExpectColumnValuesToNotBeNull(column=col.name), MISSING))
        if col.kind == "code":
            rules.append(
                (
                    e.ExpectColumnValuesToBeInSet(column=col.name, value_set=list(col.allowed)),
                    f"valeur non reconnue (attendu : {', '.join(col.allowed)})",
                )
            )
    return rules + source.checks(e)


@cache
def _validation(source_name: str):
    import great_expectations as gx

    context = _context()
    source = SOURCES[source_name]
    batch = (
        context.data_sources.add_pandas(f"src_{source_name}")
        .add_dataframe_asset(source_name)
        .add_batch_definition_whole_dataframe("chunk")
    )
    suite = context.suites.add(gx.ExpectationSuite(name=f"suite_{source_name}"))
    reasons, checked = {}, {LINE}
    for expectation, reason in _rules(gx, source):
        expectation = suite.add_expectation(expectation)
        reasons[expectation.id] = reason
        kwargs = expectation.configuration.kwargs
        checked |= {kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs}
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"validate_{source_name}", data=batch, suite=suite)
    )
    return definition, reasons, checked


def _for_suite(typed: pd.DataFrame, checked: set[str]) -> pd.DataFrame:
    """The columns the suite checks, in the types Great Expectations checks fastest:
    nullable integers as floats (it compares numpy numbers in one vectorised pass but
    pandas' ``Int64`` value by value; a missing value becomes NaN, still a null to every
    expectation), text held as Python objects (the codes) as Arrow strings (pandas finds
    the nulls of an object column value by value: 40 % of the suite's time on a chunk of
    calls)."""
    frame = typed[[c for c in typed.columns if c in checked]]
    kinds = {}
    for name in frame.columns:
        dtype = frame[name].dtype
        if name != LINE and isinstance(dtype, pd.Int64Dtype):
            kinds[name] = "float64"
        elif (
            pd.api.types.is_object_dtype(dtype)
            and pd.api.types.infer_dtype(frame[name]) == "string"
        ):
            kinds[name] = "str"
    return frame.astype(kinds) if kinds else frame


@lru_cache(maxsize=1)
def _context():
    import great_expectations as gx
    from great_expectations.execution_engine import pandas_execution_engine

    # GX hashes every batch under 1 GB into a fingerprint kept as batch metadata, which we
    # never read: 0.1 s per 250,000-row chunk. Frames of any size skip it, as large ones do.
    pandas_execution_engine.HASH_THRESHOLD = 0

    context = gx.get_context(mode="ephemeral")
    # Cosmetic only: keep GX's own progress bars out of the import report.
    with contextlib.suppress(Exception):
        context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    return context


def warm_up() -> None:
    """Build every source's suite now (Great Expectations imported, contexts created), so
    that a waiting worker validates its file at once."""
    for name in SOURCES:
        _validation(name)


class ValidationError(RuntimeError):
    """An expectation could not be evaluated: a bug, never a data problem to hide."""


def failing_rows(typed: pd.DataFrame, source: Source) -> list[dict]:
    """One issue (``line``, ``column_name``, ``reason``) per failed expectation and row."""
    definition, reasons, checked = _validation(source.name)
    frame = _for_suite(typed, checked)
    result = definition.run(
        batch_parameters={"dataframe": frame},
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [LINE]},
    )
    issues = []
    for res in result.results:
        info = res.exception_info or {}
        raised = (
            info.get("raised_exception")
            if isinstance(info, dict) and "raised_exception" in info
            else any(v.get("raised_exception") for v in info.values() if isinstance(v, dict))
        )
        if raised:
            raise ValidationError(f"{source.name}: {res.expectation_config.type}: {info}")
        if res.success:
            continue
        config = res.expectation_config
        column = config.kwargs.get("column") or config.kwargs.get("column_A")
        for item in res.result.get("unexpected_index_list") or []:
            issues.append(
                {"line": int(item[LINE]), "column_name": column, "reason": reasons[config.id]}
            )
    return issues
