"""Every setting read from the environment, declared once: name, default and meaning.

The code reads them through :func:`get` only; the README's table of settings is checked
against :data:`SETTINGS` (``tests/test_docs.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None  # None: unset unless given
    meaning: str
    shown_default: str = ""  # the default as the README shows it, when not the value itself


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "WAREHOUSE_URL",
            None,
            "SQLAlchemy URL of the warehouse, e.g. `postgresql+psycopg://user@host/db`",
            "`duckdb:///data/warehouse.duckdb` (a first start builds the demo there)",
        ),
        Setting(
            "PILOTAGE_DATA_DIR",
            "data",
            "folder of the embedded warehouse and its demo exports",
            "`data/` in the project",
        ),
        Setting(
            "PILOTAGE_PSEUDONYM_KEY",
            None,
            "secret key of the pseudonyms, at least 32 characters (see Personal data)",
            "a key file (see Personal data)",
        ),
        Setting(
            "PILOTAGE_PSEUDONYM_KEY_FILE",
            None,
            "file of the pseudonym key when `PILOTAGE_PSEUDONYM_KEY` is not given, generated "
            "once (mode 600) if missing; never put it beside the warehouse",
            "`$XDG_CONFIG_HOME/pilotage-grl/pseudonym.key` (`~/.config/…`)",
        ),
        Setting(
            "PILOTAGE_ACCESS_FILE",
            ".streamlit/access.toml",
            "the access file: who has which role and agencies (see Deploying)",
        ),
        Setting(
            "PILOTAGE_RETENTION_MONTHS",
            "36",
            "months of call detail `python -m warehouse purge` keeps",
        ),
        Setting(
            "PILOTAGE_DUCKDB_MEMORY",
            "500MB",
            "DuckDB memory limit of the read-only readers (dashboard, `python -m warehouse kpis`)",
        ),
        Setting(
            "PILOTAGE_DUCKDB_IMPORT_MEMORY",
            "512MB",
            "DuckDB memory limit of an import; beyond it DuckDB writes to temporary files "
            "beside the warehouse, as the staged rows of a file do: an import's memory does "
            "not grow with the file's length",
        ),
        Setting(
            "PILOTAGE_DEMO_DWELLINGS",
            "25000",
            "dwellings of the demo warehouse a first start builds",
        ),
        Setting(
            "PILOTAGE_PROFILES_DIR",
            None,
            "folder of your own import profiles (`*.toml`), beside the shipped ones",
        ),
        Setting(
            "PILOTAGE_MAIL_CONFIG",
            "mail.toml",
            "mail settings of `report --mail` and `alerts --mail` (SMTP, recipients)",
        ),
        Setting(
            "PILOTAGE_ALERT_RULES",
            "alertes.toml",
            "the alert rules file of `python -m warehouse alerts`",
        ),
        Setting(
            "PILOTAGE_WARM_S",
            "15",
            "seconds between two checks of the dashboard's warming thread, which keeps the "
            "default view computed for the next visitor; `0` turns it off",
        ),
        Setting(
            "PILOTAGE_LOCK_WAIT_S",
            "300",
            "seconds a DuckDB connection waits while another process holds the file",
        ),
        Setting(
            "PILOTAGE_MAX_FIELD_CHARS",
            "100000",
            "longest field an import reads, in characters; a longer one quarantines its row",
        ),
        Setting(
            "PILOTAGE_TEST_PG_URL",
            "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
            "PostgreSQL server the tests create their own database on (and drop it)",
        ),
        Setting(
            "PILOTAGE_REQUIRE_PG",
            None,
            "`1`: the PostgreSQL tests fail instead of skipping (CI sets it)",
        ),
        Setting(
            "PILOTAGE_REQUIRE_BROWSER",
            None,
            "`1`: the browser tests fail instead of skipping without Chromium (CI sets it)",
        ),
    )
}


def get(name: str) -> str | None:
    """The setting's value: the environment's, else its default (None when unset)."""
    return os.environ.get(name) or SETTINGS[name].default


def is_set(name: str) -> bool:
    """Whether the environment gives the setting (not its default)."""
    return bool(os.environ.get(name))
