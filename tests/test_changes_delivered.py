"""What the member changes after recording reaches the back-office (issue 11): a complaint's new phone or e-mail,
a call-back's new number or its cancellation — one delivery per change, numbered, each with its own key, written
in the change's transaction and delivered exactly once across failures (real SQLite/PostgreSQL, real HTTP stub)."""

from __future__ import annotations

from recours.backoffice import (
    CALLBACK_UPDATE_SCHEMA,
    COMPLAINT_UPDATE_SCHEMA,
    DELIVERED,
    RETRY,
    idempotency_key,
    update_idempotency_key,
)
from tests.backoffice_stub import backoffice  # noqa: F401
from tests.test_backoffice import Clock, database_url, key  # noqa: F401 - the same clock and databases
from tests.test_deliveries import _callback, _complaint, _outbox, _rows, _store
from tests.pg import postgresql_url  # noqa: F401

NEW_PHONE = "+33600000042"
NEW_EMAIL = "nouvelle.adresse@example.org"


def _deliver(database_url: str, key: str, clock: Clock, stub) -> list[tuple[str, str, str]]:
    outbox = _outbox(_store(database_url, key), clock, stub=stub)  # a new worker each time, as after a restart
    try:
        return [(a.kind, a.reference, a.result.outcome) for a in outbox.deliver_due()]
    finally:
        outbox.store.dispose()


def test_each_contact_change_is_delivered_once_with_the_record_as_it_is(database_url, key, monkeypatch, backoffice):  # noqa: F811
    monkeypatch.setenv("BACKOFFICE_URL", backoffice.url)
    clock = Clock()
    store = _store(database_url, key)
    reference = _complaint(store, "conv-1")
    assert _deliver(database_url, key, clock, backoffice) == [("complaint", reference, DELIVERED)]

    assert store.change_complaint_contact(reference, "klesia", phone=NEW_PHONE)
    backoffice.script(reference, [503, 201])  # the first change meets an outage, then goes through
    assert _deliver(database_url, key, clock, backoffice) == [("complaint_update", reference, RETRY)]
    assert store.change_complaint_contact(reference, "klesia", email=NEW_EMAIL)
    clock.advance(4000)
    assert _deliver(database_url, key, clock, backoffice) == [("complaint_update", reference, DELIVERED)] * 2
    clock.advance(4000)
    assert _deliver(database_url, key, clock, backoffice) == []  # nothing sent twice

    updates = [p for p in backoffice.posts_for(reference) if p.body["schema"] == COMPLAINT_UPDATE_SCHEMA]
    assert sorted(p.body["revision"] for p in updates) == [1, 1, 2]
    assert all(p.key == update_idempotency_key("complaint_update", reference, p.body["revision"]) for p in updates)
    assert len({idempotency_key(reference), *(p.key for p in updates)}) == 3  # never the complaint's own key
    # Each change carries the record as it is when sent: the late first change can never bring back an old value.
    for post in updates[1:]:
        assert post.body["member"]["phone"] == NEW_PHONE and post.body["member"]["email"] == NEW_EMAIL
        assert post.body["changed_at"].endswith("Z") and post.body["description"]
    assert backoffice.cases_for(reference) == 3  # the complaint and its two changes, each once
    assert _rows(database_url) == [("complaint_update", reference, "delivered")] * 2


def test_a_cancelled_callback_tells_the_back_office(database_url, key, monkeypatch, backoffice):  # noqa: F811
    monkeypatch.setenv("BACKOFFICE_URL", backoffice.url)
    clock = Clock()
    store = _store(database_url, key)
    recorded = _callback(store, "conv-1")
    conversation = store._cipher.conversation_key("conv-1")
    assert store.change_callback(recorded.reference, conversation, phone=NEW_PHONE)
    assert store.change_callback(recorded.reference, conversation, cancel=True)
    assert not store.change_callback(recorded.reference, conversation, cancel=True)  # already cancelled: no row
    assert not store.change_callback(recorded.reference, "another-conversation", phone=NEW_PHONE)
    sent = _deliver(database_url, key, clock, backoffice)
    assert sent == [("callback", recorded.reference, DELIVERED)] + [("callback_update", recorded.reference, DELIVERED)] * 2
    updates = [p.body for p in backoffice.posts_for(recorded.reference) if p.body["schema"] == CALLBACK_UPDATE_SCHEMA]
    assert [(u["revision"], u["status"]) for u in updates] == [(1, "cancelled"), (2, "cancelled")]
    assert updates[-1]["phone"] == NEW_PHONE and updates[-1]["cancelled_at"].endswith("Z")


def test_without_a_back_office_changes_stay_local(database_url, key, monkeypatch):  # noqa: F811
    monkeypatch.delenv("BACKOFFICE_URL", raising=False)
    store = _store(database_url, key)
    reference = _complaint(store, "conv-1", email=None)
    assert store.change_complaint_contact(reference, "klesia", phone=NEW_PHONE)
    assert ("complaint_update", reference, "local") in _rows(database_url)


def test_a_detail_added_and_a_callback_restored_reach_the_back_office(database_url, key, monkeypatch, backoffice):  # noqa: F811
    # members' round 16: « attendez j'avais pas fini… » added to a recorded complaint; a call-back cancelled by
    # mistake then restored (« pas celui-là, je voulais garder celui du 72 »)
    monkeypatch.setenv("BACKOFFICE_URL", backoffice.url)
    clock = Clock()
    store = _store(database_url, key)
    reference = _complaint(store, "conv-1")
    assert store.add_to_complaint(reference, "klesia", "Précision ajoutée par le membre : je demande aussi 70 €")
    assert not store.add_to_complaint(reference, "cpms", "une autre organisation")
    recorded = _callback(store, "conv-1")
    conversation = store._cipher.conversation_key("conv-1")
    assert store.change_callback(recorded.reference, conversation, cancel=True)
    assert store.change_callback(recorded.reference, conversation, restore=True)
    sent = sorted(_deliver(database_url, key, clock, backoffice))
    assert sent == sorted([("complaint", reference, DELIVERED), ("complaint_update", reference, DELIVERED),
                           ("callback", recorded.reference, DELIVERED)]
                          + [("callback_update", recorded.reference, DELIVERED)] * 2)
    update = next(p.body for p in backoffice.posts_for(reference) if p.body["schema"] == COMPLAINT_UPDATE_SCHEMA)
    assert update["description"].endswith("je demande aussi 70 €")
    statuses = [p.body["status"] for p in backoffice.posts_for(recorded.reference)
                if p.body["schema"] == CALLBACK_UPDATE_SCHEMA]
    assert statuses[-1] == "recorded"
