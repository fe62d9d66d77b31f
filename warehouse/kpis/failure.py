"""Failure demand and the cost of non-quality (``kpis.md``): which offered calls were caused
by a failure to do something, or to do it right, the first time, and what they cost.

The definition is ``warehouse/model/failure.py``'s (shared with the retention purge, which
keeps its measures per day for the days it removes). Everything is aggregated in SQL over
the call detail joined to the request each call names, plus those purged days.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from warehouse.french import number
from warehouse.kpis import costs, measurable
from warehouse.kpis.ratios import ratio
from warehouse.model import failure as model
from warehouse.model.params import DEFAULT_SETTINGS, Filters, Settings
from warehouse.model.schema import REASON_DAY_MEASURES

NO_CALLER = model.NO_REQUEST  # the category of a call that names no known request
NO_MOTIF = model.NO_MOTIF  # the ``family`` of the calls without a motif
NAMES = REASON_DAY_MEASURES


def scope(f: Filters, s: Settings, with_agency: bool = True, family: str | None = None):
    """The call scope with failure demand's flags (``warehouse.model.failure.flagged``)."""
    return model.flagged(f, s, with_agency, family)


def _sums(
    conn: Connection,
    f: Filters,
    s: Settings,
    by: list[str],
    family: str | None = None,
    example: bool = False,
) -> dict[tuple, dict]:
    """The measures per value of the grouping columns: with the default settings from the
    daily aggregates (kept and purged days, ``warehouse/load/aggregates.py``), otherwise
    from the call detail (kept days only). ``example``: one motif label of each group too
    (the family as written): the greatest, so that of « Reclamation » and « Réclamation »
    the accented spelling is shown."""
    out: dict[tuple, dict] = {}
    if s == DEFAULT_SETTINGS:  # the daily aggregates, kept and purged days
        p = model.all_days(f, family)
        extra = [func.max(p.c.motif_label).label("example")] if example else []
        sums = [func.sum(p.c[k]).label(k) for k in NAMES]
        query = select(*[p.c[b] for b in by], *sums, *extra).group_by(*[p.c[b] for b in by])
        for row in conn.execute(query).mappings():
            if row["offered"] is not None:
                _add(out, tuple(row[b] for b in by), row, example)
        return out
    q = scope(f, s, with_agency="agency" in by or f.has_scope, family=family)
    agg = model.measures(q)
    extra = [func.max(q.c.motif_label).label("example")] if example else []
    query = select(*[q.c[b] for b in by], *[v.label(k) for k, v in agg.items()], *extra)
    for row in conn.execute(query.group_by(*[q.c[b] for b in by])).mappings():
        _add(out, tuple(row[b] for b in by), row, example)
    return out


def _add(out: dict, key: tuple, row, example: bool) -> None:
    base = out.setdefault(key, dict.fromkeys(NAMES, 0) | ({"example": None} if example else {}))
    for k in NAMES:  # PostgreSQL sums integers as numeric: back to int and float
        base[k] += float(row[k] or 0) if k.endswith("_sum") else int(row[k] or 0)
    if example and row["example"] is not None:
        base["example"] = max(filter(None, (base["example"], row["example"])))


def grouped(
    conn: Connection,
    f: Filters,
    s: Settings,
    by: list[str],
    family: str | None = None,
    cells: list[dict] | None = None,
) -> dict[tuple, dict]:
    """Raw aggregates per value of the grouping columns (``month``, ``iso_week``, ``day``,
    ``agency``, ``channel``, ``category``...); from ``cells`` (:func:`cells`, for ``month``,
    ``iso_week``, ``motif_family``, ``motif_label``) without a query."""
    if cells is not None:
        return _folded(cells, by, family)
    return _sums(conn, f, s, by, family)


CELL_KEYS = ["month", "iso_week", "motif_family", "motif_label"]


def cells(conn: Connection, f: Filters, s: Settings) -> list[dict]:
    """The period's measures per month, ISO week, motif family and motif, in one query:
    the summary, the reasons and the weeks of any motif family are sums of them
    (``cells=`` of :func:`summary`, :func:`reasons`, :func:`grouped`). A few thousand rows
    at most (months x weeks x motifs), where each figure would scan the aggregates again."""
    return [
        dict(zip(CELL_KEYS, key, strict=True)) | measures
        for key, measures in _sums(conn, f, s, CELL_KEYS).items()
    ]


def _folded(
    rows: list[dict], by: list[str], family: str | None, example: bool = False
) -> dict[tuple, dict]:
    """:func:`_sums` over :func:`cells` instead of the database (``example``: the greatest
    motif label of each group, as there)."""
    out: dict[tuple, dict] = {}
    for row in rows:
        if family is not None and row["motif_family"] != model.stored(family):
            continue
        _add(out, tuple(row[b] for b in by), row | {"example": row["motif_label"]}, example)
    return out


def share(a: dict) -> float | None:
    return ratio(a["failure"], a["offered"])


