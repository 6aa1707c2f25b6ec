"""Members' rights over their data (rules.md §8): status of a complaint, erasure, export.

Thin adapters over recours.privacy and the store. What makes them safe:
- Status ("Où en est ma réclamation ?"): the answer is given by the validation of the proof itself, in the same
  action that checked it, so no "verified" flag has to be trusted between two actions. Failed proofs are counted
  in the store; an unknown reference and a wrong proof get the same words.
- Erasure: this action deletes the identifier vault rows and returns ``Restarted``; the tracker store sees that
  sequence and deletes the conversation's events when it saves the turn (addons/tracker_store.py).
- Export: what is held about this conversation, identifiers masked.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import services
from recours.recap import mask_member_number as _mask_member_number
from actions.validation import EXPECTED, RecoursFormValidation, latest_intent
from recours import answers, privacy
from recours.reading import dont_know
from recours.calendar import format_date_fr
from recours.contact import mask_email, mask_phone
from recours.natures import NATURE_LABELS_FR
from recours.nir import mask_nir
from recours.recap import FIELDS
from recours.settings import get_settings, today
from recours.store import REFERENCE_ALPHABET, StoreError, normalise_reference

logger = logging.getLogger(__name__)

STATUS_SLOTS = ("status_reference", "status_proof", "status_outcome")
# "REC-2026-7K4F9Q" typed with spaces, dots or without dashes, anywhere in a sentence.
REFERENCE_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])REC[\s._\-]*(\d{4})[\s._\-]*([A-Za-z0-9]{6})(?![A-Za-z0-9])", re.I)
VALID_REFERENCE = re.compile(rf"^REC-\d{{4}}-[{REFERENCE_ALPHABET}]{{6}}$")

NOT_FOUND_FR = (
    "Je ne trouve pas de réclamation correspondant à cette référence et à ce justificatif. Vérifiez-les et "
    f"réessayez (après {privacy.MAX_FAILED_ATTEMPTS} essais infructueux, la vérification est suspendue pendant "
    "24 heures)."
)

# The forms' shared "what I expect" texts (said after repeated invalid answers, and on "aide").
EXPECTED.update(
    {
        "status_reference": (
            "La référence de votre réclamation, de la forme REC-2026-7K4F9Q : elle figure dans le message qui a "
            "confirmé l'enregistrement de votre réclamation."
        ),
        "status_proof": (
            "Les 4 derniers caractères de votre numéro de sécurité sociale ou d'adhérent, ou l'adresse e-mail ou le "
            "numéro de téléphone indiqués dans votre réclamation. C'est ce qui prouve que la réclamation est la vôtre."
        ),
    }
)


# « je n'ai pas la référence », « j'ai perdu le numéro », « je ne la retrouve pas ».
NO_REFERENCE_RE = re.compile(r"\b(?:pas|plus|perdu|oublie|retrouve pas|sais pas|aucune idee)\b.{0,30}\b(?:reference|numero|"
                             r"ref)\b|\b(?:reference|numero|ref)\b.{0,30}\b(?:perdu\w*|oublie\w*|pas|plus)\b")


def reference_in(text: str) -> str | None:
    """``REC-2026-7K4F9Q`` from a member's answer, normalised; None when there is none."""
    match = REFERENCE_IN_TEXT.search(text or "")
    return f"REC-{match.group(1)}-{match.group(2).upper()}" if match else None


