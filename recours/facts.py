"""Every fact one member message carries, so that none is asked for again (issue 11).

Members do not answer one question at a time: « je m'appelle Jeanne Petit, mon numéro de sécu est 2 90 05 2A 004
312 57, mail jeanne.petit@example.org » answers three questions, and an opening message such as « J'ai envoyé une
réclamation écrite à KLESIA le 3 septembre 2026 et je n'ai eu aucune réponse » answers three more. This module
reads them all from free text with the validators the form already uses (python-stdnum for the NIR,
email-validator and phonenumbers for the contact, the French date grammar of ``recours.dates``); it never
guesses: a fact is kept only when its validator accepts it, and the spans it used are removed before the next
reader looks (a NIR is not a phone number, a date is not a member number).

No Rasa import: the action server's form and the Rasa server's turn reading both call it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from recours import contact as contact_mod
from recours import nir as nir_mod
from recours.dates import DateError, ParsedDate, parse_french_date
from recours.messages import message_fr
from recours.remarks import description_text, holding_reply, without_already_said
from recours.text import fold, fold_aligned

__all__ = ["Facts", "extract_facts", "clean_holder", "clean_name", "leading_name", "name_in", "remove_identifiers",
           "description_text", "holding_reply", "without_already_said"]

# NIR-shaped runs: 1 or 2, then 12 more digits (2A/2B allowed in the département) and a 2-digit key, with the
# separators members type. A run of 13-15 digits that fails the key is reported as an invalid NIR, not lost.
_NIR_RUN = re.compile(
    r"(?<![0-9A-Za-z])[12](?:[\s.\-_/]{0,2}[0-9]){2}(?:[\s.\-_/]{0,2}[0-9]){2}[\s.\-_/]{0,2}(?:2[AaBb]|[0-9]{2})"
    r"(?:[\s.\-_/]{0,2}[0-9]){6}(?:[\s.\-_/]{0,2}[0-9]{2})?(?![0-9A-Za-z])"
)
_MEMBER_NUMBER = re.compile(
    r"\b(?:n(?:um(?:ero|éro)?|°|o)\.?\s*(?:d\W?\s*)?)?(?:adh[ée]rent|adherant|adh[ée]sion|affili[ée]|contrat|"
    r"client|dossier)\b\s*(?:(?:cpms|klesia|identit[ée]s mutuelle|chez \w+)\s*)?(?:n\s*°|no\.?|num(?:ero|éro)?\.?)?\s*"
    r"(?:(?:alors|donc|plutot|plutôt|svp|ici)\s*)?,?\s*(?:est|c\W?est|:|=|-)?\s*(?:le\s+)?"
    r"(?P<number>(?:[A-Za-z]{1,4}[\s-]?)?[0-9](?:[A-Za-z0-9\-]|\s(?=\d{2,}\b)){2,19})\b",
    re.I,
)
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’\-]+|[A-ZÀ-ÖØ-Þ]{2,}(?:[\-'’][A-ZÀ-ÖØ-Þ]+)*"
_NAME_WORD_ANY = r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’\-]+"
_CIVILITY = r"(?:m\.|mr\.?|mme\.?|mlle\.?|monsieur|madame|mademoiselle)"
_NAME_INTRO = re.compile(
    r"(?:je m['’ ]?\s?appel+e?s?|j[e']?\s?m['’ ]?appel+e?s?|mon nom (?:est|c['’]?est)|mon nom et (?:mon )?pr[ée]nom\s*:?"
    r"|nom(?: et pr[ée]nom)?\s*:|pr[ée]nom et nom\s*:|ici|moi c['’]?est|c['’]?est|je suis(?=\s+" + _CIVILITY + r"\s))"
    r"\s+(?:" + _CIVILITY + r"\s+)?"
    r"(?P<name>(?:" + _NAME_WORD_ANY + r")(?:(?:[ \t]+|,[ \t]*)(?:" + _NAME_WORD_ANY + r")){1,3})",
    re.I,
)
# A letter's signature: « Cordialement, Marie Dupont » at the end of a pasted letter.
_SIGNATURE = re.compile(
    r"(?i:cordialement|salutations(?: distinguées| distinguees)?|bien (?:à|a) vous|sinc[eè]res salutations|"
    r"respectueusement|merci d['’]avance|merci)\s*[,.!]?\s*\n?\s*(?i:" + _CIVILITY + r"\s+)?"
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
))

# Particles inside a surname (« Jean de la Fontaine », « Van Damme »): allowed between two name words.
_PARTICLES = frozenset(("de", "du", "des", "la", "le", "van", "von", "der", "di", "da", "ben", "el", "dos"))

_WRITTEN = re.compile(
    r"\b(?:j ai|je vous ai|je leur ai|je lui ai|nous avons|on a|j avais|ai deja|j ai deja|deja) "
    r"(?:deja |pourtant |bien |moi meme )?"
    r"(?:envoye|renvoye|reenvoye|adresse|ecrit|fait|depose|poste|transmis|redige|formule|expedie)\w*"
    r"(?: (?:une|ma|un|mon|des|plusieurs|deux|trois|la))? ?(?:premiere )?(?:reclamation|courrier|lettre|mail|"
    r"e mail|email|courriel|recommande|reclamations|courriers|lettres|mails|formulaire)\b"
    r"|\b(?:j ai|je vous ai|nous avons|on a|j avais) (?:deja |pourtant )?ecrit\b"
    r"|\bj en ai (?:deja )?(?:fait|envoye|depose|adresse)\w* (?:une|deux|trois|plusieurs)\b"  # « j'en ai déjà fait une »
    r"|\b(?:par|en) (?:lettre )?recommande\b|\blettre recommandee\b|\bma (?:premiere )?reclamation (?:ecrite|du|"
    r"envoyee|par courrier|par mail|datee)\b|\bmon courrier du\b|\bmon mail du\b|\bma lettre du\b"
)
_NOT_WRITTEN = re.compile(
    r"\b(?:je n ai|j ai|je ne l ai|je l ai|je ne vous ai|je ne leur ai|je ne lui ai) (?:jamais|pas encore|pas|rien|"
    r"encore rien|encore jamais) (?:rien )?(?:envoye|ecrit|fait|redige)\b|\brien (?:envoye|ecrit|redige)\b"
    r"|\bc est la premiere fois que (?:je me plains|je (?:vous )?ecris|je fais une reclamation|je reclame)\b"
    r"|^(?:non\W+)?pas par ecrit\b|\bjamais par ecrit\b|\brien par ecrit\b"
    r"|^(?:non\W+)?(?:pas de|aucune) reclamation\b"
    r"|\b(?:seulement|uniquement|juste) (?:par )?(?:telephone|appele|oral)\b|\bpas (?:encore )?(?:de|fait de) "
    r"reclamation ecrite\b"
    # « Une réclamation, non. Seulement le formulaire d'adhésion… », « je n'ai envoyé aucune réclamation écrite »
    r"|^\W*(?:une |de |la )?(?:reclamation|courrier|lettre)s?(?: ecrite)?\W+non\b"
    r"|\baucune? (?:reclamation|courrier|lettre)s? ecrite?s?\b|\brien ecrit comme reclamation\b"
)
_NO_ANSWER = re.compile(
    r"\b(?:aucune|pas de|pas eu de|jamais eu de|sans|toujours pas de|pas la moindre|toujours aucune|jamais de|"
    r"rien recu comme|pas recu de|toujours pas eu de) (?:reponse|retour|nouvelles)\b"
    r"|\b(?:personne ne|vous ne|ils ne|on ne) (?:m a |m ont |m avez |me )?(?:jamais |toujours pas |pas )?"
    r"(?:repondu|repond|repondez|repondent)\b|\btoujours rien\b|\breste(?:e)? sans (?:reponse|suite)\b"
    r"|\bsans suite\b|\btoujours (?:pas|aucune) reponse\b|\bpas (?:eu|recu) de reponse\b"
)
_ANSWER = re.compile(
    r"\b(?:vous m avez|ils m ont|on m a|elle m a|ils ont|vous avez) (?:bien )?(?:repondu|ecrit|envoye une reponse)\b"
    r"|\b(?:j ai|nous avons) (?:bien )?(?:recu|eu) (?:une|votre|leur|la|sa) reponse\b|\bvotre reponse du\b"
    r"|\bleur reponse du\b|\b(?:reponse|courrier de reponse) (?:recue?|arrivee?) le\b|\bvous avez repondu\b"
    r"|\b(?:les|leurs?|vos|ses|deux|2|plusieurs) reponses?\b.{0,30}\b(?:satisf\w*|insatisf\w*|convien\w*|"
    r"suffi\w*|a cote|n importe quoi)|\breponses? (?:insatisfaisante|pas satisfaisante|incomplete|vague)s?\b"
)
# The answer received does not satisfy the member (« la réponse ne me satisfait pas », « réponse à côté »).
_UNSATISFIED = re.compile(
    r"\b(?:ne me (?:satisfait|satisfont|convient|conviennent) (?:pas|absolument pas|toujours pas)|pas satisfait\w*|"
    r"insatisfait\w*|ne suis pas (?:satisfait\w*|d accord)|reponses? (?:insatisfaisantes?|pas satisfaisantes?|a cote|"
    r"incompletes?|ne me convien\w* pas)|pas d accord avec (?:la|leur|votre|sa) reponse|conteste (?:la|leur|votre|sa) "
    r"reponse)\b"
)
_COURT = re.compile(
    r"\b(?:mon|notre|un|l) avocat\b|\b(?:saisi|saisir|assigne|assigner|attaque|attaquer|poursuivre|poursuis)\w* "
    r"(?:le |la |en )?(?:tribunal|justice|juge|prud hommes)\b|\b(?:action|procedure|proces) (?:en justice|"
    r"judiciaire)\b|\bau tribunal\b|\bassignation\b|\bhuissier\b"
)
_NO_COURT = re.compile(
    r"\b(?:pas|aucune?|sans|ni|jamais) (?:d |de )?(?:action en justice|procedure|avocat|tribunal|proces)\b"
    # « je n'ai pas saisi la justice », « nous n'avons jamais pris d'avocat », « pas encore assigné »
    r"|\b(?:n ai|n avons|n a|ne vais|ne compte) (?:pas|jamais|rien) (?:encore )?(?:saisi|pris|assigne|attaque|"
    r"poursuivi|engage|intente|lance|fait appel a)\w* (?:(?:de|d|un|une|le|la|en|au|a|l|mon|ma) )*(?:justice|"
    r"tribunal|juge|avocat|proces|procedure|action)\b"
    r"|\bpas (?:encore )?(?:saisi|assigne|attaque|alle) (?:le |la |en |au )?(?:tribunal|justice|juge)\b"
    r"|\bne (?:veux|souhaite) pas (?:aller en justice|saisir le tribunal)\b"
)
# A decision the member contests, in the opening message: its clause is kept (at most 300 characters).
_CONTEST = re.compile(
    r"(?:je conteste|je contestes|conteste|je ne suis pas d accord avec|je refuse|je remets en cause|je desapprouve)"
    r"\s+(?P<what>(?:votre|la|cette|le|ce|vos|les|leur|sa|son)\s+[^.;!?\n]{3,200})",
)
_DECISION_CLAUSE = re.compile(
    r"(?P<what>\b(?:refus|rejet|decision|courrier|lettre|notification|resiliation|radiation)\w*\b[^.;!?\n]{0,80}?"
    r"\b(?:du|en date du|date du|le)\s+\d{1,2}(?:er)?[\s/.](?:\d{1,2}|[a-z]+)(?:[\s/.]\d{2,4})?)"
)


@dataclass
class Facts:
    """What one message says, each item validated; ``None`` when the message says nothing about it."""

    nir: str | None = None  # compact, key checked
    nir_invalid: nir_mod.InvalidNir | None = None  # a NIR-shaped number whose key or format is wrong
    member_number: str | None = None
    email: str | None = None
    phone: str | None = None  # E.164
    contact_error: contact_mod.InvalidContact | None = None
    name: str | None = None
    written_complaint_sent: bool | None = None
    first_complaint_date: ParsedDate | None = None
    answer_received: bool | None = None
    court_action: bool | None = None
    contested_decision: str | None = None
    answer_satisfied: bool | None = None  # « la réponse ne me satisfait pas »
    contract_holder: str | None = None  # the employer named with its contract (« contrat de mon employeur, X »)
    spans: list[tuple[int, int]] = field(default_factory=list)  # parts of the text used by an identifier

    @property
    def has_identity(self) -> bool:
        return bool(self.nir or self.member_number or self.email or self.phone or self.name)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").replace("’", "'")


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


# « contrat individuel », « individuel », « c'est un contrat perso »: the whole message answers who took out the contract.
_INDIVIDUAL_ANSWER = re.compile(
    r"^\W*(?:(?:c['’ ]?est\s+)?(?:un\s+|le\s+|mon\s+)?contrat\s+)?(?:individuel|individuelle|perso|personnel)\W*$", re.I)
# What may be left of a message that only gave another question's answer (« mon mail : … », « voilà »).
_FILLER = frozenset(("mon", "ma", "mes", "mail", "email", "e", "adresse", "tel", "telephone", "portable", "numero",
                     "c", "est", "le", "la", "l", "voila", "voici", "et", "de", "du", "ok", "oui", "alors", "donc",
                     "courriel", "mobile", "contact", "coordonnees", "aussi", "sinon", "au", "fait", "par", "ailleurs"))


def individual_holder_answer(text: str) -> bool:
    """« contrat individuel » typed as the whole message."""
    return bool(_INDIVIDUAL_ANSWER.match(text or ""))


def only_identifiers(text: str) -> bool:
    """The message holds an e-mail, a phone or a NIR and nothing else but filler words (« mon mail : … »)."""
    rest = fold_aligned(remove_identifiers(text))
    if rest == fold_aligned(_normal(text)):
        return False  # no identifier at all
    return all(word in _FILLER for word in re.findall(r"[a-z]+", rest))


def remove_identifiers(text: str) -> str:
    """The text without what looks like a NIR, an e-mail or a phone number (to read a name or a date in it)."""
    text = _normal(text)
    for match in list(_NIR_RUN.finditer(text))[::-1]:
        text = _blank(text, match.start(), match.end())
    text = re.sub(r"\S+\s?@\s?\S+", " ", text)
    text = re.sub(r"(?<![\w+])\+?\d(?:[ .\-]{0,2}\d){5,}", " ", text)
    return text


def _find_nir(text: str, facts: Facts) -> str:
    for match in _NIR_RUN.finditer(text):
        raw = match.group()
        compact = re.sub(r"[\s.\-_/]", "", raw).upper()
        if len(compact) < 13:
            continue
        try:
            facts.nir = nir_mod.normalise_nir(raw)
        except nir_mod.InvalidNir as exc:
            facts.nir_invalid = exc
        facts.spans.append(match.span())
        return _blank(text, *match.span())
    return text


def _find_member_number(text: str, facts: Facts) -> str:
    match = _MEMBER_NUMBER.search(text)
    if match and sum(ch.isdigit() for ch in match["number"]) >= 3:
        number = re.sub(r"[\s.\-/]", "", match["number"]).upper()
        if 4 <= len(number) <= 20 and not nir_mod.is_valid_nir(number):
            facts.member_number = number
            facts.spans.append(match.span("number"))
            return _blank(text, *match.span("number"))
    return text


def _find_contact(text: str, facts: Facts) -> str:
    has_at = "@" in text or "＠" in text
    has_digits = re.search(r"(?<![\w+])\+?\d(?:[ .\-]{0,2}\d){7,}", text)
    if not (has_at or has_digits):
        return text
    try:
        found = contact_mod.parse_contact(text)
    except contact_mod.InvalidContact as exc:
        facts.contact_error = exc
        return text
    facts.email, facts.phone = found.email, found.phone
    text = re.sub(r"\S+\s?[@＠]\s?\S+", " ", text)
    return re.sub(r"(?<![\w+])\+?\d(?:[ .\-()]{0,3}\d){5,}", " ", text)


def clean_name(raw: str) -> str | None:
    """A person's name from a short answer (« je m'appelle germaine rousseau » -> « Germaine Rousseau »), or None.

    Accepts 2 to 4 words of letters (hyphens and apostrophes inside), once the introduction (« je m'appelle »,
    « nom : », a civility) and politeness around it are removed.
    """
    text = re.sub(r"\s+", " ", without_already_said(_normal(raw))).strip(" .,!;:-")
    if not text or any(ch.isdigit() for ch in text):
        return None
    intro = _NAME_INTRO.search(text)
    if intro:
        text = _cut_at_stop(intro["name"])
    text = re.sub(r"^(?:(?:bonjour|bonsoir|oui|alors|donc|voila|voilà|ok|d'accord|bien sûr|bien sur)\b[ ,.!]*)+", "",
                  text, flags=re.I)
    text = re.sub(r"^" + _CIVILITY + r"\s+", "", text, flags=re.I)
    text = re.sub(r"\s*\([^)]*\)", "", text).strip(" .,!;:-")  # « ROUSSEAU, Germaine (Madame veuve Rousseau) »
    # « …, née Vasseur », « PETIT née LAMBERT, Yvonne »: the maiden or married name is not the name asked
    text = re.sub(r",?\s+(?:n[ée]e?|[ée]pouse|[ée]p\.|veuve)\s+[^\W\d_][\w'\-]*(?=,|$)", "", text, flags=re.I)
    text = re.sub(r"^([^\W\d_][\w'\-]*),\s*([^\W\d_][\w'\-]*)$", r"\1 \2", text)  # « Lefebvre, Simone »
    text = re.sub(r"[ ,.!]*(?:merci\b.*|svp|s'il vous pla[iî]t)$", "", text, flags=re.I).strip(" .,!;:-")
    words = text.split()
    if not 2 <= len(words) <= 4:
        return None
    if not all(re.fullmatch(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ][A-Za-zÀ-ÖØ-öø-ÿŒœ'\-]*", w) for w in words):
        return None
    inner = words[1:-1]
    if any(fold(w) in _NOT_NAME for w in words if not (w in inner and fold(w) in _PARTICLES)):
        return None
    if sum(ch.isalpha() for ch in text) < 4:
        return None
    return " ".join(_capitalise(w) for w in words) if text.isupper() or text.islower() else " ".join(words)


def _capitalise(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _cut_at_stop(run: str) -> str:
    words = []
    for word in run.split():
        if fold(word) in _NAME_STOP:
            break
        words.append(word)
    return " ".join(words)


def leading_name(text: str) -> str | None:
    """A name at the start of an answer that goes on (« GERMAINE ROUSSEAU ET MON TEL … RAPPELEZ MOI »,
    « Delattre, Yvonne. Delattre avec deux t. »)."""
    first = re.split(r"[;.!?\n]", _normal(text).strip(), maxsplit=1)[0]
    if "," in first:
        name = clean_name(first)  # « Delattre, Yvonne », « Bourdon, Colette, née Vasseur »
        if name:
            return name
    if ":" in first:
        name = clean_name(first.rsplit(":", 1)[1])  # « Je vien de vous l'écrire : LEMAIRE, Gérard. »
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
    for sentence in reversed(re.split(r"[;.!?\n]", _normal(text))):
        sentence = sentence.strip(" ,:")
        if sentence and len(sentence.split()) <= 5:
            name = clean_name(sentence)
            if name and not _NOT_NAME_WORDS.intersection(fold_aligned(name).split()):
                return name
    return None


# Words of a short sentence that is no name (« J'accepte. », « D'accord. », « Merci beaucoup. »).
_NOT_NAME_WORDS = frozenset(("j", "d", "accepte", "accord", "daccord", "oui", "non", "merci", "bonjour", "bonsoir",
                             "ok", "voila", "voici", "pour", "est", "suis", "bien", "tres", "beaucoup", "entendu",
                             "parfait", "super", "cordialement", "salutations", "madame", "monsieur"))


def name_in(text: str) -> str | None:
    """A name introduced in a longer message (« je m'appelle … », « Nom : … », a letter's signature)."""
    text = _normal(text)
    signature = _SIGNATURE.search(text.strip())
    if signature:
        name = clean_name(signature["name"])
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


_I_AM = re.compile(r"\b[Jj]e suis\s+(?P<name>(?:" + _NAME_WORD + r")(?:[ \t]+(?:" + _NAME_WORD + r")){1,2})\b")


# A letter that is a request, not a complaint (« ma lettre recommandée de résiliation »), when no complaint is named.
_OTHER_LETTER = re.compile(r"^(?!.*\breclamation).*\b(?:lettre|courrier|mail|recommande\w*)\b.{0,25}\b(?:de |pour )"
                           r"(?:la |ma |une )?(?:resiliation|resilier|adhesion|demande de (?:remboursement|prise en charge))")


# « le 2 octobre… non pardon le 20 octobre »: a date the member corrects at once is dropped (folded text).
_SELF_CORRECTED = re.compile(r"\b(?:le |du )?\d{1,2}(?:er)?(?: [a-z]+| ?/ ?\d{1,2}(?: ?/ ?\d{2,4})?)\W{0,5}"
                             r"(?:non pardon|pardon|non|enfin|je veux dire|euh+|ou plutot|plutot)\b\W*")


def _complaint_letter(folded: str) -> re.Match | None:
    """The first mention of a written complaint, not of a letter that did something else: « J'ai résilié … par
    lettre recommandée le 2 septembre … J'ai renvoyé un mail le 15 octobre »: the e-mail (members' round 10)."""
    for match in _WRITTEN.finditer(folded):
        clause = folded[max(0, folded.rfind(".", 0, match.start()) + 1):match.end()]
        if not re.search(r"\b(?:resili\w*|adhe\w*)\b", clause):
            return match
    return None


# « la réclamation c'est le mail du 15 octobre », « en comptant depuis mon mail du 15 octobre »: the date of the
# written complaint, corrected (folded text).
_COMPLAINT_DATE_SAID = re.compile(
    r"\b(?:reclamation|plainte)(?: ecrite)?\b.{0,30}?\b(?:c est|c etait|etait|est|date|datee)\b(?P<rest>[^.;!?]{0,60})"
    r"|\b(?:depuis|a partir de|a compter de) (?:mon|ma|le|la) (?:mail|e mail|courrier|lettre|recommande|courriel)\b"
    r"(?P<rest2>[^.;!?]{0,40})"
)


def complaint_date_said(text: str, today: date) -> date | None:
    """The written complaint's date as the member restates it (not approximate), or None."""
    folded = fold_aligned(text or "")
    for match in _COMPLAINT_DATE_SAID.finditer(folded):
        rest = match.group("rest") or match.group("rest2") or ""
        try:
            said = parse_french_date(rest, today)
        except DateError:
            continue
        if not said.approximate:
            return said.value
    return None


