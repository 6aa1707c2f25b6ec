"""The answer to a question asked in the middle of the form (issue 11): « Germaine Rousseau. Au fait ils ont
combien de temps pour me répondre ? » gets the name taken and the deadlines told, « qu'est-ce que le médiateur ? »
an explanation rather than a pointer. The kinds come from ``recours.side_questions``; the fixed sentences are
domain responses (``utter_side_*``), the ones built from data are in ``actions.information``."""

from __future__ import annotations

import re
from datetime import date
from typing import List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import follow_ups, services
from actions.human_contact import offer, person_text
from actions.information import WHY_RESPONSES, data_use_text, deadlines_text, refund_when_text
from actions.validation import iso_date
from recours import cpam, escalation, glossary
from recours.calendar import add_months
from recours.human_contact import CALLBACK_BUTTON
from recours.messages import message_fr
from recours.mediators import delays_fr
from recours.settings import today
from recours.side_questions import SideQuestion, question_kind
from recours.text import fold


def answer_side_question(side: SideQuestion, dispatcher: CollectingDispatcher, tracker: Tracker,
                         remaining: Optional[int] = None) -> None:
    """Utter the answer to ``side.question``; the form's next question follows. ``remaining``: the form's questions
    still to ask, when known."""
    org = services.organisation()
    kind = side.kind
    practical = escalation_answer(kind, side.question, tracker) if kind in escalation.KINDS else None
    if practical is not None:
        # « une lettre ou deux ? », « par la poste ou en ligne ? » once told how to escalate (members' round 21)
        dispatcher.utter_message(text=practical)
    elif kind == "faster":
        dispatcher.utter_message(text=deadlines_text(tracker))  # the organisation's own deadlines
    elif kind == "deadlines":
        dispatcher.utter_message(text=deadlines_text(tracker))
    elif kind == "refund_when":
        dispatcher.utter_message(text=refund_when_text(tracker))
    elif kind == "human":
        dispatcher.utter_message(**offer(tracker, person_text(tracker)))  # with « Demander un rappel »
    elif kind == "why_data":
        asked = tracker.get_slot("requested_slot")
        if asked in WHY_RESPONSES:
            dispatcher.utter_message(response=WHY_RESPONSES[asked])
        dispatcher.utter_message(text=data_use_text())
    elif kind == "mediator_delay":
        dispatcher.utter_message(text=delays_fr(tracker.get_slot("mediator")))
    elif kind == "mediator_powers":
        dispatcher.utter_message(text=message_fr("side_answers.mediator_powers", organisation=org.name))
    elif kind == "court_after":
        cpam_path = tracker.get_slot("concerned_body") == "cpam" or tracker.active_loop.get("name") == "cpam_appeal_form"
        dispatcher.utter_message(text=message_fr("side_answers.court_after_cpam" if cpam_path else "side_answers.court_after"))
    elif kind == "mediator" and tracker.active_loop.get("name") == "mediation_form":
        dispatcher.utter_message(text=message_fr("side_answers.mediator_in_check"))  # no complaint to record here
    elif kind == "mediator":
        dispatcher.utter_message(response="utter_side_mediator")
    elif kind == "registered_letter" and (tracker.active_loop.get("name") == "cpam_appeal_form" or
                                         tracker.get_slot("concerned_body") == "cpam"):
        # « une lettre recommandée suffit-elle ? » while a CPAM decision is contested (members' round 16): the
        # appeal by post, not this assistant's own record
        dispatcher.utter_message(text=message_fr("cpam.by_letter", contacts=cpam.contacts_fr()))
    elif kind == "registered_letter":
        dispatcher.utter_message(response="utter_side_registered_letter")
    elif kind == "documents" and tracker.get_slot("complaint_reference") and \
            tracker.active_loop.get("name") != "complaint_form":
        # the complaint is recorded: its reference, not « la référence que je vous donnerai à la fin » (round 15)
        dispatcher.utter_message(text=message_fr("routing.documents_for_reference", attachments=org.attachments_fr,
                                                 reference=tracker.get_slot("complaint_reference")))
    elif kind == "documents":
        dispatcher.utter_message(text=message_fr("side_answers.documents", attachments=org.attachments_fr))
    elif kind == "glossary":
        term = glossary.defined_term(side.question) or glossary.asked_term(side.question)
        if term is not None:
            dispatcher.utter_message(text=term.definition_fr)
    elif kind in ("phone_counts", "time_limit", "cost"):
        dispatcher.utter_message(response=f"utter_side_{kind}")
    elif kind == "data_rights":
        dispatcher.utter_message(response="utter_side_data_rights", dpo_contact=org.dpo_contact_fr)
    elif kind == "how_many":
        if remaining:
            dispatcher.utter_message(text=message_fr("side_answers.how_many", count=remaining))
        else:
            dispatcher.utter_message(text=message_fr("side_answers.how_many_unknown"))
    elif kind == "callback":
        if tracker.active_loop.get("name") == "complaint_form":
            dispatcher.utter_message(text=message_fr("side_answers.callback_after"))
        else:
            dispatcher.utter_message(text=message_fr("side_answers.callback_offer"), buttons=[CALLBACK_BUTTON])
    elif kind == "callback_status":
        follow_ups.say_callback_status(dispatcher, tracker)
    elif kind == "who_reads":
        dispatcher.utter_message(response="utter_side_who_reads")
        dispatcher.utter_message(text=deadlines_text(tracker))
    elif kind == "cpam_appeal":
        # the formal appeal and its 2 months; the exact date once the notification date is known (CPAM path)
        dispatcher.utter_message(text=cpam.appeal_fr(None, None, today()))
    elif kind == "outcome":
        dispatcher.utter_message(text=message_fr("side_answers.outcome", organisation=org.name))
    elif kind == "notify_how":
        dispatcher.utter_message(text=message_fr("side_answers.notify_how", organisation=org.name))
    elif kind == "pay_meanwhile":
        dispatcher.utter_message(text=message_fr("side_answers.pay_meanwhile", organisation=org.name,
                                                 usual_contact=org.usual_contact_fr))
    elif kind == "vitale_lost":
        dispatcher.utter_message(text=message_fr("side_answers.vitale_lost"))
    elif kind == "no_card":
        dispatcher.utter_message(text=message_fr("side_answers.no_card", usual_contact=org.usual_contact_fr))
    elif kind == "written_counts":
        dispatcher.utter_message(text=message_fr("side_answers.written_counts"))
    elif kind == "member_number_ok":
        dispatcher.utter_message(text=message_fr("side_answers.member_number_ok"))
    elif kind == "which_nature":
        dispatcher.utter_message(text=message_fr("side_answers.which_nature"))
    elif kind == "whose_name":
        dispatcher.utter_message(text=message_fr("side_answers.whose_name"))
    elif kind == "not_reimbursed":
        dispatcher.utter_message(text=cpam.not_reimbursed_fr(fold(side.question).replace("'", " "), org.name))
    elif kind == "refusal_effect":
        dispatcher.utter_message(text=message_fr("side_answers.refusal_effect", organisation=org.name,
                                                 channels=org.complaint_channels_fr))
    elif kind == "cpam":
        dispatcher.utter_message(text=cpam.contacts_fr())  # « Pour ce type de demande, adressez-vous à votre CPAM… »
    else:
        dispatcher.utter_message(text=message_fr("side_answers.not_answered_here", usual_contact=org.usual_contact_fr))


