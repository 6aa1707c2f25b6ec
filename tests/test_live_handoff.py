"""Live handoff without the servers: the action that queues a conversation, the policy that keeps the assistant
silent, what the relay writes in the conversation, and how the handler's messages find the member's channel
(actions/handoff.py, addons/handoff_policy.py, addons/handoff_relay.py, addons/live_handoff.py)."""

from __future__ import annotations

import dataclasses

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.handoff import LiveHandoff
from addons import live_handoff, turns
from addons.handoff_policy import LiveHandoffPolicy
from addons.handoff_relay import parse_relay, relay_events, token_matches
from addons.live_handoff import PAUSED_LOOP_SLOT, PendingOutput, Routes, after_turn, output_for
from desk.views import handoff_ended_fr
from recours import handoff
from recours.handling import accounts
from recours.store import Handoff
from tests.action_settings import action_settings

ROOT = Path(__file__).resolve().parents[1]


# -- what the relay writes --------------------------------------------------------------------------------------------


def test_joining_pauses_the_form_and_leaving_resumes_it():
    joined = relay_events("joined", "Un conseiller a rejoint", "complaint_form", None)
    assert isinstance(joined[0], BotUttered) and joined[0].metadata == {"recours_handoff": "joined"}
    assert joined[1:] == [SlotSet("live_handoff", "active"), SlotSet(PAUSED_LOOP_SLOT, "complaint_form"),
                          ActiveLoop(None), SlotSet("requested_slot", None)]
    assert relay_events("joined", "x", None, None)[1:] == [SlotSet("live_handoff", "active")]
    message = relay_events("message", "Bonjour, je regarde votre dossier.", None, None)
    assert len(message) == 1 and message[0].metadata == {"recours_handoff": "handler"}
    left = relay_events("left", "Le conseiller a quitté", None, "complaint_form")
    assert left[1:] == [SlotSet("live_handoff", None), SlotSet(PAUSED_LOOP_SLOT, None), ActiveLoop("complaint_form")]


def test_a_handed_back_conversation_says_what_happened_at_paris_time():
    closed = Handoff(public_id="h1", channel="socketio", status="closed", complaint_reference=None,
                     requested_at=datetime(2026, 12, 1, 16, 50, tzinfo=timezone.utc), taken_at=None, taken_by="claire",
                     closed_at=datetime(2026, 12, 1, 17, 2, tzinfo=timezone.utc), conversation_key="k")
    assert handoff_ended_fr(closed, mine=True) == (
        "Vous avez rendu la main à l'assistant à 18 h 02 ; la conversation continue avec lui.")
    assert handoff_ended_fr(closed, mine=False).startswith("La conversation a été rendue à l'assistant à 18 h 02")
    expired = dataclasses.replace(closed, status="expired", taken_by=None)
    assert "a quitté la file à 18 h 02" in handoff_ended_fr(expired, mine=False)
    assert handoff_ended_fr(dataclasses.replace(closed, status="active", closed_at=None), mine=True) is None


@pytest.mark.parametrize(
    "body, valid",
    [
        (b'{"sender_id": "s", "kind": "message", "text": " Bonjour "}', True),
        (b'{"sender_id": "s", "kind": "shout", "text": "x"}', False),
        (b'{"sender_id": "", "kind": "message", "text": "x"}', False),
        (b'{"sender_id": "s", "kind": "message", "text": "   "}', False),
        (b'{"sender_id": "s", "kind": "message", "text": "' + b"x" * 4001 + b'"}', False),
        (b"not json", False),
        (b"[]", False),
    ],
)
def test_relay_bodies(body, valid):
    parsed = parse_relay(body)
    assert (parsed is not None) == valid
    if valid:
        assert parsed == {"sender_id": "s", "kind": "message", "text": "Bonjour"}


def test_the_relay_needs_the_http_api_token():
    assert token_matches("t0ken", "Bearer t0ken")
    assert not token_matches("t0ken", "Bearer t0ke") and not token_matches("t0ken", "t0ken")
    assert not token_matches(None, "Bearer ") and not token_matches("t0ken", None)


# -- reaching the member ----------------------------------------------------------------------------------------------


class Recording(OutputChannel):
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent.append((recipient_id, text))


def test_routes_keep_an_output_for_a_day_and_rest_messages_until_the_next_turn():
    routes = Routes(ttl=60)
    whatsapp = Recording()
    routes.remember("member", whatsapp)
    assert routes.output_for("member") is whatsapp
    routes.forget("member")
    assert routes.output_for("member") is None
    expired = Routes(ttl=-1)
    expired.remember("member", whatsapp)
    assert expired.output_for("member") is None
    routes.queue("rest-member", {"text": "un"})
    routes.queue("rest-member", {"text": "deux"})
    assert [m["text"] for m in routes.take_pending("rest-member")] == ["un", "deux"]
    assert routes.take_pending("rest-member") == []


class SocketInput:
    """Stands for the socket.io input channel, whose own output reaches a conversation's room."""

    def __init__(self, output: OutputChannel) -> None:
        self.output = output

    @staticmethod
    def name() -> str:
        return "socketio"

    def get_output_channel(self) -> OutputChannel:
        return self.output


@pytest.mark.anyio
async def test_where_a_handler_message_goes():
    socket_output = Recording()
    assert output_for("widget-1", "socketio", [SocketInput(socket_output)]) is socket_output
    rest = output_for("rest-1", "rest", [SocketInput(socket_output)])
    assert isinstance(rest, PendingOutput)
    await rest.send_text_message("rest-1", "Bonjour, ici Claire.")
    remembered = Recording()
    live_handoff.ROUTES.remember("whatsapp-1", remembered)
    try:
        assert output_for("whatsapp-1", "whatsapp", []) is remembered
    finally:
        live_handoff.ROUTES.forget("whatsapp-1")

    # the REST member's next message gets it first
    collector = CollectingOutputChannel()
    turn = turns.Turn()
    await after_turn(UserMessage("merci", collector, "rest-1"), turn)
    assert [m["text"] for m in collector.messages] == ["Bonjour, ici Claire."] and turn.replies == 1


@pytest.mark.anyio
async def test_a_turn_in_handoff_keeps_its_output_and_stays_silent():
    whatsapp = Recording()

    async def silenced(message: UserMessage) -> None:
        turns.current_turn().live_handoff = "active"  # what the policy notes; nothing is answered

    message = UserMessage("Bonjour ?", whatsapp, "whatsapp-2", input_channel="whatsapp")
    try:
        turn = await turns.run_turn(silenced, message)
        assert turn.live_handoff == "active" and whatsapp.sent == []  # no « Je n'ai pas de réponse… »
        assert live_handoff.ROUTES.output_for("whatsapp-2") is whatsapp
    finally:
        live_handoff.ROUTES.forget("whatsapp-2")


# -- the policy -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain"))


def _policy(tmp_path: Path) -> LiveHandoffPolicy:
    storage = LocalModelStorage(tmp_path)
    return LiveHandoffPolicy.create(LiveHandoffPolicy.get_default_config(), storage, Resource("handoff"),
                                    ExecutionContext(GraphSchema({}), "test"))


def _tracker(domain: Domain, state: str | None) -> DialogueStateTracker:
    events = [ActionExecuted(ACTION_LISTEN_NAME), SlotSet("live_handoff", state), ActionExecuted("action_x"),
              ActionExecuted(ACTION_LISTEN_NAME), UserUttered("bonjour, vous êtes là ?", {"name": "greet"})]
    return DialogueStateTracker.from_events("member", events, slots=domain.slots)


def test_while_a_person_answers_the_assistant_only_listens(domain, tmp_path):
    policy = _policy(tmp_path)
    listen = domain.index_for_action(ACTION_LISTEN_NAME)
    active = policy.predict_action_probabilities(_tracker(domain, "active"), domain)
    assert active.probabilities[listen] == 1.0 and active.policy_priority > 6  # above RulePolicy
    for state in (None, "waiting"):
        assert max(policy.predict_action_probabilities(_tracker(domain, state), domain).probabilities) == 0.0


def test_the_policy_tells_the_turn_its_conversation_is_in_handoff(domain, tmp_path):
    policy = _policy(tmp_path)
    turn = turns.Turn()
    token = turns._current.set(turn)  # noqa: SLF001 - what run_turn does around Rasa's processing
    try:
        policy.predict_action_probabilities(_tracker(domain, "waiting"), domain)
    finally:
        turns._current.reset(token)  # noqa: SLF001
    assert turn.live_handoff == "waiting"


# -- the action -------------------------------------------------------------------------------------------------------


@pytest.fixture
def environment(tmp_path, monkeypatch):
    yield from action_settings(tmp_path, monkeypatch)


def _member(sender: str = "widget-7") -> Tracker:
    return Tracker.from_dict({
        "sender_id": sender, "slots": {"complaint_reference": None, "live_handoff": None},
        "latest_message": {"text": "je veux parler à un conseiller", "intent": {"name": "request_human"}},
        "events": [{"event": "user", "text": "je veux parler à un conseiller", "input_channel": "socketio"}],
        "active_loop": {},
    })


async def _run(tracker: Tracker) -> tuple[list, list[str]]:
    dispatcher = CollectingDispatcher()
    events = await LiveHandoff().run(dispatcher, tracker, {})
    return events, [m.get("text") or "" for m in dispatcher.messages]


@pytest.mark.anyio
async def test_nobody_available_gives_the_usual_way_to_reach_a_person(environment):
    events, texts = await _run(_member())
    # actions/human_contact.py's answer: the phone, and the call-back offered for this reason
    assert "01 47 70 30 97" in texts[0] and "demander à être rappelé" in texts[0]
    assert events == [{"event": "slot", "timestamp": None, "name": "callback_reason", "value": "asked"}]
    assert services.store().handoffs() == []


@pytest.mark.anyio
async def test_an_available_handler_gets_the_conversation_in_the_queue(environment):
    store = services.store()
    accounts.save_account(store, "claire", "correct horse battery", "handler")
    token = accounts.sign_in(store, services.cipher(), "claire", "correct horse battery").token
    session = accounts.current_session(store, token, timedelta(minutes=30))
    store.set_desk_availability(session.id, True)

    events, texts = await _run(_member())
    assert events == [{"event": "slot", "timestamp": None, "name": "live_handoff", "value": "waiting"}]
    assert "un conseiller de CPMS : il va vous répondre ici" in texts[0]
    queued = store.handoffs()
    assert len(queued) == 1 and queued[0].channel == "socketio" and queued[0].status == "waiting"
    assert store.handoff(queued[0].public_id, with_sender=True).sender == "widget-7"
    _, again = await _run(_member())
    assert "déjà transmise" in again[0] and len(store.handoffs()) == 1

    # once the handler is idle past the limit, nobody is available any more
    later = datetime.now(timezone.utc) + timedelta(minutes=31)
    assert not handoff.handler_available(store, later)
