"""addons/understanding.py: the message read in context inside the Rasa server, on a real Rasa tracker (the pin of
``MessageProcessor.parse_message``, which it wraps, is in tests/test_patches.py)."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons import patches, understanding


def _tracker(*events) -> DialogueStateTracker:
    from rasa.shared.core.domain import Domain

    domain = Domain.load("domain")
    return DialogueStateTracker.from_events("t", list(events), slots=domain.slots)


def _parse(text: str, intent: str, confidence: float = 0.99) -> dict:
    return {"text": text, "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}], "entities": []}


def test_a_name_at_the_name_question_is_an_answer():
    tracker = _tracker(
        ActionExecuted("action_listen"), UserUttered("mutuelle", {"name": "complain"}),
        ActionExecuted("complaint_form"), ActiveLoop("complaint_form"), SlotSet("requested_slot", "member_name"),
        BotUttered("Quels sont votre nom et votre prénom ?"), ActionExecuted("action_listen"),
    )
    parsed = understanding.reread(_parse("Jeanne Petit", "request_goodwill"), tracker)
    assert parsed["intent"]["name"] == "inform"
    assert parsed["recours_reading"]["classifier_intent"] == "request_goodwill"


def test_no_tracker_no_change():
    parsed = _parse("Jeanne Petit", "request_goodwill")
    assert understanding.reread(parsed, None) is parsed


def test_after_the_stop_question():
    tracker = _tracker(
        ActionExecuted("action_listen"), UserUttered("stop", {"name": "stop"}),
        ActionExecuted("action_deactivate_loop"), ActiveLoop(None), ActionExecuted("utter_ask_confirm_stop"),
        BotUttered("Voulez-vous vraiment abandonner ?"), ActionExecuted("action_listen"),
    )
    assert understanding.context_of(tracker).last_action == "utter_ask_confirm_stop"
    assert understanding.reread(_parse("non je continue", "continue_form"), tracker)["intent"]["name"] == "deny"


def test_a_failing_reading_keeps_the_classifier(monkeypatch):
    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(understanding, "read_turn", broken)
    tracker = _tracker(ActionExecuted("action_listen"))
    parsed = _parse("bonjour", "greet")
    assert understanding.reread(parsed, tracker) is parsed


class _Interpreter:
    """Stands for Rasa's NLU: what it returns goes through Rasa's own ``parse_message`` body."""

    def __init__(self, parse_data: dict) -> None:
        self.parse_data = parse_data

    async def parse(self, message) -> dict:
        return dict(self.parse_data)


@pytest.mark.anyio
async def test_rasa_s_parse_message_rereads_the_message_once_installed():
    from rasa.core.channels.channel import UserMessage
    from rasa.core.processor import MessageProcessor

    patches.install()
    patches.install()  # idempotent
    processor = MessageProcessor.__new__(MessageProcessor)  # upstream's parse_message, with no model behind it
    processor.http_interpreter = _Interpreter(_parse("Jeanne Petit", "request_goodwill"))
    processor.domain = None
    tracker = _tracker(
        ActionExecuted("action_listen"), UserUttered("mutuelle", {"name": "complain"}),
        ActionExecuted("complaint_form"), ActiveLoop("complaint_form"), SlotSet("requested_slot", "member_name"),
        BotUttered("Quels sont votre nom et votre prénom ?"), ActionExecuted("action_listen"),
    )
    message = UserMessage("Jeanne Petit", sender_id="t")
    parsed = await processor.parse_message(message, tracker)
    assert parsed["intent"]["name"] == "inform"
    assert parsed["recours_reading"]["classifier_intent"] == "request_goodwill"
    unread = await processor.parse_message(message)  # no tracker (the HTTP API's /model/parse): Rasa's verdict
    assert unread["intent"]["name"] == "request_goodwill"
