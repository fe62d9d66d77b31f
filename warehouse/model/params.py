"""The common filters of every KPI and the settings of the catalogue, with the spec's defaults."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date


@dataclass(frozen=True)
class Filters:
    """Period (both ends included) and the dimension filters; empty tuples mean all."""

    start: date
    end: date
    organisme: str | None = None
    agencies: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()  # dim_channel codes: crl, astreinte, agence, gardien...
    categories: tuple[str, ...] = ()  # dim_category codes
    queues: tuple[str, ...] = ()  # dim_queue codes
    # The agencies the user may see (warehouse.model.access); None means every agency. It is
    # applied on top of ``agencies`` in every scope, so no filter choice can widen it.
    allowed_agencies: tuple[str, ...] | None = None

    def shifted_years(self, years: int) -> Filters:
        """The same filters over the same period ``years`` earlier (29 Feb -> 28 Feb)."""

        def shift(d: date) -> date:
            try:
                return d.replace(year=d.year - years)
            except ValueError:
                return d.replace(year=d.year - years, day=28)

        return replace(self, start=shift(self.start), end=shift(self.end))

    @property
    def has_scope(self) -> bool:
        """True when the figures cover part of the organisation, not all of it."""
        return bool(self.organisme or self.agencies) or self.allowed_agencies is not None


@dataclass(frozen=True)
class Settings:
    short_abandon_s: int = 5
    service_levels_s: tuple[int, ...] = (60, 90)
    open_weekdays: tuple[int, ...] = (1, 2, 3, 4, 5)  # ISO weekdays
    open_from_slot: int = 17  # 08:30, in half-hour slots
    open_to_slot: int = 35  # 17:30 (exclusive)
    age_buckets_days: tuple[int, ...] = (7, 30, 90)
    repeat_window_days: int = 7
    satisfied_from_mark: int = 7  # a survey mark from this (to 10) is « satisfied »
    # a call whose motif family (folded) starts with one of these chases something: failure demand
    followup_motif_prefixes: tuple[str, ...] = ("relance", "suivi")


DEFAULT_SETTINGS = Settings()
