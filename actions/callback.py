"""The call-back request (rules.md §10): a phone number, then a time window within the opening hours, recorded and
forwarded to the back-office like a complaint (recours/store/callbacks.py, recours/outbox.py).

``callback_form`` asks the number first — the one already given is offered, masked — then the time, with the next
windows as buttons and a typed answer read too (recours.callback_times). The number is never kept in a slot: it is
encrypted in the call-back's draft row as soon as it is given, and the slot holds its mask. The time comes last on
purpose: a form that was in progress resumes in the same turn (``paused_form``), and reading the facts of the last
message (actions/form_facts.py) then finds no phone number in « lundi 14h » to take as the complaint's contact.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from recours.human_contact import asks_for_a_manager
from actions.validation import latest_intent
from recours import answers, contact, facts, follow_ups, human_contact
from recours.contact import mask_phone
from recours.callback_times import CallbackWindow, moment_typed, next_windows, read_callback_time
from recours.human_contact import phone_number
from recours.messages import message_fr
from recours.opening_hours import hours_fr
from recours.settings import now, today
from recours.store import RecordingFailed, StoreError, StoreUnavailable

logger = logging.getLogger(__name__)

CALLBACK_SLOTS = ("callback_phone", "callback_time", "callback_reason", "paused_form", "callback_moment")
# Forms that wait while a call-back is asked, then resume (data/rules/callback.yml).
PAUSABLE_FORMS = ("complaint_form", "mediation_form", "cpam_appeal_form", "status_form")
WINDOW_BUTTONS = 4


def known_phone(tracker: Tracker) -> Optional[str]:
    """The phone number the member already gave in this conversation (vault), or with the complaint recorded."""
    store = services.store()
    phone = store.get_identifiers(services.conversation_key(tracker.sender_id)).get("phone")
    reference = tracker.get_slot("complaint_reference")
    if phone is None and reference:
        recorded = store.get_complaint(reference)
        phone = recorded.phone if recorded and recorded.conversation_key == services.conversation_key(
            tracker.sender_id) else None
    if phone is None:
        # a second call-back in the conversation: the number of the last one booked (a real conversation on the end
        # build: the number was asked again, and every answer after it was read as a wrong number)
        booked = store.callbacks_of_conversation(services.conversation_key(tracker.sender_id), include_cancelled=True)
        last = store.get_callback(booked[-1].reference) if booked else None
        phone = last.phone if last is not None else None
    return phone


def _organisations_own(phone: str, org: Any) -> bool:
    """The organisation's own number (its complaint line, its usual contact) is never the member's."""
    own = re.sub(r"\D", "", " ".join(str(v or "") for v in (phone_number(org), org.phone_fr)))
    return bool(phone) and phone[-9:] in own


def _who_fr() -> str:
    return services.organisation().name


class AskCallbackPhone(Action):
    def name(self) -> Text:
        return "action_ask_callback_phone"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        try:
            known = await asyncio.to_thread(known_phone, tracker)
        except StoreError:
            known = None
        declined = latest_intent(tracker) == "deny" and tracker.get_slot("requested_slot") == "callback_phone"
        of_organisation = services.organisation().de_name_fr
        if tracker.get_slot("requested_slot") != "callback_phone" and \
                asks_for_a_manager(tracker.latest_message.get("text") or ""):
            # « je veux être rappelée par un responsable, pas par un conseiller » (members' round 22, m22-C-04)
            dispatcher.utter_message(text=message_fr("human_contact.manager", organisation=services.organisation().name))
        if declined:
            dispatcher.utter_message(response="utter_ask_another_callback_number")
        elif known:
            masked = contact.mask_phone(known)
            dispatcher.utter_message(
                text=message_fr("callback.known_number", of_organisation=of_organisation, number=masked),
                buttons=[{"title": f"Oui, au {masked}", "payload": "oui"}, {"title": "Annuler", "payload": "/stop"}],
            )
        else:
            dispatcher.utter_message(text=message_fr("callback.ask_number", of_organisation=of_organisation),
                                     buttons=[{"title": "Annuler", "payload": "/stop"}])
        return []


class AskCallbackTime(Action):
    def name(self) -> Text:
        return "action_ask_callback_time"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        org = services.organisation()
        current = now()
        windows = next_windows(org.opening_hours, current, services.department(tracker), WINDOW_BUTTONS)
        dispatcher.utter_message(
            text=message_fr("callback.ask_time", organisation=org.name, hours=hours_fr(org.opening_hours)),
            buttons=[{"title": w.label_fr(current), "payload": w.answer_fr()} for w in windows]
            + [{"title": "Annuler", "payload": "/stop"}],
        )
        return []


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_callback_form"

    async def validate_callback_phone(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if "*" in text:
            return {"callback_phone": text}  # already validated (the form resumed)
        key = services.conversation_key(tracker.sender_id)
        org = services.organisation()
        phone: Optional[str] = None
        typed_number = sum(ch.isdigit() for ch in text) >= 6
        if (answers.parse_yes_no(text, latest_intent(tracker)) is True or follow_ups.says_same_number(text)) and \
                not typed_number:
            phone = await asyncio.to_thread(known_phone, tracker)
            if phone is None:
                dispatcher.utter_message(text=message_fr("callback.no_known_number"))
                return {"callback_phone": None}
        elif answers.parse_yes_no(text, latest_intent(tracker)) is False and not typed_number:
            return {"callback_phone": None}  # the question is asked again, for another number
        else:
            try:
                phone = contact.parse_contact(text).phone
            except contact.InvalidContact as exc:
                dispatcher.utter_message(text=exc.message_fr if exc.reason == "phone" else
                                         message_fr("callback.not_a_phone"))
                return {"callback_phone": None}
            if phone is None:
                dispatcher.utter_message(text=message_fr("callback.phone_missing"))
                return {"callback_phone": None}
            if _organisations_own(phone, org):
                # « j'appellerai demain au 01 47 70 30 97 » (members' round 19: a call-back booked to CPMS itself)
                dispatcher.utter_message(text=message_fr("callback.organisations_number", organisation=org.name))
                return {"callback_phone": None}
        try:
            masked = await asyncio.to_thread(services.store().put_callback_phone, key, org.key, phone)
        except StoreUnavailable:
            logger.exception("A call-back number could not be kept (organisation=%s)", org.key)
            number = phone_number(org)
            dispatcher.utter_message(
                text=message_fr("callback.number_not_kept_call", organisation=org.name, number=number) if number
                else message_fr("callback.number_not_kept", organisation=org.name))
            return {"callback_phone": None}
        return {"callback_phone": masked}

    async def extract_callback_phone(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        """« je peux avoir un conseiller qui me rappelle ? demain midi au 06 00 00 00 74 » that opened the form: the
        number typed before it is asked is kept, not asked again (members' round 12)."""
        if tracker.get_slot("callback_phone") or tracker.get_slot("requested_slot") == "callback_phone":
            return {}
        text = tracker.latest_message.get("text") or ""
        if not text or text.startswith("/"):
            return {}
        phone = facts.extract_facts(text, today(), history=False).phone
        return {"callback_phone": phone} if phone and not _organisations_own(phone, services.organisation()) else {}

    async def extract_callback_time(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        """« OUI DEMAIN MATIN AVANT 10H » at the number question, « rappelez-moi jeudi matin » that opened the form:
        the moment typed before it is asked is kept, not asked again."""
        if tracker.get_slot("callback_time") or tracker.get_slot("requested_slot") == "callback_time":
            return {}
        text = tracker.latest_message.get("text") or ""
        org = services.organisation()
        if human_contact.grievance_beside_callback(text):
            text = human_contact.callback_sentence(text) or ""  # the debit's « le 6 novembre » is no moment to call
        for typed in (text, tracker.get_slot("callback_moment") or ""):
            # the latest message first, then the moment said with a call-back asked for in the middle of the
            # complaint form (« … oui je veux bien qu'on me rappelle, demain entre 12h et 13h »: round 14)
            if not typed or typed.startswith("/"):
                continue
            without_numbers = moment_typed(typed)
            reading = read_callback_time(without_numbers, org.opening_hours, now(), services.department(tracker),
                                         who_fr=org.name)
            if reading is not None:
                # a moment that does not fit (a Sunday) is validated too: the member is told why, then asked
                return {"callback_time": without_numbers}
        return {}

    async def validate_callback_time(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:+\-]+/\d{4}-\d{2}-\d{2}T[\d:+\-]+", text):
            return {"callback_time": text}  # already validated (the form resumed)
        org = services.organisation()
        changes = await self._number_typed_with_the_time(tracker)
        reading = read_callback_time(moment_typed(text), org.opening_hours, now(), services.department(tracker),
                                     who_fr=org.name)
        if reading is None:
            dispatcher.utter_message(text=message_fr("callback.time_not_understood"))
            return {"callback_time": None, **changes}
        if reading.window is None:
            dispatcher.utter_message(text=reading.problem_fr or message_fr("callback.time_unsuitable"))
            return {"callback_time": None, **changes}
        return {"callback_time": reading.window.slot_value, **changes}

    async def _number_typed_with_the_time(self, tracker: Tracker) -> Dict[Text, Any]:
        """« vendredi 10h. et PAS au même numéro, au 06 00 00 00 72 » (round 15): the number typed with the time
        replaces the one the form holds (the call-back was booked on the old one)."""
        text = tracker.latest_message.get("text") or ""
        phone = facts.extract_facts(text, today(), history=False).phone if not text.startswith("/") else None
        if not phone or mask_phone(phone) == tracker.get_slot("callback_phone"):
            return {}
        try:
            masked = await asyncio.to_thread(services.store().put_callback_phone,
                                             services.conversation_key(tracker.sender_id),
                                             services.organisation().key, phone)
        except StoreUnavailable:
            logger.exception("A call-back number could not be kept")
            return {}
        return {"callback_phone": masked}


def callback_idempotency_key(sender_id: str, window: str, phone_mask: str) -> str:
    """Same conversation, same window, same number: one request (a double click, a retried action)."""
    return hashlib.sha256(f"callback|{sender_id}|{window}|{phone_mask}".encode("utf-8")).hexdigest()


def _resume(tracker: Tracker, dispatcher: CollectingDispatcher) -> List[EventType]:
    """The form that waited resumes (its next question follows in the same turn)."""
    paused = tracker.get_slot("paused_form")
    events: List[EventType] = [SlotSet(slot, None) for slot in CALLBACK_SLOTS]
    if paused in PAUSABLE_FORMS:
        dispatcher.utter_message(response="utter_resume_paused_form")
        events.append(FollowupAction(paused))
    return events


class SubmitCallback(Action):
    def name(self) -> Text:
        return "action_submit_callback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        org = services.organisation()
        value = tracker.get_slot("callback_time")
        masked = tracker.get_slot("callback_phone")
        if not value or not masked:
            dispatcher.utter_message(response="utter_callback_incomplete")
            return _resume(tracker, dispatcher)
        window = CallbackWindow.from_slot_value(value)
        reason = tracker.get_slot("callback_reason") or "asked"
        reference = tracker.get_slot("complaint_reference")
        try:
            recorded = await asyncio.to_thread(
                services.store().record_callback, services.conversation_key(tracker.sender_id), window.start,
                window.end, callback_idempotency_key(tracker.sender_id, value, masked), reason=reason,
                complaint_reference=reference, channel=tracker.get_latest_input_channel() or "rest",
            )
        except (StoreUnavailable, RecordingFailed):
            logger.exception("Recording a call-back failed (organisation=%s)", org.key)
            number = phone_number(org)
            dispatcher.utter_message(
                text=message_fr("callback.recording_failed_call", organisation=org.name, number=number) if number
                else message_fr("callback.recording_failed_contact", organisation=org.name,
                                usual_contact=org.usual_contact_fr))
            return _resume(tracker, dispatcher)
        if recorded.newly_recorded:
            services.wake_delivery()  # forwarded in the background: the member's answer never waits on it
        text = message_fr("callback.recorded", organisation=org.name, when=window.when_fr(),
                          phone=recorded.phone_masked, reference=recorded.reference)
        if recorded.complaint_reference:
            text += " " + message_fr("callback.with_complaint", complaint_reference=recorded.complaint_reference)
        dispatcher.utter_message(text=text)
        return _resume(tracker, dispatcher)


class PauseForm(Action):
    """A call-back asked in the middle of a form: the form waits (its answers stay) and resumes afterwards."""

    def name(self) -> Text:
        return "action_pause_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        paused = tracker.active_loop.get("name")
        return [SlotSet("paused_form", paused if paused in PAUSABLE_FORMS else None), ActiveLoop(None),
                SlotSet("requested_slot", None)]


class CancelCallback(Action):
    """« Annuler » / « stop » while the call-back is asked: nothing is recorded; a form that waited resumes."""

    def name(self) -> Text:
        return "action_cancel_callback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        try:
            await asyncio.to_thread(services.store().discard_callback_draft,
                                    services.conversation_key(tracker.sender_id))
        except StoreUnavailable:
            logger.exception("Could not discard a call-back draft (the retention purge will)")
        dispatcher.utter_message(response="utter_callback_cancelled")
        return [ActiveLoop(None), SlotSet("requested_slot", None)] + _resume(tracker, dispatcher)
