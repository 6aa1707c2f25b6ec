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
from recours.names import clean_name, leading_name, name_in, relative_writer, sentence_name, writer_named
from recours.holders import (clean_holder, holder_in, individual_holder_answer, names_employer, names_employer_only,
                             says_individual)
from recours.remarks import description_text, holding_reply, without_already_said
from recours.text import fold, fold_aligned, nfkc
from recours.patterns import patterns

__all__ = ["Facts", "extract_facts", "own_nir", "valid_nirs", "clean_holder", "clean_name", "leading_name", "name_in", "remove_identifiers",
           "description_text", "holding_reply", "without_already_said", "holder_in", "individual_holder_answer",
           "names_employer", "names_employer_only", "says_individual", "sentence_name", "writer_named",
           "relative_writer"]

_P = patterns("facts")


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
    other_mediator: bool | None = None  # « pas d'autre médiateur »
    carrier_type: str | None = None  # the risk carrier's legal form, only when named as such (« société anonyme »)
    contested_decision: str | None = None
    answer_satisfied: bool | None = None  # « la réponse ne me satisfait pas »
    contract_holder: str | None = None  # the employer named with its contract (« contrat de mon employeur, X »)
    writer_fr: str | None = None  # a relative writing for the member (« sa fille, Hélène Dubreuil »)
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
    for match in list(_P.nir_run.finditer(text))[::-1]:
        text = _blank(text, match.start(), match.end())
    text = re.sub(r"\S+\s?@\s?\S+", " ", text)
    text = re.sub(r"(?<![\w+])\+?\d(?:[ .\-]{0,2}\d){5,}", " ", text)
    return text


def _find_nir(text: str, facts: Facts) -> str:
    for match in _P.nir_run.finditer(text):
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


def valid_nirs(text: str) -> list[tuple[str, int]]:
    """Every key-valid NIR in ``text`` (compact) with where it starts."""
    found = []
    for match in _P.nir_run.finditer(nfkc(text or "")):
        if len(re.sub(r"[\s.\-_/]", "", match.group())) < 13:
            continue
        try:
            found.append((nir_mod.normalise_nir(match.group()), match.start()))
        except nir_mod.InvalidNir:
            continue
    return found


def own_nir(text: str) -> tuple[str | None, bool]:
    """The member's own NIR when a message gives two (« le mien c'est …, celui de ma femme … si besoin », members'
    round 22, m22-E-05: refused as « ne doit contenir que des chiffres »), and whether another was given. The one
    said to be a relative's is never the member's; otherwise the first."""
    found = valid_nirs(text)
    if len(found) < 2:
        return (found[0][0] if found else None), False
    folded = fold_aligned(nfkc(text))
    def relative_before(start: int) -> bool:
        before = folded[max(0, start - 45):start]
        return bool(_P.relative_nir.search(before)) and not _P.own_nir.search(before[-20:])
    own = [compact for compact, start in found if not relative_before(start)]
    return (own[0] if own else found[0][0]), True


# Words that may stand before the digits of a member number in the pattern but are French words, not a prefix.
_NOT_A_PREFIX = frozenset(("dit", "est", "les", "des", "une", "par", "mon", "son", "ton", "pour", "sur", "avec",
                           "fait", "vaut", "a", "de", "du", "le", "la", "au", "tel", "tél", "fixe", "gsm", "mail"))