_THIRD_PARTY_NAMED = re.compile(r"\b(?:la |le |l |mon |ma )(?:pharmacie|pharmacien|clinique|hopital|chu|medecin|dentiste|"
                                r"opticien|taxi|ambulancier|laboratoire|kine|praticien|employeur)\b")
_CPAM_NAMED = re.compile(r"\b(?:cpam|secu|securite sociale|assurance maladie|caisse primaire|ameli)\b")


def names_dated_cpam_decision(text: str) -> bool:
    """« La CPAM refuse de rembourser 12 trajets (courrier du 6 novembre) »: a decision of the CPAM, dated."""
    folded = fold_aligned(text or "")
    for match in _DECISION_CLAUSE.finditer(folded):
        if _CPAM_NAMED.search(folded[max(0, folded.rfind(".", 0, match.start()) + 1):match.end()]):
            return True
    return False


def says_unsatisfied(text: str) -> bool:
    """« la réponse ne me satisfait pas », « NON je ne suis pas satisfait ! »: an answer received does not satisfy."""
    return bool(_UNSATISFIED.search(fold_aligned(text)))


def says_not_written(text: str) -> bool:
    """« je n'ai jamais écrit de réclamation », « rien envoyé par écrit »."""
    return bool(_NOT_WRITTEN.search(fold_aligned(text)))