def _allocated(month: dict, base: dict, cost: float) -> tuple[float, float, bool]:
    """One month's cost of failure demand, by handle time and by answered calls, and
    whether handle time could be used (every answered call of the month carries it).
    ``month`` gives the failure-demand calls (of one motif family when the page is filtered
    to it), ``base`` the month's answered calls and handle time they share the costs with."""
    if not base["answered"]:
        return 0.0, 0.0, True
    by_calls = cost * month["failure_answered"] / base["answered"]
    timed = base["talk_known"] == base["answered"] and base["talk_sum"] > 0
    by_time = cost * month["failure_talk_sum"] / base["talk_sum"] if timed else by_calls
    return by_time, by_calls, timed


def summary(
    conn: Connection,
    f: Filters,
    s: Settings,
    family: str | None = None,
    cells: list[dict] | None = None,
) -> dict:
    """Failure demand over the period and its cost, each month's costs allocated by that
    month's handle time (``non_quality_cost_eur``) and by its answered calls
    (``non_quality_cost_by_calls_eur``: failure-demand calls x cost per answered call).
    With ``family``, the calls of that motif family against every answered call's share.
    The share has no value for a part of the organisation (``measurable``): ``share_note``
    says why. ``cells``: :func:`cells` of the same filters, read instead of the aggregates."""
    out = _summary(conn, f, s, family, cells)
    why = measurable.reason("failure_demand_share", f)
    return out | {"failure_demand_share": None, "share_note": why} if why else out


def _summary(
    conn: Connection, f: Filters, s: Settings, family: str | None, cells: list[dict] | None
) -> dict:
    months = grouped(conn, f, s, ["month"], family, cells)
    bases = months if family is None else grouped(conn, f, s, ["month"], None, cells)
    total = {k: sum(m[k] for m in months.values()) for k in NAMES}
    out = {
        **total,
        "failure_demand_share": share(total),
        "non_quality_cost_eur": None,
        "non_quality_cost_by_calls_eur": None,
        "non_quality_cost_per_dwelling_year": None,
        "cost_eur": None,
        "cost_note": "",
    }
    per_month = costs.costs_by_month(conn, f)
    if per_month is None:
        return out
    by_time = by_calls = 0.0
    untimed = []
    for month, cost in per_month.items():
        if (month,) not in months:
            continue
        t, c, timed = _allocated(months[(month,)], bases[(month,)], cost)
        by_time, by_calls = by_time + t, by_calls + c
        if not timed:
            untimed.append(bases[(month,)])
    dm = costs.dwelling_months(conn, f)
    out |= {
        "cost_eur": sum(per_month.values()),
        "non_quality_cost_eur": by_time,
        "non_quality_cost_by_calls_eur": by_calls,
        "non_quality_cost_per_dwelling_year": ratio(by_time * 12, dm),
    }
    if untimed:
        missing = sum(m["answered"] - m["talk_known"] for m in untimed)
        out["cost_note"] = (
            f"part des appels décrochés à la place de la durée de conversation pour "
            f"{len(untimed)} mois ({number(missing)} appels décrochés sans durée connue)"
        )
    return out


def _label(motif: str | None) -> str | None:
    """A motif family as people wrote it (« Réclamation technique »): the text before
    `` - `` of one of its motifs (the family itself is folded to group its spellings)."""
    return None if motif is None else motif.split(" - ", 1)[0].strip()


def reasons(
    conn: Connection,
    f: Filters,
    s: Settings,
    level: str = "motif",
    cells: list[dict] | None = None,
) -> list[dict]:
    """The ``reasons`` table: per motif family (``level="family"``) or per family and motif,
    offered and answered calls, handle time and its share, AHT, first-level closure,
    repeat-call rate, failure-demand share; ranked by handle time, with the cumulative
    share of handle time (a Pareto) and the family as written (``family_label``). Calls
    without a motif are one row (family None). ``cells``: as for :func:`summary`."""
    keys = ["motif_family"] + (["motif_label"] if level == "motif" else [])
    groups = (
        _sums(conn, f, s, keys, example=True)
        if cells is None
        else _folded(cells, keys, None, example=True)
    )
    rows = [
        {**dict(zip(keys, key, strict=True)), **v}
        for key, v in groups.items()
        if v["offered"] or v["answered"]
    ]
    total_talk = sum(float(r["talk_sum"]) for r in rows)
    rows.sort(
        key=lambda r: (
            -r["talk_sum"],
            -r["offered"],
            r["motif_family"] or "~",
            r.get("motif_label") or "~",
        )
    )
    out, cumulative = [], 0.0
    for r in rows:
        talk = float(r["talk_sum"])
        cumulative += talk
        out.append(
            {
                "motif_family": r["motif_family"],
                "family_label": _label(r["example"]),
                **({"motif": r["motif_label"]} if level == "motif" else {}),
                "offered_calls": int(r["offered"]),
                "answered_calls": int(r["answered"]),
                "handle_time_s": talk,
                "handle_time_share": ratio(talk, total_talk),
                "cumulative_share": ratio(cumulative, total_talk),
                "aht_s": ratio(talk, r["talk_known"]),
                "first_level_closure_calls": ratio(r["settled"], r["settled_known"]),
                "repeat_call_rate": ratio(r["repeats"], r["identified"]),  # a repeat has a number
                "failure_demand_share": ratio(r["failure"], r["offered"]),
            }
        )
    return out
