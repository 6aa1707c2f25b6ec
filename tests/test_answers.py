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


def test_the_answer_in_the_last_sentence_after_an_explanation():
    # members' round 16 (m16-B-02 M14): read as a yes
    assert parse_yes_no("J'ai envoyé une lettre vers le 15 novembre, pour prévenir, mais ce n'était pas une "
                        "réclamation. Alors je dirais non.") is False


def test_a_nature_put_with_its_reason():
    from recours.natures import match_nature

    # members' round 16 (m16-B-01 M8)
    assert match_nature("Bon, alors mettez Autre, puisque c'est surtout la carte.") == "autre"


@pytest.mark.parametrize("text, accepted", [
    ("bon ok finalement jaccepte, faut bien que ca bouge", True),
    ("euh non en fait jaccepte continuons", True),
    ("oui finalement", True),
    # members' round 24 (m24-F-02): an acknowledgement after « Je refuse », taken as the consent
    ("ok. et la CRA je l'envoie en recommandé ?", False),
    ("ok merci", False),
    ("non je refuse toujours", False),
])
def test_the_notice_accepted_after_all_only_when_said(text, accepted):
    from recours.answers import accepts_after_all

    assert accepts_after_all(text) is accepted
