"""Sending e-mails over SMTP (recours/mailer.py) to a real local server: the three URL forms, how replies are
classified for the outbox, no clear-text fallback, no address nor message in the reasons."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from recours.backoffice import DELIVERED, REFUSED, RETRY
from recours.mailer import Mailer, SmtpEndpoint, mailer_from_settings, parse_smtp_url
from recours.settings import DEFAULT_MAIL_FROM, load_settings
from tests.smtp_server import PASSWORD, USER, SmtpServer, self_signed

ADDRESS = "marie.martin@exemple.fr"


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return self_signed(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture(params=["plain", "starttls", "tls"])
def server(request, certificates):
    with SmtpServer(security=request.param, certificates=certificates) as running:
        yield running


def _message(subject: str = "Votre réclamation REC-2026-AAAAAA est enregistrée") -> EmailMessage:
    message = EmailMessage()
    message["To"] = ADDRESS
    message["Subject"] = subject
    message.set_content("Bonjour,\nvotre réclamation est enregistrée.\n")
    return message


def _mailer(server: SmtpServer, url: str | None = None) -> Mailer:
    return Mailer(parse_smtp_url(url or server.url), "CPMS <reclamations@exemple.fr>", timeout=5,
                  ssl_context=server.client_context())


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://127.0.0.1:2525", SmtpEndpoint("plain", "127.0.0.1", 2525)),
        ("smtp://relay.exemple.fr", SmtpEndpoint("plain", "relay.exemple.fr", 25)),
        ("smtp+starttls://user:p%40ss%3Aword@mail.exemple.fr:587",
         SmtpEndpoint("starttls", "mail.exemple.fr", 587, "user", "p@ss:word")),
        ("smtp+starttls://mail.exemple.fr", SmtpEndpoint("starttls", "mail.exemple.fr", 587)),
        ("smtps://u:p@mail.exemple.fr", SmtpEndpoint("tls", "mail.exemple.fr", 465, "u", "p")),
    ],
)
def test_smtp_urls(url, expected):
    assert parse_smtp_url(url) == expected


@pytest.mark.parametrize("url", ["http://mail.exemple.fr", "smtp://", "smtp://host:port", "mail.exemple.fr:25"])
def test_invalid_smtp_urls_are_refused(url):
    with pytest.raises(ValueError):
        parse_smtp_url(url)


def test_the_password_is_never_shown():
    endpoint = parse_smtp_url("smtps://user:tres-secret@mail.exemple.fr")
    assert "tres-secret" not in repr(endpoint) and "tres-secret" not in repr(Mailer(endpoint, "a@b.fr"))


def test_settings(monkeypatch):
    monkeypatch.delenv("SMTP_URL", raising=False)
    monkeypatch.delenv("MAIL_FROM", raising=False)
    settings = load_settings()
    assert settings.smtp_url is None and settings.mail_from == DEFAULT_MAIL_FROM
    assert mailer_from_settings(settings) is None  # no SMTP, no e-mail
    monkeypatch.setenv("SMTP_URL", "smtp+starttls://user:motdepasse-42@mail.exemple.fr:587")
    monkeypatch.setenv("MAIL_FROM", "CPMS <reclamations@cpms.fr>")
    settings = load_settings()
    mailer = mailer_from_settings(settings)
    assert mailer.endpoint.security == "starttls" and mailer.sender == "CPMS <reclamations@cpms.fr>"
    assert "motdepasse-42" not in repr(settings)


def test_a_message_is_delivered_on_every_url_form(server):
    result = _mailer(server).send(_message())
    assert (result.outcome, result.status) == (DELIVERED, 250)
    [received] = server.messages
    assert received.recipients == [ADDRESS]
    assert received.message["From"] == "CPMS <reclamations@exemple.fr>"
    assert "réclamation est enregistrée" in received.message.get_content()


@pytest.mark.parametrize(
    ("script", "outcome", "status"),
    [("451", RETRY, 451), ("550", REFUSED, 550), ("rcpt550", REFUSED, 550)],
)
def test_replies_are_classified_like_the_back_office_answers(server, script, outcome, status):
    server.script(script)
    result = _mailer(server).send(_message())
    assert (result.outcome, result.status) == (outcome, status)
    assert ADDRESS not in result.reason and "Bonjour" not in result.reason
    assert server.messages == []


def test_a_server_down_is_retried(certificates):
    server = SmtpServer()
    result = _mailer(server).send(_message())  # nothing listens on the port
    assert result.outcome == RETRY and result.status is None and "connection" in result.reason


def test_starttls_never_falls_back_to_clear_text():
    with SmtpServer() as plain:  # offers no STARTTLS
        url = f"smtp+starttls://{USER}:x@127.0.0.1:{plain.port}"
        result = Mailer(parse_smtp_url(url), "a@exemple.fr", timeout=5).send(_message())
        assert result.outcome == RETRY and plain.messages == []


def test_an_untrusted_certificate_is_refused(certificates):
    with SmtpServer(security="tls", certificates=certificates) as server:
        result = Mailer(parse_smtp_url(server.url), "a@exemple.fr", timeout=5).send(_message())  # system CAs only
        assert result.outcome == RETRY and server.messages == []


def test_a_wrong_password_is_retried_not_dropped(certificates):
    with SmtpServer(security="starttls", certificates=certificates) as server:
        wrong = server.url.replace("s3cret", "wrong")
        assert PASSWORD.startswith("s3cret")
        assert _mailer(server, wrong).send(_message()).outcome == RETRY
        assert server.messages == []
