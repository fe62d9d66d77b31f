"""What was known at the end of a period: the one rule every KPI, list and report uses.

A period is only ever described, and compared, with what had happened by its last day:

- a survey answer counts from the day of its interview (an undated answer, which nothing
  places after the period, counts); a wave is known once one of its answers is, and the
  latest wave known is the one a period without interviews takes;
- a request is open at the end of the period when it was created by then and not closed
  or cancelled by then, whatever its status today; its status at that date is its status
  today if it had closed by then, else « en cours » once its first action had come and
  « ouverte » before;
- a first action counts from its day, so a commitment is late at the end of the period
  when its deadline has passed with no action by then.

A request's milestones are those of the latest export loaded (kpis.md): a later export
that dates a closure after the period's end leaves the request open at that end.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, literal, or_

from warehouse.model.scopes import date_key

CLOSING = ("cloturee", "annulee")


def answer_known(answer_date, end: date):
    """A survey answer known by ``end``: interviewed on or before it, or undated."""
    return or_(answer_date.is_(None), answer_date <= end)


def acted(c, end: date):
    """A request whose first action had come by ``end`` (``c``: a request scope's columns)."""
    return c.first_action_date_key <= date_key(end)


def closed(c, end: date):
    """A request closed or cancelled by ``end``."""
    return c.closed_date_key <= date_key(end)


def open_at(c, end: date):
    """A request still open at ``end``: not closed by then, and not a closed or cancelled
    request without a closing date (nothing says when it closed: not counted as open).
    The scope's rows are created by ``end`` already (``scopes.requests``)."""
    return and_(
        or_(c.closed_date_key.is_(None), c.closed_date_key > date_key(end)),
        ~and_(c.status.in_(CLOSING), c.closed_date_key.is_(None)),
    )


def status_at(c, end: date):
    """A request's status at ``end`` (see the module's rule)."""
    return case(
        (closed(c, end), c.status),
        (c.status.not_in(CLOSING), c.status),
        (acted(c, end), literal("en cours")),
        else_=literal("ouverte"),
    )
