"""Domain responses rendered as usual, except a question about to be asked a third time (issue 11: « never a
third identical question »).

Rasa's own :class:`TemplatedNaturalLanguageGenerator` renders every ``utter_*`` response; this subclass, named in
endpoints.yml (``nlg: type: addons.nlg.LoopAwareNLG``, Rasa's documented way to plug a generator), counts how
often the same question (``utter_ask_*``) was already sent in the conversation — since the session started, or
since the last complaint was recorded — and the third time says that it is asked again because the answers were
not understood, with a way out as buttons: a call-back, a person, stopping. The decision and the words are
``recours.repeats``'s; nothing else changes (the member's next answer is read as before).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from recours.repeats import ANSWERED_QUESTIONS, RESET_ACTIONS, asked_again, shows_progress


class LoopAwareNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Any = None, domain: Optional[Domain] = None, **_: Any) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        response = await super().generate(utter_action, tracker, output_channel, **kwargs)
        if response is None or not utter_action.startswith("utter_ask_"):
            return response
        if _no_miss_this_turn(tracker):
            return response  # asked again after the member's own question was answered, or a fact taken
        return asked_again(response, times_asked(tracker, utter_action))


def _no_miss_this_turn(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return (event.intent or {}).get("name") in ANSWERED_QUESTIONS
        if isinstance(event, BotUttered) and shows_progress(event.text or ""):
            return True
    return False


def times_asked(tracker: DialogueStateTracker, utter_action: str) -> int:
    """How many times ``utter_action`` was sent since the session started or the last complaint was recorded, not
    counting the times it followed the answer to a question of the member's own or a fact taken (recours/repeats.py)."""
    count = 0
    no_miss = False
    for event in tracker.events:
        if isinstance(event, SessionStarted) or (isinstance(event, ActionExecuted)
                                                 and event.action_name in RESET_ACTIONS):
            count = 0
        elif isinstance(event, UserUttered):
            no_miss = (event.intent or {}).get("name") in ANSWERED_QUESTIONS
        elif isinstance(event, BotUttered):
            no_miss = no_miss or shows_progress(event.text or "")
            if (event.metadata or {}).get("utter_action") == utter_action and not no_miss:
                count += 1
    return count
