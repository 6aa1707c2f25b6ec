"""The complaint desk's part of the store, on SQLite and on PostgreSQL: events and their outbox, sign-in and
sessions, handoffs, the notices owed to members, and nothing in clear where it should not be."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, select, text

from recours.backoffice import BackofficeClient
from recours.crypto import FieldCipher
from recours.handling import accounts
from recours.handling.event_delivery import EventDelivery
from recours.handling.lifecycle import ComplaintEvent, InvalidEvent, InvalidTransition
from recours.handling.notices import notice_failed, notice_sent, notices_to_send, queue_due_notices
from recours.organisations import load_organisation
from recours.store import (
    HANDOFF_ACTIVE,
    HANDOFF_CLOSED,
    HANDOFF_EXPIRED,
    HANDOFF_WAITING,
    ComplaintStore,
    HandoffConflict,
    UnknownComplaint,
)
from recours.store.desk_tables import EventOutboxRow
from tests.backoffice_stub import BackofficeStub
from tests.members import PAUL, complaint_draft
from tests.store_fixtures import cipher, database_url, postgresql_url, store  # noqa: F401 - fixtures

NOTE = "Le membre, M. Durand, a rappelé au sujet de sa couronne dentaire."
ORG = load_organisation("cpms")


def record(store: ComplaintStore, cipher: FieldCipher, sender: str = "conv-1", email: str | None = PAUL.email,
           **changes) -> str:
    identifiers = {"nir": PAUL.nir, "email": email} if email else {"nir": PAUL.nir, "phone": PAUL.phone}
    draft = complaint_draft(cipher.conversation_key(sender), identifiers=identifiers, **changes)
    return store.record_complaint(draft, f"key-{sender}").reference


def event(store: ComplaintStore, reference: str, status: str, on: date, outcome: str | None = None, *,
          event_id: str | None = None, forward: bool = True, note: str | None = None, today: date = date(2027, 2, 1)):
    return store.record_event(
        reference, ComplaintEvent(status, on, outcome, note), organisation="cpms", actor="claire", source="desk",
        event_id=event_id or f"{reference}-{status}", today=today, forward=forward,
    )


def _rows(url: str, table: str) -> list:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(f"SELECT * FROM {table}")))
    finally:
        engine.dispose()


# -- events --------------------------------------------------------------------------------------------------------


def test_events_move_the_complaint_and_are_audited_and_queued(store, cipher, database_url):
    reference = record(store, cipher)
    acknowledged = event(store, reference, "acknowledged", date(2026, 11, 10))
    assert (acknowledged.complaint.status, acknowledged.complaint.acknowledged_on) == ("acknowledged", date(2026, 11, 10))
    answered = event(store, reference, "answered", date(2026, 12, 1), "partly_upheld", note=NOTE)
    status = store.complaint_progress(reference, "cpms")
    assert (status.status, status.answered_on, status.outcome) == ("answered", date(2026, 12, 1), "partly_upheld")
    assert answered.event.note == NOTE
    history = store.events_of(reference)
    assert [(e.status, e.on, e.actor, e.source) for e in history] == [
        ("acknowledged", date(2026, 11, 10), "claire", "desk"), ("answered", date(2026, 12, 1), "claire", "desk")]
    assert [(a.action, a.detail) for a in store.audit_entries(reference)] == [
        ("event", "answered 2026-12-01 (desk)"), ("event", "acknowledged 2026-11-10 (desk)")]
    outbox = _rows(database_url, "event_outbox")
    assert len(outbox) == 2 and {row.status for row in outbox} == {"local"}  # BACKOFFICE_URL unset
    # the note is encrypted at rest
    assert NOTE not in " ".join(str(v) for row in _rows(database_url, "complaint_events") for v in row)


def test_refused_events_write_nothing(store, cipher, database_url):
    reference = record(store, cipher)
    with pytest.raises(UnknownComplaint):
        event(store, "REC-2026-ZZZZZZ", "acknowledged", date(2026, 11, 10))
    with pytest.raises(UnknownComplaint):  # another organisation's reference is unknown here
        store.record_event(reference, ComplaintEvent("acknowledged", date(2026, 11, 10)), organisation="klesia",
                           actor="x", source="desk", event_id="other-org", today=date(2027, 1, 1), forward=True)
    with pytest.raises(InvalidTransition):
        event(store, reference, "closed", date(2026, 11, 10))
    with pytest.raises(InvalidEvent):
        event(store, reference, "acknowledged", date(2026, 10, 1))  # before it was received
    assert store.complaint_progress(reference, "cpms").status == "recorded"
    assert _rows(database_url, "complaint_events") == [] and _rows(database_url, "event_outbox") == []


def test_an_event_id_is_recorded_once(store, cipher, database_url):
    reference = record(store, cipher)
    first = event(store, reference, "answered", date(2026, 11, 20), "rejected", event_id="bo:evt-9", forward=False)
    again = event(store, reference, "answered", date(2026, 11, 20), "rejected", event_id="bo:evt-9", forward=False)
    assert not first.duplicate and again.duplicate and again.event.event_id == "bo:evt-9"
    assert len(_rows(database_url, "complaint_events")) == 1
    assert _rows(database_url, "event_outbox") == []  # the back-office's own events are not sent back to it


def test_two_handlers_at_once_move_a_complaint_once(store, cipher, database_url):
    reference = record(store, cipher)
    outcomes: list[str] = []

    def acknowledge(name: str) -> None:
        try:
            event(store, reference, "acknowledged", date(2026, 11, 10), event_id=name)
            outcomes.append("recorded")
        except InvalidTransition:
            outcomes.append("refused")

    threads = [threading.Thread(target=acknowledge, args=(f"t{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["recorded", "refused", "refused", "refused"]
    assert len(_rows(database_url, "complaint_events")) == 1


def test_desk_events_reach_the_back_office_exactly_once(store, cipher, database_url, monkeypatch):
    backoffice = BackofficeStub().start()
    try:
        monkeypatch.setenv("BACKOFFICE_URL", backoffice.url)
        reference = record(store, cipher)
        recorded = event(store, reference, "answered", date(2026, 11, 20), "upheld", note=NOTE)
        backoffice.default_script.extend([500, 200])
        delivery = EventDelivery(store, BackofficeClient(backoffice.url), retry_base=0.01)
        first = delivery.deliver_due()
        assert [result.outcome for _, result in first] == ["retry"]
        retry_at = datetime.now(timezone.utc) + timedelta(seconds=3700)
        later = EventDelivery(delivery.store, delivery.client, clock=lambda: retry_at).deliver_due()
        assert [result.outcome for _, result in later] == ["delivered"]
        assert EventDelivery(delivery.store, delivery.client, clock=lambda: retry_at).deliver_due() == []
        event_posts = [p for p in backoffice.posts if isinstance(p.body, dict) and p.body.get("schema")
                       == "recours.complaint_event.v1"]
        assert len(event_posts) == 2 and {p.key for p in event_posts} == {recorded.event.event_id}
        assert event_posts[-1].body["note"] == NOTE and event_posts[-1].body["status"] == "answered"
    finally:
        backoffice.stop()


# -- sign-in, sessions ------------------------------------------------------------------------------------------------


def test_sign_in_lock_out_and_no_enumeration(store, cipher):
    accounts.save_account(store, "Claire.M", "correct horse battery", "handler")
    start = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    ok = accounts.sign_in(store, cipher, "claire.m", "correct horse battery", start)
    assert ok.user and ok.user.login == "claire.m" and ok.token and accounts.csrf_valid(ok.token, ok.csrf)
    for minute in range(5):
        failed = accounts.sign_in(store, cipher, "claire.m", "wrong", start + timedelta(minutes=minute))
        assert failed.user is None and failed.retry_after is None  # the 5th still says only "wrong"
    locked = accounts.sign_in(store, cipher, "claire.m", "correct horse battery", start + timedelta(minutes=5))
    assert locked.user is None and 0 < locked.retry_after <= 15 * 60
    # unlocked 15 minutes after the 5th failure
    assert accounts.sign_in(store, cipher, "claire.m", "correct horse battery", start + timedelta(minutes=19)).user
    # an unknown login is answered the same way, and locked the same way
    for minute in range(5):
        assert accounts.sign_in(store, cipher, "nobody", "x", start + timedelta(minutes=minute)) == accounts.SignIn()
    assert accounts.sign_in(store, cipher, "nobody", "x", start + timedelta(minutes=6)).retry_after


def test_sessions_end_when_idle_and_on_a_new_password(store, cipher):
    accounts.save_account(store, "claire", "correct horse battery", "handler")
    start = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    token = accounts.sign_in(store, cipher, "claire", "correct horse battery", start).token
    idle = timedelta(minutes=30)
    session = accounts.current_session(store, token, idle, start + timedelta(minutes=29))
    assert session is not None and session.user.role == "handler"
    store.touch_desk_session(session.id, start + timedelta(minutes=29))
    assert accounts.current_session(store, token, idle, start + timedelta(minutes=58)) is not None
    assert accounts.current_session(store, token, idle, start + timedelta(minutes=89)) is None
    assert accounts.current_session(store, token, idle, start + timedelta(minutes=1)) is None  # it was closed
    token = accounts.sign_in(store, cipher, "claire", "correct horse battery", start).token
    accounts.save_account(store, "claire", "another long password", "handler")
    assert accounts.current_session(store, token, idle, start) is None
    assert not accounts.csrf_valid(token, None) and not accounts.csrf_valid(token, "0" * 64)


def test_passwords_and_tokens_are_not_stored(store, cipher, database_url):
    accounts.save_account(store, "claire", "correct horse battery", "supervisor")
    token = accounts.sign_in(store, cipher, "claire", "correct horse battery").token
    stored = " ".join(str(v) for table in ("desk_users", "desk_sessions") for row in _rows(database_url, table)
                      for v in row)
    assert "correct horse battery" not in stored and token not in stored and "$argon2id$" in stored


def test_availability_counts_recent_available_sessions(store, cipher):
    accounts.save_account(store, "claire", "correct horse battery", "handler")
    now = datetime.now(timezone.utc)
    token = accounts.sign_in(store, cipher, "claire", "correct horse battery", now).token
    session = accounts.current_session(store, token, timedelta(minutes=30), now)
    assert store.available_desk_handlers(now - timedelta(minutes=30)) == 0
    store.set_desk_availability(session.id, True)
    assert store.available_desk_handlers(now - timedelta(minutes=30)) == 1
    assert store.available_desk_handlers(now + timedelta(seconds=1)) == 0  # not seen since


# -- handoffs ---------------------------------------------------------------------------------------------------------


def test_a_handoff_is_taken_once_then_handed_back(store, cipher, database_url):
    accounts.save_account(store, "claire", "correct horse battery", "handler")
    accounts.save_account(store, "marc", "correct horse battery", "handler")
    users = {u.login: u for u in store.desk_users()}
    key = cipher.conversation_key("widget-session-1")
    waiting = store.request_handoff(key, "widget-session-1", "socketio", None)
    assert store.request_handoff(key, "widget-session-1", "socketio", None).public_id == waiting.public_id
    assert [h.status for h in store.handoffs()] == [HANDOFF_WAITING] and store.handoffs()[0].sender is None
    taken = store.take_handoff(waiting.public_id, users["claire"].id, "claire")
    assert (taken.status, taken.taken_by, taken.sender) == (HANDOFF_ACTIVE, "claire", "widget-session-1")
    with pytest.raises(HandoffConflict):
        store.take_handoff(waiting.public_id, users["marc"].id, "marc")
    with pytest.raises(HandoffConflict):
        store.release_handoff(waiting.public_id, users["marc"].id, "marc")
    released = store.release_handoff(waiting.public_id, users["claire"].id, "claire")
    assert released.sender == "widget-session-1"
    assert store.handoff(waiting.public_id, with_sender=True).status == HANDOFF_CLOSED
    assert store.handoff(waiting.public_id, with_sender=True).sender is None  # erased
    assert "widget-session-1" not in " ".join(str(v) for row in _rows(database_url, "handoffs") for v in row)
    assert {a.action for a in store.audit_entries()} >= {"handoff_take", "handoff_release"}


def test_waiting_handoffs_expire(store, cipher):
    waiting = store.request_handoff(cipher.conversation_key("s"), "s", "rest", None)
    assert store.expire_handoffs(datetime.now(timezone.utc) - timedelta(minutes=15)) == 0
    assert store.expire_handoffs(datetime.now(timezone.utc) + timedelta(seconds=1)) == 1
    assert store.handoff(waiting.public_id).status == HANDOFF_EXPIRED and store.handoffs() == []


# -- notices ----------------------------------------------------------------------------------------------------------


def test_the_deadline_passed_notice_is_queued_once_and_built_for_the_mail_sender(store, cipher):
    unanswered = record(store, cipher, "conv-1")
    answered = record(store, cipher, "conv-2")
    no_email = record(store, cipher, "conv-3", email=None)
    court = record(store, cipher, "conv-4", court_action=True)
    event(store, answered, "answered", date(2026, 12, 1), "upheld")
    assert queue_due_notices(store, ORG, date(2027, 1, 4)) == 0  # the answer is due that day
    assert queue_due_notices(store, ORG, date(2027, 1, 5)) == 2
    assert queue_due_notices(store, ORG, date(2027, 1, 6)) == 0
    assert store.notice_statuses(no_email) == {"mediation_open": "no_address"}
    assert store.notice_statuses(answered) == {} and store.notice_statuses(court) == {}

    outgoing = notices_to_send(store, ORG, date(2027, 1, 5))
    assert [n.reference for n in outgoing] == [unanswered]
    email = outgoing[0].email
    assert email.to == PAUL.email and unanswered in email.subject and PAUL.email not in repr(email)
    assert "devait recevoir une réponse de CPMS au plus tard le lundi 4 janvier 2027" in email.text
    assert "saisir le médiateur dès maintenant, et au plus tard le mardi 2 novembre 2027" in email.text
    assert "<p>" in email.html and PAUL.nir not in email.text
    assert notices_to_send(store, ORG, date(2027, 1, 5)) == []  # claimed
    assert notice_failed(store, outgoing[0], "421 try later", retry_at=datetime.now(timezone.utc) - timedelta(1))
    again = notices_to_send(store, ORG, date(2027, 1, 5))
    assert notice_sent(store, again[0]) and store.notice_statuses(unanswered) == {"mediation_open": "sent"}
    assert list(store.notices_sent()) == [unanswered]


def test_a_notice_is_cancelled_when_the_answer_comes_first(store, cipher):
    reference = record(store, cipher)
    queue_due_notices(store, ORG, date(2027, 1, 5))
    event(store, reference, "answered", date(2027, 1, 5), "rejected", today=date(2027, 1, 6))
    assert notices_to_send(store, ORG, date(2027, 1, 6)) == []
    assert store.notice_statuses(reference) == {"mediation_open": "cancelled"}


def test_event_outbox_rows_follow_backoffice_url(store, cipher, database_url, monkeypatch):
    monkeypatch.setenv("BACKOFFICE_URL", "http://127.0.0.1:9/complaints")
    reference = record(store, cipher)
    event(store, reference, "acknowledged", date(2026, 11, 10))
    engine = create_engine(database_url, future=True)
    with engine.connect() as connection:
        assert connection.execute(select(EventOutboxRow.status)).scalars().all() == ["pending"]
    engine.dispose()
