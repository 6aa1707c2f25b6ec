"""Assurance Maladie path (rules.md §6): complaint, médiateur, and the CRA/CMRA appeal with its last date."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.form_facts import member_messages
from actions.validation import RecoursFormValidation, latest_intent
from recours import cpam, escalation
from recours.dates import DateError, parse_french_date
from recours.calendar import format_date_fr
from recours.messages import message_fr
from recours.settings import today
from recours.text import fold
from recours.patterns import patterns

_P = patterns("cpam")


class CpamGuidance(Action):
    """A complaint about the Assurance Maladie: it is the CPAM's, not the insurer's; here is the path."""

    def name(self) -> Text:
        return "action_cpam_guidance"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        dispatcher.utter_message(text=message_fr("cpam_guidance.not_here", channels=cpam.complaint_channels_fr()))
        dispatcher.utter_message(text=cpam.mediator_fr())
        dispatcher.utter_message(response="utter_offer_cpam_appeal")
        return [SlotSet("mediator", "cpam_mediateur")]


class ValidateCpamAppealForm(RecoursFormValidation):
    def name(self) -> Text:
        return "validate_cpam_appeal_form"

    # The message that started the form may already say what the form asks (« la CPAM m'a notifié le 15/10/2026
    # un refus de mon arrêt », or a bare date typed after « Je peux calculer la date limite… »): read once, at
    # activation (no question asked yet), then validated as a typed answer.

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        if (tracker.get_slot("approximate_date") or {}).get("cpam_notification_date") == "never":
            return [s for s in domain_slots if s != "cpam_notification_date"]
        return list(domain_slots)

    def _opening_text(self, tracker: Tracker) -> str:
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("requested_slot") is not None or text.startswith("/"):
            return ""
        return text

    async def extract_cpam_notification_date(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = self._opening_text(tracker)
        if not text or tracker.get_slot("cpam_notification_date"):
            return {}
        try:
            parsed = parse_french_date(text, today())
        except DateError:
            parsed = None
        if parsed is not None and not parsed.approximate:
            return {"cpam_notification_date": parsed.value.isoformat()}
        # the letter's date told before the form (« … courrier reçu le 24/11 », then « oui je veux contester le
        # médecin conseil »: members' round 20, asked again)
        told = cpam.notification_date_told(member_messages(tracker), today())
        return {"cpam_notification_date": told.isoformat()} if told else {}

    async def extract_cpam_decision_medical(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        folded = fold(self._opening_text(tracker))
        said = cpam.decision_kind_said(folded)
        if said is not None:
            # « mais c pas medical c administratif », « non c pas la cmra !! » after the deadline was given: the
            # member's word replaces the kind read before, and the deadline is given again
            return {"cpam_decision_medical": said}
        if not folded or tracker.get_slot("cpam_decision_medical") is not None:
            return {}
        if re.search(r"\b(medecin conseil|medecin-conseil|invalidite|inaptitude|taux d incapacite|expertise|"
                     r"consolidation)\b", folded.replace("'", " ")):
            return {"cpam_decision_medical": True}
        return {}

    def validate_cpam_decision_medical(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if isinstance(value, bool):
            return {"cpam_decision_medical": value}
        folded = fold(str(value or ""), hyphens=" ")
        if "?" in str(value or "") and re.search(r"\bmedic\w*\s+ou\s+administrati|\badministrati\w*\s+ou\s+medic", folded):
            # « c'est médical ou administratif ça ? » (members' round 24, m24-F-02: read as « administratif », or
            # « je ne peux pas répondre ici »): what tells them apart, and the question again
            dispatcher.utter_message(text=message_fr("cpam_guidance.medical_or_administrative"))
            return {"cpam_decision_medical": None}
        if _P.not_medical.search(folded) or (_P.administrative.search(folded) and "administrati" in folded):
            return self._ok(tracker, "cpam_decision_medical", {"cpam_decision_medical": False})
        if _P.medical.search(folded):
            return self._ok(tracker, "cpam_decision_medical", {"cpam_decision_medical": True})
        if _P.administrative.search(folded):
            return self._ok(tracker, "cpam_decision_medical", {"cpam_decision_medical": False})
        if latest_intent(tracker) == "dont_know" or "sais pas" in folded:
            dispatcher.utter_message(text=message_fr("cpam_guidance.medical_or_administrative"))
            return {"cpam_decision_medical": None}
        return self._fail("cpam_decision_medical", message_fr("cpam_guidance.medical_or_administrative_not_understood"),
                          dispatcher, tracker)

    def validate_cpam_notification_date(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = str(value or "")
        dates = cpam.letter_dates(text, today()) if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()) else None
        if dates is not None and dates.received and dates.printed and dates.received != dates.printed:
            # « Le courrier est daté du 16 novembre mais je l'ai reçu le 19. C'est quelle date qui compte ? » (a
            # conversation of the session: the printed date taken): the receipt is the notification
            medical = bool(tracker.get_slot("cpam_decision_medical"))
            dispatcher.utter_message(text=message_fr(
                "cpam.receipt_taken", received=format_date_fr(dates.received),
                safe=format_date_fr(cpam.appeal_deadline(dates.printed, medical))))
            return self._ok(tracker, "cpam_notification_date", {"cpam_notification_date": dates.received.isoformat()})
        return self._legal_date("cpam_notification_date", value, dispatcher, tracker)


class CpamAppealDeadline(Action):
    def name(self) -> Text:
        return "action_cpam_appeal_deadline"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        value = tracker.get_slot("cpam_notification_date")
        notified = date.fromisoformat(value) if value else None  # None: the member could not find it
        medical = bool(tracker.get_slot("cpam_decision_medical"))
        dispatcher.utter_message(text=cpam.appeal_fr(notified, medical, today()))
        dispatcher.utter_message(text=cpam.suspension_fr(notified, medical, today()))
        dispatcher.utter_message(text=cpam.mediator_fr())
        until = cpam.appeal_deadline(notified, medical) if notified else None
        kept = tracker.get_slot("cpam_appeals")
        if until is not None:
            kept = escalation.with_appeal(kept, escalation.Appeal(notified, medical, until))
            # the other decisions the member told with this one (« le 2 novembre un refus … et le 10 novembre un autre
            # courrier avec un montant faux … je veux contester les deux », members' round 23, m23-D-03: only the
            # first one's deadline given)
            for told in member_messages(tracker)[-3:]:
                if not cpam.tells_several_decisions(told):
                    continue
                others = cpam.more_appeal_deadlines(told, medical, today(), notified=[notified], deadlines=[until])
                kinds = {day: cpam.decision_kind_near(told, day, today(), medical) for day, _ in others}
                if others:
                    dispatcher.utter_message(text=cpam.more_appeal_deadlines_fr(others, today(), kinds))
                    for day, last in others:
                        kept = escalation.with_appeal(kept, escalation.Appeal(day, bool(kinds[day]), last))
                    break
        return [
            SlotSet("cpam_appeal_until", until.isoformat() if until else None),
            SlotSet("cpam_appeals", kept),
            SlotSet("concerned_body", "cpam"),
            SlotSet("mediator", "cpam_mediateur"),
        ]
