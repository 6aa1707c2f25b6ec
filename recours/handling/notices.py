"""« Sans réponse : vous pouvez saisir le médiateur » — the e-mail owed to a member when the answer deadline
passes and no answer was recorded (rules.md §11).

Detection (:func:`queue_due_notices`, run by the desk every few minutes): a complaint of the organisation whose
answer deadline is before today, with no answer nor closing recorded and no court action, gets one notice row
(``member_notices``; « no_address » when the member gave no e-mail — the status check still tells them).

Sending is the outbox's (recours/outbox.py, the delivery worker that also sends the receipts, through
recours/mailer.py and with the same retry policy), through this module only::

    for notice in notices_to_send(store, organisation, today()):
        result = mailer.send(notice_message(notice, sent_at=now))
        notice_sent(store, notice)           # or notice_failed(store, notice, reason, retry_at=...)

:func:`notices_to_send` claims each notice for a few minutes (two senders never send the same one), rebuilds
the text from the complaint at that moment, and cancels a notice whose complaint was answered since, or for which
the mediator can no longer be referred to (past the one-year limit). The words are in recours/data/messages_fr.yml
(``notices``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage

from recours.calendar import format_date_fr
from recours.mailer import compose, stable_message_id
from recours.mediation import assess_mediation, facts_of_recorded_complaint
from recours.messages import message_fr
from recours.organisations import Organisation
from recours.store import NOTICE_MEDIATION_OPEN, ClaimedNotice, ComplaintStatus, ComplaintStore

CLAIM_LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class MemberEmail:
    """A message for one member: plain text and a simple HTML part of the same text."""

    to: str
    subject: str
    text: str
    html: str

    def __repr__(self) -> str:  # no address, no text in logs
        return f"MemberEmail(subject={self.subject!r})"


@dataclass(frozen=True)
class OutgoingNotice:
    """A claimed notice and the e-mail to send for it."""

    claim: ClaimedNotice
    email: MemberEmail

    @property
    def reference(self) -> str:
        return self.claim.complaint.reference


def queue_due_notices(store: ComplaintStore, organisation: Organisation, today: date) -> int:
    """Queue the notice of every complaint whose answer deadline passed unanswered; how many were new."""
    return store.queue_mediation_notices(organisation.key, today)


def mediation_open_paragraphs(complaint: ComplaintStatus, organisation: Organisation, today: date) -> list[str] | None:
    """The notice's text, paragraph by paragraph; None when the mediator cannot be referred to (then no notice)."""
    assessment = assess_mediation(facts_of_recorded_complaint(complaint), organisation, today)
    if assessment.status != "possible_now" or complaint.answer_by is None or complaint.answered_on is not None:
        return None
    org = organisation.name
    paragraphs = [
        message_fr("notices.mediation_open.greeting"),
        message_fr("notices.mediation_open.unanswered", reference=complaint.reference, organisation=org,
                   sent_on=format_date_fr(complaint.sent_on), answer_by=format_date_fr(complaint.answer_by)),
        assessment.explain_fr(),
    ]
    if assessment.mediator is not None:
        paragraphs.append(assessment.mediator.how_to_refer_fr())
    paragraphs += [
        message_fr("notices.mediation_open.answered_meanwhile", organisation=org),
        message_fr("notices.mediation_open.footer", organisation=org, contact=organisation.phone_fr),
    ]
    return paragraphs


def mediation_open_email(complaint: ComplaintStatus, to: str, organisation: Organisation, today: date) -> MemberEmail | None:
    paragraphs = mediation_open_paragraphs(complaint, organisation, today)
    if paragraphs is None:
        return None
    return MemberEmail(
        to=to,
        subject=message_fr("notices.mediation_open.subject", reference=complaint.reference),
        text="\n\n".join(paragraphs) + "\n",
        html="".join(f"<p>{html.escape(paragraph)}</p>\n" for paragraph in paragraphs),
    )


def notices_to_send(store: ComplaintStore, organisation: Organisation, today: date, limit: int = 20,
                    now: datetime | None = None) -> list[OutgoingNotice]:
    """Claim the notices due for sending and build their e-mails (see the module docstring)."""
    outgoing = []
    for claim in store.claim_notices(NOTICE_MEDIATION_OPEN, limit, CLAIM_LEASE, now):
        email = mediation_open_email(claim.complaint, claim.email, organisation, today) if claim.email else None
        if email is None:
            store.finish_notice(claim, sent=False, error="mediator not open for this complaint", cancelled=True)
            continue
        outgoing.append(OutgoingNotice(claim, email))
    return outgoing


def notice_message(notice: OutgoingNotice, *, sent_at: datetime) -> EmailMessage:
    """The notice as an e-mail, with the same Message-ID at every attempt (a re-sent one is recognisable)."""
    email = notice.email
    return compose(email.to, email.subject, email.text, email.html, sent_at=sent_at,
                   message_id=stable_message_id("notice", f"{notice.claim.kind}:{notice.reference}"))


def notice_sent(store: ComplaintStore, notice: OutgoingNotice) -> bool:
    return store.finish_notice(notice.claim, sent=True)


def notice_failed(store: ComplaintStore, notice: OutgoingNotice, reason: str, retry_at: datetime | None = None) -> bool:
    """A failed attempt: retried at ``retry_at``, or kept as failed for an operator when None. ``reason`` must
    hold no address (an SMTP reply code and text is fine)."""
    return store.finish_notice(notice.claim, sent=False, error=reason, retry_at=retry_at)
