"""The member's story of the grievance, read out of everything they typed (issue 11, members' round 20).

The description a handler reads must be the grievance told: « deux appareils auditifs de 2 980 euros … vous ne
m'avez remboursé que 400 euros … lettre le 14 octobre », not the question asked at the privacy notice, the
« Alors oui, j'accepte » that followed, nor the CPAM's matter told before the member turned to the organisation.
Members tell it where they please: in the first message, after a question about a word, with their name at the
name question. This module judges each sentence (does it tell the grievance?) and composes the description from
the member's messages; the form's actions give it the messages. No Rasa import.

A sentence tells the grievance when it carries its signs: an amount, a date, an event of the contract (a
reimbursement, a refusal, a letter, a rise of the dues…), a grievance (« toujours pas », « alors que », « que
400 euros »). A message tells a story when its telling sentences carry three kinds of signs (or two in twenty
words or more). Questions (but « pourquoi … ? »), the consent, remarks about the conversation and, in a
complaint against the organisation, sentences complaining of the Assurance Maladie alone are not the story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from recours.patterns import patterns
from recours.qualification.normalise import normalise_text
from recours.remarks import description_text

__all__ = ["Sentence", "sentences", "signs", "story_in", "tells_story", "compose", "weight"]

_P = patterns("story")
_ROUTING = patterns("routing")
_SPLIT = re.compile(r"(?<=[.!?;…])\s+|\n+|(?<=[!?])(?=[A-ZÀ-Ý])")


@dataclass(frozen=True)
class Sentence:
    text: str  # as typed
    signs: frozenset[str]  # which kinds of signs it carries
    telling: bool  # it tells the grievance (before the body's filter)
    cpam_only: bool  # it complains of the Assurance Maladie alone
    normalised: str  # the text as the lexicon reads it


def signs(normalised: str) -> frozenset[str]:
    """The kinds of signs of a grievance in a normalised sentence."""
    found = {"amount": _P.amount, "date": _P.date, "event": _P.event, "grievance": _P.grievance}
    return frozenset(kind for kind, pattern in found.items() if pattern.search(normalised))


def sentences(text: str) -> list[Sentence]:
    """The member's sentences, each judged."""
    out = []
    for raw in _SPLIT.split(text or ""):
        said = raw.strip()
        if not said:
            continue
        normalised = normalise_text(said)
        found = signs(_P.meta.sub(" ", normalised))  # « je l'ai écrit au début », « déposer une réclamation »
        question = said.rstrip().endswith("?")
        telling = bool(found)
        if question and not (_P.grievance_question.search(normalised) or "amount" in found):
            telling = False  # « qu'entendez-vous par prescription ? », « la loi Évin interdit-elle … ? »
        if _P.consent.search(normalised) and len(normalised.split()) <= 10:
            telling = False  # « Je vous remercie. Alors oui, j'accepte. »
        cpam_only = bool(_ROUTING.cpam_explicit.search(normalised)) and \
            not _ROUTING.insurer_context.search(_ROUTING.cpam_explicit.sub(" ", normalised)) and \
            bool(_P.cpam_fault.search(normalised)) and not _ROUTING.cpam_did_its_part.search(normalised)
        out.append(Sentence(said, found, telling, cpam_only, normalised))
    return out


def weight(parts: Iterable[Sentence]) -> int:
    """How much of a grievance the sentences tell: the kinds of signs they carry, one more past twenty words."""
    parts = list(parts)
    kinds = set().union(*(p.signs for p in parts)) if parts else set()
    words = sum(len(p.text.split()) for p in parts)
    return len(kinds) + (1 if words >= 20 else 0)


def _kept(parts: Sequence[Sentence], insurer: bool) -> list[Sentence]:
    """The telling sentences, and the plain ones that carry them on (never the ones before the first)."""
    kept: list[Sentence] = []
    for part in parts:
        if insurer and part.cpam_only:
            continue
        if part.telling or (kept and kept[-1].telling and not _P.meta.search(part.normalised)
                            and not part.text.rstrip().endswith("?") and not _P.consent.search(part.normalised)):
            kept.append(part)
    while kept and not kept[-1].telling:
        kept.pop()  # a plain sentence after the story (« Je ne sais pas si c'est une réclamation ou pas. »)
    return kept


def story_in(text: str, *, insurer: bool = True) -> str:
    """The part of a message that tells the grievance, in the member's words (empty when none does)."""
    kept = _kept(sentences(text), insurer)
    return description_text(" ".join(p.text for p in kept)) if kept else ""


def tells_story(text: str, *, insurer: bool = True) -> bool:
    """The message tells (a good part of) the grievance, not only a remark beside an answer."""
    kept = _kept(sentences(text), insurer)
    return weight(kept) >= 3


def compose(messages: Sequence[str], *, insurer: bool = True) -> str:
    """The description from the member's messages, in order: each one's telling part, none twice. Empty when no
    message tells anything (the caller keeps what it had)."""
    parts: list[str] = []
    for message in messages:
        kept = _kept(sentences(message), insurer)
        if weight(kept) < 2:
            continue  # « LE 24/11 je l'ai écrit au début », « MAIS NON c'est contre CPMS ma mutuelle !! »
        told = description_text(" ".join(p.text for p in kept))
        if not told or any(told in earlier for earlier in parts):
            continue
        parts = [earlier for earlier in parts if earlier not in told]
        parts.append(told)
    return "\n".join(parts)
