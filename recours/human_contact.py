"""How to reach a person at the organisation, said when the member asks, is misunderstood twice, or is in urgency.

One wording for the three (rules.md §10): the phone number with the hours (the data file's, recours.opening_hours),
whether someone answers now, the e-mail address, and the call-back request. An organisation that publishes no
phone number (Identités Mutuelle) is reached by its online form; its call-backs follow the hours of its data file.
No Rasa import: actions/human_contact.py says it, with a « Demander un rappel » button; the words are in
recours/data/messages_fr.yml (``human_contact``).
"""

from __future__ import annotations

import re
from datetime import datetime

from recours.messages import message_fr
from recours.opening_hours import availability_fr, hours_fr
from recours.organisations import Organisation
from recours.organisations.texts import join_or_fr
from recours.text import fold_aligned
from recours.urgency import Urgency
from recours.patterns import patterns

# Words beside the call-back request that make the message a statement of its own (members' round 17).
GRIEVANCE_WORDS = 8

CALLBACK_BUTTON = {"title": "Demander un rappel", "payload": "/request_callback"}

_P = patterns("human_contact")


def asks_callback(text: str) -> bool:
    """The member asks to be called back somewhere in ``text`` (a confirmation that also asks for a call)."""
    return bool(_P.callback_wish.search(fold_aligned(text or "")))


def callback_sentence(text: str) -> str | None:
    """The sentence of ``text`` that asks for the call-back, None when none does.

    « ma cotisation a été prélevée deux fois, le 5 et le 6 novembre. je voudrais faire une réclamation et qu'on me
    rappelle » (members' round 17): the call-back's moment is read in its own sentence only, the debit's dates are
    no moment to call.
    """
    bounds = _callback_sentence_bounds(text or "")
    return text[bounds[0]:bounds[1]].strip() if bounds else None


def _callback_sentence_bounds(text: str) -> tuple[int, int, int] | None:
    """Start and end of the sentence asking for the call-back, and where the wish starts in it."""
    match = _P.callback_wish.search(fold_aligned(text))  # same positions as ``text``
    if not match:
        return None
    start = max(text.rfind(mark, 0, match.start()) for mark in ".!?;\n") + 1
    ends = [i for i in (text.find(mark, match.end()) for mark in ".!?;\n") if i >= 0]
    return start, min(ends) if ends else len(text), match.start()


def grievance_beside_callback(text: str) -> bool:
    """``text`` states a grievance or asks for a complaint besides asking for a call-back (« … prélevée deux fois
    … je voudrais faire une réclamation et qu'on me rappelle »): the complaint is recorded first, then the call-back
    is asked for; a request for a call-back alone (« rappelez-moi demain matin au 06 … ») is not one."""
    text = text or ""
    bounds = _callback_sentence_bounds(text)
    if bounds is None:
        return False
    if _P.complaint_wish.search(fold_aligned(text)):
        return True
    start, end, wish = bounds
    rest = text[:wish] + " " + text[end:]  # the other sentences, and the words before the wish in its own
    return len(re.findall(r"[^\W\d_]{2,}", rest)) >= GRIEVANCE_WORDS


def phone_number(organisation: Organisation) -> str | None:
    """The number a member calls: the complaint line, else the usual contact's."""
    phone = organisation.complaint_channels.phone
    return phone.number if phone else organisation.usual_contact.phone_number


def contact_fr(organisation: Organisation, now: datetime, department: str | None = None, *,
               callback: bool = True) -> str:
    """« appelez le 01 47 70 30 97, du lundi au vendredi de 9 h à 17 h … Nos conseillers sont joignables … »."""
    hours = organisation.opening_hours
    number = phone_number(organisation)
    email = organisation.complaint_channels.email
    others = [message_fr("human_contact.contact.write_to", address=email.address)] if email else []
    if number:
        text = message_fr("human_contact.contact.call", number=number, hours=hours_fr(hours),
                          availability=availability_fr(hours, now, department))
        if callback:
            others.append(message_fr("human_contact.contact.ask_callback"))
    else:
        online = organisation.usual_contact.online_fr
        text = (message_fr("human_contact.contact.write_online", online=online) if online
                else message_fr("human_contact.contact.write_channels", channels=organisation.complaint_channels_fr))
    if others:
        text += " " + message_fr("human_contact.contact.also", ways=join_or_fr(others))
    if callback and not number:
        text += " " + message_fr("human_contact.contact.callback_without_phone", hours=hours_fr(hours))
    return text


def person_fr(organisation: Organisation, now: datetime, department: str | None = None, *,
              callback: bool = True) -> str:
    """The answer to « je veux parler à un conseiller »: the machine says what it is, then how to reach a person."""
    return message_fr("human_contact.person", of_organisation=organisation.de_name_fr,
                      contact=contact_fr(organisation, now, department, callback=callback))


def misunderstood_fr(organisation: Organisation, now: datetime, department: str | None = None) -> str:
    """Said unasked after two misunderstandings in a row."""
    return message_fr("human_contact.misunderstood", of_organisation=organisation.de_name_fr,
                      contact=contact_fr(organisation, now, department))


def urgency_fr(urgency: Urgency, organisation: Organisation, now: datetime, department: str | None = None) -> str:
    """Said at once when the statement describes an urgency (recours.urgency)."""
    return message_fr("human_contact.urgency", situation=urgency.situation_fr, of_organisation=organisation.de_name_fr,
                      contact=contact_fr(organisation, now, department))


_MANAGER = re.compile(r"\b(?:un|une|le|la|au|a un|a une|votre) (?:responsable|superieur\w*|chef\w*(?: de service)?|manager|directeur|"
                      r"directrice|direction)\b|\bpas (?:a |par )?(?:un|une) (?:simple )?conseill\w*\b")


def asks_for_a_manager(text: str) -> bool:
    """« je veux parler à un responsable », « rappelée par un responsable, pas par un conseiller »."""
    from recours.text import fold_aligned

    return bool(_MANAGER.search(fold_aligned(text or "")))
