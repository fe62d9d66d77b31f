"""The report and the alerts by mail, through an SMTP server the test starts on the loopback
(aiosmtpd), with a login whose password comes from the environment."""

from __future__ import annotations

import email
import socket
import threading
import time
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


class Trickle:
    """An SMTP server that never ends its greeting: one byte of « 220-... » continuation
    lines every ``pause`` seconds, for as long as the client stays."""

    def __init__(self, pause: float = 0.2) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.pause = pause
        self.stopped = threading.Event()
        self.sent = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            with client:
                line = b"220-lent\r\n"
                while not self.stopped.wait(self.pause):
                    try:
                        client.sendall(line[self.sent % len(line) :][:1])
                    except OSError:  # the client hung up
                        break
                    self.sent += 1

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.listener.close()


def test_a_slow_server_ends_at_the_deadline_and_the_alert_is_sent_the_next_night(
    loaded, smtp, tmp_path, monkeypatch, capsys
):
    """Issue 26 case 11: a server trickling one byte every 0.2 s kept ``alerts --mail``
    running for ever (each read came within smtplib's 30 s timeout). With a total deadline
    of 1 s per mail, the command ends within 1 s plus the evaluation, says so in French and
    exits 2; the alert stays unmailed, so the next night sends it."""
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    inbox, port = smtp
    slow = Trickle()
    try:
        rules = _rules(tmp_path)
        argv = ["--url", engine_url(loaded), "alerts", "--rules", str(rules)]
        argv += ["--date", "2025-03-03", "--mail", "--mail-config"]
        (tmp_path / "slow").mkdir()
        slow_config = _settings(tmp_path / "slow", slow.port, "timeout_s = 1\n")
        started = time.monotonic()
        assert main([*argv, str(slow_config)]) == 2
        elapsed = time.monotonic() - started
    finally:
        slow.stop()
    err = capsys.readouterr().err
    assert err.startswith("erreur : envoi impossible par 127.0.0.1:")
    assert "le serveur n'a pas fini en 1 s" in err and "Traceback" not in err
    assert slow.sent >= 3  # the server was trickling when the deadline cut it
    assert elapsed < 6, elapsed  # the evaluation takes ~1 s; the mail 1 s at most
    assert main([*argv, str(_settings(tmp_path, port))]) == 0
    assert len(inbox.messages) == 1  # the next night: sent, as after a refused connection


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


@pytest.mark.parametrize(
    ("replace", "error"),
    [
        (
            ('to = ["qualite@example.org"]', 'to = "qualite@example.org"'),
            "[alertes] to : attendu une liste d'adresses, par exemple [\"qualite",
        ),
        (("port = 25", 'port = "25"'), "[smtp] port : attendu un nombre entier"),
        (('host = "127.0.0.1"\n', ""), "[smtp] doit donner host"),
        (("starttls = false", "starttls = 0"), "[smtp] starttls : attendu true ou false"),
    ],
)
def test_settings_of_the_wrong_type_are_one_sentence(tmp_path, monkeypatch, replace, error):
    """Issue 26 case 8: ``[alertes] to`` written as a string gave a traceback every night."""
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    path = _settings(tmp_path, 25)
    path.write_text(path.read_text(encoding="utf-8").replace(*replace), encoding="utf-8")
    with pytest.raises(MailError) as raised:
        read_settings(path)
    assert str(raised.value).startswith(f"{path} : ") and error in str(raised.value)


def test_missing_settings_point_to_the_example(tmp_path):
    with pytest.raises(MailError, match="docs/mail.example.toml"):
        read_settings(tmp_path / "absent.toml")
    assert (Path(__file__).parents[2] / "docs" / "mail.example.toml").exists()
