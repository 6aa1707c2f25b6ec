"""The written receipt of a recorded complaint: the e-mail sent to the member (rules.md §10, ACPR 2024-R-02).

A complaint made by chat must end with a dated, durable trace the member keeps. What the receipt holds: the
reference and the date of recording, what was recorded with every identifier masked, the acknowledgement and
answer dates, where to send documents, and the mediation path with its dates. What it does not hold: the
description, the contested decision's wording and anything else the member typed freely — they may carry health
details, and an e-mail passes through servers the organisation does not control; the receipt says that « votre
description » is kept by the organisation.

Built from the stored complaint at sending time (recours/outbox.py), as the back-office payload is, so nothing but
the complaint row is needed; the dates are the ones recorded (recours.deadlines), the mediation window follows
recours.mediation's rule from them: it opens the day after the answer deadline (at once after an unsatisfactory
answer where the organisation allows it) and closes one year after the first written complaint. Plain text plus a
simple HTML part, French; the Message-ID is derived from the reference, so a message sent again after a crash
(at-least-once) carries the same one and mail clients can tell it is the same receipt. Its words are in
recours/data/messages_fr.yml (``receipt``).
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage

from recours.calendar import add_years, format_date_fr
from recours.contact import mask_email, mask_phone
from recours.mailer import compose, stable_message_id
from recours.mediation import LIMIT_YEARS, after_answer_rule
from recours.mediators import choose_mediator
from recours.messages import message_fr, message_group_fr
from recours.natures import NATURE_LABELS_FR
from recours.nir import mask_nir
from recours.organisations import Organisation
from recours.recap import mask_member_number
from recours.store import ComplaintView


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]
    bullets: bool = False


def counted_from(complaint: ComplaintView) -> date:
    """The day the clocks run from: an earlier unanswered written complaint, else the day of recording."""
    first = complaint.first_complaint_date
    if first is not None and first < complaint.sent_on and not complaint.answer_received:
        return first
    return complaint.sent_on


def recorded_lines(complaint: ComplaintView, organisation: Organisation) -> tuple[str, ...]:
    """What was recorded, identifiers masked, no free text."""
    lines = [_name_line(complaint)]
    if complaint.nir:
        lines.append(message_fr("receipt.lines.nir", nir=mask_nir(complaint.nir)))
    if complaint.member_number:
        lines.append(message_fr("receipt.lines.member_number",
                                member_number=mask_member_number(complaint.member_number)))
    contacts = [mask_email(complaint.email) if complaint.email else None,
                mask_phone(complaint.phone) if complaint.phone else None]
    lines.append(message_fr("receipt.lines.contacts", contacts=", ".join(c for c in contacts if c)))
    if complaint.contract_holder == complaint.member_name:
        lines.append(message_fr("receipt.lines.holder_self"))
    elif complaint.contract_holder:
        lines.append(message_fr("receipt.lines.holder", holder=complaint.contract_holder))
    lines.append(message_fr("receipt.lines.nature", nature=NATURE_LABELS_FR.get(complaint.nature, complaint.nature)))
    lines.append(message_fr("receipt.lines.description", organisation=organisation.name))
    lines.append(message_fr("receipt.lines.decision" if complaint.contested_decision else "receipt.lines.no_decision"))
    if complaint.first_complaint_date is not None:
        answered = "receipt.lines.first_complaint_answered" if complaint.answer_received else \
            "receipt.lines.first_complaint_unanswered"
        lines.append(message_fr(answered, date=format_date_fr(complaint.first_complaint_date)))
    else:
        lines.append(message_fr("receipt.lines.no_first_complaint"))
    court = "receipt.lines.court_action" if complaint.court_action else "receipt.lines.no_court_action"
    lines.append(message_fr(court))
    return tuple(lines)


def _name_line(complaint: ComplaintView) -> str:
    return message_fr("receipt.lines.name", name=complaint.member_name)


def mediation_fr(complaint: ComplaintView, organisation: Organisation) -> str:
    """When the mediator can be referred to, and which one, from the recorded dates."""
    latest = format_date_fr(add_years(counted_from(complaint), LIMIT_YEARS))
    choice = choose_mediator(organisation, None)
    who = choice.mediator.in_sentence_fr if choice.mediator else message_fr("receipt.competent_mediator")
    if complaint.answer_by is None:
        when = message_fr("receipt.mediation_until", latest=latest)
    else:
        opening = format_date_fr(complaint.answer_by + timedelta(days=1))
        key = "receipt.mediation_after_answer_or_from" if after_answer_rule(organisation) == "immediate" else \
            "receipt.mediation_from"
        when = message_fr(key, opening=opening, latest=latest)
    text = message_fr("receipt.mediation", organisation=organisation.name, who=who, when=when)
    if choice.mediator is not None:
        text += " " + message_fr("receipt.mediation_online", url=choice.mediator.online_referral.url)
    elif organisation.mediator.note_fr:
        text += " " + " ".join(organisation.mediator.note_fr.split())  # a broker: the risk carrier's mediator
    return text


def receipt_sections(complaint: ComplaintView, organisation: Organisation) -> tuple[Section, ...]:
    heading = [message_fr("receipt.reference", reference=complaint.reference),
               message_fr("receipt.recorded_on", date=format_date_fr(complaint.sent_on))]
    start = counted_from(complaint)
    if start < complaint.sent_on:
        heading.append(message_fr("deadlines.reminder_recorded", first_complaint=format_date_fr(start)))
    deadlines = []
    if complaint.acknowledge_by and complaint.answer_by:
        deadlines.append(message_fr("receipt.deadlines", organisation=organisation.name,
                                    acknowledge_by=format_date_fr(complaint.acknowledge_by),
                                    answer_by=format_date_fr(complaint.answer_by)))
    titles = message_group_fr("receipt.titles")
    return (
        Section(titles["complaint"], tuple(heading)),
        Section(titles["recorded"], recorded_lines(complaint, organisation), bullets=True),
        Section(titles["deadlines"], tuple(deadlines)),
        Section(titles["attachments"], (
            message_fr("receipt.attachments", attachments=organisation.attachments_fr),
            message_fr("receipt.attachments_reference", reference=complaint.reference))),
        Section(titles["mediation"], (mediation_fr(complaint, organisation),)),
    )


def _plain(sections: tuple[Section, ...], organisation: Organisation) -> str:
    parts = [message_fr("receipt.greeting"), message_fr("receipt.intro", organisation=organisation.name)]
    for section in sections:
        if not section.lines:
            continue
        lines = [f"- {line}" for line in section.lines] if section.bullets else list(section.lines)
        parts.append(section.title.upper() + "\n" + "\n".join(lines))
    parts.append(_footer(organisation))
    return "\n\n".join(parts) + "\n"


def _html(sections: tuple[Section, ...], organisation: Organisation) -> str:
    def paragraphs(section: Section) -> str:
        if section.bullets:
            return "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in section.lines) + "</ul>"
        return "".join(f"<p>{html.escape(line).replace(chr(10), '<br>')}</p>" for line in section.lines)

    body = "".join(f"<h2>{html.escape(s.title)}</h2>{paragraphs(s)}" for s in sections if s.lines)
    # the fixed words as they are (their apostrophes unescaped), the organisation's name escaped
    intro = message_fr("receipt.intro", organisation=html.escape(organisation.name))
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{message_fr('receipt.html_title')}</title></head><body>"
        f"<p>{message_fr('receipt.greeting')}</p><p>{intro}</p>"
        f"{body}<p>{html.escape(_footer(organisation))}</p></body></html>"
    )


def _footer(organisation: Organisation) -> str:
    return message_fr("receipt.footer", organisation=organisation.name, contact=organisation.phone_fr)


RECEIPT_PAGE = "/recu.html"


def receipt_download_message(complaint: ComplaintView, organisation: Organisation) -> dict:
    """A web-chat message whose link opens the printable receipt (web/recu.html, « Enregistrer en PDF »).

    The receipt travels in the URL fragment (``#…``), which browsers never send to a server: nothing is stored to be
    downloaded. The member's name is left out of it (browsers keep fragments in their history); identifiers are
    masked as in the e-mail.
    """
    name = _name_line(complaint)
    sections = [
        {"title": s.title, "lines": [line for line in s.lines if line != name], "bullets": s.bullets}
        for s in receipt_sections(complaint, organisation) if s.lines
    ]
    document = {"organisation": organisation.name, "reference": complaint.reference, "sections": sections}
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    fragment = base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
    return {
        "text": message_fr("receipt.download"),
        "quick_replies": [{"type": "web_url", "title": message_fr("receipt.download_button"),
                           "url": f"{RECEIPT_PAGE}#{fragment}"}],
    }


def message_id(reference: str) -> str:
    """The same Message-ID for every attempt of one receipt (a re-sent one is recognisable as the same)."""
    return stable_message_id("receipt", reference)


def receipt_message(complaint: ComplaintView, organisation: Organisation, *, sent_at: datetime) -> EmailMessage:
    """The e-mail receipt of ``complaint`` (To: the address it was recorded with). ValueError without one."""
    if not complaint.email:
        raise ValueError("the complaint has no e-mail address")
    sections = receipt_sections(complaint, organisation)
    return compose(
        complaint.email, message_fr("receipt.subject", reference=complaint.reference, organisation=organisation.name),
        _plain(sections, organisation), _html(sections, organisation),
        message_id=message_id(complaint.reference), sent_at=sent_at,
    )
