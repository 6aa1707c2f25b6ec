"""Qualification and escalation guidance over REST, for each organisation file and for the CPAM path.

RECOURS_TODAY is fixed to Saturday 21 November 2026 (tests/e2e/conftest.py); expected dates are written by hand.
"""

from __future__ import annotations

import pytest

from tests.e2e.harness import Conversation, buttons

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    "message, kind",
    [
        ("À quel montant de remboursement ai-je droit pour des lunettes ?", "information"),
        ("Pouvez-vous m'envoyer une attestation de mutuelle pour mon employeur ?", "service"),
        ("Je n'ai toujours pas de réponse à ma demande d'attestation envoyée il y a un mois", "complaint"),
    ],
)
def test_qualification_explains_and_routes(assistant, organisation, message, kind):
    conversation = Conversation(assistant)
    replies = conversation.say(message)
    text = "\n".join(r.get("text", "") for r in replies)
    slots = conversation.slots()
    assert slots["request_kind"] == kind, conversation.dump()
    assert slots["concerned_body"] == "insurer"
    if kind == "complaint":
        assert "Il s'agit d'une réclamation" in text
        assert "Acceptez-vous de continuer" in text  # recording starts with the data-protection notice
    else:
        assert "Ce n'est pas une réclamation" in text
        assert "01 47 70 30 97" in text  # CPMS's usual contact, from its data file
        assert "Nouvelle réclamation" in buttons(replies)


@pytest.mark.parametrize("organisation", ["cpms"], indirect=True)
def test_cpms_member_is_asked_the_carrier_and_gets_its_mediator(assistant, organisation):
    conversation = Conversation(assistant)
    assert "réclamation écrite" in conversation.say_text("Puis-je saisir le médiateur ?")
    assert "date" in conversation.say_text("Oui")
    assert "réponse écrite" in conversation.say_text("le 3 septembre")
    assert "justice" in conversation.say_text("Non")
    assert "autre médiateur" in conversation.say_text("Non")
    assert "le travail de CPMS" in conversation.say_text("Non")  # contract or broker's conduct (issue 12)
    replies = conversation.say("Le contrat")
    assert "Une mutuelle" in " ".join(buttons(replies)) or len(buttons(replies)) >= 3, conversation.dump()
    text = conversation.say_text("une mutuelle")
    assert "Mutualité Française" in text and "255 rue de Vaugirard" in text
    assert "vendredi 3 septembre 2027" in text
    slots = conversation.slots()
    assert slots["mediator"] == "fnmf"
    assert slots["mediator_from"] == "2026-11-21" and slots["mediator_until"] == "2027-09-03"
    assert slots["first_complaint_date"] == "2026-09-03" and slots["answer_received"] is False
    assert slots["court_action"] is False


@pytest.mark.parametrize("organisation", ["identites_mutuelle"], indirect=True)
def test_identites_unsatisfactory_answer_mediation_possible_now(assistant, organisation):
    conversation = Conversation(assistant)
    opening = conversation.say_text("Je ne suis pas satisfait de la réponse à ma réclamation, que puis-je faire ?")
    # written, answered, not satisfied: said in the opening, not asked again (issue 11, round 10)
    assert "À quelle date" in opening and "vous satisfait" not in opening, conversation.dump()
    conversation.say("03/10/2026")
    conversation.say("Non")  # no court action
    text = conversation.say_text("Non")  # no other mediator
    assert not any("Cette réponse vous satisfait" in (r.get("text") or "") for _, replies in conversation.transcript
                   for r in replies)
    assert "Médiation Consommation Développement" in text and "42000 Saint-Étienne" in text
    assert "Service Réclamations" in text or "réclamations" in text.lower()
    slots = conversation.slots()
    assert slots["mediator"] == "mcd_cnpm"
    assert slots["mediator_from"] == "2026-11-21" and slots["mediator_until"] == "2027-10-03"
    assert "lettre" in text.lower()  # the referral letter is offered
    letter = conversation.say_text("/affirm")
    assert "Médiation Consommation Développement" in letter and "Identités Mutuelle" in letter


@pytest.mark.parametrize("organisation", ["klesia"], indirect=True)
def test_klesia_no_answer_mediation_possible_from_two_months(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say("Toujours pas de réponse à ma réclamation, puis-je saisir le médiateur ?")
    conversation.say("Oui")
    conversation.say("le 31 octobre")
    conversation.say("Non")  # no answer
    conversation.say("Non")  # no court action
    text = conversation.say_text("Non")  # no other mediator
    assert "au plus tard le jeudi 31 décembre 2026" in text  # the answer deadline
    assert "à partir du vendredi 1er janvier 2027" in text and "dimanche 31 octobre 2027" in text
    assert "CTIP" in text and "10, rue Cambacérès" in text.replace("10 rue", "10, rue")
    slots = conversation.slots()
    assert slots["mediator"] == "ctip"
    assert slots["mediator_from"] == "2027-01-01" and slots["mediator_until"] == "2027-10-31"


# Too late, more than a year after the first letter: tests/e2e/test_hard_cases_rest.py (item 7), for each organisation.


def test_written_complaint_first_offers_to_record_it(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say("Comment saisir le médiateur ?")
    replies = conversation.say("Non")
    assert "Enregistrer" in buttons(replies), conversation.dump()
    assert "réclamation écrite" in " ".join(r.get("text", "") for r in replies)


def test_court_action_blocks_mediation(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say("Je voudrais saisir le médiateur")
    conversation.say("Oui")
    conversation.say("le 1er septembre")
    conversation.say("Non")
    text = conversation.say_text("Oui")  # a court action is under way
    assert "justice" in text or "judiciaire" in text
    assert conversation.slots()["mediator"] is None


def test_cpam_complaint_gets_the_cpam_path(assistant, organisation):
    conversation = Conversation(assistant)
    replies = conversation.say("La CPAM ne m'a toujours pas versé mes indemnités journalières depuis deux mois, c'est inadmissible")
    text = "\n".join(r.get("text", "") for r in replies)
    slots = conversation.slots()
    assert slots["request_kind"] == "complaint" and slots["concerned_body"] == "cpam", conversation.dump()
    assert "36 46" in text and "ameli" in text and "médiateur" in text
    assert slots["mediator"] == "cpam_mediateur"
    assert "Contester une décision" in buttons(replies)


def test_cpam_appeal_deadline(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say("Comment contester une décision de la CPAM ?")
    conversation.say("Administrative")
    text = conversation.say_text("le 3 octobre")
    assert "Commission de recours amiable" in text
    assert "jeudi 3 décembre 2026" in text
    assert "médiateur" in text
    slots = conversation.slots()
    assert slots["cpam_appeal_until"] == "2026-12-03"
    assert slots["concerned_body"] == "cpam"
