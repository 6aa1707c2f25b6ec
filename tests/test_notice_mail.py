"""The complaint desk's « deadline passed » notices sent by the outbox's worker through a real local SMTP server:
once across an outage and restarts, with the receipts' retry policy; a refused address kept for an operator; an
answer recorded first cancels it; nothing without the organisation. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from recours.backoffice import DELIVERED, REFUSED, RETRY
from recours.crypto import FieldCipher
from recours.handling.notices import queue_due_notices
from recours.mailer import Mailer, parse_smtp_url
from recours.outbox import NOTICE, Outbox
from recours.store import ComplaintStore
from tests.members import PAUL
from tests.pg import postgresql_url  # noqa: F401
from tests.smtp_server import SmtpServer, passes_through_an_outage
from tests.test_backoffice import Clock, database_url, key  # noqa: F401 - the same clock and databases
from tests.test_desk_store import ORG, event, record

DUE = date(2027, 1, 5)  # the day after the answer deadline of tests.test_desk_store.record's complaint
SENDER = "CPMS <reclamations@exemple.fr>"


@pytest.fixture
def smtp():
    """The mail server; SMTP_URL stays unset, so the complaints recorded here get no receipt (only the notice)."""
    server = SmtpServer().start()
    yield server
    server.stop()


def _store(url: str, key: str) -> ComplaintStore:
    return ComplaintStore(url, FieldCipher(key))


def _outbox(store: ComplaintStore, clock: Clock, smtp: SmtpServer, **options) -> Outbox:
    mailer = Mailer(parse_smtp_url(smtp.url), SENDER, timeout=3)
    options.setdefault("organisation", ORG)
    return Outbox(store, None, mailer=mailer, retry_base=10, clock=clock, rng=lambda: 1.0, today=lambda: DUE,
                  **options)


def _queued(database_url: str, key: str, **changes) -> str:
    store = _store(database_url, key)
    reference = record(store, store._cipher, **changes)
    assert queue_due_notices(store, ORG, DUE) == 1
    store.dispose()
    return reference


def test_a_notice_is_sent_once_across_an_smtp_outage_and_restarts(database_url, key, smtp):
    reference = _queued(database_url, key)
    clock = Clock()
    # the mail server is down when the notice is due
    outcomes = passes_through_an_outage(smtp, clock, lambda: _outbox(_store(database_url, key), clock, smtp))
    assert outcomes == [(NOTICE, RETRY), (NOTICE, RETRY), (NOTICE, RETRY), (NOTICE, DELIVERED)]
    [received] = smtp.received_for(reference)
    assert received.recipients == [PAUL.email]
    store = _store(database_url, key)
    assert store.notice_statuses(reference) == {"mediation_open": "sent"}
    assert list(store.notices_sent()) == [reference]  # the register's « médiation signalée le »
    store.dispose()


def test_the_notice_says_the_mediator_can_be_referred_to_and_nothing_identifying(database_url, key, smtp):
    reference = _queued(database_url, key)
    _outbox(_store(database_url, key), Clock(), smtp).deliver_due()
    [received] = smtp.received_for(reference)
    message = received.message
    assert message["From"] == SENDER and message["To"] == PAUL.email
    assert message["Subject"] == f"Votre réclamation {reference} : vous pouvez saisir le médiateur"
    assert message["Message-ID"].startswith("<notice.") and message["Content-Language"] == "fr"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (plain, html):
        assert "au plus tard le lundi 4 janvier 2027" in part and reference in part
        assert "saisir le médiateur dès maintenant, et au plus tard le mardi 2 novembre 2027" in part
        # no identifier, no description
        assert PAUL.nir not in part and PAUL.email not in part and "couronne" not in part


def test_a_refused_address_keeps_the_notice_for_an_operator(database_url, key, smtp):
    reference = _queued(database_url, key)
    clock = Clock()
    smtp.script("rcpt550")
    outbox = _outbox(_store(database_url, key), clock, smtp)
    [attempt] = outbox.deliver_due()
    assert (attempt.kind, attempt.reference, attempt.result.outcome) == (NOTICE, reference, REFUSED)
    assert attempt.next_attempt_at is None and PAUL.email not in attempt.result.reason
    clock.advance(10_000)
    assert outbox.deliver_due() == []
    assert outbox.store.notice_statuses(reference) == {"mediation_open": "failed"}
    assert smtp.received_for(reference) == []


def test_an_answer_recorded_before_sending_cancels_the_notice(database_url, key, smtp):
    reference = _queued(database_url, key)
    store = _store(database_url, key)
    event(store, reference, "answered", DUE, "rejected", today=DUE)
    outbox = _outbox(store, Clock(), smtp)
    assert outbox.deliver_due() == []
    assert store.notice_statuses(reference) == {"mediation_open": "cancelled"}
    assert smtp.received_for(reference) == []


@pytest.mark.parametrize("missing", ["organisation", "mailer"])
def test_without_the_organisation_or_smtp_the_notice_waits(database_url, key, smtp, missing):
    reference = _queued(database_url, key)
    store = _store(database_url, key)
    outbox = _outbox(store, Clock(), smtp, organisation=None)
    if missing == "mailer":
        outbox = Outbox(store, None, organisation=ORG, clock=Clock(), today=lambda: DUE)
    assert outbox.deliver_due() == []
    assert store.notice_statuses(reference) == {"mediation_open": "pending"}
