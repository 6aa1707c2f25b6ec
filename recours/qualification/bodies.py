"""Which body a message concerns, the CPAM or the member's insurer (rules.md §2): weighted cues of each, and,
when both are named, the one the dissatisfaction targets in its clause."""

from __future__ import annotations

import re

from recours.qualification.markers import CLAUSE_SPLIT_RE, Found

# Which body the matter is for (rules.md §2): (pattern, weight); 2 = decisive, 1 = hint.
CPAM_CUES: tuple[tuple[str, int], ...] = (
    (r"\bcpam\b", 2), (r"\bcaisse primaire\b", 2), (r"\bcaisse (?:d )?assurance maladie\b", 2),
    (r"\bassurance maladie\b(?! complementaire)", 2), (r"\bsecu\b", 2), (r"\bsecurite sociale\b", 2),
    (r"\bameli\b", 2), (r"\bcarte vitale\b", 2), (r"\bmedecin traitant\b", 2), (r"\bc2s\b", 2),
    (r"\bcmu\b", 2), (r"\bcomplementaire sante solidaire\b", 2), (r"\bame\b", 2),
    (r"\baide medicale (?:d )?etat\b", 2), (r"\bpart obligatoire\b", 2), (r"\bregime (?:obligatoire|general)\b", 2),
    (r"\bremboursement de base\b", 2), (r"\btransport sanitaire\b", 2), (r"\bvsl\b", 2),
    (r"\baffection longue duree\b|\bald\b", 2), (r"\bcommission de recours amiable\b|\bcra\b", 2),
    (r"\bconciliateur\b", 2), (r"\bpension d invalidite\b", 2), (r"\b36 ?46\b", 2),
    (r"\bindemnites journalieres\b(?! complementaires)", 1), (r"\barret (?:de travail|maladie)\b", 1),
    (r"\bfeuille de soins\b", 1), (r"\bconge maternite\b", 1),
)
INSURER_CUES: tuple[tuple[str, int], ...] = (
    (r"\bmutuelles?\b", 2), (r"\bcomplementaires?\b(?! sante solidaire)", 2), (r"\bprevoyance\b", 2),
    (r"\bcotisations?\b", 2), (r"\badhesion\b", 2), (r"\bsurcomplementaire\b", 2), (r"\bassureurs?\b", 2),
    (r"\bcourtier\b", 2), (r"\bcpms\b", 2), (r"\bklesia\b", 2), (r"\bidentites mutuelle\b", 2),
    (r"\b(?:mon|ma|votre|notre) (?:contrat|assurance)\b(?! maladie)", 2), (r"\bpart complementaire\b", 2),
    (r"\brente\w*\b", 2), (r"\bcapital deces\b", 2), (r"\bincapacite\b", 2), (r"\bdependance\b", 2),
    (r"\bobseques\b", 2), (r"\bindemnites journalieres complementaires\b", 2), (r"\bresili\w*\b", 2),
    (r"\bradiation\b", 2), (r"\bespace adherent\b", 2), (r"\binstitution de prevoyance\b", 2),
    (r"\bgaranties?\b", 1), (r"\bdevis\b", 1), (r"\badherents?\b", 1), (r"\btiers payant\b", 1),
    (r"\binvalidite\b", 1),
)
# Signals that a clause carries the dissatisfaction, to tell which body it targets when both are named.
NEGATIVE_SIGNAL = r"\b(?:pas|rien|jamais|aucune?|refus\w*|toujours|ne|n|plus|sans|erreur|retard|bloque\w*)\b"

_NEGATIVE_SIGNAL_RE = re.compile(NEGATIVE_SIGNAL)
_CPAM_RES = tuple((re.compile(p), w) for p, w in CPAM_CUES)
_INSURER_RES = tuple((re.compile(p), w) for p, w in INSURER_CUES)


def _body_scores(text: str) -> tuple[int, int, list[tuple[int, str]]]:
    """CPAM and insurer scores, and every mention as (position, body)."""
    cpam = insurer = 0
    mentions: list[tuple[int, str]] = []
    for rx, weight in _CPAM_RES:
        for m in rx.finditer(text):
            cpam += weight
            mentions.append((m.start(), "cpam"))
    for rx, weight in _INSURER_RES:
        for m in rx.finditer(text):
            insurer += weight
            mentions.append((m.start(), "insurer"))
    return cpam, insurer, sorted(mentions)


def _target_of_dissatisfaction(text: str, markers: list[Found], mentions: list[tuple[int, str]]) -> str | None:
    """When both bodies are named, the one closest to the dissatisfaction in its clause (its subject first).

    "la sécu m'a remboursé mais pas ma mutuelle": the negative clause is "pas ma mutuelle" -> insurer.
    """
    bounds = [0] + [m.end() for m in CLAUSE_SPLIT_RE.finditer(text)] + [len(text) + 1]
    votes: list[str] = []
    for lo, hi in zip(bounds, bounds[1:]):
        in_clause = [(p, b) for p, b in mentions if lo <= p < hi]
        if not in_clause:
            continue
        # a marker counts in the clause where it ends: "remboursé mais pas ma mutuelle" is about the mutuelle
        signals = [max(f.start, lo) for f in markers if lo <= f.end - 1 < hi]
        signal = _NEGATIVE_SIGNAL_RE.search(text, lo, min(hi, len(text)))
        if signal:
            signals.append(signal.start())
        if not signals:
            continue
        first = min(signals)
        before = [(p, b) for p, b in in_clause if p < first]
        after = [(p, b) for p, b in in_clause if p >= first]
        votes.append(before[-1][1] if before else after[0][1])
    if not votes:
        return None
    if votes.count("cpam") != votes.count("insurer"):
        return "cpam" if votes.count("cpam") > votes.count("insurer") else "insurer"
    return votes[0]


def concerned_body(text: str, markers: list[Found]) -> str:
    cpam, insurer, mentions = _body_scores(text)
    if cpam and not insurer:
        return "cpam"
    if not cpam:
        return "insurer"
    # Both named: a hint alone never beats a decisive cue of the other body.
    if cpam >= 2 and insurer < 2:
        return "cpam"
    if insurer >= 2 and cpam < 2:
        return "insurer"
    target = _target_of_dissatisfaction(text, markers, mentions)
    if target:
        return target
    return "cpam" if cpam > insurer else "insurer"
