"""Sending one e-mail through the SMTP server named by ``SMTP_URL``, with Python's smtplib.

URL forms (shared/CONTRACT.md): ``smtp://host[:port]`` (no encryption, port 25: a relay on the same host or
network), ``smtp+starttls://user:password@host[:587]`` (STARTTLS, required: a server that does not offer it is an
error, never a fallback to clear text) and ``smtps://user:password@host[:465]`` (TLS from the first byte). User and
password are percent-decoded; without a user, no authentication. Certificates are checked against the system's
authorities (``ssl.create_default_context``).

How an attempt is classified, as for the back-office (recours/backoffice.py), so the outbox retries e-mails with
the same policy: delivered once the server has accepted the message for its recipient; retried on connection
errors, timeouts, TLS failures, a 4xx reply (temporary, RFC 5321 §4.2.5) and a refused login (a configuration an
operator fixes, after which the e-mail still goes); refused on a 5xx about the recipient or the message (a
permanent failure: the address does not exist), kept for an operator. Reasons hold the SMTP code and the class
of the error, never an address nor the message.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Literal
from urllib.parse import unquote, urlsplit

from recours.backoffice import DELIVERED, REFUSED, RETRY, DeliveryResult

Security = Literal["plain", "starttls", "tls"]
_SCHEMES: dict[str, tuple[Security, int]] = {
    "smtp": ("plain", 25),
    "smtp+starttls": ("starttls", 587),
    "smtps": ("tls", 465),
}


@dataclass(frozen=True)
class SmtpEndpoint:
    security: Security
    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def parse_smtp_url(url: str) -> SmtpEndpoint:
    """The endpoint of ``smtp://``, ``smtp+starttls://`` or ``smtps://`` URL; ValueError names what is wrong."""
    parts = urlsplit(url.strip())
    if parts.scheme not in _SCHEMES:
        raise ValueError("SMTP_URL must start with smtp://, smtp+starttls:// or smtps://")
    if not parts.hostname:
        raise ValueError("SMTP_URL has no host")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("SMTP_URL has an invalid port") from None
    security, default_port = _SCHEMES[parts.scheme]
    return SmtpEndpoint(
        security=security,
        host=parts.hostname,
        port=port or default_port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


class Mailer:
    """Sends messages one connection at a time (the delivery worker sends one e-mail at a time)."""

    def __init__(self, endpoint: SmtpEndpoint, sender: str, *, timeout: float = 15.0,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.endpoint = endpoint
        self.sender = sender
        self.timeout_seconds = timeout
        self._ssl_context = ssl_context or ssl.create_default_context()

    def __repr__(self) -> str:  # no host, no credentials
        return f"Mailer({self.endpoint.security})"

    def send(self, message: EmailMessage) -> DeliveryResult:
        """Send ``message`` (its From is set here); the result says whether to retry."""
        if "From" not in message:
            message["From"] = self.sender
        try:
            with self._connect() as smtp:
                if self.endpoint.username:
                    smtp.login(self.endpoint.username, self.endpoint.password or "")
                refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _ in exc.recipients.values()})
            return _by_code(codes[0] if codes else 550, "recipient refused")
        except smtplib.SMTPSenderRefused as exc:
            return _by_code(exc.smtp_code, "sender refused")
        except smtplib.SMTPDataError as exc:
            return _by_code(exc.smtp_code, "message refused")
        except smtplib.SMTPAuthenticationError as exc:
            return DeliveryResult(RETRY, exc.smtp_code, f"SMTP {exc.smtp_code}: login refused")
        except smtplib.SMTPNotSupportedError:
            return DeliveryResult(RETRY, None, "the server does not offer STARTTLS or AUTH")
        except smtplib.SMTPResponseException as exc:
            return _by_code(exc.smtp_code, "refused")
        except (smtplib.SMTPException, ssl.SSLError, socket.timeout, OSError) as exc:
            return DeliveryResult(RETRY, None, f"connection error ({type(exc).__name__})")
        if refused:  # some recipients refused, others accepted: the receipt has one recipient, so this is odd
            codes = sorted({code for code, _ in refused.values()})
            return _by_code(codes[0], "recipient refused")
        return DeliveryResult(DELIVERED, 250, "SMTP 250")

    def _connect(self) -> smtplib.SMTP:
        endpoint = self.endpoint
        if endpoint.security == "tls":
            return smtplib.SMTP_SSL(endpoint.host, endpoint.port, timeout=self.timeout_seconds,
                                    context=self._ssl_context)
        smtp = smtplib.SMTP(endpoint.host, endpoint.port, timeout=self.timeout_seconds)
        try:
            if endpoint.security == "starttls":
                smtp.ehlo()
                smtp.starttls(context=self._ssl_context)  # SMTPNotSupportedError when not offered: no clear text
                smtp.ehlo()
        except BaseException:
            smtp.close()
            raise
        return smtp


def stable_message_id(kind: str, key: str) -> str:
    """The same Message-ID for every attempt of one message (``kind``: "receipt", "notice"): one sent again after a
    crash (at-least-once) is recognisable by mail clients as the same."""
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:recours:{kind}")
    return f"<{kind}.{uuid.uuid5(namespace, key)}@recours.invalid>"


def compose(to: str, subject: str, text: str, html: str, *, message_id: str, sent_at: datetime) -> EmailMessage:
    """A message to a member in French: plain text and a simple HTML part (From is set by :meth:`Mailer.send`)."""
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = message_id
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = "fr"  # after the parts: set_content drops every Content-* header set before
    return message


def _by_code(code: int, what: str) -> DeliveryResult:
    """4xx: temporary, retried; 5xx (or anything else): permanent, kept for an operator."""
    outcome = RETRY if 400 <= code < 500 else REFUSED
    return DeliveryResult(outcome, code, f"SMTP {code}: {what}")


def mailer_from_settings(settings) -> Mailer | None:  # noqa: ANN001 - recours.settings.Settings
    """The mailer of ``SMTP_URL`` and ``MAIL_FROM``, or None when SMTP is not configured."""
    if not settings.smtp_url:
        return None
    return Mailer(parse_smtp_url(settings.smtp_url), settings.mail_from, timeout=settings.smtp_timeout_seconds)
