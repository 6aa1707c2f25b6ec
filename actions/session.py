"""Session start: no personal slot is carried over; the organisation's name is set for the responses; and the
member is told first, whatever their first message, that this is an automated assistant and how to reach a person
(AI Act art. 50, rules.md §9): a conversation opened with a grievance instead of a greeting is told too."""

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
        name = services.organisation().name
        # Rendered before the events below apply: the name is passed to the response, not read from the slot.
        dispatcher.utter_message(response="utter_disclosure", organisation_name=name)
        return [
            SessionStarted(),
            SlotSet("organisation_name", name),
            ActionExecuted("action_listen"),
        ]
