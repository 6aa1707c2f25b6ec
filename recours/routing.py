"""Where a member's statement of need goes next, on every entry path (rules.md §1, §2, §10; issue 11).

``recours.qualification`` says what kind of request a message is and which body it concerns; this module adds
what the conversation needs around it:

- the deploying organisation is the context: « vous avez refusé… », its products (prévoyance, complément,
  cotisation) mean the insurer, even beside « arrêt de travail » (a CPAM hint) — only an explicit CPAM cue
  (CPAM, sécu, ameli, médecin conseil…) sends the matter to the Assurance Maladie;
- a message about both (« la CPAM a refusé mes IJ et ma mutuelle refuse le complément ») is ``mixed``: the
  insurer part is recorded, the CPAM part explained;
- a third party (a practitioner, a hospital, an employer) is named with who to turn to, and a complaint to the
  organisation is offered only for what concerns it;
- « arrêt de travail » / « indemnités journalières » with no body at all: one short question;
- every entry path (a mediation question, a CPAM appeal, « je veux faire une réclamation ») is qualified too.

No Rasa import; ``actions/qualification.py`` says the result and sets the slots.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, Callable

import yaml

from recours.facts import wrote_and_heard_back
from recours.qualification import Qualification, normalise_text, qualify
from recours.urgency import Urgency, detect_urgency
from recours.patterns import patterns

__all__ = ["Route", "ThirdParty", "route_request", "body_from_answer", "third_parties", "ROUTES"]

ROUTES = ("record_complaint", "cpam_path", "cpam_appeal", "mediation", "answered", "clarify", "third_party",
          "ask_body", "describe", "rephrase")
THIRD_PARTIES_FILE = Path(__file__).parent / "data" / "third_parties.yml"

_P = patterns("routing")


def is_wish_only(text: str) -> bool:
    """« je veux faire une réclamation », « bon au final je veux bien faire la réclamation pour la prévoyance »."""
    normalised = normalise_text(text)
    return bool(_P.wish_only.search(normalised)) and len(normalised.split()) <= 14


@dataclass(frozen=True)
class ThirdParty:
    key: str
    who_fr: str
    turn_to_fr: str
    words: tuple[str, ...]


@lru_cache(maxsize=1)
def third_parties(path: Path = THIRD_PARTIES_FILE) -> tuple[ThirdParty, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        ThirdParty(item["key"], item["who_fr"], " ".join(item["turn_to_fr"].split()), tuple(item["words"]))
        for item in data["third_parties"]
    )


@dataclass(frozen=True)
class Route:
    """What the assistant does with a statement of need."""

    next: str  # one of ROUTES
    qualification: Qualification
    mixed: bool = False  # both the insurer and the CPAM are concerned: the insurer part is recorded
    third_party: ThirdParty | None = None  # a third party is the target of (part of) the dissatisfaction
    urgency: Urgency | None = None  # a situation that cannot wait: a person is offered at once (recours.urgency)

    @property
    def request_kind(self) -> str | None:
        return self.qualification.request_kind

    @property
    def concerned_body(self) -> str:
        return self.qualification.concerned_body


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _P.clauses.split(text) if c.strip()]






def _cpam_only_did_its_part(text: str) -> bool:
    """Every clause naming the Assurance Maladie says it paid or accepted (« … alors que la sécu a accepté »)."""
    parts = [c for clause in _clauses(text) for c in clause.split(",") if c.strip()]
    named = [i for i, c in enumerate(parts) if _P.cpam_explicit.search(c)]
    for i in named:
        if _P.not_covered_by_cpam.search(parts[i]):
            continue  # « elle est pas remboursée par la sécu » (round 12): what the product is, not a grievance
        if not _P.cpam_did_its_part.search(parts[i]) or \
                re.search(r"\b(?:pas|rien|jamais|refus\w*)\b", _P.cpam_did_its_part.sub(" ", parts[i])):
            return False
        following = parts[i + 1].strip() if i + 1 < len(parts) else ""
        if _P.same_subject_refuses.match(following):
            return False  # « la CPAM a bien payé les soins mais m'a refusé le transport »: the CPAM refused too
    return bool(named)


def _clause_bodies(text: str) -> tuple[bool, bool]:
    """(a negative clause names the CPAM explicitly, a negative clause names the insurer)."""
    cpam = insurer = False
    previous = ""
    for clause in _clauses(text):
        named_before, previous = previous, clause
        if _P.same_subject_refuses.match(clause.strip()) and _P.cpam_explicit.search(named_before):
            cpam = True  # « la CPAM a bien payé les soins mais m'a refusé le transport »
        if _P.but_not_you.search(clause):
            insurer = True  # « la sécu ne rembourse rien et vous non plus » (members' round 12)
        if not _P.negative.search(clause):
            continue
        if _P.cpam_explicit.search(clause):
            cpam = True
        if _P.insurer_context.search(clause) and not _P.cpam_explicit.search(clause.split(" ")[0]):
            insurer = insurer or bool(_P.insurer_context.search(_P.cpam_explicit.sub(" ", clause)))
    return cpam, insurer


_DET = r"(?:mon|ma|le|la|l|un|une|du|de la|au|chez|mes|les|notre|cet|ce|cette)"
_ORG_WORDS = (r"(?:cpms|klesia|identites mutuelle|vous|la mutuelle|ma mutuelle|votre \w+|l organisme|mon organisme|"
              r"la complementaire|ma complementaire|l assureur|mon assureur|la prevoyance)")
# « ce n'est pas CPMS qui est en cause, c'est mon dentiste »: the organisation is cleared, the third party named.
_NOT_THE_ORG = re.compile(rf"\b(?:ce n est pas|c est pas|ce n est pas la faute de|pas) {_ORG_WORDS}\b.{{0,50}}"
                          rf"\bc est (?:{_DET} )?(?P<who>\w+(?: \w+)?)")
# « l'opticien n'y est pour rien »: the third party is cleared.
_CLEARED = r"(?:n y est pour rien|n est pas en cause|n a rien fait|n est pas responsable|n y peut rien)"


def _cleared(text: str, word: str) -> bool:
    return bool(re.search(rf"\b{word}s? {_CLEARED}|\b(?:ce n est pas|c est pas) (?:la faute )?(?:de |du |a |au )?"
                          rf"(?:{_DET} )?{word}s?\b", text))


# « je suis mécontente de l'opticien, pas de vous », « c'est contre l'audioprothésiste, pas contre CPMS » (round 16)
_PARTY_NOT_THE_ORG = re.compile(rf"\b(?:de|du|contre|avec|a|au)\s+(?:{_DET}\s+)?(?P<who>\w+(?: \w+)?)\W+"
                                rf"(?:et )?pas (?:de |contre |avec )?(?:vous|{_ORG_WORDS})\b")


_ORG_NOT_AT_FAULT = re.compile(rf"\b(?:ce n est pas|c est pas|ce n etait pas|c etait pas) (?:contre |la faute de |de )?"
                               rf"{_ORG_WORDS}\b")


# « je ne suis pas chez CPMS, ma question concerne uniquement la CPAM », « ça n'a rien à voir avec CPMS » (members'
# round 20: sent to the insurer's consent, twice): the organisation is not concerned at all.
_ORG_NOT_CONCERNED = re.compile(
    rf"\b(?:je ne suis pas|je suis pas|jsuis pas|pas) (?:chez|adherente? (?:chez|a|de)|client\w* (?:chez|de)|assure\w* "
    rf"(?:chez|par)) {_ORG_WORDS}\b|\brien a voir avec {_ORG_WORDS}\b|\b(?:ne concerne pas|concerne pas) {_ORG_WORDS}\b|"
    rf"\b(?:uniquement|seulement|que) (?:la cpam|l assurance maladie|la secu|la securite sociale|ma cpam)\b|"
    # « je n'ai pas de mutuelle chez vous en fait, c'est mon collègue qui m'a donné le lien » (members' round 21)
    rf"\b(?:je n ai|j ai|jai|j ai meme|je n ai meme) (?:pas|aucun\w*) (?:de |d )?(?:mutuelle|contrat|complementaire|"
    rf"prevoyance|assurance|adhesion)s? (?:chez|avec|aupres de) (?:vous|cpms|klesia|identites mutuelle)\b|"
    rf"\b(?:je ne suis|je suis|jsuis) (?:pas|meme pas|plus) (?:adherente?|client\w*|assure\w*|affilie\w*|membre)\b"
    rf"(?! (?:de la|a la|chez la) (?:cpam|secu))")


def org_cleared(text: str) -> ThirdParty | None:
    """The third party named when the member clears the organisation (« ce n'est pas CPMS, c'est mon dentiste »,
    « je suis mécontente de l'opticien, pas de vous »)."""
    match = _NOT_THE_ORG.search(text) or _PARTY_NOT_THE_ORG.search(text)
    if not match and _ORG_NOT_AT_FAULT.search(text):
        # « c'est pas contre vous en fait, je vais retourner voir l'opticien »: the party named anywhere
        for party in third_parties():
            if any(re.search(rf"\b{_DET}\s+{word}s?\b", text) for word in party.words):
                return party
    if not match:
        return None
    for party in third_parties():
        if any(re.match(rf"{word}s?\b", match.group("who")) for word in party.words):
            return party
    return None


def _third_party(text: str) -> ThirdParty | None:
    cleared_org = org_cleared(text)
    if cleared_org is not None:
        return cleared_org
    named: ThirdParty | None = None  # the party the previous clause named, for « Ils me facturent … »
    for clause in _clauses(text):
        if not _P.third_party_act.search(clause):
            named = _party_named(clause) or named
            continue
        if _P.cause_is_the_organisation.search(clause):
            continue  # « LA PHARMACIE A REFUSE LE TIERS PAYANT PARCE QUE MA CARTE MUTUELLE EST PERIMEE »: not its fault
        if _P.did_its_part.search(clause):
            continue  # « Les RH disent qu'ils ont tout envoyé le 14 novembre » (members' round 13): not at fault
        if named is not None and re.match(r"^\W*(?:ils|elle|elles|on|ces gens|cette clinique|cet hopital)\b", clause):
            # « J'ai été opérée à la clinique Saint-Roch… Ils me facturent 3 nuits… » (members' round 11)
            return named
        for party in third_parties():
            for word in party.words:
                if _cleared(text, word):
                    continue
                if re.search(rf"\b(?:payer|paye|rembourser|regler|prendre en charge|virer|verser a)\s+"
                             rf"(?:{_DET}\s+)?{word}s?\b", clause):
                    continue  # « vous refusez de payer l'orthodontiste »: the one to be paid, not the one at fault
                if re.search(rf"\b(?:mon|ma|le|la|l|un|une|du|de la|au|chez|mes|les|notre|cet|ce|cette)\s+{word}s?\b",
                             clause):
                    if word == "medecin" and re.search(r"\bmedecin (?:conseil|traitant)\b", clause):
                        continue
                    return party
    return None




def _party_named(clause: str) -> ThirdParty | None:
    """The third party a clause names with a determiner (« à la clinique Saint-Roch »), or None."""
    for party in third_parties():
        for word in party.words:
            if re.search(rf"\b(?:mon|ma|le|la|l|un|une|du|de la|au|a la|chez|cet|ce|cette)\s+{word}s?\b", clause):
                if word == "medecin" and re.search(r"\bmedecin (?:conseil|traitant)\b", clause):
                    continue
                return party
    return None


def body_from_answer(text: str) -> str | None:
    """The body named in the member's answer to « Sécurité sociale ou prévoyance ? »."""
    folded = normalise_text(text)
    if _P.cpam_explicit.search(folded) or re.search(r"\b(?:sociale|obligatoire|indemnites de la)\b", folded):
        return "cpam"
    if _P.insurer_context.search(folded) or re.search(r"\b(?:prevoyance|complement|mutuelle|vous|votre)\b", folded):
        return "insurer"
    return None




_INSURERS_ADVISER = re.compile(
    r"(?P<before>\b(?:prevoyance|mutuelle|complementaire|assureur|cpms|klesia|vous)\b(?:(?!\b(?:cpam|secu|caisse|"
    r"securite sociale|assurance maladie)\b).){0,100}?\b(?:leur|votre|son|du|de leur|de votre)) medecins? conseils?\b")


def _body(text: str, default: str | None) -> tuple[str | None, bool, bool]:
    """(the body, ``mixed``, ``ambiguous``) from the text; ``default`` when it names none."""
    text = _P.identifier_words.sub(" ", text)
    # « ma prévoyance a arrêté de me payer … depuis le contrôle de leur médecin conseil » (members' round 22): the
    # insurer's own medical adviser, not the Assurance Maladie's
    text = _INSURERS_ADVISER.sub(r"\g<before> medecin expert", text)
    cpam_explicit = bool(_P.cpam_explicit.search(text))
    insurer = bool(_P.insurer_context.search(_P.cpam_explicit.sub(" ", text)) or _P.but_not_you.search(text))
    if cpam_explicit and _cpam_only_did_its_part(text) and (insurer or _P.negative.search(text)):
        # the CPAM paid, the rest is not paid: the complementary's matter, whoever is named
        return "insurer", False, False
    if cpam_explicit and _ORG_NOT_CONCERNED.search(text):
        return "cpam", False, False
    if cpam_explicit and insurer:
        cpam_negative, insurer_negative = _clause_bodies(text)
        if cpam_negative and insurer_negative:
            return "insurer", True, False
        return None, False, False  # qualification's own clause analysis decides
    if cpam_explicit:
        return "cpam", False, False
    if insurer and _P.cpam_benefit.search(text) and not _P.insurer_product.search(text):
        # « J'ai reçu un courrier qui me refuse ma pension d'invalidité, je crois que c'est la CPMS qui a fait ça »
        # (members' rounds 23 and 24, m23-B-04, m24-H-01: a CPMS complaint started for the CPAM's decision): a benefit
        # of the Assurance Maladie said of « vous » — one short question: whose letter is it?
        return None, False, True
    if insurer:
        return "insurer", False, False
    if _P.sick_leave.search(text) and default is None:
        return None, False, True
    return default, False, False


def _with_urgency(route: Callable[..., Route]) -> Callable[..., Route]:
    """An urgent situation in the text is attached to its route, whichever route it is (recours.urgency)."""

    @wraps(route)
    def routed(intent: str | None, text: str, *args: Any, **known: Any) -> Route:
        return dataclasses.replace(route(intent, text, *args, **known), urgency=detect_urgency(text))

    return routed


@_with_urgency
def route_request(
    intent: str | None,
    text: str,
    confidence: float | None = None,
    *,
    body: str | None = None,
    kind: str | None = None,
    context_body: str | None = None,
) -> Route:
    """The route of a statement of need. ``body`` / ``kind``: already known (the member's answer to a question);
    ``context_body``: the body of the conversation so far, for a follow-up that names none (« ils m'ont refusé
    un remboursement, comment contester ? » after the CPAM guidance)."""
    normalised = normalise_text(text)
    found_body, mixed, ambiguous = (body, False, False) if body else _body(normalised, None)
    if found_body is None and not mixed and context_body:
        found_body, ambiguous = context_body, False
    if intent == "nlu_fallback":
        intent = None
    if intent in (None, "complain", "ask_information", "inform", "file_complaint") and found_body == "cpam" and \
            not mixed and _P.contest_wish.search(normalised):
        # « la CPAM m'a envoyé une lettre … qui refuse de me payer mes IJ … je veux contester » (members' round 22:
        # the complaint path, then « administrative » typed at its offer went to the mediation questions)
        intent = "ask_cpam_appeal"
    if intent == "ask_cpam_appeal" and not _P.cpam_explicit.search(normalised):
        party = _third_party(normalised)
        if party is not None:
            # « je fais comment pour contester leur facture [de l'hôpital] ? » (members' round 13): the hospital's
            # bill, not a decision of the CPAM
            return Route("third_party", qualify("complain", text, 1.0, "insurer"), third_party=party)
    if intent == "ask_cpam_appeal":
        found_body = found_body or "cpam"
        q = qualify("ask_information", text, 1.0, found_body)
        if found_body == "insurer":
            # « vous avez refusé mon arrêt de travail au titre de la prévoyance, je conteste » is not a CPAM appeal
            q = qualify("complain", text, 1.0, "insurer")
            return Route("record_complaint", q, mixed)
        return Route("cpam_appeal", q)
    if intent in (None, "complain", "file_complaint", "ask_information", "ask_clarification", "inform") and \
            _P.mediator_wish.search(normalised):
        # « … on m'a juste répondu « nous revenons vers vous ». Je peux saisir le médiateur directement ? »: the
        # member asks for the mediator; the grievance is the context of the mediation check, not a new form
        intent = "ask_mediation"
    if intent in (None, "complain", "file_complaint", "ask_information", "ask_clarification", "inform") and \
            _P.further_wish.search(normalised) and wrote_and_heard_back(text):
        # « J'ai écrit le 10 octobre, ils m'ont répondu le 2 novembre… Peut-on aller plus loin ? » (members' round
        # 15): the next step after a written complaint is the mediation check, not a new complaint
        intent = "ask_mediation"
    if intent == "ask_mediation":
        found_body = found_body or "insurer"
        q = qualify("ask_information", text, 1.0, found_body)
        return Route("cpam_path" if found_body == "cpam" else "mediation", q)
    if kind == "information":
        # « Je cherche une information » answering « mécontent ou information ? »: the member's own choice, whatever
        # the words of the statement before it (members' round 12: a typed label recorded as a complaint)
        body_now = found_body if found_body and not mixed else ("cpam" if found_body == "cpam" else "insurer")
        return Route("answered", qualify("ask_information", "je cherche une information", 1.0, body_now))
    if intent == "file_complaint" or kind == "complaint":
        found_body = found_body or "insurer"
        q = qualify("complain", text, 1.0, found_body)
        grievance = set(q.dissatisfaction_markers) - {"complaint_word"}  # « réclamation » itself says no grievance
        described = bool(grievance) or (len(normalised.split()) >= 10 and not _P.wish_only.search(normalised))
        if not described and not body:
            return Route("describe", q)
        intent, confidence = "complain", max(confidence or 0.0, 0.9)
    if ambiguous and not body:
        q = qualify(intent, text, confidence, "insurer")
        if q.request_kind is not None and not q.unsure:
            return Route("ask_body", q)
    q = qualify(intent, text, confidence, found_body)
    if (q.unsure or q.request_kind is None) and _P.against_party.search(normalised):
        party = _third_party(normalised)
        if party is not None:
            # « Non. Dites-moi plutôt ce que je peux faire contre l'audioprothésiste » at the notice (round 16)
            return Route("third_party", qualify("ask_information", text, 1.0, "insurer"), third_party=party)
    if q.unsure or q.request_kind is None:
        words = len(normalised.split())
        return Route("clarify" if intent is not None or words >= 4 else "rephrase", q)
    if q.request_kind != "complaint":
        party = _third_party(normalised) if _P.against_party.search(normalised) else None
        if party is not None:
            # « et si l'opticien veut toujours rien savoir je fais quoi ? » (members' round 16): what to do about the
            # professional, not the organisation's usual contact
            return Route("third_party", q, third_party=party)
        return Route("answered", q)
    party = _third_party(normalised)
    if q.concerned_body == "cpam" and not mixed:
        return Route("cpam_path", q, third_party=party)
    if party is not None:
        # the organisation is concerned only when a clause blames it (« et ma mutuelle refuse la différence »)
        blames_org = org_cleared(normalised) is None and any(
            _P.negative.search(c) and _P.insurer_context.search(c) and (
                not any(re.search(rf"\b{w}s?\b", c) for w in party.words)
                # « l'opticien m'a dit que CPMS refusait de rembourser »: the organisation is the one refusing
                or re.search(rf"\b{_ORG_WORDS}\b (?:\w+ ){{0,3}}(?:refus\w*|ne \w+ pas|n a pas|a rien|"
                             # « ma mutuelle me rembourse pas le kiné » (SMS French drops the « ne »)
                             rf"(?:rembours\w*|pai\w*|pay\w*|prend\w*|verse\w*) (?:pas|rien|plus|que))", c)
            ) or _P.but_not_you.search(c) or (
                # « le chirurgien a pris 600 € et vous me remboursez 95 €, mon contrat dit 250 % » (round 12): the
                # organisation paid less than the contract says
                _P.insurer_context.search(c) and _P.paid_less.search(normalised)
            ) or (
                # the tiers payant or a prise en charge refused at the counter is the organisation's cover
                _P.negative.search(c) and re.search(r"\btiers payant\b|\bprise en charge\b|\bcarte (?:de )?(?:mutuelle|"
                                                   r"tiers payant)\b", c)
            )
            for c in _clauses(normalised)
        )
        if not blames_org:
            return Route("third_party", q, third_party=party)
    return Route("record_complaint", q, mixed, party)


def turns_to_the_organisation(text: str) -> bool:
    """« laissez tomber la secu. par contre CPMS me doit la part mutuelle de ma couronne dentaire 420e … je veux faire
    une reclamation », typed at a question about a CPAM decision (members' round 20: read as that decision's date):
    a grievance against the organisation alone, which leaves the CPAM's questions. Each sentence is judged: one
    names the organisation alone, none the CPAM (but to set it aside: « laissez tomber la secu »)."""
    if len(normalise_text(text).split()) < 8:
        return False
    insurer = False
    for sentence in re.split(r"(?<=[.!?;])\s+|\n+", text):
        normalised = normalise_text(sentence)
        if not normalised or _P.cpam_set_aside.search(normalised):
            continue
        found_body, mixed, _ = _body(normalised, None)
        if found_body == "cpam" or mixed:
            return False
        insurer = insurer or found_body == "insurer"
    return insurer


def names_a_cpam_benefit(text: str) -> bool:
    """« ma pension d'invalidité »: a benefit the Assurance Maladie pays, by its name."""
    return bool(_P.cpam_benefit.search(normalise_text(text or "")))
