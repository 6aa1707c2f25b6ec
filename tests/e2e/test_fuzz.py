"""1,000 hostile inputs across REST, socket.io and WhatsApp, against the real servers (seeded: reproducible).

Checked for every input: no 5xx, an answer in bounded time; a French reply where one is due (a text that reaches a
turn, or the "too long" answer); no contract slot set by an injected payload (``/inform{"complaint_reference":…}``,
``/set_slot{…}``…); then the servers are still up and healthy, a genuine conversation still works, the Graph API
stand-in never received a message outside WhatsApp's limits, and neither the databases' files nor the logs hold
the synthetic NIR or e-mail address planted in many inputs.

An injected ``/restart`` or ``/session_start`` does reset the conversation: that is what the widget's own "restart"
does, a member may always start over, and nothing recorded is lost (complaints are in the complaint store, not in
the conversation). An injected payload never sets a slot: contract slots have custom mappings, set only by actions.

Figures are printed and written to test-output/reliability/fuzz.json. Budget: under 3 minutes on 2 cores.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from addons.whatsapp import sender_id_for
from ops.launcher import ROOT, Assistant
from recours.crypto import FieldCipher
from tests.e2e.channels import SocketClient, whatsapp_bodies, whatsapp_post
from tests.e2e.conftest import logs_of
from tests.e2e.harness import Conversation
from tests.fuzz_inputs import (
    INJECTED_VALUES,
    PLANTED_EMAIL,
    PLANTED_NIR,
    SEED,
    Text,
    invalid_rest_bodies,
    texts,
)
from tests.graph_stub import (
    VERIFY_TOKEN,
    GraphStub,
    media_message,
    status_callback,
    text_message,
    webhook_payload,
)
from tests.nirs import grouped

pytestmark = pytest.mark.e2e

REST_TEXTS, REST_INVALID = 330, 120
SOCKET_TEXTS, SOCKET_MALFORMED = 150, 60
WHATSAPP_TEXTS, WHATSAPP_MALFORMED = 250, 90
BUDGET_SECONDS = 180
TIMEOUT = 60

# Slots no message can set: only actions do (qualification, recording, guidance).
ACTION_ONLY_SLOTS = ("request_kind", "concerned_body", "complaint_reference", "complaint_outcome", "mediator",
                     "mediator_from", "mediator_until")
READ_FROM_TEXT = ("first_complaint_date", "status_reference")
FRENCH = re.compile(r"\b(vous|votre|vos|je|pas|de|la|le|les|des|une|un|ce|que|oui|non|réclamation)\b", re.IGNORECASE)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.replies_due = 0
        self.replies_ok = 0
        self.problems: list[str] = []
        self.slowest = 0.0

    def record(self, channel: str, status: int | str, elapsed: float = 0.0) -> None:
        with self.lock:
            self.sent[channel] += 1
            self.statuses[f"{channel} {status}"] += 1
            self.slowest = max(self.slowest, elapsed)
            if isinstance(status, int) and status >= 500:
                self.problems.append(f"{channel}: HTTP {status}")

    def reply(self, ok: bool, what: str) -> None:
        with self.lock:
            self.replies_due += 1
            self.replies_ok += ok
            if not ok:
                self.problems.append(what)

    def problem(self, what: str) -> None:
        with self.lock:
            self.problems.append(what)


def french(text: str) -> bool:
    return bool(FRENCH.search(text or ""))


def check_slots(tally: Tally, where: str, slots: dict[str, Any]) -> None:
    """No injected value in a slot only actions set; no slot equal to an injected value (entity injection).

    A form's free-text question takes the member's whole message as the answer, payload-looking or not, exactly as
    if it had been typed: a date question finds "2020-01-01" in ``/inform{"mediator_from":"2020-01-01"}``. That is
    the form reading its answer, not a slot set by naming it. Likewise the status check reads a reference anywhere
    in the text ("Où en est REC-2026-…") into ``status_reference`` (it still asks for a proof of ownership). These
    slots are exempt from equality.
    """
    if slots.get("complaint_reference") is not None:
        tally.problem(f"{where}: complaint_reference set to {slots['complaint_reference']!r}")
    for name in ACTION_ONLY_SLOTS:
        dumped = json.dumps(slots.get(name), ensure_ascii=False)
        if any(value in dumped for value in INJECTED_VALUES):
            tally.problem(f"{where}: {name} holds an injected value ({slots.get(name)!r})")
    for name, value in slots.items():
        if name not in READ_FROM_TEXT and value in INJECTED_VALUES:
            tally.problem(f"{where}: slot {name} equals an injected value ({value!r})")


def tracker(assistant: Assistant, sender: str) -> dict[str, Any]:
    answer = requests.get(f"{assistant.rasa_url}/conversations/{sender}/tracker",
                          params={"token": assistant.token}, timeout=TIMEOUT)
    answer.raise_for_status()
    return answer.json()


# -- REST -----------------------------------------------------------------------------------------------------------


def rest_fuzz(assistant: Assistant, rng: random.Random, tally: Tally) -> None:
    url = f"{assistant.rasa_url}/webhooks/rest/webhook"
    for body, content_type in invalid_rest_bodies(rng, REST_INVALID):
        started = time.monotonic()
        answer = requests.post(url, data=body, headers={"Content-Type": content_type} if content_type else {},
                               timeout=TIMEOUT)
        tally.record("rest", answer.status_code, time.monotonic() - started)
        if answer.status_code != 400:
            tally.problem(f"rest: invalid body answered {answer.status_code}")

    items = texts(rng, REST_TEXTS)
    conversations: list[list[Text]] = []
    while items:
        size = rng.randint(1, 5)
        conversations.append(items[:size])
        items = items[size:]

    def run(batch: list[Text]) -> None:
        sender = f"fuzz-{uuid.uuid4().hex[:10]}"  # an unknown sender each time
        for item in batch:
            started = time.monotonic()
            answer = requests.post(url, json={"sender": sender, "message": item.text}, timeout=TIMEOUT)
            tally.record("rest", answer.status_code, time.monotonic() - started)
            if answer.status_code != 200:
                tally.problem(f"rest: {item.kind} text answered {answer.status_code}")
                continue
            replies = [r.get("text") or "" for r in answer.json()]
            tally.reply(bool(replies) and all(french(t) for t in replies if t) and any(replies),
                        f"rest: no French reply to a {item.kind} text ({item.text[:40]!r} -> {replies[:1]})")
        check_slots(tally, f"rest {sender}", tracker(assistant, sender)["slots"])

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(run, conversations))


# -- socket.io ------------------------------------------------------------------------------------------------------


def socket_fuzz(assistant: Assistant, rng: random.Random, tally: Tally) -> None:
    items = texts(rng, SOCKET_TEXTS)
    clients = 3
    batches = [items[i::clients] for i in range(clients)]

    def run(batch: list[Text]) -> None:
        client = SocketClient(assistant.rasa_url, assistant.web_url).connect()
        try:
            for item in batch:
                before = len(client.received)
                client.send(item.text)
                tally.record("socketio", "emitted")
                deadline = time.monotonic() + TIMEOUT
                while len(client.received) == before and time.monotonic() < deadline:
                    time.sleep(0.05)
                with client.lock:
                    got = [str(m.get("text") or "").replace("\\", "") for m in client.received[before:]]
                tally.reply(bool(got) and any(french(t) for t in got),
                            f"socketio: no French reply to a {item.kind} text ({item.text[:40]!r})")
                time.sleep(0.3)  # let the turn's last messages arrive before the next one
            check_slots(tally, f"socketio {client.session_id}", tracker(assistant, client.session_id)["slots"])
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(run, batches))

    # Malformed events and raw engine.io traffic: no reply due, nothing may break.
    client = SocketClient(assistant.rasa_url, assistant.web_url).connect()
    malformed: list[tuple[str, Any]] = [
        ("user_uttered", None), ("user_uttered", "Bonjour"), ("user_uttered", ["Bonjour"]), ("user_uttered", 42),
        ("user_uttered", {}), ("user_uttered", {"message": "Bonjour"}),
        ("user_uttered", {"message": {"text": "x"}, "session_id": client.session_id}),
        ("user_uttered", {"message": ["x"], "session_id": client.session_id}),
        ("user_uttered", {"message": "Bonjour", "session_id": "s" * 100_000}),
        ("user_uttered", {"message": "Bonjour", "session_id": 12}),
        ("user_uttered", {"message": "Bonjour", "session_id": client.session_id, "customData": "{not json"}),
        ("user_uttered", {"message": "Bonjour", "session_id": client.session_id, "customData": ["x"] * 5000}),
        ("session_request", "garbage"), ("session_request", ["x"]), ("session_request", {"session_id": "x" * 5000}),
        ("session_request", {"session_id": {"$ne": None}}), ("unknown_event", {"a": 1}), ("bot_uttered", {"text": "x"}),
    ]
    for index in range(SOCKET_MALFORMED - 12):
        event, data = malformed[index % len(malformed)]
        client.emit(data, event=event)
        tally.record("socketio", "malformed")
        time.sleep(0.05)  # engine.io refuses a polling payload of more than 16 packets: do not burst
    time.sleep(1.0)
    before = len(client.received)
    client.send("Bonjour")
    try:
        client.wait_for("", after=before, timeout=TIMEOUT)
    except AssertionError:
        tally.problem("socketio: the client got no answer after malformed events")
    client.close()
    base = f"{assistant.rasa_url}/socket.io/"
    raw = [
        ("post", {"EIO": "4", "transport": "polling", "sid": "bogus"}, b"42[\"user_uttered\"]"),
        ("post", {"EIO": "4", "transport": "polling"}, b"\xff\xfe garbage"),
        ("get", {"EIO": "3", "transport": "polling"}, b""),
        ("get", {"EIO": "4", "transport": "websocket"}, b""),
        ("get", {"EIO": "4", "transport": "carrier-pigeon"}, b""),
        ("get", {}, b""),
    ] * 2
    for method, params, body in raw:
        answer = requests.request(method, base, params=params, data=body, timeout=TIMEOUT,
                                  headers={"Origin": assistant.web_url})
        tally.record("socketio", answer.status_code)


# -- WhatsApp -------------------------------------------------------------------------------------------------------


def whatsapp_fuzz(assistant: Assistant, stub: GraphStub, rng: random.Random, tally: Tally) -> list[str]:
    webhook = f"{assistant.rasa_url}/webhooks/whatsapp/webhook"
    problems_before = len(stub.problems)
    numbers: dict[str, int] = {}
    for item in texts(rng, WHATSAPP_TEXTS):
        number = rng.choice(list(numbers)) if numbers and rng.random() < 0.5 else "33" + str(rng.randrange(10**9, 10**10))
        started = time.monotonic()
        answer = whatsapp_post(assistant.rasa_url, text_message(number, f"wamid.FZ{uuid.uuid4().hex}", item.text))
        tally.record("whatsapp", answer.status_code, time.monotonic() - started)
        if answer.status_code != 200:
            tally.problem(f"whatsapp: text answered {answer.status_code}")
        if item.text.strip() and time.monotonic() - started > 2.0:
            tally.problem("whatsapp: the webhook took more than 2 s (Meta would retry)")
        if item.text.strip():  # Meta never relays an empty text
            numbers[number] = numbers.get(number, 0) + 1

    good = json.dumps(text_message("33600000000", "wamid.FZgood", "Bonjour")).encode()
    malformed: list[tuple[bytes, bool, str]] = [
        (good, False, "application/json"),  # unsigned
        (b"not json", True, "application/json"),
        (b"\xff\xfe\xfd", True, "application/json"),
        (b"[]", True, "application/json"),
        (b"null", True, "application/json"),
        (json.dumps({"object": "page", "entry": []}).encode(), True, "application/json"),
        (json.dumps(webhook_payload({"messages": [{"type": "text"}]})).encode(), True, "application/json"),
        (json.dumps(webhook_payload({"messages": [{"from": 336, "id": 1, "type": "text", "text": None}]})).encode(),
         True, "application/json"),
        (json.dumps(webhook_payload({"messages": "x"})).encode(), True, "application/json"),
        (json.dumps(webhook_payload({"statuses": [{"status": "failed", "errors": "x"}]})).encode(), True,
         "application/json"),
        (json.dumps(status_callback("33600000000", "wamid.X", "failed")).encode(), True, "application/json"),
        (json.dumps(text_message("33600000001", "wamid.FZbig", "x" * 1_000_000)).encode(), True, "application/json"),
        (good, True, "text/plain"),
        (good, True, "application/x-www-form-urlencoded"),
    ]
    for index in range(WHATSAPP_MALFORMED - 10):
        body, signed, content_type = malformed[index % len(malformed)]
        answer = whatsapp_post(assistant.rasa_url, None, raw=body, signed=signed, content_type=content_type)
        tally.record("whatsapp", answer.status_code)
    for kind in ("image", "sticker", "location", "contacts", "audio"):  # unsupported types: a French answer is due
        number = "33" + str(rng.randrange(10**9, 10**10))
        answer = whatsapp_post(assistant.rasa_url, media_message(number, f"wamid.FZ{uuid.uuid4().hex}", kind))
        tally.record("whatsapp", answer.status_code)
        numbers[number] = numbers.get(number, 0) + 1
    for query in ("?hub.mode=subscribe&hub.challenge=1&hub.verify_token=" + "x" * 10_000,
                  f"?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=" + "%3Cscript%3E" * 100,
                  "?hub.mode=%00&hub.verify_token=%ED%A0%80%FF", "", "?hub.challenge=x"):
        answer = requests.get(webhook + query, timeout=TIMEOUT)
        tally.record("whatsapp", answer.status_code)

    # Every member who wrote something gets at least one French answer per message (turns run one after another).
    deadline = time.monotonic() + 120
    for number, expected in numbers.items():
        while len(stub.delivered(number)) < expected and time.monotonic() < deadline:
            time.sleep(0.2)
        bodies = whatsapp_bodies(stub, number)
        not_french = [b[:60] for b in bodies if not french(b)]
        tally.reply(len(stub.delivered(number)) >= expected and not not_french,
                    f"whatsapp: {len(stub.delivered(number))} answers for {expected} messages, not French: {not_french}")
    if len(stub.problems) != problems_before:
        tally.problem(f"whatsapp: messages outside the Cloud API's limits: {stub.problems[problems_before:][:3]}")
    return list(numbers)


# -- the test -------------------------------------------------------------------------------------------------------


def test_a_thousand_hostile_inputs(assistant: Assistant, graph_stub: GraphStub):
    rng = random.Random(SEED)
    tally = Tally()
    started = time.monotonic()
    rest_fuzz(assistant, rng, tally)
    rest_done = time.monotonic()
    socket_fuzz(assistant, rng, tally)
    socket_done = time.monotonic()
    numbers = whatsapp_fuzz(assistant, graph_stub, rng, tally)
    elapsed = time.monotonic() - started

    cipher = FieldCipher(assistant.env["RECOURS_ENCRYPTION_KEY"])
    for number in numbers[:40]:
        check_slots(tally, "whatsapp", tracker(assistant, sender_id_for(cipher, number))["slots"])

    # Still up, healthy and useful.
    for name, process in assistant.processes.items():
        assert process.poll() is None, f"{name} died during the fuzz"
    assert requests.get(f"{assistant.rasa_url}/health/components", timeout=TIMEOUT).status_code == 200
    conversation = Conversation(assistant)
    assert "Acceptez-vous de continuer" in conversation.say_text(
        "Ma mutuelle refuse de rembourser mes lunettes alors que mon contrat les couvre, personne ne me répond."
    )

    # Nothing stored (or logged) in clear.
    var = assistant.env["RECOURS_VAR_DIR"]
    stored = b"".join(p.read_bytes() for p in Path(var).glob("*.db*"))
    logs = logs_of(assistant)
    for secret in (PLANTED_NIR, grouped(PLANTED_NIR), grouped(PLANTED_NIR, "."), PLANTED_EMAIL):
        assert secret.encode() not in stored, f"{secret!r} stored in clear"
        assert secret not in logs, f"{secret!r} in the logs"

    total = sum(tally.sent.values())
    figures = {
        "seed": SEED,
        "inputs": total,
        "by_channel": dict(tally.sent),
        "answers": dict(sorted(tally.statuses.items())),
        "replies_due": tally.replies_due,
        "french_replies": tally.replies_ok,
        "problems": tally.problems[:30],
        "elapsed_seconds": round(elapsed, 1),
        "rest_seconds": round(rest_done - started, 1),
        "socketio_seconds": round(socket_done - rest_done, 1),
        "whatsapp_seconds": round(time.monotonic() - socket_done, 1),
        "slowest_http_answer_seconds": round(tally.slowest, 2),
    }
    out = ROOT / "test-output" / "reliability"
    out.mkdir(parents=True, exist_ok=True)
    (out / "fuzz.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print("\nfuzz:", json.dumps(figures, ensure_ascii=False))
    assert total >= 1000
    assert not tally.problems, "\n".join(tally.problems[:30])
    assert elapsed < BUDGET_SECONDS
