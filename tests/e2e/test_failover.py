"""Scaling out on what Rasa supports: two Rasa servers sharing a PostgreSQL tracker store and a Redis lock store.

Concurrent complaint conversations alternate their turns between the two servers (as a load balancer without
stickiness would send REST calls); once every conversation is half-way, one server is killed (SIGKILL) and the
load balancer sends everything to the survivor. Every conversation must complete there, with no event lost or
duplicated (the tracker holds exactly the messages sent, once, and every reply the member read), each complaint
recorded once in the complaint store and received once by the back-office.

The kill happens between turns (no request in flight) here; a kill in the middle of the submission turn is tested
in test_outages_e2e.py (recorded once when the member confirms again). Any other turn cut mid-way cannot be
retried safely over REST, which has no message id (WhatsApp's redeliveries are deduplicated by message id, see
addons/whatsapp/deduplication.py).
The figures are printed and written to test-output/reliability/failover.json.
"""

from __future__ import annotations

import json
import re
import statistics
import threading
import time
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, text

from ops.launcher import ROOT
from recours.redaction import redact_text
from tests.e2e.conftest import Cluster
from tests.e2e.harness import Conversation
from tests.nirs import make_nir

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

CONVERSATIONS = 10
KILL_AFTER_TURN = 5
REFERENCE_RE = re.compile(r"REC-\d{4}-[A-Z0-9]{6}")
GRIEVANCE = (
    "Bonjour, ma mutuelle refuse de me rembourser mes lunettes alors que mon contrat les couvre, "
    "j'ai envoyé les factures deux fois et personne ne me répond, c'est inadmissible."
)


def script(index: int) -> list[tuple[str, str]]:
    """(message, text expected in the answer) of one whole complaint; identifiers differ per conversation."""
    nir = make_nir(sex=2, year=84, month=7, department="75", commune="056", order=f"{300 + index:03d}")
    return [
        (GRIEVANCE, "Acceptez-vous de continuer"),
        ("Oui", "nom et votre prénom"),
        (f"Marie Martin{chr(65 + index)}", "sécurité sociale"),
        (nir, "e-mail"),
        (f"marie.martin{index}@exemple.fr", ""),
        ("Contrat individuel", ""),
        ('/inform{"nature":"remboursement"}', "décision"),
        ("Aucune", "réclamation écrite"),
        ("Non", "justice"),
        ("Non", "récapitulatif"),
        ("/affirm", "enregistrée sous la référence"),
    ]


class Member:
    def __init__(self, cluster: Cluster, index: int, alive: dict[str, bool], lock: threading.Lock) -> None:
        self.cluster, self.index, self.alive, self.lock = cluster, index, alive, lock
        self.sender = f"failover-{index}-{int(time.time())}"
        self.turns_on: dict[str, int] = {"rasa": 0, "rasa-2": 0}
        self.latencies: list[float] = []
        self.replies_read = 0
        self.reference: str | None = None
        self.error: str | None = None

    def server_for(self, turn: int) -> str:
        preferred = ("rasa", "rasa-2")[(turn + self.index) % 2]
        with self.lock:
            return preferred if self.alive[preferred] else "rasa"  # the load balancer drops the dead one

    def say(self, turn: int, message: str) -> str:
        server = self.server_for(turn)
        target = SimpleNamespace(rasa_url=self.cluster.assistant.rasa_urls[server], token=self.cluster.assistant.token)
        conversation = Conversation(target, sender=self.sender)  # type: ignore[arg-type]
        started = time.monotonic()
        replies = conversation.say(message)
        self.latencies.append(time.monotonic() - started)
        self.turns_on[server] += 1
        self.replies_read += len(replies)
        return "\n".join(r.get("text", "") for r in replies)


