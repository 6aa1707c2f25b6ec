"""NIR normalisation, validation messages and masking. Only synthetic NIRs (tests/nirs.py)."""

from __future__ import annotations

import random

import pytest
from stdnum.fr import nir as stdnum_nir

from recours.nir import InvalidNir, is_valid_nir, mask_nir, nir_last_digits, normalise_nir
from tests.nirs import grouped, make_nir, nir_key, random_nir, with_wrong_key

PARIS = make_nir(1, 84, 5, "75", "056", "123")
CORSE_A = make_nir(2, 53, 7, "2A", "073", "004")
CORSE_B = make_nir(2, 53, 7, "2B", "073", "004")
ABROAD = make_nir(2, 95, 10, "99", "126", "111")


# -- the generator agrees with the worked checks of facts.md §6.2 and with python-stdnum --------------------------


def test_worked_checks_of_the_facts():
    assert nir_key("2951099126111") == "93"
    assert nir_key("253072A073004") == "43"
    assert nir_key("253072B073004") == "70"
    assert ABROAD.endswith("93") and CORSE_A.endswith("43") and CORSE_B.endswith("70")


@pytest.mark.parametrize("nir", [PARIS, CORSE_A, CORSE_B, ABROAD])
def test_stdnum_accepts_synthetic_nirs_including_corsica(nir):
    assert stdnum_nir.is_valid(nir)
    assert normalise_nir(nir) == nir


def test_many_random_synthetic_nirs_round_trip():
    rng = random.Random(20260903)
    for _ in range(500):
        nir = random_nir(rng)
        assert normalise_nir(grouped(nir)) == nir
        with pytest.raises(InvalidNir) as info:
            normalise_nir(with_wrong_key(nir))
        assert info.value.reason == "key"


# -- accepted spellings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        grouped(PARIS),
        grouped(PARIS, "."),
        grouped(PARIS, "-"),
        grouped(PARIS, " - "),
        grouped(PARIS, "\u00a0"),  # non-breaking space (copied from a PDF)
        grouped(PARIS, "\u202f"),  # narrow non-breaking space (French typography)
        grouped(PARIS, "\u2013"),  # en dash
        f"  {PARIS}  ",
        PARIS[:13] + " " + PARIS[13:],
        "\n" + grouped(PARIS) + "\n",
        PARIS.translate(str.maketrans("0123456789", "０１２３４５６７８９")),  # full-width digits
        f"Mon numéro est le {grouped(PARIS)}.",
        f"c'est {PARIS} merci",
    ],
)
def test_separators_and_surrounding_text_are_accepted(typed):
    assert normalise_nir(typed) == PARIS


@pytest.mark.parametrize(
    "typed, expected",
    [
        (grouped(CORSE_A), CORSE_A),
        (grouped(CORSE_A).lower(), CORSE_A),
        (CORSE_A.lower(), CORSE_A),
        (grouped(CORSE_B, "."), CORSE_B),
        (CORSE_B.replace("B", "b"), CORSE_B),
        (f"né en Corse : {grouped(CORSE_B).lower()}", CORSE_B),
    ],
)
def test_corsica_2a_2b_any_case(typed, expected):
    assert normalise_nir(typed) == expected


# -- refusals say what is wrong ------------------------------------------------------------------------------------


def _refusal(typed: str) -> InvalidNir:
    with pytest.raises(InvalidNir) as info:
        normalise_nir(typed)
    return info.value


def test_wrong_key_message():
    error = _refusal(grouped(with_wrong_key(PARIS)))
    assert error.reason == "key"
    assert "la clé de contrôle ne correspond pas" in error.message_fr


def test_corsica_key_computed_with_19_and_18():
    # The 2A key used with 2B (and the reverse) is wrong: 2A and 2B are not interchangeable.
    assert _refusal(CORSE_A[:5] + "2B" + CORSE_A[7:]).reason == "key"
    assert _refusal(CORSE_B[:5] + "2A" + CORSE_B[7:]).reason == "key"


@pytest.mark.parametrize("typed", ["", "   ", " . - "])
def test_empty(typed):
    error = _refusal(typed)
    assert error.reason == "empty"
    assert "pas trouvé" in error.message_fr


def test_missing_key_is_named():
    error = _refusal(grouped(PARIS[:13]))
    assert error.reason == "length"
    assert "clé de contrôle" in error.message_fr and "15" in error.message_fr


@pytest.mark.parametrize("typed, count", [(PARIS[:14], 14), (PARIS + "1", 16), (PARIS[:10], 10)])
def test_wrong_length_counts_characters(typed, count):
    error = _refusal(typed)
    assert error.reason == "length"
    assert f"j'en compte {count}" in error.message_fr


@pytest.mark.parametrize("typed", ["1 84 05 75 O56 123 15", "je ne sais pas", "1840575056123X5", "184057505612€15"])
def test_not_a_nir(typed):
    error = _refusal(typed)
    assert error.reason == "characters"
    assert "que des chiffres" in error.message_fr


@pytest.mark.parametrize(
    "typed",
    [
        PARIS[:5] + "2C" + PARIS[7:],  # only 2A and 2B exist
        "A" + PARIS[1:],
        PARIS[:9] + "AB" + PARIS[11:],  # letters outside the department
    ],
)
def test_letters_in_the_wrong_place(typed):
    error = _refusal(typed)
    assert error.reason in {"format", "characters"}
    assert error.message_fr.startswith("Ce numéro de sécurité sociale n'est pas valide")


def test_first_digit_zero():
    first13 = "0" + PARIS[1:13]
    assert _refusal(first13 + nir_key(first13)).reason == "format"


def test_two_numbers_in_one_answer_are_not_guessed():
    assert _refusal(f"{grouped(PARIS)} ou {grouped(ABROAD)}").reason == "characters"


def test_messages_are_french_and_never_echo_the_number():
    for typed in (with_wrong_key(PARIS), PARIS[:14], PARIS[:5] + "2C" + PARIS[7:]):
        message = _refusal(typed).message_fr
        assert typed not in message and typed[:9] not in message
        assert message.startswith("Ce numéro de sécurité sociale")


def test_is_valid_nir():
    assert is_valid_nir(grouped(PARIS))
    assert not is_valid_nir(with_wrong_key(PARIS))


# -- masking ---------------------------------------------------------------------------------------------------


def test_mask_shows_sex_year_and_key_only():
    assert mask_nir(PARIS) == f"1 84 ** ** *** *** {PARIS[13:]}"
    assert mask_nir(grouped(CORSE_A).lower()) == "2 53 ** ** *** *** 43"
    masked = mask_nir(ABROAD)
    assert masked == "2 95 ** ** *** *** 93"
    for hidden in ("10", "99", "126", "111"):
        assert hidden not in masked.replace("2 95", "")


def test_mask_of_garbage_reveals_nothing():
    assert mask_nir("12345") == "***"


def test_last_digits():
    assert nir_last_digits(PARIS) == PARIS[-4:]
    assert nir_last_digits(grouped(PARIS), 2) == PARIS[-2:]
    with pytest.raises(ValueError):
        nir_last_digits(PARIS, 0)
