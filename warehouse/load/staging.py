"""Temporary staging tables: the typed rows of one file, before they are merged.

Each loader's staged frame has exactly these columns. The tables are created as
TEMPORARY inside the load's transaction, so they vanish with the connection.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
)

staging_metadata = MetaData()


def _stg(name: str, *columns: Column) -> Table:
    return Table(
        name,
        staging_metadata,
        Column("line_number", Integer, nullable=False),
        *columns,
        prefixes=["TEMPORARY"],
    )


stg_call = _stg(
    "stg_call",
    Column("call_id", String),
    Column("call_at", DateTime),
    Column("date_key", Integer),
    Column("time_key", SmallInteger),
    Column("queue_code", String),
    Column("advisor_code", String),
    Column("dwelling_code", String),
    Column("caller_key", String),
    Column("is_inbound", Boolean),
    Column("outcome", String),
    Column("wait_seconds", Integer),
    Column("talk_seconds", Integer),
    Column("motif_label", String),
    Column("motif_family", String),
    Column("is_settled_first_level", Boolean),
    Column("request_id", String),
)

stg_contact = _stg(
    "stg_contact",
    Column("contact_id", String),
    Column("contact_at", DateTime),
    Column("date_key", Integer),
    Column("time_key", SmallInteger),
    Column("agency_code", String),
    Column("channel_code", String),
    Column("dwelling_code", String),
    Column("motif_label", String),
    Column("motif_family", String),
    Column("follow_up", String),
    Column("request_id", String),
)

stg_request = _stg(
    "stg_request",
    Column("request_id", String),
    Column("created_at", DateTime),
    Column("created_date_key", Integer),
    Column("first_action_at", DateTime),
    Column("first_action_date_key", Integer),
    Column("closed_at", DateTime),
    Column("closed_date_key", Integer),
    Column("channel_code", String),
    Column("agency_code", String),
    Column("dwelling_code", String),
    Column("category_code", String),
    Column("subcategory", String),
    Column("request_type", String),
    Column("urgency_days", SmallInteger),
    Column("is_calendar_commitment", Boolean),
    Column("first_action_due_date", Date),
    Column("status", String),
    Column("closure_level", SmallInteger),
    Column("followup_count", Integer),
    Column("days_to_first_action", Double),
    Column("days_to_close", Double),
    Column("progress_rank", Integer),
)

stg_agency = _stg(
    "stg_agency",
    Column("agency_code", String),
    Column("agency_name", String),
    Column("territory", String),
    Column("organisme", String),
    Column("opened_date", Date),
)

stg_dwelling = _stg(
    "stg_dwelling",
    Column("dwelling_code", String),
    Column("agency_code", String),
    Column("residence", String),
    Column("commune", String),
    Column("dwelling_type", String),
    Column("entered_date", Date),
    Column("left_date", Date),
)

stg_cost = _stg(
    "stg_cost",
    Column("month_date", Date),
    Column("month_index", Integer),  # year * 12 + month - 1
    Column("cost_centre", String),
    Column("nature", String),
    Column("amount_eur", Double),
)

stg_staffing = _stg(
    "stg_staffing",
    Column("date_key", Integer),
    Column("team", String),
    Column("advisor_fte", Double),
    Column("supervisor_fte", Double),
)

stg_answer = _stg(
    "stg_answer",
    Column("wave", String),
    Column("respondent_id", String),
    Column("answer_date", Date),
    Column("dwelling_code", String),
    Column("agency_code", String),
    Column("request_id", String),
    Column("weight", Double),
    Column("question_code", String),
    Column("mark", Double),
    Column("level", SmallInteger),
)

stg_question = _stg(
    "stg_question",
    Column("question_code", String),
    Column("theme", String),
    Column("label", String),
)

stg_sat_reference = _stg(
    "stg_sat_reference",
    Column("wave", String),
    Column("perimeter", String),
    Column("theme", String),
    Column("rate", Double),
)

stg_event = _stg(
    "stg_event",
    Column("start_date", Date),
    Column("end_date", Date),
    Column("label", String),
    Column("kind", String),
)

STAGING_TABLES = {
    "evenements": stg_event,
    "enquetes": stg_answer,
    "questionnaire": stg_question,
    "references_satisfaction": stg_sat_reference,
    "appels": stg_call,
    "registres": stg_contact,
    "demandes": stg_request,
    "agences": stg_agency,
    "logements": stg_dwelling,
    "couts": stg_cost,
    "effectifs": stg_staffing,
}
