"""Call-back requests and e-mail receipts through the outbox: recorded with their delivery in one transaction,
delivered exactly once across restarts, with the back-office's retry policy (real local HTTP and SMTP servers)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text

from recours.backoffice import CALLBACK_SCHEMA, DELIVERED, REFUSED, RETRY, BackofficeClient, callback_idempotency_key
from recours.crypto import FieldCipher
from recours.mailer import Mailer, parse_smtp_url
from recours.outbox import Outbox
from recours.settings import PARIS, get_settings
from recours.store import ComplaintStore, RecordingFailed
from tests.backoffice_stub import BackofficeStub, backoffice  # noqa: F401
from tests.test_backoffice import Clock, database_url, key  # noqa: F401 - the same clock and databases
from tests.members import PAUL, complaint_draft
from tests.pg import postgresql_url  # noqa: F401
from tests.smtp_server import SmtpServer, passes_through_an_outage

DESCRIPTION = "Remboursement de ma couronne dentaire refusé ; suivi pour une parodontite."
WINDOW = (datetime(2026, 11, 23, 9, tzinfo=PARIS), datetime(2026, 11, 23, 11, tzinfo=PARIS))


@pytest.fixture
def smtp(monkeypatch):
    server = SmtpServer().start()
    monkeypatch.setenv("SMTP_URL", server.url)
    yield server
    server.stop()


def _store(url: str, key: str) -> ComplaintStore:
    return ComplaintStore(url, FieldCipher(key))


def _outbox(store: ComplaintStore, clock: Clock, *, stub: BackofficeStub | None = None,
            smtp: SmtpServer | None = None) -> Outbox:
    client = BackofficeClient(stub.url, read_timeout=1.0) if stub else None
    mailer = Mailer(parse_smtp_url(smtp.url), "CPMS <reclamations@exemple.fr>", timeout=3) if smtp else None
    return Outbox(store, client, mailer=mailer, retry_base=10, clock=clock, rng=lambda: 1.0)


def _complaint(store: ComplaintStore, sender: str, *, email: str | None = PAUL.email) -> str:
    """Paul Durand's complaint to KLESIA, received Saturday 21 November 2026, with his phone."""
    identifiers = {"nir": PAUL.nir, "phone": PAUL.phone} | ({"email": email} if email else {})
    draft = complaint_draft(
        store._cipher.conversation_key(sender), organisation="klesia", description=DESCRIPTION,
        sent_on=date(2026, 11, 21), acknowledge_by=date(2026, 12, 4), answer_by=date(2027, 1, 21),
        answer_received=None, court_action=None, contested_decision="refus de la couronne du 2 novembre",
        identifiers=identifiers,
    )
    return store.record_complaint(draft, f"idem-{sender}").reference


def _callback(store: ComplaintStore, sender: str, *, key: str | None = None, complaint: str | None = None):
    conversation = store._cipher.conversation_key(sender)
    store.put_callback_phone(conversation, "klesia", PAUL.phone)
    return store.record_callback(conversation, *WINDOW, key or f"cb-{sender}", complaint_reference=complaint,
                                 reason="hospitalisation", channel="whatsapp")


def _rows(url: str) -> list[tuple]:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT kind, reference, status FROM message_outbox ORDER BY id")).all()
    engine.dispose()
    return [tuple(row) for row in rows]


# -- call-backs ------------------------------------------------------------------------------------------------


def test_a_callback_needs_its_phone_number_first(database_url, key):
    store = _store(database_url, key)
    with pytest.raises(RecordingFailed):
        store.record_callback(store._cipher.conversation_key("c"), *WINDOW, "cb-1")
    assert store.count_callbacks() == 0 and _rows(database_url) == []


def test_a_callback_is_recorded_once_with_its_delivery(database_url, key, monkeypatch, backoffice):  # noqa: F811
    monkeypatch.setenv("BACKOFFICE_URL", backoffice.url)
    store = _store(database_url, key)
    recorded = _callback(store, "conv-1", complaint="REC-2026-AAAAAA")
    assert recorded.reference.startswith("RAP-2026-") and recorded.newly_recorded
    assert recorded.phone_masked == "06 ** ** ** 78" and recorded.complaint_reference == "REC-2026-AAAAAA"
    again = store.record_callback(store._cipher.conversation_key("conv-1"), *WINDOW, "cb-conv-1")
    assert again.reference == recorded.reference and not again.newly_recorded  # a double click
    assert store.count_callbacks() == 1
    assert _rows(database_url) == [("callback", recorded.reference, "pending")]
    view = store.get_callback(recorded.reference)
    assert view.phone == PAUL.phone and view.window_start == WINDOW[0] and view.reason == "hospitalisation"


def test_without_a_back_office_the_callback_stays_local(database_url, key, monkeypatch):
    monkeypatch.delenv("BACKOFFICE_URL", raising=False)
    store = _store(database_url, key)
    recorded = _callback(store, "conv-1")
    assert _rows(database_url) == [("callback", recorded.reference, "local")]


def test_a_new_number_replaces_the_draft_and_the_phone_is_encrypted(database_url, key):
    store = _store(database_url, key)
    conversation = store._cipher.conversation_key("conv-1")
    store.put_callback_phone(conversation, "klesia", "+33700000000")
    assert store.put_callback_phone(conversation, "klesia", PAUL.phone) == "06 ** ** ** 78"
    recorded = store.record_callback(conversation, *WINDOW, "k")
    assert store.get_callback(recorded.reference).phone == PAUL.phone
    engine = create_engine(database_url, future=True)
    with engine.connect() as connection:
        stored = " ".join(map(str, connection.execute(text("SELECT * FROM callbacks")).all()))
    engine.dispose()
    assert "612345678" not in stored and "700000000" not in stored


