"""Contact details from one free-text answer; masks; French refusals that never echo the value."""

from __future__ import annotations

import pytest

from recours.contact import Contact, InvalidContact, mask_email, mask_phone, parse_contact
from tests.cases import cases


@pytest.mark.parametrize(
    "text, email, phone",
    cases(__file__, "parse_contact"),
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
    cases(__file__, "refusals_are_specific_and_french"),
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
    cases(__file__, "mask_phone"),
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_a_number_printed_in_groups_without_its_leading_zero_is_no_phone():
    # a real conversation after members' round 15: « 7730 4412 9 » at the member-number question noted as 07 73 …
    from recours.contact import InvalidContact, parse_contact

    with pytest.raises(InvalidContact):
        parse_contact("7730 4412 9")
    assert parse_contact("06 12 34 56 78").phone == "+33612345678"
    assert parse_contact("+33 6 12 34 56 78").phone == "+33612345678"


def test_an_ordinal_beside_the_phone_is_no_digit_of_it():
    # members' round 19 (m19-A-04): « un numéro français compte 10 chiffres ; j'en compte 11 »
    from recours.contact import parse_contact

    found = parse_contact("melissa.girardot@example.org 06 00 00 00 58 (3e fois!!)")
    assert found.phone == "+33600000058" and found.email == "melissa.girardot@example.org"
