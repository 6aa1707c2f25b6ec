"""Issue 12: dates and mediators right in the hard cases, typed as members type them, over REST.

RECOURS_TODAY is fixed to Saturday 21 November 2026 (tests/e2e/conftest.py); expected dates are written by hand
(the worked examples of shared/domain/facts.md §8 are in the unit tests, shifted here to fit that today).
"""

from __future__ import annotations

import pytest

from tests.e2e.harness import Conversation, buttons

pytestmark = pytest.mark.e2e


# -- item 1: CMRA -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("organisation", ["cpms", "klesia"], indirect=True)
def test_cmra_appeal_four_months_of_silence_then_the_court(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say("Je veux contester une décision de la CPAM sur mon taux d'invalidité")
    text = conversation.say_text("le 2 novembre")
    if "médical" in text and "Médicale" in " ".join(buttons(conversation.transcript[-1][1])):
        text = conversation.say_text("médicale")
    assert "Commission médicale de recours amiable" in text, conversation.dump()
    assert "au plus tard le lundi 4 janvier 2027" in text  # 2 January 2027 is a Saturday
    assert "4 mois" in text and "6 mois" in text
    assert "adresse indiquée sur la notification" in text and "adressée à votre CPAM" not in text
    assert "pôle social du tribunal judiciaire à partir du mercredi 5 mai 2027" in text
    assert conversation.slots()["cpam_appeal_until"] == "2027-01-04"
