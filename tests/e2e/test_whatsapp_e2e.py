"""A whole complaint filed over WhatsApp, against the real Rasa and action servers.

The test plays Meta: it posts signed webhook deliveries (Meta's documented format) to
``/webhooks/whatsapp/webhook`` and reads the assistant's answers where Meta would receive them, on the local
Graph API stand-in (tests/graph_stub.py), which refuses any message outside the Cloud API's format and limits.
Buttons are tapped the way WhatsApp reports a tap: the id of the reply button or list row comes back.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from addons.whatsapp import sender_id_for, sign
from ops.launcher import Assistant
from recours.crypto import FieldCipher
from tests.e2e.conftest import logs_of
from tests.e2e.harness import EMAIL, GRIEVANCE, NIR, REFERENCE_RE
from tests.graph_stub import (
    APP_SECRET,
    VERIFY_TOKEN,
    GraphStub,
    button_reply,
    list_reply,
    media_message,
    message_problems,
    status_callback,
    text_message,
)

pytestmark = pytest.mark.e2e


@dataclass
class WhatsAppMember:
    """A member writing to the assistant on WhatsApp, as Meta relays it."""

    assistant: Assistant
    stub: GraphStub
    number: str = field(default_factory=lambda: "336" + str(uuid.uuid4().int)[:8])
    sent: int = 0
    user_turns: int = 0
    slowest_answer: float = 0.0
    transcript: list[str] = field(default_factory=list)

    @property
    def webhook(self) -> str:
        return f"{self.assistant.rasa_url}/webhooks/whatsapp/webhook"

    @property
    def sender_id(self) -> str:
        return sender_id_for(FieldCipher(self.assistant.env["RECOURS_ENCRYPTION_KEY"]), self.number)

    def deliver(self, payload: dict[str, Any], signature: str | None = None) -> requests.Response:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json",
                   "X-Hub-Signature-256": signature if signature is not None else sign(APP_SECRET, body)}
        started = time.monotonic()
        answer = requests.post(self.webhook, data=body, headers=headers, timeout=10)
        # The webhook answers before the turn has run (Meta gives up on slow webhooks).
        elapsed = time.monotonic() - started
        self.slowest_answer = max(self.slowest_answer, elapsed)
        assert elapsed < 2.0
        return answer

    def next_id(self) -> str:
        self.sent += 1
        return f"wamid.E2E{uuid.uuid4().hex[:16]}{self.sent}"

    def tracker(self) -> dict[str, Any]:
        answer = requests.get(f"{self.assistant.rasa_url}/conversations/{self.sender_id}/tracker",
                              params={"token": self.assistant.token}, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def _wait_turn(self, timeout: float = 90.0) -> None:
        """Wait until the tracker holds the turn and ends listening: Rasa saves it after sending every answer."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            events = self.tracker().get("events") or []
            users = sum(1 for e in events if e.get("event") == "user")
            last = events[-1] if events else {}
            if users >= self.user_turns and last.get("event") == "action" and last.get("name") == "action_listen":
                return
            time.sleep(0.2)
        raise AssertionError(f"the turn did not finish:\n{self.dump()}")

    def _turn(self, payload: dict[str, Any], shown: str) -> list[dict[str, Any]]:
        already = len(self.stub.delivered(self.number))
        assert self.deliver(payload).status_code == 200
        self.user_turns += 1
        self._wait_turn()
        replies = self.stub.delivered(self.number)[already:]
        assert replies, f"no answer to {shown!r}:\n{self.dump()}"
        self.transcript.append(f"> {shown}")
        self.transcript += [f"< {describe(r)}" for r in replies]
        return replies

    def say(self, text: str) -> list[dict[str, Any]]:
        return self._turn(text_message(self.number, self.next_id(), text), text)

    def tap(self, replies: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
        """Tap the reply button or list row titled ``title`` in the last interactive message of ``replies``."""
        interactive = [r["interactive"] for r in replies if r.get("type") == "interactive"]
        assert interactive, f"no interactive message to tap {title!r} in:\n{self.dump()}"
        last = interactive[-1]
        if last["type"] == "button":
            choices = {b["reply"]["title"]: b["reply"]["id"] for b in last["action"]["buttons"]}
            builder = button_reply
        else:
            choices = {row["title"]: row["id"] for s in last["action"]["sections"] for row in s["rows"]}
            builder = list_reply
        assert title in choices, f"{title!r} not among {list(choices)}"
        return self._turn(builder(self.number, self.next_id(), choices[title], title), f"[{title}]")

    def dump(self) -> str:
        return "\n".join(self.transcript)


def describe(message: dict[str, Any]) -> str:
    if message.get("type") == "text":
        return message["text"]["body"]
    interactive = message["interactive"]
    if interactive["type"] == "button":
        options = [b["reply"]["title"] for b in interactive["action"]["buttons"]]
    else:
        options = [row["title"] for s in interactive["action"]["sections"] for row in s["rows"]]
    return f"{interactive['body']['text']}  {interactive['type']}: {options}"


def texts(replies: list[dict[str, Any]]) -> str:
    """What the member reads: text bodies and interactive bodies."""
    return "\n".join(r["text"]["body"] if r["type"] == "text" else r["interactive"]["body"]["text"] for r in replies)


def kinds(replies: list[dict[str, Any]]) -> list[str]:
    return [r["interactive"]["type"] if r["type"] == "interactive" else r["type"] for r in replies]


def test_forged_and_unconfigured_requests_are_refused(assistant: Assistant, graph_stub: GraphStub):
    member = WhatsAppMember(assistant, graph_stub)
    handshake = requests.get(member.webhook, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                                     "hub.challenge": "424242"}, timeout=10)
    assert handshake.status_code == 200 and handshake.text == "424242"
    wrong = requests.get(member.webhook, params={"hub.mode": "subscribe", "hub.verify_token": "nope",
                                                 "hub.challenge": "424242"}, timeout=10)
    assert wrong.status_code == 403

    payload = text_message(member.number, member.next_id(), "Bonjour")
    assert member.deliver(payload, signature="").status_code == 403
    assert member.deliver(payload, signature="sha256=" + "0" * 64).status_code == 403
    assert member.deliver(payload, signature=sign("not-the-app-secret", json.dumps(payload).encode())).status_code \
        == 403
    assert member.deliver(status_callback(member.number, "wamid.OUT")).status_code == 200
    time.sleep(1.0)
    assert graph_stub.delivered(member.number) == []
    conversation = requests.get(f"{assistant.rasa_url}/conversations/{member.sender_id}/tracker",
                                params={"token": assistant.token}, timeout=30).json()
    assert not [e for e in conversation.get("events") or [] if e.get("event") == "user"]


