"""Can the member refer the case to a mediator, from when and until when (rules.md §5, facts.md §3)?

Why a decision procedure rather than a form: the assistant must ask only what the conclusion needs (no date
question when no written complaint was sent, no "satisfied?" question when no answer came) and must explain
its conclusion with the dates. The conditions (Code de la consommation L612-2 and the ACPR 2-month rule):

1. a written complaint was sent to the organisation;
2. its answer does not satisfy the member, or 2 months have passed since sending; an organisation whose
   policy is ``two_months`` (KLESIA) opens mediation only 2 months after sending, even after an answer;
3. less than 1 year since the written complaint was sent;
4. no court action and no other mediator.

Dates:
- ``earliest`` = today when possible now, else the day after the organisation's answer deadline (rules.md §5,
  changed: one rule for the day mediation opens). The answer deadline is the one the member is told when the
  complaint is recorded (recours.deadlines: the organisation's published delay from the first written complaint,
  moved past a Sunday or a public holiday, with the département's local holidays when known), so the two dates
  told in one conversation can never contradict each other: a complaint of Thu 31 Dec 2026 is due an answer by
  Mon 1 Mar 2027 (28 Feb is a Sunday), and mediation opens on Tue 2 Mar 2027. The opening itself is not moved:
  it is the first day referral is allowed, not a deadline, and the mediators' online forms are open every day.
- ``latest`` = first complaint date + 1 year (29 February -> 28 February). **Not** moved to the next jour
  ouvrable: L612-2 is a consumer-code admissibility condition, not a procedural deadline covered by CPC
  art. 642; the online referral forms accept a request on a Sunday or a holiday; and a date that is too
  early costs the member nothing, a date that is too late can cost the mediation. Too late when
  today > latest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, Sequence

from recours.calendar import add_years, format_date_fr
from recours.deadlines import complaint_deadlines
from recours.mediators import Mediator, MediatorChoice, choose_mediator
from recours.messages import message_fr
from recours.organisations import Organisation

Status = Literal[
    "possible_now",
    "possible_from",
    "too_late",
    "written_complaint_first",
    "court_action",
    "other_mediator",
    "satisfied",
]
WaitingReason = Literal["no_answer_yet", "two_months_policy"]

# The order in which the assistant asks for the facts.
FACT_ORDER = (
    "written_complaint_sent",
    "first_complaint_date",
    "answer_received",
    "satisfied",
    "court_action",
    "other_mediator",
    "dispute_subject",
    "carrier_type",
)
ELIGIBLE = ("possible_now", "possible_from")
LIMIT_YEARS = 1


@dataclass(frozen=True)
class MediationFacts:
    """What the member told us; None = not asked / not known yet."""

    written_complaint_sent: bool | None = None
    first_complaint_date: date | None = None
    answer_received: bool | None = None
    satisfied: bool | None = None
    court_action: bool | None = None
    other_mediator: bool | None = None
    carrier_type: str | None = None
    dispute_subject: str | None = None  # a broker's member: "contract" or "broker" (its own conduct)
    # The day the organisation answered, when it recorded its answer (complaint desk, rules.md §11).
    answer_date: date | None = None


def facts_of_recorded_complaint(complaint: Any) -> MediationFacts:
    """The facts a complaint recorded by Recours gives (the store's record: ``sent_on``, ``first_complaint_date``,
    ``answered_on``, ``court_action``): a written complaint from its first written date, answered once the
    organisation recorded its answer (complaint desk) — an answer a member asking about mediation is taken not to
    be satisfied with."""
    answered = complaint.answered_on is not None
    return MediationFacts(
        written_complaint_sent=True,
        first_complaint_date=complaint.first_complaint_date or complaint.sent_on,
        answer_received=answered,
        answer_date=complaint.answered_on,
        satisfied=False if answered else None,
        court_action=bool(complaint.court_action),
        other_mediator=False,
    )


def answer_due(
    first_complaint_date: date, organisation: Organisation | None = None, department: str | int | None = None
) -> date:
    """The organisation's answer deadline for a written complaint sent on ``first_complaint_date``."""
    return complaint_deadlines(first_complaint_date, organisation, department).answer_by


def referral_window(
    first_complaint_date: date, organisation: Organisation | None = None, department: str | int | None = None
) -> tuple[date, date]:
    """(opening without an answer, last day): the day after the answer deadline, and first complaint + 1 year."""
    opening = answer_due(first_complaint_date, organisation, department) + timedelta(days=1)
    return opening, add_years(first_complaint_date, LIMIT_YEARS)