def _complaint_history(text: str, today: date, facts: Facts) -> None:
    folded = fold_aligned(text)
    if _NOT_WRITTEN.search(folded):
        facts.written_complaint_sent = False
    elif _complaint_letter(folded) is not None and not _OTHER_LETTER.search(folded):
        facts.written_complaint_sent = True
        after = folded[_complaint_letter(folded).start():]
        # « j'ai écrit en septembre…, on m'a répondu le 10 novembre »: the letter's date, not the answer's
        answered = re.search(r"\b(?:repond\w*|reponse\w*|repondu)\b", after)
        if answered and answered.start() > 0:
            after = after[:answered.start()]
        try:
            facts.first_complaint_date = parse_french_date(_SELF_CORRECTED.sub(" ", after), today)
        except DateError:
            facts.first_complaint_date = None
    if facts.written_complaint_sent:
        if holding_reply(folded):
            facts.answer_received = False  # « on m'a juste répondu « nous revenons vers vous » »: no answer yet
        elif _ANSWER.search(folded):
            facts.answer_received = True
        elif _NO_ANSWER.search(folded):
            facts.answer_received = False
    if facts.answer_received and _UNSATISFIED.search(folded):
        facts.answer_satisfied = False
    if _NO_COURT.search(folded):
        facts.court_action = False
    elif _COURT.search(folded):
        facts.court_action = True
    contest = _CONTEST.search(folded) or _DECISION_CLAUSE.search(folded)
    clause = folded[max(0, folded.rfind(".", 0, contest.start()) + 1):contest.end()] if contest else ""
    if contest and (_CPAM_NAMED.search(clause) or _THIRD_PARTY_NAMED.search(clause)):
        # « La CPAM refuse de rembourser 12 trajets (courrier du 6 novembre) », « LA PHARMACIE A REFUSE LE TIERS
        # PAYANT »: not the insurer's decision
        contest = None
    if contest:
        start, end = contest.span("what")
        facts.contested_decision = re.sub(r"\s+", " ", text[start:end]).strip(" ,")[:300]


