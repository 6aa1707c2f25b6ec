"""The nature of a complaint (rules.md §3) and how the member's own words map to it.

The values are the ``complaint_nature`` slot values of CONTRACT.md; the labels are the buttons. A member
may click a button, type its label, or write in their own words ("ma cotisation a augmenté", "ils mettent
trop de temps"): ``match_nature`` reads a short answer, ``suggest_nature`` pre-selects a button from the
long description.

When several natures appear, the *subject* of the complaint wins over its *manner*: "ils mettent trop de
temps à me rembourser" is a reimbursement complaint handled by the reimbursement team, not a generic
delay. Among subjects, the more specific one wins: a termination still charged for is a termination
(ACPR: "délai de traitement d'une résiliation"), a contribution raised after joining is a contribution.
The lexicon is data, below; the text is normalised as in recours.qualification (accents, SMS, typos).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recours.qualification import VOCABULARY, normalise_text
from recours.patterns import patterns

__all__ = ["NATURES", "NATURE_LABELS_FR", "match_nature", "suggest_nature", "NatureMatch", "score_natures"]

NATURES = (
    "adhesion", "resiliation", "cotisation", "remboursement", "prestation",
    "delai_traitement", "qualite_service", "autre",
)

NATURE_LABELS_FR: dict[str, str] = {
    "adhesion": "Adhésion",
    "resiliation": "Résiliation",
    "cotisation": "Cotisation",
    "remboursement": "Remboursement",
    "prestation": "Autre prestation",
    "delai_traitement": "Délai de traitement",
    "qualite_service": "Qualité de service",
    "autre": "Autre",
}

# Tie-break and subject-over-manner order (see module docstring).
PRIORITY = ("resiliation", "cotisation", "adhesion", "prestation", "remboursement", "delai_traitement",
            "qualite_service")
SUBJECTS = frozenset({"resiliation", "cotisation", "adhesion", "prestation", "remboursement"})

# (pattern, weight): 2 = names the nature, 1 = a clue. Patterns apply to the normalised text.
NATURE_LEXICON: dict[str, tuple[tuple[str, int], ...]] = {
    "adhesion": (
        (r"\badhe(?:sion|sions|rer|re|rez|rent)\b", 2),
        (r"\b(?:affiliation|affilie|affiliee|affilier)\b", 2),
        (r"\bsouscri(?:re|ption|t|s|vez)\b", 2),
        (r"\binscri(?:ption|re|t|te)\b", 1),
        (r"\bcarte (?:d )?adherent\b|\bcertificat d adhesion\b|\bbulletin d adhesion\b", 2),
        (r"\bdispense (?:d )?adhesion\b|\bdispense\b", 1),
        (r"\b(?:ajout\w*|rattach\w*|inscri\w*) (?:de )?(?:mon |ma |mes |un |une |d un |d une )?(?:enfant|enfants|"
         r"conjoint|conjointe|epoux|epouse|beneficiaire|beneficiaires|ayant droit|ayants droit|bebe|fils|fille)\b", 2),
        (r"\b(?:devenir|suis nouvel|nouvelle) adherent\w*\b", 1),
    ),
    "resiliation": (
        (r"\bresili\w*\b", 2),
        (r"\bradi(?:ation|e|ee|er)\b", 2),
        (r"\b(?:mettre fin|fin) (?:a |au |de )?(?:mon |ma )?(?:contrat|adhesion|mutuelle)\b", 2),
        (r"\b(?:arreter|quitter|stopper|annuler) (?:mon |ma |la )?(?:contrat|mutuelle|adhesion|assurance|"
         r"prevoyance)\b", 2),
        (r"\bchanger de mutuelle\b|\bloi (?:hamon|chatel)\b|\bresiliation infra annuelle\b", 2),
        (r"\b(?:prelev|factur|debit|cotis)\w*\b.{0,50}\b(?:apres|malgre|alors que|bien que|pourtant|"
         r"depuis)\b.{0,30}\bresili", 3),
        (r"\bresili\w*\b.{0,80}\b(?:toujours|encore|continu\w*) (?:a |de )?(?:me |m |nous )?(?:preleve|prelev\w*|"
         r"factur\w*|debit\w*)", 3),
    ),
    "cotisation": (
        (r"\bcotis\w*\b", 2),
        (r"\bprelevements?\b|\bpreleve\w*\b|\bprelever\b", 1),
        (r"\b(?:tarif|tarifs|prix|echeancier|echeance|echeances|appel de cotisation|mensualite|mensualites)\b", 1),
        (r"\baugment\w*\b|\bhausse\b|\btrop cher\b|\bpaye trop\b|\bpayer trop\b", 1),
        (r"\b(?:impaye|impayes|majoration|majorations|frais de retard|relance de paiement)\b", 1),
    ),
    "remboursement": (
        (r"\brembours\w*\b", 2),
        (r"\bdecomptes?\b|\bfeuilles? de soins\b|\btiers payant\b|\bprise en charge\b|\bpris en charge\b", 1),
        (r"\b(?:soins|lunettes|optique|verres|lentilles|dentaire|dentiste|couronne|implant|prothese|protheses|"
         r"consultation|consultations|pharmacie|medicament|medicaments|hospitalisation|hopital|clinique|"
         r"kine|kinesitherapeute|osteo|osteopathe|osteopathie|audioprothese|appareil auditif|appareils auditifs|"
         r"analyses|radio|specialiste|generaliste|depassement|depassements|honoraires|chambre particuliere|"
         r"orthodontie|pedicure|podologue|psychologue|sage femme|acupuncture)\b", 1),
        (r"\bfrais (?:medicaux|de sante|d hospitalisation|reels|de soins)\b", 1),
        (r"\bpart complementaire\b|\bticket moderateur\b|\breste a charge\b", 1),
    ),
    "prestation": (
        (r"\bprestations?\b", 2),
        (r"\bindemnites? journalieres?\b|\bindemnites?\b", 2),
        (r"\brentes?\b|\bcapital(?: deces)?\b|\bdeces\b|\bobseques\b", 2),
        (r"\binvalidite\b|\bincapacite\b|\bdependance\b", 2),
        (r"\b(?:allocation|allocations|pension|pensions|prime de naissance|complement de salaire|maintien de "
         r"salaire)\b", 2),
        (r"\barret (?:de travail|maladie)\b|\bmaternite\b|\bpaternite\b", 1),
        (r"\bversements?\b|\bverse\w*\b", 1),
        # the assistance guarantee (home help after a hospital stay): a benefit, not a refund of care (round 10)
        (r"\bgaranties? (?:d )?assistance\b|\baide (?:a domicile|menagere)\b|\baide a la maison\b|"
         r"\bgarde d enfants?\b", 2),
    ),
    "delai_traitement": (
        (r"\bdelais?\b", 2),
        (r"\btrop (?:long|longs|longue|lent|lente|longtemps)\b|\b(?:trop|beaucoup) de temps\b|\bmett\w* "
         r".{0,20}temps\b", 2),
        (r"\battend\w*\b|\battente\b|\bpatient\w*\b", 1),
        (r"\bretard\w*\b|\blenteur\w*\b|\btraine\b", 2),
        (r"\btoujours pas\b|\btoujours rien\b|\btoujours en (?:attente|cours)\b", 1),
        (r"\b(?:pas|aucune?|sans|jamais eu) (?:de |d )?(?:reponse|retour|nouvelles?)\b", 2),
        (r"\brelances?\b|\brelance\w*\b", 1),
        (r"\bdepuis (?:plus de )?(?:\d+|un|une|deux|trois|quatre|cinq|six|des|plusieurs) (?:jours|semaines|mois)\b", 1),
        (r"\b(?:pas|jamais|toujours pas) (?:ete )?(?:traite|traitee|pris en compte|prise en compte|enregistre|"
         r"enregistree)\b", 1),
        (r"\bdossier (?:bloque|en cours|en attente)\b", 1),
    ),
    "qualite_service": (
        (r"\baccueil\w*\b", 2),
        (r"\bqualite (?:de |du )?(?:service|l accueil|reponse|la reponse)\b|\bservice client\b", 2),
        (r"\b(?:telephone|telephonique|appel|appels|standard|guichet|agence)\b", 1),
        (r"\b(?:conseiller|conseillere|conseillers|agent|agents|operateur|operatrice|interlocuteur|interlocutrice|"
         r"standardiste)\b", 1),
        (r"\b(?:impoli|impolie|desagreable|agressif|agressive|odieux|odieuse|irrespectueux|meprisant|meprisante|"
         r"condescendant|condescendante|grossier|grossiere|arrogant|arrogante|pas aimable|incompetent|incompetente|"
         r"incompetence|nul|nulle|nuls)\b", 2),
        (r"\binjoignables?\b|\bjoindre\b|\braccroch\w*\b|\bpersonne ne decroche\b|\bdecroche\w*\b", 2),
        (r"\bmal (?:accueilli|accueillie|recu|recue|renseigne|renseignee|conseille|conseillee|informe|informee|"
         r"oriente|orientee|parle)\b", 2),
        (r"\b(?:mauvaise?s?|fausses?|erronees?|contradictoires) (?:information|informations|reponse|reponses|"
         r"renseignements?)\b", 2),
        (r"\b(?:site|site internet|espace adherent|application|appli)\b.{0,30}\b(?:marche pas|fonctionne pas|bug\w*|"
         r"plante|inaccessible|en panne)\b", 2),
    ),
}

_NATURE_VOCABULARY = frozenset({
    "adhesion", "affiliation", "souscription", "inscription", "resiliation", "resilier", "radiation",
    "cotisation", "cotisations", "prelevement", "prelevements", "echeancier", "augmentation", "augmente",
    "remboursement", "remboursements", "rembourse", "decompte", "hospitalisation", "consultation", "pharmacie",
    "medicament", "medicaments", "orthodontie", "osteopathe", "prestation", "prestations", "indemnites",
    "journalieres", "invalidite", "incapacite", "dependance", "allocation", "traitement", "attente",
    "relance", "accueil", "conseiller", "conseillere", "telephone", "injoignable", "desagreable",
    "incompetent", "qualite", "lunettes", "dentaire", "dentiste", "specialiste",
})
_VOCABULARY = VOCABULARY | _NATURE_VOCABULARY

_P = patterns("natures")

_COMPILED = {nature: tuple((re.compile(p), w) for p, w in entries) for nature, entries in NATURE_LEXICON.items()}
_EXACT = {normalise_text(label): value for value, label in NATURE_LABELS_FR.items()}
_EXACT.update({value: value for value in NATURES})
_EXACT.update({value.replace("_", " "): value for value in NATURES})


@dataclass(frozen=True)
class NatureMatch:
    nature: str
    score: int


def score_natures(text: str) -> tuple[NatureMatch, ...]:
    """Every nature found in the text with its score, best first (for the caller who wants to show two)."""
    normalised = normalise_text(text, _VOCABULARY)
    scores: dict[str, int] = {}
    for nature, entries in _COMPILED.items():
        score = sum(weight for rx, weight in entries for _ in rx.finditer(normalised))
        if score:
            scores[nature] = score
    return tuple(NatureMatch(n, s) for n, s in sorted(scores.items(), key=lambda kv: _rank(kv[0], kv[1], scores)))


def _rank(nature: str, score: int, scores: dict[str, int]) -> tuple[int, int, int]:
    has_subject = any(n in SUBJECTS for n in scores)
    manner_penalty = 1 if (has_subject and nature not in SUBJECTS) else 0
    return (manner_penalty, -score, PRIORITY.index(nature))


def _best(text: str) -> str | None:
    matches = score_natures(text)
    return matches[0].nature if matches else None




def exact_nature(text: str) -> str | None:
    """The nature ``text`` is exactly (a label, typos corrected: « resiliation », « Rembourssement »), else None."""
    return _EXACT.get(normalise_text(text, _VOCABULARY).strip(" .!?,;"))


def match_nature(text: str) -> str | None:
    """The nature of a short answer (a button, its label, or the member's words); None when nothing fits."""
    normalised = normalise_text(text, _VOCABULARY).strip(" .!?,;")
    if not normalised:
        return None
    if normalised in _EXACT:
        return _EXACT[normalised]
    # « résiliation. ah nn attend plutôt cotisation psk … », « cotisation plutôt que résiliation » (round 12):
    # the nature chosen after the member corrects themselves, not the one they gave up
    normalised = _P.instead_of.sub("", normalised).strip(" .!?,;")
    questioned = _P.questioned.match(normalised)
    if questioned and _best(normalised[questioned.end():]) is not None:
        return match_nature(normalised[questioned.end():])  # « adhesion?? nan cest rembourssement » (round 18)
    changed = list(_P.changed_to.finditer(normalised))
    if changed and changed[-1].start() > 0 and _best(normalised[changed[-1].end():]) is not None:
        return match_nature(normalised[changed[-1].end():])  # « … toujours adhesion!!! changez en remboursement »
    corrected = list(_P.self_correction.finditer(normalised))
    if corrected and _best(normalised[corrected[-1].end():]) is not None:
        return match_nature(normalised[corrected[-1].end():])
    head = re.split(r"\s*[.;!?]\s*|\s*,\s*(?:mais|puisque|car|parce que|vu que)\b", normalised, maxsplit=1)[0].strip()
    spaced = re.sub(r"\s*,\s*", " ", head)  # « bon, alors mettez autre » (members' round 16)
    if head != normalised and (head in _EXACT or _P.fillers.sub("", spaced) in _EXACT or
                               _P.other.match(_P.fillers.sub("", spaced))):
        # « qualite de service. mais surtout la prise en charge pour la clinique … » (members' round 15): the
        # label typed first, whatever the explanation after it suggests
        return _EXACT.get(head) or _EXACT.get(_P.fillers.sub("", spaced)) or "autre"
    bare = _P.fillers.sub("", normalised)
    if bare in _EXACT:
        return _EXACT[bare]
    bare = re.sub(r"\s+(?:alors|donc|du coup|dans ce cas|svp|stp|merci)$", "", bare)  # « autre alors »
    if _P.other.match(normalised) or _P.other.match(bare) or _P.other_then_why.match(bare):
        return "autre"
    # « c'est le délai surtout, mon remboursement qui traîne depuis des semaines » (members' round 22: recorded
    # « Remboursement »): the clause the member stresses names the nature
    stressed = next((clause for clause in re.split(r"\s*[,.;!?]\s*", normalised)
                     if re.search(r"\bsurtout\b(?! pas)", clause) and _best(clause) is not None), None)
    if stressed is not None:
        return _best(stressed)
    # « ce n'est surtout pas Cotisation, c'est le remboursement »: a nature the member denies is not chosen
    kept = _P.negated.sub(" ", normalised).strip(" .!?,;")
    if kept != normalised:
        return match_nature(kept) if kept and kept != normalised else None
    return _best(normalised)


def suggest_nature(description: str) -> str | None:
    """The nature to pre-select from the member's description; None rather than a guess from nothing."""
    if not description or not description.strip():
        return None
    return _best(description)
