"""addons/understanding.py: the message read in context inside the Rasa server, on a real Rasa tracker."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons import understanding


def test_upstream_parse_message_is_the_one_the_wrapper_was_written_for():
    # A Rasa upgrade that changes MessageProcessor.parse_message fails here, not silently in production.
    assert understanding.upstream_source_sha256() == understanding.PINNED_SOURCE_SHA256


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


@pytest.mark.anyio
async def test_installed_on_the_processor():
    from rasa.core.processor import MessageProcessor

    understanding.install()
    understanding.install()  # idempotent
    assert MessageProcessor.parse_message.__wrapped__ is not None
    assert understanding.upstream_source_sha256() == understanding.PINNED_SOURCE_SHA256
