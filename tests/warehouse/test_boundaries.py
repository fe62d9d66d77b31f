"""Every KPI threshold with a value on it and one beside it (``boundary_dataset.py``),
worked out by hand; each rule turned by one step (``<= 90`` into ``< 90``, 7 days into 8,
08:30 into 08:29...) fails one of these tests.

Period: 28 April - 31 May 2025. Calls (all inbound, CRL queue):

- H0829, H0830, H1729, H1730 (Monday 5 May, answered after 10 s): the centre is open
  from 08:30 (slot 17) to 17:30 (slot 35, excluded): H0829 and H1730 are out of hours.
- W60, W61, W90, W91 (answered after 60, 61, 90, 91 s).
- AB4, AB5, AB6 (abandoned after 4, 5, 6 s): a call abandoned in under 5 s is not
  offered, so AB4 is left out and AB5, AB6 are offered and abandoned.
- R1A, R1B (number X, 5 May 10:00 then 12 May 10:00: exactly 7 days), R2A, R2B (number
  Y, 5 May 11:00 then 13 May 11:00: 8 days), answered after 10 s.

Offered: 15 - AB4 = 14. Answered: 4 + 4 + 4 = 12. Abandoned: AB5, AB6 = 2.
- service level 90 s: answered within 90 s / offered = (4 + W60 W61 W90 + 4) / 14 = 11/14
  (``< 90`` gives 10/14);
- service level 60 s: (4 + W60 + 4) / 14 = 9/14 (``< 60`` gives 8/14);
- abandon rate 2/14 (a short abandon at ``<= 5`` gives 1/13);
- out of hours: H0829, H1730 = 2/14 (opening at 08:29 gives 1/14, closing at 17:31 too);
- repeat calls: identified offered calls R1A R1B R2A R2B = 4, repeats R1B (X called 7
  days before, the window's edge) = 1/4 (a window of 6 days or ``>`` gives 0, of 8 days
  gives 2/4).

Requests (complaints, 1 business day, CRL, AG01), French public holidays 1 and 8 May:
- E1, created Tue 29/4: due Wed 30/4 (a holiday's eve), acted 30/4 17:00: kept;
- E2, created Tue 29/4: due Wed 30/4, acted Fri 2/5: late;
- E3, created Wed 30/4: 1 May is off, due Fri 2/5, acted 2/5: kept;
- E4, created Wed 7/5: 8 May is off, due Fri 9/5, acted 9/5: kept.
Commitments kept: 3/4 (``acted < due`` gives 0/4; holidays ignored give 1/4: E3 due
1/5 and E4 due 8/5 are late).
"""

from __future__ import annotations

import re
from datetime import UTC, date

import pandas as pd
import pytest

from loaders.pipeline import import_file
from tests.util import load_files, read_frame, write_export
from tests.warehouse.boundary_dataset import FILES, REGISTRE
from warehouse.kpis import Filters, compute_all
from warehouse.model import schema
from warehouse.model.params import Settings

PERIOD = Filters(date(2025, 4, 28), date(2025, 5, 31))
# Other settings than the default ones read the call detail, the default ones the daily
# aggregates: both ways are checked.
DETAIL = Settings(service_levels_s=(60, 90, 30))

EXPECTED = {
    "offered_calls": 14,
    "answered_calls": 12,
    "service_level_90": 11 / 14,
    "service_level_60": 9 / 14,
    "abandon_rate": 2 / 14,
    "out_of_hours_share": 2 / 14,
    "repeat_call_rate": 1 / 4,
    "commitment_kept": 3 / 4,
}


@pytest.fixture
def loaded(engine, tmp_path):
    return load_files(engine, tmp_path, FILES)


@pytest.mark.parametrize("settings", [None, DETAIL], ids=["aggregates", "detail"])
def test_every_threshold_on_and_beside(loaded, settings):
    args = (settings,) if settings else ()
    got = {k.id: k.value for k in compute_all(loaded, PERIOD, *args)}
    for kpi_id, value in EXPECTED.items():
        assert got[kpi_id] == pytest.approx(value), kpi_id


