"""One normaliser (recours/text.py): every caller gets what the fold it replaced gave it (issue 15).

The former functions are frozen below, in this file only, and compared with their replacement on every NLU
example, the held-out set and tricky inputs (œ, ’, « », NBSP, uppercase accents, SMS spellings). What changed on
purpose is listed in ``test_what_changed_on_purpose``.
"""

from __future__ import annotations

import random
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pytest
from rapidfuzz.distance import OSA

from recours.qualification.normalise import KNOWN_WORDS, SMS_WORDS, VOCABULARY, normalise_text
from recours.text import APOSTROPHES, corrections, fold, fold_aligned, tokens, unaccent

ROOT = Path(__file__).resolve().parent.parent

# ==================================================================================================
# Frozen copies of the functions recours/text.py replaced (do not edit: they are the reference)
# ==================================================================================================


def old_answers_fold(text: str) -> str:  # recours/answers.py fold
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("’", "'").replace("`", "'")
    text = re.sub(r"[!?.,;:()\[\]\"«»]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def old_reading_folded(text: str) -> str:  # recours/reading.py _folded
    folded = old_answers_fold(text or "").replace("'", " ").replace("-", " ")
    if (text or "").rstrip().endswith("?"):
        folded += " ?"
    return re.sub(r"\s+", " ", folded).strip()


def old_dates_fold(text: str) -> str:  # recours/dates.py _fold
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("œ", "oe").replace("æ", "ae")
    text = re.sub(r"[’'`´ʼ‘]", " ", text)
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    text = re.sub(r"[«»\"!?;:,()\[\]]", " ", text)
    text = re.sub(r"(?<=[a-z])\.(?=\s|$)", " ", text)
    return re.sub(r"\s+", " ", text).strip(" .")


def old_qualification_fold(text: str) -> str:  # recours/qualification.py fold
    text = unicodedata.normalize("NFKD", (text or "").lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("œ", "oe").replace("æ", "ae").replace("€", " euros ")
    text = re.sub(r"[’'`´ʼ‘\-_/]", " ", text)
    text = re.sub(r"([.,;!?\n])", r" \1 ", text)
    text = re.sub(r"[^a-z0-9.,;!?\n ]", " ", text)
    text = re.sub(r"([a-z])\1{2,}", r"\1", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def old_classifier_fold(text: str) -> str:  # addons/intent_classifier.py fold
    text = unicodedata.normalize("NFKD", (text or "").lower().replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def old_flat(text: str) -> str:  # recours/facts.py _flat
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)[:1].lower()
        out.append(" " if base in "'’-" else (base if len(base) == 1 else ch))
    return "".join(out)


def old_osa_distance(a: str, b: str) -> int:  # recours/dates.py and recours/qualification.py _osa_distance
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=None)
def old_correct(token: str) -> str:  # recours/qualification.py _correct, on today's word lists
    if len(token) < 7 or token in VOCABULARY or token in KNOWN_WORDS or token in SMS_WORDS:
        return token
    limit = 1 if len(token) <= 10 else 2
    best, best_distance = token, limit + 1
    for word in sorted(w for w in VOCABULARY if w[0] == token[0]):
        if abs(len(word) - len(token)) > limit:
            continue
        distance = old_osa_distance(token, word)
        if distance < best_distance:
            best, best_distance = word, distance
    return best


def old_normalise_text(text: str) -> str:  # recours/qualification.py normalise_text
    words = []
    for token in old_qualification_fold(text).split(" "):
        token = SMS_WORDS.get(token, token)
        if token.isalpha():
            token = old_correct(token)
        words.append(token)
    return " ".join(words)


def old_features_text(text: str) -> str:  # addons/intent_classifier.py features_text
    return f"{old_classifier_fold(text)} ¦ {old_normalise_text(text or '')}"


# ==================================================================================================
# Inputs
# ==================================================================================================

TRICKY = [
    "", "   ", "?", "!!!", "...", "Oui.", "NON !", "(oui)", "[ok]", "ok;", "«oui»", "« non »", "\"d'accord\"",
    "Cœur", "SŒUR", "œuvre", "Æsthétique", "ÉCRIT", "À LA CPAM", "ÇA SUFFIT", "Été", "ÎLE", "Ô", "DÉCEMBRE",
    "l’assurance", "L'ASSURANCE", "aujourd’hui", "c`est", "l´eau", "d'\"options\"",
    "oui\u00a0!", "non\u202f?", "a\u00a0b", "tab\there", "deux\nlignes", "fin\r\n", "  espaces   multiples  ",
    "tjrs pas de rep", "g pa eu ma rep", "jsp", "jai tjr pa eu ma rep", "pk vs repondez pa", "rembourssement",
    "mécontant", "inadmisible", "adhesoin", "marreeee", "ouiiii", "nonnn", "ras-le-bol", "est-ce", "mi-juin",
    "avant-hier", "médecin-conseil", "c'est-à-dire", "- un\n- deux", "2-3 semaines", "03.09.2026", "2026-09-03",
    "3/9/26", "sept.", "le 3 sept. 2026", "12,50 €", "70€", "100 %", "n°12", "REC-2026-7K4F9Q", "a_b/c",
    "il y a 2 mois", "fin août", "le 1er", "1.", "3. mars", "Qu'est-ce qu'un NIR ?", "C'EST QUOI ?",
    "\U0001f621 inadmissible", "ﬁn", "Ⅳ",
]


def _nlu_texts() -> list[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    texts = [e.get("text") for e in load_data(str(ROOT / "data" / "nlu")).intent_examples]
    assert len(texts) > 5000
    return texts


@pytest.fixture(scope="module")
def nlu_texts() -> list[str]:
    return _nlu_texts()


@pytest.fixture(scope="module")
def corpus(nlu_texts: list[str]) -> list[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    heldout = [e.get("text") for e in load_data(str(ROOT / "tests" / "nlu" / "heldout.yml")).intent_examples]
    return nlu_texts + heldout + TRICKY


def _new_reading_folded(text: str) -> str:  # recours/reading.py _folded, as it now reads
    folded = fold(text, apostrophes=" ", hyphens=" ")
    if (text or "").rstrip().endswith("?"):
        folded += " ?"
    return re.sub(r"\s+", " ", folded).strip()


# Apostrophes some old folds did not know: what becomes of them is in test_what_changed_on_purpose.
_ON_PURPOSE = re.compile("[‘ʼ`]")

# (caller, old, new): exactly the same output
SAME: list[tuple[str, Callable[[str], str], Callable[[str], str]]] = [
    ("answers, recap, facts, actions: fold", old_answers_fold, fold),
    ("reading: _folded", old_reading_folded, _new_reading_folded),
    ("dates: _fold", old_dates_fold,
     lambda t: fold(t, apostrophes=" ", hyphens="words", ligatures=True, signs="dates")),
    ("qualification: fold", old_qualification_fold, lambda t: fold(t, signs="tokens")),
    ("qualification: normalise_text", old_normalise_text, normalise_text),
    ("intent classifier: fold", old_classifier_fold, unaccent),
    ("facts: _flat", old_flat, fold_aligned),
]
# (caller, old, new): the same once runs of spaces are one space — the old code replaced apostrophes or hyphens
# after folding, which left two spaces in « d'"options" » (« d  options ») or a space at the start of « - un »
SAME_BUT_SPACES: list[tuple[str, Callable[[str], str], Callable[[str], str]]] = [
    ("mediators, postal, validation, mediation: fold + apostrophes as spaces",
     lambda t: old_answers_fold(t).replace("'", " "), lambda t: fold(t, apostrophes=" ")),
    ("glossary, date_ranges: fold + apostrophes and hyphens as spaces",
     lambda t: old_answers_fold(t).replace("'", " ").replace("-", " "), lambda t: fold(t, apostrophes=" ", hyphens=" ")),
    ("cpam: fold + hyphens as spaces", lambda t: old_answers_fold(t).replace("-", " "), lambda t: fold(t, hyphens=" ")),
]


# ==================================================================================================
# Every caller gets what it got
# ==================================================================================================


@pytest.mark.parametrize(("caller", "old", "new"), SAME, ids=[c for c, _, _ in SAME])
def test_every_caller_gets_what_it_got(caller: str, old: Callable[[str], str], new: Callable[[str], str],
                                       corpus: list[str]) -> None:
    different = [t for t in corpus if old(t) != new(t) and not _ON_PURPOSE.search(t)]
    assert not different, f"{caller}: {len(different)} inputs differ, e.g. {different[:3]!r}"


@pytest.mark.parametrize(("caller", "old", "new"), SAME_BUT_SPACES, ids=[c for c, _, _ in SAME_BUT_SPACES])
def test_replacing_after_folding_differed_only_by_spaces(caller: str, old: Callable[[str], str],
                                                         new: Callable[[str], str], corpus: list[str]) -> None:
    for text in corpus:
        before, after = old(text), new(text)
        assert after == " ".join(before.split()), (caller, text)
        if not re.search(r"\s\s|^\s|\s$", before):
            assert after == before, (caller, text)


def test_the_intent_classifier_sees_byte_identical_features(nlu_texts: list[str]) -> None:
    """The model was trained on these features: the same text for every NLU example, so the same accuracy."""
    from addons.intent_classifier import features_text

    different = [t for t in nlu_texts if features_text(t).encode() != old_features_text(t).encode()]
    assert not different, different[:3]


def test_what_changed_on_purpose() -> None:
    # every apostrophe is an apostrophe: « ‘ » and « ʼ » were left as they were by answers and the classifier
    assert old_answers_fold("aujourd‘hui") == "aujourd‘hui" and fold("aujourd‘hui") == "aujourd'hui"
    assert old_classifier_fold("cʼest") == "cʼest" and unaccent("cʼest") == "c'est"
    assert old_classifier_fold("c`est") == "c`est" and unaccent("c`est") == "c'est"
    assert old_flat("l‘eau") == "l‘eau" and fold_aligned("l‘eau") == "l eau"
    # letters written with compatibility characters are lower case too (the classifier lower-cased first)
    assert old_classifier_fold("ℂPAM") == "Cpam" and unaccent("ℂPAM") == "cpam"
    # no double space where an apostrophe or a hyphen became one
    assert old_answers_fold("d'\"options\"").replace("'", " ") == "d  options"
    assert fold("d'\"options\"", apostrophes=" ") == "d options"
    assert old_answers_fold("- un").replace("-", " ") == "  un" and fold("- un", hyphens=" ") == "un"


# ==================================================================================================
# The views, one by one
# ==================================================================================================


@pytest.mark.parametrize(
    ("text", "options", "folded"),
    [
        ("Je n’ai PAS reçu « ma carte » !", {}, "je n'ai pas recu ma carte"),
        ("D’ACCORD, c`est ça.", {}, "d'accord c'est ca"),
        ("Cœur\u00a0?", {}, "cœur"),
        ("Cœur", {"ligatures": True}, "coeur"),
        ("c'est-à-dire", {"apostrophes": " ", "hyphens": " "}, "c est a dire"),
        ("l’assurance", {"apostrophes": " "}, "l assurance"),
        ("mi-juin, le 2026-09-03", {"hyphens": "words", "signs": "dates"}, "mi juin le 2026-09-03"),
        ("le 03.09.2026.", {"signs": "dates"}, "le 03.09.2026"),
        ("sept. 2026", {"signs": "dates"}, "sept 2026"),
        ("J’en ai MARREEEE !!! 70€", {"signs": "tokens"}, "j en ai marre ! ! ! 70 euros"),
        ("Bonjour.\nRas-le-bol", {"signs": "tokens"}, "bonjour . \n ras le bol"),
        ("a_b/c «x»", {"signs": "tokens"}, "a b c x"),
    ],
)
def test_fold_views(text: str, options: dict, folded: str) -> None:
    assert fold(text, **options) == folded


def test_an_unknown_view_is_refused() -> None:
    with pytest.raises(ValueError):
        fold("oui", signs="words")


def test_unaccent_changes_nothing_else() -> None:
    assert unaccent("  Réclamation :  «ÉCRITE»  ’ ") == "  reclamation :  «ecrite»  ' "
    assert unaccent(None) == ""  # type: ignore[arg-type]


def test_fold_aligned_keeps_positions() -> None:
    text = "J’ai ÉCRIT le 3 mars à l'assurance-maladie"
    flat = fold_aligned(text)
    assert len(flat) == len(text)
    assert flat == "j ai ecrit le 3 mars a l assurance maladie"


def test_tokens() -> None:
    assert tokens("Toujours pas, RIEN !") == ["toujours", "pas", ",", "rien", "!"]
    assert tokens("") == [""]


def test_every_apostrophe_is_one() -> None:
    assert {fold(f"l{a}eau") for a in APOSTROPHES} == {"l'eau"}
    assert {fold(f"l{a}eau", apostrophes=" ") for a in APOSTROPHES} == {"l eau"}


# ==================================================================================================
# Spelling distance and corrections (rapidfuzz)
# ==================================================================================================


def test_rapidfuzz_distance_is_the_former_one() -> None:
    rng = random.Random(15)
    words = sorted(VOCABULARY) + ["fevirer", "septmbre", "octobe", "adhesoin", "rembourssement", "", "a", "ab", "ba"]
    for _ in range(3000):
        a = rng.choice(words)
        b = rng.choice(words) if rng.random() < 0.5 else _misspell(rng, a)
        assert OSA.distance(a, b) == old_osa_distance(a, b), (a, b)


def _misspell(rng: random.Random, word: str) -> str:
    if len(word) < 2:
        return word + "x"
    i = rng.randrange(len(word) - 1)
    return rng.choice([word[:i] + word[i + 1:], word[:i] + word[i + 1] + word[i] + word[i + 2:],
                       word[:i] + "e" + word[i:], word[:i] + "z" + word[i + 1:]])


def test_corrections_of_every_misspelling_are_the_former_ones() -> None:
    rng = random.Random(16)
    for word in sorted(VOCABULARY):
        for _ in range(4):
            typo = _misspell(rng, word)
            assert normalise_text(typo) == old_normalise_text(typo), typo


def test_corrections() -> None:
    months = frozenset({"septembre", "novembre", "decembre"})
    assert corrections("septmbre", months, 2) == ["septembre"]
    assert corrections("eptembre", months, 2) == []  # the first letter is kept
    assert corrections("novembe", months, 1) == ["novembre"]
    assert corrections("abc", frozenset({"abd", "abe", "xbc"}), 1) == ["abd", "abe"]  # nearest, then alphabetical
    assert corrections("abc", frozenset({"abcd", "ab"}), 0) == []
