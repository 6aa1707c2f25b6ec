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
from recours.patterns import patterns

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

_P = patterns("urgency")


def detect_urgency(text: str) -> Urgency | None:
    """The urgent situation the statement describes, or None (the first found, in the order of the docstring)."""
    folded = normalise_text(text or "")
    if not folded:
        return None
    losing = _P.losing_cover.search(folded)
    if losing and not _P.own_cancellation.search(folded[max(0, losing.start() - 40):losing.end()]):
        return URGENCIES["coverage_terminated"]
    if _P.counter.search(folded) and _tiers_payant_refused_now(folded):
        return URGENCIES["tiers_payant_refused"]
    if _P.stay.search(folded) and _P.imminent.search(folded) and not _P.past.search(folded):
        return URGENCIES["hospitalisation"]
    return None


def _tiers_payant_refused_now(folded: str) -> bool:
    """The tiers payant (or the cover) refused there, said in one breath, and not a bill already paid and now to be
    reimbursed (« j'avais demandé une chambre seule et CPMS m'a refusé le remboursement », « les 255 € que j'ai
    intégralement réglés »: members' round 23, m23-B-02, C-05, a false « urgent »)."""
    for cover in _P.tiers_payant.finditer(folded):
        near = folded[max(0, cover.start() - 60):cover.end() + 60]
        if _P.refused.search(near):
            return not (_P.already_paid.search(folded) and not _P.now.search(folded))
    return False
