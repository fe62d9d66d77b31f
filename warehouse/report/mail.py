"""Mail through the landlord's SMTP server, from a settings file kept out of the repository.

The file (TOML; ``docs/mail.example.toml``) says the server, the sender and who gets the
report and the alerts. The password is never in it: it names an environment variable
(``password_env``) or a file readable by the cron user only (``password_file``).
"""

from __future__ import annotations

import mimetypes
import os
import smtplib
import ssl
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from warehouse import config


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


def settings_path(given: str | None = None) -> Path:
    """``--mail-config``, else ``PILOTAGE_MAIL_CONFIG``, else ``mail.toml`` here."""
    return Path(given or config.get("PILOTAGE_MAIL_CONFIG"))


def read_settings(path: Path) -> MailSettings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MailError(
            f"réglages d'envoi introuvables : {path} (modèle : docs/mail.example.toml)"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise MailError(f"{path} : TOML illisible ({error})") from None
    smtp = data.get("smtp", {})
    if not smtp.get("host") or not smtp.get("from"):
        raise MailError(f"{path} : [smtp] doit donner host et from")
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
    try:
        server_class = smtplib.SMTP_SSL if settings.ssl else smtplib.SMTP
        with server_class(settings.host, settings.port, timeout=30) as server:
            if settings.starttls and not settings.ssl:
                server.starttls(context=ssl.create_default_context())
            if settings.user:
                server.login(settings.user, settings.password)
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"envoi impossible par {settings.host}:{settings.port} ({error})") from None
