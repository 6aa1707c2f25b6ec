"""Redaction of NIR / e-mail / phone / IBAN: adversarial spellings are caught, ordinary numbers are kept."""

from __future__ import annotations

import random
import uuid

import pytest

from recours.contact import mask_email, mask_phone
from recours.nir import mask_nir
from recours.redaction import EMAIL, IBAN, NIR, PHONE, redact, redact_text
from tests.nirs import grouped, make_nir, random_nir, with_wrong_key

PARIS = make_nir(1, 84, 5, "75", "056", "123")
CORSE_A = make_nir(2, 53, 7, "2A", "073", "004")
CORSE_B = make_nir(2, 53, 7, "2B", "073", "004")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _only_placeholder(text: str, placeholder: str, prefix: str = "avant ", suffix: str = " après") -> None:
    assert redact_text(prefix + text + suffix) == prefix + placeholder + suffix


# -- NIR -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nir",
    [
        PARIS,
        grouped(PARIS),
        grouped(PARIS, "."),
        grouped(PARIS, "-"),
        grouped(PARIS, "/"),
        grouped(PARIS, ", "),
        grouped(PARIS, " | "),
        grouped(PARIS, "  "),
        grouped(PARIS, "\u00a0"),
        grouped(PARIS, "\u202f"),
        grouped(PARIS, "_"),
        " ".join(PARIS),  # one digit at a time
        PARIS[:13] + " " + PARIS[13:],
        PARIS[:13],  # without the key
        grouped(PARIS[:13]),
        grouped(with_wrong_key(PARIS)),  # wrong key: still a NIR
        with_wrong_key(PARIS),
        PARIS[:14],  # a digit forgotten
        grouped(CORSE_A),
        grouped(CORSE_A).lower(),
        CORSE_B,
        CORSE_B.lower(),
        grouped(CORSE_B, "."),
        PARIS.translate(FULL_WIDTH),
        grouped(PARIS).translate(FULL_WIDTH),
    ],
)
def test_nir_spellings(nir):
    _only_placeholder(nir, NIR)


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"NIR:{PARIS}", f"NIR:{NIR}"),
        (f"nir{PARIS}", f"nir{NIR}"),  # glued to a word
        (f"({grouped(PARIS)})", f"({NIR})"),
        (f"{grouped(PARIS)}.", f"{NIR}."),
        (f"«{PARIS}»", f"«{NIR}»"),
        (f"{PARIS}\n{CORSE_A}", f"{NIR}\n{NIR}"),
        (f"mon numéro {grouped(PARIS)} 12 rue de Paris", f"mon numéro {NIR} 12 rue de Paris"),
        # an e-mail in punctuation
        ("(jean@exemple.fr).", f"({EMAIL})."),
        ("mail:jean@exemple.fr;", f"mail:{EMAIL};"),
        ("<jean@exemple.fr>", f"<{EMAIL}>"),
        # a phone number glued to words, and lists of numbers
        ("tel:0612345678", f"tel:{PHONE}"),
        ("tél0612345678", f"tél{PHONE}"),
        ("06 12 34 56 78 01 23 45 67 89", f"{PHONE} {PHONE}"),
        ("06 12 34 56 78 / 01 23 45 67 89", f"{PHONE} / {PHONE}"),
        ("(+33) 6 12 34 56 78", f"({PHONE}"),
    ],
)
def test_identifier_in_context(text, expected):
    assert redact_text(text) == expected


def test_many_random_nirs_in_every_grouping():
    rng = random.Random(7)
    for _ in range(300):
        nir = random_nir(rng)
        separator = rng.choice([" ", ".", "-", "", "\u00a0", " - "])
        text = f"Voici : {grouped(nir, separator)} !"
        assert redact_text(text) == f"Voici : {NIR} !", text


# -- e-mail ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "jean@exemple.fr",
        "Jean.Dupont@Exemple.FR",
        "jean+reclamation@sous.domaine.exemple.fr",
        "jean_dupont-2@exemple.co.uk",
        "j.o'neil@exemple.fr",
        "jean@exemple",  # no dot: not valid, still identifying
        "jean @ exemple.fr",
        "jean＠exemple.fr",
        "jean (at) exemple.fr",
        "jean [at] exemple [dot] fr",
        "jean arobase exemple point fr",
        "jean.0612345678@exemple.fr",  # digits inside are not a separate phone
        "élodie.müller@exemple.fr",
    ],
)
def test_email_spellings(email):
    _only_placeholder(email, EMAIL)


# -- phone ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "06\u00a012\u00a034\u00a056\u00a078",
        "06  12  34  56  78",
        "0 6 1 2 3 4 5 6 7 8",
        "0612 345 678",
        "+33 6 12 34 56 78",
        "+33612345678",
        "+33 (0)6 12 34 56 78",
        "+33(0)612345678",
        "0033 6 12 34 56 78",
        "33 6 12 34 56 78",
        "+44 20 7946 0958",
        "+1 (415) 555-2671",
        "+262 692 12 34 56",
        "01 23 45 67 89",
        "09 70 80 90 10",
        "0612345678".translate(FULL_WIDTH),
    ],
)
def test_phone_spellings(phone):
    _only_placeholder(phone, PHONE)


# -- IBAN --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "iban",
    [
        "FR76 3000 6000 0112 3456 7890 189",
        "FR7630006000011234567890189",
        "fr76 3000 6000 0112 3456 7890 189",
        "FR76-3000-6000-0112-3456-7890-189",
        "FR76 30006 00001 12345678901 89",  # bank/branch/account/key grouping
        "GB29 NWBK 6016 1331 9268 19",
        "DE89 3704 0044 0532 0130 00",
        "FR76 3000 6000 0112 3456 7890 100",  # wrong check digits: still an account number
    ],
)
def test_iban_spellings(iban):
    _only_placeholder(iban, IBAN, prefix="IBAN : ", suffix=" et voilà")


