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
                   r"obligatoire|qu entendez vous|que voulez vous dire|que signifie|comprends pas (?:le mot|ce mot|ce que))\b")
# A question that asks what a word means, the word right after (« qu'entendez-vous exactement par « prescription »
# ? », « c'est quoi un courtier ») or right before (« et/ou ça veut dire quoi ? »): the definition comes before
# any other reading of the words (members' round 20: « prescription » got the deadlines).
_DEFINES_BEFORE = (r"(?:c ?est quoi|cest quoi|c quoi|c koi|c est koi|que veut dire|qu est ce (?:que|qu)|"
                   r"que signifie|qu entendez vous|que voulez vous dire|(?:que )?vous appelez|definition d?|le sens d?|comprends pas)"
                   r"(?:\W+(?:un|une|le|la|les|l|des|du|d|de|exactement|au juste|vous|par|ce mot|le mot|mot|"
                   r"terme|ce terme|le terme|veut dire|dire))*\W+")
_DEFINES_AFTER = r"\W+(?:ca veut dire quoi|veut dire quoi|c est quoi|cest quoi|signifie quoi|ca signifie quoi|kesako)\b"


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


def defined_term(text: str) -> Term | None:
    """The term a question asks the meaning of, when it is named right by the asking words (« qu'entendez-vous par
    « prescription » ? », « c'est quoi un contrat collectif ? », « et/ou ça veut dire quoi ? »); None otherwise
    (« c'est quoi le délai du médiateur ? » asks for a delay, not a definition)."""
    folded = re.sub(r"\s+", " ", fold(text, apostrophes=" ", hyphens=" ").replace("/", " ")).replace("«", " ")
    folded = re.sub(r"[«»\"“”]", " ", folded)
    best: tuple[int, Term] | None = None
    for term in terms():
        for word in term.words:
            named = rf"{re.escape(word)}s?\b"
            if (re.search(_DEFINES_BEFORE + named, folded) or re.search(rf"\b{named}" + _DEFINES_AFTER, folded)) \
                    and (best is None or len(word) > best[0]):
                best = (len(word), term)
    return best[1] if best else None
