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
    r"tout à l['’ ]?heure|au d[ée]but|au d[ée]part|juste avant|juste au[- ]dessus|plus t[ôo]t|dans mon (?:premier )?message))?\)?|\b(?:je viens de|j viens de|jviens de) (?:vous |te )?(?:le |vous le |te le )?(?:dire|[ée]crire|r[ée]pondre)"
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


# What an answer's own words are, removed to see whether a fact was typed beside it (folded text); the longer
# forms first (« aucune décision, … » must not leave « décision, … »).
_YES_NO_LEAD = re.compile(r"^\W*(?:(?:aucune decision(?: precise)?|pas de decision(?: precise)?|pas d action en justice|"
                          r"pas de justice|pas de proces|jamais (?:ecrit|envoye|fait|rien envoye)|pas (?:par )?ecrit|"
                          r"rien (?:envoye|ecrit)|non merci|pas du tout|pas encore|oui|ouais|non|nn|nan|si|aucune?|"
                          r"jamais|rien)\b\W*)+")
# Connectors and labels left at the edges of a fragment once the answer or an identifier is cut out (« Et le »,
# « Ou , », « mon mail c'est », « mais »).
_EDGE_WORDS = re.compile(r"^[\s,.;:!-]*(?:(?:et|ou|mais|sinon|puis|donc|alors|bon|ben|par contre|le|la|les|l|au|mon|ma|mes|c est|"
                         r"cest|c|voici|voila|mail|e mail|email|adresse(?: mail| e mail)?|courriel|tel|telephone|"
                         r"portable|mobile|numero(?: de (?:tel|telephone|portable))?|fixe|est)\b[\s,.;:!-]*)+")
_EDGE_WORDS_END = re.compile(r"(?:[\s,.;:!-]+\b(?:et|ou|mais|le|la|mon|ma|c est|cest|au)\b)+[\s,.;:!-]*$")
# Sentences about the conversation itself, not the complaint (« bon je continue ici alors », « STOP j'en ai marre »).
_ABOUT_THE_CHAT = re.compile(r"^\W*(?:(?:bon|ok|alors|bref|allez|voila|bah|ben)\W+)*(?:je (?:continue|continu|reste|"
                             r"poursuis)|on continue|continuons|stop|j en ai marre|je sais pas|jsp|je ne sais pas|"
                             r"merci|ok|d accord|allez y|la suite|suivant|question suivante)\b.{0,25}$")
_IDENTIFIERS = re.compile(r"\S+\s?@\s?\S+|(?<![\w+])\+?\d(?:[ .\-]{0,2}\d){5,}")
_FILLER_WORDS = frozenset(("mon", "ma", "mes", "mail", "email", "e", "adresse", "tel", "telephone", "portable",
                           "numero", "c", "est", "le", "la", "l", "voila", "voici", "et", "de", "du", "ok", "alors",
                           "donc", "courriel", "mobile", "sinon", "au", "ou", "merci", "bien", "sur", "cest", "svp"))
# Words of a bare negation: « Non, je n'en suis pas là » is no fact (members' round 13: « Je n'en suis pas »).
_NEGATION_WORDS = frozenset(("je", "j", "n", "ne", "pas", "en", "y", "suis", "ai", "a", "rien", "plus", "la", "encore"))
MIN_REMARK_WORDS = 4
# An answer taken back right after the first one (« non. ah si … »).
_TAKEN_BACK = re.compile(r"\W*(?:(?:ah|oh|euh|attendez|attends|pardon|en fait|enfin|mince|zut)\W+)+(?:si|oui|non)\b")


def _trimmed(fragment: str) -> str:
    """A fragment without the connectors and labels at its edges (positions kept by ``fold_aligned``)."""
    folded = fold_aligned(fragment)
    lead = _EDGE_WORDS.match(folded)
    start = lead.end() if lead else 0
    tail = _EDGE_WORDS_END.search(folded, start)
    end = tail.start() if tail else len(fragment)
    return fragment[start:end].strip(" ,.;:!-")


def _about_the_complaint(sentence: str) -> bool:
    return not _ABOUT_THE_CHAT.match(fold_aligned(sentence))


def fact_beside_answer(answer_kind: str, text: str) -> str | None:
    """A fact typed beside a short answer, for the record (« nn. jveux juste qu'on me rende les 38,90 en trop »,
    « 06 00 00 00 17, mais plutôt par SMS après 18h »), or None. ``answer_kind``: "yes_no" or "contact". A
    question is not a fact (the form answers it), nor are a few words of politeness, nor what is said about the
    conversation itself (« bon je continue ici alors »); the words left at the edges once the answer is cut out
    (« Et le », « Ou , ») are not kept."""
    if not text or text.rstrip().endswith("?"):
        return None
    if answer_kind == "contact":
        fragments = [_trimmed(part) for part in _IDENTIFIERS.split(text)]
        rest = " ; ".join(f for f in fragments if len(re.findall(r"[a-z0-9]+", fold_aligned(f))) >= 2)
    else:
        lead = _YES_NO_LEAD.match(fold_aligned(text))
        if not lead or _TAKEN_BACK.match(fold_aligned(text), lead.end()):
            return None  # « NON. ah si attendez j'ai envoyé un mail le 25 novembre »: the answer itself, taken back
        rest = _trimmed(text[lead.end():])
    rest = without_already_said(rest).strip(" ,.;:!-")
    sentences = [p.strip() for p in re.split(r"(?<=[.!;])\s+", rest) if p.strip()]
    rest = " ".join(p for p in sentences if _about_the_complaint(p)).strip(" ,.;:!-")
    words = [w for w in re.findall(r"[a-z0-9]+", fold_aligned(rest)) if w not in _FILLER_WORDS]
    if len(words) < MIN_REMARK_WORDS or len([w for w in words if w not in _NEGATION_WORDS]) < 2:
        return None
    return rest[:1].upper() + rest[1:]
