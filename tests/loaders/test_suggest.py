"""``profile suggest`` drafts a profile of the new kind: the source told by names and
values, header-less files read, no mapping whose types cannot fit, what it could not
decide listed; then the worked example of docs/import-formats.md, end to end."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from loaders.pipeline import import_file
from loaders.suggest import read_sample, suggest
from warehouse.kpis import Filters, compute_all

SAMPLES = Path(__file__).resolve().parent / "samples"
ACD = (
    "Ref;Début;Sens;File;Appelant;Conseiller;Attente;Conversation;Résultat\n"
    "X1;2025/03/03 09:00:00;In;CRL;0612345678;Marie;20;00:03:00;Answered\n"
    "X2;2025/03/03 10:00:00;In;CRL;0612345679;;45;00:00:00;Abandoned\n"
    "X3;2025/03/03 18:00:00;In;CRL;0612345670;Paul;100;00:01:00;Answered\n"
    "X4;2025/03/04 09:00:00;Out;CRL;0612345671;Marie;0;00:00:30;Answered\n"
)


def test_the_worked_example_from_raw_export_to_kpis(engine, tmp_path, monkeypatch):
    """docs/import-formats.md: offered X1 X2 X3 (X4 outbound); answered X1, X3; within
    90 s X1 (X3 waited 100 s); ASA (20 + 100) / 2; abandoned X2; AHT (180 + 60) / 2; out
    of hours X3 (18 h)."""
    export = tmp_path / "appels-acd.csv"
    export.write_text(ACD, encoding="utf-8")
    text = suggest(export)
    assert 'source = "appels"' in text and "# À décider" not in text, text
    assert "as_time(\"Début\", '%Y/%m/%d %H:%M:%S') AS date_heure" in text
    assert "WHEN 'In' THEN 'entrant'" in text and "WHEN 'Answered' THEN 'decroche'" in text
    assert '"Conseiller" AS agent' in text and '"Ref" AS id_appel' in text
    folder = tmp_path / "profils"
    folder.mkdir()
    (folder / "appels-acd.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("PILOTAGE_PROFILES_DIR", str(folder))
    report = import_file(engine, export)
    assert report.status == "loaded" and report.profile == "appels-acd", (report, text)
    assert (report.rows_read, report.rows_loaded) == (4, 4)
    got = {k.id: k.value for k in compute_all(engine, Filters(date(2025, 3, 1), date(2025, 3, 31)))}
    assert got["offered_calls"] == 3 and got["answered_calls"] == 2
    assert got["answer_rate"] == pytest.approx(2 / 3)
    assert got["service_level_90"] == pytest.approx(1 / 3)
    assert got["asa_s"] == pytest.approx(60) and got["aht_s"] == pytest.approx(120)
    assert got["abandon_rate"] == pytest.approx(1 / 3)
    assert got["out_of_hours_share"] == pytest.approx(1 / 3)


def test_a_header_less_file_is_read_and_recognised_by_its_values(tmp_path):
    """Avaya's Knowledge Base records (no header): the first row is data, not names; the
    call log is recognised from its values (dates, I/O, clock durations)."""
    sample = read_sample(SAMPLES / "avaya" / "smdr-kb-examples.txt")
    assert not sample.has_header and len(sample.rows) == 6
    text = suggest(SAMPLES / "avaya" / "smdr-kb-examples.txt")
    assert 'source = "appels"' in text and "fields = [" in text and "patterns = {" in text
    assert "AS date_heure" in text and "# À décider" in text


def test_types_that_cannot_fit_are_never_proposed():
    """Zendesk's tickets: a request source; the requester id repeats (two tickets of one
    tenant), so it is never the request number; a date is never the agency; ``solved``
    is « clôturée »."""
    text = suggest(SAMPLES / "zendesk" / "tickets.csv")
    assert 'source = "demandes"' in text
    assert '"Id" AS num_demande' in text and '"Requester id" AS num_demande' not in text
    assert "WHEN 'solved' THEN 'cloturee'" in text or "cloturee" in text
    for line in text.splitlines():
        if line.strip().endswith("AS agence"):
            assert "at" not in line.split(" AS ")[0].lower()
    assert "# À décider" in text  # e.g. the Via values it has no code for


def test_a_call_log_is_not_taken_for_surveys_or_events():
    for path, source in [
        ("genesys/interactions.csv", "appels"),
        ("wazo/cdr.csv", "appels"),
        ("talkdesk/calls.csv", "appels"),
        ("aircall/call-history-2025-12.csv", "appels"),
    ]:
        assert f'source = "{source}"' in suggest(SAMPLES / path), path