def extract_facts(text: str, today: date, *, history: bool = True) -> Facts:
    """Every fact ``text`` carries. ``history``: also read the complaint's history (written complaint, its date,
    the answer, a court action, a contested decision), which only an opening message or a description holds."""
    facts = Facts()
    rest = _normal(text)
    rest = _find_nir(rest, facts)
    rest = _find_contact(rest, facts)
    rest = _find_member_number(rest, facts)
    facts.name = name_in(rest)
    facts.contract_holder = holder_in(rest)
    if history:
        # a question is not a fact: « je dois renvoyer les attestations en recommandé ? » says nothing sent
        _complaint_history(_without_questions(rest), today, facts)
    return facts


def _without_questions(text: str) -> str:
    """``text`` with its questions blanked (same length: positions are kept)."""
    return re.sub(r"[^.!?\n]*\?", lambda m: " " * len(m.group(0)), text)


# « contrat de mon employeur, Menuiserie Delcourt », « c'est un contrat collectif de ma boîte : Transports Marel ».
_HOLDER_IN = re.compile(
    r"\b(?:contrat|mutuelle|assurance|c['’ ]?est)\s+(?:un\s+contrat\s+)?(?:collectif\s+)?(?:de|par|via|chez|d['’ ]|du)\s*"
    r"(?:mon|ma|notre|l['’ ]?)\s*(?:ancien(?:ne)?\s+)?(?:employeur|entreprise|boite|boîte|taf|taff|travail|"
    r"soci[ée]t[ée])\s*[,:\-]?\s*"
    r"(?P<holder>(?:c['’ ]?est\s+)?(?:la\s+|le\s+|l['’ ]|les\s+)?[^\W\d_][^.;!?\n,]{1,60})",
    re.I,
)


