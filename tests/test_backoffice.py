"""Forwarding complaints to the back-office: client, outbox, retries across restarts, concurrent workers.

The back-office is a real local HTTP server (tests/backoffice_stub.py); the complaint store is SQLite or the
throwaway PostgreSQL server. Time is a controllable clock so backoff delays pass instantly, except where the test
is about real time (timeouts, the asyncio worker).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text

from recours.backoffice import (
    DELIVERED,
    REFUSED,
    RETRY,
    SCHEMA,
    BackofficeClient,
    complaint_payload,
    idempotency_key,
)
from recours.crypto import FieldCipher, generate_key
from recours.outbox import DeliveryWorker, Outbox
from recours.store import ComplaintStore, RecordingFailed, StoreUnavailable, migrate
from tests.backoffice_stub import BackofficeStub, backoffice  # noqa: F401
from tests.members import CROWN_NOT_REIMBURSED, PAUL, complaint_draft
from tests.store_fixtures import database_url, postgresql_url  # noqa: F401 - fixtures


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc) + timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def key() -> str:
    return generate_key()


@pytest.fixture
def forwarding(monkeypatch, backoffice):  # noqa: F811
    monkeypatch.setenv("BACKOFFICE_URL", backoffice.url)
    return backoffice


def _record(store: ComplaintStore, sender: str) -> str:
    draft = complaint_draft(store._cipher.conversation_key(sender))
    return store.record_complaint(draft, f"idem-{sender}").reference


def _outbox(url: str, key: str, stub: BackofficeStub | None, clock: Clock, read_timeout: float = 1.0) -> Outbox:
    client = BackofficeClient(stub.url, read_timeout=read_timeout) if stub else None
    return Outbox(ComplaintStore(url, FieldCipher(key)), client, retry_base=10, clock=clock, rng=lambda: 1.0)


def _statuses(url: str) -> dict[str, str]:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT reference, status FROM backoffice_outbox")).all()
    engine.dispose()
    return dict(rows)


# -- the client ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "step, outcome",
    [(200, DELIVERED), (201, DELIVERED), (204, DELIVERED), (500, RETRY), (502, RETRY), (503, RETRY), (429, RETRY),
     (408, RETRY), (400, REFUSED), (401, REFUSED), (404, REFUSED), (409, REFUSED), (422, REFUSED), (301, REFUSED)],
)
def test_client_classifies_answers(backoffice, step, outcome):  # noqa: F811
    backoffice.script("REC-2026-AAAAAA", [step])
    result = BackofficeClient(backoffice.url).send({"reference": "REC-2026-AAAAAA"}, "k")
    assert result.outcome == outcome and result.status == step


def test_client_timeout_and_connection_refused_are_retried(backoffice):  # noqa: F811
    backoffice.slow_seconds = 1.0
    backoffice.script("REC-2026-AAAAAA", ["slow"])
    result = BackofficeClient(backoffice.url, read_timeout=0.2).send({"reference": "REC-2026-AAAAAA"}, "k")
    assert result.outcome == RETRY and result.status is None and "timeout" in result.reason
    closed = BackofficeClient("http://127.0.0.1:9/complaints", connect_timeout=0.5).send({}, "k")
    assert closed.outcome == RETRY and "connection" in closed.reason


def test_client_honours_retry_after_and_keeps_a_short_redacted_reason(backoffice):  # noqa: F811
    backoffice.script("R1", [(429, {"Retry-After": "120"}, {"message": "slow down"})])
    backoffice.script("R2", [(422, {}, {"detail": f"NIR {PAUL.nir} invalide " + "x" * 500})])
    limited = BackofficeClient(backoffice.url).send({"reference": "R1"}, "k")
    assert limited.retry_after == 120 and limited.reason == "HTTP 429: slow down"
    refused = BackofficeClient(backoffice.url).send({"reference": "R2"}, "k")
    assert refused.outcome == REFUSED and PAUL.nir not in refused.reason and len(refused.reason) <= 200
    assert refused.reason.startswith("HTTP 422: NIR")


def test_client_sends_json_with_idempotency_key_and_token(backoffice):  # noqa: F811
    client = BackofficeClient(backoffice.url, token="s3cret")
    client.send({"reference": "REC-2026-AAAAAA", "member": {"name": "Zoé Ève"}}, idempotency_key("REC-2026-AAAAAA"))
    post = backoffice.posts[0]
    assert post.headers["Content-Type"].startswith("application/json")
    assert post.headers["Authorization"] == "Bearer s3cret"
    assert post.key == idempotency_key("REC-2026-AAAAAA") == idempotency_key("REC-2026-AAAAAA")
    assert post.key != idempotency_key("REC-2026-AAAAAB")
    assert post.body["member"]["name"] == "Zoé Ève"
    assert "s3cret" not in repr(client) and "127.0.0.1" not in repr(client)


# -- the outbox ----------------------------------------------------------------------------------------------


def test_recording_writes_the_delivery_in_the_same_transaction(database_url, key, forwarding):
    store = ComplaintStore(database_url, FieldCipher(key))
    reference = _record(store, "conv-1")
    assert _statuses(database_url) == {reference: "pending"}
    # Without its outbox table, recording fails and writes nothing: never a complaint without its delivery.
    engine = create_engine(database_url, future=True)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE backoffice_outbox"))
    engine.dispose()
    with pytest.raises((RecordingFailed, StoreUnavailable)):
        _record(store, "conv-2")
    assert store.count_complaints() == 1
    store.dispose()


def test_local_mode_records_a_local_delivery_sent_only_on_request(database_url, key, backoffice, monkeypatch):  # noqa: F811
    monkeypatch.delenv("BACKOFFICE_URL", raising=False)
    clock = Clock()
    outbox = _outbox(database_url, key, backoffice, clock)
    reference = _record(outbox.store, "conv-1")
    assert _statuses(database_url) == {reference: "local"}
    assert outbox.deliver_due() == [] and backoffice.posts == []
    assert outbox.requeue(reference) == 1
    assert [a.result.outcome for a in outbox.deliver_due()] == [DELIVERED]
    assert backoffice.cases_for(reference) == 1


def test_retries_across_restarts_until_delivered_exactly_once(database_url, key, forwarding, caplog):
    """500, 429, too slow, then 200 — a new process (store, engine, outbox) for every attempt."""
    caplog.set_level(logging.DEBUG)
    clock = Clock()
    forwarding.slow_seconds = 1.5
    reference = _record(ComplaintStore(database_url, FieldCipher(key)), "conv-1")
    forwarding.script(reference, [500, (429, {"Retry-After": "60"}, {}), "slow", 200])
    outcomes = []
    for _ in range(6):  # more passes than needed: nothing more is sent once delivered
        outbox = _outbox(database_url, key, forwarding, clock, read_timeout=0.3)  # a restart
        outcomes += [(a.result.outcome, a.result.status) for a in outbox.deliver_due()]
        outbox.store.dispose()
        clock.advance(4000)
    assert outcomes == [(RETRY, 500), (RETRY, 429), (RETRY, None), (DELIVERED, 200)]
    posts = forwarding.posts_for(reference)
    assert len(posts) == 4 and {p.key for p in posts} == {idempotency_key(reference)}
    assert forwarding.cases_for(reference) == 1  # the slow attempt reached it; the 4th was recognised
    assert _statuses(database_url) == {reference: "delivered"}
    entry = _outbox(database_url, key, None, clock).entries()[0]
    assert entry.attempts == 4 and entry.delivered_at is not None and entry.last_error is None
    body = posts[-1].body
    assert body["schema"] == SCHEMA and body["reference"] == reference
    assert body["member"] == {"name": PAUL.name, "nir": PAUL.nir, "member_number": None, "email": PAUL.email,
                              "phone": None}
    assert body["received_on"] == "2026-11-02" and body["answer_by"] == "2027-01-04"
    assert body["description"] == CROWN_NOT_REIMBURSED and "conversation_key" not in body
    logged = caplog.text
    assert PAUL.nir not in logged and PAUL.name not in logged and PAUL.email not in logged and "couronne" not in logged


def test_backoff_state_is_in_the_table(database_url, key, forwarding):
    clock = Clock()
    outbox = _outbox(database_url, key, forwarding, clock)
    reference = _record(outbox.store, "conv-1")
    forwarding.script(reference, [503, 503, 200])
    outbox.deliver_due()
    first = outbox.entries()[0]
    assert first.attempts == 1 and first.last_status == 503 and "503" in first.last_error
    assert first.next_attempt_at == clock.now + timedelta(seconds=10)
    clock.advance(9)
    assert outbox.deliver_due() == []  # not due yet
    clock.advance(1)
    outbox.deliver_due()
    assert outbox.entries()[0].next_attempt_at == clock.now + timedelta(seconds=20)
    clock.advance(20)
    assert [a.result.outcome for a in outbox.deliver_due()] == [DELIVERED]
    assert outbox.backlog().pending == 0


def test_refusal_is_kept_for_an_operator_then_retried_on_request(database_url, key, forwarding):
    clock = Clock()
    outbox = _outbox(database_url, key, forwarding, clock)
    reference = _record(outbox.store, "conv-1")
    forwarding.script(reference, [(400, {}, {"detail": "champ nature inconnu"}), 201])
    assert [a.result.outcome for a in outbox.deliver_due()] == [REFUSED]
    clock.advance(10_000)
    assert outbox.deliver_due() == []  # never retried alone
    failed = outbox.entries(statuses=["failed"])
    assert [(e.reference, e.last_error) for e in failed] == [(reference, "HTTP 400: champ nature inconnu")]
    backlog = outbox.backlog()
    assert backlog.failed == 1 and backlog.pending == 0
    assert outbox.requeue() == 0  # "retry everything pending" leaves refusals alone
    assert outbox.requeue(reference) == 1
    assert [a.result.outcome for a in outbox.deliver_due()] == [DELIVERED]
    assert forwarding.cases_for(reference) == 1 and _statuses(database_url) == {reference: "delivered"}
    assert outbox.requeue(reference) == 0  # delivered is final


def test_crash_after_the_2xx_resends_with_the_same_key(database_url, key, forwarding, monkeypatch):
    """The worker dies between the back-office's 200 and marking the row: the lease expires, it is sent again,
    and the idempotency key makes the back-office keep one case."""
    clock = Clock()
    outbox = _outbox(database_url, key, forwarding, clock)
    reference = _record(outbox.store, "conv-1")

    def crash(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(Outbox, "_finish", crash)
    with pytest.raises(RuntimeError):
        outbox.deliver_due()
    monkeypatch.undo()
    monkeypatch.setenv("BACKOFFICE_URL", forwarding.url)
    restarted = _outbox(database_url, key, forwarding, clock)
    assert restarted.deliver_due() == []  # still claimed by the dead worker
    clock.advance(restarted.lease.total_seconds() + 1)
    assert [a.result.outcome for a in restarted.deliver_due()] == [DELIVERED]
    posts = forwarding.posts_for(reference)
    assert len(posts) == 2 and posts[0].key == posts[1].key
    assert forwarding.cases_for(reference) == 1 and forwarding.duplicates[posts[0].key] == 1


def test_concurrent_workers_never_send_a_complaint_twice(database_url, key, forwarding):
    store = ComplaintStore(database_url, FieldCipher(key))
    references = [_record(store, f"conv-{i}") for i in range(12)]
    barrier = threading.Barrier(3)
    attempts: list = []

    def worker() -> None:
        outbox = Outbox(ComplaintStore(database_url, FieldCipher(key)), BackofficeClient(forwarding.url))
        barrier.wait()
        for _ in range(3):
            attempts.extend(outbox.deliver_due(limit=5))
        outbox.store.dispose()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(a.reference for a in attempts) == sorted(references)
    assert len(forwarding.posts) == 12 and not forwarding.duplicates
    assert all(forwarding.cases_for(r) == 1 for r in references)
    assert set(_statuses(database_url).values()) == {"delivered"}


def test_the_worker_delivers_in_the_background_and_survives_a_database_error(database_url, key, forwarding, caplog):
    store = ComplaintStore(database_url, FieldCipher(key))
    outbox = Outbox(store, BackofficeClient(forwarding.url), retry_base=0.05)

    async def scenario() -> None:
        worker = DeliveryWorker(outbox, poll=0.05)
        worker.start()
        reference = await asyncio.to_thread(_record, store, "conv-1")
        forwarding.script(reference, [500])
        worker.wake()
        for _ in range(200):
            if forwarding.cases_for(reference):
                break
            await asyncio.sleep(0.02)
        original = outbox.deliver_due
        outbox.deliver_due = lambda *a, **k: (_ for _ in ()).throw(StoreUnavailable("down"))  # type: ignore[method-assign]
        await asyncio.sleep(0.2)
        outbox.deliver_due = original  # type: ignore[method-assign]
        await asyncio.sleep(0.1)
        await worker.stop()
        assert forwarding.cases_for(reference) == 1 and len(forwarding.posts_for(reference)) == 2
        assert worker.passes > 3

    asyncio.run(scenario())
    assert "Back-office delivery paused" in caplog.text
    assert caplog.text.count("Back-office delivery paused") == 1


def test_payload_field_list(database_url, key, forwarding):
    store = ComplaintStore(database_url, FieldCipher(key))
    reference = _record(store, "conv-1")
    payload = complaint_payload(store.get_complaint(reference))
    assert set(payload) == {
        "schema", "reference", "organisation", "received_at", "received_on", "acknowledge_by", "answer_by",
        "request_kind", "concerned_body", "nature", "channel", "member", "contract_holder", "description",
        "contested_decision", "first_complaint_date", "answer_received", "court_action",
    }
    assert payload["received_at"].endswith("Z")


def test_old_complaints_become_local_deliveries_at_migration(tmp_path, key):
    from alembic import command
    from alembic.config import Config

    from recours import store as store_module

    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = Config(str(store_module.ALEMBIC_INI))
    config.set_main_option("script_location", str(store_module.MIGRATIONS_DIR))
    config.attributes.update(database_url=url, configure_logging=False)
    command.upgrade(config, "0002")
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO complaints (reference, organisation, created_at, sent_on, status, request_kind, "
            "concerned_body, nature, member_name, description, conversation_key, idempotency_key) VALUES "
            "('REC-2026-OLDONE', 'cpms', '2026-01-02 10:00:00', '2026-01-02', 'recorded', 'complaint', 'insurer', "
            "'autre', 'x', 'y', 'c', 'i')"
        ))
    engine.dispose()
    migrate(url)
    assert _statuses(url) == {"REC-2026-OLDONE": "local"}


def test_operator_command_lists_and_retries(tmp_path, key, forwarding):
    """``python -m ops outbox list | retry``: what an operator runs; no personal data printed."""
    import os
    import subprocess
    import sys

    from ops.launcher import ROOT

    url = f"sqlite:///{tmp_path / 'recours.db'}"
    migrate(url)
    store = ComplaintStore(url, FieldCipher(key))
    reference = _record(store, "conv-1")
    store.dispose()
    forwarding.script(reference, [(400, {}, {"detail": "code postal manquant"}), 201])
    env = dict(os.environ, DATABASE_URL=url, RECOURS_ENCRYPTION_KEY=key, BACKOFFICE_URL=forwarding.url,
               RECOURS_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT))

    def run(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "ops", "outbox", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert reference in run("list") and "pending" in run("list")
    first = run("retry")
    assert f"{reference} : refused (HTTP 400: code postal manquant)" in first and "Refusés (à traiter" in first
    assert "failed" in run("list")
    second = run("retry", "--reference", reference)
    assert f"{reference} : delivered" in second
    assert reference not in run("list") and reference in run("list", "--all")
    assert forwarding.cases_for(reference) == 1
    everything = first + second + run("list", "--all")
    assert PAUL.nir not in everything and PAUL.name not in everything and PAUL.email not in everything
