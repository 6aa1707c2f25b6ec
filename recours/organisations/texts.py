"""The French sentences a member reads about an organisation, built from its facts (no fact lives here, and their
fixed words are in recours/data/messages_fr.yml, ``organisation``).

``Organisation``'s ``*_fr`` properties call these: where to send a written complaint, how to reach the
organisation, where other requests go, how to reach the DPO, how to send documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from recours.messages import message_fr

if TYPE_CHECKING:
    from recours.organisations.model import ComplaintChannels, Organisation, PostalAddress


def complaint_channels_fr(organisation: Organisation) -> str:
    """How to send a written complaint, e.g. after "adressez votre réclamation à CPMS : …"."""
    channels = organisation.complaint_channels
    ways: list[str] = []
    if channels.email:
        ways.append(message_fr("organisation.by_email", address=channels.email.address))
    if channels.online_form:
        ways.append(message_fr("organisation.from_online_form", form=channels.online_form.description_fr))
    single = _single_postal(channels)
    if single is not None:
        ways.append(message_fr("organisation.by_post", address=_address_fr(single)))
        return join_or_fr(ways) + "."
    addresses = _postal_list_fr(channels.postal)
    if channels.download_form:
        ways.append(message_fr("organisation.by_post_per_domain_with_form", addresses=addresses,
                               download_form=channels.download_form.description_fr))
    else:
        ways.append(message_fr("organisation.by_post_per_domain", addresses=addresses))
    return join_or_fr(ways)


def phone_fr(organisation: Organisation) -> str:
    """How to reach the organisation quickly: phone with hours, else its usual contact channel."""
    phone = organisation.complaint_channels.phone
    contact = organisation.usual_contact
    number = phone.number if phone else contact.phone_number
    hours = phone.hours_fr if phone else contact.phone_hours_fr
    if number and hours:
        return message_fr("organisation.by_phone_with_hours", number=number, hours=hours)
    if number:
        return message_fr("organisation.by_phone", number=number)
    if contact.online_fr:
        return message_fr("organisation.by_online", online=contact.online_fr)
    return complaint_channels_fr(organisation).rstrip(".")


def usual_contact_fr(organisation: Organisation) -> str:
    """Where requests that are not complaints go (information, clarification, confirmation, service)."""
    contact = organisation.usual_contact
    ways: list[str] = []
    if contact.phone_number and contact.phone_hours_fr:
        ways.append(message_fr("organisation.by_phone_hours_in_brackets", number=contact.phone_number,
                               hours=contact.phone_hours_fr))
    elif contact.phone_number:
        ways.append(message_fr("organisation.by_phone", number=contact.phone_number))
    if contact.online_fr:
        key = "organisation.by_online" if contact.online_fr.startswith("le ") else "organisation.from_online"
        ways.append(message_fr(key, online=contact.online_fr))
    to_whom = _a_fr(contact.who_fr)
    if ways:
        text = message_fr("organisation.usual_contact_with_ways", to_whom=to_whom, ways=join_or_fr(ways))
    else:
        text = message_fr("organisation.usual_contact", to_whom=to_whom)
    if contact.faq_fr:
        text += " " + message_fr("organisation.faq", faq=contact.faq_fr)
    return text


def dpo_contact_fr(organisation: Organisation) -> str:
    """How to exercise data-protection rights (the DPO, or the published address when no DPO is known)."""
    dpo = organisation.dpo
    ways: list[str] = []
    if dpo.email:
        ways.append(message_fr("organisation.by_email", address=dpo.email))
    postal = message_fr("organisation.by_post", address=_address_fr(dpo.postal_lines))
    if not any("protection des données" in line.lower() for line in dpo.postal_lines):
        postal = message_fr("organisation.dpo_attention", way=postal)
    if dpo.email and dpo.note_fr:
        postal = message_fr("organisation.dpo_with_note", way=postal, note=dpo.note_fr)
    ways.append(postal)
    return join_or_fr(ways)


def attachments_fr(organisation: Organisation) -> str:
    """How to send supporting documents, and where medical documents go (never in the chat)."""
    channels = organisation.complaint_channels
    medical = organisation.medical_documents
    if medical.postal_lines:
        medical_fr = message_fr("organisation.medical_documents_by_post", address=_address_fr(medical.postal_lines))
    else:
        medical_fr = message_fr("organisation.medical_documents_ask_first", organisation=organisation.name)
    ways: list[str] = []
    if channels.email:
        ways.append(message_fr("organisation.by_email", address=channels.email.address))
    single = _single_postal(channels)
    if single is not None:
        ways.append(message_fr("organisation.by_post", address=_address_fr(single)))
        return message_fr("organisation.attachments", ways=join_or_fr(ways), medical=medical_fr)
    medical_domain = ("dossiers_medicaux",) if medical.postal_lines else ()
    ways.append(message_fr("organisation.attachments_by_post_per_domain",
                           addresses=_postal_list_fr(channels.postal, skip_domains=medical_domain)))
    return message_fr("organisation.attachments_per_domain", ways=join_or_fr(ways), medical=medical_fr)


def join_or_fr(items: list[str] | tuple[str, ...]) -> str:
    """"a, b ou c" (also used for the CPAM's channels)."""
    if len(items) <= 1:
        return "".join(items)
    return message_fr("organisation.or", others=", ".join(items[:-1]), last=items[-1])


def _a_fr(text: str) -> str:
    """"à" + text with the contractions French requires ("au Service…", "aux…")."""
    if text.startswith("le "):
        return "au " + text[3:]
    if text.startswith("les "):
        return "aux " + text[4:]
    return "à " + text


def _single_postal(channels: ComplaintChannels) -> tuple[str, ...] | None:
    """The only postal address, when the organisation has one address for every complaint."""
    if len(channels.postal) == 1 and channels.postal[0].lines:
        return channels.postal[0].lines
    return None


def _postal_list_fr(addresses: tuple[PostalAddress, ...], skip_domains: tuple[str, ...] = ()) -> str:
    """One line per domain: "- Incapacité, invalidité : KLESIA PREVOYANCE, TSA 20202, …"."""
    return "\n".join(
        f"- {address.label_fr} : {_address_fr(address.lines) if address.lines else address.note_fr}"
        for address in addresses
        if address.domain not in skip_domains
    )


def _address_fr(lines: tuple[str, ...]) -> str:
    return ", ".join(lines)
