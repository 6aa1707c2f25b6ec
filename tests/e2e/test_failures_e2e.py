"""Failures the member must not feel as silence, against the real servers (the session's assistant, SQLite).

The action server is stopped mid-conversation: REST, socket.io and WhatsApp members each get the French failure
message with the organisation's phone, the health endpoint turns red, and once the action server is back the
same conversations go on. Malformed REST requests get a 400, never a 500 nor a turn.
"""

from __future__ import annotations

import json
import os
import signal
import time
import uuid

import pytest
import requests

from ops.launcher import Assistant
from tests.e2e.channels import SocketClient, wait_whatsapp, whatsapp_text
from tests.e2e.conftest import ACTION_TIMEOUT_SECONDS, logs_of
from tests.e2e.harness import Conversation
from tests.graph_stub import GraphStub

pytestmark = pytest.mark.e2e

FAILURE = "n'a pas pu être traitée"
CPMS_PHONE = "01 47 70 30 97"
GRIEVANCE = (
    "Bonjour, ma mutuelle refuse de me rembourser mes lunettes alors que mon contrat les couvre, "
    "personne ne me répond, c'est inadmissible."
)


def _post(assistant: Assistant, body: bytes, content_type: str = "application/json") -> requests.Response:
    return requests.post(f"{assistant.rasa_url}/webhooks/rest/webhook", data=body,
                         headers={"Content-Type": content_type}, timeout=60)


@pytest.mark.parametrize(
    "body, error",
    [
        (b"pas du json", "invalid_json"),
        (b"\xff\xfe\x00{", "invalid_json"),
        (b"[]", "invalid_body"),
        (b'"texte"', "invalid_body"),
        (b'{"message": "Bonjour"}', "invalid_sender"),
        (b'{"sender": "", "message": "Bonjour"}', "invalid_sender"),
        (b'{"sender": 12, "message": "Bonjour"}', "invalid_sender"),
        (json.dumps({"sender": "x" * 200, "message": "Bonjour"}).encode(), "invalid_sender"),
        (b'{"sender": "a", "message": {"text": "Bonjour"}}', "invalid_message"),
        (b'{"sender": "a"}', "invalid_message"),
    ],
)
def test_malformed_rest_requests_get_a_400(assistant, body, error):
    answer = _post(assistant, body)
    assert answer.status_code == 400 and answer.json()["error"] == error


def test_health_components_are_green_and_hold_no_secret(assistant):
    rasa = requests.get(f"{assistant.rasa_url}/health/components", timeout=60)
    actions = requests.get(f"{assistant.action_url}/health/components", timeout=60)
    assert rasa.status_code == 200, rasa.text
    assert actions.status_code == 200, actions.text
    body = rasa.json()
    assert set(body["components"]) == {"tracker_store", "lock_store", "action_server"}
    assert set(body["components"]["action_server"]["components"]) == {
        "complaint_store", "tracker_store", "redis", "backoffice"
    }
    assert body["components"]["action_server"]["components"]["backoffice"]["mode"] == "local"
    text = rasa.text + actions.text
    for secret in (assistant.token, assistant.env["RECOURS_ENCRYPTION_KEY"], str(assistant.env["RECOURS_VAR_DIR"]),
                   "sqlite:///", "127.0.0.1"):
        assert secret not in text


def test_action_server_down_is_told_on_every_channel_and_the_conversation_resumes(
    assistant: Assistant, graph_stub: GraphStub
):
    rest = Conversation(assistant)
    assert "Acceptez-vous de continuer" in rest.say_text(GRIEVANCE)
    socket = SocketClient(assistant.rasa_url, assistant.web_url).connect()
    number = "336" + str(uuid.uuid4().int)[:8]
    assistant.kill("actions")
    try:
        # REST, mid-conversation: accepting the privacy notice runs the form, which needs the action server.
        failed = rest.say_text("Oui")
        assert FAILURE in failed and CPMS_PHONE in failed, rest.dump()
        # socket.io and WhatsApp, new conversations: the session start needs it too.
        socket.send("Bonjour")
        assert CPMS_PHONE in socket.wait_for(FAILURE)
        assert whatsapp_text(graph_stub, assistant.rasa_url, number, "Bonjour").status_code == 200
        assert any(CPMS_PHONE in body for body in wait_whatsapp(graph_stub, number, FAILURE))
        health = requests.get(f"{assistant.rasa_url}/health/components", timeout=60)
        assert health.status_code == 503 and health.json()["failing"] == ["action_server"]
        assert health.json()["components"]["action_server"]["last_failure"].endswith("RasaException")
    finally:
        assistant.start_process("actions")
    try:
        # The same conversations go on once the action server is back.
        assert "nom et votre prénom" in rest.say_text("Oui"), rest.dump()
        after = len(socket.received)
        socket.send("Ma mutuelle refuse de rembourser mes lunettes, personne ne me répond")
        socket.wait_for("Acceptez-vous de continuer", after=after, timeout=90)
        assert requests.get(f"{assistant.rasa_url}/health/components", timeout=60).status_code == 200
    finally:
        socket.close()
    logs = logs_of(assistant)
    assert "Turn failure: action_server" in logs


def test_a_hung_action_server_is_given_up_after_the_timeout_and_the_conversation_resumes(assistant: Assistant):
    """SIGSTOP: the action server's socket still accepts connections but nothing answers (a deadlock, a stuck
    database call). The member gets the failure message after RECOURS_ACTION_TIMEOUT_SECONDS, not 5 minutes."""
    rest = Conversation(assistant)
    assert "Acceptez-vous de continuer" in rest.say_text(GRIEVANCE)
    actions = assistant.processes["actions"]
    os.killpg(actions.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        failed = rest.say_text("Oui")
        waited = time.monotonic() - started
    finally:
        os.killpg(actions.pid, signal.SIGCONT)
    assert FAILURE in failed and CPMS_PHONE in failed, rest.dump()
    assert ACTION_TIMEOUT_SECONDS - 1 < waited < ACTION_TIMEOUT_SECONDS + 20, waited
    assert "nom et votre prénom" in rest.say_text("Oui"), rest.dump()
    assert "Turn failure: action_server (validate_complaint_form: TimeoutError)" in logs_of(assistant)


def test_an_oversized_message_gets_a_french_answer(assistant):
    conversation = Conversation(assistant)
    assert "trop long" in conversation.say_text("a" * 100_000)
