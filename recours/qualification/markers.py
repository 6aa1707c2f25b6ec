"""Finding the dissatisfaction markers of the lexicon in a normalised text: masked neutral phrases first, then
each marker unless it is hypothetical or, for a negatable one, negated in its clause."""

from __future__ import annotations

import re
from dataclasses import dataclass

from recours.qualification.lexicon import (
    CLAUSE_SPLIT,
    DISSATISFACTION,
    HYPOTHETICAL_PATTERNS,
    INTENSIFIER,
    KIND_CUES,
    NEGATION_WINDOW,
    NEGATION_WORDS,
    NEUTRAL_PATTERNS,
    SCOPE_BREAKERS,
    SPECIFIC_REFUSALS,
)


@dataclass(frozen=True)
class Found:
    key: str
    start: int
    end: int


def compile_patterns(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_GROUPS = tuple((g.key, g.negatable, compile_patterns(g.patterns)) for g in DISSATISFACTION)
_NEUTRAL_RE = compile_patterns(NEUTRAL_PATTERNS)
_HYPOTHETICAL_RE = compile_patterns(HYPOTHETICAL_PATTERNS)
CLAUSE_SPLIT_RE = re.compile(CLAUSE_SPLIT)
_KIND_CUE_RES = tuple((k, re.compile(p)) for k, p in KIND_CUES)
_INTENSIFIER_RE = re.compile(INTENSIFIER)


def _clause_start(text: str, position: int) -> int:
    start = 0
    for m in CLAUSE_SPLIT_RE.finditer(text, 0, position):
        start = m.end()
    return start


def _negated(text: str, start: int) -> bool:
    """A negation among the few words before the marker, in the same clause and scope."""
    before = text[_clause_start(text, start):start]
    if _INTENSIFIER_RE.search(before):
        return False
    tokens = before.split()
    for token in reversed(tokens[-NEGATION_WINDOW:]):
        if token in SCOPE_BREAKERS:
            return False
        if token in NEGATION_WORDS:
            return True
    return False


def _hypothetical(text: str, start: int) -> bool:
    return bool(_HYPOTHETICAL_RE.search(text[_clause_start(text, start):start]))


def scan(text: str) -> tuple[list[Found], bool]:
    """Dissatisfaction markers (non-negated, non-hypothetical) and whether one was explicitly denied."""
    masked = _NEUTRAL_RE.sub(lambda m: " " * len(m.group(0)), text)
    found: list[Found] = []
    denied = False
    for key, negatable, rx in _GROUPS:
        for m in rx.finditer(masked):
            if _hypothetical(masked, m.start()):
                continue
            if negatable and _negated(masked, m.start()):
                denied = denied or key in ("anger", "complaint_word", "contest")
                continue
            found.append(Found(key, m.start(), m.end()))
    found.sort(key=lambda f: f.start)
    keys = {f.key for f in found}
    if keys & SPECIFIC_REFUSALS:  # "je veux résilier et ils refusent" is a termination, not a generic refusal
        found = [f for f in found if f.key != "refusal"]
    return found, denied


def cue_kind(text: str) -> str | None:
    """The kind of request a text names when it denies any dissatisfaction (« je voudrais juste savoir »)."""
    for kind, rx in _KIND_CUE_RES:
        if rx.search(text):
            return kind
    return None
