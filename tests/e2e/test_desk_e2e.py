"""The complaint desk against the real servers (ops.launcher, as ``make run`` starts them): what the member sees
of the organisation's events, and live conversations taken over from the desk on REST, socket.io (the widget's
channel) and WhatsApp, then handed back.

The handler is the session's supervisor (``RECOURS_DESK_ADMIN``); each live-conversation test marks them
available and signs them out at the end, so that the other tests still get the usual answer to « parler à un
conseiller ».
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Iterator

import pytest
import requests

from recours.handling.signed_events import sign
from tests.desk_server import Client
from tests.e2e.channels import SocketClient, wait_whatsapp, whatsapp_bodies, whatsapp_text
from tests.e2e.conftest import BACKOFFICE_EVENTS_SECRET, DESK_ADMIN, logs_of
from tests.e2e.harness import Conversation
from tests.e2e.test_complaint_rest import NIR, start_complaint
from tests.e2e.test_privacy_e2e import record_complaint

pytestmark = pytest.mark.e2e

ASK_A_PERSON = "Je voudrais parler à un conseiller"
QUEUED = "Je transmets votre demande à un conseiller de CPMS"
JOINED = "Un conseiller de CPMS a rejoint la conversation"
LEFT = "vous êtes de nouveau avec l'assistant automatique"
HANDLER_TEXT = "Bonjour, je suis Claire, conseillère CPMS. Je regarde votre dossier."


@pytest.fixture
def desk(assistant) -> Iterator[Client]:
    client = Client(assistant.desk_url)
    assert client.login(*DESK_ADMIN).status_code == 200
    yield client
    client.post("/api/availability", {"available": False})
    client.post("/api/logout")


@pytest.fixture
def available(desk) -> Client:
    assert desk.post("/api/availability", {"available": True}).status_code == 200
    return desk


def waiting_handoff(desk: Client, channel: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = [h for h in desk.get("/api/handoffs").json()["handoffs"]
                   if h["status"] == "waiting" and h["channel"] == channel]
        if waiting:
            return waiting[-1]["id"]
        time.sleep(0.3)
    raise AssertionError(f"no waiting {channel} handoff in the desk's queue")


def conversation_texts(desk: Client, handoff_id: str) -> list[tuple[str, str]]:
    return [(m["author"], m["text"]) for m in desk.get(f"/api/handoffs/{handoff_id}").json()["messages"]]


# -- what the member sees of the organisation's events ----------------------------------------------------------------


def test_the_status_check_shows_the_answer_recorded_at_the_desk(assistant, organisation, desk):
    _, reference = record_complaint(assistant)
    listed = {c["reference"]: c for c in desk.get("/api/complaints").json()["complaints"]}
    assert listed[reference]["received_on"] == "2026-11-21" and listed[reference]["channel"] == "rest"
    assert desk.post(f"/api/complaints/{reference}/events",
                     {"status": "acknowledged", "on": "2026-11-21"}).status_code == 200
    assert desk.post(f"/api/complaints/{reference}/events",
                     {"status": "answered", "on": "2026-11-21", "outcome": "rejected"}).status_code == 200

    later = Conversation(assistant)
    later.say_text("Où en est ma réclamation ?")
    later.say_text(reference)
    answer = later.say_text(NIR[-4:])
    assert "CPMS a accusé réception de votre réclamation le samedi 21 novembre 2026." in answer, later.dump()
    assert "CPMS vous a répondu le samedi 21 novembre 2026 : réclamation rejetée." in answer
    assert "doit vous répondre" not in answer
    assert "Si la réponse de CPMS ne vous satisfait pas, vous pouvez saisir le médiateur dès maintenant" in answer


def test_a_signed_back_office_event_reaches_the_member_too(assistant, organisation):
    _, reference = record_complaint(assistant)
    body = json.dumps({"event_id": f"crm-{uuid.uuid4().hex[:8]}", "sent_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                       time.gmtime()), "reference": reference, "status": "answered", "on": "2026-11-21",
                       "outcome": "upheld"}).encode()
    answer = requests.post(f"{assistant.desk_url}/api/backoffice/events", data=body, timeout=30, headers={
        "Content-Type": "application/json", "X-Recours-Signature": sign(BACKOFFICE_EVENTS_SECRET, body)})
    assert answer.status_code == 200, answer.text
    later = Conversation(assistant)
    later.say_text(f"Où en est ma réclamation {reference} ?")
    assert "vous a répondu le samedi 21 novembre 2026 : réclamation acceptée" in later.say_text(NIR[-4:])


# -- live conversations ---------------------------------------------------------------------------------------------


def test_nobody_available_keeps_the_usual_answer(assistant, organisation, desk):
    assert "01 47 70 30 97" in Conversation(assistant).say_text(ASK_A_PERSON)
    assert [h for h in desk.get("/api/handoffs").json()["handoffs"] if h["channel"] == "rest"] == []


def test_a_rest_conversation_taken_over_in_the_middle_of_the_form(assistant, organisation, available):
    member = Conversation(assistant)
    start_complaint(member)
    assert "nom et votre prénom" in member.say_text("Oui")
    asked = member.say_text(ASK_A_PERSON)
    assert QUEUED in asked and "nom et votre prénom" in asked  # the form waits, not lost
    handoff = waiting_handoff(available, "rest")
    assert available.post(f"/api/handoffs/{handoff}/take").status_code == 200
    assert available.post(f"/api/handoffs/{handoff}/take").status_code == 409

    # REST cannot be pushed to: the member gets the news with the answer to their next message, and the
    # assistant says nothing to it, nor takes it as the name the form asked for.
    replies = [r["text"] for r in member.say(f"Bonjour, je suis Marie Martin, mon numéro est {NIR}")]
    assert len(replies) == 1 and JOINED in replies[0], member.dump()
    slots = member.slots()
    assert slots["live_handoff"] == "active" and slots["member_name"] is None
    seen = conversation_texts(available, handoff)
    assert ("member", "Bonjour, je suis Marie Martin, mon numéro est [NIR]") in seen
    assert NIR not in json.dumps(seen)

    assert available.post(f"/api/handoffs/{handoff}/messages", {"text": HANDLER_TEXT}).status_code == 200
    assert [r["text"] for r in member.say("Merci, j'attends")] == [HANDLER_TEXT]
    assert ("handler", HANDLER_TEXT) in conversation_texts(available, handoff)

    assert available.post(f"/api/handoffs/{handoff}/release").status_code == 200
    assert available.get(f"/api/handoffs/{handoff}").json()["handoff"]["status"] == "closed"
    back = member.say_text("Marie Martin")
    assert LEFT in back and "nom et votre prénom" in back  # told, then the form's question again
    assert "sécurité sociale" in back, member.dump()  # « Marie Martin » answered it: the form goes on
    assert member.slots()["live_handoff"] is None


def test_a_widget_conversation_taken_over_and_handed_back(assistant, organisation, available):
    member = SocketClient(assistant.rasa_url, assistant.web_url).connect()
    try:
        member.send(ASK_A_PERSON)
        member.wait_for(QUEUED)
        handoff = waiting_handoff(available, "socketio")
        assert available.post(f"/api/handoffs/{handoff}/take").status_code == 200
        member.wait_for(JOINED)  # pushed at once on the widget's channel

        count = len(member.received)
        member.send("J'ai une question sur mon contrat obsèques")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and ("member", "J'ai une question sur mon contrat obsèques") not in \
                conversation_texts(available, handoff):
            time.sleep(0.3)
        time.sleep(1.0)
        assert len(member.received) == count  # the assistant stayed silent

        available.post(f"/api/handoffs/{handoff}/messages", {"text": HANDLER_TEXT})
        member.wait_for("Claire, conseillère CPMS", after=count)
        available.post(f"/api/handoffs/{handoff}/release")
        member.wait_for(LEFT, after=count)
        after = len(member.received)
        member.send("Merci beaucoup")
        assert "Je vous en prie" in member.wait_for("Je vous en prie", after=after)  # the assistant is back
    finally:
        member.close()


def test_a_whatsapp_conversation_taken_over_and_handed_back(assistant, organisation, graph_stub, available):
    number = "336" + str(uuid.uuid4().int)[:8]
    whatsapp_text(graph_stub, assistant.rasa_url, number, ASK_A_PERSON)
    wait_whatsapp(graph_stub, number, QUEUED)
    handoff = waiting_handoff(available, "whatsapp")
    assert available.post(f"/api/handoffs/{handoff}/take").status_code == 200
    wait_whatsapp(graph_stub, number, JOINED)
    available.post(f"/api/handoffs/{handoff}/messages", {"text": HANDLER_TEXT})
    wait_whatsapp(graph_stub, number, "Claire, conseillère CPMS")
    available.post(f"/api/handoffs/{handoff}/release")
    wait_whatsapp(graph_stub, number, LEFT)
    assert not any(number in line for line in logs_of(assistant).splitlines())
    assert len(whatsapp_bodies(graph_stub, number)) >= 4


def test_no_identifier_in_the_desk_log(assistant):
    log = (assistant.log_dir / "desk.log").read_text(errors="replace")
    assert NIR not in log and "marie.martin@exemple.fr" not in log and "Marie Martin" not in log