def after_answer_rule(organisation: Organisation, carrier_type: str | None = None) -> str:
    """When, after an answer, the case can be referred: the mediator's own charter decides (rules.md §5, changed).

    The CTIP accepts a case as soon as the institution's written answer is unsatisfactory, although KLESIA's page
    says 2 months after sending in any case; the organisation's setting is kept only where the competent
    mediator's charter is not known (a broker's member who has not said who carries the contract, a mediator
    whose charter is not in data/mediators.yml).
    """
    try:
        mediator = choose_mediator(organisation, carrier_type).mediator
    except ValueError:
        mediator = None
    if mediator is not None and mediator.charter is not None:
        return mediator.charter.after_answer
    return organisation.after_answer


def _blocking_status(facts: MediationFacts) -> Status | None:
    """A known fact that settles the conclusion whatever the others are (precedence in this order)."""
    if facts.satisfied is True:
        return "satisfied"
    if facts.court_action is True:
        return "court_action"
    if facts.other_mediator is True:
        return "other_mediator"
    if facts.written_complaint_sent is False:
        return "written_complaint_first"
    return None


def _is_too_late(facts: MediationFacts, today: date | None) -> bool:
    if today is None or facts.first_complaint_date is None:
        return False
    return today > referral_window(facts.first_complaint_date)[1]


def missing_facts(facts: MediationFacts, organisation: Organisation, today: date | None = None) -> list[str]:
    """Facts still unknown that the conclusion needs, in asking order (see FACT_ORDER).

    A fact that only matters under a condition is listed once the condition is known to hold: the date and
    the answer only after a written complaint is confirmed, "satisfied" only after an answer came. With
    ``today``, a date more than a year old ends the questions (too late whatever the rest). ``dispute_subject``
    (the contract, or the broker's own conduct) and ``carrier_type`` (unless the broker's conduct is at stake)
    are listed last, for a broker only: the status does not need it, the choice of the mediator does.
    """
    if _blocking_status(facts) is not None:
        return []
    if facts.written_complaint_sent is None:
        return ["written_complaint_sent"]
    if _is_too_late(facts, today):
        return []
    missing: list[str] = []
    if facts.first_complaint_date is None:
        missing.append("first_complaint_date")
    if facts.answer_received is None:
        missing.append("answer_received")
    elif facts.answer_received and facts.satisfied is None:
        missing.append("satisfied")
    if facts.court_action is None:
        missing.append("court_action")
    if facts.other_mediator is None:
        missing.append("other_mediator")
    policy = organisation.mediator
    if policy.by_risk_carrier and policy.own_conduct_mediator_fr and facts.dispute_subject is None:
        missing.append("dispute_subject")
    if policy.by_risk_carrier and facts.carrier_type is None and facts.dispute_subject != "broker":
        missing.append("carrier_type")
    return missing


@dataclass(frozen=True)
class MediationAssessment:
    """The conclusion. ``status`` is None while facts it needs are missing (see ``missing``)."""

    status: Status | None
    missing: tuple[str, ...]
    today: date
    organisation: Organisation
    first_complaint_date: date | None
    earliest: date | None
    latest: date | None
    answer_due: date | None  # the organisation's answer deadline; mediation without an answer opens the day after
    waiting_reason: WaitingReason | None
    mediator_choice: MediatorChoice | None
    mention_internal_review: bool
    after_answer: str = "immediate"  # the rule applied after an answer (after_answer_rule)
    answer_date: date | None = None  # the organisation's recorded answer, told with the conclusion

    @property
    def eligible(self) -> bool:
        return self.status in ELIGIBLE

    @property
    def mediator(self) -> Mediator | None:
        return self.mediator_choice.mediator if self.mediator_choice else None

    def slot_values(self) -> dict[str, str | None]:
        """Values of the contract slots ``mediator``, ``mediator_from``, ``mediator_until`` (ISO dates).

        Too late, ``mediator_until`` still holds the last day, which has passed (CONTRACT.md).
        """
        until = self.latest if self.latest and (self.eligible or self.status == "too_late") else None
        return {
            "mediator": self.mediator.id if self.mediator and self.eligible else None,
            "mediator_from": self.earliest.isoformat() if self.earliest and self.eligible else None,
            "mediator_until": until.isoformat() if until else None,
        }

    def explain_fr(self) -> str:
        """The conclusion in a few short French sentences (vouvoiement, dates written out)."""
        return explain_fr(self)


