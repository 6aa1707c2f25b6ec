"""Members' rights over their data: status of a complaint, erasure, export (rules.md §8)."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import services


class DataRights(Action):
    """Status, erasure and export requests: who handles them for this organisation."""

    def name(self) -> Text:
        return "action_data_rights"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        org = services.organisation()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "check_status":
            text = (
                "Pour connaître l'état de votre réclamation, contactez "
                f"{org.name} en rappelant votre référence (REC-…) : {org.phone_fr}."
            )
        elif intent == "erase_data":
            text = (
                "Pour faire effacer vos données, adressez votre demande au délégué à la protection des données : "
                f"{org.dpo_contact_fr}. Les réclamations enregistrées sont conservées le temps légal de leur traitement "
                "et des délais de prescription."
            )
        else:
            text = (
                "Pour obtenir une copie des données vous concernant, adressez votre demande au délégué à la "
                f"protection des données : {org.dpo_contact_fr}."
            )
        dispatcher.utter_message(text=text)
        return []