def test_rib_without_country_is_still_removed():
    # A RIB typed without "FR76": no IBAN shape, but 23 digits never survive.
    assert "12345678901" not in redact_text("RIB 30006 00001 12345678901 89")


# -- what must stay ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "J'ai payé 120 € le 03/09/2026.",
        "Montant : 1 234,56 € ; reste 12 345,00 €",
        "120€ puis 35,50 EUR",
        "le 3 septembre 2026, le 03.09.2026, le 03-09-2026, le 2026-09-03, le 3/9/26",
        "du 01/09/2026 au 30/09/2026",
        "période 01/09/2026-30/09/2026",
        "En 2024, 2025 et 2026.",
        "entre 2019 et 2026",
        "Référence REC-2026-7K4F9Q, rappel de REC-2026-ABCDEF",
        "12 rue de la Paix, 75002 Paris",
        "BP 40123 - 75015 Paris Cedex 15",
        "CS 90001 13007 Marseille",
        "le 12 rue de la paix",
        "à 10h30, 10:30, 18 h",
        "contrat n° 123456, dossier 2026-0042",
        "Appelez le 3646 (service gratuit + prix d'un appel)",
        "pendant 2 mois et 15 jours",
        "taux de 4,5 % sur 12 mois",
        "Article L.224-1 du code, décret 2019-341",
        "arrêt de travail de 90 jours",
        "",
        "bonjour",
    ],
)
def test_ordinary_numbers_are_kept(text):
    assert redact_text(text) == text


def test_masked_forms_shown_by_the_assistant_are_kept():
    text = (
        f"NIR {mask_nir(PARIS)}, e-mail {mask_email('jean.dupont@exemple.fr')}, "
        f"téléphone {mask_phone('+33612345678')}"
    )
    assert redact_text(text) == text


def test_everything_at_once():
    text = (
        f"Bonjour, je suis Jean. NIR {grouped(PARIS)}, joignable au 06 12 34 56 78 ou jean@exemple.fr. "
        "Remboursez sur FR76 3000 6000 0112 3456 7890 189 les 120 € du 03/09/2026 (REC-2026-7K4F9Q)."
    )
    assert redact_text(text) == (
        f"Bonjour, je suis Jean. NIR {NIR}, joignable au {PHONE} ou {EMAIL}. "
        f"Remboursez sur {IBAN} les 120 € du 03/09/2026 (REC-2026-7K4F9Q)."
    )


# -- nested structures ---------------------------------------------------------------------------------------------


def test_redact_nested_returns_a_copy():
    event = {
        "event": "user",
        "text": f"mon NIR est {PARIS}",
        "parse_data": {
            "text": f"mon NIR est {PARIS}",
            "entities": [{"entity": "email", "value": "jean@exemple.fr", "start": 0, "end": 15}],
            "intent": {"name": "inform", "confidence": 0.98},
        },
        "metadata": ("06 12 34 56 78", None, True, 3.5),
        "timestamp": 1788393600.123,
        "slots": {"count": 3, "nir_number": int(PARIS), "flag": False},
    }
    original = repr(event)
    redacted = redact(event)
    assert repr(event) == original  # input untouched
    assert redacted["text"] == f"mon NIR est {NIR}"
    assert redacted["parse_data"]["text"] == f"mon NIR est {NIR}"
    assert redacted["parse_data"]["entities"][0]["value"] == EMAIL
    assert redacted["parse_data"]["entities"][0]["start"] == 0
    assert redacted["parse_data"]["intent"] == {"name": "inform", "confidence": 0.98}
    assert redacted["metadata"] == (PHONE, None, True, 3.5)
    assert redacted["timestamp"] == 1788393600.123
    assert redacted["slots"] == {"count": 3, "nir_number": NIR, "flag": False}


def test_redact_keeps_keys_and_scalars():
    assert redact({"jean@exemple.fr": 1}) == {"jean@exemple.fr": 1}
    assert redact(None) is None and redact(12) == 12 and redact(2026) == 2026 and redact(True) is True


# -- technical ids ----------------------------------------------------------------------------------------------


def test_uuids_and_hex_ids_are_not_mistaken_for_numbers():
    # uuid4().hex often holds 10+ consecutive digits; about 8 % would be damaged without the exception.
    rng = random.Random(42)
    for _ in range(3000):
        value = uuid.UUID(int=rng.getrandbits(128), version=4)
        for text in (value.hex, str(value), f'{{"message_id": "{value.hex}"}}', "a" + value.hex[1:]):
            assert redact_text(text) == text
    digest = "0612345678" + "e" * 54  # a sha256-like hex string
    assert redact_text(f"hash {digest}") == f"hash {digest}"
    assert redact_text("06123456780612345678061234567806") == f"{NIR}"  # all digits: not an id


def test_identifiers_next_to_an_id_are_still_removed():
    value = uuid.UUID(int=random.Random(1).getrandbits(128), version=4).hex
    assert redact_text(f"{value} 06 12 34 56 78 {PARIS}") == f"{value} {PHONE} {NIR}"


# -- no catastrophic backtracking: it runs on every tracker save (its speed is a bench figure: python -m bench) ------


HOSTILE_INPUTS = ("a" * 50_000 + "1", "1 " * 25_000, "a@" * 25_000, "a." * 25_000 + "@", "FR76" + " 1" * 20_000)


@pytest.mark.timeout(120)  # a guard against a regex that never ends, not a speed target
@pytest.mark.parametrize("hostile", HOSTILE_INPUTS, ids=lambda text: repr(text[:8]))
def test_hostile_inputs_end(hostile):
    assert isinstance(redact_text(hostile), str)
