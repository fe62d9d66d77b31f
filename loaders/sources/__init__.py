"""The import sources of ``formats.md``, one module per family: each declares its columns,
how its typed rows are staged, its checks and how the warehouse merges it, side by side.
``SOURCES`` names them; ``SOURCE_ORDER`` is the order a folder is imported in."""

from __future__ import annotations

from loaders.sources import calls, contacts, events, finance, reference, requests, surveys
from loaders.sources.base import Source

SOURCES: dict[str, Source] = {
    s.name: s
    for family in (calls, contacts, requests, reference, finance, surveys, events)
    for s in family.SOURCES
}

# Reference data first, so that facts find their dimension members.
SOURCE_ORDER = [
    "agences",
    "logements",
    "questionnaire",
    "references_satisfaction",
    "evenements",
    "appels",
    "registres",
    "demandes",
    "couts",
    "effectifs",
    "enquetes",
]
