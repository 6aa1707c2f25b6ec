"""Session start: no personal slot is carried over; the organisation's name is set for the responses."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services


class SessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        # carry_over_slots_to_new_session is false in the domain: start from an empty slate, on purpose.
        return [
            SessionStarted(),
            SlotSet("organisation_name", services.organisation().name),
            ActionExecuted("action_listen"),
        ]