# The routes after which a practical question is about the escalation just explained.
ESCALATION_ROUTES = frozenset({"cpam_appeal", "mediation", "answered"})


def _cpam_context(tracker: Tracker) -> bool:
    return bool(escalation.appeals_in(tracker.get_slot("cpam_appeals"))) or \
        tracker.active_loop.get("name") == "cpam_appeal_form" or tracker.get_slot("qualification_route") == "cpam_appeal"


def escalation_answer(kind: str, question: str, tracker: Tracker) -> Optional[str]:
    """The answer to a practical question about the escalation the conversation is on (the CPAM's appeals, or the
    organisation's mediator), or None when there is none to give."""
    if _cpam_context(tracker):
        appeals = escalation.appeals_in(tracker.get_slot("cpam_appeals"))
        if kind == "registered_letter" and not appeals:
            return None  # the letter « without a computer » (cpam.by_letter) answers it
        return escalation.cpam_answer_fr(kind, question, appeals)
    if tracker.get_slot("mediation_status"):
        answered = tracker.get_slot("answer_received")
        return escalation.mediator_answer_fr(kind, tracker.get_slot("mediator"),
                                             answered=answered if isinstance(answered, bool) else None,
                                             organisation=services.organisation().name, question=question,
                                             possible_from=_possible_from(tracker),
                                             until=iso_date(tracker.get_slot("mediator_until")))
    return None


def _possible_from(tracker: Tracker) -> Optional[date]:
    """Since when the mediator may be referred to: two months after the written complaint without an answer (the day
    the member may quote), or the day the guidance gave."""
    sent = iso_date(tracker.get_slot("first_complaint_date"))
    if sent is not None and tracker.get_slot("answer_received") is False:
        return add_months(sent, 2)
    return iso_date(tracker.get_slot("mediator_from"))


def practical_kinds(text: str) -> List[str]:
    """The practical kinds (:data:`recours.escalation.KINDS`) a message's questions ask, each once, in order: « je
    dois envoyer ça en recommandé ? et vous pouvez me faire un modèle de lettre ? » asks two."""
    kinds: List[str] = []
    for piece in re.split(r"(?<=\?)", text or ""):
        if not piece.strip() or len(piece.split()) > 40:
            continue  # (a long statement is a grievance told, not a practical question)
        kind = question_kind(piece)
        if kind in escalation.KINDS and kind not in kinds and ("?" in piece or kind == "dates_right"):
            kinds.append(kind)
    return kinds


def answer_after_guidance(text: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[str]]:
    """The practical questions typed after a guidance (the CPAM's appeal deadline, the mediator's), answered; the
    kinds answered, or None when the message asks none of them or none has an answer here."""
    answered, listed = [], set()
    for kind in practical_kinds(text):
        answer = escalation_answer(kind, text, tracker)
        if answer is None:
            continue
        lines = answer.split("\n")
        if listed and any(line in listed for line in lines):
            # two answers in one turn list the same dates once (« c'est bien ça ? une lettre ou deux ? »)
            answer = re.sub(r"\s*:\s*$", ".", "\n".join(line for line in lines if line not in listed).rstrip())
        listed.update(line for line in lines if line.startswith("• "))
        dispatcher.utter_message(text=answer)
        answered.append(kind)
    return answered or None
