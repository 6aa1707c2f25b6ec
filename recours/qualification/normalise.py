"""The copy of the member's text the lexicons are written against: folded (recours.text), SMS spellings
expanded, long misspelt words corrected, so « tjrs pas de rep » and « rembourssement » read as the dictionary
forms. The intent classifier reads it too (addons/intent_classifier.py): a change here changes the model.
The words themselves are data: recours/data/spelling_fr.yml (a training input too)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from recours.text import corrections, tokens

SPELLING_FILE = Path(__file__).resolve().parent.parent / "data" / "spelling_fr.yml"
_SPELLING = yaml.safe_load(SPELLING_FILE.read_text(encoding="utf-8"))
# SMS and abbreviated spellings -> dictionary words (whole tokens only).
SMS_WORDS: dict[str, str] = dict(_SPELLING["sms_words"])
# Words that typo correction must leave alone (« contente » is not « conteste »).
KNOWN_WORDS = frozenset(_SPELLING["known_words"])
# Correction targets: lexicon words long enough (7+ letters) to be recognised when misspelt.
VOCABULARY = frozenset(_SPELLING["vocabulary"])


@lru_cache(maxsize=8192)
def _correct(token: str, vocabulary: frozenset[str]) -> str:
    """The vocabulary word a long misspelt token stands for; one edit up to 10 letters, two beyond.

    Short words are never corrected: "marge" must not become "marre", nor "recu" "decu".
    """
    if len(token) < 7 or token in vocabulary or token in KNOWN_WORDS or token in SMS_WORDS:
        return token
    found = corrections(token, vocabulary, 1 if len(token) <= 10 else 2)
    return found[0] if found else token


def normalise_text(text: str, vocabulary: frozenset[str] = VOCABULARY) -> str:
    """The copy of the member's text every pattern of the lexicon (and of recours.natures) is written against."""
    words = []
    for token in tokens(text):
        token = SMS_WORDS.get(token, token)
        if token.isalpha():
            token = _correct(token, vocabulary)
        words.append(token)
    return " ".join(words)
