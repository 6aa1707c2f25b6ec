"""What the forms share: per-slot failure counting, yes/no answers, dates, and the facts of a complaint.

Every validator returns ``{slot: None}`` and a specific French message on bad input, so the form asks again.
After two invalid answers in a row to the same question, the member is told what is expected and offered to
continue or stop (financial-demo's ``max_validation_failures``, done per slot).
"""

from __future__ import annotations

import re
from abc import abstractmethod
from typing import Any, Dict, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from recours import answers
from recours.dates import DateError, parse_french_date
from recours.settings import today

MAX_FAILURES = 2

# What each question expects, said after repeated invalid answers.
EXPECTED = {
    "privacy_accepted": "Répondez « oui » pour accepter et continuer, ou « non » pour ne pas transmettre vos données.",
    "member_name": "Indiquez votre nom et votre prénom en lettres, par exemple « Marie Martin ».",
    "member_identifier_nir": (
        "Le numéro de sécurité sociale compte 15 caractères : 13 chiffres (ou 2A/2B pour la Corse) suivis "
        "d'une clé de 2 chiffres. Il figure sur votre carte Vitale. Les espaces et les points sont acceptés. "
        "Si vous ne l'avez pas, écrivez « je ne l'ai pas » pour donner votre numéro d'adhérent."
    ),
    "member_identifier_member_number": (
        "Votre numéro d'adhérent figure sur votre carte de tiers payant ou vos courriers : "
        "4 à 20 lettres ou chiffres."
    ),
    "contact": "Indiquez une adresse e-mail (prenom.nom@exemple.fr) et/ou un numéro de téléphone (06 12 34 56 78).",
    "contract_holder": (
        "Indiquez le nom de l'entreprise qui a souscrit le contrat collectif (votre employeur), "
        "ou « contrat individuel » si vous l'avez souscrit vous-même."
    ),
    "complaint_nature": "Choisissez l'un des boutons proposés, ou décrivez le motif en un mot (remboursement, cotisation…).",
    "complaint_description": "Décrivez en une ou deux phrases ce qui ne va pas (au moins quelques mots).",
    "contested_decision_answer": "Décrivez la décision contestée et sa date, ou répondez « aucune ».",
    "written_complaint_sent": "Répondez simplement « oui » ou « non ».",
    "first_complaint_date": "Indiquez une date passée, par exemple « 3 septembre », « 03/09/2026 » ou « il y a deux mois ».",
    "answer_received": "Répondez simplement « oui » ou « non ».",
    "court_action": "Répondez simplement « oui » ou « non ».",
    "recap_confirmed": "Répondez « confirmer » pour enregistrer, ou indiquez l'élément à corriger.",
    "answer_satisfied": "Répondez simplement « oui » ou « non ».",
    "other_mediator": "Répondez simplement « oui » ou « non ».",
    "carrier_type": "Choisissez l'un des boutons proposés (société d'assurance, institution de prévoyance, mutuelle) ou « je ne sais pas ».",
    "cpam_decision_medical": "Répondez « médicale » ou « administrative ».",
    "cpam_notification_date": "Indiquez une date passée, par exemple « 3 septembre » ou « 03/09/2026 ».",
}

CONTINUE_OR_STOP = [
    {"title": "Continuer", "payload": "/continue_form"},
    {"title": "Arrêter", "payload": "/stop"},
]


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def entity(tracker: Tracker, name: str) -> Optional[str]:
    for item in tracker.latest_message.get("entities") or []:
        if item.get("entity") == name and item.get("value"):
            return str(item["value"])
    return None


class RecoursFormValidation(FormValidationAction):
    """Base of the forms' validation actions (abstract: rasa-sdk registers only the concrete ones)."""

    @abstractmethod
    def name(self) -> Text:
        ...

    # -- failures ---------------------------------------------------------------------------------------------

    def _fail(
        self, slot: str, message: str, dispatcher: CollectingDispatcher, tracker: Tracker, expected_key: str = ""
    ) -> Dict[Text, Any]:
        failures = dict(tracker.get_slot("validation_failures") or {})
        failures[slot] = failures.get(slot, 0) + 1
        if failures[slot] >= MAX_FAILURES:
            failures[slot] = 0
            expected = EXPECTED.get(expected_key or slot, "")
            dispatcher.utter_message(
                text=f"{message}\n\nCe que j'attends : {expected}\nVoulez-vous continuer ou arrêter ?",
                buttons=CONTINUE_OR_STOP,
            )
        else:
            dispatcher.utter_message(text=message)
        return {slot: None, "validation_failures": failures}

    def _ok(self, tracker: Tracker, slot: str, values: Dict[Text, Any]) -> Dict[Text, Any]:
        failures = dict(tracker.get_slot("validation_failures") or {})
        if failures.pop(slot, None):
            values["validation_failures"] = failures
        return values

    # -- facts shared by the complaint and mediation forms -------------------------------------------------

    def validate_written_complaint_sent(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if isinstance(value, bool):
            return {"written_complaint_sent": value}
        text = str(value or "")
        answer = answers.parse_yes_no(text, latest_intent(tracker))
        parsed_date = None
        if answer is not False:
            # "oui, le 3 septembre": take the date at once instead of asking for it.
            try:
                parsed_date = parse_french_date(text, today())
            except DateError:
                parsed_date = None
            if parsed_date is not None:
                answer = True
        if answer is None:
            return self._fail("written_complaint_sent", "Je n'ai pas compris : oui ou non ?", dispatcher, tracker)
        values: Dict[Text, Any] = {"written_complaint_sent": answer}
        if answer is False:
            values.update({"first_complaint_date": None, "answer_received": False})
        elif parsed_date is not None:
            values["first_complaint_date"] = parsed_date.value.isoformat()
        return self._ok(tracker, "written_complaint_sent", values)

    def validate_first_complaint_date(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = str(value or "")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            return {"first_complaint_date": text.strip()}  # already validated (set from an earlier answer)
        try:
            parsed = parse_french_date(text, today())
        except DateError as exc:
            return self._fail("first_complaint_date", exc.message_fr, dispatcher, tracker)
        return self._ok(tracker, "first_complaint_date", {"first_complaint_date": parsed.value.isoformat()})

    def validate_answer_received(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._yes_no("answer_received", value, dispatcher, tracker)

    def validate_court_action(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._yes_no("court_action", value, dispatcher, tracker)

    def _yes_no(self, slot: str, value: Any, dispatcher, tracker) -> Dict[Text, Any]:
        if isinstance(value, bool):
            return {slot: value}
        answer = answers.parse_yes_no(str(value or ""), latest_intent(tracker))
        if answer is None:
            return self._fail(slot, "Je n'ai pas compris : oui ou non ?", dispatcher, tracker)
        return self._ok(tracker, slot, {slot: answer})