def holder_in(text: str) -> str | None:
    """The employer a member names with its group contract inside a longer answer, or None."""
    match = _HOLDER_IN.search(text or "")
    if not match:
        return None
    holder = clean_holder(match["holder"], None)
    if not holder or holder == "Contrat individuel":
        return None
    holder = re.sub(r"^(?:la|le|les|l['’])\s*", "", holder, flags=re.I)
    return holder[:1].upper() + holder[1:] if holder else None


_HOLDER_INDIVIDUAL = re.compile(
    r"\b(?:individuel|individuelle|indiv|indiv\w+|moi[- ]?m[eê]me|c['’ ]?est moi|moi|perso|personnel|particulier|"
    r"je l['’ ]?ai (?:souscrit|pris)\w*|j['’ ]?ai souscrit|(?:a|à) titre priv[ée])\b",
    re.I,
)
_HOLDER_PREFIX = re.compile(
    r"^(?:(?:bonjour|alors|euh|heu|oui|donc|bah|ben|bon|beh)\W+)*(?:c['’ ]?est\s+|c['’ ]?[ée]tait\s+|il s['’ ]?agit de\s+|"
    r"le souscripteur (?:est|c['’]est)\s+|"
    r"souscrit par\s+|(?:(?:un |le )?contrat\s+)?collectif\W+(?:par\s+)?|par\s+)*(?:(?:mon|ma|notre|l['’ ]?|le|la)\s*"
    r"(?:ancien\s+|ancienne\s+|ex[- ]|pr[ée]c[ée]dent\s+)?(?:employeur|entreprise|soci[ée]t[ée]|boite|boîte|taf|taff|travail|boulot|job|"
    r"patron|association|comit[ée] d['’ ]?entreprise|ce)\s*[,:\-]?\s*(?:c['’ ]?est\s+)?)?(?:(?:c['’ ]?est\s+)?(?:la|le|l['’ ]?|les)?\s*"
    r"(?:soci[ée]t[ée]|entreprise|groupe|ets|[ée]tablissements?|sarl|sas|sa)\s+)?(?:chez\s+)?",
    re.I,
)


