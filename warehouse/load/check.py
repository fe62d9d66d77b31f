"""A check a person can make after a telephony import: the file's calls per day (offered,
answered, abandoned, voicemail) and per hour of the day, as the import read them, for the
IT person to compare with the telephony system's own dashboard for one day: a wrong time
zone shows at once as calls before opening and a lunch dip an hour or two off.

Counted on the staged rows of the file (its calls, loaded or already known), with the
default settings' definition of an offered call; an outcome the export cannot give
(stored as unknown) is counted apart.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, and_, func, or_, select

from warehouse.model.params import DEFAULT_SETTINGS


def call_check(conn: Connection, stg: Table) -> tuple[list[dict], list[dict]]:
    """(per day: date, offered, answered, abandoned, voicemail, unknown outcome; per
    hour of the day: hour, offered), over the staged calls."""
    c = stg.c
    s = DEFAULT_SETTINGS
    offered = and_(
        c.is_inbound,
        or_(
            c.outcome.is_(None),
            c.outcome != "abandonne",
            c.wait_seconds.is_(None),
            c.wait_seconds >= s.short_abandon_s,
        ),
    )

    def count(*conditions):
        return func.count().filter(and_(offered, *conditions))

    day = c.date_key
    days = select(
        day,
        count().label("offered"),
        count(c.outcome == "decroche").label("answered"),
        count(c.outcome == "abandonne").label("abandoned"),
        count(c.outcome == "messagerie").label("voicemail"),
        count(c.outcome.is_(None)).label("unknown"),
    ).group_by(day)
    per_day = [
        {
            "date": f"{row.date_key // 10000:04d}-{row.date_key // 100 % 100:02d}-{row.date_key % 100:02d}",
            "offered": row.offered,
            "answered": row.answered,
            "abandoned": row.abandoned,
            "voicemail": row.voicemail,
            "unknown": row.unknown,
        }
        for row in conn.execute(days.order_by(day))
        if row.date_key is not None
    ]
    hour = func.floor(c.time_key / 2.0)
    hours = select(hour.label("hour"), count().label("offered")).group_by(hour).order_by(hour)
    per_hour = [
        {"hour": int(row.hour), "offered": row.offered}
        for row in conn.execute(hours)
        if row.hour is not None and row.offered
    ]
    return per_day, per_hour
