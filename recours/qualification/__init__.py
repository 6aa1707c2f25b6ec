"""Is the member's message a réclamation? Which kind of request, which body, and why (rules.md §1, §2).

The NLU intent gives the kind of request; the text can overrule it, because the definition does: a
réclamation is "l'expression d'un mécontentement envers un professionnel", so a request for an attestation
that "still has no answer" is a complaint (dissatisfaction wins). The overruling is done with a lexicon of
dissatisfaction markers kept as data, each with its example sentences (recours/data/dissatisfaction_fr.yml),
so a reader can review and extend it without reading code. Matching works on a normalised copy of the text
(lower case, no accents, apostrophes and hyphens as spaces, SMS abbreviations expanded, long misspelt words
corrected) so "tjrs pas de rep" and "rembourssement" are read like the dictionary forms.

Markers are ignored when negated ("je ne suis pas mécontent") or hypothetical ("si je n'ai pas de réponse
d'ici lundi"), and a few neutral phrases are masked first ("par erreur", "pas de problème").

| Module | Holds |
|---|---|
| ``decision`` | ``qualify`` and its result, the request kinds and intents |
| ``normalise`` | the normalised text, SMS spellings and the vocabulary of typo correction |
| ``lexicon`` | the dissatisfaction lexicon read from its data file |
| ``markers`` | finding the markers: neutral phrases, hypotheses, negations |
| ``bodies`` | CPAM or insurer |
| ``explanation`` | the French sentences shown to the member |
"""

from recours.qualification.decision import (
    CONCERNED_BODIES,
    INTENT_KINDS,
    REQUEST_KINDS,
    UNSURE_BELOW,
    Qualification,
    qualify,
)
from recours.qualification.lexicon import MARKER_LABELS_FR
from recours.qualification.normalise import VOCABULARY, normalise_text

__all__ = [
    "CONCERNED_BODIES",
    "INTENT_KINDS",
    "MARKER_LABELS_FR",
    "REQUEST_KINDS",
    "UNSURE_BELOW",
    "VOCABULARY",
    "Qualification",
    "normalise_text",
    "qualify",
]
