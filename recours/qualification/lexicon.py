"""The dissatisfaction lexicon, read from recours/data/dissatisfaction_fr.yml: the markers of a réclamation, the
phrases masked or made hypothetical, the scope of a negation, the cues of the other kinds of request."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from recours.settings import PACKAGE_DATA

LEXICON_FILE = PACKAGE_DATA / "dissatisfaction_fr.yml"


@dataclass(frozen=True)
class MarkerGroup:
    key: str  # stable identifier, reported in Qualification.dissatisfaction_markers
    negatable: bool  # False when the pattern itself contains the negation ("pas de réponse")
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    marker_labels_fr: dict[str, str]
    dissatisfaction: tuple[MarkerGroup, ...]
    neutral_patterns: tuple[str, ...]
    hypothetical_patterns: tuple[str, ...]
    clause_split: str
    negation_words: frozenset[str]
    scope_breakers: frozenset[str]
    negation_window: int
    intensifier: str
    specific_refusals: frozenset[str]
    kind_cues: tuple[tuple[str, str], ...]


def expand_fragments(pattern: str, fragments: dict[str, str]) -> str:
    """``{obj}`` -> its fragment; a regex quantifier such as ``{0,40}`` is no fragment name and stays."""
    return re.sub(r"\{([a-z_]+)\}", lambda m: fragments[m.group(1)], pattern)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    fragments = data["fragments"]
    labels = {str(k): str(v) for k, v in data["markers"].items()}
    groups = []
    for group in data["dissatisfaction"]:
        if group["marker"] not in labels:
            raise ValueError(f"{path}: marker {group['marker']!r} has no entry under markers")
        groups.append(MarkerGroup(group["marker"], bool(group["negatable"]),
                                  tuple(expand_fragments(p["pattern"], fragments) for p in group["patterns"])))
    scope = data["scope"]
    return Lexicon(
        marker_labels_fr=labels,
        dissatisfaction=tuple(groups),
        neutral_patterns=tuple(p["pattern"] for p in data["neutral"]),
        hypothetical_patterns=tuple(p["pattern"] for p in data["hypothetical"]),
        clause_split=scope["clause_split"],
        negation_words=frozenset(map(str, scope["negation_words"])),
        scope_breakers=frozenset(map(str, scope["scope_breakers"])),
        negation_window=int(scope["negation_window"]),
        intensifier=scope["intensifier"],
        specific_refusals=frozenset(scope["specific_refusals"]),
        kind_cues=tuple((c["kind"], c["pattern"]) for c in data["kind_cues"]),
    )


_LEXICON = load_lexicon()
MARKER_LABELS_FR = _LEXICON.marker_labels_fr
DISSATISFACTION = _LEXICON.dissatisfaction
NEUTRAL_PATTERNS = _LEXICON.neutral_patterns
HYPOTHETICAL_PATTERNS = _LEXICON.hypothetical_patterns
CLAUSE_SPLIT = _LEXICON.clause_split
NEGATION_WORDS = _LEXICON.negation_words
SCOPE_BREAKERS = _LEXICON.scope_breakers
NEGATION_WINDOW = _LEXICON.negation_window
INTENSIFIER = _LEXICON.intensifier
SPECIFIC_REFUSALS = _LEXICON.specific_refusals
KIND_CUES = _LEXICON.kind_cues