def test_conversations_survive_the_loss_of_a_rasa_server(cluster: Cluster):
    assistant = cluster.assistant
    alive = {"rasa": True, "rasa-2": True}
    lock = threading.Lock()
    members = [Member(cluster, i, alive, lock) for i in range(CONVERSATIONS)]
    killed_at: list[float] = []

    def kill() -> None:  # runs once, when every conversation has done KILL_AFTER_TURN turns and waits
        with lock:
            alive["rasa-2"] = False
        assistant.kill("rasa-2")
        killed_at.append(time.monotonic())

    barrier = threading.Barrier(CONVERSATIONS, action=kill, timeout=600)
    before = _count(cluster, "SELECT COUNT(*) FROM complaints")

    def run(member: Member) -> None:
        try:
            for turn, (message, expected) in enumerate(script(member.index)):
                if turn == KILL_AFTER_TURN:
                    barrier.wait()
                answer = member.say(turn, message)
                assert expected in answer, f"turn {turn} ({message!r}): {answer!r}"
                if turn == len(script(member.index)) - 1:
                    member.reference = REFERENCE_RE.search(answer).group(0)
        except Exception as exc:  # noqa: BLE001 - reported below with the conversation's index
            member.error = f"{type(exc).__name__}: {exc}"
            barrier.abort()

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(900)
    elapsed = time.monotonic() - started
    assert not [m.error for m in members if m.error], [m.error for m in members]
    assert killed_at and assistant.processes["rasa-2"].poll() is not None

    # Every conversation completed on the survivor: the tracker holds each message once, in order, and every
    # reply the member read (no event lost, none doubled).
    survivor = SimpleNamespace(rasa_url=assistant.rasa_url, token=assistant.token)
    for member in members:
        events = Conversation(survivor, sender=member.sender).tracker()["events"]  # type: ignore[arg-type]
        user_texts = [e["text"] for e in events if e["event"] == "user"]
        # As the redacting tracker store keeps them: identifiers replaced by [NIR], [EMAIL]...
        assert user_texts == [redact_text(message) for message, _ in script(member.index)], user_texts
        assert sum(e["event"] == "bot" for e in events) == member.replies_read
        keys = [(e["event"], e.get("timestamp"), json.dumps(e, sort_keys=True)) for e in events]
        assert len(keys) == len(set(keys)), "an event was stored twice"
    duplicated_rows = _count_tracker(
        cluster,
        "SELECT COUNT(*) FROM (SELECT sender_id, type_name, timestamp, data FROM events "
        "GROUP BY sender_id, type_name, timestamp, data HAVING COUNT(*) > 1) AS d",
    )
    assert duplicated_rows == 0

    # Each complaint recorded once, and received once by the back-office.
    references = [m.reference for m in members]
    assert len(set(references)) == CONVERSATIONS
    assert _count(cluster, "SELECT COUNT(*) FROM complaints") == before + CONVERSATIONS
    store = cluster.store()
    for member in members:
        mine = store.complaints_of_conversation(cluster.cipher.conversation_key(member.sender))
        assert [c.reference for c in mine] == [member.reference]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not all(cluster.backoffice.cases_for(r) for r in references):
        time.sleep(0.5)
    assert all(cluster.backoffice.cases_for(r) == 1 for r in references)

    latencies = [latency for m in members for latency in m.latencies]
    figures = {
        "conversations": CONVERSATIONS,
        "turns": len(latencies),
        "turns_on_rasa": sum(m.turns_on["rasa"] for m in members),
        "turns_on_rasa_2_before_kill": sum(m.turns_on["rasa-2"] for m in members),
        "turns_after_kill": sum(len(script(m.index)) - KILL_AFTER_TURN for m in members),
        "complaints_recorded": CONVERSATIONS,
        "backoffice_cases": sum(cluster.backoffice.cases_for(r) for r in references),
        "lost_or_duplicated_events": 0,
        "elapsed_seconds": round(elapsed, 1),
        "turn_latency_median_seconds": round(statistics.median(latencies), 2),
        "turn_latency_max_seconds": round(max(latencies), 2),
    }
    out = ROOT / "test-output" / "reliability"
    out.mkdir(parents=True, exist_ok=True)
    (out / "failover.json").write_text(json.dumps(figures, indent=2) + "\n")
    print("\nfail-over:", json.dumps(figures))


def _count(cluster: Cluster, sql: str) -> int:
    return _scalar(cluster.complaints_url, sql)


def _count_tracker(cluster: Cluster, sql: str) -> int:
    return _scalar(cluster.tracker_url, sql)


def _scalar(url: str, sql: str) -> int:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()
