"""Forms that take every fact a message carries, and say what they understood (issue 11).

A mixin for the forms' validation actions: before the form's own validation, the facts of the member's message
(``recours.facts``) fill the form's empty slots — the NIR and the e-mail typed with the name, the date of the
written complaint in the opening message — and are then validated by the same ``validate_*`` methods as typed
answers (so a NIR is encrypted and masked exactly as when it is asked for). The member is told, in one sentence,
what was noted besides the answer to the question, so nothing is asked twice and nothing is taken silently.
"""

from __future__ import annotations

import re

from datetime import date
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.side_answers import answer_side_question
from actions.validation import latest_intent
from recours import answers, facts, remarks, story
from recours.patterns import patterns
from recours.text import fold
from recours.reading import ANSWER_INTENTS, side_answer
from recours.side_questions import SideQuestion, split_side_question
from recours.calendar import format_date_fr
from recours.callback_times import moment_typed, read_callback_time
from recours.messages import message_fr
from recours.settings import now, today

# Facts already in their validated form when read (bools, ISO dates).
# « non c'est la première fois » alone: the first time of what the question asks, not of a written complaint.
_FIRST_TIME_ONLY = re.compile(r"^\W*(?:(?:non|nn|nan|ah non|non non)\W+)*(?:c est|c|ce serait|ca serait) (?:la|ma) "
                              r"premiere fois\W*$")
HISTORY_FACTS = ("written_complaint_sent", "first_complaint_date", "answer_received", "court_action", "answer_satisfied",
                 "other_mediator", "carrier_type",
                 "member_writer")
# The yes that starts « oui. Sophie Garnier », « J'accepte, je m'appelle Jeanne Petit ».
_YES_LEAD = re.compile(r"^\W*(?:(?:bon|bah|ben|alors|oui|ouais|ok|okay|d'accord|daccord|j'accepte|jaccepte|j accepte|bien s[uû]r|volontiers|"
                       r"entendu|parfait|je continue|allons-y|j'accepte|jaccepte|j accepte|j'acceptes?|accepte)(?:[\s,.;:!]+|$))+",
                       re.I)
# Words of consent, never a name (« oui j accepte » recorded the name « J Accepte », members' round 22).
_CONSENT_WORDS = re.compile(r"\b(?:j ?accept\w*|accept\w*|d ?accord|ok|oui|continu\w*|allez y|vas y)\b")
# Questions whose answer may come as another question's answer instead (then kept, and the question asked again).
ELSEWHERE_SLOTS = ("member_name", "member_identifier", "contact", "contract_holder", "complaint_nature",
                   "written_complaint_sent", "answer_received", "court_action", "first_complaint_date")
# Short answers beside which a fact may be typed, for the record: the answer's kind (recours.remarks).
REMARK_SLOTS = {"contact": "contact", "written_complaint_sent": "yes_no", "answer_received": "yes_no",
                "court_action": "yes_no", "contested_decision_answer": "yes_no"}
# Where a message can carry the complaint's history (the opening statement, a description, a decision).
HISTORY_SLOTS = ("complaint_description", "contested_decision_answer", "written_complaint_sent", "complaint_nature",
                 # the mediation questions: « non aucun autre médiateur, pas de tribunal » answers three (members'
                 # round 22: each asked again)
                 "answer_satisfied", "court_action", "other_mediator", "first_complaint_date", "answer_received",
                 # « le contrat. c'est le contrat collectif de ma boite, assuré par une institution de prévoyance »
                 # at the dispute's question (members' round 24, m24-F-03: the carrier asked next)
                 "dispute_subject", "carrier_type")


