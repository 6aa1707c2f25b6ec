"""Outages of the scaled-out deployment's components, mid-conversation (the ``cluster`` fixture: PostgreSQL, Redis,
two Rasa servers, an action server forwarding to a back-office stand-in).

For each: what the member reads during the outage, the health endpoint, nothing half-written, and the same
conversation going on once the component is back.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from types import SimpleNamespace

import psycopg2
import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from recours.backoffice import idempotency_key
from tests.e2e.conftest import Cluster, logs_of
from tests.e2e.harness import Conversation
from tests.e2e.test_complaint_rest import fill_until_recap, start_complaint

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

FAILURE = "n'a pas pu être traitée"
NOT_RECORDED = "n'a pas pu être enregistrée"
CPMS_PHONE = "01 47 70 30 97"
REFERENCE_RE = re.compile(r"REC-\d{4}-[A-Z0-9]{6}")


def conversation(cluster: Cluster, server: str = "rasa") -> Conversation:
    target = SimpleNamespace(rasa_url=cluster.assistant.rasa_urls[server], token=cluster.assistant.token)
    return Conversation(target)  # type: ignore[arg-type]


def health(cluster: Cluster, server: str = "rasa") -> requests.Response:
    return requests.get(f"{cluster.assistant.rasa_urls[server]}/health/components", timeout=60)


def _admin(cluster: Cluster):
    url = make_url(cluster.complaints_url)
    connection = psycopg2.connect(host=url.host, port=url.port, user=url.username, dbname="postgres")
    connection.autocommit = True
    return connection


def set_database_available(cluster: Cluster, database: str, available: bool) -> None:
    """``ALLOW_CONNECTIONS false`` and close its sessions: that database alone becomes unreachable."""
    with _admin(cluster) as connection, connection.cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {"true" if available else "false"}')
        if not available:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (database,))


def count(cluster: Cluster, sql: str, **params) -> int:
    engine = create_engine(cluster.complaints_url, future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).scalar_one()
    finally:
        engine.dispose()


def user_texts(conv: Conversation) -> list[str]:
    return [e.get("text") for e in conv.tracker()["events"] if e.get("event") == "user"]


def test_the_back_office_is_fed_in_the_background_and_exactly_once(cluster: Cluster):
    stub = cluster.backoffice
    stub.slow_seconds = 8.0  # longer than BACKOFFICE_READ_TIMEOUT_SECONDS (3): the first attempt times out
    stub.default_script[:] = ["slow", 503]
    conv = conversation(cluster)
    start_complaint(conv)
    fill_until_recap(conv)
    done = conv.say_text("/affirm")
    reference = REFERENCE_RE.search(done).group(0)
    # The member has the reference while the back-office still holds the first attempt.
    assert stub.cases_for(reference) == 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and count(
        cluster, "SELECT COUNT(*) FROM backoffice_outbox WHERE reference = :r AND status = 'delivered'", r=reference
    ) == 0:
        time.sleep(0.5)
    posts = stub.posts_for(reference)
    assert stub.cases_for(reference) == 1, [p.answered for p in posts]
    assert len(posts) >= 3 and {p.key for p in posts} == {idempotency_key(reference)}
    assert posts[-1].body["member"]["nir"] and posts[-1].body["reference"] == reference
    assert posts[-1].body["member"]["nir"] not in logs_of(cluster.assistant)  # the payload is never logged


def test_complaint_store_unavailable_at_recording(cluster: Cluster):
    conv = conversation(cluster)
    start_complaint(conv)
    fill_until_recap(conv)
    before = count(cluster, "SELECT COUNT(*) FROM complaints")
    set_database_available(cluster, "complaints", False)
    try:
        failed = conv.say_text("/affirm")
        assert NOT_RECORDED in failed and CPMS_PHONE in failed and "rien n'a été enregistré" in failed, conv.dump()
        assert not REFERENCE_RE.search(failed)
        answer = requests.get(f"{cluster.assistant.action_url}/health/components", timeout=60)
        assert answer.status_code == 503 and "complaint_store" in answer.json()["failing"]
        assert health(cluster).status_code == 503
    finally:
        set_database_available(cluster, "complaints", True)
    assert count(cluster, "SELECT COUNT(*) FROM complaints") == before  # nothing half-written
    done = conv.say_text("/affirm")  # the "Réessayer" button
    reference = REFERENCE_RE.search(done).group(0)
    assert count(cluster, "SELECT COUNT(*) FROM complaints") == before + 1
    assert count(cluster, "SELECT COUNT(*) FROM complaints WHERE reference = :r", r=reference) == 1
    assert count(cluster, "SELECT COUNT(*) FROM backoffice_outbox WHERE reference = :r", r=reference) == 1
    assert conv.slots()["complaint_reference"] == reference
    assert health(cluster).status_code == 200


def test_double_submission_on_two_servers_records_one_complaint(cluster: Cluster):
    first = conversation(cluster, "rasa")
    start_complaint(first)
    fill_until_recap(first)
    # On the second server when it runs (test_failover.py kills it): the lock is Redis', shared by both.
    second = conversation(cluster, "rasa-2" if cluster.assistant.processes["rasa-2"].poll() is None else "rasa")
    second.sender = first.sender
    before = count(cluster, "SELECT COUNT(*) FROM complaints")
    answers: list[str] = []
    threads = [threading.Thread(target=lambda c=c: answers.append(c.say_text("/affirm"))) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    references = {m.group(0) for a in answers for m in REFERENCE_RE.finditer(a)}
    assert len(references) == 1, answers
    assert count(cluster, "SELECT COUNT(*) FROM complaints") == before + 1


def test_a_rasa_server_killed_during_the_submission_records_the_complaint_once(cluster: Cluster):
    """The turn is in flight when its Rasa server dies: « Confirmer » reached the action server (held by SIGSTOP,
    so the kill lands mid-turn for sure), then the server is SIGKILLed. The member's request is cut; the member
    confirms again and the load balancer sends it to the other server. One complaint, one reference."""
    assistant = cluster.assistant
    if assistant.processes["rasa-2"].poll() is not None:  # test_failover.py killed it
        assistant.start_process("rasa-2")
    conv = conversation(cluster, "rasa-2")
    start_complaint(conv)
    fill_until_recap(conv)
    before = count(cluster, "SELECT COUNT(*) FROM complaints")
    cut: dict[str, str] = {}

    def confirm() -> None:
        try:
            cut["answer"] = conv.say_text("/affirm")
        except requests.RequestException as exc:
            cut["error"] = type(exc).__name__

    actions = assistant.processes["actions"]
    os.killpg(actions.pid, signal.SIGSTOP)
    try:
        member = threading.Thread(target=confirm)
        member.start()
        time.sleep(3)
        assert member.is_alive(), cut  # Rasa is waiting for the action server: the turn is in flight
        assistant.kill("rasa-2")
        member.join(30)
    finally:
        os.killpg(actions.pid, signal.SIGCONT)
    assert "error" in cut and "answer" not in cut, cut  # the member got no answer
    time.sleep(3)  # the action server may finish the submission it had received (nobody reads the answer)
    assert count(cluster, "SELECT COUNT(*) FROM complaints") in (before, before + 1)

    # « Confirmer » again, on the surviving server. It first waits for the lock the dead server held on this
    # conversation to expire (Rasa's TICKET_LOCK_LIFETIME, 20 s in the cluster): no turn of this conversation runs twice at once.
    retry = requests.post(f"{assistant.rasa_urls['rasa']}/webhooks/rest/webhook",
                          json={"sender": conv.sender, "message": "/affirm"}, timeout=180)
    assert retry.status_code == 200
    text_read = "\n".join(r.get("text", "") for r in retry.json())
    reference = REFERENCE_RE.search(text_read).group(0)
    assert count(cluster, "SELECT COUNT(*) FROM complaints") == before + 1
    assert count(cluster, "SELECT COUNT(*) FROM complaints WHERE reference = :r", r=reference) == 1
    assert count(cluster, "SELECT COUNT(*) FROM backoffice_outbox WHERE reference = :r", r=reference) == 1
    assistant.start_process("rasa-2")  # for the tests that follow


def test_tracker_store_down_is_told_and_nothing_is_lost(cluster: Cluster):
    conv = conversation(cluster)
    start_complaint(conv)
    cluster.postgres.pause()
    try:
        failed = conv.say_text("Oui")
        assert FAILURE in failed and CPMS_PHONE in failed
        assert "nom et votre prénom" not in failed  # the turn's own replies, computed on nothing, are dropped
        answer = health(cluster)
        assert answer.status_code == 503 and "tracker_store" in answer.json()["failing"]
    finally:
        cluster.postgres.resume()
    assert "nom et votre prénom" in conv.say_text("Oui"), conv.dump()
    assert len(user_texts(conv)) == 2  # the grievance and the "Oui" that went through: none lost, none doubled
    assert "Turn failure: tracker_store" in logs_of(cluster.assistant)
    assert health(cluster).status_code == 200


def test_redis_down_is_told_and_the_conversation_resumes(cluster: Cluster):
    conv = conversation(cluster, "rasa")
    start_complaint(conv)
    cluster.redis.stop()
    try:
        failed = conv.say_text("Oui")
        assert FAILURE in failed and CPMS_PHONE in failed
        answer = health(cluster)
        assert answer.status_code == 503 and "lock_store" in answer.json()["failing"]
    finally:
        cluster.redis.start()
    assert "nom et votre prénom" in conv.say_text("Oui"), conv.dump()
    assert len(user_texts(conv)) == 2
    assert "Turn failure: lock_store (LockError)" in logs_of(cluster.assistant)  # Rasa wraps Redis errors
