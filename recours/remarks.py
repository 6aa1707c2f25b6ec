"""What members add around their answers, and what a record must not keep of it (issue 11).

« tom petit jlai deja dit », « je l'ai déjà dit au début ! le complément n'est plus versé »: a remark of impatience
said with an answer given again; « Bonjour Madame, Monsieur. … Je vous remercie par avance » around a
description; « on m'a juste répondu « nous revenons vers vous » », a holding reply described as if it were the
organisation's answer. ``recours.facts`` and the form's validators read the answer without them. No Rasa import.
"""

from __future__ import annotations

import re

from recours.text import fold_aligned
from recours.patterns import patterns

__all__ = ["without_already_said", "description_text", "holding_reply", "fact_beside_answer", "about_reaching"]


_P = patterns("remarks")
_FORM = patterns("complaint_form")


def without_already_said(text: str) -> str:
    """« tom petit jlai deja dit » -> « tom petit »."""
    return _P.already_said.sub(" ", text or "").strip(" ,.;:!")


# What a handler does not need in a description: the greeting, the thanks and closing formulas around it.
_CIVILITIES = r"(?:madame|monsieur|mesdames|messieurs)"
_DESCRIPTION_GREETING = re.compile(
    rf"^(?:(?:bonjour|bonsoir|salut|slt|bjr|hello)\b[\s,.!:;]*(?:{_CIVILITIES}\b(?:[\s,]+(?:et )?{_CIVILITIES}\b)?)?"
    rf"[\s,.!:;]*|(?:ch[eè]re?s? )?{_CIVILITIES}(?:[\s,]+(?:et )?{_CIVILITIES})?\s*[,.!:;]+\s*)+", re.I)




def holding_reply(folded: str) -> bool:
    """The member describes a holding reply, not an answer (folded text)."""
    return bool(_P.holding_reply.search(folded.replace("«", " ").replace("»", " ")))


def description_text(raw: str) -> str:
    """The description as the handler reads it: the member's words without « je l'ai déjà dit au début ! »,
    the greeting before them or the thanks after them (« Bonjour Madame, Monsieur. … Je vous remercie par avance
    de votre obligeance. »)."""
    said = re.sub(r"[ \t]+", " ", raw or "").strip()
    text = _P.already_said.sub(" ", said).strip(" ,;:")
    if text and said and text[0] != said[0]:
        text = text[:1].upper() + text[1:]  # « je l'ai déjà dit au début ! le complément… » -> « Le complément… »
    for _ in range(2):  # « Merci d'avance. Cordialement »
        closed = _P.description_closing.sub("", text).strip()
        if closed != text and closed and closed[-1] not in ".!?":
            closed += "."
        text = closed
    # « … ils n'ont rien versé. J'accepte, avec mon numéro d'adhérent 5530917. » (members' round 16): the consent
    # to the notice and what comes with it are not the grievance
    text = re.sub(r"(?:(?<=[.!?])\s+|^)j['’ ]?acc?ept(?:e|ais)\b[^.!?]*[.!?]?\s*$", "", text, flags=re.I).strip() or text
    stripped = _DESCRIPTION_GREETING.sub("", text).strip()
    if stripped and stripped != text:
        text = stripped[:1].upper() + stripped[1:]
    return text.strip(" ,;:")


_FILLER_WORDS = frozenset(("mon", "ma", "mes", "mail", "email", "e", "adresse", "tel", "telephone", "portable",
                           "numero", "c", "est", "le", "la", "l", "voila", "voici", "et", "de", "du", "ok", "alors",
                           "donc", "courriel", "mobile", "sinon", "au", "ou", "merci", "bien", "sur", "cest", "svp"))
# Words of a bare negation: « Non, je n'en suis pas là » is no fact (members' round 13: « Je n'en suis pas »).
_NEGATION_WORDS = frozenset(("je", "j", "n", "ne", "pas", "en", "y", "suis", "ai", "a", "rien", "plus", "la", "encore"))
MIN_REMARK_WORDS = 4


def _trimmed(fragment: str) -> str:
    """A fragment without the connectors and labels at its edges (positions kept by ``fold_aligned``)."""
    folded = fold_aligned(fragment)
    lead = _P.edge_words.match(folded)
    start = lead.end() if lead else 0
    tail = _P.edge_words_end.search(folded, start)
    end = tail.start() if tail else len(fragment)
    return fragment[start:end].strip(" ,.;:!-")


def _about_the_complaint(sentence: str) -> bool:
    return not _P.about_the_chat.match(fold_aligned(sentence))


def about_reaching(remark: str) -> bool:
    """A remark typed beside the contact is about being reached (« plutôt par SMS après 18h », « pas le matin »), not
    about the grievance (members' round 15: « Je viens de vous le donner » was kept « pour vous joindre »)."""
    return bool(_P.reach_words.search(fold_aligned(remark or "")))


def fact_beside_answer(answer_kind: str, text: str) -> str | None:
    """A fact typed beside a short answer, for the record (« nn. jveux juste qu'on me rende les 38,90 en trop »,
    « 06 00 00 00 17, mais plutôt par SMS après 18h »), or None. ``answer_kind``: "yes_no" or "contact". A
    question is not a fact (the form answers it), nor are a few words of politeness, nor what is said about the
    conversation itself (« bon je continue ici alors »); the words left at the edges once the answer is cut out
    (« Et le », « Ou , ») are not kept."""
    if not text or text.rstrip().endswith("?"):
        return None
    if answer_kind == "contact":
        fragments = [_trimmed(part) for part in _P.identifiers.split(text)]
        # « le nouveau numéro que je vous ai donné, et j.roussel@… » (members' round 17): the number named, no fact
        fragments = [f for f in fragments if not _FORM.given_phone.search(fold_aligned(f).replace("'", " "))]
        rest = " ; ".join(f for f in fragments if len(re.findall(r"[a-z0-9]+", fold_aligned(f))) >= 2)
    else:
        lead = _P.yes_no_lead.match(fold_aligned(text))
        if not lead or _P.taken_back.match(fold_aligned(text), lead.end()):
            return None  # « NON. ah si attendez j'ai envoyé un mail le 25 novembre »: the answer itself, taken back
        rest = _trimmed(text[lead.end():])
    rest = without_already_said(rest).strip(" ,.;:!-")
    sentences = [p.strip() for p in re.split(r"(?<=[.!;])\s+", rest) if p.strip()]
    rest = " ".join(p for p in sentences if _about_the_complaint(p)).strip(" ,.;:!-")
    words = [w for w in re.findall(r"[a-z0-9]+", fold_aligned(rest)) if w not in _FILLER_WORDS]
    # « 06 00 00 00 33 mais plutot par sms » (a real conversation after round 16): a short way of being reached counts
    short_reach = answer_kind == "contact" and len(words) >= 2 and about_reaching(rest)
    if not short_reach and (len(words) < MIN_REMARK_WORDS or len([w for w in words if w not in _NEGATION_WORDS]) < 2):
        return None
    return rest[:1].upper() + rest[1:]
