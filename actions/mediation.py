"""Mediation guidance (rules.md §5): the form asks only the facts the conclusion still needs."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import follow_ups as follow_up_actions, services
from actions.form_facts import FactsReadingForm, member_messages
from actions.side_answers import answer_side_question
from actions.validation import RecoursFormValidation, entity, iso_date, latest_intent
from recours.calendar import format_date_fr
from recours.facts import complaint_date_said, extract_facts, half_satisfied, says_unsatisfied
from recours import facts as facts_mod, letter_edits, story
from recours.names import name_for
from recours.nir import mask_nir
from recours.redaction import redact_text
from recours.closing import ends_with_goodbye
from recours.slot_answers import dont_know
from recours.side_questions import split_side_question
from recours.recap import mask_member_number
from recours.mediation import MediationAssessment, MediationFacts, assess_mediation, missing_facts, referral_letter_fr
from recours.mediators import DISPUTE_SUBJECTS, carrier_options, carrier_type_in, read_dispute_subject
from recours.messages import message_fr
from recours.settings import today
from recours.text import fold
from recours.store import StoreError

logger = logging.getLogger(__name__)
# recours.mediation's fact names -> the slots that hold them
FACT_SLOTS = {
    "written_complaint_sent": "written_complaint_sent",
    "first_complaint_date": "first_complaint_date",
    "answer_received": "answer_received",
    "satisfied": "answer_satisfied",
    "court_action": "court_action",
    "other_mediator": "other_mediator",
    "dispute_subject": "dispute_subject",
    "carrier_type": "carrier_type",
}


def _bool(value: Any) -> Optional[bool]:
    """A validated yes/no slot; raw text not validated yet (the form's first pass) counts as unknown."""
    return value if isinstance(value, bool) else None


def facts_from(tracker: Tracker, *, just_recorded: bool = False) -> MediationFacts:
    """The member's situation from the slots; after a recording, the recorded complaint is the written one."""
    answered = _bool(tracker.get_slot("answer_received"))
    carrier = tracker.get_slot("carrier_type")
    facts = MediationFacts(
        written_complaint_sent=_bool(tracker.get_slot("written_complaint_sent")),
        first_complaint_date=iso_date(tracker.get_slot("first_complaint_date")),
        answer_received=answered,
        satisfied=_bool(tracker.get_slot("answer_satisfied")),
        court_action=_bool(tracker.get_slot("court_action")),
        other_mediator=_bool(tracker.get_slot("other_mediator")),
        carrier_type=carrier if carrier in {option.key for option in carrier_options()} else None,
        dispute_subject=subject if (subject := tracker.get_slot("dispute_subject")) in DISPUTE_SUBJECTS else None,
    )
    if just_recorded:
        # The member has just complained in writing (today, unless an earlier written complaint exists), so
        # an earlier answer did not satisfy them; the guidance is given on the usual conditions.
        facts = MediationFacts(
            written_complaint_sent=True,
            first_complaint_date=facts.first_complaint_date or today(),
            answer_received=bool(answered),
            satisfied=False if answered else None,
            court_action=bool(facts.court_action),
            other_mediator=bool(facts.other_mediator),
            carrier_type=facts.carrier_type,
            dispute_subject=facts.dispute_subject,
        )
    return facts


# A favourable answer that was never carried out leaves the member unsatisfied.
NOT_CARRIED_OUT_RE = re.compile(
    r"\b(?:ne (?:font|fait|l ont|l a) (?:pas|jamais|rien)|n ont (?:pas|jamais|rien) (?:fait|verse|paye|rembourse|"
    r"applique|tenu)|rien (?:n a ete|n est) (?:verse|paye|fait|arrive|venu)|toujours (?:rien|pas) (?:recu|verse|paye)|"
    r"pas (?:tenu|respecte) (?:leur|leurs|sa|ses) (?:promesse|engagement)\w*|jamais (?:verse|paye|applique))\b"
)


async def with_recorded_answer(facts: MediationFacts, tracker: Tracker) -> MediationFacts:
    """Once the organisation recorded its answer to this conversation's complaint (the complaint desk, rules.md
    §11), the guidance counts from that answer; a member asking about mediation then is not satisfied with it."""
    reference = tracker.get_slot("complaint_reference")
    if not reference:
        return facts
    try:
        progress = await asyncio.to_thread(
            services.store().complaint_progress, reference, services.organisation().key
        )
    except StoreError as exc:  # the guidance without the answer date is still right about the dates it gives
        logger.error("Mediation guidance: the complaint store is unavailable (%s)", type(exc).__name__)
        return facts
    if progress is None or progress.answered_on is None:
        return facts
    return dataclasses.replace(facts, answer_received=True, answer_date=progress.answered_on, satisfied=False)


class ValidateMediationForm(FactsReadingForm, RecoursFormValidation):
    def name(self) -> Text:
        return "validate_mediation_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        missing = missing_facts(facts_from(tracker), services.organisation(), today())
        return [FACT_SLOTS[name] for name in missing]

    def facts_allowed(self, required: List[Text]) -> set:
        # the questions still to ask depend on the facts already known: any of them may come from the message
        return set(FACT_SLOTS.values())

    def validate_answer_satisfied(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if not isinstance(value, bool) and (NOT_CARRIED_OUT_RE.search(fold(str(value or ""), apostrophes=" ")) or
                                            says_unsatisfied(str(value or "")) or half_satisfied(str(value or ""))):
            # « la réponse oui, mais ils ne font pas ce qu'ils ont promis : rien n'a été versé », « Elle est polie et
            # claire, mais non, je ne suis pas d'accord avec le fond » (round 15): the dispute remains
            return self._ok(tracker, "answer_satisfied", {"answer_satisfied": False})
        return self._yes_no("answer_satisfied", value, dispatcher, tracker)

    def validate_other_mediator(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._yes_no("other_mediator", value, dispatcher, tracker)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        restated: List[EventType] = []
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("requested_slot") is None and text and not text.startswith("/") and \
                says_unsatisfied(text) and tracker.get_slot("answer_satisfied") is not False and not (
                    not tracker.get_slot("opening_facts_read") and
                    extract_facts(text, today()).written_complaint_sent is True):
            # (an opening that tells the letter itself, « J'ai écrit à CPMS le 10 août … ne me satisfait nullement »,
            # is read with its other facts by the form, and what was understood is said)
            # « La réponse du 18 novembre ne me satisfait pas, je veux le médiateur » after a « oui » taken as
            # satisfied: the member's words now stand over the earlier answer
            restated = [SlotSet("written_complaint_sent", True), SlotSet("answer_received", True),
                        SlotSet("answer_satisfied", False)]
            tracker.add_slots(restated)
        said_on = complaint_date_said(text, today()) if text and not text.startswith("/") else None
        known = tracker.get_slot("first_complaint_date")
        if said_on is not None and known and said_on.isoformat() != known:
            # « la lettre du 2 septembre c'était la résiliation, la réclamation c'est le mail du 15 octobre »
            corrected = [SlotSet("written_complaint_sent", True), SlotSet("first_complaint_date", said_on.isoformat())]
            tracker.add_slots(corrected)
            restated += corrected
            dispatcher.utter_message(text=message_fr("mediation.date_corrected", date=format_date_fr(said_on)))
        events = restated + await super().run(dispatcher, tracker, domain)
        # The opening message may already say the broker's own conduct is at stake (« CPMS a perdu mon dossier,
        # puis-je saisir le médiateur ? »): the question is then not asked. Only explicit words count here.
        text = tracker.latest_message.get("text") or ""
        if (
            tracker.get_slot("requested_slot") is None and text and not text.startswith("/")
            and not tracker.get_slot("dispute_subject") and services.organisation().mediator.own_conduct_mediator_fr
        ):
            if OWN_CONDUCT_OPENING_RE.search(fold(text, apostrophes=" ")):
                events.insert(0, SlotSet("dispute_subject", "broker"))
            elif read_dispute_subject(text, services.organisation().name) == "contract":
                # « je conteste un refus de remboursement… »: only the contract's words, so it is not asked
                events.insert(0, SlotSet("dispute_subject", "contract"))
        return events

    def validate_dispute_subject(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value in DISPUTE_SUBJECTS:
            return {"dispute_subject": value}
        text = str(value or "")
        subject = read_dispute_subject(text, services.organisation().name)
        if subject is None and (latest_intent(tracker) == "dont_know" or "sais pas" in fold(text)):
            subject = "contract"  # the carrier's mediator; the broker's own is told beside it
        carrier = carrier_type_in(fold(text)) if subject is None and not text.startswith("/") else None
        if carrier in {option.key for option in carrier_options()} and carrier != "autre":
            # « une société d'assurance » typed at this question (a conversation of the session: « Je n'ai pas
            # compris » three times): the insurer carrying the contract named, so the contract is at stake
            return self._ok(tracker, "dispute_subject", {"dispute_subject": "contract", "carrier_type": carrier})
        if subject is None:
            return self._fail(
                "dispute_subject",
                message_fr("mediation_guidance.dispute_subject_not_understood",
                           organisation=services.organisation().name),
                dispatcher, tracker,
            )
        return self._ok(tracker, "dispute_subject", {"dispute_subject": subject})

    def validate_carrier_type(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value in {option.key for option in carrier_options()}:
            return {"carrier_type": value}
        chosen = carrier_type_from(tracker, str(value or ""))
        if chosen is None:
            return self._fail("carrier_type", message_fr("mediation_guidance.carrier_type_not_recognised"), dispatcher,
                              tracker)
        return self._ok(tracker, "carrier_type", {"carrier_type": chosen})


# Explicit words for the broker's own conduct in an opening message (the question settles everything else).
OWN_CONDUCT_OPENING_RE = re.compile(r"\b(?:perdu|egare\w*|mal conseill\w*|mauvais conseils?|erreur\w* de gestion)\b")


def carrier_type_from(tracker: Tracker, text: str) -> Optional[str]:
    """The carrier type from a button (entity) or free text ("une mutuelle", "je ne sais pas")."""
    keys = {option.key for option in carrier_options()}
    chosen = entity(tracker, "carrier_type")
    folded = fold(text)
    if not text.startswith("/") and (latest_intent(tracker) == "dont_know" or _doubts(text, folded)):
        # « je ne sais pas. sur ma carte il y a marqué Mutuelle des Flandres » (members' round 14): the doubt wins
        # over the word « mutuelle », which names no type
        return "autre"
    if chosen in keys:
        return chosen
    for option in carrier_options():
        if fold(option.label_fr) == folded or option.key == folded:
            return option.key
    return carrier_type_in(folded)


def _doubts(text: str, folded: str) -> bool:
    """« je ne sais pas », « j'en sais rien », « pas sûre », « aucune idée »."""
    return dont_know(text) or bool(re.search(r"\b(?:sais rien|sais pas|aucune idee|pas sure?)\b", folded))


def carrier_correction(tracker: Tracker, text: str) -> Optional[str]:
    """The insurer's type the member gives or doubts after the guidance named a mediator (« Une autre mutuelle, ou je
    ne sais pas » typed, « je ne sais pas le type de ma mutuelle », « c'est le code des assurances »), when it differs
    from the one the guidance used; None otherwise (members' round 14: the orientation question instead)."""
    folded = fold(text)
    said = next((option.key for option in carrier_options() if fold(option.label_fr) == folded), None)
    if said is None and _doubts(text, folded) and \
            re.search(r"\b(?:mutuelle|assur\w*|organisme|type|institution|prevoyance)\b", folded):
        said = "autre"
    if said is None and re.search(r"\bcode (?:de la|des)\b|\binstitution de prevoyance\b|\bsociete d assurance\b",
                                  folded.replace("'", " ")):
        said = carrier_type_in(folded)
    return said if said is not None and said != tracker.get_slot("carrier_type") else None


def carrier_buttons() -> List[Dict[str, str]]:
    return [
        {"title": option.label_fr, "payload": f'/inform{{"carrier_type":"{option.key}"}}'}
        for option in carrier_options()
    ]


class AskCarrierType(Action):
    def name(self) -> Text:
        return "action_ask_carrier_type"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        dispatcher.utter_message(response="utter_carrier_type_question", buttons=carrier_buttons())
        return []


class MediationGuidance(Action):
    """The conclusion, for the mediation form or right after a complaint was recorded."""

    def name(self) -> Text:
        return "action_mediation_guidance"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        org = services.organisation()
        just_recorded = tracker.latest_action_name == "action_submit_complaint"
        carrier = tracker.get_slot("carrier_type")
        text = tracker.latest_message.get("text", "") or ""
        if text.startswith("/inform"):
            carrier = carrier_type_from(tracker, "") or carrier
        elif latest_intent(tracker) == "inform" and tracker.get_slot("mediation_status") == "carrier_unknown":
            # typed (« Une mutuelle », the button's label, « je sais pas »): never the same question again —
            # what is not recognised is answered as « je ne sais pas » (where to find the mediator's name)
            carrier = carrier_type_from(tracker, text) or "autre"
        elif latest_intent(tracker) == "inform" and carrier and not text.startswith("/"):
            # « Mais non, c'est une société d'assurance » after the guidance: the member's word replaces the type; a
            # doubt (« je ne sais pas, sur la carte c'est Mutuelle des Flandres ») is « autre » (members' round 14)
            said = carrier_type_from(tracker, text) if dont_know(text) else carrier_type_in(fold(text))
            if said is not None and said != carrier:
                carrier = said
        facts = facts_from(tracker, just_recorded=just_recorded or bool(tracker.get_slot("complaint_reference")))
        facts = MediationFacts(**{**facts.__dict__, "carrier_type": carrier})
        if not just_recorded:
            facts = await with_recorded_answer(facts, tracker)
        assessment = assess_mediation(facts, org, today(), services.department(tracker))
        choice = assessment.mediator_choice
        carrier_just_chosen = latest_intent(tracker) == "inform" and (
            tracker.get_slot("mediation_status") == "carrier_unknown" or carrier != tracker.get_slot("carrier_type"))
        if carrier_just_chosen and choice is not None:
            # The dates were given a moment ago: only the mediator is new.
            dispatcher.utter_message(text=choice.explanation_fr)
        else:
            dispatcher.utter_message(text=assessment.explain_fr())
        if assessment.status == "too_late":
            dispatcher.utter_message(response="utter_mediation_too_late_remaining")
        if choice is not None and choice.mediator is not None:
            dispatcher.utter_message(text=choice.mediator.how_to_refer_fr())
        elif choice is not None and choice.needs_carrier_type:
            dispatcher.utter_message(response="utter_choose_carrier_type", buttons=carrier_buttons())
        side = split_side_question(text) if not text.startswith("/") else None
        if side is not None and side.kind not in ("other", "mediator"):
            # « Je ne sais pas pour l'organisme. Mais mon rappel de cet après-midi, il tient toujours ? » (round 14)
            answer_side_question(side, dispatcher, tracker)
        if not text.startswith("/") and ends_with_goodbye(text):
            # « je ne sais pas. c'est bon j'ai mon numéro, merci au revoir » (members' round 16): the goodbye too
            dispatcher.utter_message(response="utter_goodbye")
        events: List[EventType] = [SlotSet(name, value) for name, value in assessment.slot_values().items()]
        events.append(SlotSet("carrier_type", carrier))
        events.append(SlotSet("mediation_status", _status_slot(assessment)))
        return events


def _status_slot(assessment: MediationAssessment) -> Optional[str]:
    choice = assessment.mediator_choice
    if assessment.eligible and choice is not None and choice.broker_conduct:
        return "broker_conduct"
    if assessment.status in ("possible_now", "possible_from") and assessment.mediator is None:
        return "carrier_unknown"
    return assessment.status


class ReferralLetter(Action):
    def name(self) -> Text:
        return "action_referral_letter"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        org = services.organisation()
        facts = await with_recorded_answer(
            facts_from(tracker, just_recorded=bool(tracker.get_slot("complaint_reference"))), tracker
        )
        assessment = assess_mediation(facts, org, today(), services.department(tracker))
        if assessment.status != "possible_now":
            # Offered only once the mediator can be referred to; a typed « oui » earlier gets the date instead.
            dispatcher.utter_message(text=assessment.explain_fr())
            return []
        reference = tracker.get_slot("complaint_reference")
        recorded = await asyncio.to_thread(services.store().get_complaint, reference) if reference else None
        text = tracker.latest_message.get("text") or ""
        draft = dict(tracker.get_slot(LETTER_SLOT) or {})
        messages = [m for m in member_messages(tracker) if not letter_edits.changes_the_letter(m, today())]
        # without a complaint recorded here, what the conversation holds (members' round 18: « au nom de Thierry
        # Vasseur, pour le refus des indemnités journalières » got the blank template); the dispute only, never the
        # letter asked for nor its corrections (members' round 22)
        told = (letter_edits.letter_story([recorded.description], today()) or recorded.description) if recorded \
            else letter_edits.letter_story(messages, today())
        if not told and not recorded:
            told = story.compose(messages) or tracker.get_slot("complaint_description") or ""
        shown = bool(draft.get("shown")) or follow_up_actions.previous_action(tracker) == "action_referral_letter"
        edit = letter_edits.read_letter_edit(text, today())
        if not shown and edit is not None and not edit.summary:
            edit = None  # before the letter, only a summary given with the request (« oui la lettre, mais avec mon
            # résumé à moi : … », members' round 24, m24-F-01) is taken
        if edit is not None and edit.attachments and facts.answer_received:
            # « il faut ajouter la lettre de réponse du 2 octobre dans les pièces jointes »: it is listed already
            edit = dataclasses.replace(edit, attachments=tuple(
                a for a in edit.attachments if not re.search(r"\br[ée]ponse\b", a, re.I)))
        if edit is not None:
            # « Le litige c'est : … » (members' round 20), « Le résumé devrait être : … », « mettez mon nom, … »,
            # « ajoutez le courrier … dans les pièces jointes » (round 22: appended to the summary, or a new
            # complaint started)
            draft = letter_edits.applied({**draft, "told": told}, edit)
            draft.pop("told", None)
            # the slot is in the tracker store: no identifier in clear in it
            draft = {**draft, **({"summary": redact_text(draft["summary"])} if draft.get("summary") else {}),
                     "attachments": [redact_text(a) for a in draft.get("attachments") or []]}
        summary = draft.get("summary") or told
        summary = _summary(redact_text(summary)) if summary else message_fr("mediation.letter.summary_unknown")
        if summary[-1:] not in ".!?…]":
            summary += "."
        name = draft.get("name") or name_for(text) or (recorded.member_name if recorded else None) or \
            tracker.get_slot("member_name") or _name_in_messages(messages)
        answer_date = facts.answer_date or iso_date(draft.get("answer_date")) or (
            next((d for d in (letter_edits.answer_date_in(m, today()) for m in messages) if d), None)
            if facts.answer_received else None)
        decision = tracker.get_slot("contested_decision") or _decision_in(messages)
        letter = referral_letter_fr(
            member_name=name or message_fr("mediation.letter.member_name_unknown"),
            organisation=org,
            mediator=assessment.mediator,
            first_complaint_date=facts.first_complaint_date,
            summary=summary,
            today=today(),
            masked_identifier=_masked_identifier(recorded) if recorded else None,
            # the number the member gave: « numéro d'adhérent » when it was not the NIR
            identifier_label_fr=(message_fr("identifiers.member_number")
                                 if recorded and recorded.member_number and not recorded.nir else None),
            answer_received=bool(facts.answer_received),
            answer_date=answer_date,
            reference=reference,
            contract_holder=recorded.contract_holder if recorded else None,
            contested_decision=redact_text(decision) if decision else None,
            # a broker's letter names the insurer carrying the contract, as the member gives it or to complete
            # (members' round 24, m24-F-01: « litige avec CPMS » when CPMS only manages the contract)
            carrier_name=draft.get("carrier") or (message_fr("mediation.letter.carrier_unknown")
                                                  if org.mediator.by_risk_carrier else None),
            more_attachments=[redact_text(a) for a in draft.get("attachments") or []],
        )
        if edit is not None and edit.summary_asked and not edit.changes_beside_summary():
            # « je veux modifier le résumé de la lettre » (members' round 24, m24-F-01: « je ne sais pas comment donner
            # suite »): the new text is asked for
            dispatcher.utter_message(text=message_fr("mediation.letter.ask_summary"))
            return [SlotSet(LETTER_SLOT, {**draft, "shown": True})]
        if edit is not None and edit.answer_date_missing and answer_date is None and facts.answer_received:
            dispatcher.utter_message(text=message_fr("mediation.letter.answer_date_unknown",
                                                     of_organisation=org.de_name_fr))
            return [SlotSet(LETTER_SLOT, {**draft, "shown": True})]
        if edit is not None:
            dispatcher.utter_message(text=message_fr("mediation.letter.summary_corrected" if edit.summary
                                                     else "mediation.letter.corrected"))
        dispatcher.utter_message(text=message_fr("mediation_guidance.letter", letter=letter))
        if tracker.get_latest_input_channel() == "socketio":
            # On the website, a link to the letter page: the letter travels in the URL fragment, which the
            # browser never sends to a server, so it is not stored anywhere to be downloaded.
            dispatcher.utter_message(json_message={"data": letter_download_message(letter)})
        # then the member's turn, however the letter was asked for (written again from action_qualify_request's
        # follow-up, no rule predicts what comes next: a real conversation of the session got the fallback)
        return [SlotSet(LETTER_SLOT, {**draft, "shown": True}), FollowupAction("action_listen")]


LETTER_SLOT = "referral_letter"


def _name_in_messages(messages: List[str]) -> Optional[str]:
    """The member's name signed or said in the conversation (« Mme Odette Garnier »), the last one said."""
    for message in reversed(messages):
        found = facts_mod.extract_facts(message, today(), history=False).name
        if found:
            return found
    return None


def _decision_in(messages: List[str]) -> Optional[str]:
    """The organisation's decision the member contests, as told (« le refus de rembourser mes lunettes »)."""
    for message in messages:
        found = facts_mod.extract_facts(message, today()).contested_decision
        if found:
            return found[:1].upper() + found[1:]
    return None


def _summary(description: str, limit: int = 600) -> str:
    text = " ".join(description.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _masked_identifier(recorded: Any) -> Optional[str]:
    if recorded.nir:
        return mask_nir(recorded.nir)
    if recorded.member_number:
        return mask_member_number(recorded.member_number)
    return None


def letter_download_message(letter: str) -> Dict[str, Any]:
    """A rasa-webchat message whose "web_url" quick reply opens /lettre.html with the letter in the fragment."""
    fragment = base64.urlsafe_b64encode(letter.encode("utf-8")).decode("ascii").rstrip("=")
    return {
        "text": message_fr("mediation_guidance.letter_download"),
        "quick_replies": [{"type": "web_url", "title": message_fr("mediation_guidance.letter_download_button"),
                           "url": f"/lettre.html#{fragment}"}],
    }
