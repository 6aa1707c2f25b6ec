"""French button and list-row titles shortened to WhatsApp's limits (20 and 24 characters), still readable, unique.

Titles render no markup on WhatsApp: a title is shown as written, on one line.
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, List

_ARTICLES = frozenset({"le", "la", "les", "un", "une", "des"})
_FILLER_WORDS = _ARTICLES | {"du", "de", "mon", "ma", "mes", "votre", "vos", "son", "sa", "ses"}
_TRAILING = " ,;:-–—'’(…"


def plain_label(label: str) -> str:
    """A button title on one line."""
    return " ".join(str(label or "").split())


def _cut_with_ellipsis(text: str, limit: int) -> str:
    room = limit - 1  # for the "…"
    # A clause boundary ("…, ou je ne sais pas", "… (Mutualité Française)") reads better than a dangling word.
    clauses = [m.start() for m in re.finditer(r",\s|\s[(–—-]\s?", text[: room + 1]) if m.start() >= limit // 2]
    if clauses:
        return text[: clauses[-1]].rstrip(_TRAILING) + "…"
    cut = text[:room]
    if text[room] != " ":
        space = cut.rfind(" ")
        if space >= (limit * 3) // 5:
            cut = cut[:space]
    return cut.rstrip(_TRAILING) + "…"


def ellipsis(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` with "…", at a clause or word boundary unless that would lose too much."""
    if len(text) <= limit:
        return text
    result = _cut_with_ellipsis(text, limit)
    if result.count("(") > result.count(")"):  # "Mutuelle (Mutualité…" -> "Mutuelle (Mutualité…)"
        result = _cut_with_ellipsis(text, limit - 1)
        if result.count("(") > result.count(")"):
            result += ")"
    return result


def _without_leading_article(words: List[str]) -> List[str]:
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        return [words[1][:1].upper() + words[1][1:], *words[2:]]
    return words


def shorten_label(label: str, limit: int) -> str:
    """A French button title within ``limit`` characters, still readable.

    In order: drop trailing punctuation ("Qu'est-ce qu'une réclamation ?"), a leading article ("Une institution
    de prévoyance" -> "Institution de prévoyance"), the articles and possessives after the first word ("Faire une
    réclamation" -> "Faire réclamation"), then cut at a clause or word boundary with "…".
    """
    text = plain_label(label)
    if len(text) <= limit:
        return text
    text = text.rstrip(" ?!.:;")
    if len(text) <= limit:
        return text
    text = " ".join(_without_leading_article(text.split(" ")))
    if len(text) <= limit:
        return text
    compact = " ".join(_compact(text))
    return compact if len(compact) <= limit else ellipsis(compact, limit)


def _compact(label: str) -> List[str]:
    """Words of a label without trailing punctuation, leading article, other articles and possessives."""
    words = _without_leading_article(plain_label(label).rstrip(" ?!.:;").split(" "))
    return words[:1] + [w for w in words[1:] if w.lower() not in _FILLER_WORDS]


def _head_and_end(label: str, limit: int) -> str:
    """First word, "…", and as many last words as fit: tells apart titles that share their beginning."""
    words = _compact(label)
    end: List[str] = []
    for word in reversed(words[1:]):
        if len(words[0]) + 2 + len(" ".join([word, *end])) > limit:
            break
        end.insert(0, word)
    if not end or len(end) == len(words) - 1:
        return ellipsis(" ".join(words), limit)
    return f"{words[0]}… {' '.join(end)}"


def shorten_labels(labels: Iterable[str], limit: int) -> List[str]:
    """Shortened titles, unique within the message (WhatsApp refuses duplicate titles).

    Titles that shortening made equal keep their first and last words instead ("Contester… CPAM",
    "Contester… assureur"); a number tells apart whatever is still equal.
    """
    labels = list(labels)
    titles = [shorten_label(label, limit) or f"Choix {i + 1}" for i, label in enumerate(labels)]
    groups: Dict[str, List[int]] = {}
    for i, title in enumerate(titles):
        groups.setdefault(title.casefold(), []).append(i)
    for indices in groups.values():
        if len(indices) > 1:
            for i in indices:
                titles[i] = _head_and_end(labels[i], limit)
    for i in range(len(titles)):
        if titles[i].casefold() not in {titles[j].casefold() for j in range(i)}:
            continue
        others = {t.casefold() for j, t in enumerate(titles) if j != i}
        number = 2
        while True:
            suffix = f" ({number})"
            candidate = ellipsis(shorten_label(labels[i], limit), limit - len(suffix)) + suffix
            if candidate.casefold() not in others:
                break
            number += 1
        titles[i] = candidate
    return titles