def clean_holder(text: str, member_name: str | None) -> str | None:
    """Who took out the contract, as the record should say it: the company's name, or the member for an
    individual contract. « c'est mon employeur, la société Transports Marel » -> « Transports Marel »."""
    text = re.sub(r"\s+", " ", without_already_said(_normal(text))).strip(" .,!;:")
    # the first sentence only: « …la société Transports Lemoine. Au fait pour la CPAM, je dois… ? »
    text = re.split(r"(?<=[A-Za-zÀ-ÿ0-9)])[.!?…](?:\s|$)", text, maxsplit=1)[0].strip(" .,!;:")
    # « qui a souscrit ? je vous l'ai dit tout à l'heure, c'est mon employeur Transports Leroy »: the last « c'est »
    said = list(re.finditer(r"\bc['’ ]?est\s+", text, re.I))
    if said and said[-1].start() > 0:
        text = text[said[-1].start():]
    if not text:
        return None
    folded = fold_aligned(text)
    relative = _BY_RELATIVE.search(folded)
    if relative and not re.search(r"[A-ZÀ-Þ]{2,}|\b[A-ZÀ-Þ][a-zà-ÿ]+ [A-ZÀ-Þ]", text[relative.end():]):
        # « elle l'a souscrit elle-même », « c'est mon épouse qui l'a souscrit »: an individual contract of the
        # member's relative, named as such when no name is given (members' round 11)
        who = relative["who"] or relative["by"]
        return message_fr("facts_noted.holder_relative", relative=_THEIR_RELATIVE.get(who, "un proche") if who
                          else "un proche")
    if _NOT_BY_EMPLOYER.search(folded) or (_HOLDER_INDIVIDUAL.search(text) and not re.search(
            r"\b(?:soci[ée]t[ée]|entreprise|employeur|sarl|sas)\b", text, re.I)):
        return member_name or "Contrat individuel"
    text = re.split(r",\s*(?:et|mais|puis)\b", text, maxsplit=1)[0]  # « …de Boiry, et mon téléphone a changé : … »
    stripped = _HOLDER_PREFIX.sub("", text).strip(" .,!;:-")
    # « celui des anciens de la Sucrerie de Boiry »: the group contract of a company
    stripped = re.sub(r"^(?:celui|celle|le contrat|la mutuelle|le groupe)\s+(?:des anciens\s+|du personnel\s+|des "
                      r"salari[ée]s\s+)?(?:de la|de l['’ ]|du|des|de)\s*", "", stripped, flags=re.I)
    if ", " in stripped:
        # « de mon défunt mari, les Tissages Verbeke »: the name after the comma
        last = stripped.rsplit(", ", 1)[1]
        if re.search(r"\b[A-ZÀ-Þ][\w'’-]+", last):
            stripped = last
    stripped = re.sub(r"^(?:les|la|le|l['’])\s*(?=[A-ZÀ-Þ][\w'’-]*\s+\S)", "", stripped)  # not « la Poste »
    stripped = re.sub(r"\s*(?:merci|svp|s['’]il vous pla[iî]t)\W*$", "", stripped, flags=re.I).strip(" .,!;:-")
    if len(stripped) < 2 or not any(ch.isalpha() for ch in stripped):
        return None
    stripped = re.sub(r"^(?:juste|seulement|simplement)\s+", "", stripped, flags=re.I)
    if len(stripped.split()) > 8 or "?" in stripped or _SENTENCE_WORDS.search(stripped):
        return None  # a sentence, not a name (« peut-être eux qui n'ont pas envoyé mon inscription ? »)
    # « IMPRIMERIE VAUBAN A LILLE »: the town is not the name
    stripped = re.sub(r"^((?:\S+\s+){1,}\S+)\s+(?:a|à|A|À)\s+(?:[A-ZÀ-Þ][\w'’-]+)$", r"\1", stripped)
    if stripped == stripped.lower() and len(stripped.split()) <= 5:
        stripped = " ".join(w if w in ("de", "des", "du", "et", "la", "le", "les") else w[:1].upper() + w[1:]
                            for w in stripped.split())  # « transports leroy » -> « Transports Leroy »
    return stripped[:120]


