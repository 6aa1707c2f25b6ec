"""Answers to questions a member may ask at any point: deadlines, use of their data (a person: human_contact.py)."""

from __future__ import annotations

from datetime import date
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from recours.deadlines import record_deadlines
from recours.settings import today


class ExplainDeadlines(Action):
    def name(self) -> Text:
        return "action_explain_deadlines"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        org = services.organisation()
        first = tracker.get_slot("first_complaint_date")
        try:
            first_date = date.fromisoformat(first) if isinstance(first, str) else None
        except ValueError:
            first_date = None
        deadlines = record_deadlines(
            today(), org, first_complaint_date=first_date,
            answer_received=tracker.get_slot("answer_received") is True, department=services.department(tracker),
        )
        lead = "Les délais courent à partir de la date d'envoi de votre réclamation écrite. "
        if deadlines.reminder:
            # the member already wrote: the dates of that first letter, the same ones the recording will tell
            text = lead + deadlines.explain_fr(org.name, recorded=False)
        else:
            text = lead + "Pour une réclamation enregistrée aujourd'hui : " + deadlines.deadlines.explain_fr(org.name)
        dispatcher.utter_message(text=text)
        return []


WHY_RESPONSES = {
    slot: f"utter_why_{slot}" for slot in ("member_name", "member_identifier", "contact", "contract_holder")
}


class ExplainDataUse(Action):
    def name(self) -> Text:
        return "action_explain_data_use"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        org = services.organisation()
        asked = tracker.get_slot("requested_slot") if tracker.active_loop.get("name") == "complaint_form" else None
        if asked in WHY_RESPONSES:
            # « pourquoi vous avez besoin de mon numéro ? » at the NIR question: why this one, then the protection
            dispatcher.utter_message(response=WHY_RESPONSES[asked])
        dispatcher.utter_message(
            text=(
                f"Vos données servent uniquement au traitement de votre réclamation par {org.name}. "
                "Votre numéro et vos coordonnées sont chiffrés dès leur saisie, ne s'affichent que masqués, "
                "et n'apparaissent pas en clair dans l'historique de la conversation. "
                "N'écrivez pas d'information médicale détaillée ici. "
                f"Pour exercer vos droits : {org.dpo_contact_fr}."
            )
        )
        return []