def _find_member_number(text: str, facts: Facts) -> str:
    match = _P.member_number.search(text)
    if match is None or sum(ch.isdigit() for ch in match["number"]) < 3:
        match = _P.member_number_later.search(text) or match
    if match and (_P.amount_after.match(text, match.end("number")) or
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






def _complaint_letter(folded: str) -> re.Match | None:
    """The first mention of a written complaint, not of a letter that did something else: « J'ai résilié … par
    lettre recommandée le 2 septembre … J'ai renvoyé un mail le 15 octobre »: the e-mail (members' round 10)."""
    for match in _P.written.finditer(folded):
        if re.match(r"\s+(?:que|qu)\b", folded[match.end():]):
            continue  # « je vous ai écrit que je ne veux PAS aller en justice »: said, not a letter (round 19)
        clause = folded[max(0, folded.rfind(".", 0, match.start()) + 1):match.end()]
        if re.search(r"\b(?:resili\w*|adhe\w*)\b", clause):
            continue
        if _P.their_letter.search(clause) or _P.from_them.match(folded, match.end()):
            continue  # « j'ai reçu … une lettre recommandée de votre part me disant … » (members' round 12)
        return match
    return None






def complaint_date_said(text: str, today: date) -> date | None:
    """The written complaint's date as the member restates it (not approximate), or None."""
    folded = fold_aligned(text or "")
    for match in _P.complaint_date_said.finditer(folded):
        rest = match.group("rest") or match.group("rest2") or ""
        try:
            said = parse_french_date(rest, today)
        except DateError:
            continue
        if not said.approximate:
            return said.value
    return None




def names_dated_cpam_decision(text: str) -> bool:
    """« La CPAM refuse de rembourser 12 trajets (courrier du 6 novembre) »: a decision of the CPAM, dated."""
    folded = fold_aligned(text or "")
    for match in _P.decision_clause.finditer(folded):
        if _P.cpam_named.search(folded[max(0, folded.rfind(".", 0, match.start()) + 1):match.end()]):
            return True
    return False


def answer_said(text: str) -> bool | None:
    """Whether the member says the written complaint was answered (« pas de réponse » -> False), or None."""
    folded = fold_aligned(text or "")
    if holding_reply(folded) or _P.no_answer.search(folded):
        return False
    return True if _P.answer.search(folded) else None


def wrote_and_heard_back(text: str) -> bool:
    """« J'ai écrit le 10 octobre, ils m'ont répondu le 2 novembre », « … je n'ai eu aucune réponse »: a written
    complaint sent, and whether it was answered said (the mediation check has what it needs to start)."""
    folded = fold_aligned(text or "")
    return _not_written(folded) is None and _complaint_letter(folded) is not None and answer_said(text) is not None


def says_no_court(text: str) -> bool:
    """« pas d'action en justice », « je n'ai saisi aucun tribunal »."""
    return bool(_P.no_court.search(fold_aligned(text or "")))


def half_satisfied(text: str) -> bool:
    """« à moitié », « en partie », « pas vraiment », « bof », answering whether the answer satisfies."""
    return bool(_P.half_satisfied.search(fold_aligned(text or "")))


def says_unsatisfied(text: str) -> bool:
    """« la réponse ne me satisfait pas », « NON je ne suis pas satisfait ! »: an answer received does not satisfy."""
    return bool(_P.unsatisfied.search(fold_aligned(text)))


def says_not_written(text: str) -> bool:
    """« je n'ai jamais écrit de réclamation », « rien envoyé par écrit »."""
    return _not_written(fold_aligned(text)) is not None


def _not_written(folded: str) -> re.Match | None:
    """The member says no written complaint was sent; « je n'ai rien fait » about a court (« le syndicat m'a parlé
    des prud'hommes mais je n'ai rien fait ») or beside a letter sent elsewhere (« mon mail du 9 novembre je ne l'ai
    pas fait ici, je l'ai envoyé à gestion ») says nothing of the kind (members' round 14)."""
    for match in _P.not_written.finditer(folded):
        if not match.group(0).endswith("fait"):
            return match
        clause = folded[max(0, folded.rfind(".", 0, match.start()) + 1):match.end()]
        if _P.court_words.search(clause) or _complaint_letter(folded) is not None:
            continue
        return match
    return None




def sent_by_the_member(text: str) -> bool:
    """The member says they sent or wrote something (« j'ai envoyé un mail le 3 »)."""
    return bool(_P.sent_by_the_member.search(fold_aligned(text or "")))


def _complaint_history(text: str, today: date, facts: Facts) -> None:
    folded = fold_aligned(text)
    not_written = _not_written(folded)
    if not_written is not None:
        facts.written_complaint_sent = False
    elif _complaint_letter(folded) is not None and not _P.other_letter.search(folded):
        facts.written_complaint_sent = True
        after = folded[_complaint_letter(folded).start():]
        # « j'ai écrit en septembre…, on m'a répondu le 10 novembre »: the letter's date, not the answer's
        answered = re.search(r"\b(?:repond\w*|reponse\w*|repondu)\b", after)
        if answered and answered.start() > 0:
            after = after[:answered.start()]
        try:
            facts.first_complaint_date = parse_french_date(_P.self_corrected.sub(" ", after), today)
        except DateError:
            facts.first_complaint_date = None
    if facts.written_complaint_sent:
        if holding_reply(folded):
            facts.answer_received = False  # « on m'a juste répondu « nous revenons vers vous » »: no answer yet
        elif _P.answer.search(folded):
            facts.answer_received = True
        elif _P.no_answer.search(folded):
            facts.answer_received = False
    if facts.answer_received and _P.unsatisfied.search(folded):
        facts.answer_satisfied = False
    if _P.no_court.search(folded):
        facts.court_action = False
    elif _P.court.search(folded):
        facts.court_action = True
    if _P.no_other_mediator.search(folded):
        facts.other_mediator = False
    elif _P.other_mediator.search(folded):
        facts.other_mediator = True
    legal = _P.legal_form.search(folded)
    if legal:
        from recours.mediators import carrier_type_in  # its legal forms; the registry is loaded only here

        facts.carrier_type = carrier_type_in(legal.group(0).replace("societe anonyme", "societe d assurance"))
    contest = _P.contest.search(folded) or _P.decision_clause.search(folded)
    clause = folded[max(0, folded.rfind(".", 0, contest.start()) + 1):contest.end()] if contest else ""
    sent = list(_P.sent_by_the_member.finditer(clause)) if contest else []
    if sent and not _P.organisation_acts.search(clause, sent[-1].end()):
        # « J'ai envoyé l'attestation de pacs par courrier le 8 octobre » (round 13), « jai RESILIE mon contrat en
        # septembre lettre recommandee du 8/09 » (round 18): the member's letter; « suite à ma lettre du 3 octobre
        # vous avez refusé … » is the organisation's decision, looked for after it
        later = _P.contest.search(folded, contest.end()) or _P.decision_clause.search(folded, contest.end())
        contest = later if later and _P.organisation_acts.search(folded, contest.end(), later.end()) else None
        if contest:
            clause = folded[max(0, folded.rfind(".", 0, contest.start()) + 1):contest.end()]
    if contest and (_P.cpam_named.search(clause) or _P.third_party_named.search(clause)):
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
    writing = relative_writer(rest)
    if writing is not None:
        # « je suis Hélène Dubreuil, la fille de M. Marcel Dubreuil » (members' round 18): the member is the father
        facts.name, facts.writer_fr = writing.member, writing.writer_fr
    else:
        facts.name = name_in(rest)
    if facts.name is None and (facts.member_number or facts.nir or facts.email or facts.phone) and \
            len(re.findall(r"\w+", rest)) <= 12:
        # « Bonjour, Nathalie Girard, adherente n° 5520731, tel 06 …, mail … » (members' round 22, m22-A-04): a name
        # leading a message of identifiers only
        facts.name = leading_name(_P.identity_labels.sub(" ", rest))
    facts.contract_holder = holder_in(rest)
    if history:
        # a question is not a fact: « je dois renvoyer les attestations en recommandé ? » says nothing sent
        _complaint_history(_without_questions(rest), today, facts)
    return facts


def history_after_yes(text: str, today: date) -> Facts:
    """The history typed with a « oui » to « Avez-vous déjà envoyé une réclamation écrite ? »: « OUI. le 10 octobre.
    réponse le 2 novembre. pas satisfaite. » (members' round 15) names the letter's date, its answer and the
    member's view of it without saying « j'ai envoyé »; read as the sentence the yes stands for."""
    rest = _P.yes_lead.sub("", text or "", count=1)
    facts = Facts(written_complaint_sent=True)
    if rest.strip():
        _complaint_history(_without_questions(f"{YES_STANDS_FOR} {rest}"), today, facts)
        facts.written_complaint_sent = True
    return facts


# What a « oui » to the written-complaint question stands for (read, never said to the member).
YES_STANDS_FOR = "j'ai envoyé une réclamation"


def _without_questions(text: str) -> str:
    """``text`` with its questions blanked (same length: positions are kept)."""
    return re.sub(r"[^.!?\n]*\?", lambda m: " " * len(m.group(0)), text)
