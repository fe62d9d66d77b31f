"""The star schema: every table of the warehouse, declared once.

Dimensions are ``dim_*``, facts ``fact_*``; keys are ``<thing>_key`` (surrogate) or
``<thing>_id`` (natural), booleans ``is_*``/``has_*``, timestamps ``*_at``, dates ``*_date``,
units as suffixes. Surrogate keys are assigned by the loading SQL (no autoincrement:
DuckDB's dialect turns an Integer primary key into SERIAL), except the load id, which comes
from a sequence. Foreign keys are named by convention and indexed but not
declared: DuckDB refuses updates of rows that a foreign key references.

Secondary indexes on the large tables, and the primary keys of the two insert-only event
facts (calls, contacts), are created on PostgreSQL only (``server_only``). DuckDB reads a
date range through its zonemaps (a min-max per block, always there); its ART index serves
only lookups of under 0.1 % of rows, and costs at load: 0.85 s per million calls for
``fact_call``'s primary key, half of it at commit. The merge inserts only the ids the table
does not hold yet, under the writer's lock (``warehouse/load/merge_facts.py``), which is what
keeps call and contact ids unique on both dialects.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Sequence,
    SmallInteger,
    String,
    Table,
    Text,
    text,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def server_only(item: Index | PrimaryKeyConstraint):
    """An index or key created on PostgreSQL, not on DuckDB (see the module's docstring)."""
    return item.ddl_if(dialect="postgresql")


load_id_seq = Sequence("load_history_load_id_seq", metadata=metadata)

# --- Dimensions -------------------------------------------------------------------------

dim_date = Table(
    "dim_date",
    metadata,
    Column("date_key", Integer, primary_key=True, autoincrement=False),  # yyyymmdd
    Column("full_date", Date, nullable=False, unique=True),
    Column("year", SmallInteger, nullable=False),
    Column("quarter", SmallInteger, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("month_start_date", Date, nullable=False),
    Column("iso_year", SmallInteger, nullable=False),
    Column("iso_week", SmallInteger, nullable=False),
    Column("iso_weekday", SmallInteger, nullable=False),  # 1 = Monday
    Column("day_of_month", SmallInteger, nullable=False),
    Column("is_weekend", Boolean, nullable=False),
    Column("is_holiday", Boolean, nullable=False),
    Column("holiday_name", String(60)),
    Column("is_business_day", Boolean, nullable=False),
    Column("business_day_index", Integer, nullable=False),
)

dim_time = Table(
    "dim_time",
    metadata,
    Column("time_key", SmallInteger, primary_key=True, autoincrement=False),  # half-hour 0-47
    Column("slot_start", String(5), nullable=False),
    Column("hour", SmallInteger, nullable=False),
    Column("minute", SmallInteger, nullable=False),
)

dim_agency = Table(
    "dim_agency",
    metadata,
    Column("agency_key", Integer, primary_key=True, autoincrement=False),
    Column("agency_code", String(40), nullable=False, unique=True),
    Column("agency_name", String(200)),
    Column("territory", String(200)),
    Column("organisme", String(200)),
    Column("opened_date", Date),
    Column("is_inferred", Boolean, nullable=False),  # seen in a fact before the reference file
)

dim_dwelling = Table(
    "dim_dwelling",
    metadata,
    Column("dwelling_key", Integer, primary_key=True, autoincrement=False),
    Column("dwelling_code", String(60), nullable=False, unique=True),
    Column("agency_key", Integer),
    Column("residence", String(200)),
    Column("commune", String(200)),
    Column("dwelling_type", String(20)),
    Column("entered_date", Date),
    Column("left_date", Date),
    Column("is_inferred", Boolean, nullable=False),
)

dim_channel = Table(
    "dim_channel",
    metadata,
    Column("channel_key", Integer, primary_key=True, autoincrement=False),
    Column("channel_code", String(40), nullable=False, unique=True),
    Column("channel_label", String(80), nullable=False),
    Column("channel_group", String(20), nullable=False),  # centre, agence, gardien, web, ...
)

dim_category = Table(
    "dim_category",
    metadata,
    Column("category_key", Integer, primary_key=True, autoincrement=False),
    Column("category_code", String(40), nullable=False, unique=True),
    Column("category_label", String(80), nullable=False),
)

dim_queue = Table(
    "dim_queue",
    metadata,
    Column("queue_key", Integer, primary_key=True, autoincrement=False),
    Column("queue_code", String(60), nullable=False, unique=True),
    Column("is_on_call", Boolean, nullable=False),  # astreinte (out-of-hours service)
)

dim_advisor = Table(
    "dim_advisor",
    metadata,
    Column("advisor_key", Integer, primary_key=True, autoincrement=False),
    Column("advisor_code", String(20), nullable=False, unique=True),  # keyed hash, never a name
)

# --- Facts ------------------------------------------------------------------------------

fact_call = Table(
    "fact_call",
    metadata,
    Column("call_id", String(80), nullable=False),
    Column("load_id", Integer, nullable=False),
    Column("call_at", DateTime, nullable=False),
    Column("date_key", Integer, nullable=False),
    Column("time_key", SmallInteger, nullable=False),
    Column("queue_key", Integer, nullable=False),
    Column("advisor_key", Integer),
    Column("dwelling_key", Integer),
    Column("caller_key", String(32)),  # keyed hash of the caller's number
    Column("is_inbound", Boolean, nullable=False),
    # decroche, abandonne, dissuade, messagerie; NULL when the export cannot tell (Teams)
    Column("outcome", String(12)),
    Column("wait_seconds", Integer),  # NULL when the export cannot measure it
    Column("talk_seconds", Integer),  # NULL when the export cannot measure it
    Column("motif_label", String(200)),
    Column("motif_family", String(100)),  # folded text before " - "
    Column("is_settled_first_level", Boolean),
    Column("request_id", String(80)),
    # the same number's previous offered call (warehouse/load/repeats.py), kept up to date at import
    Column("previous_offered_at", DateTime),
    server_only(PrimaryKeyConstraint("call_id")),
    server_only(Index(None, "date_key")),
    # The calls that name a request (6 % of them in the demo), with what the follow-ups and
    # the chases read of them: PostgreSQL scans these instead of every call (at 10 million
    # calls, the chased categories 1.45 -> 0.75 s, the most-chased requests 1.36 -> 0.91 s).
    server_only(
        Index(
            "ix_fact_call_request_calls",
            "request_id",
            "date_key",
            postgresql_include=[
                "caller_key",
                "is_inbound",
                "outcome",
                "wait_seconds",
                "queue_key",
            ],
            postgresql_where=text("request_id IS NOT NULL"),
        )
    ),
)

# Daily call aggregates: per day, queue and agency (of the identified dwelling; NULL when
# none), the measures of warehouse.kpis.calls.aggregates computed with the default settings.
CALL_DAY_MEASURES = (
    "offered",
    "answered",
    "abandoned",
    "wait_sum",
    "talk_sum",
    "out_of_hours",
    "answered_in_hours",
    "qualified",
    "complaints",
    "settled_known",
    "settled",
    "outbound",
    "answered_60",
    "answered_90",
    "repeat_unlinked",
    "identified",
    "repeats",
    "offered_known",  # offered calls whose outcome is known
    "answered_wait_known",  # answered calls whose wait is known
    "answered_talk_known",  # answered calls whose talk time is known
)
# Measures a later version added: an older warehouse's rows get them from the ones they
# equalled then (every call's outcome and wait were known).
CALL_DAY_BACKFILL = {
    "offered_known": "offered",
    "answered_wait_known": "answered",
    "answered_talk_known": "answered",
}


def _day_table(name: str, measures: tuple[str, ...], *groups: Column) -> Table:
    """A daily aggregate of calls: per day, queue and agency (and ``groups``), each measure a
    count or, named ``*_sum``, a sum."""
    return Table(
        name,
        metadata,
        Column("date_key", Integer, nullable=False),
        Column("queue_key", Integer, nullable=False),
        Column("agency_key", Integer),
        *groups,
        *[
            Column(m, Double if m.endswith("_sum") else BigInteger, nullable=False)
            for m in measures
        ],
        server_only(Index(None, "date_key")),
    )


# Call detail past the retention period (warehouse/load/retention.py) leaves these aggregates,
# and the repeat calls each request had among the purged calls (agg_request_repeat).
agg_call_day = _day_table("agg_call_day", CALL_DAY_MEASURES)
# The same for the days whose detail is kept, refreshed at import (warehouse/load/aggregates.py):
# what call totals and series are served from.
agg_call_kept = _day_table("agg_call_kept", CALL_DAY_MEASURES)

# Calls per day, queue, agency, request category, motif family and motif, with the measures
# of failure demand and the reasons table (warehouse/model/failure.py), default settings:
# what those KPIs read, for the purged days (agg_call_reason_day) and the kept ones.
REASON_DAY_MEASURES = (
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
    "settled",
    "settled_known",
    "identified",
)


def _reason_table(name: str) -> Table:
    return _day_table(
        name,
        REASON_DAY_MEASURES,
        Column("category_key", Integer),  # of the request the calls name; NULL: none known
        Column("motif_family", String(100)),
        Column("motif_label", String(200)),
    )


agg_call_reason_day = _reason_table("agg_call_reason_day")
# The same for the days whose detail is kept, refreshed at import (warehouse/load/aggregates.py).
agg_call_reason_kept = _reason_table("agg_call_reason_kept")

agg_request_repeat = Table(
    "agg_request_repeat",
    metadata,
    Column("request_id", String(80), primary_key=True),
    Column("date_key", Integer, primary_key=True),
    Column("repeat_calls", BigInteger, nullable=False),
)

fact_contact = Table(
    "fact_contact",
    metadata,
    Column("contact_id", String(40), nullable=False),  # hash of the line and its occurrence
    Column("load_id", Integer, nullable=False),
    Column("contact_at", DateTime, nullable=False),
    Column("date_key", Integer, nullable=False),
    Column("time_key", SmallInteger, nullable=False),
    Column("agency_key", Integer, nullable=False),
    Column("channel_key", Integer, nullable=False),
    Column("dwelling_key", Integer),
    Column("motif_label", String(200)),
    Column("motif_family", String(100)),
    Column("follow_up", String(30)),  # reponse immediate, demande creee, orientation
    Column("request_id", String(80)),
    server_only(PrimaryKeyConstraint("contact_id")),
    server_only(Index(None, "date_key")),
)

fact_request = Table(
    "fact_request",
    metadata,
    Column("request_id", String(80), primary_key=True),
    Column("load_id", Integer, nullable=False),  # the load that last changed the row
    Column("created_at", DateTime, nullable=False),
    Column("created_date_key", Integer, nullable=False),
    Column("first_action_at", DateTime),
    Column("first_action_date_key", Integer),
    Column("closed_at", DateTime),
    Column("closed_date_key", Integer),
    Column("channel_key", Integer, nullable=False),
    Column("agency_key", Integer, nullable=False),
    Column("dwelling_key", Integer),
    Column("category_key", Integer, nullable=False),
    Column("subcategory", String(200)),
    Column("request_type", String(20), nullable=False),  # reclamation, renseignement
    Column("urgency_days", SmallInteger),
    Column("is_calendar_commitment", Boolean, nullable=False),
    Column("first_action_due_date", Date),
    Column("status", String(20), nullable=False),
    Column("closure_level", SmallInteger),
    Column("followup_count", Integer),
    Column("days_to_first_action", Double),
    Column("days_to_close", Double),
    Column("progress_rank", Integer, nullable=False),  # a stale export never lowers it
    server_only(Index(None, "created_date_key")),
)

fact_cost = Table(
    "fact_cost",
    metadata,
    Column("month_date", Date, primary_key=True),
    Column("cost_centre", String(40), primary_key=True),
    Column("nature", String(30), primary_key=True),
    Column("source_month_date", Date, primary_key=True),  # the month the amount was booked
    Column("load_id", Integer, nullable=False),
    Column("amount_eur", Double, nullable=False),
)

fact_staffing = Table(
    "fact_staffing",
    metadata,
    Column("date_key", Integer, primary_key=True, autoincrement=False),
    Column("team", String(40), primary_key=True),
    Column("load_id", Integer, nullable=False),
    Column("advisor_fte", Double, nullable=False),
    Column("supervisor_fte", Double, nullable=False),
)

fact_dwelling_month = Table(
    "fact_dwelling_month",
    metadata,
    Column("month_date", Date, primary_key=True),
    Column("agency_key", Integer, primary_key=True, autoincrement=False),
    Column("dwellings_count", Integer, nullable=False),  # dwellings managed at month end
)

# --- Tenant satisfaction surveys -------------------------------------------------------

dim_question = Table(
    "dim_question",
    metadata,
    Column("question_code", String(40), primary_key=True),
    Column("theme", String(60), nullable=False),  # global, accueil, demandes_techniques...
    Column("label", Text),
)

fact_survey_answer = Table(
    "fact_survey_answer",
    metadata,
    Column("wave", String(40), primary_key=True),
    Column("respondent_id", String(80), primary_key=True),
    Column("question_code", String(40), primary_key=True),
    Column("load_id", Integer, nullable=False),
    Column("answer_date", Date),
    Column("agency_key", Integer),  # the dwelling's agency, else the agency given
    Column("dwelling_key", Integer),
    Column("request_id", String(80)),  # an « à chaud » survey: the request it follows
    Column("weight", Double, nullable=False),
    Column("mark", Double),  # 0-10
    Column("level", SmallInteger),  # 4 très ... 1 pas du tout satisfait
)

fact_satisfaction_reference = Table(
    "fact_satisfaction_reference",
    metadata,
    Column("wave", String(40), primary_key=True),
    Column("perimeter", String(60), primary_key=True),  # national, regional, a benchmark
    Column("theme", String(60), primary_key=True),
    Column("load_id", Integer, nullable=False),
    Column("rate", Double, nullable=False),
)

fact_event = Table(
    "fact_event",
    metadata,
    Column("start_date", Date, primary_key=True),
    Column("label", String(120), primary_key=True),
    Column("load_id", Integer, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("kind", String(30), nullable=False),  # avis_echeance, chauffage, intemperies...
)

# --- Load tracking ----------------------------------------------------------------------

load_history = Table(
    "load_history",
    metadata,
    Column("load_id", Integer, load_id_seq, primary_key=True),
    Column("file_name", String(300), nullable=False),
    Column("file_path", Text, nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("source", String(40)),
    Column("status", String(20), nullable=False),  # loaded, rejected
    Column("rows_read", Integer, nullable=False),
    Column("rows_loaded", Integer, nullable=False),
    Column("rows_inserted", Integer, nullable=False),
    Column("rows_updated", Integer, nullable=False),
    Column("rows_duplicate", Integer, nullable=False),
    Column("rows_quarantined", Integer, nullable=False),
    Column("rows_blank", Integer, nullable=False),
    Column("message", Text),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=False),
    Index(None, "content_sha256"),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("load_id", Integer, primary_key=True, autoincrement=False),
    Column("entry_number", Integer, primary_key=True, autoincrement=False),  # 1, 2, ... per load
    Column("file_name", String(300), nullable=False),
    Column("line_number", Integer, nullable=False),
    Column("column_name", String(60)),
    Column("raw_content", Text, nullable=False),  # caller numbers masked
    Column("reason", Text, nullable=False),
)

# Facts about the warehouse itself (the fingerprint of the pseudonym key...).
warehouse_setting = Table(
    "warehouse_setting",
    metadata,
    Column("setting_name", String(60), primary_key=True),
    Column("setting_value", String(200), nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# The alerts found crossed by the last ``python -m warehouse alerts``: a row per active
# alert, removed when it clears, so that a rule mails once per crossing.
alert_state = Table(
    "alert_state",
    metadata,
    Column("rule_id", String(80), primary_key=True),
    Column("kpi_id", String(60), nullable=False),
    Column("agencies", String(400), nullable=False),  # comma-separated; empty: all
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("value", Double, nullable=False),
    Column("message", Text, nullable=False),
    Column("since_at", DateTime, nullable=False),  # first found crossed
    Column("checked_at", DateTime, nullable=False),
    Column("notified_at", DateTime),  # None until a mail has gone out
)
