"""What the member reads of an action's messages: a domain response (``utter_message(response=…)``) rendered by
Rasa's own response generator from the domain, with the tracker's slots, as the Rasa server renders it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def _generator() -> Any:
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain

    return TemplatedNaturalLanguageGenerator(Domain.load(ROOT / "domain").responses)


def rendered(dispatcher: CollectingDispatcher, tracker: Tracker, channel: str = "rest") -> list[dict[str, Any]]:
    """The dispatcher's messages as Rasa's ``RemoteAction`` turns them into bot messages (rasa/core/actions)."""
    messages = []
    for message in dispatcher.messages:
        message = dict(message)
        name = message.pop("response", None)
        draft: dict[str, Any] = {}
        if name:
            draft = _generator().generate_from_slots(name, dict(tracker.slots), channel, **message) or {}
            draft.pop("condition", None)
        buttons = message.pop("buttons", None) or []
        if buttons:
            draft["buttons"] = list(draft.get("buttons") or []) + buttons
        draft.update({key: value for key, value in message.items() if value})
        messages.append(draft)
    return messages


def texts(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[str]:
    return [message.get("text") or "" for message in rendered(dispatcher, tracker)]
