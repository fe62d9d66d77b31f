"""The session's state a page reads: the user's access and the filters ``app.py`` drew in
the sidebar for this run, the period's quick choices, the organisme reference of a user
limited to some agencies."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import streamlit as st

from pages import data, widgets
from warehouse.kpis import Filters
from warehouse.model.access import LOCAL, Access

PERIODS = {
    "last_year": "Dernière année complète",
    "this_month": "Ce mois-ci",
    "last_month": "Mois dernier",
    "this_year": "Cette année",
    "last_12": "12 derniers mois",
    "custom": "Personnalisée",
}


def period_bounds(choice: str, today: date, custom: tuple[date, date]) -> tuple[date, date]:
    """The dates of a quick choice, counted from ``today`` (the calendar's today, not the
    last day of loaded data: « Ce mois-ci » is this month)."""
    first_of_month = today.replace(day=1)
    if choice == "this_month":
        return first_of_month, today
    if choice == "last_month":
        end = first_of_month - timedelta(days=1)
        return end.replace(day=1), end
    if choice == "this_year":
        return date(today.year, 1, 1), today
    if choice == "last_12":
        year, month = today.year, today.month - 11
        if month <= 0:
            year, month = year - 1, month + 12
        return date(year, month, 1), today
    if choice == "custom":
        return custom
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)  # the last full year


def current_filters() -> Filters | None:
    """The filters drawn by ``app.py`` in the sidebar for this run (None: nothing loaded)."""
    return st.session_state.get("filters")


def require_filters() -> Filters:
    """The page's filters; without any loaded data, a message and the page stops here."""
    f = current_filters()
    if f is None:
        widgets.empty(
            "Aucune donnée n'est chargée : importez des fichiers avec `python -m loaders import`."
        )
        st.stop()
    return f


def access() -> Access:
    """The session's access, resolved by ``app.py``."""
    return st.session_state.get("access", LOCAL)


def organisme_reference(f: Filters) -> Filters | None:
    """For a user limited to some agencies: the same period over their organisme (every
    agency of it), shown as a reference only. None for the other users."""
    allowed = access().agencies
    if allowed is None:
        return None
    organisme = scope_organisme(allowed)
    if organisme is None:
        return None
    return replace(f, organisme=organisme, agencies=(), allowed_agencies=None)


def scope_organisme(allowed: tuple[str, ...]) -> str | None:
    """The one organisme of a user's agencies; None when they span several, or none of
    them is in the warehouse (no reference then: the whole warehouse is no organisme)."""
    agencies = data.reference("agencies")
    organismes = agencies.loc[agencies["agency_code"].isin(allowed), "organisme"].dropna()
    return organismes.iloc[0] if organismes.nunique() == 1 else None
