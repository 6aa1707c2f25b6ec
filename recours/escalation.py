"""The practical questions a member asks once told how to escalate (issue 11, members' round 21): « je dois envoyer
ça en recommandé ? », « vous pouvez me faire un modèle de lettre ? », « une lettre ou deux ? », « y a-t-il plus
rapide ? », « par la poste ou en ligne ? », « 18 janvier CRA et 28 janvier CMRA, c'est bien ça ? ».

Answered from what the conversation established: the CPAM decisions whose appeal deadline was given (each with its
own date and commission, :class:`Appeal`), or the mediator named by the guidance. Before, they were read as new
requests (« Ce n'est pas une réclamation mais une demande de service… ») or got « Je vous ai donné cette
information plus haut » three times in a row. No Rasa import; the facts come from data/cpam.yml and
data/mediators.yml, the sentences from messages_fr.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from recours.calendar import format_date_fr
from recours.dates.vocabulary import MONTHS
from recours.messages import message_fr
from recours.text import fold

# The side-question kinds (recours/data/side_questions_fr.yml) this module answers after a guidance.
KINDS = ("registered_letter", "letter_model", "how_many_letters", "faster", "online_or_post", "dates_right")


@dataclass(frozen=True)
class Appeal:
    """A CPAM decision whose appeal deadline the member was given."""

    notified: date
    medical: bool
    until: date

    def to_slot(self) -> dict[str, Any]:
        return {"notified": self.notified.isoformat(), "medical": self.medical, "until": self.until.isoformat()}

    @classmethod
    def from_slot(cls, value: Any) -> "Appeal | None":
        try:
            return cls(date.fromisoformat(value["notified"]), bool(value["medical"]), date.fromisoformat(value["until"]))
        except (KeyError, TypeError, ValueError):
            return None


def appeals_in(slot_value: Any) -> list[Appeal]:
    """The appeals kept in the ``cpam_appeals`` slot (a list of :meth:`Appeal.to_slot`), unreadable entries left out."""
    if not isinstance(slot_value, list):
        return []
    return [appeal for appeal in map(Appeal.from_slot, slot_value) if appeal is not None]


def with_appeal(slot_value: Any, appeal: Appeal) -> list[dict[str, Any]]:
    """The slot's appeals with ``appeal`` added: a decision notified the same day is the same decision, its kind and
    deadline replaced (« non, le 28 novembre c'est médical »)."""
    kept = [a for a in appeals_in(slot_value) if a.notified != appeal.notified]
    return [a.to_slot() for a in sorted(kept + [appeal], key=lambda a: a.notified)]


def _commission(medical: bool):
    from recours import cpam

    return cpam.cpam_facts().commission(medical)


def _lines(appeals: Iterable[Appeal]) -> str:
    return "\n".join(
        message_fr("escalation.cpam.appeal_line", commission=_commission(a.medical).short_fr,
                   notified=format_date_fr(a.notified), until=format_date_fr(a.until))
        for a in appeals
    )


# the month words of recours.dates (« janv », « fevrier », « sept »…), the longest first
_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:er)?\s+(" + _MONTH_WORDS + r")\b|\b(\d{1,2})\s*/\s*(\d{1,2})\b")
_COMMISSION = re.compile(r"\b(cmra|cra)\b")


def _said_dates(folded: str) -> list[tuple[int, int, bool | None]]:
    """(day, month, medical) of each date typed, ``medical`` from the commission named beside it (None: none)."""
    said = []
    for clause in re.split(r"[,;]|\bet\b", folded):
        commission = _COMMISSION.search(clause)
        medical = None if commission is None else commission.group(1) == "cmra"
        for m in _DAY_MONTH.finditer(clause):
            if m.group(1):
                day, month = int(m.group(1)), MONTHS[m.group(2)]
            else:
                day, month = int(m.group(3)), int(m.group(4))
            said.append((day, month, medical))
    return said


