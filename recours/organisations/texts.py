"""The French sentences a member reads about an organisation, built from its facts (no fact lives here).

``Organisation``'s ``*_fr`` properties call these: where to send a written complaint, how to reach the
organisation, where other requests go, how to reach the DPO, how to send documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recours.organisations.model import ComplaintChannels, Organisation, PostalAddress


def complaint_channels_fr(organisation: Organisation) -> str:
    """How to send a written complaint, e.g. after "adressez votre réclamation à CPMS : …"."""
    channels = organisation.complaint_channels
    ways: list[str] = []
    if channels.email:
        ways.append(f"par e-mail à {channels.email.address}")
    if channels.online_form:
        ways.append(f"depuis {channels.online_form.description_fr}")
    single = _single_postal(channels)
    if single is not None:
        ways.append(f"par courrier à {_address_fr(single)}")
        return join_or_fr(ways) + "."
    postal = "par courrier"
    if channels.download_form:
        postal += f", avec {channels.download_form.description_fr},"
    postal += f" à l'adresse qui correspond à l'objet de votre réclamation :\n{_postal_list_fr(channels.postal)}"
    ways.append(postal)
    return join_or_fr(ways)


def phone_fr(organisation: Organisation) -> str:
    """How to reach the organisation quickly: phone with hours, else its usual contact channel."""
    phone = organisation.complaint_channels.phone
    contact = organisation.usual_contact
    number = phone.number if phone else contact.phone_number
    hours = phone.hours_fr if phone else contact.phone_hours_fr
    if number:
        return f"par téléphone au {number}" + (f", {hours}" if hours else "")
    if contact.online_fr:
        return f"par {contact.online_fr}"
    return complaint_channels_fr(organisation).rstrip(".")


def usual_contact_fr(organisation: Organisation) -> str:
    """Where requests that are not complaints go (information, clarification, confirmation, service)."""
    contact = organisation.usual_contact
    ways: list[str] = []
    if contact.phone_number:
        hours = f" ({contact.phone_hours_fr})" if contact.phone_hours_fr else ""
        ways.append(f"par téléphone au {contact.phone_number}{hours}")
    if contact.online_fr:
        ways.append(f"par {contact.online_fr}" if contact.online_fr.startswith("le ") else f"depuis {contact.online_fr}")
    text = f"Pour ce type de demande, adressez-vous {_a_fr(contact.who_fr)}"
    if ways:
        text += " : " + join_or_fr(ways)
    text += "."
    if contact.faq_fr:
        text += f" Vous pouvez aussi consulter {contact.faq_fr}."
    return text


def dpo_contact_fr(organisation: Organisation) -> str:
    """How to exercise data-protection rights (the DPO, or the published address when no DPO is known)."""
    dpo = organisation.dpo
    ways: list[str] = []
    if dpo.email:
        ways.append(f"par e-mail à {dpo.email}")
    postal = f"par courrier à {_address_fr(dpo.postal_lines)}"
    if not any("protection des données" in line.lower() for line in dpo.postal_lines):
        postal += ", à l'attention du délégué à la protection des données"
    if dpo.email and dpo.note_fr:
        postal += f" ({dpo.note_fr})"
    ways.append(postal)
    return join_or_fr(ways)


def attachments_fr(organisation: Organisation) -> str:
    """How to send supporting documents, and where medical documents go (never in the chat)."""
    channels = organisation.complaint_channels
    medical = organisation.medical_documents
    if medical.postal_lines:
        medical_fr = ("Les documents médicaux s'envoient uniquement par courrier, sous pli confidentiel, à "
                      f"{_address_fr(medical.postal_lines)}.")
    else:
        medical_fr = ("N'envoyez aucun document médical par e-mail : demandez d'abord à "
                      f"{organisation.name} l'adresse du médecin conseil.")
    ways: list[str] = []
    if channels.email:
        ways.append(f"par e-mail à {channels.email.address}")
    single = _single_postal(channels)
    if single is not None:
        ways.append(f"par courrier à {_address_fr(single)}")
        return f"{join_or_fr(ways)}, en rappelant la référence de votre réclamation. {medical_fr}"
    medical_domain = ("dossiers_medicaux",) if medical.postal_lines else ()
    ways.append(
        "par courrier, en rappelant la référence de votre réclamation, à l'adresse qui correspond à son objet :\n"
        + _postal_list_fr(channels.postal, skip_domains=medical_domain)
    )
    return f"{join_or_fr(ways)}\n{medical_fr}"


def join_or_fr(items: list[str] | tuple[str, ...]) -> str:
    """"a, b ou c" (also used for the CPAM's channels)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " ou " + items[-1]


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