# « c'est mon épouse qui l'a souscrit », « souscrit par mon mari », « elle l'a souscrit elle-même » (folded).
_BY_RELATIVE = re.compile(
    r"\b(?:c est |par )?(?:mon |ma |notre )?(?P<who>epouse|femme|mari|defunt mari|defunte epouse|feu mon mari|"
    r"pere|mere|fils|fille|conjoint|conjointe|compagne|compagnon)\b(?= qui l a (?:souscrit|pris)| l a (?:souscrit|pris)"
    r"|\W*$|,)|\bsouscrit par (?:mon |ma )(?P<by>epouse|femme|mari|pere|mere|conjoint|conjointe)\b"
    r"|\b(?P<self>elle|il) l a (?:souscrit|pris) (?:elle|lui) meme\b")
_THEIR_RELATIVE = {"epouse": "son épouse", "femme": "sa femme", "mari": "son mari", "defunt mari": "son défunt mari",
                   "defunte epouse": "sa défunte épouse", "feu mon mari": "son défunt mari", "pere": "son père",
                   "mere": "sa mère", "fils": "son fils", "fille": "sa fille", "conjoint": "son conjoint",
                   "conjointe": "sa conjointe", "compagne": "sa compagne", "compagnon": "son compagnon"}
# « ce n'est pas par un employeur », « pas par son travail », « par mon banquier », « par un agent »: individual.
_NOT_BY_EMPLOYER = re.compile(r"\bpas (?:par |de |chez )?(?:un |mon |son |le |l )?(?:employeur|travail|boulot|entreprise|"
                              r"boite)\b|\bpar (?:un |mon |une |ma )(?:banquier|banque|agent|agence|courtier|conseiller)\b")
