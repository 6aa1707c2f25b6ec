"""Plain-French definitions of the words members ask about (« c'est quoi un souscripteur ? »), from
recours/data/glossary_fr.yml. No Rasa import."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from recours.text import fold

GLOSSARY_FILE = Path(__file__).parent / "data" / "glossary_fr.yml"
# A question about a word: « c'est quoi … », « que veut dire … », « … ça veut dire quoi », « qu'est-ce qu'un … »
_ASKS = re.compile(r"\b(?:c ?est quoi|cest quoi|que veut dire|ca veut dire|veut dire quoi|qu est ce que?|"
                   r"qu est ce qu|c est qui|cest qui|ca signifie|signifie|definition|kesako|c quoi|c koi|c est koi|ca sert a quoi|"
                   r"sert a quoi|faut il|est ce obligatoire|la meme chose|pareil que|difference entre|"
                   r"obligatoire)\b")


@dataclass(frozen=True)
class Term:
    key: str
    words: tuple[str, ...]
    definition_fr: str


@lru_cache(maxsize=1)
def terms(path: Path = GLOSSARY_FILE) -> tuple[Term, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(Term(t["key"], tuple(t["words"]), " ".join(t["definition_fr"].split())) for t in data["terms"])


def asked_term(text: str) -> Term | None:
    """The term a question asks about, the longest named first; None when the message asks no definition."""
    folded = fold(text, apostrophes=" ", hyphens=" ")
    if not _ASKS.search(folded):
        return None
    best: tuple[int, Term] | None = None
    for term in terms():
        for word in term.words:
            if re.search(rf"\b{re.escape(word)}s?\b", folded) and (best is None or len(word) > best[0]):
                best = (len(word), term)
    return best[1] if best else None
