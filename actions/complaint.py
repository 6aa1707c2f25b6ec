"""Recording a complaint once the form is confirmed, or abandoning it."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from datetime import date
from typing import Any, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from recours import answers, human_contact
from recours.recap import mask_own_member_number
from recours.calendar import format_date_fr
from recours.deadlines import record_deadlines
from recours.messages import message_fr
from recours.patterns import patterns
from recours.receipts import receipt_download_message
from recours.settings import get_settings, today
from recours.routing import route_request
from recours.side_questions import asks_where_to_send_documents
from recours.store import ComplaintDraft, RecordingFailed, StoreUnavailable
from recours.text import fold

logger = logging.getLogger(__name__)

# Slots of the complaint form, reset after recording or cancelling (the contract slots are kept after recording).
FORM_SLOTS = (
    "privacy_accepted", "member_name", "member_identifier", "contact", "contract_holder", "complaint_nature",
    "complaint_description", "contested_decision_answer", "contested_decision", "written_complaint_sent",
    "first_complaint_date", "answer_received", "court_action", "recap_confirmed", "recap_mode",
    "validation_failures", "identifier_kind", "help_offered_for", "opening_facts_read", "approximate_date",
    "approximate_earliest_fr", "postal_code", "postal_code_skipped", "privacy_notice_shown", "before_correction",
    "member_writer",
)
# What the member told of the complaint's history: kept when the notice is answered with another request.
HISTORY_SLOTS = ("written_complaint_sent", "first_complaint_date", "answer_received", "court_action",
                 "approximate_date", "approximate_earliest_fr")
# Personal slots never kept once the complaint is recorded: they are in the store, encrypted.
PERSONAL_SLOTS = ("member_name", "member_identifier", "contact", "complaint_description", "contested_decision_answer",
                  "member_writer")


def idempotency_key(sender_id: str, slots: dict[str, Any], sent_on: date) -> str:
    """Same conversation, same answers, same day -> same key: a double submission records one complaint."""
    material = "|".join(
        [sender_id, sent_on.isoformat()]
        + [f"{name}={slots.get(name)!r}" for name in sorted(FORM_SLOTS) if name not in ("recap_mode", "validation_failures", "help_offered_for", "opening_facts_read",
                                                        "approximate_date", "approximate_earliest_fr",
                                                        "before_correction")]
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


# The privacy notice answered with another request (issue 11, round 7): following an earlier complaint, or the
# mediator. Neither is a refusal: the request is served instead.
STATUS_REQUEST_RE = re.compile(
    r"\b(?:suivre|ou en est|avancement|suivi)\b.{0,40}\b(?:reclamation|dossier|demande|celle)\b"
    r"|\b(?:celle|la reclamation|ma reclamation|celle que j ai) (?:que j ai )?deja (?:faite|envoyee|deposee|faite)\b"
    r"|\brec\W?\d{4}\W?[a-z0-9]{6}\b"
)
MEDIATION_REQUEST_RE = re.compile(r"\bmediat\w*\b")


class SubmitComplaint(Action):
    def name(self) -> Text:
        return "action_submit_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        org = services.organisation()
        if tracker.get_slot("privacy_accepted") is False:
            text = (tracker.latest_message or {}).get("text") or ""
            folded = fold(text).replace("'", " ")
            if text and not text.startswith("/") and STATUS_REQUEST_RE.search(folded):
                # « non je veux juste suivre celle que j'ai déjà faite »: not a refusal, a status check
                await _forget_identifiers(tracker.sender_id)
                return [SlotSet(slot, None) for slot in FORM_SLOTS] + [
                    SlotSet("complaint_outcome", None), FollowupAction("status_form")]
            # « je refuse. c'est pas contre vous, je vais retourner voir l'opticien » (members' round 16): the
            # professional's steps
            third_party = bool(text) and not text.startswith("/") and \
                route_request("complain", text, 0.9).next == "third_party"
            if text and not text.startswith("/") and (answers.parse_yes_no(text) is None or
                                                      MEDIATION_REQUEST_RE.search(folded) or
                                                      asks_where_to_send_documents(text) or third_party):
                # « je ne veux pas refaire une réclamation… comment saisir le médiateur » asks for the mediator
                # The notice was answered with a statement about someone else (a practitioner, the CPAM…):
                # nothing recorded, the statement is qualified as a first message would be.
                await _forget_identifiers(tracker.sender_id)
                # the history already told stays (round 15, m15-D-05: « j'ai écrit le 10 octobre, ils m'ont répondu
                # le 2 novembre », then the mediator asked for, and both asked again); for the mediator, the
                # statement too, which its letter summarises
                kept = HISTORY_SLOTS + (("complaint_description",) if MEDIATION_REQUEST_RE.search(folded) or
                                        third_party else ())
                return [SlotSet(slot, None) for slot in FORM_SLOTS if slot not in kept] + [
                    SlotSet("complaint_outcome", "requalified"), FollowupAction("action_qualify_request")]
            if patterns("answers").no_complaint.search(fold(text)):
                dispatcher.utter_message(
                    text=message_fr("complaint.not_a_complaint", usual_contact=org.usual_contact_fr)
                )
                await _forget_identifiers(tracker.sender_id)
                return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("complaint_outcome", "refused_privacy"),
                                                                       SlotSet("request_kind", "information")]
            dispatcher.utter_message(
                text=message_fr("complaint.privacy_refused", organisation=org.name, channels=org.complaint_channels_fr)
            )
            await _forget_identifiers(tracker.sender_id)
            # the statement and its history stay in the conversation (not in the store): « bon ok finalement
            # jaccepte » next takes them up again (members' round 18, m18-A-03: the description became that answer)
            kept = HISTORY_SLOTS + ("complaint_description",)
            return [SlotSet(slot, None) for slot in FORM_SLOTS if slot not in kept] + [
                SlotSet("complaint_outcome", "refused_privacy")]

        if tracker.get_slot("recap_confirmed") is not True:
            # The form ended without confirmation (should not happen): nothing is recorded, say so.
            dispatcher.utter_message(response="utter_complaint_not_confirmed")
            return [SlotSet("complaint_outcome", "failed")]

        sent_on = today()
        slots = {name: tracker.get_slot(name) for name in FORM_SLOTS}
        first_date = slots.get("first_complaint_date")
        # An earlier unanswered written complaint starts the clocks: today's record is its reminder.
        deadlines = record_deadlines(
            sent_on,
            org,
            first_complaint_date=date.fromisoformat(first_date) if first_date else None,
            answer_received=bool(slots.get("answer_received")),
            department=services.department(tracker),
        )
        draft = ComplaintDraft(
            organisation=org.key,
            conversation_key=services.conversation_key(tracker.sender_id),
            channel=(tracker.get_latest_input_channel() or "rest"),
            sent_on=sent_on,
            acknowledge_by=deadlines.acknowledge_by,
            answer_by=deadlines.answer_by,
            request_kind=tracker.get_slot("request_kind") or "complaint",
            concerned_body=tracker.get_slot("concerned_body") or "insurer",
            nature=slots["complaint_nature"],
            contract_holder=slots["contract_holder"],
            member_name=slots["member_name"],
            description=mask_own_member_number(_with_writer(_with_postal_contact(
                slots["complaint_description"], slots["contact"]), tracker.get_slot("member_writer")),
                slots.get("member_identifier")),
            contested_decision=mask_own_member_number(slots.get("contested_decision"),
                                                      slots.get("member_identifier")),
            first_complaint_date=date.fromisoformat(first_date) if first_date else None,
            answer_received=bool(slots.get("answer_received")),
            court_action=bool(slots.get("court_action")),
            identifier_withheld=tracker.get_slot("identifier_kind") == "none",
        )
        try:
            recorded = await asyncio.to_thread(
                services.store().record_complaint, draft, idempotency_key(tracker.sender_id, slots, sent_on)
            )
        except (StoreUnavailable, RecordingFailed):
            logger.exception("Recording a complaint failed (organisation=%s)", org.key)
            dispatcher.utter_message(
                text=message_fr("complaint.recording_failed", organisation=org.name, contact=org.phone_fr),
                buttons=[{"title": "Réessayer", "payload": "/affirm"}],
            )
            return [SlotSet("recap_confirmed", None), SlotSet("complaint_outcome", "failed")]

        if recorded.newly_recorded:
            services.wake_delivery()  # forwarded in the background: the member's answer never waits on it

        channel = tracker.get_latest_input_channel() or "rest"
        dispatcher.utter_message(
            text=message_fr(
                "complaint.recorded", reference=recorded.reference, sent_on=format_date_fr(recorded.sent_on),
                deadlines=deadlines.explain_fr(org.name), attachments=org.attachments_fr,
                written_trace=written_trace_fr(recorded.email_masked, channel),
            )
        )
        if channel == "socketio":
            # On the website, the recap as a printable page (« Enregistrer en PDF »), carried in the link itself.
            await _receipt_link(dispatcher, recorded.reference)
        events: List[EventType] = [SlotSet(slot, None) for slot in PERSONAL_SLOTS]
        events += [
            SlotSet("complaint_reference", recorded.reference),
            SlotSet("recap_confirmed", None),
            SlotSet("recap_mode", None),
            SlotSet("privacy_accepted", None),
            SlotSet("validation_failures", None),
            SlotSet("help_offered_for", None),
            SlotSet("opening_facts_read", None),
            SlotSet("identifier_kind", None),  # « none » said for this complaint is not assumed for the next
            SlotSet("complaint_outcome", "recorded"),
        ]
        if human_contact.asks_callback(tracker.latest_message.get("text") or "") or tracker.get_slot("callback_wanted"):
            # « je confirme, et rappelez-moi demain matin », or a call-back asked for beside an earlier answer: the
            # call-back is asked for at once, with the number
            events += [SlotSet("callback_wanted", None), FollowupAction("callback_form")]
        return events


def _with_writer(description: str, writer: str | None) -> str:
    """Who wrote for the member (« sa fille, Hélène Dubreuil »), said in the record the handler reads."""
    return f"{description}\n{message_fr('recap.writer', writer=writer)}" if writer else description


def _with_postal_contact(description: str, contact: str | None) -> str:
    """The answer by post the member asked for (no e-mail, no phone), said in the record the handler reads."""
    if contact != message_fr("complaint_form.postal_contact"):
        return description
    return f"{description}\n{message_fr('recap.postal_contact_note')}"


def written_trace_fr(email_masked: str | None, channel: str) -> str:
    """The dated written trace the member keeps (rules.md §10): the e-mail receipt, else how to keep a copy."""
    if email_masked and get_settings().smtp_url:
        key = "complaint.written_trace.email_and_pdf" if channel == "socketio" else "complaint.written_trace.email"
        return message_fr(key, email=email_masked)
    if channel == "socketio":
        return message_fr("complaint.written_trace.pdf")
    if channel == "whatsapp":
        return message_fr("complaint.written_trace.whatsapp")
    return message_fr("complaint.written_trace.other_channels")


async def _receipt_link(dispatcher: CollectingDispatcher, reference: str) -> None:
    try:
        recorded = await asyncio.to_thread(services.store().get_complaint, reference)
    except StoreUnavailable:
        logger.exception("The recap of a recorded complaint could not be read for its PDF link")
        return
    if recorded is not None:
        dispatcher.utter_message(json_message={"data": receipt_download_message(recorded, services.organisation())})


class CancelComplaint(Action):
    def name(self) -> Text:
        return "action_cancel_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        await _forget_identifiers(tracker.sender_id)
        dispatcher.utter_message(response="utter_complaint_cancelled")
        return [ActiveLoop(None), SlotSet("requested_slot", None)] + [SlotSet(slot, None) for slot in FORM_SLOTS]


async def _forget_identifiers(sender_id: str) -> None:
    try:
        await asyncio.to_thread(services.store().clear_identifiers, services.conversation_key(sender_id))
    except StoreUnavailable:
        logger.exception("Could not clear the identifier vault of a conversation")