# Words of a sentence, never of a company's name (« Mtn et vous continuez a me prelever 42 »).
_SENTENCE_WORDS = re.compile(r"\b(?:vous|je|j['’]|ils|elles|nous|me|m['’]|mtn|maintenant|continue\w*)(?=\s|$)", re.I)
_EMPLOYER_ONLY = re.compile(r"^(?:(?:par|c['’ ]?est|chez|via)\s+)*(?:mon|ma|notre|l['’ ]?|le|la)\s*(?:employeur|entreprise|"
                            r"soci[ée]t[ée]|boite|boîte|taf|taff|travail|boulot|job|patron)\W*$", re.I)


def names_employer_only(text: str) -> bool:
    """« par mon taf », « mon employeur »: an employer, without its name."""
    return bool(_EMPLOYER_ONLY.search(re.sub(r"\s+", " ", _normal(text)).strip(" .,!;:")))


_EMPLOYER = re.compile(r"\b(?:(?:mon|ma|notre|par l['’ ]?|l['’ ]?)\s*(?:employeur|entreprise|boite|boîte|taf|taff|boulot|patron)|"
                       r"soci[ée]t[ée]|sarl|sas|contrat collectif|comit[ée] d['’ ]?entreprise)\b", re.I)


def names_employer(text: str) -> bool:
    """« par mon employeur, Boulangeries Durand », « la société Marel »: an employer named (where a person's name
    is expected)."""
    return bool(_EMPLOYER.search(_normal(text)))
