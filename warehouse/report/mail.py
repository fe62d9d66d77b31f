"""Mail through the landlord's SMTP server, from a settings file kept out of the repository.

The file (TOML; ``docs/mail.example.toml``) says the server, the sender and who gets the
report and the alerts. The password is never in it: it names an environment variable
(``password_env``) or a file readable by the cron user only (``password_file``).
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import smtplib
import socket
import ssl
import threading
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import jsonschema

from warehouse import config
from warehouse.french import number

DEFAULT_TIMEOUT_S = 120.0
"""The total time one mail may take, connection to the last reply (``[smtp] timeout_s``)."""


class MailError(RuntimeError):
    """A settings file or a server that cannot send, said in French."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    starttls: bool
    ssl: bool
    user: str | None
    password: str | None
    sender: str
    report_to: tuple[str, ...]
    alerts_to: tuple[str, ...]
    timeout_s: float = DEFAULT_TIMEOUT_S


def settings_path(given: str | None = None) -> Path:
    """``--mail-config``, else ``PILOTAGE_MAIL_CONFIG``, else ``mail.toml`` here."""
    return Path(given or config.get("PILOTAGE_MAIL_CONFIG"))


_TEXT = {"type": "string", "pattern": r"\S"}
_RECIPIENTS = {
    "type": "object",
    "properties": {"to": {"type": "array", "minItems": 1, "items": _TEXT}},
}
SETTINGS_SCHEMA = {
    "type": "object",
    "required": ["smtp"],
    "properties": {
        "smtp": {
            "type": "object",
            "required": ["host", "from"],
            "properties": {
                "host": _TEXT,
                "from": _TEXT,
                "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                "starttls": {"type": "boolean"},
                "ssl": {"type": "boolean"},
                "user": _TEXT,
                "password_env": _TEXT,
                "password_file": _TEXT,
                "timeout_s": {"type": "number", "exclusiveMinimum": 0, "maximum": 3600},
            },
        },
        "rapport": _RECIPIENTS,
        "alertes": _RECIPIENTS,
    },
}


def _french(error: jsonschema.ValidationError) -> str:
    """A schema error as « [section] clé : ce qui est attendu »."""
    parts = [str(p) for p in error.absolute_path]
    where = f"[{parts[0]}]" + (f" {parts[1]}" if len(parts) > 1 else "") if parts else ""
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return f"[{parts[0]}] doit donner {missing}" if parts else "section [smtp] manquante"
    if parts[-1:] == ["to"] or (len(parts) > 2 and parts[1] == "to"):
        return f'{where} : attendu une liste d\'adresses, par exemple ["qualite@office-hlm.fr"]'
    expected = {
        "integer": "un nombre entier",
        "boolean": "true ou false",
        "string": "un texte entre guillemets",
        "object": "une section",
        "number": "un nombre",
    }.get(error.schema.get("type"), "une valeur valide")
    return f"{where} : attendu {expected}"


def read_settings(path: Path) -> MailSettings:
    """The mail settings, checked against :data:`SETTINGS_SCHEMA`: a key of the wrong type
    (``to = "a@b.fr"``) is one French sentence, never a traceback at night."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MailError(
            f"réglages d'envoi introuvables : {path} (modèle : docs/mail.example.toml)"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise MailError(f"réglages d'envoi illisibles : {path} ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise MailError(f"{path} : TOML illisible ({error})") from None
    problem = next(iter(jsonschema.Draft202012Validator(SETTINGS_SCHEMA).iter_errors(data)), None)
    if problem is not None:
        raise MailError(f"{path} : {_french(problem)}")
    smtp = data["smtp"]
    user = smtp.get("user")
    return MailSettings(
        host=smtp["host"],
        port=int(smtp.get("port", 587)),
        starttls=bool(smtp.get("starttls", True)),
        ssl=bool(smtp.get("ssl", False)),
        user=user,
        password=_password(smtp, path) if user else None,
        sender=smtp["from"],
        report_to=tuple(data.get("rapport", {}).get("to", [])),
        alerts_to=tuple(data.get("alertes", {}).get("to", [])),
        timeout_s=float(smtp.get("timeout_s", DEFAULT_TIMEOUT_S)),
    )


def _password(smtp: dict, path: Path) -> str:
    if "password" in smtp:
        raise MailError(
            f"{path} : pas de mot de passe dans le fichier ; password_env ou password_file"
        )
    if smtp.get("password_env"):
        value = os.environ.get(smtp["password_env"])
        if value is None:
            raise MailError(f"variable d'environnement {smtp['password_env']} absente")
        return value
    if smtp.get("password_file"):
        try:
            return Path(smtp["password_file"]).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise MailError(f"secret illisible : {smtp['password_file']} ({error})") from None
    raise MailError(f"{path} : user sans password_env ni password_file")


def send(
    settings: MailSettings,
    to: tuple[str, ...],
    subject: str,
    body: str,
    attachments: tuple[Path, ...] = (),
) -> None:
    """One message to ``to``, with the files attached."""
    if not to:
        raise MailError("aucun destinataire dans les réglages d'envoi")
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message.set_content(body)
    for path in attachments:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        main, sub = kind.split("/", 1)
        message.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    server_class = smtplib.SMTP_SSL if settings.ssl else smtplib.SMTP
    # A per-operation timeout alone never ends a server that trickles one byte at a time:
    # the watchdog cuts the connection once the mail's total time is up.
    server = server_class(timeout=min(30.0, settings.timeout_s))
    watchdog = _Watchdog(server, settings.timeout_s)
    try:
        server.connect(settings.host, settings.port)
        if settings.starttls and not settings.ssl:
            server.starttls(context=ssl.create_default_context())
        if settings.user:
            server.login(settings.user, settings.password)
        server.send_message(message)
        server.quit()
    except (OSError, smtplib.SMTPException) as error:
        where = f"{settings.host}:{settings.port}"
        if watchdog.expired:
            raise MailError(
                f"envoi impossible par {where} : le serveur n'a pas fini en "
                f"{number(settings.timeout_s, 0)} s (délai total par message, [smtp] "
                "timeout_s) ; nouvel essai au prochain passage"
            ) from None
        raise MailError(f"envoi impossible par {where} ({error})") from None
    finally:
        watchdog.stop()
        server.close()


class _Watchdog:
    """Shuts the SMTP connection down once ``seconds`` have passed, which wakes a read
    blocked on a slow server; ``expired`` then says why the send failed."""

    def __init__(self, server: smtplib.SMTP, seconds: float) -> None:
        self.expired = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(server, seconds), daemon=True)
        self._thread.start()

    def _watch(self, server: smtplib.SMTP, seconds: float) -> None:
        if self._done.wait(seconds):
            return
        self.expired = True
        while not self._done.wait(0.05):  # until the sending side has given up
            sock = server.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()