def facts_values(found: facts.Facts, may_collect_nir: bool, *, identity: bool, history: bool) -> Dict[str, Any]:
    """Slot values (still to be validated) for what ``found`` says."""
    values: Dict[str, Any] = {}
    if identity:
        if found.nir and may_collect_nir:
            values["member_identifier"] = found.nir
        elif found.member_number:
            values["member_identifier"] = found.member_number
            values["identifier_kind"] = "member_number"
        if found.email or found.phone:
            values["contact"] = " ".join(v for v in (found.email, found.phone) if v)
        if found.name:
            values["member_name"] = found.name
        if found.writer_fr:
            values["member_writer"] = found.writer_fr  # a relative writing for the member (members' round 18)
        if found.contract_holder:
            values["contract_holder"] = found.contract_holder
    if history:
        if found.written_complaint_sent is not None:
            values["written_complaint_sent"] = found.written_complaint_sent
            if found.written_complaint_sent is False:
                values["answer_received"] = False
        sent_on = found.first_complaint_date
        if sent_on is not None and not sent_on.approximate:
            values["first_complaint_date"] = sent_on.value.isoformat()
        if found.answer_received is not None and found.written_complaint_sent:
            values["answer_received"] = found.answer_received
        if found.court_action is not None:
            values["court_action"] = found.court_action
        if found.answer_satisfied is not None:
            values["answer_satisfied"] = found.answer_satisfied
        if found.other_mediator is not None:
            values["other_mediator"] = found.other_mediator
        if found.carrier_type is not None:
            values["carrier_type"] = found.carrier_type
        if found.contested_decision:
            values["contested_decision_answer"] = found.contested_decision
    return values


def noted_sentence(slots: Dict[str, Any], opening: bool = False, recap: bool = True) -> Optional[str]:
    """« J'ai aussi noté : … » for the facts taken from the message, identifiers masked."""
    parts: List[str] = []
    name_key = "facts_noted.name_for" if slots.get("member_writer") else "facts_noted.name"
    if slots.get("member_writer") and not slots.get("member_name"):
        parts.append(message_fr("facts_noted.writer", writer=slots["member_writer"]))  # the writer's own name
    for slot, key in (("member_name", name_key), ("member_identifier", "facts_noted.identifier"),
                      ("contact", "facts_noted.contact"), ("contract_holder", "facts_noted.contract_holder")):
        if slots.get(slot):
            extra = {"writer": slots["member_writer"]} if key == "facts_noted.name_for" else {}
            parts.append(message_fr(key, value=slots[slot], **extra))
    if slots.get("written_complaint_sent") is True:
        sent = [message_fr("facts_noted.written_sent")]
        if slots.get("first_complaint_date"):
            sent = [message_fr("facts_noted.written_sent_on",
                               date=format_date_fr(date.fromisoformat(slots["first_complaint_date"])))]
        if slots.get("answer_received") is False:
            sent.append(message_fr("facts_noted.no_answer"))
        elif slots.get("answer_received") is True and slots.get("answer_satisfied") is False:
            sent.append(message_fr("facts_noted.answered_unsatisfied"))
        elif slots.get("answer_received") is True:
            sent.append(message_fr("facts_noted.answered"))
        parts.append(", ".join(sent))
    elif slots.get("written_complaint_sent") is False:
        parts.append(message_fr("facts_noted.not_written"))
    if slots.get("court_action") is True:
        parts.append(message_fr("facts_noted.court_action"))
    elif slots.get("court_action") is False and "court_action" in slots:
        parts.append(message_fr("facts_noted.no_court_action"))
    if slots.get("other_mediator") is False and "other_mediator" in slots:
        parts.append(message_fr("facts_noted.no_other_mediator"))
    if slots.get("contested_decision_answer") and slots.get("contested_decision_answer") != "aucune":
        parts.append(message_fr("facts_noted.contested_decision", value=slots["contested_decision_answer"]))
    if not parts:
        return None
    noted = " ; ".join(parts)
    if not recap:  # the mediation check has no recap: the member says so at once when something is wrong
        return message_fr("facts_noted.noted_from_opening_no_recap" if opening else "facts_noted.noted_no_recap",
                          facts=noted)
    return message_fr("facts_noted.noted_from_opening" if opening else "facts_noted.noted", facts=noted)


