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
from rasa_sdk.events import EventType, FollowupAction, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import follow_ups as follow_up_actions, services
from actions.side_answers import answer_side_question
from recours.recap import mask_member_number as _mask_member_number
from actions.validation import RecoursFormValidation, latest_intent
from recours import answers, follow_ups, privacy
from recours.slot_answers import dont_know
from recours.calendar import format_date_fr
from recours.dates import DateError, parse_french_date
from recours.callback_times import CallbackWindow
from recours.contact import mask_email, mask_phone
from recours.messages import message_fr
from recours.natures import NATURE_LABELS_FR
from recours.nir import mask_nir
from recours.recap import FIELDS
from recours.settings import PARIS, get_settings, today
from recours.side_questions import SideQuestion, question_kind, split_side_question
from recours.store import REFERENCE_ALPHABET, StoreError, normalise_reference
from recours.patterns import patterns

logger = logging.getLogger(__name__)

STATUS_SLOTS = ("status_reference", "status_proof", "status_outcome")
_P = patterns("data_rights")
VALID_REFERENCE = re.compile(rf"^REC-\d{{4}}-[{REFERENCE_ALPHABET}]{{6}}$")

NOT_FOUND_FR = message_fr("privacy.status_check.not_found", attempts=privacy.MAX_FAILED_ATTEMPTS)