class ValidateStatusForm(RecoursFormValidation):
    """Reference, then proof of ownership; the answer (or the refusal) is given as soon as the proof is checked."""

    def name(self) -> Text:
        return "validate_status_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """Nothing more to ask once the answer was given or the checks are suspended: the form ends."""
        if tracker.get_slot("status_outcome") is not None:
            return []
        return list(domain_slots)

    async def extract_status_reference(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """"Où en est ma réclamation REC-2026-7K4F9Q ?": the reference given with the request is not asked again."""
        if tracker.get_slot("status_reference") or tracker.get_slot("requested_slot"):
            return {}
        found = reference_in(tracker.latest_message.get("text") or "")
        return {"status_reference": found} if found else {}

    async def validate_status_reference(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        reference = reference_in(str(value or "")) or normalise_reference(str(value or ""))
        if not VALID_REFERENCE.match(reference) and (latest_intent(tracker) == "dont_know" or dont_know(str(value or ""))
                                                     or NO_REFERENCE_RE.search(answers.fold(str(value or "")))):
            # « je ne l'ai plus », « j'ai perdu la référence »: where to find it, or who can tell; the check ends
            org = services.organisation()
            dispatcher.utter_message(
                text=(
                    "La référence (REC-…) figure dans le message qui a confirmé l'enregistrement de votre réclamation, "
                    f"et dans l'e-mail de confirmation si vous aviez donné une adresse. Sans elle, {org.name} peut "
                    f"vous renseigner : contactez-la {org.phone_fr}."
                )
            )
            return {"status_reference": None, "status_outcome": "no_reference"}
        if not VALID_REFERENCE.match(reference):
            return self._fail(
                "status_reference",
                "Je n'ai pas reconnu de référence de réclamation : elle a la forme REC-2026-7K4F9Q.",
                dispatcher,
                tracker,
            )
        try:
            state = await asyncio.to_thread(
                privacy.attempt_state, services.store(), services.conversation_key(tracker.sender_id), reference
            )
        except StoreError:
            return _unavailable(dispatcher)
        if state.locked:
            return {"status_reference": None, "status_outcome": "locked"}
        return self._ok(tracker, "status_reference", {"status_reference": reference})

    async def validate_status_proof(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        reference = tracker.get_slot("status_reference")
        if not reference:
            return {"status_proof": None}
        try:
            proof = privacy.parse_proof(str(value or ""))
        except privacy.InvalidProof as exc:
            return self._fail("status_proof", exc.message_fr, dispatcher, tracker)
        org = services.organisation()
        store = services.store()
        key = services.conversation_key(tracker.sender_id)
        try:
            state = await asyncio.to_thread(privacy.attempt_state, store, key, reference)
            if state.locked:
                return {"status_reference": None, "status_proof": None, "status_outcome": "locked"}
            found = await asyncio.to_thread(store.find_owned_complaint, reference, proof, org.key)
            if found is None:
                await asyncio.to_thread(store.record_failed_status_attempt, key, reference)
        except StoreError:
            return _unavailable(dispatcher)
        if found is not None:
            dispatcher.utter_message(text=privacy.status_summary_fr(found, org, today()))
            return self._ok(tracker, "status_proof", {"status_proof": None, "status_outcome": "verified"})
        logger.info("Status check refused: the proof did not match a complaint")
        if state.after_one_more_failure().locked:
            return {"status_reference": None, "status_proof": None, "status_outcome": "locked"}
        dispatcher.utter_message(text=NOT_FOUND_FR)
        return {"status_reference": None, "status_proof": None}


def _unavailable(dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    logger.exception("Status check impossible: the complaint store is unavailable")
    dispatcher.utter_message(
        text="Désolé, un incident technique m'empêche de consulter les réclamations. Réessayez dans quelques minutes."
    )
    return {"status_reference": None, "status_proof": None, "status_outcome": "unavailable"}


class AskStatusProof(Action):
    def name(self) -> Text:
        return "action_ask_status_proof"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        identifier = "numéro de sécurité sociale (ou d'adhérent)" if services.organisation().may_collect_nir else (
            "numéro d'adhérent"
        )
        dispatcher.utter_message(
            text=(
                "Pour vérifier que cette réclamation est bien la vôtre, indiquez les 4 derniers caractères de votre "
                f"{identifier}, ou l'adresse e-mail ou le numéro de téléphone indiqués dans la réclamation."
            )
        )
        return []


class StatusDone(Action):
    """After the status form: say why it stopped when the answer was not given, and forget the form's slots."""

    def name(self) -> Text:
        return "action_status_done"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        if tracker.get_slot("status_outcome") == "locked":
            org = services.organisation()
            dispatcher.utter_message(
                text=(
                    f"Pour votre sécurité, la vérification est suspendue après {privacy.MAX_FAILED_ATTEMPTS} essais "
                    f"infructueux : réessayez dans 24 heures, ou contactez {org.name} {org.phone_fr}, en rappelant "
                    "votre référence."
                )
            )
        return [SlotSet(slot, None) for slot in STATUS_SLOTS]


class StatusStop(Action):
    def name(self) -> Text:
        return "action_status_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        dispatcher.utter_message(text="D'accord, j'arrête la vérification. Puis-je vous aider autrement ?")
        return [SlotSet(slot, None) for slot in STATUS_SLOTS]


class EraseConversation(Action):
    """Confirmed "supprimez mes données": vault rows now, tracker events when Rasa saves this turn."""

    def name(self) -> Text:
        return "action_erase_conversation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        org = services.organisation()
        store = services.store()
        key = services.conversation_key(tracker.sender_id)
        try:
            await asyncio.to_thread(store.clear_identifiers, key)
            complaints = await asyncio.to_thread(store.complaints_of_conversation, key)
        except StoreError:
            logger.exception("Erasure impossible: the complaint store is unavailable")
            dispatcher.utter_message(
                text=(
                    "Désolé, un incident technique empêche l'effacement : rien n'a été effacé. Réessayez dans "
                    f"quelques minutes, ou adressez votre demande au délégué à la protection des données : "
                    f"{org.dpo_contact_fr}."
                )
            )
            return []  # no Restarted: the tracker store erases nothing either
        text = "C'est fait : cette conversation et les informations que vous y avez saisies sont effacées."
        if complaints:
            references = ", ".join(c.reference for c in complaints)
            text += f"\n{privacy.complaint_retention_fr(org)} (Réclamation concernée : {references}.)"
        logger.info("Conversation erased at the member's request (%d complaint(s) kept)", len(complaints))
        dispatcher.utter_message(text=text)
        return [Restarted()]


