"""A person's name in what members type (issue 11): « je m'appelle germaine rousseau », « LEROY, Madeleine. »,
« Je vien de vous l'écrire : LEMAIRE, Gérard. », a letter's signature, a name as a sentence of its own after the
consent. Split from ``recours.facts``, which re-exports it. No Rasa import.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from recours.remarks import without_already_said
from recours.text import fold, fold_aligned, nfkc

__all__ = ["clean_name", "leading_name", "name_for", "name_in", "relative_writer", "sentence_name", "writer_named",
           "RelativeWriter"]


_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’\-]+|[A-ZÀ-ÖØ-Þ]{2,}(?:[\-'’][A-ZÀ-ÖØ-Þ]+)*"
_NAME_WORD_ANY = r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’\-]+"
_CIVILITY = r"(?:m\.|mr\.?|mme\.?|mlle\.?|monsieur|madame|mademoiselle)"
_NAME_INTRO = re.compile(
    r"(?:je m['’ ]?\s?appel+e?s?|j[e']?\s?m['’ ]?appel+e?s?|je me nomme|je me pr[ée]sente\s*:?|mon nom (?:est|c['’]?est)|mon nom et (?:mon )?pr[ée]nom\s*:?"
    r"|nom(?:\s*(?:,|et|/|&)?\s*pr[ée]nom)?\s*:|pr[ée]nom\s*(?:,|et|/|&)?\s*nom\s*:|ici|moi c['’]?est|c['’]?est|je suis(?=\s+" + _CIVILITY + r"\s))"
    r"\s+(?:" + _CIVILITY + r"\s+)?"
    r"(?P<name>(?:" + _NAME_WORD_ANY + r")(?:(?:[ \t]+|,[ \t]*)(?:" + _NAME_WORD_ANY + r")){1,3})",
    re.I,
)
# A letter's signature: « Cordialement, Marie Dupont » at the end of a pasted letter.
_SIGNATURE = re.compile(
    r"(?i:cordialement|salutations(?: distinguées| distinguees)?|bien (?:à|a) vous|sinc[eè]res salutations|"
    r"respectueusement|merci d['’]avance|merci|"
    # a formal letter's closing (« … l'assurance de ma considération distinguée. », members' round 20)
    r"(?:consid[ée]ration|sentiments|salutations) (?:(?:les |mes )?(?:meilleure?s|distingu[ée]e?s|respectueux|respectueuses|"
    r"d[ée]vou[ée]e?s)\s*)+|(?:agr[ée]er|croire)[^\n]{0,80}(?:distingu[ée]e?s?|respectueux|respectueuses|meilleurs))"
    r"\s*[,.!]?\s*\n?\s*(?i:" + _CIVILITY + r"\s+)?"
    r"(?P<name>(?:" + _NAME_WORD + r")(?:[ \t]+(?:" + _NAME_WORD + r")){1,2})\s*[.!]?\s*$",
)
# Words that end a name run taken after « je m'appelle »: « je m'appelle Jeanne Petit et je … ».
_NAME_STOP = frozenset(fold(w) for w in (
    "et", "mon", "ma", "mes", "mail", "email", "e-mail", "tel", "telephone", "numero", "n", "adherent", "secu",
    "je", "j", "j'ai", "jai", "née", "nee", "né", "ne", "depuis", "de", "du", "des", "le", "la", "les", "à", "a",
    "au", "pour", "car", "mais", "donc", "voici", "voila", "bonjour", "merci", "svp", "stp", "portable", "sécu",
    "sécurité", "securite", "sociale", "est", "c'est", "cest", "nir", "contrat", "adresse", "chez", "il", "elle",
    "vous", "nous", "on", "qui", "que", "ou", "où", "avec", "sur", "dans", "par", "en", "un", "une", "pas",
))
# Words that never begin or make a name (answers, politeness, the assistant's own vocabulary).
_NOT_NAME = frozenset(fold(w) for w in (
    "bonjour", "bonsoir", "salut", "merci", "oui", "non", "ok", "d'accord", "stop", "aide", "aucune", "aucun",
    "rien", "je", "ne", "sais", "pas", "mutuelle", "cpam", "secu", "remboursement", "réclamation", "reclamation",
    "contrat", "individuel", "collectif", "entreprise", "société", "societe", "votre", "mon", "ma", "le", "la",
    "les", "un", "une", "c'est", "est", "conseiller", "humain", "continuer", "annuler", "corriger", "confirmer",
    "abandonner", "arrêter", "arreter", "laissez", "tomber", "quoi", "comment", "pourquoi", "robot", "vous",
    "madame", "monsieur", "mademoiselle", "mme", "mr", "m", "mlle", "nom", "prénom", "prenom", "et", "numéro",
    "numero", "mail", "email", "téléphone", "telephone", "adhérent", "adherent", "cordialement", "salutations",
    "prévoyance", "prevoyance", "complémentaire", "complementaire", "santé", "sante", "décision", "decision",
    # frequent words of answers that are not names (« trop compliqué », « pas grave », « tout bon »)
    "trop", "tres", "très", "compliqué", "complique", "grave", "tout", "bon", "bien", "mal", "plus", "moins",
    "tant", "pis", "mieux", "faisons", "allons", "nouvelle", "ancienne",
    # « ce n'est pas une réclamation » (members' round 12: « votre nom (Ce N'est) »)
    "ce", "cela", "ca", "ça", "n'est", "n'ai", "c'était", "j'ai", "qu'il", "qu'elle", "attention", "mais",
    "encore", "deja", "déjà", "jamais", "toujours", "peut", "etre", "être", "faire", "fait", "voir", "dire",
    "savoir", "veux", "voudrais", "souhaite", "merde", "zut", "nul", "nulle", "super", "cool", "genial", "top",
    "vrai", "faux", "exact", "correct", "parfait", "possible", "impossible", "urgent", "personne", "quelqu'un",
    "demande", "dossier", "question", "probleme", "problème", "souci", "retard", "refus", "attente", "lettre",
    "courrier", "reponse", "réponse", "date", "jour", "mois", "semaine", "annee", "année", "hier", "demain",
    "aujourd'hui", "matin", "soir", "temps", "moment", "fois", "chose", "truc", "ca", "ça", "cela", "ceci", "ici",
    "là", "la-bas", "mes", "tes", "ses", "nos", "vos", "leur", "leurs", "sa", "son", "ton", "ta", "du", "des",
    "de", "au", "aux", "en", "y", "il", "elle", "ils", "elles", "nous", "on", "tu", "moi", "toi", "lui", "qui",
    "que", "quand", "ou", "où", "si", "mais", "donc", "car", "avec", "sans", "pour", "par", "sur", "sous", "dans",
    "entre", "vers", "chez", "avoir", "ai", "as", "a", "avez", "ont", "suis", "es", "sommes", "etes", "êtes",
    "sont", "sais", "sait", "connais", "comprends", "compris", "attendez", "attends", "attendre", "voila",
    "voilà", "alors", "enfin", "bref", "sinon", "aussi", "meme", "même", "vraiment", "franchement", "honte",
    "honteux", "scandale", "inadmissible", "n'importe", "importe", "laisse", "laissez", "tombe", "tomber",
    "arrete", "arrête", "arrêtez", "arretez", "stoppe", "fini", "finir", "marre", "envoie", "envoyer", "envoyez",
    "valide", "valider", "enregistre", "enregistrer", "appelle", "appeler", "rappel", "rappeler", "parler",
    "conseillère", "conseillere", "agent", "service", "client", "clients", "assurance", "maladie", "vitale",
    "carte", "sécurité", "securite", "sociale", "social", "ameli", "dentiste", "médecin", "medecin", "hopital",
    "hôpital", "lunettes", "optique", "dentaire", "soins", "frais", "euros", "euro", "argent", "paiement",
    # interjections and apologies typed before the name (« ah dsl. lea fontaine », members' round 23: « Ah Dsl »),
    # and the words of a sentence that starts a letter (« Permettez-moi toutefois de préciser »: the name)
    "ah", "oh", "oups", "euh", "bah", "ben", "hein", "ouf", "lol", "mdr", "dsl", "desole", "desolee", "désolé",
    "désolée", "pardon", "excusez", "excusez-moi", "pardonnez-moi", "permettez", "permettez-moi", "toutefois",
    "cependant", "néanmoins", "neanmoins", "pourtant", "préciser", "preciser", "penible", "pénible", "chiant",
    "galere", "galère", "stp", "svp", "merci",
))

# The introductions that only make a name of a short answer (« c'est Paul Durand », not a sentence's « c'est … »).
_WEAK_INTRO = re.compile(r"(?:ici|moi c['’]?est|c['’]?est|je suis)\b", re.I)
_ELIDED = re.compile(r"(?:qu|n|j|m|s|t|c|jusqu|lorsqu|puisqu)['’]", re.I)

# Particles inside a surname (« Jean de la Fontaine », « Van Damme »): allowed between two name words.
_PARTICLES = frozenset(("de", "du", "des", "la", "le", "van", "von", "der", "di", "da", "ben", "el", "dos"))

def clean_name(raw: str) -> str | None:
    """A person's name from a short answer (« je m'appelle germaine rousseau » -> « Germaine Rousseau »), or None.

    Accepts 2 to 4 words of letters (hyphens and apostrophes inside), once the introduction (« je m'appelle »,
    « nom : », a civility) and politeness around it are removed.
    """
    text = re.sub(r"\s+", " ", without_already_said(nfkc(raw))).strip(" .,!;:-")
    if not text or any(ch.isdigit() for ch in text):
        return None
    intro = _NAME_INTRO.search(text)
    if intro and _WEAK_INTRO.match(intro.group(0)) and len(text[:intro.start()].split()) > 3:
        return None  # « … sur un délai trop long, c'est seulement qu'on ne me rembourse pas » (members' round 14)
    if intro:
        text = _cut_at_stop(intro["name"])
    text = re.sub(r"^(?:(?:bonjour|bonsoir|oui|alors|donc|voila|voilà|ok|d'accord|bien sûr|bien sur)\b[ ,.!]*)+", "",
                  text, flags=re.I)
    text = re.sub(r"^" + _CIVILITY + r"\s+", "", text, flags=re.I)
    text = re.sub(r"\s*\([^)]*\)", "", text).strip(" .,!;:-")  # « ROUSSEAU, Germaine (Madame veuve Rousseau) »
    # « …, née Vasseur », « PETIT née LAMBERT, Yvonne »: the maiden or married name is not the name asked
    text = re.sub(r",?\s+(?:n[ée]e?|[ée]pouse|[ée]p\.|veuve)\s+[^\W\d_][\w'\-]*(?=,|$)", "", text, flags=re.I)
    # « HENNEBERT, Paulette, veuve depuis 2018 » (members' round 14): what the member adds about herself
    text = re.sub(r",\s*(?:veuve?|veuf|divorc[ée]e?|mari[ée]e|c[ée]libataire|retrait[ée]e?)\b.*$", "", text, flags=re.I)
    text = re.sub(r"^([^\W\d_][\w'\-]*),\s*([^\W\d_][\w'\-]*)$", r"\1 \2", text)  # « Lefebvre, Simone »
    text = re.sub(r"[ ,.!]*(?:merci\b.*|svp|s'il vous pla[iî]t)$", "", text, flags=re.I).strip(" .,!;:-")
    words = text.split()
    if not 2 <= len(words) <= 4:
        return None
    if not all(re.fullmatch(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ][A-Za-zÀ-ÖØ-öø-ÿŒœ'\-]*", w) for w in words):
        return None
    if any(_ELIDED.match(w) for w in words):
        return None  # « qu'on », « n'est », « j'ai »: French elisions, never a name (D'Angelo, L'Huillier are)
    inner = words[1:-1]
    if len(words) >= 3 and fold(words[0]) in _PARTICLES and words[0][:1].isupper():
        inner = words[:-1]  # « Le Goff Sandrine », « Da Silva Sophie »: the surname first, with its particle
    if any(fold(w) in _NOT_NAME for w in words if not (w in inner and fold(w) in _PARTICLES)):
        return None
    if sum(ch.isalpha() for ch in text) < 4:
        return None
    return " ".join(_capitalise(w) for w in words) if text.isupper() or text.islower() else " ".join(words)


def _capitalise(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _cut_at_stop(run: str) -> str:
    words: list[str] = []
    run_words = run.split()
    for i, word in enumerate(run_words):
        if fold(word) in _NAME_STOP and not _particle_of_surname(run_words, i):
            break
        words.append(word)
    return " ".join(words)


def _particle_of_surname(words: list[str], i: int) -> bool:
    """« Sandrine Le Goff », « Jean de La Fontaine » (members' round 18): a particle followed by a capitalised name
    word is part of the name — capitalised itself anywhere, lower-case only after a first name."""
    word, following = words[i], words[i + 1] if i + 1 < len(words) else ""
    if fold(word) not in _PARTICLES or not re.match(r"[A-ZÀ-ÖØ-Þ]", following) or (
            fold(following) in _NAME_STOP and not _particle_of_surname(words, i + 1)):
        return False
    return word[:1].isupper() or (i >= 1 and not word.isupper())


def leading_name(text: str) -> str | None:
    """A name at the start of an answer that goes on (« GERMAINE ROUSSEAU ET MON TEL … RAPPELEZ MOI »,
    « Delattre, Yvonne. Delattre avec deux t. »)."""
    first = re.split(r"[;.!?\n]", nfkc(text).strip(), maxsplit=1)[0]
    if "," in first:
        name = clean_name(first)  # « Delattre, Yvonne », « Bourdon, Colette, née Vasseur »
        if name:
            return name
    if ":" in first:
        name = clean_name(first.rsplit(":", 1)[1])  # « Je vien de vous l'écrire : LEMAIRE, Gérard. »
        if name:
            return name
    chunks = [c.strip() for c in re.split(r"[,;:]", first)]
    if len(chunks) >= 3 and len(chunks[0].split()) == 1 and len(chunks[1].split()) == 1:
        # « DESRUELLES, Pierre, professeur de lettres en retraite, à Lille. » (members' round 13)
        name = clean_name(f"{chunks[0]} {chunks[1]}")
        if name:
            return name
    for chunk in re.split(r"[,;:]", first):  # the first sentence only: a later one may name someone else
        name = clean_name(_cut_at_stop(chunk.strip()))  # « Je vous l'ai déjà dit : Germaine Rousseau »
        if name:
            return name
    return None


def sentence_name(text: str) -> str | None:
    """A sentence that is only a name, anywhere in the message, the last one first (« Puisque je peux donner mon
    numéro d'adhérent, j'accepte. C'est le …. LEMAIRE Gérard. »)."""
    for sentence in reversed(re.split(r"[;.!?\n]", nfkc(text))):
        sentence = sentence.strip(" ,:")
        # « Sandrine Le Goff, sécu …, tel … » once the identifiers are cut out (members' round 18): the name beside
        # the labels of the identifiers
        chunks = [c.strip() for c in sentence.split(",")]
        named = [c for c in chunks if c and not _IDENTIFIER_LABELS.issuperset(fold_aligned(c).split())]
        if len(chunks) > 1 and len(named) == 1:
            sentence = named[0]
        if sentence and len(sentence.split()) <= 5:
            name = clean_name(sentence)
            if name and not _NOT_NAME_WORDS.intersection(fold_aligned(name).split()):
                return name
    return None


# What labels an identifier typed beside a name (« sécu », « tel », « num adhérent »).
_IDENTIFIER_LABELS = frozenset((
    "secu", "securite", "sociale", "tel", "telephone", "portable", "mail", "email", "e", "num", "numero", "n",
    "adherent", "nir", "mon", "ma", "de", "d", "est", "le", "c", "et", "no",
))


# Words of a short sentence that is no name (« J'accepte. », « D'accord. », « Merci beaucoup. »).
_NOT_NAME_WORDS = frozenset(("j", "d", "accepte", "accord", "daccord", "oui", "non", "merci", "bonjour", "bonsoir",
                             "ok", "voila", "voici", "pour", "est", "suis", "bien", "tres", "beaucoup", "entendu",
                             "parfait", "super", "cordialement", "salutations", "madame", "monsieur"))


# The identifiers a letter puts under its signature (« Bernard Delacroix / Adhérent n° AD-204417 », members' round
# 24, m24-G-04: the signature never read).
_UNDER_SIGNATURE = re.compile(r"(?:\n[ \t]*(?:adh[ée]rent\w*|n[°o]\b|num[ée]ro|t[ée]l\w*|portable|e-?mail|courriel|"
                              r"nir|s[ée]cu\w*|contrat|r[ée]f[ée]rence)[^\n]*)+\s*$", re.I)


def name_in(text: str) -> str | None:
    """A name introduced in a longer message (« je m'appelle … », « Nom : … », a letter's signature)."""
    text = nfkc(text)
    signature = _SIGNATURE.search(_UNDER_SIGNATURE.sub("", text.strip()))
    if signature:
        name = clean_name(signature["name"])
        if name:
            return name
    signed = _signed().search(text)
    if signed:
        name = clean_name(_cut_at_stop(signed["name"]))
        if name:
            return name
    for match in _NAME_INTRO.finditer(text):
        if not re.match(r"(?:je|j)", match.group(0), re.I) and not re.match(r"(?:mon nom|nom|pr)", match.group(0), re.I):
            continue  # « c'est … » and « ici … » only count for a whole short answer (clean_name)
        name = clean_name(_cut_at_stop(match["name"]))
        if name:
            return name
    said = _I_AM.search(text)  # « Je suis Paul Durand » (capitalised: « je suis furieux » is not a name)
    if said:
        return clean_name(_cut_at_stop(said["name"]))
    return None


# « Je suis DUQUESNOY, Albert, ancien cheminot » (members' round 16): « NOM, Prénom » with its comma
_I_AM = re.compile(r"\b[Jj]e suis\s+(?P<name>(?:" + _NAME_WORD + r")(?:(?:[ \t]+|,[ \t]*)(?:" + _NAME_WORD + r")){1,2})\b")




# A relative who writes for the member (members' rounds 17 and 18: « Bonjour, je suis Hélène Dubreuil, la fille de
# M. Marcel Dubreuil, 88 ans. J'écris pour lui… » recorded Hélène as the member).
_RELATION = (r"(?P<relation>fille|fils|petite[- ]fille|petit[- ]fils|femme|[ée]pouse|mari|conjointe?|compagne|compagnon|"
             r"s(?:oe|œ)ur|fr[èe]re|ni[èe]ce|neveu|belle[- ]fille|gendre|tutrice|tuteur|curatrice|curateur|aidante?)")
_PERSON = r"(?:" + _NAME_WORD_ANY + r")(?:[ \t]+(?:" + _NAME_WORD_ANY + r")){1,3}"
_WRITER_FOR = re.compile(
    r"\bje suis\s+(?:" + _CIVILITY + r"\s+)?(?P<writer>" + _PERSON + r")\s*,?\s+(?:la|le|sa|son)\s+" + _RELATION
    + r"\s+(?:de|d['’])\s*(?:" + _CIVILITY + r"\s+)?(?P<member>" + _PERSON + r")", re.I)
_WRITING_FOR = re.compile(
    r"\b(?:j['’ ]?[ée]cris|je tape|je fais (?:la|cette) d[ée]marche|je m['’ ]?adresse [àa] vous)\s+(?:pour|au nom de|"
    r"pour le compte de)\s+(?:mon|ma)\s+" + _RELATION.replace("(?P<relation>", "(?P<relation>p[èe]re|m[èe]re|")
    + r"\s*,?\s+(?:" + _CIVILITY + r"\s+)?(?P<member>" + _PERSON + r")", re.I)
# « Ferhat Nadia, fille de l'adhérente Yvette Morel » typed as the name (members' round 19: the two swapped).
_NAMED_WITH_RELATION = re.compile(
    r"^\W*(?P<writer>" + _PERSON + r")\s*,\s*(?:(?:la|le|sa|son)\s+)?" + _RELATION
    + r"\s+(?:de|d['’])\s*(?:(?:l['’ ]\s?(?:adh[ée]rente?|assur[ée]e?)|la personne assur[ée]e)\s+)?(?:" + _CIVILITY
    + r"\s+)?(?P<member>" + _PERSON + r")", re.I)
# « Morel Yvette, démarche faite par sa fille Nadia Ferhat » (members' round 19: the writer dropped).
_NAME_THEN_WRITER = re.compile(
    r"^\W*(?P<member>" + _PERSON + r")\s*,\s*(?:d[ée]marche |r[ée]clamation )?(?:faite |[ée]crite )?(?:par|pour le compte de)?"
    r"\s*(?:(?:sa|son)\s+)" + _RELATION + r"\s*,?\s+(?P<writer>" + _PERSON + r")", re.I)
# « Lui c'est Gérard Lemoine, moi je suis sa fille Claire Lemoine-Petit » (members' round 20: no name recognised).
_HIM_AND_ME = re.compile(
    r"\b(?:lui|elle)\s*,?\s*c['’ ]?\s?est\s+(?:" + _CIVILITY + r"\s+)?(?P<member>" + _PERSON + r")\s*[,;.]?\s+(?:et\s+)?"
    r"moi\s*,?\s*(?:je suis|c['’ ]?\s?est)\s+(?:(?:la|le|sa|son)\s+" + _RELATION + r"\s*,?\s+)?(?P<writer>" + _PERSON + r")",
    re.I)
# The name a relative gives for themselves once the member's is known (« Moi c'est Nadia Ferhat, vous pouvez me
# joindre au … », « il manque mon nom à moi : c'est Nadia Ferhat, sa fille »: members' round 19, lost).
_WRITER_SELF = re.compile(
    r"\b(?P<intro>moi,?\s*c['’ ]?\s?est|mon nom [àa] moi\s*[:,]?\s*(?:c['’ ]?\s?est|est)?|mon nom (?:est|c['’ ]?\s?est)"
    r"|je m['’ ]?\s?appelle|je suis)\s*:?\s+(?:" + _CIVILITY + r"\s+)?(?P<name>(?:" + _NAME_WORD_ANY
    + r")(?:[ \t]+(?:" + _NAME_WORD_ANY + r")){1,2})", re.I)
# The relation as the record says it, from the member's side (« sa fille »).
_THEIR = {"fille": "sa fille", "fils": "son fils", "petite fille": "sa petite-fille", "petit fils": "son petit-fils",
          "femme": "sa femme", "epouse": "son épouse", "mari": "son mari", "conjoint": "son conjoint",
          "conjointe": "sa conjointe", "compagne": "sa compagne", "compagnon": "son compagnon", "soeur": "sa sœur",
          "sœur": "sa sœur", "frere": "son frère", "niece": "sa nièce", "neveu": "son neveu",
          "belle fille": "sa belle-fille", "gendre": "son gendre", "tutrice": "sa tutrice", "tuteur": "son tuteur",
          "curatrice": "sa curatrice", "curateur": "son curateur", "aidant": "son aidant", "aidante": "son aidante"}


@dataclass(frozen=True)
class RelativeWriter:
    """The member a relative writes for, and who writes: ``writer_fr`` « sa fille, Hélène Dubreuil »."""

    member: str
    writer_fr: str


def relative_writer(text: str) -> RelativeWriter | None:
    """« je suis Hélène Dubreuil, la fille de M. Marcel Dubreuil », « j'écris pour ma mère, Mme Yvette Caron »."""
    text = nfkc(text or "")
    found = _WRITER_FOR.search(text) or _HIM_AND_ME.search(text) or _NAMED_WITH_RELATION.search(text) \
        or _NAME_THEN_WRITER.search(text)
    if found and found.re not in (_WRITER_FOR, _HIM_AND_ME) and not (found["member"][:1].isupper() and found["writer"][:1].isupper()):
        found = None  # typed as a name: capitalised (« …, sa fille de toute façon » names no one)
    writer = None
    if found:
        writer = clean_name(_cut_at_stop(found["writer"]))
    else:
        found = _WRITING_FOR.search(text)
    if not found:
        return None
    member = clean_name(_cut_at_stop(found["member"]))
    if member is None or member == writer:
        return None
    said = re.sub(r"-", " ", fold(found["relation"] or ""))
    if found.re is _WRITING_FOR:
        # « j'écris pour ma mère »: the writer is her child; for a spouse or another relative, « un proche »
        relation = "son enfant" if said in ("pere", "mere") else "un proche"
        introduced = _I_AM.search(text[:found.start()])  # « Je suis Hélène Castaing, j'écris pour mon mari … »
        writer = clean_name(_cut_at_stop(introduced["name"])) if introduced else None
    else:
        relation = _THEIR.get(said, "un proche")
    return RelativeWriter(member, f"{relation}, {writer}" if writer else relation)


def writer_named(text: str, member: str | None) -> str | None:
    """The name a relative gives for themselves (« Moi c'est Nadia Ferhat, vous pouvez me joindre au … »), when it
    is not the member's; None otherwise. « je suis … » counts only before a capitalised name (« je suis furieuse »)."""
    for found in _WRITER_SELF.finditer(nfkc(text or "")):
        if fold(found["intro"]).startswith("je suis") and not found["name"][:1].isupper():
            continue
        name = clean_name(_cut_at_stop(found["name"]))
        if name and (member is None or fold(name) not in fold(member) and fold(member) not in fold(name)) \
                and sorted(fold(name).split()) != sorted(fold(member or "").split()):
            return name
    return None


# « oui la lettre, au nom de Thierry Vasseur, pour le refus … » (members' round 18: the letter left « [Vos nom et
# prénom] »).
_ON_BEHALF = re.compile(r"\bau nom de\s+(?:(?:mon|ma)\s+(?:p[èe]re|m[èe]re|mari|femme|[ée]pouse|fils|fille)\s*,?\s*)?"
                        r"(?:" + _CIVILITY + r"\s+)?(?P<name>" + _PERSON + r")", re.I)


def name_for(text: str) -> str | None:
    """The name a letter is to be written in (« au nom de Thierry Vasseur »), or None."""
    found = _ON_BEHALF.search(nfkc(text or ""))
    return clean_name(_cut_at_stop(found["name"])) if found else None


@lru_cache(maxsize=1)
def _signed() -> "re.Pattern[str]":
    """« ma lettre est signée Bernard Delacroix », « signé : Bernard Delacroix » (after _PERSON is defined)."""
    return re.compile(r"\bsign[ée]e?\s*(?:par\s*)?:?\s+(?:" + _CIVILITY + r"\s+)?(?P<name>" + _PERSON + r")", re.I)
