"""What members add around their answers, and what a record must not keep of it (issue 11).

« tom petit jlai deja dit », « je l'ai déjà dit au début ! le complément n'est plus versé »: a remark of impatience
said with an answer given again; « Bonjour Madame, Monsieur. … Je vous remercie par avance » around a
description; « on m'a juste répondu « nous revenons vers vous » », a holding reply described as if it were the
organisation's answer. ``recours.facts`` and the form's validators read the answer without them. No Rasa import.
"""

from __future__ import annotations

import re

from recours.text import fold_aligned

__all__ = ["without_already_said", "description_text", "holding_reply", "fact_beside_answer"]


# « … je l'ai déjà dit », « comme je vous l'ai écrit plus haut »: what a member adds to an answer given again.
_ALREADY_SAID = re.compile(
    r"[ ,.!]*(?:\(?\b(?:comme )?(?:je (?:vous )?l['’ ]?ai|j ?l['’ ]?ai|jte l['’ ]?ai|jte lai|je te l['’ ]?ai|"
    r"jvous l['’ ]?ai|jvous lai|jlai|jl ai) (?:deja |d[ée]j[aà] )?(?:dit|écrit|ecrit|donn[ée]|indiqu[ée])\b(?: (?:plus haut|avant|tout a l['’ ]?heure|"
    r"tout à l['’ ]?heure|au d[ée]but|au d[ée]part|dans mon (?:premier )?message))?\)?|\b(?:je viens de|j viens de|jviens de) (?:vous |te )?(?:le |vous le |te le )?(?:dire|[ée]crire|r[ée]pondre)"
    r"|\bje me suis (?:d[ée]j[aà] )?pr[ée]sent[ée]e?s?(?: plus haut| au d[ée]but| avant)?"
    r"|(?<=[,.;!] )(?:d[ée]j[aà] dit|je r[ée]p[eè]te|tout court)\b|\b(?:d[ée]j[aà] dit|tout court)$)[ ,.!:]*",
    re.I,
)


def without_already_said(text: str) -> str:
    """« tom petit jlai deja dit » -> « tom petit »."""
    return _ALREADY_SAID.sub(" ", text or "").strip(" ,.;:!")


# What a handler does not need in a description: the greeting, the thanks and closing formulas around it.
_CIVILITIES = r"(?:madame|monsieur|mesdames|messieurs)"
_DESCRIPTION_GREETING = re.compile(
    rf"^(?:(?:bonjour|bonsoir|salut|slt|bjr|hello)\b[\s,.!:;]*(?:{_CIVILITIES}\b(?:[\s,]+(?:et )?{_CIVILITIES}\b)?)?"
    rf"[\s,.!:;]*|(?:ch[eè]re?s? )?{_CIVILITIES}(?:[\s,]+(?:et )?{_CIVILITIES})?\s*[,.!:;]+\s*)+", re.I)
_DESCRIPTION_CLOSING = re.compile(
    r"[\s,.;!]*(?:(?:je vous remercie|merci)(?: (?:d['’ ]avance|par avance|beaucoup|bien))?(?: (?:de|pour) "
    r"(?:votre|vos) [\w' ’-]+)?|(?:bien )?cordialement|bonne journ[ée]e|salutations distingu[ée]es)[\s,.;!]*$", re.I)


# A holding reply is not the answer to a complaint (« nous revenons vers vous », « c'est en cours »): the
# organisation's answer deadline and the mediator's date still run from the written complaint.
_HOLDING_REPLY = re.compile(
    r"\b(?:(?:nous|on) (?:revenons|revient|reviendra|reviendrons|va revenir) vers (?:vous|moi)|(?:nous|on) "
    r"(?:regardons|regarde|va regarder|etudions|etudie)\b|c est en cours|(?:c etait|ce serait|est|etait) en cours(?: de "
    r"traitement)?|reponse d attente|simple accuse|juste (?:un )?accuse|accuse de reception (?:seulement|automatique)|"
    r"(?:nous avons|on a) bien recu|message automatique|reponse automatique)\b"
)


def holding_reply(folded: str) -> bool:
    """The member describes a holding reply, not an answer (folded text)."""
    return bool(_HOLDING_REPLY.search(folded.replace("«", " ").replace("»", " ")))


def description_text(raw: str) -> str:
    """The description as the handler reads it: the member's words without « je l'ai déjà dit au début ! »,
    the greeting before them or the thanks after them (« Bonjour Madame, Monsieur. … Je vous remercie par avance
    de votre obligeance. »)."""
    said = re.sub(r"[ \t]+", " ", raw or "").strip()
    text = _ALREADY_SAID.sub(" ", said).strip(" ,;:")
    if text and said and text[0] != said[0]:
        text = text[:1].upper() + text[1:]  # « je l'ai déjà dit au début ! le complément… » -> « Le complément… »
    for _ in range(2):  # « Merci d'avance. Cordialement »
        closed = _DESCRIPTION_CLOSING.sub("", text).strip()
        if closed != text and closed and closed[-1] not in ".!?":
            closed += "."
        text = closed
    stripped = _DESCRIPTION_GREETING.sub("", text).strip()
    if stripped and stripped != text:
        text = stripped[:1].upper() + stripped[1:]
    return text.strip(" ,;:")


# What an answer's own words are, removed to see whether a fact was typed beside it (folded text).
_YES_NO_LEAD = re.compile(r"^\W*(?:(?:oui|ouais|non|nn|nan|non merci|si|aucune?|aucune decision|pas de decision|"
                          r"jamais|pas du tout|pas de justice|pas d action en justice|rien)\b\W*)+")
_FILLER_WORDS = frozenset(("mon", "ma", "mes", "mail", "email", "e", "adresse", "tel", "telephone", "portable",
                           "numero", "c", "est", "le", "la", "l", "voila", "voici", "et", "de", "du", "ok", "alors",
                           "donc", "courriel", "mobile", "sinon", "au", "ou", "merci", "bien", "sur", "cest", "svp"))
MIN_REMARK_WORDS = 4


def fact_beside_answer(answer_kind: str, text: str) -> str | None:
    """A fact typed beside a short answer, for the record (« nn. jveux juste qu'on me rende les 38,90 en trop »,
    « 06 00 00 00 17, mais plutôt par SMS après 18h »), or None. ``answer_kind``: "yes_no" or "contact". A
    question is not a fact (the form answers it), nor are a few words of politeness."""
    if not text or text.rstrip().endswith("?"):
        return None
    if answer_kind == "contact":
        rest = re.sub(r"\S+\s?@\s?\S+", " ", text)
        rest = re.sub(r"(?<![\w+])\+?\d(?:[ .\-]{0,2}\d){5,}", " ", rest)
    else:
        lead = _YES_NO_LEAD.match(fold_aligned(text))
        if not lead:
            return None
        rest = text[lead.end():]
    rest = without_already_said(rest).strip(" ,.;:!-")
    words = [w for w in re.findall(r"[a-z0-9]+", fold_aligned(rest)) if w not in _FILLER_WORDS]
    if len(words) < MIN_REMARK_WORDS:
        return None
    return rest[:1].upper() + rest[1:]
