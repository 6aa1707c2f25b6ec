"""« stop » during the mediation or CPAM appeal questions, then « non pardon, je continue » (members' round 15).

The questions stop at once (they are few, no confirmation is asked), but the answers already given are kept and the
form is remembered in ``stopped_form``: « je continue », « reprendre », or the button, resume it where it stopped,
and what came with the words (« non pardon, je continue. oui réponse le 2 novembre ») is read as the answer.
"""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from recours.routing import turns_to_the_organisation

STOPPABLE_FORMS = ("mediation_form", "cpam_appeal_form")
STOPPED_SLOT = "stopped_form"


class StopQuestions(Action):
    def name(self) -> Text:
        return "action_stop_questions"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        stopped = tracker.active_loop.get("name")
        text = tracker.latest_message.get("text") or ""
        if stopped == "cpam_appeal_form" and turns_to_the_organisation(text):
            # « laissez tomber la secu. par contre CPMS me doit … » (members' round 20): not a stop, a grievance
            # against the organisation, qualified as a first message would be
            return [ActiveLoop(None), SlotSet("requested_slot", None), FollowupAction("action_qualify_request")]
        dispatcher.utter_message(response="utter_questions_stopped")
        return [ActiveLoop(None), SlotSet("requested_slot", None),
                SlotSet(STOPPED_SLOT, stopped if stopped in STOPPABLE_FORMS else None)]


class ResumeStoppedQuestions(Action):
    def name(self) -> Text:
        return "action_resume_stopped_questions"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        events = resume(tracker, dispatcher)
        if not events:
            dispatcher.utter_message(response="utter_anything_else")
        return events


def resume(tracker: Tracker, dispatcher: CollectingDispatcher) -> List[EventType]:
    """The events that resume the stopped questions, or none when nothing was stopped."""
    stopped = tracker.get_slot(STOPPED_SLOT)
    if stopped not in STOPPABLE_FORMS:
        return []
    dispatcher.utter_message(response="utter_resume_form")
    return [SlotSet(STOPPED_SLOT, None), FollowupAction(stopped)]