def test_old_drafts_are_purged_with_the_vault(database_url, key):
    store = _store(database_url, key)
    store.put_callback_phone(store._cipher.conversation_key("a"), "klesia", PAUL.phone)
    recorded = _callback(store, "b")
    counts = store.purge(vault_before=datetime.now(timezone.utc) + timedelta(seconds=5),
                         attempts_before=datetime.now(timezone.utc))
    assert counts.callback_drafts == 1
    assert store.get_callback(recorded.reference) is not None  # a request stays: the organisation's


def test_a_callback_is_delivered_exactly_once_across_restarts(database_url, key, monkeypatch, backoffice):  # noqa: F811
    monkeypatch.setenv("BACKOFFICE_URL", backoffice.url)
    clock = Clock()
    recorded = _callback(_store(database_url, key), "conv-1", complaint="REC-2026-AAAAAA")
    backoffice.script(recorded.reference, [500, "slow", 201])
    backoffice.slow_seconds = 1.5
    outcomes = []
    for _ in range(5):
        outbox = _outbox(_store(database_url, key), clock, stub=backoffice)  # a restart each time
        outcomes += [(a.kind, a.result.outcome) for a in outbox.deliver_due()]
        outbox.store.dispose()
        clock.advance(4000)
    assert outcomes == [("callback", RETRY), ("callback", RETRY), ("callback", DELIVERED)]
    posts = backoffice.posts_for(recorded.reference)
    assert {p.key for p in posts} == {callback_idempotency_key(recorded.reference)}
    assert backoffice.cases_for(recorded.reference) == 1
    body = posts[-1].body
    assert body == {
        "schema": CALLBACK_SCHEMA, "reference": recorded.reference, "organisation": "klesia",
        "requested_at": body["requested_at"],
        "window": {"start": "2026-11-23T09:00+01:00", "end": "2026-11-23T11:00+01:00"},
        "phone": PAUL.phone, "complaint_reference": "REC-2026-AAAAAA", "reason": "hospitalisation",
        "channel": "whatsapp",
    }
    assert _rows(database_url) == [("callback", recorded.reference, "delivered")]


# -- e-mail receipts -------------------------------------------------------------------------------------------


def test_a_receipt_is_written_with_the_complaint_only_with_an_address_and_smtp(database_url, key, monkeypatch):
    store = _store(database_url, key)
    monkeypatch.delenv("SMTP_URL", raising=False)
    _complaint(store, "no-smtp")
    monkeypatch.setenv("SMTP_URL", "smtp://127.0.0.1:2525")
    get_settings.cache_clear()
    _complaint(store, "no-email", email=None)
    reference = _complaint(store, "both")
    assert _rows(database_url) == [("receipt", reference, "pending")]


def test_a_receipt_is_sent_once_across_an_smtp_outage_and_restarts(database_url, key, smtp):
    clock = Clock()
    reference = _complaint(_store(database_url, key), "conv-1")
    # the mail server is down when the complaint is recorded
    outcomes = passes_through_an_outage(smtp, clock, lambda: _outbox(_store(database_url, key), clock, smtp=smtp))
    assert outcomes == [("receipt", RETRY), ("receipt", RETRY), ("receipt", RETRY), ("receipt", DELIVERED)]
    [received] = smtp.received_for(reference)
    assert received.recipients == [PAUL.email]
    assert _rows(database_url) == [("receipt", reference, "delivered")]
    entry = _outbox(_store(database_url, key), clock).entries(kinds=["receipt"])[0]
    assert entry.attempts == 4 and entry.kind == "receipt" and PAUL.email not in (entry.last_error or "")


def test_a_refused_address_is_kept_for_an_operator(database_url, key, smtp):
    clock = Clock()
    reference = _complaint(_store(database_url, key), "conv-1")
    smtp.script("rcpt550")
    outbox = _outbox(_store(database_url, key), clock, smtp=smtp)
    assert [a.result.outcome for a in outbox.deliver_due()] == [REFUSED]
    clock.advance(10_000)
    assert outbox.deliver_due() == []
    assert outbox.backlog(["receipt"]).failed == 1 and outbox.backlog(["complaint"]).failed == 0
    assert outbox.requeue(reference, kinds=["receipt"]) == 1
    assert [a.result.outcome for a in outbox.deliver_due()] == [DELIVERED]
    assert len(smtp.received_for(reference)) == 1


def test_the_receipt_holds_what_was_recorded_masked_and_no_health_detail(database_url, key, smtp):
    store = _store(database_url, key)
    reference = _complaint(store, "conv-1")
    _outbox(store, Clock(), smtp=smtp).deliver_due()
    [received] = smtp.received_for(reference)
    message = received.message
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (plain, html):
        assert reference in part and "samedi 21 novembre 2026" in part
        assert "vendredi 4 décembre 2026" in part and "jeudi 21 janvier 2027" in part
        assert "Médiateur de la protection sociale (CTIP)" in part and "dimanche 21 novembre 2027" in part
        assert "TSA 20202" in part  # where to send documents (KLESIA)
        assert PAUL.nir not in part and PAUL.email not in part and "612345678" not in part
        assert "couronne" not in part and "parodontite" not in part  # neither the description nor the decision
    assert "votre description est conservée par KLESIA" in plain
    assert message["From"] == "CPMS <reclamations@exemple.fr>" and message["To"] == PAUL.email
    assert message["Message-ID"].startswith("<receipt.")