def assess_mediation(
    facts: MediationFacts, organisation: Organisation, today: date, department: str | int | None = None
) -> MediationAssessment:
    """Status, dates, mediator and internal-review mention for ``facts`` on ``today``.

    ``department`` (from the member's postal code) adds its local holidays to the answer deadline.
    """
    missing = tuple(missing_facts(facts, organisation, today))
    core_missing = [name for name in missing if name not in ("carrier_type", "dispute_subject")]
    first = facts.first_complaint_date
    opening, latest = referral_window(first, organisation, department) if first is not None else (None, None)
    due = opening - timedelta(days=1) if opening is not None else None
    rule = after_answer_rule(organisation, facts.carrier_type)

    def result(status: Status | None, earliest: date | None = None, waiting: WaitingReason | None = None):
        eligible = status in ELIGIBLE
        review = organisation.internal_review
        return MediationAssessment(
            status=status,
            missing=missing,
            today=today,
            organisation=organisation,
            first_complaint_date=first,
            earliest=earliest,
            latest=latest,
            answer_due=due,
            waiting_reason=waiting,
            mediator_choice=choose_mediator(organisation, facts.carrier_type, facts.dispute_subject) if eligible else None,
            mention_internal_review=eligible and review.offered and facts.answer_received is True,
            after_answer=rule,
            answer_date=facts.answer_date if facts.answer_received else None,
        )

    blocking = _blocking_status(facts)
    if blocking is not None:
        return result(blocking)
    if _is_too_late(facts, today):
        return result("too_late")
    if core_missing:
        return result(None)

    assert first is not None and opening is not None  # guaranteed: written complaint confirmed, date known
    answered = facts.answer_received is True
    if answered and rule == "immediate":
        return result("possible_now", today)
    if today >= opening:
        return result("possible_now", today)
    return result("possible_from", opening, "two_months_policy" if answered else "no_answer_yet")


def explain_fr(assessment: MediationAssessment) -> str:
    """French conclusion: what is possible, from when, until when, which mediator, optional review."""
    a = assessment
    org = a.organisation.name
    if a.status is None:
        return message_fr("mediation.facts_missing")
    if a.status == "satisfied":
        return message_fr("mediation.satisfied", of_organisation=a.organisation.de_name_fr)
    if a.status == "court_action":
        return message_fr("mediation.court_action")
    if a.status == "other_mediator":
        return message_fr("mediation.other_mediator")
    if a.status == "written_complaint_first":
        then = message_fr(
            "mediation.then_after_two_months" if a.after_answer == "two_months" else "mediation.then_after_answer"
        )
        text = message_fr("mediation.written_complaint_first", of_organisation=a.organisation.de_name_fr, then=then)
        statement = _charter_over_statement_fr(a)
        return f"{text} {statement}" if statement else text
    assert a.latest is not None and a.first_complaint_date is not None
    if a.status == "too_late":
        # what remains is the domain response utter_mediation_too_late_remaining (rules.md §5.3)
        return message_fr("mediation.too_late", first_complaint=format_date_fr(a.first_complaint_date),
                          latest=format_date_fr(a.latest))

    sentences: list[str] = []
    if a.answer_date is not None:
        sentences.append(f"{org} vous a répondu le {format_date_fr(a.answer_date)}.")
    if a.status == "possible_now":
        sentences.append(message_fr("mediation.possible_now", latest=format_date_fr(a.latest)))
    else:
        assert a.earliest is not None
        window = {"earliest": format_date_fr(a.earliest), "latest": format_date_fr(a.latest), "organisation": org}
        if a.waiting_reason == "two_months_policy":
            sentences.append(message_fr("mediation.possible_from_after_answer_too", **window))
        elif a.after_answer == "two_months":
            sentences.append(message_fr("mediation.possible_from_if_disagreement", **window))
        else:
            if a.answer_due is not None and a.answer_due >= a.today:
                sentences.append(message_fr("mediation.answer_due", organisation=org,
                                            answer_due=format_date_fr(a.answer_due)))
            sentences.append(message_fr("mediation.possible_from_without_answer", **window))
            sentences.append(message_fr("mediation.possible_on_answer", organisation=org))
    statement = _charter_over_statement_fr(a)
    if statement:
        sentences.append(statement)
    choice = a.mediator_choice
    if choice is not None:
        sentences.append(choice.explanation_fr)
    sentences.append(message_fr("mediation.free_and_not_binding"))
    review = a.organisation.internal_review
    if a.mention_internal_review and review.summary_fr:
        sentences.append(review.summary_fr)
        if review.required_by_some_carriers and review.carriers_note_fr:
            sentences.append(review.carriers_note_fr)
    return " ".join(sentences)


