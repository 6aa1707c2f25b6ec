"""How to reach a person at the organisation, said when the member asks, is misunderstood twice, or is in urgency.

One wording for the three (rules.md §10): the phone number with the hours (the data file's, recours.opening_hours),
whether someone answers now, the e-mail address, and the call-back request. An organisation that publishes no
phone number (Identités Mutuelle) is reached by its online form; its call-backs follow the hours of its data file.
No Rasa import: actions/human_contact.py says it, with a « Demander un rappel » button.
"""

from __future__ import annotations

from datetime import datetime

from recours.opening_hours import availability_fr, hours_fr
from recours.organisations import Organisation
from recours.urgency import Urgency

CALLBACK_BUTTON = {"title": "Demander un rappel", "payload": "/request_callback"}


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
    others = [f"écrire à {email.address}"] if email else []
    if number:
        text = f"appelez le {number}, {hours_fr(hours)}. {availability_fr(hours, now, department)}"
        if callback:
            others.append("demander à être rappelé au moment qui vous convient")
    else:
        online = organisation.usual_contact.online_fr
        text = f"écrivez-lui par {online}." if online else f"écrivez-lui : {organisation.complaint_channels_fr}"
    if others:
        text += " Vous pouvez aussi " + " ou ".join(others) + "."
    if callback and not number:
        text += f" Vous pouvez aussi demander à être rappelé : ses conseillers rappellent {hours_fr(hours)}."
    return text


def person_fr(organisation: Organisation, now: datetime, department: str | None = None, *,
              callback: bool = True) -> str:
    """The answer to « je veux parler à un conseiller »: the machine says what it is, then how to reach a person."""
    return (f"Je suis un assistant automatique : pour parler à une personne {organisation.de_name_fr}, "
            f"{contact_fr(organisation, now, department, callback=callback)}")


def misunderstood_fr(organisation: Organisation, now: datetime, department: str | None = None) -> str:
    """Said unasked after two misunderstandings in a row."""
    return (f"Je ne parviens pas à vous comprendre, désolé. Une personne {organisation.de_name_fr} pourra mieux vous "
            f"aider : {contact_fr(organisation, now, department)}")


def urgency_fr(urgency: Urgency, organisation: Organisation, now: datetime, department: str | None = None) -> str:
    """Said at once when the statement describes an urgency (recours.urgency)."""
    return (f"Votre situation est urgente ({urgency.situation_fr}) : n'attendez pas la réponse écrite. Pour parler "
            f"à une personne {organisation.de_name_fr}, {contact_fr(organisation, now, department)}")
