"""Members' rights over their data (rules.md §8): status check, erasure, export, retention purge.

What lives here rather than in the actions: the rules a reader wants in one place, testable without Rasa.
- Checking a complaint's status is a look-up by reference *after* a proof of ownership (the last 4 characters
  of the NIR or member number, or the e-mail / phone number given in the complaint). Failed proofs are counted
  in the store per conversation and per reference over a sliding window, so the limit survives restarts and a
  reference cannot be brute-forced from many conversations. An unknown reference and a wrong proof get the same
  answer: nobody learns which references exist.
- Erasing a conversation removes its tracker events (done by the tracker store itself, addons/tracker_store.py,
  in the same transaction as the turn that confirms it) and its identifier vault rows. Recorded complaints stay:
  they are the organisation's records, kept for the legal retention period (:func:`complaint_retention_fr`).
- The retention purge (``python -m ops purge``) deletes conversations idle for N days: tracker events here (plain
  SQL on Rasa's ``events`` table, so the command does not load Rasa), vault rows and old attempts in the store.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, delete, func, inspect
from sqlalchemy import or_, select
from sqlalchemy.engine import make_url

from recours import contact
from recours.calendar import format_date_fr
from recours.handling.lifecycle import MEMBER_STATUS_LABELS_FR, OUTCOME_LABELS_FR
from recours.mediation import assess_mediation, facts_of_recorded_complaint
from recours.messages import message_fr
from recours.natures import NATURE_LABELS_FR
from recours.organisations import Organisation
from recours.refusals import Refusal
from recours.store import ComplaintStatus, ComplaintStore, OwnershipProof, PurgeCounts

# Three failed proofs per conversation, and per reference, within 24 hours. With a 4-character proof (10^4
# values) that is at most 3 guesses a day on a reference, wherever they come from; a member who mistyped three
# times is told to call the organisation, or to try again the next day.
MAX_FAILED_ATTEMPTS = 3
ATTEMPT_WINDOW = timedelta(hours=24)

IDENTIFIER_LABELS_FR = {
    "nir": "numéro de sécurité sociale",
    "member_number": "numéro d'adhérent",
    "email": "adresse e-mail",
    "phone": "numéro de téléphone",
}
# The status as the member reads it: the organisation's events move it (recours/handling/lifecycle.py).
STATUS_LABELS_FR = MEMBER_STATUS_LABELS_FR

_PROOF_TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{4}(?![0-9A-Za-z])")
_SEPARATORS = re.compile(r"[\s.\-_/]+")


# -- status check -----------------------------------------------------------------------------------------------


class InvalidProof(Refusal):
    """The answer is not a usable proof; ``message_fr`` says what is expected (never repeats what was typed)."""


def _contact_in(text: str, kind: str) -> contact.Contact:
    """The contact details in a proof; a refusal keeps the contact parser's French message, as a ``kind`` proof."""
    try:
        return contact.parse_contact(text)
    except contact.InvalidContact as exc:
        raise InvalidProof(kind, exc.message_fr) from None


