"""Realistic demo exports, calibrated on the sector figures of ``kpis.md``.

``build_demo`` writes the files a landlord's systems would export (with their messiness:
cp1252, ``;``, French dates, title rows, a few unreadable rows) from the 1 January of
``years - 1`` years before up to yesterday (every quick period of the dashboard then shows
data on first start), or for ``years`` full years ending with ``end_year``, and returns
their paths. Deterministic for a seed and an end date.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np

from loaders.demo import surveys
from loaders.demo.calls import make_calls
from loaders.demo.chases import with_failure_demand
from loaders.demo.events import demo_events
from loaders.demo.finance import make_costs, make_staffing
from loaders.demo.reference import make_agencies, make_dwellings
from loaders.demo.requests import make_contacts, make_requests, request_exports
from loaders.demo.write import write_csv, write_xlsx


def build_demo(
    out: Path,
    dwellings: int = 25_000,
    years: int = 3,
    seed: int = 2025,
    agencies: int = 5,
    end_year: int | None = None,
) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    end = date(end_year, 12, 31) if end_year else date.today() - timedelta(days=1)
    start = date(end.year - years + 1, 1, 1)
    files: list[Path] = []

    agency_frame = make_agencies(agencies)
    files.append(write_csv(agency_frame, out / "agences.csv", "utf-8-sig", ";"))
    dwelling_frame = make_dwellings(rng, dwellings, agency_frame, start, end)
    files.append(write_csv(dwelling_frame, out / "logements.csv", "cp1252", ";"))

    calls = make_calls(rng, dwelling_frame, start, end)
    requests = make_requests(rng, dwelling_frame, calls, start, end)
    calls = with_failure_demand(rng, calls, requests, dwelling_frame, start, end)
    contacts = make_contacts(rng, dwelling_frame, requests, start, end)
    styles = [("cp1252", ";", "fr"), ("utf-8-sig", ";", "fr"), ("utf-8", ",", "iso")]
    for i, year in enumerate(range(start.year, end.year + 1)):
        encoding, sep, dates = styles[i % len(styles)]
        frame = calls[calls["_year"] == year].drop(columns="_year")
        files.append(write_csv(frame, out / f"appels_{year}.csv", encoding, sep, dates))
        for code, part in contacts[contacts["_year"] == year].groupby("agence"):
            title = f"Registre d'accueil - agence {code} - {year}"
            files.append(
                write_xlsx(part.drop(columns="_year"), out / f"registre_{code}_{year}.xlsx", title)
            )
    for as_of, frame in request_exports(requests, end):
        files.append(write_csv(frame, out / f"demandes_export_{as_of:%Y%m%d}.csv", "cp1252", ";"))
    files.append(
        write_csv(make_costs(rng, dwellings, start, end), out / "couts.csv", "cp1252", ";")
    )
    files.append(
        write_csv(make_staffing(rng, dwellings, start, end), out / "effectifs.csv", "utf-8", ";")
    )
    files.append(write_csv(demo_events(start, end), out / "evenements.csv", "utf-8", ";"))
    files.append(write_csv(surveys.questionnaire(), out / "questionnaire.csv", "utf-8", ";"))
    refs = surveys.references()
    files.append(write_csv(refs, out / "references_satisfaction.csv", "utf-8", ";"))
    for year, wave in surveys.waves(rng, dwelling_frame, requests, start, end):
        files.append(write_csv(wave, out / f"enquete_satisfaction_{year}.csv", "cp1252", ";"))
    hot = surveys.after_requests(rng, requests, end)
    files.append(write_csv(hot, out / "enquetes_a_chaud.csv", "utf-8", ";"))
    return files
