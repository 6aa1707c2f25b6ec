"""Whether a message can be the answer to the question pending (issue 11), slot by slot.

``recours.reading`` asks this first: a text that reads as the answer to the slot requested goes to the form's
validator, whatever intent the classifier gave it. No Rasa import.
"""

from __future__ import annotations

import re
from datetime import date

from recours import answers, facts, mediators, natures, postal
from recours import contact as contact_mod
from recours.dates import DateError, parse_french_date
from recours.text import fold
from recours.patterns import patterns

__all__ = ["YES_NO_SLOTS", "DATE_SLOTS", "STATUS_SLOTS", "FREE_TEXT_SLOTS", "answer_intent", "dont_know",
           "folded_turn", "has_contact", "is_date", "only_a_phone"]

YES_NO_SLOTS = frozenset({
    "privacy_accepted", "written_complaint_sent", "answer_received", "court_action", "answer_satisfied",
    "other_mediator",
})
DATE_SLOTS = frozenset({"first_complaint_date", "cpam_notification_date"})
STATUS_SLOTS = frozenset({"status_reference", "status_proof"})
FREE_TEXT_SLOTS = frozenset({"complaint_description", "contested_decision_answer", "contract_holder"})
_P = patterns("reading")


def folded_turn(text: str) -> str:
    folded = fold(text, apostrophes=" ", hyphens=" ")
    # fold() drops « ? »; the help and bot cues need it back at the end
    if (text or "").rstrip().endswith("?"):
        folded += " ?"
    return re.sub(r"\s+", " ", folded).strip()


def dont_know(text: str) -> bool:
    """« je ne sais pas », « je ne m'en souviens plus », « jsp »…"""
    return bool(_P.dont_know.search(folded_turn(text)))


def is_date(text: str, today: date) -> bool:
    try:
        parse_french_date(text, today)
    except DateError:
        return False
    return True


def answer_intent(slot: str, text: str, today: date) -> str | None:
    """The intent of ``text`` read as the answer to ``slot`` (inform, affirm, deny, dont_know), or None."""
    folded = folded_turn(text)
    if slot in YES_NO_SLOTS:
        if slot == "answer_received" and facts.holding_reply(folded):
            return "deny"  # « juste un mail « nous revenons vers vous ». Vous appelez ça une réponse ? »
        yes_no = answers.parse_yes_no(text)
        if slot == "written_complaint_sent" and yes_no is not False and is_date(text, today):
            return "inform"
        if yes_no is True:
            return "affirm"
        if yes_no is False:
            return "deny"
        if _P.dont_know.search(folded):
            return "dont_know"
        return None
    if slot == "member_name":
        found = facts.extract_facts(text, today, history=False)
        if facts.clean_name(text) or found.has_identity:
            return "inform"
        return None
    if slot == "member_identifier":
        found = facts.extract_facts(text, today, history=False)
        if found.nir or found.nir_invalid or found.member_number or re.search(r"\d{4}", text):
            return "inform"
        if _P.dont_know.search(folded):
            return "dont_know"
        return None
    if slot == "contact":
        if "@" in text or re.search(r"\d(?:[ .\-]?\d){5}", text):
            return "inform"
        return None
    if slot == "complaint_nature":
        return "inform" if natures.match_nature(text) else None
    if slot == "dispute_subject":
        # « c'est le versement de mes indemnités qui ne vient pas, donc le contrat je suppose ? »
        return "inform" if mediators.read_dispute_subject(text) else None
    if slot in DATE_SLOTS:
        if is_date(text, today):
            return "inform"
        if _P.dont_know.search(folded):
            return "dont_know"
        return None
    if slot == "postal_code":  # issue 12: a code, an address, or « passer » / « je ne sais pas »
        return "inform" if postal.read_postal_answer(text) is not None else None
    if slot == "recap_confirmed":
        if _P.confirm.search(folded):
            return "affirm"
        return None
    if slot == "status_reference":
        return "inform" if _P.reference.search(folded) else None
    if slot == "status_proof":
        # « Mais je viens de vous le donner ! 06 00 00 00 31. », « 8 4 1 5 », an e-mail address: the proof
        return "inform" if "@" in text or sum(ch.isdigit() for ch in text) >= 4 or re.search(
            r"(?<![a-z0-9])[0-9a-z]{4}$", folded) else None
    if slot in FREE_TEXT_SLOTS:
        return "inform" if folded else None
    return None


def only_a_phone(text: str) -> bool:
    """« 06 00 00 00 21 », « mon num 0600000021 »: a phone number and at most a few words."""
    try:
        found = contact_mod.parse_contact(text)
    except contact_mod.InvalidContact:
        return False
    return bool(found.phone) and len(re.sub(r"[\d\s.+\-]+", " ", folded_turn(text)).split()) <= 6


def has_contact(text: str) -> bool:
    try:
        return bool(contact_mod.parse_contact(text))
    except contact_mod.InvalidContact:
        return False
