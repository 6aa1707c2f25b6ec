"""The NIR ("numéro de sécurité sociale"): normalisation, validation, masking.

Validation is delegated to ``stdnum.fr.nir`` (15 characters, key = 97 - N mod 97 with Corsica's 2A/2B read as
19/18). What this module adds is what a member needs when their answer is refused: a short French message that
says *what* is wrong, so they can fix it without guessing. The clear NIR never leaves the action server: callers
store the compact form encrypted and show :func:`mask_nir` everywhere else.
"""

from __future__ import annotations

import re
import unicodedata

from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
from stdnum.fr import nir as stdnum_nir

from recours.messages import message_fr
from recours.refusals import Refusal

NIR_LENGTH = 15

# Separators a member may type between groups: any whitespace (incl. the non-breaking spaces of French
# typography), dots, dashes of all kinds, underscores and slashes.
_SEPARATORS = re.compile(r"[\s.\-_/\u2010-\u2015]+")
# A NIR-shaped run inside a sentence ("c'est le 2 84 05 ..."): digits, possibly 2A/2B, with separators.
_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])[0-9](?:[\s.\-_/\u2010-\u2015]{0,3}(?:[0-9]|(?<=2)[AaBb]))+(?![0-9A-Za-z])"
)

class InvalidNir(Refusal):
    """A NIR the member typed cannot be accepted; ``message_fr`` tells them why, ``reason`` is for code/tests.

    reasons: ``empty``, ``characters``, ``length``, ``format``, ``key``.
    """


def _clean(raw: str) -> str:
    # NFKC turns full-width digits and letters (copied from some PDFs or phones) into ASCII.
    text = unicodedata.normalize("NFKC", raw or "").strip()
    return _SEPARATORS.sub("", text).upper()


def _extract(raw: str) -> str:
    """The compact candidate: the whole answer, or the one NIR-shaped run inside a sentence."""
    compact = _clean(raw)
    if not compact or re.fullmatch(r"[0-9AB]+", compact):
        return compact
    text = unicodedata.normalize("NFKC", raw)
    runs = [_clean(m.group()) for m in _CANDIDATE.finditer(text)]
    runs = [r for r in runs if len(r) >= 13]
    if len(runs) == 1:
        return runs[0]
    return compact


def normalise_nir(raw: str) -> str:
    """The 15-character compact form (``2A``/``2B`` upper-case) of a NIR typed in any usual way.

    Raises :class:`InvalidNir` with a French message naming the problem.
    """
    compact = _extract(raw)
    if not compact:
        raise InvalidNir("empty", message_fr("nir.not_found"))
    if not re.fullmatch(r"[0-9AB]+", compact):
        raise _refused("characters", message_fr("nir.reasons.characters"))
    if len(compact) == 13:
        raise _refused("length", message_fr("nir.reasons.key_missing"))
    if len(compact) != NIR_LENGTH:
        raise _refused("length", message_fr("nir.reasons.length_counted", count=len(compact)))
    if compact[0] == "0":
        raise _refused("format", message_fr("nir.reasons.leading_zero"))
    try:
        return stdnum_nir.validate(compact)
    except InvalidChecksum:
        raise _refused("key", message_fr("nir.reasons.key")) from None
    except InvalidLength:  # pragma: no cover - length checked above
        raise _refused("length", message_fr("nir.reasons.length")) from None
    except (InvalidFormat, ValidationError):
        raise _refused("format", message_fr("nir.reasons.format")) from None


def _refused(reason: str, why_fr: str) -> InvalidNir:
    """« Ce numéro de sécurité sociale n'est pas valide : » and why."""
    return InvalidNir(reason, message_fr("nir.invalid", reason=why_fr))


def is_valid_nir(raw: str) -> bool:
    try:
        normalise_nir(raw)
    except InvalidNir:
        return False
    return True


def mask_nir(nir: str) -> str:
    """``2 84 ** ** *** *** 15``: sex, year of birth and key only, enough for the member to recognise it.

    Month, place of birth and order number are hidden: together with the name they identify the person.
    """
    compact = _clean(nir)
    if len(compact) != NIR_LENGTH:
        return "*" * 3
    return f"{compact[0]} {compact[1:3]} ** ** *** *** {compact[13:]}"


def nir_last_digits(nir: str, count: int = 4) -> str:
    """The last ``count`` characters of the compact NIR ("se terminant par 1115"), a weak proof of ownership."""
    if count < 1:
        raise ValueError("count must be positive")
    compact = _clean(nir)
    return compact[-count:]
