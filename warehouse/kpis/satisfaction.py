"""Tenant satisfaction (kpis.md): the weighted share of satisfied answers per theme, for
the waves interviewed in the period (the latest wave interviewed by its end when none
was), with the change against the previous wave: only answers given by the end of the
period count (``warehouse.model.as_of``); and the satisfaction of « à chaud » surveys after a request.

An answer is satisfied when its mark reaches ``satisfied_from_mark`` (7 of 10 by default)
or its verbal level is « très » or « assez / plutôt satisfait »; « ne sait pas » and empty
answers count nowhere. Answers linked to a request belong to the « à chaud » KPI only,
not to the themes of the periodic surveys.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, case, func, or_, select

from warehouse.kpis.catalogue import THEMES, theme_label  # noqa: F401 (part of this module's API)
from warehouse.kpis.ratios import ratio
from warehouse.kpis.requests import commitment
from warehouse.model import as_of, scopes
from warehouse.model.params import DEFAULT_SETTINGS, Filters, Settings
from warehouse.model.schema import (
    dim_agency,
    dim_question,
    fact_satisfaction_reference,
    fact_survey_answer,
)

MIN_RESPONDENTS = 30  # below, a rate's margin of error passes ±18 points (95 %, p = 0.5)


def _answers(f: Filters, s: Settings, periodic: bool = True):
    a = fact_survey_answer.c
    answered = or_(a.mark.is_not(None), a.level.is_not(None))
    satisfied = or_(a.mark >= s.satisfied_from_mark, a.level >= 3)
    query = (
        select(
            a.wave,
            a.respondent_id,
            a.answer_date,
            a.request_id,
            dim_question.c.theme,
            dim_agency.c.agency_code.label("agency"),
            (a.weight * case((answered, 1), else_=0)).label("w_answered"),
            (a.weight * case((and_(answered, satisfied), 1), else_=0)).label("w_satisfied"),
            case((answered, a.respondent_id)).label("respondent"),
        )
        .select_from(
            fact_survey_answer.join(
                dim_question, dim_question.c.question_code == a.question_code
            ).outerjoin(dim_agency, dim_agency.c.agency_key == a.agency_key)
        )
        .where(a.request_id.is_(None) if periodic else a.request_id.is_not(None))
        .where(as_of.answer_known(a.answer_date, f.end))
    )
    return query.where(*scopes._agency_filters(f, dim_agency)).subquery("answers")


def waves(
    conn: Connection, f: Filters, s: Settings = DEFAULT_SETTINGS
) -> tuple[list[str], str | None]:
    """(the waves of the period, the wave before them); the latest wave known at the end of
    the period when none was interviewed in it, never a later one (``as_of``). Waves are
    ordered by their last interview known then, then name."""
    q = _answers(Filters(f.start, f.end), s)
    rows = conn.execute(
        select(q.c.wave, func.min(q.c.answer_date), func.max(q.c.answer_date))
        .group_by(q.c.wave)
        .order_by(func.max(q.c.answer_date).nulls_first(), q.c.wave)
    ).all()
    if not rows:
        return [], None
    order = [r[0] for r in rows]
    inside = [r[0] for r in rows if r[1] is not None and r[1] <= f.end and r[2] >= f.start]
    chosen = inside or order[-1:]
    first = order.index(chosen[0])
    return chosen, order[first - 1] if first > 0 else None


def theme_rates(
    conn: Connection, f: Filters, chosen: list[str], s: Settings = DEFAULT_SETTINGS, by=()
) -> list[dict]:
    """Per theme (and per ``by`` column, e.g. ``agency``): rate, respondents, ``answers``
    and ``satisfied`` (weighted answers: never « answered », the calls' word)."""
    if not chosen:
        return []
    q = _answers(f, s)
    keys = [q.c.theme, *[q.c[b] for b in by]]
    rows = conn.execute(
        select(
            *keys,
            func.sum(q.c.w_satisfied).label("satisfied"),
            func.sum(q.c.w_answered).label("answers"),
            func.count(func.distinct(q.c.respondent)).label("respondents"),
        )
        .where(q.c.wave.in_(chosen))
        .group_by(*keys)
        .order_by(*keys)
    ).mappings()
    return [dict(r) | {"rate": ratio(r["satisfied"], r["answers"])} for r in rows if r["answers"]]


def after_request(
    conn: Connection, f: Filters, s: Settings = DEFAULT_SETTINGS, by: str | None = None
) -> list[dict]:
    """« À chaud » surveys: the share of satisfied answers about the requests created in
    the period; ``by`` ``category`` or ``kept`` (whether the commitment was kept)."""
    q = _answers(f, s, periodic=False)
    r = scopes.requests(f, created_from=f.start)
    assessed, kept = commitment(r.c, f)
    groups = {
        None: [],
        "category": [r.c.category],
        "kept": [case((kept, "respecté"), (assessed, "non respecté"), else_="sans engagement")],
    }[by]
    labelled = [g.label(by) for g in groups]
    rows = conn.execute(
        select(
            *labelled,
            func.sum(q.c.w_satisfied).label("satisfied"),
            func.sum(q.c.w_answered).label("answers"),
            func.count(func.distinct(q.c.respondent)).label("respondents"),
        )
        .select_from(q.join(r, r.c.request_id == q.c.request_id))
        .group_by(*groups)
    ).mappings()
    return [dict(x) | {"rate": ratio(x["satisfied"], x["answers"])} for x in rows if x["answers"]]


def references(conn: Connection) -> list[dict]:
    r = fact_satisfaction_reference.c
    query = select(r.wave, r.perimeter, r.theme, r.rate).order_by(r.theme, r.perimeter, r.wave)
    return [dict(row) for row in conn.execute(query).mappings()]


def overview(engine, f: Filters, s: Settings = DEFAULT_SETTINGS) -> dict:
    """What the Satisfaction page shows, in one connection: the waves, the rates per theme
    now and at the previous wave, per agency, the « à chaud » surveys by category and by
    commitment, and the sector's references."""
    with engine.connect() as conn:
        chosen, previous = waves(conn, f, s)
        return {
            "waves": chosen,
            "previous": previous,
            "now": theme_rates(conn, f, chosen, s),
            "before": theme_rates(conn, f, [previous], s) if previous else [],
            "agencies": theme_rates(conn, f, chosen, s, by=["agency"]),
            "after_category": after_request(conn, f, s, by="category"),
            "after_kept": after_request(conn, f, s, by="kept"),
            "references": references(conn),
        }
