"""Situations that cannot wait for a written answer: a person is offered at once (rules.md §10).

Three situations, read in the member's statement of need (``recours.routing`` attaches the result to its route):

- ``coverage_terminated``: the member is losing their cover — « vous avez résilié mon contrat », « je suis
  radiée », « je ne suis plus couvert », « mes garanties sont suspendues ». A member who *asks* to cancel
  (« je veux résilier », « ma demande de résiliation n'est pas traitée ») is not in that situation;
- ``hospitalisation``: a hospital stay or an operation that is imminent — « je suis opérée demain », « une
  hospitalisation prévue lundi », « je suis hospitalisé » — not one in the past (« l'an dernier »);
- ``tiers_payant_refused``: the tiers payant (or the cover itself) refused at a pharmacy or a hospital, or the
  member asked to advance the costs there.

Patterns are written against ``recours.qualification.normalise_text`` (accents folded, typos corrected: « résilié »
reads « resilier »). No Rasa import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recours.messages import message_group_fr
from recours.qualification import normalise_text

__all__ = ["Urgency", "URGENCIES", "detect_urgency"]


@dataclass(frozen=True)
class Urgency:
    kind: str  # coverage_terminated, hospitalisation, tiers_payant_refused
    situation_fr: str  # « votre couverture est interrompue »: completes « Votre situation est urgente : … »


# The situations' words are in recours/data/messages_fr.yml (urgency.situations), by kind.
_SITUATIONS_FR = message_group_fr("urgency.situations")
URGENCIES = {
    kind: Urgency(kind, _SITUATIONS_FR[kind])
    for kind in ("coverage_terminated", "hospitalisation", "tiers_payant_refused")
}

_LOSING_COVER = re.compile(
    r"\b(?:m a|m ont|a ete|ont ete|avez|vous m avez|suis|est|sont|etre|ete|me|m|a) (?:\w+ ){0,2}(?:resili\w*|radie\w*)"
    r"|\bradiation\b"
    r"|\b(?:ne suis plus|suis plus|je ne suis plus|n est plus|n etes plus|ne sommes plus|sommes plus|plus du tout) "
    r"(?:\w+ ){0,1}(?:couvert\w*|assure\w*|pris en charge|prise en charge|adherent\w*|affilie\w*)\b"
    r"|\b(?:couverture|garanties?|droits|contrat|adhesion|mutuelle|prevoyance) (?:\w+ ){0,3}(?:suspendu\w*|coupe\w*|"
    r"ferme\w*|interrompu\w*|supprime\w*|radie\w*|resili\w*)\b"
    r"|\bsans (?:aucune )?(?:mutuelle|couverture|complementaire)\b|\bplus de (?:mutuelle|couverture)\b"
)
# The member's own cancellation: not a loss of cover.
_OWN_CANCELLATION = re.compile(
    r"\b(?:veux|voudrais|souhaite|souhaiterais|aimerais|demande|demander|demande de|ma demande|envoye|faire|"
    r"pour|de|fait|lettre|courrier) (?:\w+ ){0,3}(?:resili\w*|radi\w*)"
)
_STAY = re.compile(
    r"\b(?:hospitalis\w*|hopital|clinique|operation|opere\w*|operer|intervention|chirurgi\w*|accouchement|"
    r"accouche\w*|bloc operatoire|admission|admis|greffe|dialyse|chimio\w*)\b"
)
_IMMINENT = re.compile(
    r"\b(?:demain|apres demain|ce soir|aujourd hui|semaine prochaine|dans (?:\d+|un|une|deux|trois|quatre|cinq|"
    r"quelques|huit|dix|quinze) (?:jours?|semaines?)|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|bientot|"
    r"prochain\w*|imminent\w*|urgent\w*|urgence|avant mon|avant l|ce week end|cette semaine|en ce moment|"
    r"actuellement)\b"
    r"|\b(?:hospitalisation|operation|intervention|chirurgie|admission) (?:est )?(?:prevue|programmee|planifiee)\b"
    r"|\b(?:suis|est|suis actuellement|vais etre|va etre|doit etre|dois etre|devrais etre) (?:\w+ ){0,1}"
    r"(?:hospitalis\w*|opere\w*|admis\w*)\b"
)
_PAST = re.compile(r"\b(?:me suis fait (?:operer|hospitaliser|poser|soigner)|(?:ai|a) ete (?:opere|hospitalis|admis)\w*|"
                   r"(?:ai|a) subi|suis sorti\w* de|l an dernier|l annee derniere|il y a (?:\d+|un|une|deux|trois|"
                   r"quelques) (?:ans?|mois)|"
                   r"en 20\d\d|l ete dernier|le mois dernier|a la suite d\w*|suite a|facture\w*|devis)\b")
_REFUSED = re.compile(r"\b(?:refus\w*|pas (?:accepte\w*|pris|passe|fonctionne|marche)|rejet\w*|bloque\w*|"
                      r"ne passe pas|ne marche pas|ne fonctionne pas|tout payer|payer la totalite|exige\w*|"
                      r"(?:demande\w*|oblige\w*|faut|dois|doit) (?:\w+ ){0,3}(?:avancer|l avance|payer))\b")
_TIERS_PAYANT = re.compile(r"\b(?:tiers payant|carte (?:de )?(?:mutuelle|tiers payant)|prise en charge|attestation "
                           r"(?:de )?(?:mutuelle|droits)|frais)\b")
_COUNTER = re.compile(r"\b(?:pharmacie\w*|pharmacien\w*|hopital|hopitaux|clinique\w*|hospitalisation|urgences|"
                      r"chu|maternite)\b")


def detect_urgency(text: str) -> Urgency | None:
    """The urgent situation the statement describes, or None (the first found, in the order of the docstring)."""
    folded = normalise_text(text or "")
    if not folded:
        return None
    losing = _LOSING_COVER.search(folded)
    if losing and not _OWN_CANCELLATION.search(folded[max(0, losing.start() - 40):losing.end()]):
        return URGENCIES["coverage_terminated"]
    if _TIERS_PAYANT.search(folded) and _REFUSED.search(folded) and _COUNTER.search(folded):
        return URGENCIES["tiers_payant_refused"]
    if _STAY.search(folded) and _IMMINENT.search(folded) and not _PAST.search(folded):
        return URGENCIES["hospitalisation"]
    return None
