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

from recours.qualification import Qualification, normalise_text, qualify
from recours.urgency import Urgency, detect_urgency

__all__ = ["Route", "ThirdParty", "route_request", "body_from_answer", "third_parties", "ROUTES"]

ROUTES = ("record_complaint", "cpam_path", "cpam_appeal", "mediation", "answered", "clarify", "third_party",
          "ask_body", "describe", "rephrase")
THIRD_PARTIES_FILE = Path(__file__).parent / "data" / "third_parties.yml"

# Explicit Assurance Maladie cues: these alone make a matter the CPAM's.
_CPAM_EXPLICIT = re.compile(
    r"\b(?:cpam|caisse primaire|caisse d assurance maladie|caisse|assurance maladie(?! complementaire)|secu|"
    r"securite sociale|ameli|carte vitale|36 ?46|c2s|cmu|complementaire sante solidaire|aide medicale d etat|ame|"
    r"medecin conseil|medecins conseils|cra|commission de recours amiable|cmra|regime obligatoire|"
    r"remboursement de base|part obligatoire)\b"
)
# The organisation as the actor or the product: the insurer.
_INSURER_CONTEXT = re.compile(
    r"\bvous (?:m |me |nous |lui )?(?:avez|refus\w*|reclam\w*|demand\w*|prelev\w*|ne |n |m avez|me devez|exig\w*|"
    r"impos\w*|factur\w*|appliqu\w*|augment\w*|avez refuse|continu\w*|bloqu\w*|suspend\w*|rembours\w*|"
    r"calcul\w*|verse\w*|pay\w*)"
    r"|\b(?:votre|vos) (?:service|services|decision|refus|courrier|conseiller|conseillere|gestion|gestionnaire|"
    r"reponse|organisme|contrat|garantie|garanties|prelevement|cotisation|plateforme|agence|institution|"
    r"mutuelle|caisse de prevoyance|societe)\b"
    r"|\bmutuelles?\b|\bcomplementaires?\b(?! sante solidaire)|\bprevoyance\b|\bcomplement\w*\b|\bcotisations?\b"
    r"|\badhesion\b|\bassureur\b|\bcourtier\b|\bcpms\b|\bklesia\b|\bidentites mutuelle\b|\brente\w*\b"
    r"|\bcapital deces\b|\bincapacite\b|\bmaintien de salaire\b|\bportabilite\b|\btiers payant\b"
)
# The member asks for the mediator (« je peux saisir le médiateur directement ? », « je veux le médiateur »)
_MEDIATOR_WISH = re.compile(
    r"\b(?:saisir|contacter|ecrire (?:a|au)|passer par|passer (?:a|au)|faire appel (?:a|au)|recours (?:a|au)|demander|aller voir|"
    r"aller (?:a|au)|veux|voudrais|souhaite|souhaiterais|exige)\b (?:directement |maintenant |tout de suite |"
    r"aussi |donc )?(?:le |la |au |un |une |l |votre )?mediat\w*|\bmediat\w*\b[^.?!]{0,40}\?"
    # « à qui m'adresser au-dessus de vos services, une sorte d'arbitre ? » (members' round 11)
    r"|\b(?:une sorte d |un )arbitre\b|\bau dessus de vos services\b|\b(?:instance|autorite) (?:superieure|independante)\b"
)
# Ambiguous between the CPAM's daily allowances and the insurer's prévoyance complement.
_SICK_LEAVE = re.compile(r"\b(?:arret (?:de travail|maladie)|arrets de travail|indemnites journalieres|ij|ijss|"
                         r"indemnisation de mon arret)\b")
_NEGATIVE = re.compile(r"\b(?:pas|rien|jamais|aucune?|refus\w*|toujours|retard\w*|bloque\w*|contest\w*|erreur\w*|"
                       r"ne|n|plus|sans|oublie\w*|perdu\w*|reclame\w*|factur\w*|trop)\b")
