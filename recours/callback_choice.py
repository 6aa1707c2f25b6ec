"""Which of a conversation's call-backs the member means (members' rounds 12, 14 and 15).

A member who booked two call-backs (one moved, one booked again on another number) says « l'autre rappel de
vendredi sur le 27, il est bien annulé ? », « pas celui-là, je voulais garder celui du 72 et annuler celui du
27 », « le rappel de midi ». The last one booked is not always the one meant: this module reads what designates a
call-back — its reference, the last two digits of its number, its day, its hour, « l'autre », « le premier » — and
what the member wants kept. No Rasa import.

``pick`` returns the references the text designates among the booked ones; one reference is a choice, several
mean the member is asked which (never a guess that cancels the wrong call-back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, Sequence

from recours.patterns import patterns
from recours.settings import PARIS
from recours.text import fold_aligned

_P = patterns("callback_choice")
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


class Booked(Protocol):
    reference: str
    window_start: datetime
    window_end: datetime
    phone_masked: str
    cancelled: bool


@dataclass(frozen=True)
class Choice:
    """What the text designates: ``chosen`` (the call-backs it names to act on, oldest first) and ``kept`` (the
    ones it says to keep: « je voulais garder celui du 72 »)."""

    chosen: tuple[str, ...]
    kept: tuple[str, ...] = ()


def _matches(callback: Booked, kind: str, value: str) -> bool:
    start = callback.window_start.astimezone(PARIS)
    end = callback.window_end.astimezone(PARIS)
    if kind == "phone":
        return callback.phone_masked.replace(" ", "").endswith(value)
    if kind == "weekday":
        return WEEKDAYS[start.weekday()] == value
    if kind == "day":
        return start.day == int(value)
    if kind == "hour":
        hour = int(value)
        return start.hour <= hour < max(end.hour, start.hour + 1)
    return False


def _designators(folded: str) -> list[tuple[int, str, str]]:
    """(position, kind, value) of every designator in the folded text."""
    found: list[tuple[int, str, str]] = []
    for match in _P.phone_ending.finditer(folded):
        found.append((match.start(), "phone", match.group("digits")))
    for match in _P.weekday.finditer(folded):
        found.append((match.start(), "weekday", match.group("weekday")))
    for match in _P.day.finditer(folded):
        found.append((match.start(), "day", match.group("day")))
    for match in _P.hour.finditer(folded):
        found.append((match.start(), "hour", "12" if match.group("noon") else match.group("hour")))
    return sorted(found)


def _kept_by_nearest_verb(before: str) -> bool:
    """« je voulais garder celui du 72 et annuler celui du 27 »: the verb nearest before a designator says
    whether it is kept or acted on."""
    keeps = [m.end() for m in _P.keep_before.finditer(before)]
    acts = [m.end() for m in _P.act_before.finditer(before)]
    return bool(keeps) and max(keeps) > max(acts, default=-1)


def pick(text: str, booked: Sequence[Booked], *, acting_on_cancelled: bool = False) -> Choice:
    """The call-backs ``text`` designates among ``booked`` (oldest first). Without any designator, every active
    one is chosen (the caller asks which when there are several). ``acting_on_cancelled``: the question is about
    cancellations (« il est bien annulé ? »), so cancelled ones may be designated too."""
    folded = fold_aligned(text or "")
    candidates = [c for c in booked if acting_on_cancelled or not c.cancelled]
    by_reference = [c.reference for c in candidates if c.reference.lower() in folded.replace(" ", "-")]
    if by_reference:
        return Choice(tuple(by_reference))
    chosen_sets: list[set[str]] = []
    kept: set[str] = set()
    for position, kind, value in _designators(folded):
        designated = {c.reference for c in booked if _matches(c, kind, value)}
        if not designated:
            continue
        if _kept_by_nearest_verb(folded[max(0, position - 40):position]):
            kept |= designated
        else:
            chosen_sets.append(designated)
    active = [c.reference for c in candidates]
    chosen = [r for r in active if r not in kept]
    for designated in chosen_sets:
        narrowed = [r for r in chosen if r in designated]
        if narrowed:
            chosen = narrowed
    if _P.the_other.search(folded) and len(chosen) > 1 and not chosen_sets:
        chosen = chosen[:-1]  # « l'autre »: not the one booked last, the one just talked about
    elif _P.the_first.search(folded) and len(chosen) > 1:
        chosen = chosen[:1]
    elif _P.the_last.search(folded) and len(chosen) > 1:
        chosen = chosen[-1:]
    return Choice(tuple(chosen), tuple(r for r in (c.reference for c in booked) if r in kept))


def asks_if_cancelled(text: str) -> bool:
    """« il est bien annulé ? », « il est annulé ou pas, le rappel au 72 ? »: a question, not an order."""
    return bool(_P.asks_if_cancelled.search(fold_aligned(text or "")))


def designates(text: str) -> bool:
    """The text names a call-back: its number's ending, day, hour, « l'autre », « le premier », « le dernier »."""
    folded = fold_aligned(text or "")
    return bool(_designators(folded) or _P.the_other.search(folded) or _P.the_first.search(folded)
                or _P.the_last.search(folded))


def undo_of_cancellation(text: str) -> str | None:
    """What a message typed just after a call-back was cancelled says about that cancellation: ``"keep"`` (« non
    finalement gardez-le », « en fait si »: restore it), ``"rebook"`` (« en fait si rappelez-moi jeudi
    après-midi »: a new call-back at another moment, same number), ``"instead"`` (« non pardon pas celui-là »,
    « celui de vendredi plutôt »: restore it and cancel the one meant; also a call-back named alone), ``"as_well"``
    (« et celui de vendredi aussi »), or None."""
    folded = fold_aligned(text or "")
    named = designates(text)
    if _P.call_again.search(folded) and _P.moment.search(folded) and not _P.wrong_one.search(folded) \
            and not _P.as_well.search(folded) and not re.search(r"\bcel(?:ui|le)\b", folded):
        return "rebook"
    if _P.keep_it.search(folded) and not named:
        return "keep"
    if _P.wrong_one.search(folded):
        return "instead"
    if _P.as_well.search(folded) and named:
        return "as_well"
    if named:
        return "instead"  # « celui de vendredi » alone: the one meant (the caller checks it is another one)
    return None