def test_a_photo_gets_a_french_answer(assistant: Assistant, graph_stub: GraphStub):
    member = WhatsAppMember(assistant, graph_stub)
    assert member.deliver(media_message(member.number, member.next_id(), "image")).status_code == 200
    [answer] = graph_stub.wait_for(1, to=member.number, timeout=20)
    body = answer["text"]["body"]
    assert "messages écrits" in body and "pièces justificatives" in body


def test_a_whole_complaint_filed_over_whatsapp(assistant: Assistant, graph_stub: GraphStub, store):
    member = WhatsAppMember(assistant, graph_stub)
    problems_before = len(graph_stub.problems)

    replies = member.say(GRIEVANCE)
    assert "réclamation" in texts(replies) and "Acceptez-vous de continuer" in texts(replies)
    assert kinds(replies)[-1] == "button"
    replies = member.tap(replies, "J'accepte")
    assert "nom et votre prénom" in texts(replies)
    assert "sécurité sociale" in texts(member.say("Marie Martin"))
    assert "e-mail" in texts(member.say(NIR))
    replies = member.say(EMAIL)
    assert kinds(replies)[-1] == "button"
    replies = member.tap(replies, "Contrat individuel")
    assert kinds(replies)[-1] == "list"  # eight natures: a list, not eight buttons
    replies = member.tap(replies, "Remboursement")
    assert "décision" in texts(replies)
    replies = member.tap(replies, "Aucune décision")
    assert "réclamation écrite" in texts(replies)
    replies = member.tap(replies, "Non")
    assert "justice" in texts(replies)
    recap = member.tap(replies, "Non")
    recap_text = texts(recap)
    assert "récapitulatif" in recap_text and "Remboursement" in recap_text and "lunettes" in recap_text
    assert "2 84 ∗∗ ∗∗ ∗∗∗ ∗∗∗ " in recap_text and "m∗∗∗@exemple.fr" in recap_text  # masks not taken for bold
    assert NIR not in recap_text and EMAIL not in recap_text
    assert kinds(recap)[-1] == "button"
    done = member.tap(recap, "Confirmer")

    final = texts(done)
    match = REFERENCE_RE.search(final)
    assert match, member.dump()
    assert any(r["type"] == "text" and match.group(0) in r["text"]["body"] for r in done)
    # CPMS is a broker: the member picks the kind of insurer in a list (labels shortened to 24 characters).
    assert kinds(done)[-1] == "list"
    guidance = member.tap(done, "Mutuelle (Mutualité…)")
    assert "Mutualité Française" in texts(guidance)
    print("\n" + member.dump())
    print(f"slowest webhook answer: {member.slowest_answer * 1000:.0f} ms")

    # Everything the stand-in received for this member was well-formed, interactive where there were choices.
    delivered = graph_stub.delivered(member.number)
    assert len(graph_stub.problems) == problems_before
    assert all(message_problems(m) == [] for m in delivered)
    assert {"button", "list"} <= set(kinds(delivered))
    assert all(m["to"] == member.number and m["messaging_product"] == "whatsapp" for m in delivered)

    # The conversation is recorded under the hashed sender id, as a WhatsApp complaint.
    slots = member.tracker()["slots"]
    assert slots["complaint_reference"] == match.group(0)
    assert slots["complaint_nature"] == "remboursement" and slots["answer_received"] is False
    assert slots["mediator"] == "fnmf"
    row = store.get_complaint(match.group(0))
    assert row is not None and row.nir == NIR and row.email == EMAIL and row.channel == "whatsapp"

    # A delivery Meta retries makes no second turn.
    users = sum(1 for e in member.tracker()["events"] if e.get("event") == "user")
    first_id = f"wamid.E2E-retry-{uuid.uuid4().hex[:8]}"
    assert member.deliver(text_message(member.number, first_id, "merci")).status_code == 200
    assert member.deliver(text_message(member.number, first_id, "merci")).status_code == 200
    member.user_turns += 1
    member._wait_turn()
    time.sleep(1.0)
    assert sum(1 for e in member.tracker()["events"] if e.get("event") == "user") == users + 1

    # The member's number is nowhere on the assistant's side: tracker, databases, logs.
    assert member.number not in json.dumps(member.tracker(), ensure_ascii=False)
    var = assistant.log_dir.parent
    databases = sorted(var.glob("*.db*"))
    assert {"tracker.db", "recours.db"} <= {d.name for d in databases}
    for database in databases:
        assert member.number.encode() not in database.read_bytes(), database.name
    logs = logs_of(assistant)
    assert member.number not in logs and "wamid.E2E" not in logs
    assert APP_SECRET not in logs and VERIFY_TOKEN not in logs
