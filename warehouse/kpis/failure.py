"""Failure demand and the cost of non-quality (``kpis.md``): which offered calls were caused
by a failure to do something, or to do it right, the first time, and what they cost.

A call is failure demand when at least one holds (each call counted once): it names a
request created before the call's day (a chase); its motif family starts with one of
``followup_motif_prefixes``; its number made an offered call in the ``repeat_window_days``
before it. Everything is aggregated in SQL over the call scope joined to the request it
names (its category, its creation day).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection, and_, func, literal, or_, select

from warehouse.french import number
from warehouse.kpis import costs
from warehouse.kpis.ratios import ratio
from warehouse.model import scopes
from warehouse.model.params import Filters, Settings
from warehouse.model.schema import dim_category, fact_request

NO_CALLER = "sans demande"  # the category of a call that names no known request


def scope(f: Filters, s: Settings, with_agency: bool = True, family: str | None = None):
    """The call scope with the three causes of failure demand as booleans (never NULL) and
    the category of the request a call names. A category filter keeps the calls that name
    a request of those categories; ``family`` the calls of one motif family (folded)."""
    q = scopes.calls(f, s, with_agency=with_agency)
    r = fact_request.c
    window = timedelta(days=s.repeat_window_days)
    chase = and_(r.created_date_key.is_not(None), r.created_date_key < q.c.date_key)
    motif = or_(
        literal(False), *[q.c.motif_family.like(f"{p}%") for p in s.followup_motif_prefixes]
    )
    repeat = q.c.previous_offered_at >= q.c.call_at - window
    flags = {
        "is_chase": and_(q.c.is_offered, func.coalesce(chase, False)),
        "is_followup_motif": and_(q.c.is_offered, func.coalesce(motif, False)),
        "is_repeat": and_(q.c.is_offered, func.coalesce(repeat, False)),
    }
    category = func.coalesce(dim_category.c.category_code, literal(NO_CALLER))
    query = select(
        q,
        *[v.label(k) for k, v in flags.items()],
        or_(*flags.values()).label("is_failure"),
        category.label("category"),
    ).select_from(
        q.outerjoin(fact_request, r.request_id == q.c.request_id).outerjoin(
            dim_category, dim_category.c.category_key == r.category_key
        )
    )
    if f.categories:
        query = query.where(dim_category.c.category_code.in_(f.categories))
    if family is not None:
        query = query.where(q.c.motif_family == family)
    return query.subquery("failure_calls")


def aggregates(q) -> dict:
    """The SQL aggregates failure demand and its cost are derived from."""
    c = q.c
    count = func.count
    failed = and_(c.is_answered, c.is_failure)
    return {
        "offered": count().filter(c.is_offered),
        "failure": count().filter(c.is_failure),
        "chases": count().filter(c.is_chase),
        "followup_motifs": count().filter(c.is_followup_motif),
        "repeats": count().filter(c.is_repeat),
        "answered": count().filter(c.is_answered),
        "failure_answered": count().filter(failed),
        "talk_sum": func.coalesce(func.sum(c.talk_seconds).filter(c.is_answered), 0),
        "failure_talk_sum": func.coalesce(func.sum(c.talk_seconds).filter(failed), 0),
        "talk_known": count().filter(and_(c.is_answered, c.talk_seconds.is_not(None))),
    }


NAMES = (
    "offered",
    "failure",
    "chases",
    "followup_motifs",
    "repeats",
    "answered",
    "failure_answered",
    "talk_sum",
    "failure_talk_sum",
    "talk_known",
)


def grouped(
    conn: Connection, f: Filters, s: Settings, by: list[str], family: str | None = None
) -> dict[tuple, dict]:
    """Raw aggregates per value of the grouping columns (``month``, ``iso_week``, ``day``,
    ``agency``, ``channel``, ``category``...)."""
    q = scope(f, s, with_agency="agency" in by, family=family)
    keys = [q.c[b] for b in by]
    agg = aggregates(q)
    query = select(*keys, *[v.label(k) for k, v in agg.items()]).group_by(*keys)
    out = {}
    for row in conn.execute(query).mappings():
        out[tuple(row[b] for b in by)] = {
            k: float(row[k] or 0) if k.endswith("_sum") else int(row[k] or 0) for k in agg
        }
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


def summary(conn: Connection, f: Filters, s: Settings, family: str | None = None) -> dict:
    """Failure demand over the period and its cost, each month's costs allocated by that
    month's handle time (``non_quality_cost_eur``) and by its answered calls
    (``non_quality_cost_by_calls_eur``: failure-demand calls x cost per answered call).
    With ``family``, the calls of that motif family against every answered call's share."""
    months = grouped(conn, f, s, ["month"], family)
    bases = months if family is None else grouped(conn, f, s, ["month"])
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


def reasons(conn: Connection, f: Filters, s: Settings, level: str = "motif") -> list[dict]:
    """The ``reasons`` table: per motif family (``level="family"``) or per family and motif,
    offered and answered calls, handle time and its share, AHT, first-level closure,
    repeat-call rate, failure-demand share; ranked by handle time, with the cumulative
    share of handle time (a Pareto) and the family as written (``family_label``). Calls
    without a motif are one row (family None)."""
    q = scope(f, s, with_agency=f.has_scope)
    c = q.c
    keys = [c.motif_family] + ([c.motif_label] if level == "motif" else [])
    count = func.count
    identified = and_(c.is_offered, c.caller_key.is_not(None))
    query = select(
        *keys,
        count().filter(c.is_offered).label("offered"),
        count().filter(c.is_answered).label("answered"),
        func.coalesce(func.sum(c.talk_seconds).filter(c.is_answered), 0).label("talk_sum"),
        count().filter(and_(c.is_answered, c.talk_seconds.is_not(None))).label("talk_known"),
        count().filter(and_(c.is_answered, c.is_settled_first_level)).label("settled"),
        count()
        .filter(and_(c.is_answered, c.is_settled_first_level.is_not(None)))
        .label("settled_known"),
        count().filter(identified).label("identified"),
        count().filter(and_(identified, c.is_repeat)).label("repeats"),
        count().filter(c.is_failure).label("failure"),
        func.min(c.motif_label).label("example"),
    ).group_by(*keys)
    rows = [dict(r) for r in conn.execute(query).mappings() if r["offered"] or r["answered"]]
    total_talk = sum(float(r["talk_sum"]) for r in rows)
    rows.sort(key=lambda r: (-float(r["talk_sum"]), -r["offered"], r["motif_family"] or "~"))
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
                "repeat_call_rate": ratio(r["repeats"], r["identified"]),
                "failure_demand_share": ratio(r["failure"], r["offered"]),
            }
        )
    return out
