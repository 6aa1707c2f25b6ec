"""The words of French dates (accent-folded, lower case) and the text as the grammar reads it: folded
(recours.text), misspelt month names corrected (« fevier », « septmbre », « octobe »)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from recours.text import corrections, fold

MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2,
    "mars": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juil": 7, "juill": 7,
    "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}
# Full names, the only targets of typo correction ("fevier", "septmbre", "octobe"), by the edits allowed.
_SHORT_MONTHS = frozenset({"janvier", "fevrier", "avril", "juillet", "octobre"})
_LONG_MONTHS = frozenset({"septembre", "novembre", "decembre"})
# Month words allowed alone ("en sept" is too close to the number seven, "mars"/"mai" are fine).
MONTH_ALONE = {k: v for k, v in MONTHS.items() if k not in {"sept", "sep", "jan", "dec", "oct", "nov"}}
# Folded words at edit distance 1-2 of a month name that are not months.
_NOT_MONTHS = frozenset({"avait", "octave", "joindre", "nombre", "nombres", "decombre", "decombres"})

NUMBER_WORDS: dict[str, int] = {
    "un": 1, "une": 1, "premier": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "dix sept": 17, "dix huit": 18, "dix neuf": 19, "vingt": 20, "vingt et un": 21,
    "vingt deux": 22, "vingt trois": 23, "vingt quatre": 24, "vingt cinq": 25, "vingt six": 26,
    "vingt sept": 27, "vingt huit": 28, "vingt neuf": 29, "trente": 30, "trente et un": 31,
}

WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}

# Answers meaning "I don't know": a specific message asks for an approximate date instead.
UNKNOWN_RE = re.compile(
    r"\b(je (ne )?(sais|sait|sai) (plus|pas)|j ?sais (plus|pas)|jsp|aucune idee|sais plus|sais pas|"
    r"(ne )?(me )?(souviens|rappelle) (plus|pas)|oublie|pas de date|je ne sais)\b"
)
# Vague quantities we refuse to turn into a date.
VAGUE_RE = re.compile(r"\b(quelques|plusieurs|longtemps|recemment|un moment|un bail)\b")


def alternation(words: list[str] | tuple[str, ...] | Any) -> str:
    """Regex alternation, longest first so "vingt et un" wins over "vingt"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def date_text(text: str) -> str:
    """Lower case, no accents, apostrophes as spaces, words joined by hyphens split (« mi-juin », « avant-hier »),
    the dots and hyphens of « 03.09.2026 » and « 2026-09-03 » kept; misspelt month names corrected."""
    folded = fold(text, apostrophes=" ", hyphens="words", ligatures=True, signs="dates")
    return re.sub(r"[a-z]{5,}", lambda m: _month_typo(m.group(0)) or m.group(0), folded)


@lru_cache(maxsize=2048)
def _month_typo(token: str) -> str | None:
    """Full month name for a misspelt one (one edit up to 7 letters, two beyond), only when a single month is
    that close, for words of 5+ letters starting with the same letter."""
    if len(token) < 5 or token in MONTHS or token in _NOT_MONTHS:
        return None
    found = set(corrections(token, _SHORT_MONTHS, 1)) | set(corrections(token, _LONG_MONTHS, 2))
    return found.pop() if len(found) == 1 else None
