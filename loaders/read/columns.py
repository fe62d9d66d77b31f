"""Match an export's header row to a source's columns.

Headers compare on their folded form (:func:`loaders.normalise.header_key`): the
canonical name first, then the aliases. Two headers claiming one column at the same
level are ambiguous (the file is refused rather than one picked silently), and a header
nobody claims that is one typo away from a column is reported by name.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from loaders.normalise import header_key, header_keys
from loaders.sources.base import Source

TYPO_CUTOFF = 0.8


@dataclass
class HeaderMap:
    mapping: dict[int, str] = field(default_factory=dict)  # field position -> column
    ignored: list[str] = field(default_factory=list)
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def map_headers(fields: list[str], source: Source) -> HeaderMap:
    keys = header_keys(fields)
    found = HeaderMap()
    for exact in (True, False):
        for col in source.columns:
            if col.name in found.mapping.values():
                continue
            wanted = {header_key(col.name)} if exact else {header_key(a) for a in col.aliases}
            hits = [i for i, k in enumerate(keys) if k and i not in found.mapping and k in wanted]
            if hits:
                found.mapping[hits[0]] = col.name
            if len(hits) > 1:
                found.ambiguous.append((col.name, [f"« {fields[i].strip()} »" for i in hits]))
    found.ignored = [f for i, f in enumerate(fields) if i not in found.mapping and f.strip()]
    found.notes = _typos(found, keys, fields, source)
    return found


def _typos(found: HeaderMap, keys: list[str], fields: list[str], source: Source) -> list[str]:
    """'Numéro apellant' ignored, close to ``numero_appelant``: say so."""
    candidates: dict[str, str] = {}
    for col in source.columns:
        if col.name not in found.mapping.values():
            for name in (col.name, *col.aliases):
                candidates.setdefault(header_key(name), col.name)
    notes = []
    for i, key in enumerate(keys):
        if i in found.mapping or not key:
            continue
        close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=TYPO_CUTOFF)
        if close:
            notes.append(
                f"colonne « {fields[i].strip()} » ignorée : faute de frappe pour "
                f"« {candidates[close[0]]} » ? Corrigez l'en-tête pour l'importer"
            )
    return notes
