"""Yes / no typed as members type them (recours.answers)."""

from __future__ import annotations

import pytest

from recours.answers import parse_yes_no


@pytest.mark.parametrize("text, expected", [
    # members' round 13: « bien sûr que non » read as a yes; an answer taken back in the same message
    ("bien sur que non sinon je serais pas là", False),
    ("NON. AH SI ATTENDEZ J'AI ENVOYÉ UN MAIL LE 2 NOVEMBRE", True),
    ("oui... ah non en fait", False),
    ("non, enfin si", True),
    ("non non", False),
    ("bien sûr que oui", True),
])
def test_an_answer_taken_back_or_said_with_emphasis(text, expected):
    assert parse_yes_no(text) is expected
    if text not in ("non non", "bien sûr que oui"):
        # the answer taken back, or an emphatic no, wins over the classifier's reading of the first words
        assert parse_yes_no(text, "deny" if expected else "affirm") is expected