def parse_proof(text: str) -> OwnershipProof:
    """The proof in the member's answer: an e-mail, a phone number, or 4 characters (the end of the NIR or
    member number). A whole NIR is refused: only its last 4 characters are needed, the rest is not asked."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if "@" in text and (email := _contact_in(text, "email").email):
        return OwnershipProof("email", email)
    compact = _SEPARATORS.sub("", text).upper()
    if re.fullmatch(r"[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6,8}", compact):
        raise InvalidProof("whole_identifier", message_fr("privacy.proof.whole_identifier"))
    if sum(ch.isdigit() for ch in text) >= 9 and (phone := _contact_in(text, "phone").phone):
        return OwnershipProof("phone", phone)
    tokens = [token for token in _PROOF_TOKEN.findall(text) if any(ch.isdigit() for ch in token)]
    if len(compact) == 4 and compact.isalnum():
        return OwnershipProof("last4", compact)
    if len(tokens) == 1:
        return OwnershipProof("last4", tokens[0].upper())
    raise InvalidProof("format", message_fr("privacy.proof.not_recognised"))


@dataclass(frozen=True)
class AttemptState:
    by_conversation: int
    by_reference: int

    @property
    def locked(self) -> bool:
        return self.by_conversation >= MAX_FAILED_ATTEMPTS or self.by_reference >= MAX_FAILED_ATTEMPTS

    def after_one_more_failure(self) -> "AttemptState":
        return AttemptState(self.by_conversation + 1, self.by_reference + 1)


def attempt_state(
    store: ComplaintStore, conversation_key: str, reference: str | None, now: datetime | None = None
) -> AttemptState:
    """Failed proofs within the window, for this conversation and for this reference from anywhere."""
    since = (now or datetime.now(timezone.utc)) - ATTEMPT_WINDOW
    return AttemptState(*store.failed_status_attempts(conversation_key, reference, since))


def status_summary_fr(complaint: ComplaintStatus, organisation: Organisation, today: date) -> str:
    """Status, dates and next step of a complaint whose owner was checked. No identifier, no free text.

    The organisation's acknowledgement, answer and closing, once recorded (complaint desk or its own system),
    replace the deadlines they meet: « CPMS a accusé réception de votre réclamation le …, vous a répondu le … ».
    """
    org = organisation.name
    nature = NATURE_LABELS_FR.get(complaint.nature, complaint.nature)
    status = STATUS_LABELS_FR.get(complaint.status, complaint.status)
    lines = [
        message_fr("privacy.status.summary", reference=complaint.reference, nature=nature.lower(),
                   sent_on=format_date_fr(complaint.sent_on), status=status)
    ]
    if complaint.acknowledged_on:
        lines.append(message_fr("privacy.status.acknowledged_on", organisation=org,
                                date=format_date_fr(complaint.acknowledged_on)))
    elif complaint.acknowledge_by and not complaint.answered_on:
        key = "privacy.status.acknowledge_by" if today <= complaint.acknowledge_by else "privacy.status.acknowledged_by"
        lines.append(message_fr(key, organisation=org, date=format_date_fr(complaint.acknowledge_by)))
    if complaint.answered_on:
        outcome = OUTCOME_LABELS_FR.get(complaint.outcome or "")
        answered_on = format_date_fr(complaint.answered_on)
        lines.append(message_fr("privacy.status.answered_on_outcome", organisation=org, date=answered_on,
                                outcome=outcome) if outcome else
                     message_fr("privacy.status.answered_on", organisation=org, date=answered_on))
    elif complaint.answer_by:
        key = "privacy.status.answer_by" if today <= complaint.answer_by else "privacy.status.answered_by"
        lines.append(message_fr(key, organisation=org, date=format_date_fr(complaint.answer_by)))
    if complaint.closed_on:
        lines.append(message_fr("privacy.status.closed_on", date=format_date_fr(complaint.closed_on)))
    lines.append(_next_step_fr(complaint, organisation, today))
    return "\n".join(lines)


def _next_step_fr(complaint: ComplaintStatus, organisation: Organisation, today: date) -> str:
    # Without an answer recorded, what the assistant knows; an answer received since is the member's to tell.
    answered = complaint.answered_on is not None
    assessment = assess_mediation(facts_of_recorded_complaint(complaint), organisation, today)
    org = organisation.name
    more = message_fr("privacy.status.how_to_refer")
    if answered and assessment.status in ("possible_now", "possible_from") and assessment.latest:
        latest = format_date_fr(assessment.latest)
        if assessment.status == "possible_now" or not assessment.earliest:
            sentence = message_fr("privacy.status.mediation_after_answer_now", of_organisation=organisation.de_name_fr,
                                  latest=latest)
        else:
            sentence = message_fr("privacy.status.mediation_after_answer_from", of_organisation=organisation.de_name_fr,
                                  earliest=format_date_fr(assessment.earliest), latest=latest)
        return f"{sentence} {more}"
    if assessment.status == "possible_now" and assessment.latest:
        now = message_fr("privacy.status.mediation_now", organisation=org, latest=format_date_fr(assessment.latest))
        return f"{now} {more}"
    if assessment.status == "possible_from" and assessment.earliest and assessment.latest:
        sentences = [message_fr("privacy.status.mediation_from", organisation=org,
                                earliest=format_date_fr(assessment.earliest), latest=format_date_fr(assessment.latest))]
        if assessment.after_answer == "immediate":
            sentences.append(message_fr("privacy.status.mediation_on_answer"))
        return " ".join([*sentences, more])
    if assessment.status == "too_late" and assessment.latest:
        return message_fr("privacy.status.mediation_too_late", latest=format_date_fr(assessment.latest))
    if assessment.status == "court_action":
        return message_fr("privacy.status.court_action")
    return message_fr("privacy.status.contact", organisation=org)


# -- erasure and export --------------------------------------------------------------------------------------------


def complaint_retention_fr(organisation: Organisation) -> str:
    """What is kept of recorded complaints, for how long and why, and whom to ask (the DPO).

    From the organisation's data file when it states a retention (``retention_fr``); otherwise the generic rule
    of the seeds (S0's privacy notice, facts.md §6.4): the time needed to perform the contract, then the legal
    prescription periods. No duration is invented (rules.md §7).
    """
    stated = getattr(organisation, "retention_fr", None)
    how_long = stated or message_fr("privacy.retention_default")
    return message_fr("privacy.retention", organisation=organisation.name, how_long=how_long,
                      dpo_contact=organisation.dpo_contact_fr)


def complaint_line_fr(complaint: ComplaintStatus) -> str:
    nature = NATURE_LABELS_FR.get(complaint.nature, complaint.nature).lower()
    return message_fr("privacy.complaint_line", reference=complaint.reference,
                      sent_on=format_date_fr(complaint.sent_on), nature=nature)


# -- retention purge --------------------------------------------------------------------------------------------------

# Rasa's SQLTrackerStore table (rasa/core/tracker_store.py, SQLEvent), described here so that the purge does not
# need to import Rasa; tests/test_privacy.py compares it with Rasa's own and builds its test databases with Rasa's.
_tracker_metadata = MetaData()
EVENTS = Table(
    "events",
    _tracker_metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
SESSION_STARTED = "session_started"


@dataclass(frozen=True)
class TrackerPurge:
    events: int
    conversations: int  # conversations idle for the whole period, deleted entirely


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    tracker: TrackerPurge
    store: PurgeCounts


def _tracker_engine(tracker_store_url: str):
    """An engine on the tracker store, or None when there is no database yet (never creates a SQLite file)."""
    url = make_url(tracker_store_url)
    if url.get_backend_name() == "sqlite" and (not url.database or not Path(url.database).exists()):
        return None
    return create_engine(url, future=True)


def stored_messages(tracker_store_url: str, sender_id: str) -> tuple[int, datetime | None]:
    """How many of the member's messages the tracker store holds for this conversation (all sessions), and the
    time of the first one: what an export must report, older sessions included."""
    engine = _tracker_engine(tracker_store_url)
    if engine is None:
        return 0, None
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("events"):
                return 0, None
            number, first = connection.execute(
                select(func.count(), func.min(EVENTS.c.timestamp)).where(
                    EVENTS.c.sender_id == sender_id, EVENTS.c.type_name == "user"
                )
            ).one()
    finally:
        engine.dispose()
    return number, datetime.fromtimestamp(first, tz=timezone.utc) if first is not None else None


def purge_tracker_events(tracker_store_url: str, before: datetime) -> TrackerPurge:
    """Delete the tracker events older than ``before`` that no live conversation needs.

    A conversation idle since ``before`` goes entirely. In a conversation still in use, only the events of its
    previous sessions go (before its latest ``session_started``): Rasa reads a tracker from its latest session
    start, so the current session is never cut in the middle.
    """
    engine = _tracker_engine(tracker_store_url)
    if engine is None:
        return TrackerPurge(events=0, conversations=0)
    try:
        with engine.begin() as connection:
            if not inspect(connection).has_table("events"):
                return TrackerPurge(events=0, conversations=0)
            cutoff = before.timestamp()
            later = EVENTS.alias("later")
            last_event = (
                select(func.max(later.c.timestamp)).where(later.c.sender_id == EVENTS.c.sender_id).scalar_subquery()
            )
            last_session = (
                select(func.max(later.c.timestamp))
                .where(later.c.sender_id == EVENTS.c.sender_id, later.c.type_name == SESSION_STARTED)
                .scalar_subquery()
            )
            idle = (
                select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(func.max(EVENTS.c.timestamp) < cutoff)
            )
            conversations = connection.execute(select(func.count()).select_from(idle.subquery())).scalar_one()
            deleted = connection.execute(
                delete(EVENTS).where(
                    EVENTS.c.timestamp < cutoff, or_(last_event < cutoff, EVENTS.c.timestamp < last_session)
                )
            ).rowcount
    finally:
        engine.dispose()
    return TrackerPurge(events=deleted or 0, conversations=conversations)


def purge(store: ComplaintStore, tracker_store_url: str, days: int, now: datetime | None = None) -> PurgeReport:
    """The retention purge: conversations older than ``days`` days, in the tracker store and the store.

    Failed status checks go as soon as they no longer count (after the attempt window), whatever ``days``.
    """
    if days < 0:
        raise ValueError("days must be 0 or more")
    now = now or datetime.now(timezone.utc)
    cutoff = now - timedelta(days=days)
    tracker = purge_tracker_events(tracker_store_url, cutoff)
    counts = store.purge(vault_before=cutoff, attempts_before=max(cutoff, now - ATTEMPT_WINDOW))
    return PurgeReport(cutoff=cutoff, tracker=tracker, store=counts)
