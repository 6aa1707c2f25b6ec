"""The member's postal code, read from what they type, and the département whose holidays it brings.

Why: a jour ouvrable is not the same day everywhere (rules.md §4). In Moselle, Bas-Rhin and Haut-Rhin
(57, 67, 68) Good Friday and 26 December are public holidays; each overseas département has its
abolition-of-slavery day (recours.calendar, ``holidays``). The complaint form asks for the postal code —
optional, as CPMS's own list has the postal address — and the acknowledgement count, the answer deadline and
the day mediation opens use the département's calendar.

What a member types at that question: a code (« 67000 », « 67 000 »), a whole address (« 3 rue des Lilas
68100 Mulhouse », the code is taken from it), or a way to skip it (« je ne sais pas », « passer », « non »).
Only the code is kept (CONTRACT.md, slot ``postal_code``): never the street.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recours.text import fold

# 5 digits, optionally « 67 000 »; not part of a longer number (a phone number, a NIR).
_CODE_RE = re.compile(r"(?<![\d])(\d{2})\s?(\d{3})(?![\d])")
_SKIP_RE = re.compile(
    r"^(?:(?:non|nan|bof|euh|ben|merci)\W*)*(?:passe[rz]?|je passe|on passe|suivant|sauter|je saute|non merci|pas envie|"
    r"je prefere (?:ne pas|pas)|pas besoin|plus tard|aucun\w*|rien|non|nan|no)\b"
    r"|\b(?:je (?:ne )?(?:sais|sait|connais) (?:pas|plus)|jsp|aucune idee|sais pas|je ne veux pas|je veux pas)\b"
    r"|\bpasser (?:cette|la) question\b"
)


@dataclass(frozen=True)
class PostalAnswer:
    """``code`` the 5-digit postal code found, or ``skipped`` when the member prefers not to give it."""

    code: str | None = None
    skipped: bool = False


def read_postal_answer(text: str) -> PostalAnswer | None:
    """What ``text`` says as an answer to the postal-code question; None when it is neither a code nor a skip."""
    raw = str(text or "")
    codes = [a + b for a, b in _CODE_RE.findall(raw) if _plausible(a + b)]
    if codes:
        return PostalAnswer(code=codes[-1])  # in an address the code comes last (« 12 rue … 57000 Metz »)
    folded = fold(raw, apostrophes=" ")
    if _SKIP_RE.search(folded):
        return PostalAnswer(skipped=True)
    return None


def _plausible(code: str) -> bool:
    """A French postal code: 01000–95999, Corsica 20xxx, overseas 97xxx/98xxx."""
    return "01000" <= code <= "98999"


def department_of(postal_code: str | None) -> str | None:
    """The département of a postal code, as recours.calendar reads it: "57", "67", "974"…; None when unknown.

    Overseas postal codes start with the 3-digit département (971 Guadeloupe … 976 Mayotte); Corsica's 20xxx
    has no local holiday, so "20" is enough (the national calendar).
    """
    code = (postal_code or "").strip()
    if not re.fullmatch(r"\d{5}", code):
        return None
    if code.startswith("97") or code.startswith("98"):
        return code[:3]
    return code[:2]