def _dates_right_fr(folded: str, appeals: list[Appeal]) -> str:
    # the dates typed as deadlines: not the letters' own dates nor the day a decision takes effect (« pour l'arrêt
    # qui s'arrête au 1er décembre (lettre du 20 novembre) j'ai jusqu'au 20 janvier », members' round 22: « Pas
    # tout à fait » to a right summary)
    first, last = min(a.until for a in appeals), max(a.until for a in appeals)
    notified = {(a.notified.day, a.notified.month) for a in appeals}

    def as_deadline(day: int, month: int) -> bool:
        if (day, month) in notified:
            return False
        for year in (first.year, last.year):
            try:
                when = date(year, month, day)
            except ValueError:
                continue
            if (first - when).days <= 15 and (when - last).days <= 60:
                return True
        return False

    # « c'est bien le lundi 4 janvier et pas le samedi 2 janvier ? »: the date set aside is not the member's
    kept = re.sub(r"\b(?:pas|non|et non|plutot que|au lieu du?)\s+(?:le\s+|du\s+|au\s+)?(?:(?:lundi|mardi|mercredi|jeudi|"
                  r"vendredi|samedi|dimanche)\s+)?\d{1,2}(?:er)?\s*(?:/\s*\d{1,2}|\s+(?:" + _MONTH_WORDS + r"))", " ", folded)
    from recours.calendar import add_months

    # two months to the day, typed beside the deadline it moved to (« ça fait le 2 janvier, non ? »): explained below
    nominals = {(n.day, n.month) for a in appeals
                if (n := add_months(a.notified, _commission(a.medical).delay_months)) != a.until}
    said = [(day, month, medical) for day, month, medical in _said_dates(kept)
            if as_deadline(day, month) and (day, month) not in nominals]
    moved = _moved_fr(appeals, folded)
    if not said:
        answer = message_fr("escalation.cpam.dates_are", lines=_lines(appeals))  # « mes dates sont justes ? »
        return f"{answer}\n{moved}" if moved else answer
    right = all(
        any(a.until.day == day and a.until.month == month and (medical is None or a.medical == medical)
            for a in appeals)
        for day, month, medical in said
    )
    answer = message_fr("escalation.cpam.dates_right" if right else "escalation.cpam.dates_not_quite",
                        lines=_lines(appeals))
    return f"{answer}\n{moved}" if moved else answer


def _moved_fr(appeals: list[Appeal], folded: str) -> str | None:
    """Why a deadline is not two months to the day (« deux mois après le 2 novembre, ça fait le 2 janvier, non ? »):
    the day fell on a weekend or a public holiday and the deadline moves to the next working day (CPC 642)."""
    from recours.calendar import add_months

    lines = []
    asked = bool(re.search(r"\b(?:pourquoi|deux mois|2 mois|pas le|et pas)\b", folded))
    typed = {(day, month) for day, month, _ in _said_dates(folded)}
    for a in appeals:
        nominal = add_months(a.notified, _commission(a.medical).delay_months)
        if nominal != a.until and ((nominal.day, nominal.month) in typed or
                                   (asked and (a.until.day, a.until.month) in typed)):
            lines.append(message_fr("escalation.cpam.moved", nominal=format_date_fr(nominal),
                                    until=format_date_fr(a.until)))
    return "\n".join(lines) if lines else None


