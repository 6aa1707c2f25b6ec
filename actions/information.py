"""Answers to questions a member may ask at any point: deadlines, use of their data (a person: human_contact.py)."""

from __future__ import annotations

from datetime import date
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from recours.calendar import format_date_fr
from recours.deadlines import record_deadlines
from recours.settings import today


def _record_deadlines(tracker: Tracker):
    org = services.organisation()
    first = tracker.get_slot("first_complaint_date")
    try:
        first_date = date.fromisoformat(first) if isinstance(first, str) else None
    except ValueError:
        first_date = None
    return record_deadlines(
        today(), org, first_complaint_date=first_date,
        answer_received=tracker.get_slot("answer_received") is True, department=services.department(tracker),
    )


def deadlines_text(tracker: Tracker) -> str:
    """When the organisation must acknowledge and answer (the dates the recording will tell)."""
    org = services.organisation()
    deadlines = _record_deadlines(tracker)
    lead = "Les délais courent à partir de la date d'envoi de votre réclamation écrite. "
    if deadlines.reminder:
        # the member already wrote: the dates of that first letter, the same ones the recording will tell
        return lead + deadlines.explain_fr(org.name, recorded=False)
    return lead + "Pour une réclamation enregistrée aujourd'hui : " + deadlines.deadlines.explain_fr(org.name)


def refund_when_text(tracker: Tracker) -> str:
    """« Quand serai-je remboursé ? »: not known here; the answer date is."""
    org = services.organisation()
    answer_by = format_date_fr(_record_deadlines(tracker).answer_by)
    return (f"Je ne connais pas la date d'un éventuel remboursement : c'est {org.name} qui vous répondra, au plus "
            f"tard le {answer_by}.")


class ExplainDeadlines(Action):
    def name(self) -> Text:
        return "action_explain_deadlines"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        dispatcher.utter_message(text=deadlines_text(tracker))
        return []


def data_use_text() -> str:
    org = services.organisation()
    return (
        f"Vos données servent uniquement au traitement de votre réclamation par {org.name}. "
        "Votre numéro et vos coordonnées sont chiffrés dès leur saisie, ne s'affichent que masqués, "
        "et n'apparaissent pas en clair dans l'historique de la conversation. "
        "N'écrivez pas d'information médicale détaillée ici. "
        f"Pour exercer vos droits : {org.dpo_contact_fr}."
    )


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
        dispatcher.utter_message(text=data_use_text())
        return []
