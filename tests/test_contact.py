"""Contact details from one free-text answer; masks; French refusals that never echo the value."""

from __future__ import annotations

import pytest

from recours.contact import Contact, InvalidContact, mask_email, mask_phone, parse_contact


@pytest.mark.parametrize(
    "text, email, phone",
    [
        ("jean@exemple.fr et 06 12 34 56 78", "jean@exemple.fr", "+33612345678"),
        ("06 12 34 56 78 / jean@exemple.fr", "jean@exemple.fr", "+33612345678"),
        ("Mon mail : Jean.Dupont@Exemple.FR.", "Jean.Dupont@exemple.fr", None),
        ("mail:jean@exemple.fr", "jean@exemple.fr", None),
        ("jean @ exemple.fr", "jean@exemple.fr", None),
        ("<jean+reclamation@exemple.fr>", "jean+reclamation@exemple.fr", None),
        ("« jean@exemple.fr »", "jean@exemple.fr", None),
        ("0612345678", None, "+33612345678"),
        ("06.12.34.56.78", None, "+33612345678"),
        ("06-12-34-56-78", None, "+33612345678"),
        ("06\u00a012\u00a034\u00a056\u00a078", None, "+33612345678"),
        ("+33 6 12 34 56 78", None, "+33612345678"),
        ("+33 (0)6 12 34 56 78", None, "+33612345678"),
        ("0033 6 12 34 56 78", None, "+33612345678"),
        ("01 23 45 67 89", None, "+33123456789"),
        ("+44 20 7946 0958", None, "+442079460958"),
        ("+262 692 12 34 56", None, "+262692123456"),  # La Réunion
        ("appelez-moi au 06 12 34 56 78 après 18h", None, "+33612345678"),
        ("jean@exemple.fr, ou jean@exemple.fr", "jean@exemple.fr", None),  # the same address twice
        ("ｊｅａｎ＠ｅｘｅｍｐｌｅ．ｆｒ", "jean@exemple.fr", None),  # full-width
    ],
)
def test_parse_contact(text, email, phone):
    assert parse_contact(text) == Contact(email=email, phone=phone)


def test_digits_in_the_e_mail_are_not_a_phone():
    assert parse_contact("jean.0612345678@exemple.fr") == Contact("jean.0612345678@exemple.fr", None)


def _refusal(text: str) -> InvalidContact:
    with pytest.raises(InvalidContact) as info:
        parse_contact(text)
    return info.value


@pytest.mark.parametrize(
    "text, reason, fragment",
    [
        ("", "missing", "ni adresse e-mail ni numéro de téléphone"),
        ("je préfère ne pas le dire", "missing", "ni adresse e-mail ni numéro de téléphone"),
        ("dupont-famille@maison", "email", "doit contenir un point"),
        ("jean@", "email", "il manque le nom de domaine"),
        ("@exemple.fr", "email", "il manque la partie avant"),
        ("jean@@exemple.fr", "email", "plusieurs « @ »"),
        ("jean@exem ple.fr", "email", "doit contenir un point"),
        ("jean..dupont@exemple.fr", "email", "non autorisé"),
        ("jean@exemple.test", "email", "non autorisé"),
        ("06 12 34 56", "phone", "un numéro français compte 10 chiffres ; j'en compte 8"),
        ("06 12 34 56 78 9", "phone", "j'en compte 11"),
        ("+33 6 12", "phone", "indicatif"),
        ("jean@exemple.fr et paul@exemple.fr", "several_emails", "une seule adresse"),
        ("06 12 34 56 78 ou 01 23 45 67 89", "several_phones", "un seul numéro"),
    ],
)
def test_refusals_are_specific_and_french(text, reason, fragment):
    error = _refusal(text)
    assert error.reason == reason
    assert fragment in error.message_fr


@pytest.mark.parametrize("text", ["dupont-famille@maison", "jean..dupont@exemple.fr", "06 12 34 56", "+33 6 12"])
def test_refusals_do_not_repeat_the_value(text):
    message = _refusal(text).message_fr
    assert text not in message
    assert "dupont" not in message and "maison" not in message
    assert "06 12" not in message and "+33 6" not in message


def test_mask_email():
    assert mask_email("jean.dupont@exemple.fr") == "j***@exemple.fr"
    assert mask_email("J@Exemple.FR") == "J***@exemple.fr"
    assert mask_email("not an address") == "***"


@pytest.mark.parametrize(
    "phone, masked",
    [
        ("+33612345678", "06 ** ** ** 78"),
        ("+33123456789", "01 ** ** ** 89"),
        ("+442079460958", "+44 ** ** ** 58"),
        ("+262692123456", "+262 ** ** ** 56"),
        ("n'importe quoi", "** ** ** **"),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked
