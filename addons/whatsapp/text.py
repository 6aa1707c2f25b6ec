"""Texts as WhatsApp shows them: asterisks kept literal, long texts cut where a reader expects a break.

No response of the assistant holds Markdown or HTML (the domain responses and the sentences built in Python are
plain French), so nothing is converted. What WhatsApp would still misread is its own markup: the masked
identifiers the assistant shows ("2 84 ** ** *** *** 15", "j***@exemple.fr") would be taken for bold markers and
garbled on the phone, so every asterisk becomes "∗" (U+2217).
"""

from __future__ import annotations

import re
from typing import List

TEXT_LIMIT = 4096


def whatsapp_text(text: str) -> str:
    """``text`` with its asterisks shown as such ("∗"), no blanks before a line end, at most one empty line."""
    if not text:
        return ""
    text = text.replace("*", "\u2217")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# Boundaries where a long text may be cut, best first. Each: (pattern, cut before the match?).
_CUT_PATTERNS = (
    (re.compile(r"\n[ \t]*\n"), True),
    (re.compile(r"\n"), True),
    (re.compile(r"[.!?…](?:[»)\"'’]*)(?=\s)"), False),
    (re.compile(r"[;:,](?=\s)"), False),
    (re.compile(r"\s"), True),
)


def _first_cut(text: str, limit: int) -> int:
    """Where the first piece of ``text`` ends: the last good boundary within ``limit``, not too early."""
    floor = max(1, limit // 3)
    window = text[: limit + 1]
    for pattern, before in _CUT_PATTERNS:
        cuts = [m.start() if before else m.end() for m in pattern.finditer(window)]
        cuts = [c for c in cuts if floor <= c <= limit]
        if cuts:
            return cuts[-1]
    return limit


def split_text(text: str, limit: int = TEXT_LIMIT) -> List[str]:
    """Pieces of at most ``limit`` characters, cut at paragraphs, else lines, sentences, words."""
    pieces: List[str] = []
    text = text.strip()
    while len(text) > limit:
        cut = _first_cut(text, limit)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def split_tail(text: str, limit: int) -> tuple[str, str]:
    """``(head, tail)`` with ``tail`` the longest ending of ``text`` within ``limit`` that starts at a boundary.

    The tail (usually the question) becomes the body of the interactive message; the head goes before it as text.
    """
    text = text.strip()
    if len(text) <= limit:
        return "", text
    start = len(text) - limit
    for pattern, before in _CUT_PATTERNS:
        match = pattern.search(text, start)  # the earliest boundary in the window gives the longest tail
        if match:
            cut = match.start() if before else match.end()
            tail = text[cut:].strip()
            if tail:
                return text[:cut].rstrip(), tail
    return text[:start].rstrip(), text[start:].strip()
