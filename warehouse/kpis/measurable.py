"""What a scope can measure: one rule, in the KPI layer, that every output inherits (tiles,
series, tables, exports, the KPI command, the monthly report, alerts).

Each catalogue KPI says its ``scope`` (``catalogue.Kpi.scope``):

- ``all``: measured for any part of the organisation;
- ``identified``: call figures over the calls attached to an agency, which a call is only
  through the dwelling its caller was identified with: measured, with a note saying so;
- ``centre``: figures that count the calls offered to the centre (answer rate, service
  levels, abandons, offered calls and calls per dwelling, out-of-hours share, repeat
  calls): lost calls (abandoned, dissuaded, voicemail) are almost never identified, so
  for an agency or an organisme offered calls are nearly all answered and the rates
  nearly 100 %: no value, and the reason;
- ``staff``: the centre's staff, not split by agency or organisme: no value, the reason.

A part of the organisation is a filter on organisme or agencies, or a user limited to
some agencies (``Filters.has_scope``), or each row of a table per agency.
"""

from __future__ import annotations

from warehouse.kpis.catalogue import BY_ID
from warehouse.model.params import Filters

UNMEASURED = "non mesuré : "
REASONS = {
    "centre": UNMEASURED
    + "sans objet pour une agence ou un organisme : les appels perdus ne sont presque "
    "jamais rattachés à un logement, donc à une agence, et un chiffre qui repose sur les "
    "appels présentés s'y lirait faussé",
    "staff": UNMEASURED + "effectifs du centre, non répartis par agence ni par organisme",
}
# What a centre figure would wrongly read for an agency, said after the reason.
WOULD_READ = {
    "offered_calls": "presque les seuls appels décrochés",
    "calls_per_dwelling_month": "un nombre d'appels par logement limité aux appels "
    "décrochés identifiés",
    "answer_rate": "un taux de décroché proche de 100 %",
    "service_level_90": "un niveau de service gonflé par l'absence des appels perdus",
    "service_level_60": "un niveau de service gonflé par l'absence des appels perdus",
    "abandon_rate": "un taux d'abandon proche de 0 %",
    "lost_calls": "presque aucun appel perdu",
    "repeat_call_rate": "une réitération comptée sans les appels perdus qui la provoquent",
    "out_of_hours_share": "une part comptée sans les appels perdus hors horaires",
    "failure_demand_share": "une part rapportée aux seuls appels identifiés, "
    "sans les appels perdus",
}
IDENTIFIED = (
    "filtre agence : seuls les appels dont le logement a été identifié sont rattachés à "
    "une agence (les appels perdus ne le sont pas)"
)
# Columns of the call series that are no catalogue KPI, with the scope of the figure.
DERIVED = {"lost_calls": "centre", "outbound_calls": "identified"}


def scope_of(column: str) -> str:
    """The scope of a KPI id (``capture_share.crl``, ``yoy.offered_calls``: the volume's)
    or of a series column; ``all`` for anything else."""
    head, _, tail = column.partition(".")
    if head == "yoy" and tail:
        return scope_of(tail)
    if head in BY_ID:
        return BY_ID[head].scope
    return DERIVED.get(column, "all")


def unmeasured(
    column: str, f: Filters | None = None, part: bool | None = None
) -> tuple[str, str | None] | None:
    """(why, what it would wrongly read or None) when ``column`` has no value for the
    filters (or for a part of the organisation when ``part``); None when it can be
    measured. ``why`` is « non mesuré : … »."""
    part = f.has_scope if part is None else part
    why = REASONS.get(scope_of(column)) if part else None
    if why is None:
        return None
    head, _, tail = column.partition(".")
    centre = scope_of(column) == "centre"
    return why, WOULD_READ.get(tail if head == "yoy" else column) if centre else None


def reason(column: str, f: Filters | None = None, part: bool | None = None) -> str | None:
    """Why ``column`` has no value for the filters (or for a part of the organisation when
    ``part``), « non mesuré : … (what it would wrongly read) »; None when it can be
    measured."""
    found = unmeasured(column, f, part)
    if found is None:
        return None
    why, would = found
    return f"{why} ({would})" if would else why


def note(column: str, f: Filters) -> str:
    """The note of a figure measured over identified calls only, under a scope."""
    return IDENTIFIED if f.has_scope and scope_of(column) == "identified" else ""


def blank(frame, f: Filters | None = None, part: bool | None = None):
    """``frame`` with no value in the columns the filters (or a part of the organisation,
    ``part``: e.g. a table with one row per agency) cannot measure."""
    gone = [c for c in frame.columns if reason(str(c), f, part)]
    if not gone:
        return frame
    out = frame.copy()
    for column in gone:  # the whole column replaced: a float column of NaN
        out[column] = float("nan")
    return out


def reasons(columns, f: Filters | None = None, part: bool | None = None) -> dict[str, str]:
    """The reason of each column ``blank`` empties."""
    found = {str(c): reason(str(c), f, part) for c in columns}
    return {c: r for c, r in found.items() if r}