def reference_in(text: str) -> str | None:
    """``REC-2026-7K4F9Q`` from a member's answer, normalised; None when there is none.

    « il y avait REC 2026 devant. REC-2026-GXTAFZ »: a code of the reference alphabet beats a French word."""
    found = [f"REC-{m.group(1)}-{m.group(2).upper()}" for m in _P.reference_in_text.finditer(text or "")]
    valid = [reference for reference in found if VALID_REFERENCE.match(reference)]
    return (valid or found or [None])[-1]


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
        """"Où en est ma réclamation REC-2026-7K4F9Q ?": the reference given with the request is not asked again.
        A request to change something recorded (« changer mon numéro sur ma réclamation ») waits in
        ``follow_up_pending`` and is carried out by action_status_done, at once when the conversation owns it."""
        if tracker.get_slot("status_reference") or tracker.get_slot("requested_slot"):
            return {}
        text = tracker.latest_message.get("text") or ""
        found = reference_in(text)
        follow_up = follow_up_actions.read(tracker)
        if follow_up is not None and follow_up.kind not in (follow_ups.NO_REFERENCE, follow_ups.STATUS):
            await asyncio.to_thread(follow_up_actions.stash_contact, follow_up, tracker)
            pending = follow_up_actions.pending_slot(follow_up)
            if await asyncio.to_thread(follow_up_actions.needs_proof, follow_up, tracker):
                return {"follow_up_pending": pending, **({"status_reference": found} if found else {})}
            return {"follow_up_pending": pending, "status_outcome": "follow_up"}
        if not found and ((follow_up is not None and follow_up.kind == follow_ups.NO_REFERENCE)
                          or follow_ups.says_no_reference(text)):
            org = services.organisation()
            dispatcher.utter_message(text=message_fr("follow_up.no_reference", organisation=org.name,
                                                     contact=org.phone_fr))
            return {"status_outcome": "no_reference"}
        verified = tracker.get_slot(follow_up_actions.VERIFIED_SLOT) or []
        if found and found in verified:
            # checked earlier in this conversation: the status again, without a second proof
            return await self._status_of_verified(found, dispatcher)
        if not found and tracker.get_slot("complaint_reference") and not follow_ups.about_another_complaint(text):
            # « et la ma reclam elle en est ou? » just after recording it (members' round 22: the reference just
            # given was asked for): the complaint this conversation recorded, when the store says it is its own
            owned = await asyncio.to_thread(follow_up_actions.owned_references, tracker)
            if tracker.get_slot("complaint_reference") in owned:
                return await self._status_of_verified(tracker.get_slot("complaint_reference"), dispatcher)
        return {"status_reference": found} if found else {}

    async def _status_of_verified(self, reference: str, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        org = services.organisation()
        try:
            found = await asyncio.to_thread(services.store().complaint_progress, reference, org.key)
        except StoreError:
            return _unavailable(dispatcher)
        if found is None:
            return {"status_reference": reference}
        dispatcher.utter_message(text=privacy.status_summary_fr(found, org, today()))
        return {"status_outcome": "verified"}

    async def extract_status_proof(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """« REC-2026-Y3HE2B. Et les 4 derniers chiffres de mon numéro de sécu : 2859 »: the proof typed with the
        reference is not asked again."""
        if tracker.get_slot("status_proof") or tracker.get_slot("requested_slot") == "status_proof":
            return {}
        follow_up = follow_up_actions.read(tracker)
        if follow_up is not None and follow_up.kind == follow_ups.CHANGE_CONTACT:
            return {}  # « changer mon mail sur REC-…, le nouveau c'est … »: the new contact is no proof
        text = tracker.latest_message.get("text") or ""
        match = _P.reference_in_text.search(text)
        if not match:
            return {}
        rest = f"{text[:match.start()]} {text[match.end():]}"
        if not re.search(r"\d|@", rest):
            return {}
        try:
            privacy.parse_proof(rest)
        except privacy.InvalidProof:
            return {}
        return {"status_proof": rest}

    async def validate_status_reference(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        reference = reference_in(str(value or "")) or normalise_reference(str(value or ""))
        if not VALID_REFERENCE.match(reference) and (latest_intent(tracker) == "dont_know" or dont_know(str(value or ""))
                                                     or _P.no_reference.search(answers.fold(str(value or "")))
                                                     or follow_ups.says_no_reference(str(value or ""))):
            # « je ne l'ai plus », « vous pouvez la retrouver avec mon nom ? »: where to find it, or who can tell;
            # the check ends
            org = services.organisation()
            dispatcher.utter_message(
                text=message_fr("follow_up.no_reference", organisation=org.name, contact=org.phone_fr)
            )
            return {"status_reference": None, "status_outcome": "no_reference"}
        if reference in (tracker.get_slot(follow_up_actions.VERIFIED_SLOT) or []):
            return await self._status_of_verified(reference, dispatcher)
        if not VALID_REFERENCE.match(reference):
            return self._fail("status_reference", message_fr("privacy.status_check.reference_not_recognised"),
                              dispatcher, tracker)
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
        if str(value or "").rstrip().endswith("?"):
            # « je peux envoyer la facture par mail à qualite@cpms.fr ? »: a question, no proof (and no failed try)
            text = str(value)
            side = split_side_question(text) or SideQuestion("", text, question_kind(text))
            answer_side_question(side, dispatcher, tracker)
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
            if not tracker.get_slot(follow_up_actions.PENDING_SLOT):
                dispatcher.utter_message(text=privacy.status_summary_fr(found, org, today()))
            verified = list(tracker.get_slot(follow_up_actions.VERIFIED_SLOT) or [])
            return self._ok(tracker, "status_proof", {
                "status_proof": None, "status_outcome": "verified",
                follow_up_actions.VERIFIED_SLOT: verified + [reference] if reference not in verified else verified,
            })
        logger.info("Status check refused: the proof did not match a complaint")
        if state.after_one_more_failure().locked:
            return {"status_reference": None, "status_proof": None, "status_outcome": "locked"}
        told = " ".join(_user_texts_of_the_check(tracker))
        if follow_ups.made_elsewhere(told):
            # « Je l'ai faite le 20 octobre sur votre site » (members' round 18: the reference asked five times): not
            # in this store; what the organisation must meet since then, through the mediation check
            return {"status_reference": None, "status_proof": None, "status_outcome": "elsewhere",
                    **_sent_elsewhere(told, dispatcher)}
        dispatcher.utter_message(text=NOT_FOUND_FR)
        return {"status_reference": None, "status_proof": None}


def _user_texts_of_the_check(tracker: Tracker) -> List[str]:
    """What the member typed since the status check started (the request that started it included)."""
    texts: List[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user" and event.get("text"):
            texts.append(event["text"])
        if event.get("event") == "active_loop" and event.get("name") == "status_form" and texts:
            break
    return list(reversed(texts))[-4:]


def _sent_elsewhere(told: str, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    org = services.organisation()
    try:
        sent_on = parse_french_date(told, today())
    except DateError:
        sent_on = None
    if sent_on is None or sent_on.approximate:
        dispatcher.utter_message(text=message_fr("routing.status_sent_elsewhere_undated", organisation=org.name,
                                                 usual_contact=org.usual_contact_fr))
        return {}
    dispatcher.utter_message(text=message_fr("routing.status_sent_elsewhere", organisation=org.name,
                                             date=format_date_fr(sent_on.value)))
    return {"written_complaint_sent": True, "first_complaint_date": sent_on.value.isoformat()}


def _unavailable(dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    logger.exception("Status check impossible: the complaint store is unavailable")
    dispatcher.utter_message(text=message_fr("privacy.status_check.unavailable"))
    return {"status_reference": None, "status_proof": None, "status_outcome": "unavailable"}


class AskStatusProof(Action):
    def name(self) -> Text:
        return "action_ask_status_proof"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        identifier = message_fr("identifiers.nir_or_member_number" if services.organisation().may_collect_nir
                                else "identifiers.member_number")
        dispatcher.utter_message(text=message_fr("privacy.status_check.ask_proof", identifier=identifier))
        return []


class StatusDone(Action):
    """After the status form: say why it stopped when the answer was not given, and forget the form's slots."""

    def name(self) -> Text:
        return "action_status_done"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        outcome = tracker.get_slot("status_outcome")
        if outcome == "locked":
            org = services.organisation()
            dispatcher.utter_message(
                text=message_fr("privacy.status_check.locked", attempts=privacy.MAX_FAILED_ATTEMPTS,
                                organisation=org.name, contact=org.phone_fr)
            )
        events: List[EventType] = [SlotSet(slot, None) for slot in STATUS_SLOTS]
        if outcome == "elsewhere" and tracker.get_slot("first_complaint_date"):
            # a complaint sent by the site or by mail, its date known: the mediation check gives its deadlines
            return events + [SlotSet("request_kind", "complaint"), SlotSet("concerned_body", "insurer"),
                             FollowupAction("mediation_form")]
        pending = await asyncio.to_thread(follow_up_actions.pending_follow_up, tracker) \
            if outcome in ("verified", "follow_up") else None
        if pending is not None:
            # the change asked for, now that the complaint is known to be the member's (or the conversation's)
            events += await follow_up_actions.carry_out(pending, dispatcher, tracker)
        elif tracker.get_slot(follow_up_actions.PENDING_SLOT):
            events.append(SlotSet(follow_up_actions.PENDING_SLOT, None))
        return events


class StatusStop(Action):
    def name(self) -> Text:
        return "action_status_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        dispatcher.utter_message(response="utter_status_stopped")
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
            await asyncio.to_thread(store.clear_identifiers, follow_up_actions.vault_key(tracker))
            complaints = await asyncio.to_thread(store.complaints_of_conversation, key)
        except StoreError:
            logger.exception("Erasure impossible: the complaint store is unavailable")
            dispatcher.utter_message(text=message_fr("privacy.erasure.unavailable", dpo_contact=org.dpo_contact_fr))
            return []  # no Restarted: the tracker store erases nothing either
        text = message_fr("privacy.erasure.done")
        if complaints:
            references = ", ".join(c.reference for c in complaints)
            kept = message_fr("privacy.erasure.complaints_kept", retention=privacy.complaint_retention_fr(org),
                              references=references)
            text = f"{text}\n{kept}"
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
            callbacks = await asyncio.to_thread(store.callbacks_of_conversation, key)
        except StoreError:
            logger.exception("Export impossible: the complaint store is unavailable")
            dispatcher.utter_message(text=message_fr("privacy.export.unavailable"))
            return []
        settings = get_settings()
        try:
            stored = await asyncio.to_thread(privacy.stored_messages, settings.tracker_store_url, tracker.sender_id)
        except SQLAlchemyError:
            logger.exception("Export: the tracker store could not be counted, the current session is reported")
            stored = (0, None)
        lines = [message_fr("privacy.export.heading")]
        lines.append(_messages_line(tracker, stored, settings.conversation_retention_days))
        lines += [f"• {label} : {value}" for label, value in _slot_lines(tracker)]
        for kind, value in identifiers.items():
            lines.append(message_fr("privacy.export.identifier", label=privacy.IDENTIFIER_LABELS_FR[kind].capitalize(),
                                    value=_mask(kind, value)))
        for complaint in complaints:
            lines.append(message_fr("privacy.export.complaint", complaint=privacy.complaint_line_fr(complaint)))
        for callback in callbacks:
            window = CallbackWindow(callback.window_start.astimezone(PARIS), callback.window_end.astimezone(PARIS))
            lines.append(message_fr("privacy.export.callback", reference=callback.reference, when=window.when_fr(),
                                    phone=callback.phone_masked))
        if not identifiers and not complaints and not callbacks and len(lines) == 2:
            lines.append(message_fr("privacy.export.nothing_else"))
        lines.append(message_fr("privacy.export.closing", dpo_contact=org.dpo_contact_fr))
        dispatcher.utter_message(text="\n".join(lines))
        return []


def _messages_line(tracker: Tracker, stored: tuple[int, datetime | None], days: int) -> str:
    """The member's messages: those stored (all sessions) plus this one, which Rasa stores after the action."""
    users = [event for event in tracker.events if event.get("event") == "user"]
    count = max(stored[0] + 1, len(users)) if users else stored[0]
    times = [datetime.fromtimestamp(e["timestamp"], tz=timezone.utc) for e in users[:1] if e.get("timestamp")]
    times += [stored[1]] if stored[1] else []
    if not count or not times:
        return message_fr("privacy.export.no_messages")
    return message_fr("privacy.export.messages", count=count, since=format_date_fr(min(times).date()), days=days)


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
        return message_fr("privacy.export.text_given", length=len(text)) if text else "aucune"
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