def test_deadlines_around_public_holidays(loaded):
    """The stored deadlines, as the module docstring works them out."""
    due = read_frame(loaded, schema.fact_request).set_index("request_id")["first_action_due_date"]
    assert {k: pd.Timestamp(v).date() for k, v in due.items()} == {
        "E1": date(2025, 4, 30),
        "E2": date(2025, 4, 30),
        "E3": date(2025, 5, 2),
        "E4": date(2025, 5, 9),
    }


def test_a_phone_number_in_a_register_request_id_is_masked(engine, tmp_path):
    """A register's ``num_demande`` holding « 06 12 34 56 78 » is stored as a keyed token
    (``TEL-`` and 10 hex characters: one id stays one id) with no run of its digits
    anywhere in the contact's row; a real request number stays as it is."""
    report = import_file(engine, write_export(tmp_path / "registre.csv", REGISTRE))
    assert report.status == "loaded" and report.rows_loaded == 2
    contacts = read_frame(engine, schema.fact_contact)
    ids = sorted(str(v) for v in contacts["request_id"])
    assert "D-2025-0042" in ids
    masked = next(v for v in ids if v != "D-2025-0042")
    assert re.fullmatch(r"TEL-[0-9A-F]{10}", masked), masked
    assert not any(run in masked for run in ("0612", "1234", "2345", "3456", "4567", "5678"))
    for row in contacts.astype(str).itertuples(index=False):
        assert not any("12 34 56 78" in cell or "0612345678" in cell for cell in row)


def _epoch(text: str) -> str:
    """A UTC time (``2025-05-05 06:29``) as the UNIX timestamp Aircall's API gives."""
    from datetime import datetime

    return str(int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()))


def test_opening_hours_are_paris_time_for_an_export_in_utc(engine, tmp_path):
    """Aircall's API gives UTC. Paris is UTC+2 on Monday 5 May 2025 (summer time) and UTC+1
    on Monday 3 March 2025: 06:29 and 07:29 UTC are 08:29 in Paris (slot 16, closed),
    06:30/07:30 UTC 08:30 (slot 17, open), 15:29/16:29 UTC 17:29 (slot 34, open), 15:30/16:30
    UTC 17:30 (slot 35, closed). Out of hours: 2 of the 4 answered calls each day."""
    header = "id,started_at,answered_at,ended_at,direction,raw_digits,user,missed_call_reason"
    times = {
        "S0829": "2025-05-05 06:29",
        "S0830": "2025-05-05 06:30",
        "S1729": "2025-05-05 15:29",
        "S1730": "2025-05-05 15:30",
        "W0829": "2025-03-03 07:29",
        "W0830": "2025-03-03 07:30",
        "W1729": "2025-03-03 16:29",
        "W1730": "2025-03-03 16:30",
    }
    lines = [header]
    for call_id, at in times.items():
        start = int(_epoch(at))
        lines.append(f"{call_id},{start},{start + 10},{start + 70},inbound,+33611111111,Paul,")
    path = tmp_path / "aircall_api.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(engine, path)
    assert (report.status, report.profile, report.rows_loaded) == ("loaded", "aircall-api", 8)
    slots = read_frame(engine, schema.fact_call).set_index("call_id")["time_key"].to_dict()
    assert slots == {
        "S0829": 16,
        "S0830": 17,
        "S1729": 34,
        "S1730": 35,
        "W0829": 16,
        "W0830": 17,
        "W1729": 34,
        "W1730": 35,
    }
    for day in (date(2025, 5, 5), date(2025, 3, 3)):
        got = {k.id: k.value for k in compute_all(engine, Filters(day, day))}
        assert got["out_of_hours_share"] == pytest.approx(2 / 4), day