# The organisation paid less than the contract says (normalised text).
_PAID_LESS = re.compile(r"\b(?:mon|le|notre) contrat (?:dit|prevoit|indique|garantit|couvre|annonce|precise)\b|"
                        r"\b(?:seulement|que|juste|uniquement) \d+ ?(?:euros?|eur|e)\b|\bau lieu de \d+|\bmal calcul\w*|"
                        r"\bcalcul\w* (?:mal|faux)\b")
_CLAUSES = re.compile(r"[.;!?\n]|\bet\b|\bmais\b|\bpuis\b|\balors que\b|\bpar contre\b|\ben revanche\b")
# The third party is the actor of the dissatisfaction: it billed, overcharged, claims, did not pass on…
_THIRD_PARTY_ACT = re.compile(
    r"\b(?:factur\w*|surfactur\w*|depassement\w*|trop cher|fait payer|me reclame\w*|nous reclame\w*|devis|"
    r"honoraires|transmis|transmet|envoye|refuse\w*|mal soigne\w*|accueil|attendre|demande\w* de payer|"
    r"a encaisse|n a pas|ne veut pas|exige\w*)\b"
)
_WISH_ONLY = re.compile(
    r"^(?:(?:bonjour|bonsoir|salut|madame|monsieur|oui|alors|bon|ok|d accord|au final|finalement|en fait|donc)\W+)*"
    r"(?:je (?:veux|voudrais|souhaite|souhaiterais|"
    r"desire|vais)|j aimerais|comment|ou|est ce que je peux|puis je|je peux)\b.{0,40}"
    r"\b(?:reclamation|reclamer|plainte|plaindre|reclamations)\b"
)


def is_wish_only(text: str) -> bool:
    """« je veux faire une réclamation », « bon au final je veux bien faire la réclamation pour la prévoyance »."""
    normalised = normalise_text(text)
    return bool(_WISH_ONLY.search(normalised)) and len(normalised.split()) <= 14


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
    return [c.strip() for c in _CLAUSES.split(text) if c.strip()]


# « la sécu a payé », « la CPAM a accepté » : the Assurance Maladie did its part, it is not the one complained of
_CPAM_DID_ITS_PART = re.compile(
    r"\b(?:a|m a|ont|m ont|me l a|l a|les a|a bien|ont bien|a deja|a tout|a fait sa part|a fait son travail|"
    r"avait|est ok|c est ok|c est bon)\s*(?:bien |deja |tout |elle )?(?:accepte\w*|paye\w*|rembourse\w*|"
    r"pris en charge|prise en charge|valide\w*|verse\w*|accorde\w*|regle\w*|donne son accord|fait sa part|"
    r"fait son travail|ok)\b|\bc est (?:ok|bon|regle) (?:pour|cote|du cote de) (?:la |l )?\w+"
)
# Care the Assurance Maladie does not cover at all, said as a fact (« la pilule, pas remboursée par la sécu »).
_NOT_COVERED_BY_CPAM = re.compile(r"\b(?:pas|non|jamais) (?:du tout )?(?:rembours\w*|pris\w* en charge|couvert\w*) (?:par|"
                                  r"a) (?:la |l )?(?:secu|securite sociale|cpam|assurance maladie|caisse)\b|\bhors "
                                  r"nomenclature\b")
# « mais vous non », « pas vous » : the organisation is the one that did not
_BUT_NOT_YOU = re.compile(r"\b(?:mais )?vous (?:non|rien|toujours rien|jamais|pas)\b|\bpas vous\b|\bsauf vous\b")


# A clause that goes on with the same subject and refuses (« … mais m'a refusé le transport », « elle refuse … »)
_SAME_SUBJECT_REFUSES = re.compile(r"^(?:(?:elle|il|ils|elles) )?(?:ne )?(?:m |me |nous |lui |l )?(?:a|ont|refuse\w*|rejette)"
                                   r"\b.{0,12}\b(?:refus\w*|rejet\w*|pas|rien|jamais)\b|^(?:(?:elle|il|ils) )?refus\w*")


