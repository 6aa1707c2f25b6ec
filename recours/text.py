"""French text as the rules compare it: one fold (case, accents, apostrophes, signs, spaces), its tokens, and
the misspellings typo correction recognises.

Every module reads the member's text through ``fold``; its options are the real differences between readers:
short answers are compared with the apostrophe kept (« d'accord »), the date grammar keeps the signs dates are
written with (« 03.09.2026 », « 2026-09-03 »), the lexicons of recours.qualification and recours.natures need
clause boundaries as tokens. The intent classifier reads ``unaccent`` (and the lexicons' normalised text): its
model was trained on those views, so a change here is a training input (ops/launcher.py TRAINING_INPUTS).

The edit distance is rapidfuzz's optimal string alignment (Levenshtein, a transposition counting as one edit:
« adhesoin » is one edit from « adhesion »), not a hand-written one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = ["APOSTROPHES", "corrections", "fold", "fold_aligned", "tokens", "unaccent"]

# Every character members type for an apostrophe (« ´ » is already a space after NFKD).
APOSTROPHES = "’'`ʼ‘"
_STRAIGHT = str.maketrans({c: "'" for c in APOSTROPHES})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
_SPACE_SIGNS = re.compile(r"[!?.,;:()\[\]\"«»]")  # what a compared answer drops (« ok. », « (oui) »)
_DATE_SIGNS = re.compile(r"[«»\"!?;:,()\[\]]")
_WORD_DOT = re.compile(r"(?<=[a-z])\.(?=\s|$)")  # « sept. » ; the dots of « 03.09.2026 » stay
_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_CLAUSE_SIGNS = re.compile(r"([.,;!?\n])")
_NOT_TOKEN = re.compile(r"[^a-z0-9.,;!?\n ]")
_REPEATED = re.compile(r"([a-z])\1{2,}")


def nfkc(text: str) -> str:
    """Compatibility-normalised text with typographic apostrophes made plain (« l’adresse » -> « l'adresse »)."""
    return unicodedata.normalize("NFKC", text or "").replace("’", "'")


def unaccent(text: str) -> str:
    """Lower case, accents removed, every apostrophe straight; spacing, signs and « œ » untouched."""
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower().translate(_STRAIGHT)


def fold(text: str, *, apostrophes: str = "'", hyphens: str = "-", ligatures: bool = False,
         signs: str = "answer") -> str:
    """The member's text lower case, without accents, single-spaced, in one of three views (``signs``):

    - ``"answer"``: ``! ? . , ; : ( ) [ ] " « »`` are spaces, every other character stays (« d'accord »,
      « c'est-à-dire », « 12 € »);
    - ``"dates"``: the same, but a dot stays unless it closes a word (« sept. » is « sept », « 03.09.2026 »
      stays), and dots around the text are dropped;
    - ``"tokens"``: letters and digits only, ``. , ; ! ?`` and line breaks kept as tokens (clause boundaries),
      « € » read « euros », a letter typed three times or more kept once (« marreeee »); the other options do
      not apply, every other sign being a space.

    ``apostrophes=" "`` and ``hyphens=" "`` make them word separators (« l assurance », « ras le bol »);
    ``hyphens="words"`` separates only words joined by a hyphen (« mi juin », but « 2026-09-03 »).
    ``ligatures`` writes « œ », « æ » as « oe », « ae ».
    """
    text = unaccent(text)
    if ligatures or signs == "tokens":
        text = text.translate(_LIGATURES)
    if signs == "tokens":
        text = _CLAUSE_SIGNS.sub(r" \1 ", text.replace("€", " euros "))
        text = _REPEATED.sub(r"\1", _NOT_TOKEN.sub(" ", text))
        return re.sub(r" +", " ", text).strip()
    if apostrophes != "'":
        text = text.replace("'", apostrophes)
    if hyphens == "words":
        text = _WORD_HYPHEN.sub(" ", text)
    elif hyphens != "-":
        text = text.replace("-", hyphens)
    if signs == "dates":
        return re.sub(r"\s+", " ", _WORD_DOT.sub(" ", _DATE_SIGNS.sub(" ", text))).strip(" .")
    if signs != "answer":
        raise ValueError(f"unknown view of the signs: {signs!r}")
    return re.sub(r"\s+", " ", _SPACE_SIGNS.sub(" ", text)).strip()


def tokens(text: str) -> list[str]:
    """The tokens of ``fold(text, signs="tokens")``: words, numbers and clause signs."""
    return fold(text, signs="tokens").split(" ")


def fold_aligned(text: str) -> str:
    """Lower case without accents, apostrophes and hyphens as spaces, one character for one: positions in the
    result are positions in ``text``, so a clause found there is quoted in the member's own spelling."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)[:1].lower()
        out.append(" " if base in APOSTROPHES or base == "-" else (base if len(base) == 1 else ch))
    return "".join(out)


def corrections(word: str, vocabulary: frozenset[str], max_edits: int) -> list[str]:
    """The words of ``vocabulary`` that ``word`` may be a misspelling of: same first letter (a misspelling
    rarely touches it, and it keeps look-ups cheap), at most ``max_edits`` edits, a transposition counting as
    one (« fevirer » is one edit from « fevrier »); nearest first, then in alphabetical order."""
    candidates = _by_first_letter(vocabulary).get(word[:1], ())
    found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=max_edits, limit=None)
    return [w for w, _, _ in sorted(found, key=lambda f: (f[1], f[0]))]


@lru_cache(maxsize=16)
def _by_first_letter(vocabulary: frozenset[str]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for word in vocabulary:
        index.setdefault(word[:1], []).append(word)
    return {k: tuple(sorted(v)) for k, v in index.items()}
