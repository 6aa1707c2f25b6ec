"""Short answers members type in a form: yes / no / none, in the ways people actually write them."""

from __future__ import annotations

import re

from recours.text import fold
from recours.patterns import patterns

_YES = (
    "oui", "ouais", "ouai", "ouep", "yes", "si", "bien sur", "biensur", "exact", "exactement", "tout a fait",
    "absolument", "affirmatif", "d'accord", "daccord", "ok", "okay", "oki", "j'accepte", "jaccepte", "j accepte",
    "accepte", "jacepte", "j'acepte", "j acepte", "jaccept", "jacept",
    "c'est ca", "cest ca", "c bon", "c'est bon", "confirme", "je confirme", "valide", "je valide", "volontiers",
    "oui merci", "oui bien sur", "en effet", "effectivement", "evidemment", "ouaip", "ouep", "yep", "ui", "wi",
    "voui", "oue", "okay", "oki", "dac", "dak", "daccord", "carrement", "bien entendu", "of course", "yes",
    "vas y", "vas-y", "allez y", "allez-y", "go", "yep", "oui oui",
)
# « bien sûr que non sinon je serais pas là » (members' round 13): a no, before the yes that « bien sûr » starts,
# and whatever a classifier reads in its first words.
_EMPHATIC_NO = ("bien sur que non", "evidemment que non", "bien evidemment que non", "bien sur non", "surement pas")
_NO = _EMPHATIC_NO + (
    "non", "nan", "no", "nope", "pas du tout", "pas encore", "jamais", "aucun", "aucune", "non merci",
    "je refuse", "refuse", "pas vraiment", "negatif", "toujours pas", "pas de reponse", "rien", "rien du tout",
    "pas question", "surtout pas", "nn", "nop", "non non", "nan nan", "niet", "que dalle",
    "pas que je sache", "pas a ma connaissance", "pas pour l'instant", "pas pour le moment", "pa encore",
    "pas tjr", "tjr pas", "toujours rien", "je ne pense pas", "je pense pas", "je ne crois pas", "je crois pas",
    "je ne veux pas", "je veux pas", "je n'accepte pas", "pas d'accord", "certainement pas", "absolument pas",
    "pas la moindre", "pas le moindre", "aucunement", "nullement", "que nenni", "point du tout",
)
_P = patterns("answers")
_NONE = (
    "aucune", "aucun", "non", "rien", "pas de decision", "aucune decision", "pas de decision precise",
    "aucune decision precise", "rien de precis", "pas vraiment", "sans objet", "neant", "je ne sais pas",
    "non aucune", "non rien",
)




def _starts_with_any(folded: str, words: tuple[str, ...]) -> bool:
    return any(folded == w or folded.startswith(w + " ") for w in words)




def parse_yes_no(text: str, intent: str | None = None) -> bool | None:
    """True for a yes, False for a no, None when the answer is neither (ask again)."""
    folded = fold(text)
    first = _first_answer(text, folded)
    taken_back = [m for m in _P.taken_back.finditer(folded or "") if m.start() > 0]
    if first is not None and taken_back:
        last = taken_back[-1]["answer"] or taken_back[-1]["alone"]
        said = last in ("si", "oui")
        if said != first:
            return said  # the answer taken back counts, whatever the classifier read first
    if any(_starts_with_any(candidate, _EMPHATIC_NO) for candidate in (folded, _P.lead_in.sub("", folded))):
        return False  # « bien sûr que non », which a classifier reads as the yes of « bien sûr »
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    return first



def _first_answer(text: str, folded: str) -> bool | None:
    if not folded:
        return None
    folded = re.sub(r"([a-z])\1{2,}", r"\1", folded)  # « ouiii », « nonnn »
    folded = re.sub(r"\bouii\b", "oui", re.sub(r"\bnonn\b", "non", folded))  # « ouii », « nonn » (round 16)
    # « action en justice : non, jamais »: the field's name typed before the answer
    labelled = fold(re.sub(r"^[^:]{2,40}:\s*", "", text)) if ":" in text[:42] else folded
    written = re.sub(r"^(?:mettez|mets|mettre|met|notez|note|marquez|marque|ecrivez|cochez)\s+", "",
                     _P.lead_in.sub("", folded))  # « mettez non », « bon mettez non »
    for candidate in (folded, _P.lead_in.sub("", folded), labelled, written):
        if _starts_with_any(candidate, _NO):
            return False
        if _starts_with_any(candidate, _YES):
            return True
    # « Un procès… ? Non », « Par écrit, non »: the question repeated, then the answer
    tail = fold(re.split(r"[?:,;]|\.\s", text)[-1]).strip(" .!…")
    tail = _P.lead_in.sub("", tail) or tail  # « … ce n'était pas une réclamation. Alors je dirais non. » (round 16)
    if tail and tail != folded and len(tail.split()) <= 3:
        if _starts_with_any(tail, _NO):
            return False
        if _starts_with_any(tail, _YES):
            return True
    return None






def is_none_answer(text: str) -> bool:
    """The member says there is nothing to report ("aucune", "non", "rien", "non pas vraiment de décision")."""
    folded = fold(text)
    folded = re.sub(r"^(?:juste|ben|bah|euh|alors|en fait|bon)\W+", "", folded)  # « juste aucune »
    if folded in _NONE or _starts_with_any(folded, ("aucune", "aucun", "rien", "non aucune", "non rien")):
        return True
    if re.match(r"(?:il )?(?:y a|ya|y a eu|ya eu) (?:pas eu|eu aucune?|rien eu|aucune?|pas de|rien)\b",
                folded.replace("'", " ")):
        return True  # « ya pas eu de réponse du tout »: nothing decided
    if _P.nothing_received.match(folded.replace("'", " ")):
        return True  # « Je n'ai reçu aucune lettre, rien du tout »
    return bool(re.match(r"(?:non|nn|nan|pas|je ne conteste|je conteste rien)\b", folded)) and not _P.decision_words.search(
        re.sub(r"\bdecisions?\b", "", folded))


_FORM = patterns("complaint_form")
# Beyond this, a message is a new statement, not a change of mind about the notice.
CHANGE_OF_MIND_WORDS = 15


def accepts_after_all(text: str) -> bool:
    """« bon ok finalement jaccepte, faut bien que ca bouge », « euh non en fait jaccepte continuons » after the
    privacy notice was refused (members' round 18): the notice accepted after all; « non je refuse toujours » or a
    new statement is not."""
    folded = fold(text or "").replace("'", " ")
    if not folded or len(folded.split()) > CHANGE_OF_MIND_WORDS:
        return False
    if _FORM.refusal_words.search(_FORM.leading_no.sub("", folded)) and not re.search(r"\bpas (?:le choix|trop le choix)\b", folded):
        return False
    if _FORM.accepts.search(folded):
        return True
    # a bare « ok », « ok merci », « ok. et la CRA je l'envoie en recommandé ? » acknowledges, it accepts nothing
    # (members' round 24, m24-F-02: taken as the consent, the name asked); a yes with a change of mind does
    return parse_yes_no(text) is True and bool(re.search(
        r"\b(?:finalement|en fait|je veux bien|allez|continu\w*|on y va|vas y|allez y|je change d avis|bon d accord)\b",
        folded))
