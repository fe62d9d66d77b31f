"""The report and the alerts by mail, through an SMTP server the test starts on the loopback
(aiosmtpd), with a login whose password comes from the environment."""

from __future__ import annotations

import email
import socket
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.util import engine_url
from warehouse.cli import main
from warehouse.report.mail import MailError, read_settings

PASSWORD = "not-a-real-secret"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _login(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"pilotage" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok)


@pytest.fixture
def smtp():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=_login,
        auth_require_tls=False,
    )
    controller.start()
    yield inbox, port
    controller.stop()


def _settings(tmp_path: Path, port: int, extra: str = "") -> Path:
    path = tmp_path / "mail.toml"
    path.write_text(
        f"""[smtp]
host = "127.0.0.1"
port = {port}
starttls = false
user = "pilotage"
password_env = "TEST_SMTP_PASSWORD"
from = "Pilotage GRL <pilotage@example.org>"
{extra}
[rapport]
to = ["direction@example.org", "qualite@example.org"]

[alertes]
to = ["qualite@example.org"]
""",
        encoding="utf-8",
    )
    return path


def _rules(tmp_path: Path, period: str = "") -> Path:
    """One rule: the service level outside its target (80 % or more)."""
    path = tmp_path / "alertes.toml"
    rule = '[[alerte]]\nid = "sl"\nindicateur = "service_level_90"\ncible = true\n'
    path.write_text(rule + period + "\n", encoding="utf-8")
    return path


def test_the_report_is_mailed_with_both_files(loaded, smtp, tmp_path, monkeypatch, capsys):
    inbox, port = smtp
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    config = _settings(tmp_path, port)
    argv = ["--url", engine_url(loaded), "report", "--month", "2025-03", "--out", str(tmp_path)]
    assert main([*argv, "--mail", "--mail-config", str(config)]) == 0
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert inbox.recipients == [["direction@example.org", "qualite@example.org"]]
    assert message["Subject"] == (
        "Pilotage GRL — rapport qualité de mars 2025 (toutes les agences)"
    )
    files = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(files) == {"rapport_qualite_2025-03.pdf", "dossier_audit_2025-03.xlsx"}
    assert files["rapport_qualite_2025-03.pdf"].get_content().startswith(b"%PDF")
    assert "envoyé à direction@example.org" in capsys.readouterr().out


def test_alerts_are_mailed_once(loaded, smtp, tmp_path, monkeypatch, capsys):
    inbox, port = smtp
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    rules = _rules(tmp_path, 'periode = "mois"')
    argv = ["--url", engine_url(loaded), "alerts", "--rules", str(rules), "--date", "2025-03-31"]
    mail = ["--mail", "--mail-config", str(_settings(tmp_path, port))]
    assert main([*argv, *mail]) == 0
    assert main([*argv, *mail]) == 0  # the next night: still crossed, not sent again
    assert len(inbox.messages) == 1
    body = inbox.messages[0].get_content()
    assert "Niveau de service (90 s) hors de sa cible (80,0\u202f% à 100,0\u202f%)" in body
    assert ": 57,1\u202f% sur le mois au 31/03/2025 (toutes les agences)" in body
    out = capsys.readouterr().out
    assert "NOUVELLE  Niveau de service" in out and "active    Niveau de service" in out


def test_a_failed_send_is_sent_again_the_next_night(loaded, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    rules = _rules(tmp_path)  # the reference day only
    argv = ["--url", engine_url(loaded), "alerts", "--rules", str(rules), "--date", "2025-03-03"]
    mail = ["--mail", "--mail-config", str(_settings(tmp_path, closed))]
    assert main([*argv, *mail]) == 2
    assert "erreur : envoi impossible par 127.0.0.1" in capsys.readouterr().err
    assert main(argv) == 0
    assert "NOUVELLE" in capsys.readouterr().out  # never mailed: still new


@pytest.mark.parametrize(
    ("extra", "env", "error"),
    [
        ('password = "x"\n', PASSWORD, "pas de mot de passe dans le fichier"),
        ("", None, "variable d'environnement TEST_SMTP_PASSWORD absente"),
    ],
)
def test_settings_keep_the_password_out(tmp_path, monkeypatch, extra, env, error):
    if env is None:
        monkeypatch.delenv("TEST_SMTP_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("TEST_SMTP_PASSWORD", env)
    with pytest.raises(MailError, match=error):
        read_settings(_settings(tmp_path, 25, extra))


def test_missing_settings_point_to_the_example(tmp_path):
    with pytest.raises(MailError, match="docs/mail.example.toml"):
        read_settings(tmp_path / "absent.toml")
    assert (Path(__file__).parents[2] / "docs" / "mail.example.toml").exists()