def _charter_over_statement_fr(a: MediationAssessment) -> str | None:
    """The mediator's rule, and the organisation's differing statement, when the two disagree (rules.md §5)."""
    organisation = a.organisation
    if a.after_answer == organisation.after_answer:
        return None
    try:
        mediator = choose_mediator(organisation, None).mediator
    except ValueError:
        mediator = None
    if mediator is None or mediator.charter is None:
        return None
    name = mediator.in_sentence_fr[:1].upper() + mediator.in_sentence_fr[1:]
    if mediator.charter.after_answer == "immediate":
        rule = message_fr("mediation.charter_after_answer", mediator=name, of_organisation=organisation.de_name_fr)
    else:
        rule = message_fr("mediation.charter_after_two_months", mediator=name)
    statement = " ".join(organisation.mediation.published_fr.split())
    said = message_fr("mediation.organisation_statement", organisation=organisation.name, statement=statement)
    return f"{rule} {said}"


def referral_letter_fr(
    *,
    member_name: str,
    organisation: Organisation,
    mediator: Mediator | None,
    first_complaint_date: date | None,
    summary: str,
    today: date,
    masked_identifier: str | None = None,
    identifier_label_fr: str | None = None,
    answer_received: bool = False,
    answer_date: date | None = None,
    reference: str | None = None,
    contract_holder: str | None = None,
    carrier_name: str | None = None,
    attachments: Sequence[str] | None = None,
    contested_decision: str | None = None,
    more_attachments: Sequence[str] = (),
) -> str:
    """A pre-filled referral letter to the mediator, plain text, for the member to complete and sign.

    ``masked_identifier`` must already be masked (recours.nir / the identifier vault): the letter is shown
    in the chat. ``attachments`` defaults to the usual file (complaint, answer, contract, documents).
    """
    org = organisation.name
    lines: list[str] = [member_name.strip()]
    if masked_identifier:
        label = identifier_label_fr or organisation.identifiers.member_identifier_label_fr
        lines.append(f"{label[:1].upper()}{label[1:]} : {masked_identifier}")
    lines.append("")
    if mediator is not None and mediator.postal_address.lines:
        lines.extend(mediator.postal_address.lines)
    elif mediator is not None:
        lines.append(mediator.name_fr)
    else:
        lines.append(message_fr("mediation.letter.mediator_unknown"))
    lines += ["", message_fr("mediation.letter.dated", date=format_date_fr(today)), ""]

    if carrier_name:
        lines.append(message_fr("mediation.letter.subject_with_carrier", organisation=org, carrier=carrier_name))
    else:
        lines.append(message_fr("mediation.letter.subject", organisation=org))
    if reference:
        lines.append(message_fr("mediation.letter.reference", reference=reference))
    if contract_holder:
        lines.append(message_fr("mediation.letter.contract_holder", contract_holder=contract_holder))
    lines += ["", message_fr("mediation.letter.salutation"), ""]

    # Never a date the member did not give: a placeholder to complete instead.
    sent = (format_date_fr(first_complaint_date) if first_complaint_date
            else message_fr("mediation.letter.complaint_date_unknown"))
    lines.append(message_fr("mediation.letter.complaint_sent", sent_on=sent, organisation=org))
    if answer_received and answer_date is not None:
        lines.append(message_fr("mediation.letter.answered_on", organisation=org,
                                answer_date=format_date_fr(answer_date)))
    elif answer_received:
        lines.append(message_fr("mediation.letter.answered", organisation=org))
    else:
        lines.append(message_fr("mediation.letter.no_answer"))
    lines += ["", message_fr("mediation.letter.summary"), summary.strip()]
    if contested_decision:
        lines.append(message_fr("mediation.letter.contested", decision=contested_decision.strip().rstrip(".")))
    lines.append("")
    lines.append(message_fr("mediation.letter.no_other_procedure"))
    lines += ["", message_fr("mediation.letter.attachments")]
    if attachments is None:
        sent_on = format_date_fr(first_complaint_date)
        attachments = [message_fr("mediation.letter.attachment_complaint", sent_on=sent_on)]
        if answer_received and answer_date is not None:
            attachments.append(message_fr("mediation.letter.attachment_answer_dated",
                                          of_organisation=organisation.de_name_fr,
                                          answer_date=format_date_fr(answer_date)))
        elif answer_received:
            attachments.append(message_fr("mediation.letter.attachment_answer",
                                          of_organisation=organisation.de_name_fr))
        attachments += [message_fr("mediation.letter.attachment_contract"),
                        message_fr("mediation.letter.attachment_documents")]
    lines.extend(f"- {item}" for item in [*attachments, *more_attachments])
    lines += [
        "",
        message_fr("mediation.letter.closing"),
        "",
        member_name.strip(),
    ]
    return "\n".join(lines)
