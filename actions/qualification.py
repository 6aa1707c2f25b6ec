"""Is it a réclamation? The decision is recours.qualification's; this adapter says it and routes."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from recours.qualification import qualify

# Below this, the first message is a bare wish ("je veux me plaindre"), not a description worth keeping.
MIN_DESCRIPTION_WORDS = 6


class QualifyRequest(Action):
    def name(self) -> Text:
        return "action_qualify_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name")
        confidence = (message.get("intent") or {}).get("confidence")
        text = message.get("text") or ""
        is_payload = text.startswith("/")
        if is_payload:
            # A button ("Oui, je suis mécontent") re-qualifies the statement the member typed before.
            text = tracker.get_slot("complaint_description") or ""
        result = qualify(intent, text, 1.0 if is_payload else confidence)
        events: List[EventType] = [SlotSet("concerned_body", result.concerned_body)]

        if result.unsure or result.request_kind is None:
            if not is_payload and len(text.split()) >= MIN_DESCRIPTION_WORDS:
                events.append(SlotSet("complaint_description", text))
            dispatcher.utter_message(
                text=(
                    "Pour bien vous orienter : êtes-vous mécontent de la façon dont votre situation a été traitée "
                    "(absence de réponse, refus, retard, erreur…), ou cherchez-vous une information ?"
                ),
                buttons=[
                    {"title": "Je suis mécontent", "payload": "/complain"},
                    {"title": "Je cherche une information", "payload": "/ask_information"},
                ],
            )
            return events + [SlotSet("request_kind", None), SlotSet("qualification_route", "clarify")]

        dispatcher.utter_message(text=result.explanation_fr)
        events.append(SlotSet("request_kind", result.request_kind))
        if result.request_kind == "complaint":
            if result.concerned_body == "cpam":
                return events + [SlotSet("qualification_route", "cpam_path")]
            if not is_payload and len(text.split()) >= MIN_DESCRIPTION_WORDS:
                events.append(SlotSet("complaint_description", text))
            return events + [SlotSet("qualification_route", "record_complaint")]

        # Not a complaint: where such requests go, and a way to complain anyway.
        org = services.organisation()
        if result.concerned_body == "cpam":
            where = services.cpam_contacts_fr()
        else:
            where = org.usual_contact_fr
        if not is_payload and len(text.split()) >= MIN_DESCRIPTION_WORDS:
            events.append(SlotSet("complaint_description", text))
        dispatcher.utter_message(
            text=f"{where}\nSi vous êtes mécontent de la façon dont votre demande a été traitée, je peux enregistrer une réclamation.",
            buttons=[{"title": "Nouvelle réclamation", "payload": "/complain"}],
        )
        return events + [SlotSet("qualification_route", "answered")]