def cpam_answer_fr(kind: str, question: str, appeals: list[Appeal]) -> str | None:
    """The answer to a practical question about the CPAM appeal (``kind`` of :data:`KINDS`), or None."""
    from recours import cpam

    facts = cpam.cpam_facts()
    folded = fold(question).replace("'", " ")
    kinds = sorted({a.medical for a in appeals}) or [False, True]
    if kind == "registered_letter":
        return " ".join(_commission(medical).sending_fr for medical in kinds)
    if kind == "letter_model":
        where = " ; ".join(f"{_commission(medical).short_fr} : {_commission(medical).how_fr}" for medical in kinds)
        return message_fr("escalation.cpam.letter_contents",
                          items="\n".join(f"• {item}" for item in facts.letter_contents_fr), where=where)
    if kind == "how_many_letters":
        if len(kinds) == 2 and appeals:
            return message_fr("escalation.cpam.two_commissions", lines=_lines(appeals))
        if len(appeals) >= 2:
            return message_fr("escalation.cpam.same_commission", lines=_lines(appeals))
        if len(appeals) == 1:
            return message_fr("escalation.cpam.one_appeal", lines=_lines(appeals))
        return message_fr("escalation.cpam.one_per_decision")
    if kind == "faster":
        answer = facts.no_faster_fr
        if appeals:
            answer += " " + message_fr("escalation.cpam.your_dates", lines=_lines(appeals))
        return answer
    if kind == "online_or_post":
        sending = " ".join(_commission(medical).sending_fr for medical in kinds)
        return message_fr("escalation.cpam.online_or_post", sending=sending,
                          mediator=" ou ".join(facts.mediator_referral_fr))
    if kind == "dates_right" and appeals:
        return _dates_right_fr(folded, appeals)
    return None


def mediator_dates_fr(question: str, possible_from: date | None, until: date | None) -> str | None:
    """« donc c'est bien à partir du 15 novembre ? et jusqu'au 15 septembre 2027 c'est ça ? » once the mediation's
    dates were given (members' round 24, m24-F-03: sent to the customer service): checked against them."""
    if until is None:
        return None
    folded = fold(question).replace("'", " ")
    said = [(day, month) for day, month, _ in _said_dates(folded)]
    if not said:
        return None
    known = {(until.day, until.month)} | ({(possible_from.day, possible_from.month)} if possible_from else set())
    right = all(pair in known for pair in said)
    lines = message_fr("escalation.mediator.dates_line", possible_from=format_date_fr(possible_from),
                       until=format_date_fr(until)) if possible_from else \
        message_fr("escalation.mediator.until_line", until=format_date_fr(until))
    return message_fr("escalation.mediator.dates_right" if right else "escalation.mediator.dates_not_quite", lines=lines)


def mediator_answer_fr(kind: str, mediator_id: str | None, *, answered: bool | None = None,
                       organisation: str | None = None, question: str = "", possible_from: date | None = None,
                       until: date | None = None) -> str | None:
    """The answer to a practical question about referring to the organisation's mediator, or None (no mediator
    named yet, or a kind answered elsewhere: the letter itself is the referral letter's action)."""
    from recours.mediators import delays_fr, mediator_registry

    mediator = mediator_registry().get(mediator_id or "")
    if mediator is None or mediator_id == "cpam_mediateur":
        return None
    online, postal = mediator.online_referral.url, ", ".join(mediator.postal_address.lines)
    if kind == "online_or_post":
        if not postal:
            return message_fr("escalation.mediator.online_only", mediator=mediator.in_sentence_fr, url=online)
        return message_fr("escalation.mediator.online_or_post", url=online, address=postal)
    if kind == "faster":
        return message_fr("escalation.mediator.faster", delays=delays_fr(mediator_id), url=online)
    if kind == "dates_right":
        return mediator_dates_fr(question, possible_from, until)
    if kind == "registered_letter":
        # « Faut-il l'envoyer en recommandé ? » after the letter (members' round 23, m23-D-01: asked in five turns)
        return message_fr("escalation.mediator.registered_letter", mediator=mediator.in_sentence_fr, url=online)
    if kind == "how_many_letters":
        if answered is False and organisation:
            # members' round 22 (m22-F-05 M8): « avec la copie … de la réponse reçue » when none was received
            return message_fr("escalation.mediator.one_file_no_answer", mediator=mediator.in_sentence_fr,
                              organisation=organisation)
        return message_fr("escalation.mediator.one_file", mediator=mediator.in_sentence_fr)
    if kind == "letter_model":
        return message_fr("escalation.mediator.file_contents", mediator=mediator.in_sentence_fr,
                          items="\n".join(f"• {item}" for item in mediator.file_contents.items_fr))
    return None