class ExportData(Action):
    """"Quelles données avez-vous sur moi ?": what this conversation holds, in the chat, identifiers masked."""

    def name(self) -> Text:
        return "action_export_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        org = services.organisation()
        store = services.store()
        key = services.conversation_key(tracker.sender_id)
        try:
            identifiers = await asyncio.to_thread(store.get_identifiers, key)
            complaints = await asyncio.to_thread(store.complaints_of_conversation, key)
        except StoreError:
            logger.exception("Export impossible: the complaint store is unavailable")
            dispatcher.utter_message(
                text="Désolé, un incident technique m'empêche de rassembler vos données. Réessayez dans quelques minutes."
            )
            return []
        settings = get_settings()
        try:
            stored = await asyncio.to_thread(privacy.stored_messages, settings.tracker_store_url, tracker.sender_id)
        except SQLAlchemyError:
            logger.exception("Export: the tracker store could not be counted, the current session is reported")
            stored = (0, None)
        lines = ["Voici les données que nous détenons sur cette conversation :"]
        lines.append(_messages_line(tracker, stored, settings.conversation_retention_days))
        lines += [f"• {label} : {value}" for label, value in _slot_lines(tracker)]
        for kind, value in identifiers.items():
            lines.append(
                f"• {privacy.IDENTIFIER_LABELS_FR[kind].capitalize()} (chiffré, en attente) : {_mask(kind, value)}"
            )
        for complaint in complaints:
            lines.append(
                f"• Réclamation {privacy.complaint_line_fr(complaint)} : votre nom, vos identifiants, vos "
                "coordonnées et votre description y sont conservés chiffrés."
            )
        if not identifiers and not complaints and len(lines) == 2:
            lines.append("• Aucune autre donnée.")
        lines.append(
            f"Pour recevoir une copie complète (dont le texte de vos réclamations) ou exercer vos autres droits, "
            f"adressez-vous au délégué à la protection des données : {org.dpo_contact_fr}. "
            "Pour effacer cette conversation, écrivez « supprimez mes données »."
        )
        dispatcher.utter_message(text="\n".join(lines))
        return []


def _messages_line(tracker: Tracker, stored: tuple[int, datetime | None], days: int) -> str:
    """The member's messages: those stored (all sessions) plus this one, which Rasa stores after the action."""
    users = [event for event in tracker.events if event.get("event") == "user"]
    count = max(stored[0] + 1, len(users)) if users else stored[0]
    times = [datetime.fromtimestamp(e["timestamp"], tz=timezone.utc) for e in users[:1] if e.get("timestamp")]
    times += [stored[1]] if stored[1] else []
    if not count or not times:
        return "• Vos messages : aucun."
    return (
        f"• Vos messages : {count} depuis le {format_date_fr(min(times).date())}, conservés au plus {days} jours "
        "après votre dernier message, sans vos identifiants (remplacés par [NIR], [EMAIL], [TELEPHONE])."
    )


def _slot_lines(tracker: Tracker) -> List[tuple[str, str]]:
    """The complaint form's answers still held in this conversation (identifiers are masked in the slots)."""
    lines = []
    for key, field in FIELDS.items():
        values = {slot: tracker.get_slot(slot) for slot in field.slots}
        if all(value is None for value in values.values()):
            continue
        lines.append((field.label_fr, _display(key, values)))
    return lines


def _display(field: str, values: Dict[str, Any]) -> str:
    if field in ("complaint_description", "contested_decision"):
        text = next((str(v) for v in values.values() if isinstance(v, str)), "")
        return f"renseignée ({len(text)} caractères)" if text else "aucune"
    if field == "complaint_nature":
        nature = values["complaint_nature"]
        return NATURE_LABELS_FR.get(nature, str(nature))
    parts = []
    for value in values.values():
        if isinstance(value, bool):
            parts.append("oui" if value else "non")
        elif value is not None:
            parts.append(str(value))
    return ", ".join(parts)


def _mask(kind: str, value: str) -> str:
    if kind == "nir":
        return mask_nir(value)
    if kind == "email":
        return mask_email(value)
    if kind == "phone":
        return mask_phone(value)
    return _mask_member_number(value)
