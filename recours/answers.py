"""Short answers members type in a form: yes / no / none, in the ways people actually write them."""

from __future__ import annotations

import re

from recours.text import fold

_YES = (
    "oui", "ouais", "ouai", "ouep", "yes", "si", "bien sur", "biensur", "exact", "exactement", "tout a fait",
    "absolument", "affirmatif", "d'accord", "daccord", "ok", "okay", "oki", "j'accepte", "jaccepte", "j accepte",
    "accepte",
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
# Words a member puts before the answer itself (« Bien. J'accepte donc. », « Grand Dieu non »).
_LEAD_IN = re.compile(
    r"^(?:(?:bien|bon|ben|bah|alors|donc|dans ce cas|dans ces conditions|euh+|heu+|hum+|eh bien|tres bien|ah|oh|"
    r"mais|grand dieu|mon dieu|ma foi|helas|pf+|ecoutez|ecoute|voila|madame|monsieur|bonjour|ma reponse est|mdr|lol|"
    r"ptdr|bah|beh|ouf|soit|eh bien soit|entendu|je vous l'ai (?:deja )?(?:ecrit|dit)(?: a l'instant| plus haut)?|"
    r"je viens de (?:vous )?(?:le )?(?:dire|repondre|ecrire)|comme je (?:vous )?l'ai dit|"
    r"je dirais|je vous dis|je repete|je vous l'ai dit)\s+)+"
)
_NONE = (
    "aucune", "aucun", "non", "rien", "pas de decision", "aucune decision", "pas de decision precise",
    "aucune decision precise", "rien de precis", "pas vraiment", "sans objet", "neant", "je ne sais pas",
    "non aucune", "non rien",
)


# « je ne veux pas faire de réclamation », « c'était juste une question »
NO_COMPLAINT_RE = re.compile(
    r"\b(?:(?:ne )?(?:veux|voulais|souhaite|souhaitais) (?:pas|plus|aucune) (?:faire |deposer |de )?(?:de |une |la )?"
    r"(?:reclamation|plainte)|(?:pas|aucune) (?:de |une )?reclamation|juste une question|simple question|"
    r"juste (?:une information|un renseignement|savoir|me renseigner|demander))\b"
)


def _starts_with_any(folded: str, words: tuple[str, ...]) -> bool:
    return any(folded == w or folded.startswith(w + " ") for w in words)


# The member takes back the answer just given (« NON. AH SI ATTENDEZ J'AI ENVOYÉ UN MAIL », « oui… ah non en fait »).
_TAKEN_BACK = re.compile(r"\b(?:ah|oh|euh|attendez|attends|pardon|en fait|enfin|si si|mince|zut)\W+(?:(?:attendez|attends|"
                         r"pardon|en fait)\W+)*(?P<answer>si|oui|non)\b|\b(?:ah|oh) (?P<alone>si|non)\b")


def parse_yes_no(text: str, intent: str | None = None) -> bool | None:
    """True for a yes, False for a no, None when the answer is neither (ask again)."""
    folded = fold(text)
    first = _first_answer(text, folded)
    taken_back = [m for m in _TAKEN_BACK.finditer(folded or "") if m.start() > 0]
    if first is not None and taken_back:
        last = taken_back[-1]["answer"] or taken_back[-1]["alone"]
        said = last in ("si", "oui")
        if said != first:
            return said  # the answer taken back counts, whatever the classifier read first
    if any(_starts_with_any(candidate, _EMPHATIC_NO) for candidate in (folded, _LEAD_IN.sub("", folded))):
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
    # « action en justice : non, jamais »: the field's name typed before the answer
    labelled = fold(re.sub(r"^[^:]{2,40}:\s*", "", text)) if ":" in text[:42] else folded
    written = re.sub(r"^(?:mettez|mets|mettre|met|notez|note|marquez|marque|ecrivez|cochez)\s+", "",
                     _LEAD_IN.sub("", folded))  # « mettez non », « bon mettez non »
    for candidate in (folded, _LEAD_IN.sub("", folded), labelled, written):
        if _starts_with_any(candidate, _NO):
            return False
        if _starts_with_any(candidate, _YES):
            return True
    # « Un procès… ? Non », « Par écrit, non »: the question repeated, then the answer
    tail = fold(re.split(r"[?:,;]", text)[-1]).strip(" .!…")
    if tail and tail != folded and len(tail.split()) <= 3:
        if _starts_with_any(tail, _NO):
            return False
        if _starts_with_any(tail, _YES):
            return True
    return None


# What a real decision answer names; a « non … » answer naming none of it says there is no decision.
_DECISION_WORDS = re.compile(r"\d|refus|rejet|courrier|lettre|mail|notification|resiliation|radiation|avenant|"
                             r"montant|decompte|calcul|taux|suspension|arret|suppression")


# « je n'ai rien reçu », « je n'ai reçu aucune lettre », « j'ai reçu aucun courrier »: no decision to contest.
_NOTHING_RECEIVED = re.compile(
    r"^(?:(?:non|ben|bah|euh)\W+)*(?:"
    r"(?:je n ai|je n avais) (?:(?:jamais|rien|pas|toujours rien|encore rien|toujours pas|aucun\w*) )?(?:recu|eu)\b"
    r"|(?:j ai|jai) (?:(?:recu|eu) (?:aucun\w*|rien)|rien (?:recu|eu))\b)"
)


def is_none_answer(text: str) -> bool:
    """The member says there is nothing to report ("aucune", "non", "rien", "non pas vraiment de décision")."""
    folded = fold(text)
    folded = re.sub(r"^(?:juste|ben|bah|euh|alors|en fait|bon)\W+", "", folded)  # « juste aucune »
    if folded in _NONE or _starts_with_any(folded, ("aucune", "aucun", "rien", "non aucune", "non rien")):
        return True
    if re.match(r"(?:il )?(?:y a|ya|y a eu|ya eu) (?:pas eu|eu aucune?|rien eu|aucune?|pas de|rien)\b",
                folded.replace("'", " ")):
        return True  # « ya pas eu de réponse du tout »: nothing decided
    if _NOTHING_RECEIVED.match(folded.replace("'", " ")):
        return True  # « Je n'ai reçu aucune lettre, rien du tout »
    return bool(re.match(r"(?:non|nn|nan|pas|je ne conteste|je conteste rien)\b", folded)) and not _DECISION_WORDS.search(
        re.sub(r"\bdecisions?\b", "", folded))