def _cpam_only_did_its_part(text: str) -> bool:
    """Every clause naming the Assurance Maladie says it paid or accepted (« … alors que la sécu a accepté »)."""
    parts = [c for clause in _clauses(text) for c in clause.split(",") if c.strip()]
    named = [i for i, c in enumerate(parts) if _CPAM_EXPLICIT.search(c)]
    for i in named:
        if _NOT_COVERED_BY_CPAM.search(parts[i]):
            continue  # « elle est pas remboursée par la sécu » (round 12): what the product is, not a grievance
        if not _CPAM_DID_ITS_PART.search(parts[i]) or re.search(r"\b(?:pas|rien|jamais|refus\w*)\b", parts[i]):
            return False
        following = parts[i + 1].strip() if i + 1 < len(parts) else ""
        if _SAME_SUBJECT_REFUSES.match(following):
            return False  # « la CPAM a bien payé les soins mais m'a refusé le transport »: the CPAM refused too
    return bool(named)


def _clause_bodies(text: str) -> tuple[bool, bool]:
    """(a negative clause names the CPAM explicitly, a negative clause names the insurer)."""
    cpam = insurer = False
    previous = ""
    for clause in _clauses(text):
        named_before, previous = previous, clause
        if _SAME_SUBJECT_REFUSES.match(clause.strip()) and _CPAM_EXPLICIT.search(named_before):
            cpam = True  # « la CPAM a bien payé les soins mais m'a refusé le transport »
        if _BUT_NOT_YOU.search(clause):
            insurer = True  # « la sécu ne rembourse rien et vous non plus » (members' round 12)
        if not _NEGATIVE.search(clause):
            continue
        if _CPAM_EXPLICIT.search(clause):
            cpam = True
        if _INSURER_CONTEXT.search(clause) and not _CPAM_EXPLICIT.search(clause.split(" ")[0]):
            insurer = insurer or bool(_INSURER_CONTEXT.search(_CPAM_EXPLICIT.sub(" ", clause)))
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


def org_cleared(text: str) -> ThirdParty | None:
    """The third party named when the member clears the organisation (« ce n'est pas CPMS, c'est mon dentiste »)."""
    match = _NOT_THE_ORG.search(text)
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
        if not _THIRD_PARTY_ACT.search(clause):
            named = _party_named(clause) or named
            continue
        if _CAUSE_IS_THE_ORGANISATION.search(clause):
            continue  # « LA PHARMACIE A REFUSE LE TIERS PAYANT PARCE QUE MA CARTE MUTUELLE EST PERIMEE »: not its fault
        if _DID_ITS_PART.search(clause):
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


# The third party says it did its part (normalised text).
_DID_ITS_PART = re.compile(r"\b(?:disent|dit|affirment|affirme|assurent|assure|m ont dit|m a dit|jurent)\s+qu\s*(?:ils|elles|il|"
                           r"elle|on)\s+(?:ont|a|avaient|avait)\s+(?:bien\s+|deja\s+)?(?:tout\s+)?(?:envoye|transmis|fait le "
                           r"necessaire|fait|expedie|renvoye)\b")
# The third party acted because of the organisation's side: an expired card, rights not updated (folded text).
_CAUSE_IS_THE_ORGANISATION = re.compile(
    r"\b(?:parce que|parce qu|car|puisque|a cause de|vu que)\b.{0,40}\b(?:carte|contrat|droits?|attestation|"
    r"adhesion)\b.{0,40}\b(?:perime\w*|expire\w*|pas a jour|plus valable|n est plus|fin de validite|"
    r"pas (?:ete )?renouvele\w*|pas (?:encore )?(?:recu|arrive\w*))")


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
    if _CPAM_EXPLICIT.search(folded) or re.search(r"\b(?:sociale|obligatoire|indemnites de la)\b", folded):
        return "cpam"
    if _INSURER_CONTEXT.search(folded) or re.search(r"\b(?:prevoyance|complement|mutuelle|vous|votre)\b", folded):
        return "insurer"
    return None


