"""A person when the member wants one (rules.md §10): asked for, after two misunderstandings, or at once in urgency.

The wording is recours.human_contact's; here it is said with a « Demander un rappel » button, and the reason of the
offer is kept (``callback_reason``) for the call-back request the member may then make (actions/callback.py).
« Two misunderstandings in a row » is read from the conversation's events, not counted in a slot: the turn before
this one ended in the core fallback, in « je ne peux pas vous aider sur ce sujet » (out of scope) or in « reformulez »
(the qualification's ``rephrase`` route).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from recours import cpam, human_contact
from recours.messages import message_fr
from recours.settings import now

CALLBACK_FORM = "callback_form"
# Bot turns that say « I did not understand ».
MISUNDERSTANDING_ACTIONS = frozenset({"action_default_fallback", "action_out_of_scope"})


def previous_turn_misunderstood(tracker: Tracker) -> bool:
    """The bot's answer to the member's previous message was already a misunderstanding."""
    users = 0
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            users += 1
            if users == 2:
                return False  # the previous turn ended without a misunderstanding
            continue
        if users != 1:
            continue  # the current turn's own events
        if kind == "action" and event.get("name") in MISUNDERSTANDING_ACTIONS:
            return True
        if kind == "slot" and event.get("name") == "qualification_route" and event.get("value") == "rephrase":
            return True
    return False


def offer(tracker: Tracker, text: str) -> Dict[str, Any]:
    """The message of an offer: ``text`` and the call-back button (none while a call-back is being asked)."""
    in_callback = tracker.active_loop.get("name") == CALLBACK_FORM
    return {"text": text, "buttons": [] if in_callback else [dict(human_contact.CALLBACK_BUTTON)]}


def misunderstood_offer(tracker: Tracker) -> Dict[str, Any]:
    org = services.organisation()
    return offer(tracker, human_contact.misunderstood_fr(org, now(), services.department(tracker)))


class HumanContact(Action):
    """« Je veux parler à un conseiller », anywhere: how to reach a person at the organisation. A form in progress
    is kept and resumes after this answer."""

    def name(self) -> Text:
        return "action_human_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        in_callback = tracker.active_loop.get("name") == CALLBACK_FORM
        dispatcher.utter_message(**offer(tracker, person_text(tracker)))
        return [] if in_callback else [SlotSet("callback_reason", "asked")]


def person_text(tracker: Tracker) -> str:
    """How to reach a person, as said when asked (also beside an answer: actions/side_answers.py)."""
    org = services.organisation()
    in_callback = tracker.active_loop.get("name") == CALLBACK_FORM
    text = human_contact.person_fr(org, now(), services.department(tracker), callback=not in_callback)
    if tracker.get_slot("concerned_body") == "cpam":
        text += " " + message_fr("human_contact.cpam_contacts", contacts=cpam.contacts_fr())
    if human_contact.asks_for_a_manager(tracker.latest_message.get("text") or ""):
        # « je veux être rappelée par un responsable, pas par un conseiller » (members' round 22, m22-C-04; round 23,
        # m23-B-05: ignored): what can and cannot be asked
        text += " " + message_fr("human_contact.manager", organisation=org.name)
    if tracker.active_loop.get("name"):
        text += " " + message_fr("human_contact.form_kept")
    return text


class _Misunderstanding(Action):
    """A turn the assistant cannot answer: its usual response, or a person offered when it happens twice in a row.
    Abstract: rasa-sdk registers only the concrete ones."""

    response = ""
    revert = False  # the core fallback forgets the message (Rasa's own does), out of scope keeps it

    @abstractmethod
    def name(self) -> Text:
        ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        from actions.side_answers import ESCALATION_ROUTES, answer_after_guidance  # (it imports this module)

        text = tracker.latest_message.get("text") or ""
        if not tracker.active_loop.get("name") and tracker.get_slot("qualification_route") in ESCALATION_ROUTES and \
                not text.startswith("/") and answer_after_guidance(text, dispatcher, tracker):
            # « par la poste ou en ligne ? » after the CPAM's appeal deadlines, read as out of scope (members' round 21)
            return [SlotSet("qualification_route", "answered")]
        events: List[EventType] = [UserUtteranceReverted()] if self.revert else []
        if previous_turn_misunderstood(tracker):
            dispatcher.utter_message(**misunderstood_offer(tracker))
            return events + [SlotSet("callback_reason", "misunderstood")]
        dispatcher.utter_message(response=self.response)
        return events


class DefaultFallback(_Misunderstanding):
    """Rasa's core fallback (no rule covers the turn)."""

    response, revert = "utter_default", True

    def name(self) -> Text:
        return "action_default_fallback"


class OutOfScope(_Misunderstanding):
    """« Je ne peux pas vous aider sur ce sujet » (gibberish is read as out of scope too)."""

    response = "utter_out_of_scope"

    def name(self) -> Text:
        return "action_out_of_scope"
