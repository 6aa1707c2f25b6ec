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
from dataclasses import dataclass, field
from datetime import date

from recours import contact as contact_mod
from recours import nir as nir_mod
from recours.dates import DateError, ParsedDate, parse_french_date
from recours.names import clean_name, leading_name, name_in, sentence_name
from recours.holders import clean_holder, holder_in, individual_holder_answer, names_employer, names_employer_only
from recours.remarks import description_text, holding_reply, without_already_said
from recours.text import fold, fold_aligned, nfkc

__all__ = ["Facts", "extract_facts", "clean_holder", "clean_name", "leading_name", "name_in", "remove_identifiers",
           "description_text", "holding_reply", "without_already_said", "holder_in", "individual_holder_answer",
           "names_employer", "names_employer_only", "sentence_name"]

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
    r"\b(?:je n ai|j ai|je ne l ai|je l ai|je ne vous ai|je ne leur ai|je ne lui ai|je n avais|je ne vous avais) "
    r"(?:jamais|pas encore|pas|rien|"
    r"encore rien|encore jamais) (?:rien )?(?:envoye|ecrit|fait|redige)\b|\brien (?:envoye|ecrit|redige)\b"
    r"|\bc est la premiere fois que (?:je me plains|je (?:vous )?ecris|je fais une reclamation|je reclame)\b"
    r"|^(?:non\W+)?pas par ecrit\b|\bjamais par ecrit\b|\brien par ecrit\b"
    r"|^(?:non\W+)?(?:pas de|aucune) reclamation\b"
    r"|\b(?:seulement|uniquement|juste) (?:par )?(?:telephone|appele|oral)\b|\bpas (?:encore )?(?:de|fait de) "
    r"reclamation ecrite\b"
    # « Une réclamation, non. Seulement le formulaire d'adhésion… », « je n'ai envoyé aucune réclamation écrite »
    r"|^\W*(?:une |de |la )?(?:reclamation|courrier|lettre)s?(?: ecrite)?\W+non\b"
    r"|\baucune? (?:reclamation|courrier|lettre)s? ecrite?s?\b|\brien ecrit comme reclamation\b"
    # « bien sûr que non, c'est la première fois » at the answer question (a sentence of its own)
    r"|\bc est la premiere fois\b(?=\W*$)"
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


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


# What may be left of a message that only gave another question's answer (« mon mail : … », « voilà »).
_FILLER = frozenset(("mon", "ma", "mes", "mail", "email", "e", "adresse", "tel", "telephone", "portable", "numero",
                     "c", "est", "le", "la", "l", "voila", "voici", "et", "de", "du", "ok", "oui", "alors", "donc",
                     "courriel", "mobile", "contact", "coordonnees", "aussi", "sinon", "au", "fait", "par", "ailleurs"))


def only_identifiers(text: str) -> bool:
    """The message holds an e-mail, a phone or a NIR and nothing else but filler words (« mon mail : … »)."""
    rest = fold_aligned(remove_identifiers(text))
    if rest == fold_aligned(nfkc(text)):
        return False  # no identifier at all
    return all(word in _FILLER for word in re.findall(r"[a-z]+", rest))


def remove_identifiers(text: str) -> str:
    """The text without what looks like a NIR, an e-mail or a phone number (to read a name or a date in it)."""
    text = nfkc(text)
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


# What follows an amount or a rate, never a member number (« mon contrat dit 250% », « contrat à 42 euros »).
_AMOUNT_AFTER = re.compile(r"\s*(?:%|€|euros?\b|eur\b|pour ?cent|balles\b|e\b)", re.I)
# Words that may stand before the digits of a member number in the pattern but are French words, not a prefix.
_NOT_A_PREFIX = frozenset(("dit", "est", "les", "des", "une", "par", "mon", "son", "ton", "pour", "sur", "avec",
                           "fait", "vaut", "a", "de", "du", "le", "la", "au", "tel", "tél", "fixe", "gsm", "mail"))
# « le numéro d'adhérent qui est sur ma carte de mutuelle : 00647319 » (members' round 13): a few words between.
_MEMBER_NUMBER_LATER = re.compile(r"\bnum[ée]ro d['’ ]?adh[ée]rent\b[^.\d@]{0,60}?[:=]\s*(?P<number>\d[\d ]{3,18}\d)\b", re.I)


def _find_member_number(text: str, facts: Facts) -> str:
    match = _MEMBER_NUMBER.search(text)
    if match is None or sum(ch.isdigit() for ch in match["number"]) < 3:
        match = _MEMBER_NUMBER_LATER.search(text) or match
    if match and (_AMOUNT_AFTER.match(text, match.end("number")) or
                  fold(match["number"].split()[0]) in _NOT_A_PREFIX):
        return text  # « MON CONTRAT DIT 250% » (members' round 12: noted as the member number ***250)
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
        if re.search(r"\b(?:resili\w*|adhe\w*)\b", clause):
            continue
        if _THEIR_LETTER.search(clause) or _FROM_THEM.match(folded, match.end()):
            continue  # « j'ai reçu … une lettre recommandée de votre part me disant … » (members' round 12)
        return match
    return None


# A letter the member received, not one they sent.
_THEIR_LETTER = re.compile(r"\b(?:recu|recue|recus|recues)\b(?:[^.;!?]{0,60})\b(?:une|un|votre|la|le|leur) "
                           r"(?:lettre|courrier|mail|e mail|recommande)\b[^.;!?]{0,12}$")
_FROM_THEM = re.compile(r"\W*(?:\w+\W+){0,2}?(?:de votre part|de vous|de vos services|de (?:la|ma) (?:mutuelle|caisse)|"
                        r"de (?:cpms|l organisme)|me (?:disant|informant|demandant|mena\w*|annon\w*))\b")


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


# A letter the member sent, not a decision they received (folded text).
_SENT_BY_THE_MEMBER = re.compile(r"\b(?:j ai|je vous ai|je leur ai|nous avons|on a|j avais)\s+(?:bien\s+|deja\s+)?"
                                 r"(?:envoye|renvoye|adresse|ecrit|poste|transmis|expedie|depose)\b")


def sent_by_the_member(text: str) -> bool:
    """The member says they sent or wrote something (« j'ai envoyé un mail le 3 »)."""
    return bool(_SENT_BY_THE_MEMBER.search(fold_aligned(text or "")))


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
    if contest and _SENT_BY_THE_MEMBER.search(clause):
        contest = None  # « J'ai envoyé l'attestation de pacs par courrier le 8 octobre »: the member's letter (round 13)
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
    rest = nfkc(text)
    rest = _find_nir(rest, facts)
    # the member number before the contact: « Mon numéro d'adhérent est le 00381627 et mon adresse électronique … »
    # lost the e-mail to an 8-digit « phone number » (members' round 13)
    rest = _find_member_number(rest, facts)
    rest = _find_contact(rest, facts)
    facts.name = name_in(rest)
    facts.contract_holder = holder_in(rest)
    if history:
        # a question is not a fact: « je dois renvoyer les attestations en recommandé ? » says nothing sent
        _complaint_history(_without_questions(rest), today, facts)
    return facts


def _without_questions(text: str) -> str:
    """``text`` with its questions blanked (same length: positions are kept)."""
    return re.sub(r"[^.!?\n]*\?", lambda m: " " * len(m.group(0)), text)