# « mon numéro de sécu », « ma carte vitale »: the identifier, not the CPAM as a party
_IDENTIFIER_WORDS = re.compile(r"\b(?:(?:mon |ma |le |la |votre |du |de )?(?:numero|num|n) (?:de |d )?(?:secu|securite sociale)|"
                               r"(?:mon |ma |la |votre )?carte vitale)\b")


def _body(text: str, default: str | None) -> tuple[str | None, bool, bool]:
    """(the body, ``mixed``, ``ambiguous``) from the text; ``default`` when it names none."""
    text = _IDENTIFIER_WORDS.sub(" ", text)
    cpam_explicit = bool(_CPAM_EXPLICIT.search(text))
    insurer = bool(_INSURER_CONTEXT.search(_CPAM_EXPLICIT.sub(" ", text)) or _BUT_NOT_YOU.search(text))
    if cpam_explicit and _cpam_only_did_its_part(text) and (insurer or _NEGATIVE.search(text)):
        # the CPAM paid, the rest is not paid: the complementary's matter, whoever is named
        return "insurer", False, False
    if cpam_explicit and insurer:
        cpam_negative, insurer_negative = _clause_bodies(text)
        if cpam_negative and insurer_negative:
            return "insurer", True, False
        return None, False, False  # qualification's own clause analysis decides
    if cpam_explicit:
        return "cpam", False, False
    if insurer:
        return "insurer", False, False
    if _SICK_LEAVE.search(text) and default is None:
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
    if intent == "ask_cpam_appeal" and not _CPAM_EXPLICIT.search(normalised):
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
            _MEDIATOR_WISH.search(normalised):
        # « … on m'a juste répondu « nous revenons vers vous ». Je peux saisir le médiateur directement ? »: the
        # member asks for the mediator; the grievance is the context of the mediation check, not a new form
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
        described = bool(grievance) or (len(normalised.split()) >= 10 and not _WISH_ONLY.search(normalised))
        if not described and not body:
            return Route("describe", q)
        intent, confidence = "complain", max(confidence or 0.0, 0.9)
    if ambiguous and not body:
        q = qualify(intent, text, confidence, "insurer")
        if q.request_kind is not None and not q.unsure:
            return Route("ask_body", q)
    q = qualify(intent, text, confidence, found_body)
    if q.unsure or q.request_kind is None:
        words = len(normalised.split())
        return Route("clarify" if intent is not None or words >= 4 else "rephrase", q)
    if q.request_kind != "complaint":
        return Route("answered", q)
    party = _third_party(normalised)
    if q.concerned_body == "cpam" and not mixed:
        return Route("cpam_path", q, third_party=party)
    if party is not None:
        # the organisation is concerned only when a clause blames it (« et ma mutuelle refuse la différence »)
        blames_org = org_cleared(normalised) is None and any(
            _NEGATIVE.search(c) and _INSURER_CONTEXT.search(c) and (
                not any(re.search(rf"\b{w}s?\b", c) for w in party.words)
                # « l'opticien m'a dit que CPMS refusait de rembourser »: the organisation is the one refusing
                or re.search(rf"\b{_ORG_WORDS}\b (?:\w+ ){{0,3}}(?:refus\w*|ne \w+ pas|n a pas|a rien)", c)
            ) or _BUT_NOT_YOU.search(c) or (
                # « le chirurgien a pris 600 € et vous me remboursez 95 €, mon contrat dit 250 % » (round 12): the
                # organisation paid less than the contract says
                _INSURER_CONTEXT.search(c) and _PAID_LESS.search(normalised)
            ) or (
                # the tiers payant or a prise en charge refused at the counter is the organisation's cover
                _NEGATIVE.search(c) and re.search(r"\btiers payant\b|\bprise en charge\b|\bcarte (?:de )?(?:mutuelle|"
                                                   r"tiers payant)\b", c)
            )
            for c in _clauses(normalised)
        )
        if not blames_org:
            return Route("third_party", q, third_party=party)
    return Route("record_complaint", q, mixed, party)
