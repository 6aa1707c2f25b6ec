"""References (``REC-2026-7K4F9Q`` for a complaint, ``RAP-2026-…`` for a call-back): drawn at random, read back whatever
the member's spacing or case."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L, U: a member reading a reference over the phone cannot confuse two characters.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_RE = re.compile(rf"^REC-\d{{4}}-[{REFERENCE_ALPHABET}]{{6}}$")


CALLBACK_PREFIX = "RAP"


def new_reference(year: int, prefix: str = "REC") -> str:
    """``REC-2026-7K4F9Q``: 30^6 (7e8) possibilities per year, from ``secrets`` (not guessable)."""
    return f"{prefix}-{year:04d}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def normalise_reference(raw: str) -> str:
    return re.sub(r"\s+", "", raw or "").upper()
