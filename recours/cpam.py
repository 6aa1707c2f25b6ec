"""The CPAM (Assurance Maladie) path: complaint, médiateur, and the formal appeal with its deadline.

Why separate from insurer mediation: the CPAM is a public social-security body, outside consumer mediation.
It has its own médiateur (CSS L217-7-1, the former conciliateur) and, above all, contesting a decision is a
formal appeal with a deadline (CRA, or CMRA for medical decisions, 2 months from notification; then the pôle
social du tribunal judiciaire). Referring to the médiateur suspends that deadline only once the médiateur has
notified that the case is admissible, so the assistant always tells the member to file the appeal in time and
gives the last date when it knows the notification date (rules.md §6, facts.md §5).

The appeal deadline is a legal deadline: it follows CPC art. 641/642, including Saturday (see
recours.calendar.next_working_day_if_closed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from recours.calendar import add_months, format_date_fr, next_working_day_if_closed
from recours.data_files import Sourced, build, from_key, read_yaml, validate_against
from recours.messages import message_fr
from recours.organisations.texts import join_or_fr
from recours.settings import PACKAGE_DATA
from recours.patterns import patterns
from recours.text import fold

CPAM_FILE = PACKAGE_DATA / "cpam.yml"
CPAM_SCHEMA = PACKAGE_DATA / "cpam.schema.json"


@dataclass(frozen=True)
class Commission:
    """CRA (administrative decisions) or CMRA (medical decisions)."""

    name_fr: str
    short_fr: str
    delay_months: int
    scope_fr: str
    how_fr: str
    sending_fr: str  # whether the appeal must go by registered letter (« recommandé obligatoire ? »)
    silence_months: int  # silence of the commission for this long after receiving the appeal = rejection
    articles: str


@dataclass(frozen=True)
class CpamChannel:
    key: str
    label_fr: str


@dataclass(frozen=True)
class NotReimbursed:
    """A kind of care the Assurance Maladie does not reimburse at all (``not_reimbursed`` in ``data/cpam.yml``)."""

    key: str
    label_fr: str
    pattern: str


@dataclass(frozen=True)
class CpamFacts:
    """``data/cpam.yml``, its four sections (complaint, mediator, appeals, suspension) read into one object."""

    channels: tuple[CpamChannel, ...] = field(metadata=from_key("complaint", "channels"))
    complaint_scope_fr: str = field(metadata=from_key("complaint", "scope_fr"))
    no_answer_wait_weeks: int = field(metadata=from_key("complaint", "no_answer_wait", "weeks"))
    address_fr: str = field(metadata=from_key("complaint", "address_fr"))
    mediator_id: str = field(metadata=from_key("mediator", "mediator_id"))
    mediator_former_name_fr: str = field(metadata=from_key("mediator", "former_name_fr"))
    mediator_referral_fr: tuple[str, ...] = field(metadata=from_key("mediator", "referral_fr"))
    mediator_role_fr: str = field(metadata=from_key("mediator", "role_fr"))
    direct_referral_cases_fr: tuple[str, ...] = field(metadata=from_key("mediator", "direct_referral_cases_fr"))
    medecin_traitant_fr: str = field(metadata=from_key("mediator", "medecin_traitant_fr"))
    defenseur_des_droits_fr: str = field(metadata=from_key("mediator", "defenseur_des_droits_fr"))
    cra: Commission = field(metadata=from_key("appeals", "cra"))
    cmra: Commission = field(metadata=from_key("appeals", "cmra"))
    both_commissions_silence_months: int = field(metadata=from_key("appeals", "both_commissions_silence_months"))
    court_name_fr: str = field(metadata=from_key("appeals", "court", "name_fr"))
    court_delay_months: int = field(metadata=from_key("appeals", "court", "delay_months"))
    enforceability_note_fr: str = field(metadata=from_key("appeals", "enforceability_note_fr"))
    letter_contents_fr: tuple[str, ...] = field(metadata=from_key("appeals", "letter", "contents_fr"))
    no_faster_fr: str = field(metadata=from_key("appeals", "letter", "no_faster_fr"))
    suspension_rule_fr: str = field(metadata=from_key("suspension", "rule_fr"))
    suspension_advice_fr: str = field(metadata=from_key("suspension", "advice_fr"))
    not_reimbursed: tuple[NotReimbursed, ...] = field(metadata=from_key("not_reimbursed", "practices"))
    not_reimbursed_fr: str = field(metadata=from_key("not_reimbursed", "answer_fr"))
    sources: Mapping[str, Sourced] = field(metadata=from_key())  # each section's source and date

    @property
    def channels_fr(self) -> tuple[str, ...]:
        return tuple(channel.label_fr for channel in self.channels)

    def commission(self, medical: bool) -> Commission:
        return self.cmra if medical else self.cra


@lru_cache(maxsize=2)
def cpam_facts(path: Path = CPAM_FILE) -> CpamFacts:
    """The CPAM facts from ``data/cpam.yml`` (validated, cached)."""
    data = read_yaml(path)
    validate_against(data, CPAM_SCHEMA, origin=path)
    return build(CpamFacts, data, origin=path)


def appeal_deadline(notification_date: date, medical: bool, department: str | int | None = None) -> date:
    """Last day to refer a CPAM decision to the CRA (or the CMRA when ``medical``).

    2 months from the notification (same day number, or the month's last day: CPC 641), moved to the next
    jour ouvrable when it ends on a Saturday, a Sunday or a public holiday (CPC 642).
    """
    months = cpam_facts().commission(medical).delay_months
    return next_working_day_if_closed(add_months(notification_date, months), department, saturday_closed=True)


def silence_months(medical: bool, both_commissions: bool = False) -> int:
    """Months of silence after which the commission's silence counts as a rejection (rules.md §6, changed).

    CRA 2 months (R142-6), CMRA 4 months (R142-8-5), a decision contested before both commissions 6 months
    (R142-9-1). Counted from the day the commission received the appeal.
    """
    facts = cpam_facts()
    if both_commissions:
        return facts.both_commissions_silence_months
    return facts.commission(medical).silence_months


def court_window(
    appeal_received_on: date, medical: bool, both_commissions: bool = False, department: str | int | None = None
) -> tuple[date, date]:
    """(first day, last day) to go to the pôle social du tribunal judiciaire when the commission stays silent.

    The silence becomes a rejection when ``silence_months`` have passed since the appeal was received: the court
    can be seized from the next day, within 2 months of that rejection (R142-1-A III), the last day moved past a
    Saturday, Sunday or holiday (CPC 642).
    """
    rejected_on = add_months(appeal_received_on, silence_months(medical, both_commissions))
    last = next_working_day_if_closed(
        add_months(rejected_on, cpam_facts().court_delay_months), department, saturday_closed=True
    )
    return rejected_on + timedelta(days=1), last


def complaint_channels_fr() -> str:
    """Step 1: complain to the CPAM first."""
    return message_fr("cpam.complaint_first", channels=join_or_fr(cpam_facts().channels_fr))


def contacts_fr() -> str:
    """Where a question or a request for the Assurance Maladie goes (not a complaint)."""
    return message_fr("cpam.contacts", channels=join_or_fr(cpam_facts().channels_fr))


_P = patterns("cpam_texts")


def appeal_follow_up_fr(folded: str, organisation: str = "votre complémentaire") -> str | None:
    """The questions members ask after a CPAM appeal's deadline, answered (folded text), or None."""
    answers = []
    if _P.complement_asked.search(folded):
        # « une fois la Sécurité sociale d'accord, ma mutuelle paiera-t-elle le reste ? » (members' round 16)
        answers.append(message_fr("cpam.complement_after", organisation=organisation))
    if _P.by_letter_asked.search(folded):
        # « je n'ai pas d'ordinateur : une lettre recommandée suffit-elle ? » (members' round 16)
        answers.append(message_fr("cpam.by_letter", contacts=contacts_fr()))
    return " ".join(answers) or None


def not_reimbursed_fr(folded: str, organisation: str) -> str | None:
    """« le chiro c'est sécu ou mutuelle qui rembourse ? »: care the Assurance Maladie never reimburses is the
    organisation's to answer (folded text), or None when the text names no such care."""
    facts = cpam_facts()
    for practice in facts.not_reimbursed:
        if re.search(practice.pattern, folded):
            return facts.not_reimbursed_fr.format(practice=practice.label_fr, organisation=organisation)
    return None


def follow_up_fr(folded: str, organisation: str = "votre complémentaire") -> str:
    """A question about the Assurance Maladie right after its guidance: the short answer, not the whole path again
    (folded text)."""
    answered = appeal_follow_up_fr(folded, organisation) if "?" in folded else None
    if answered:
        return answered
    if _P.address_asked.search(folded):
        return cpam_facts().address_fr
    return message_fr("cpam.not_instead_of_cpam", contacts=contacts_fr())


def mediator_fr() -> str:
    """Step 2: the CPAM médiateur, when to refer, how, direct-referral cases, médecin traitant."""
    facts = cpam_facts()
    return message_fr(
        "cpam.mediator", weeks=facts.no_answer_wait_weeks, former_name=facts.mediator_former_name_fr,
        how=join_or_fr(facts.mediator_referral_fr), role=facts.mediator_role_fr,
        cases=" ; ".join(facts.direct_referral_cases_fr), medecin_traitant=facts.medecin_traitant_fr,
    )


def appeal_fr(notification_date: date | None, medical: bool | None, today: date) -> str:
    """Step 3: the formal appeal (CRA/CMRA), with the last date when the notification date is known."""
    facts = cpam_facts()
    if medical is None:
        before = message_fr("cpam.appeal_before_either", cra=facts.cra.name_fr, cmra=facts.cmra.name_fr,
                            how=facts.cmra.how_fr)
        months = facts.cra.delay_months
    else:
        commission = facts.commission(medical)
        before = message_fr("cpam.appeal_before", commission=commission.name_fr, how=commission.how_fr)
        months = commission.delay_months
    sentences = [message_fr("cpam.appeal", before=before, months=months)]
    if notification_date is not None:
        deadline = appeal_deadline(notification_date, bool(medical))
        dates = {"notified": format_date_fr(notification_date), "deadline": format_date_fr(deadline)}
        if today <= deadline:
            sentences.append(message_fr("cpam.appeal_until", **dates))
        else:
            sentences.append(message_fr("cpam.appeal_passed", **dates, note=facts.enforceability_note_fr))
    sentences.append(_silence_fr(medical))
    if notification_date is not None and medical is not None:
        deadline = appeal_deadline(notification_date, medical)
        if today <= deadline:
            opens, closes = court_window(deadline, medical)
            sentences.append(message_fr("cpam.court_example", received=format_date_fr(deadline),
                                        court=facts.court_name_fr, opens=format_date_fr(opens),
                                        closes=format_date_fr(closes)))
    return " ".join(sentences)


def _silence_fr(medical: bool | None) -> str:
    """When the commission's silence counts as a rejection, and the court that comes next."""
    facts = cpam_facts()
    court = message_fr("cpam.court_next", court=facts.court_name_fr, months=facts.court_delay_months)
    both = facts.both_commissions_silence_months
    if medical is None:
        return message_fr("cpam.silence_either", cra_months=facts.cra.silence_months,
                          cmra_months=facts.cmra.silence_months, both_months=both, court=court)
    commission = facts.commission(medical)
    if medical:
        months = message_fr("cpam.silence_months_medical", months=commission.silence_months, both_months=both)
    else:
        months = message_fr("cpam.silence_months", months=commission.silence_months)
    return message_fr("cpam.silence", commission=commission.short_fr, months=months, court=court)


def suspension_fr(
    notification_date: date | None = None, medical: bool | None = None, today: date | None = None
) -> str:
    """Why the appeal must be filed in time even while the médiateur examines the case."""
    facts = cpam_facts()
    text = f"{facts.suspension_rule_fr} {facts.suspension_advice_fr}"
    if notification_date is not None:
        deadline = appeal_deadline(notification_date, bool(medical))
        if today is None or today <= deadline:
            text += " " + message_fr("cpam.deadline", deadline=format_date_fr(deadline))
    return text


def cpam_path_fr(notification_date: date | None, medical: bool | None, today: date) -> str:
    """The whole CPAM path, one paragraph per step."""
    return "\n\n".join(
        [complaint_channels_fr(), mediator_fr(), appeal_fr(notification_date, medical, today),
         suspension_fr(notification_date, medical, today)]
    )




def decision_kind_said(folded: str) -> bool | None:
    """True when the member says the CPAM decision is medical, False administrative, None when they say neither."""
    text = folded.replace("'", " ").replace("-", " ")
    if _P.says_administrative.search(text) and not re.search(r"\bpas administrati\w*", text):
        return False
    if _P.says_medical.search(text):
        return True
    return None




@dataclass(frozen=True)
class OtherDecision:
    """A CPAM decision told after another one's deadline was given."""
    notified: date
    medical: bool | None  # None: the member did not say, the form asks


def quotes_a_deadline(day: date, deadlines: "list[date] | tuple[date, ...]") -> bool:
    """``day`` (whatever its year) is one of the deadlines given, or its date before the weekend's shift, typed
    back by the member (« c'est bien le 4 janvier et pas le samedi 2 janvier ? », members' round 23, m23-D-03: read
    as two decisions of January 2026 whose deadlines had passed)."""
    for until in deadlines:
        try:
            same_year = day.replace(year=until.year)
        except ValueError:
            continue
        if abs((same_year - until).days) <= 3:
            return True
    return False


def _exact_dates(pieces: list[str], today: date, deadlines: "list[date] | tuple[date, ...]" = ()) -> list[date]:
    """The exact dates the pieces of a message name, each once, in order; not the deadlines given, typed back."""
    from recours.dates import DateError, parse_french_date

    found: list[date] = []
    for piece in pieces:
        try:
            parsed = parse_french_date(piece, today)
        except DateError:
            continue
        if not parsed.approximate and parsed.value not in found and not quotes_a_deadline(parsed.value, deadlines):
            found.append(parsed.value)
    return found


# The day a decision takes effect, not the day it was notified (« le médecin conseil dit que mon arrêt n'est plus
# justifié à partir du 1er décembre », members' round 21: taken for a second notification).
_EFFECT_DATE = re.compile(
    r"\b(?:[àa] (?:partir|compter) (?:du|de)|d[èe]s (?:le|la)|depuis (?:le|la)|jusqu[’' ]?(?:au|à la|a la)|"
    r"au[- ]del[àa] du|apr[èe]s le)\s+(?:\w+\s+)?\d{1,2}(?:er)?(?:\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?|"
    r"\s+[a-zéûô]+(?:\s+\d{4})?)", re.I)


def without_effect_dates(text: str) -> str:
    """``text`` without the dates a decision takes effect from (« à partir du 1er décembre »), when it names
    another date (the notification's); unchanged otherwise."""
    stripped = _EFFECT_DATE.sub(" ", text or "")
    return stripped if re.search(r"\d", stripped) else text


@dataclass(frozen=True)
class LetterDates:
    """The dates of one CPAM letter a member tells: printed on it, and the day it was received."""
    printed: date | None
    received: date | None

    @property
    def notified(self) -> date | None:
        """The notification: the day the letter was received, when said; otherwise its printed date."""
        return self.received or self.printed


def letter_dates(text: str, today: date) -> LetterDates:
    """« la lettre est datée du 20 novembre et je l'ai reçue seulement le 24 novembre » (members' round 23,
    m23-B-04: the receipt taken for another decision, the deadline counted from the printed date)."""
    from recours.dates import DateError, parse_french_date

    printed = received = None
    day_only: int | None = None
    for clause in re.split(r"[,.;!?\n]|\bet\b|\bmais\b", text or ""):
        folded = fold(clause).replace("'", " ")
        try:
            parsed = parse_french_date(clause, today)
        except DateError:
            bare = re.search(r"\b(?:le|du)\s+(\d{1,2})(?:er)?\s*$", folded.strip())
            if bare and _P.receipt_cue.search(folded):
                day_only = int(bare.group(1))  # « je l'ai reçu le 19 »: the month is the letter's, or the next
            continue
        if parsed.approximate or parsed.value > today:
            continue
        if _P.receipt_cue.search(folded):
            received = parsed.value
        elif _P.printed_cue.search(folded):
            printed = parsed.value
    if printed and received is None and day_only:
        month = printed if day_only >= printed.day else add_months(printed.replace(day=1), 1)
        try:
            candidate = month.replace(day=day_only)
        except ValueError:
            candidate = None
        if candidate is not None and candidate <= today:
            received = candidate
    if printed and received and not (printed <= received <= printed + timedelta(days=31)):
        printed = received = None  # not the same letter
    return LetterDates(printed, received)


def receipt_of_the_same_letter(text: str, today: date, known: date | None) -> date | None:
    """The day the letter dated ``known`` was received, told after its deadline was given (« je l'ai reçue seulement
    le 24 novembre. C'est quelle date qui compte ? »): the notification the deadline runs from; None when the message
    tells of another decision or no receipt."""
    if known is None:
        return None
    folded = fold(text or "").replace("'", " ")
    if re.search(r"\b(?:autre (?:decision|notification|courrier|lettre|refus)|deuxieme|seconde?|par ailleurs|aussi)\b",
                 folded):
        return None
    dates = letter_dates(text, today)
    received = dates.received
    if received is None or dates.printed not in (None, known) or not known <= received <= known + timedelta(days=31):
        return None
    return received if received != known else None


def other_decision(text: str, today: date, known: date | None,
                   deadlines: "list[date] | tuple[date, ...]" = ()) -> OtherDecision | None:
    """« Par ailleurs le montant des IJ d'octobre est faux aussi … La notification de paiement date du 5 novembre.
    Ça c'est la CRA ? » after the deadline of a decision notified on ``known`` (members' round 20: answered « je ne
    peux pas répondre à la place de votre CPAM », then computed from the first decision's date): the other
    decision, with its own date and, when the member says or shows it, its kind. None when the message names no
    other exact date, or nothing that is a decision."""
    from recours.dates import DateError, parse_french_date

    from recours.qualification.normalise import normalise_text

    folded = fold(text or "").replace("'", " ")
    if not _P.another_decision.search(folded) or patterns("routing").insurer_context.search(normalise_text(text)):
        return None  # (« j'ai aussi écrit à ma mutuelle le 5 novembre » is the insurer's)
    if receipt_of_the_same_letter(text, today, known) is not None:
        return None  # the same letter, received later: its notification (receipt_of_the_same_letter)
    # « … du 5 novembre, pas du 24 octobre »: the date set aside is not the decision's
    text = re.sub(r"\b(?:pas|non|et non|plut[ôo]t que)\s+(?:du|le|celle du|celui du|au)\s+\d{1,2}(?:er)?"
                  r"(?:\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?|\s+\w+(?:\s+\d{4})?)", " ", text, flags=re.I)
    found = [d for d in _exact_dates(re.split(r"\bet\b|,|;|\.(?:\s|$)", without_effect_dates(text)), today,
                                     deadlines) if d != known and d <= today]
    if len(found) != 1:
        return None  # several: each one's deadline is given by more_appeal_deadlines_fr
    medical = decision_kind_said(folded)
    if medical is None and _P.medical_subject.search(folded):
        medical = True
    elif medical is None and _P.administrative_subject.search(folded):
        medical = False
    return OtherDecision(found[0], medical)


def notification_date_told(messages: list[str], today: date) -> date | None:
    """The exact date of the CPAM's letter told in the member's earlier messages, the latest first (« le médecin
    conseil de la cpam a arrêté mon arrêt maladie …, courrier reçu le 24/11 »: members' round 20, asked again)."""
    told = [letter_dates(message, today) for message in messages]
    received = [d.received for d in told if d.received]
    if received:
        return received[-1]  # the notification is the receipt (« j'ai reçu la lettre le 24 novembre … datée du 20 »)
    from recours.dates import exact_past_date

    for message in reversed(messages):
        for clause in re.split(r"[,.;!?\n]|\bet\b", message):
            found = exact_past_date(clause, today) if _P.letter_cue.search(fold(clause).replace("'", " ")) else None
            if found is not None:
                return found
    return None


def tells_several_decisions(text: str) -> bool:
    """« j'ai deux problèmes avec la CPAM … le 2 novembre … et le 10 novembre un autre courrier … je veux contester
    les deux »: more than one decision told in one message."""
    return bool(_P.several_decisions.search(fold(text or "").replace("'", " ")))


def more_appeal_deadlines(text: str, medical: bool | None, today: date,
                          department: str | int | None = None,
                          deadlines: "list[date] | tuple[date, ...]" = (),
                          notified: "list[date] | tuple[date, ...]" = ()) -> list[tuple[date, date]]:
    """(notified, last day) of each other CPAM decision dated in ``text`` (asked after a first one's), or [];
    ``deadlines``: those already given (typed back, they are no decisions); ``notified``: the decisions already
    known (named again, they are no other decision)."""
    from recours.text import fold_aligned

    if not _P.asks_deadline.search(fold_aligned(text or "")):
        return []
    found = [d for d in _exact_dates(re.split(r"\bet\b|,|;", without_effect_dates(text)), today, deadlines)
             if d not in notified]
    return [(day, appeal_deadline(day, bool(decision_kind_near(text, day, today, medical)), department)) for day in found]


def decision_kind_near(text: str, day: date, today: date, default: bool | None) -> bool | None:
    """Whether the decision dated ``day`` is medical, by the words of its own sentence (« le 10 novembre … un
    montant d'IJ faux, ils ont pris un mauvais salaire »: administrative, members' round 23, m23-D-03: put under the
    CMRA with the medical refusal before it); ``default`` when its sentence says neither."""
    from recours.dates import DateError, parse_french_date

    for sentence in re.split(r"[.;!?\n]|\bet (?=le \d)", text or ""):
        try:
            parsed = parse_french_date(sentence, today)
        except DateError:
            continue
        if parsed.value != day:
            continue
        folded = fold(sentence).replace("'", " ")
        said = decision_kind_said(folded)
        if said is not None:
            return said
        if _P.medical_subject.search(folded):
            return True
        if _P.administrative_subject.search(folded):
            return False
    return default


def more_appeal_deadlines_fr(deadlines: list[tuple[date, date]], today: date,
                             kinds: Mapping[date, bool | None] | None = None) -> str | None:
    """The sentence of :func:`more_appeal_deadlines`, or None when there is none; ``kinds``: whether each decision
    (by its notification) is medical, when its words say so, to name its commission."""
    if not deadlines:
        return None
    lines = []
    for notified, last in deadlines:
        medical = (kinds or {}).get(notified)
        if last >= today and medical is not None:
            lines.append(message_fr("cpam.more_deadline_with_commission", notified=format_date_fr(notified),
                                    last=format_date_fr(last), commission=cpam_facts().commission(medical).short_fr))
            continue
        key = "cpam.more_deadline_passed" if last < today else "cpam.more_deadline"
        lines.append(message_fr(key, notified=format_date_fr(notified), last=format_date_fr(last)))
    return message_fr("cpam.more_deadlines", lines="\n".join(lines))
