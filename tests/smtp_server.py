"""A real local SMTP server for the tests (aiosmtpd), reading what it received; never a live mail service.

``SmtpServer`` accepts every message and keeps it (``messages``: parsed ``EmailMessage`` objects, with the
envelope); ``script`` makes the next replies to DATA or RCPT fail (``"451"`` temporary, ``"550"`` permanent) for
the retry tests. TLS variants (STARTTLS, implicit TLS) use a self-signed certificate made here, trusted by the
``client_context`` the tests give the mailer. ``with SmtpServer(...) as server:`` runs one for a block. ``stop`` and
``start`` again on the same port stand for an outage
(:func:`passes_through_an_outage`).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import ssl
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Callable

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from ops.launcher import free_port

USER, PASSWORD = "recours", "s3cret:pa ss"


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate and key for 127.0.0.1 / localhost, valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp.crt", directory / "smtp.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class SmtpServer:
    """``security``: "plain", "starttls" (required, with AUTH) or "tls" (implicit, with AUTH)."""

    security: str = "plain"
    certificates: tuple[Path, Path] | None = None
    port: int = field(default_factory=free_port)
    messages: list[Received] = field(default_factory=list)
    scripted: list[str] = field(default_factory=list)  # next replies: "451" / "550" at DATA, "rcpt550" at RCPT
    lock: threading.Lock = field(default_factory=threading.Lock)
    controller: Controller | None = None

    @property
    def url(self) -> str:
        scheme = {"plain": "smtp", "starttls": "smtp+starttls", "tls": "smtps"}[self.security]
        credentials = "" if self.security == "plain" else "recours:s3cret%3Apa%20ss@"
        return f"{scheme}://{credentials}127.0.0.1:{self.port}"

    def client_context(self) -> ssl.SSLContext | None:
        if self.certificates is None:
            return None
        return ssl.create_default_context(cafile=str(self.certificates[0]))

    def script(self, *replies: str) -> None:
        with self.lock:
            self.scripted.extend(replies)

    def _next(self, where: str) -> str | None:
        with self.lock:
            if self.scripted and self.scripted[0].startswith("rcpt") == (where == "rcpt"):
                return self.scripted.pop(0)
        return None

    def start(self) -> "SmtpServer":
        server = self

        class Handler:
            async def handle_RCPT(self, smtp: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
                if server._next("rcpt"):
                    return "550 5.1.1 mailbox unavailable"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
                step = server._next("data")
                if step == "451":
                    return "451 4.3.0 try again later"
                if step == "550":
                    return "550 5.7.1 message refused"
                parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
                with server.lock:
                    server.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
                return "250 2.0.0 accepted"

        def authenticator(smtp: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            ok = isinstance(data, LoginPassword) and (data.login, data.password) == (USER.encode(), PASSWORD.encode())
            return AuthResult(success=ok)

        options: dict[str, Any] = {}
        if self.security != "plain":
            assert self.certificates is not None, "TLS needs certificates (self_signed)"
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*map(str, self.certificates))
            # implicit TLS is not seen as TLS by aiosmtpd's AUTH check (it knows STARTTLS only): required for STARTTLS
            options = {"authenticator": authenticator, "auth_require_tls": self.security == "starttls"}
            if self.security == "starttls":
                options.update(tls_context=context, require_starttls=True)
            else:
                options["ssl_context"] = context
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> "SmtpServer":
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def received_for(self, reference: str) -> list[Received]:
        with self.lock:
            return [r for r in self.messages if reference in str(r.message["Subject"])]


def passes_through_an_outage(smtp: SmtpServer, clock: Any, open_outbox: Callable[[], Any]) -> list[tuple[str, str]]:
    """Six delivery passes, each by a new outbox (a restart), an hour apart on ``clock``: the mail server down for
    the first two, then greylisting once. The (kind, outcome) of every attempt."""
    smtp.stop()
    outcomes = []
    for attempt in range(6):
        if attempt == 2:
            smtp.start()
            smtp.script("451")  # greylisted once
        outbox = open_outbox()
        outcomes += [(a.kind, a.result.outcome) for a in outbox.deliver_due()]
        outbox.store.dispose()
        clock.advance(4000)
    return outcomes
