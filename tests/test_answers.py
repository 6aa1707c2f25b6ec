"""Yes / no typed as members type them (recours.answers)."""

from __future__ import annotations

import pytest

from recours.answers import parse_yes_no
from tests.cases import cases


@pytest.mark.parametrize("text, expected", cases(__file__, "an_answer_taken_back_or_said_with_emphasis"))
def test_an_answer_taken_back_or_said_with_emphasis(text, expected):
    assert parse_yes_no(text) is expected
    if text not in ("non non", "bien sûr que oui"):
        # the answer taken back, or an emphatic no, wins over the classifier's reading of the first words
        assert parse_yes_no(text, "deny" if expected else "affirm") is expected


@pytest.mark.parametrize("text, expected", [
    # members' round 16 (m16-A-04 M3, M4): two misses at the privacy notice, then the help with five buttons
    ("jacepte", True), ("ouii", True), ("nonn", False), ("nn", False),
])
def test_sms_consents_and_doubled_letters(text, expected):
    assert parse_yes_no(text) is expected