def _drop_candidate(tracker: Tracker, slot: Optional[str]) -> None:
    """Take the value Rasa extracted for ``slot`` from this turn's slot candidates, so that its validator does not
    judge a message that answered another question (the action then returns the slot empty)."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "slot":
            break
        count += 1
    if count:
        head, tail = tracker.events[:-count], tracker.events[-count:]
        tracker.events[:] = head + [e for e in tail if e.get("name") != slot]
    tracker.slots[slot] = None


_CF = patterns("complaint_form")


def notice_read_before(tracker: Tracker) -> bool:
    """The privacy notice was shown earlier in this conversation (a consent typed later refers to it)."""
    # the form asks through its own action, so the notice shows as the slot it sets (kept in the events when a
    # refusal resets the slot)
    return any(event.get("event") == "slot" and event.get("name") == "privacy_notice_shown" and event.get("value")
               for event in tracker.events)


# Where the grievance told beside the answer is added to the description (the others read their own remarks).
STORY_SLOTS = ("privacy_accepted", "member_name", "member_identifier", "contract_holder", "complaint_nature",
               "postal_code", "contact")
# The events after which the member's messages are another complaint's (or none's).
_NEW_COMPLAINT_ACTIONS = ("action_cancel_complaint", "action_restart", "action_session_start")


def member_messages(tracker: Tracker) -> List[str]:
    """The member's typed messages about the complaint being written: since the session started, the last
    complaint was recorded or a form was cancelled (buttons' payloads left out)."""
    messages: List[str] = []
    for event in tracker.events:
        kind = event.get("event")
        if kind in ("session_started", "restart") or \
                (kind == "action" and event.get("name") in _NEW_COMPLAINT_ACTIONS) or \
                (kind == "slot" and event.get("name") == "complaint_reference" and event.get("value")):
            messages = []
        elif kind == "user":
            text = event.get("text") or ""
            if text.strip() and not text.startswith("/"):
                messages.append(text)
    return messages


# What a « oui » to the written-complaint question may carry with it.
YES_HISTORY_SLOTS = ("first_complaint_date", "answer_received", "answer_satisfied")


class FactsReadingForm:
    """Mixin for a ``FormValidationAction`` (put it first in the bases): only the form's required slots are
    filled."""

    def _message_facts(self, tracker: Tracker, required: List[Text]) -> Dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        typed = bool(text) and not text.startswith("/")
        requested = tracker.get_slot("requested_slot")
        org = services.organisation()
        values: Dict[str, Any] = {}
        if requested is None and not tracker.get_slot("opening_facts_read"):
            # First turn of the form: what the opening statement already said (the message that started the
            # form, or the description kept by the qualification when that message was a button or a « oui »).
            stored = tracker.get_slot("complaint_description") or ""
            opening = text if typed and len(text.split()) >= 6 else stored
            if stored and opening != stored and stored not in opening:
                opening = f"{stored}\n{opening}"  # « j'ai déjà écrit deux fois » said before « je veux le médiateur »
            if opening:
                found = facts.extract_facts(opening, today())
                values.update(facts_values(found, org.may_collect_nir, identity=False, history=True))
                if found.name:
                    values["member_name"] = found.name  # a pasted letter's signature
                if found.writer_fr:
                    values["member_writer"] = found.writer_fr  # « je suis …, la fille de M. … » (members' round 18)
                if typed and "privacy_accepted" in required and _CF.accepts.search(fold(text)) and \
                        notice_read_before(tracker):
                    # « Finalement je veux bien faire la réclamation… J'accepte, avec mon numéro d'adhérent 5530917 »
                    # after the notice was shown and refused (members' round 16): the consent is this message's, and
                    # the identifiers typed with it are taken
                    values["privacy_accepted"] = True
                    values.update(facts_values(facts.extract_facts(text, today(), history=False),
                                               org.may_collect_nir, identity=True, history=False))
            values["opening_facts_read"] = True
        elif requested == "privacy_accepted" and answers.parse_yes_no(text, latest_intent(tracker)) is True:
            # Consent given: the name, number and contact already typed in the opening message are taken now
            # (not before: nothing is collected until the member has read the notice and accepted).
            opening = tracker.get_slot("complaint_description") or ""
            # every message typed before the consent (members' round 22, m22-A-04: « Bonjour, Nathalie Girard,
            # adherente n° 5520731, tel 06 …, mail … » typed alone before the grievance, then each asked again);
            # the latest first, so that a number corrected later wins
            earlier = [m for m in member_messages(tracker)[:-1] if m != opening]
            for said in [opening, *reversed(earlier)]:
                if not said:
                    continue
                found = facts.extract_facts(said, today(), history=False)
                for slot, value in facts_values(found, org.may_collect_nir, identity=True, history=False).items():
                    values.setdefault(slot, value)
            if typed:
                # « oui. Sophie Garnier », « j'accepte, je m'appelle … et mon mail … »: what follows the yes
                rest = _YES_LEAD.sub("", text, count=1)
                asked = split_side_question(rest)
                if asked is not None:
                    rest = asked.answer  # « ok jaccepte, c long ? »: a question, not a name
                # the history too: « J'accepte. Je précise que je vous avais déjà écrit une lettre au début d'octobre,
                # et que l'on m'a répondu vers le 5 novembre… » (members' round 14: both asked again later)
                found = facts.extract_facts(rest, today(), history=True)
                values.update(facts_values(found, org.may_collect_nir, identity=True, history=True))
                bare = facts.remove_identifiers(rest) if rest and rest != text else ""
                name = (facts.clean_name(bare) or facts.leading_name(bare) or facts.sentence_name(bare)) if bare else None
                if name and not _CONSENT_WORDS.search(fold(name).replace("'", " ")):
                    values["member_name"] = name
        elif typed and requested is None and tracker.get_slot("opening_facts_read"):
            # The form resumed (« non je continue, mon tel c'est 06… », « non je continue. pas d'action en justice »):
            # the facts that came with the answer are kept.
            found = facts.extract_facts(text, today())
            values.update(facts_values(found, org.may_collect_nir, identity=tracker.get_slot("privacy_accepted") is True,
                                       history=True))
        elif typed and requested:
            # the history told with the story at another question (« … J'ai écrit une lettre le 14 octobre, je n'ai
            # jamais reçu de réponse » with the name) is the history's (members' round 20: asked again)
            history = requested in HISTORY_SLOTS or (requested in STORY_SLOTS and story.tells_story(text))
            found = facts.extract_facts(text, today(), history=history)
            if requested == "contested_decision_answer" and not facts.sent_by_the_member(text):
                # « la lettre recommandée du 15 novembre » answers which decision: the organisation's letter, not the
                # member's written complaint (a real conversation after round 13: recorded as a « relance »)
                found.written_complaint_sent = found.first_complaint_date = found.answer_received = None
            values.update(facts_values(found, org.may_collect_nir, identity=True, history=history))
            if requested == "written_complaint_sent" and found.answer_received is None and \
                    answers.parse_yes_no(text, latest_intent(tracker)) is True:
                # « oui un mail le 9 novembre, pas de réponse », « OUI. le 10 octobre. réponse le 2 novembre. pas
                # satisfaite. »: the yes is the written complaint, so its date, its answer and the member's view of
                # it are read too (round 15: each asked again)
                after = facts_values(facts.history_after_yes(text, today()), org.may_collect_nir, identity=False,
                                     history=True)
                values.update({slot: value for slot, value in after.items() if slot in YES_HISTORY_SLOTS and
                               values.get(slot) is None})
            if requested in ELSEWHERE_SLOTS and facts.individual_holder_answer(text):
                values["contract_holder"] = "Contrat individuel"  # typed before its question
            values.pop(requested, None)  # the answer itself is the requested slot's, validated as such
        allowed = self.facts_allowed(required) | {"identifier_kind", "opening_facts_read", "member_writer"}
        taken = {
            slot: value
            for slot, value in values.items()
            if slot in allowed and (tracker.get_slot(slot) is None or slot == "identifier_kind")
        }
        if typed and requested not in (None, "written_complaint_sent", "first_complaint_date", "answer_received") \
                and tracker.get_slot("written_complaint_sent") is True and facts.says_not_written(text) \
                and "written_complaint_sent" in allowed and not (
                    requested in ("other_mediator", "court_action", "answer_satisfied", "dispute_subject")
                    and _FIRST_TIME_ONLY.match(fold(text).replace("'", " "))):
            # (« Non c'est la première fois » at « Un autre médiateur a-t-il déjà examiné ce litige ? » is about the
            # mediator: members' round 24, m24-H-05, the written complaint of 1 October wiped out)
            # « J'accepte. Mais je n'ai encore jamais écrit de réclamation, je ne sais pas pourquoi vous avez noté
            # cela » (members' round 12): a fact noted from the opening, corrected with another answer
            taken.update({"written_complaint_sent": False, "first_complaint_date": None, "answer_received": False})
        held = tracker.get_slot("contract_holder")
        if typed and requested not in (None, "contract_holder") and held and values.get("contract_holder") and \
                values["contract_holder"] != held and "contract_holder" in allowed and \
                _CF.holder_corrected.search(fold(text).replace("'", " ")):
            # « c'est pas "Et au fait le contrat" le souscripteur lol, c'est mon employeur, la société Batifer. Pour
            # le motif … » (members' round 17): the holder noted earlier, corrected beside another answer
            taken["contract_holder"] = values["contract_holder"]
        writer = tracker.get_slot("member_writer")
        if typed and writer and "," not in writer and "member_writer" not in taken:
            # « Moi c'est Nadia Ferhat, vous pouvez me joindre au … » once « j'écris pour ma mère, Yvette Morel » is
            # noted (members' round 19: the writer's own name was lost for the whole conversation)
            named = facts.writer_named(text, tracker.get_slot("member_name") or taken.get("member_name"))
            if named:
                taken["member_writer"] = f"{writer}, {named}"
        return taken

    def _opening_story(self, tracker: Tracker) -> List[EventType]:
        """The description, when the complaint form opens: the grievance as the member told it in all their
        messages (members' round 20: the question asked at the notice, « Alors oui, j'accepte » or the CPAM's matter
        had been recorded, the story typed after a question dropped). What was kept stays when nothing tells more."""
        if self.name() != "validate_complaint_form" or tracker.get_slot("requested_slot") is not None or \
                tracker.get_slot("opening_facts_read"):  # type: ignore[attr-defined]
            return []
        composed = story.compose(member_messages(tracker))
        stored = tracker.get_slot("complaint_description")
        if not composed or composed == stored:
            return []
        event = SlotSet("complaint_description", composed)
        tracker.add_slots([event])  # the opening's facts are read from it
        return [event]

    def _story_beside_answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, events: List[EventType],
                             side: Optional[SideQuestion]) -> List[EventType]:
        """« Je suis Madame Odette Lambert-Vasseur. … Voici ce qui s'est passé : deux appareils auditifs … 2 980
        euros … vous ne m'avez remboursé que 400 euros … » at the name question (members' round 20: only the name was
        kept): the grievance told beside another answer goes into the description, and the member is told."""
        requested = tracker.get_slot("requested_slot")
        text = tracker.latest_message.get("text") or ""
        if self.name() != "validate_complaint_form" or requested not in STORY_SLOTS or not text or \
                text.startswith("/"):  # type: ignore[attr-defined]
            return []
        said = facts.remove_identifiers(side.answer if side is not None else text)
        if not story.tells_story(said):
            return []
        told = story.story_in(said)
        stored = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}.get(
            "complaint_description", tracker.get_slot("complaint_description")) or ""
        if not told or told in stored:
            return []
        if stored and story.tells_story(stored):
            described = f"{stored}\n{message_fr('recap.precision', text=told)}"
        else:
            described = f"{stored}\n{told}" if stored else told
        dispatcher.utter_message(text=message_fr("facts_noted.story_added"))
        return [SlotSet("complaint_description", described)]

    def _fact_beside_answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, events: List[EventType],
                            side: Optional[SideQuestion]) -> List[EventType]:
        """« nn. jveux juste qu'on me rende les 38,90 en trop »: the fact typed beside a short answer is added to
        the description (complaint form, once a description exists), and the member is told; nothing is lost."""
        requested = tracker.get_slot("requested_slot")
        kind = REMARK_SLOTS.get(requested or "")
        stored = tracker.get_slot("complaint_description")
        if kind is None or not stored or self.name() != "validate_complaint_form":  # type: ignore
            return []
        accepted_all = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        accepted = accepted_all.get(requested)
        # beside a side question or wish, the answer's part only (« aucune decision, ils font comme si javais rien
        # envoye. jvoudrais parler a un conseiller »: the fact kept, the wish answered, not recorded)
        text = side.answer if side is not None else tracker.latest_message.get("text") or ""
        if requested == "contested_decision_answer" and accepted != "aucune":
            return []  # a decision typed is the answer itself
        if requested == "contact" and accepted == message_fr("complaint_form.postal_contact"):
            return []  # the answer by post: said as such in the record, the street typed is not kept
        fact = remarks.fact_beside_answer(kind, text) if accepted not in (None, "") and not text.startswith("/") else None
        taken = {e["name"] for e in events if e.get("event") == "slot" and e.get("value") is not None}
        if fact is not None and taken & set(YES_HISTORY_SLOTS) and len(fact.split()) <= 8:
            return []  # « oui le 15 octobre, pas de réponse »: the date and the answer, noted as such (a real
            # conversation after round 16: also added as « Précision : 15 octobre, pas de réponse »)
        if fact is None or fact in stored or facts.holder_in(fact):
            return []  # « …, et c'est un contrat de mon employeur, la clinique … »: the holder, noted as such (round 15)
        if "complaint_description" in accepted_all:
            return []  # the validator put it in the description already
        if kind != "contact" and not (story.story_in(fact, insurer=True) or re.search(r"\d", fact)
                                      or len(fact.split()) >= 12):
            # « je veux juste être remboursée », « yen a pas de decision justement personne me repond » (members'
            # rounds 21, 22: « Précision : … » was noise to the handler): a date, an amount, an event is kept
            return []
        if kind == "contact" and remarks.about_reaching(fact):
            # « 06 00 00 00 17, mais plutôt par SMS après 18h »: how to reach the member, for the handler (round 14:
            # « APRES 18H SVP JE TRAVAILLE » was a « Précision » of the grievance)
            dispatcher.utter_message(text=message_fr("facts_noted.contact_note_added", fact=fact))
            return [SlotSet("complaint_description", f"{stored}\n{message_fr('recap.contact_note', text=fact)}")]
        dispatcher.utter_message(text=message_fr("facts_noted.added_to_description", fact=fact))
        return [SlotSet("complaint_description", f"{stored}\n{message_fr('recap.precision', text=fact)}")]

    @staticmethod
    def _answers_another_question(tracker: Tracker, taken: Dict[str, Any]) -> bool:
        """The whole message answers other questions of the form (identifiers, « contrat individuel »), not the
        one asked."""
        requested = tracker.get_slot("requested_slot")
        noted = set(taken) - {"identifier_kind", "opening_facts_read"}
        if requested not in ELSEWHERE_SLOTS or not noted:
            return False
        text = tracker.latest_message.get("text") or ""
        found = facts.extract_facts(text, today(), history=False)
        own = {"member_identifier": found.nir or found.member_number or found.nir_invalid,
               "contact": found.email or found.phone or found.contact_error,
               "member_name": found.name}.get(requested)
        if own:
            return False  # « 2 90 05 2A 004 312 57 et mon portable 06 … »: the answer is there too
        return facts.only_identifiers(text) or (noted == {"contract_holder"} and facts.individual_holder_answer(text))

    def facts_allowed(self, required: List[Text]) -> set:
        """The slots the message's facts may fill: the form's required slots."""
        return set(required)

    async def changed_contact(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """Events for a contact the member says has changed, typed with another answer (complaint form only)."""
        return []

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        """rasa-sdk's ``FormValidationAction.run`` with the message's facts added to the extracted slots (no state
        is kept on ``self``: one action instance serves every conversation at once)."""
        opening = tracker.get_slot("requested_slot") is None
        extraction_events = await self.get_extraction_events(dispatcher, tracker, domain)  # type: ignore[attr-defined]
        extraction_events += self._opening_story(tracker)
        required = await self.required_slots(  # type: ignore[attr-defined]
            self.domain_slots(domain), dispatcher, tracker, domain  # type: ignore[attr-defined]
        )
        taken = self._message_facts(tracker, required)
        extraction_events += [SlotSet(slot, value) for slot, value in taken.items()]
        elsewhere = self._answers_another_question(tracker, taken)
        if elsewhere:
            # « martine@example.org » at the NIR question, « contrat individuel » at the contact question: the
            # message is another question's answer, kept; the pending question is asked again, without an error
            _drop_candidate(tracker, tracker.get_slot("requested_slot"))
            extraction_events = [e for e in extraction_events if e.get("name") != tracker.get_slot("requested_slot")]
        side = self._side_question(tracker)
        requested = tracker.get_slot("requested_slot")
        if side is not None and requested != "complaint_description" and \
                tracker.get_slot(requested) == tracker.latest_message.get("text"):
            # the answer without the question is validated (the description keeps the whole message)
            extraction_events.append(SlotSet(requested, side.answer))
        tracker.add_slots(extraction_events)
        events = await self._extract_validation_events(dispatcher, tracker, domain)  # type: ignore[attr-defined]
        if elsewhere:
            events.append(SlotSet(tracker.get_slot("requested_slot"), None))
        returned = {e["name"] for e in events if e.get("event") == "slot"}
        for slot in HISTORY_FACTS:
            # a fact that made its question unnecessary is no longer "required", so rasa-sdk does not return it;
            # history facts are already in their validated form (bools, ISO dates), identities never are
            if slot in taken and slot not in returned:
                events.insert(0, SlotSet(slot, taken[slot]))
        noted = set(taken) - {"identifier_kind", "opening_facts_read"}
        if noted:
            validated = {e["name"]: e["value"] for e in events if e.get("event") == "slot" and e["name"] in noted}
            sentence = noted_sentence({k: v for k, v in validated.items() if v is not None}, opening,
                                      recap=self.name() == "validate_complaint_form")  # type: ignore[attr-defined]
            if sentence:
                dispatcher.utter_message(text=sentence)
        told = self._story_beside_answer(dispatcher, tracker, events, side)
        events += told or self._fact_beside_answer(dispatcher, tracker, events, side)
        events += await self.changed_contact(dispatcher, tracker)
        confirmed = any(e.get("event") == "slot" and e.get("name") == "recap_confirmed" and e.get("value") is True
                        for e in events)
        if side is not None and not (side.kind == "documents" and confirmed):
            # (documents asked with the confirmation: the recording's message says where, with the reference — round 15)
            remaining = sum(1 for slot in required if tracker.get_slot(slot) is None)
            answer_side_question(side, dispatcher, tracker, remaining)
            if side.kind == "callback" and self.name() == "validate_complaint_form":  # type: ignore[attr-defined]
                events.append(SlotSet("callback_wanted", True))  # asked for right after the recording
                org = services.organisation()
                moment = moment_typed(side.question)  # without the phone number: never in the tracker in clear
                if read_callback_time(moment, org.opening_hours, now()) is not None:
                    events.append(SlotSet("callback_moment", moment))  # « …, demain entre 12h et 13h »
        if "opening_facts_read" in taken:
            events.append(SlotSet("opening_facts_read", True))
        return events

    @staticmethod
    def _side_question(tracker: Tracker) -> Optional[SideQuestion]:
        """The question asked with the answer to the pending question (« Paul Durand, ça prend combien de
        temps ? »), when the message was read as that answer; an interruption alone has its own rule."""
        text = tracker.latest_message.get("text") or ""
        if latest_intent(tracker) not in ANSWER_INTENTS:
            return None
        side = side_answer(tracker.get_slot("requested_slot"), text)
        if side is not None and tracker.get_slot("requested_slot") == "privacy_accepted" and \
                answers.parse_yes_no(side.answer) is False:
            return None  # the notice refused: the form ends, what follows is read as a request of its own
        return side
