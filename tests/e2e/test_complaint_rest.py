"""Whole complaint conversations over the REST channel, against the real Rasa and action servers.

Asserts what the member reads, the contract slots (shared/CONTRACT.md) read through the HTTP API, and the row
recorded in the complaint store. Identifiers are synthetic, key-valid NIRs (tests/nirs.py).
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.harness import EMAIL, GRIEVANCE, NIR, REFERENCE_RE, Conversation, buttons
from tests.nirs import grouped, with_wrong_key

pytestmark = pytest.mark.e2e


def start_complaint(conversation: Conversation) -> str:
    """From the grievance to the privacy notice; returns what the member read."""
    text = conversation.say_text(GRIEVANCE)
    assert "réclamation" in text
    assert "Acceptez-vous de continuer" in text
    return text


def to_nir_question(conversation: Conversation) -> None:
    """From the grievance to the NIR question: privacy notice accepted, name given."""
    start_complaint(conversation)
    conversation.say("Oui")
    conversation.say("Marie Martin")


def fill_until_recap(conversation: Conversation, nir_text: str = NIR) -> str:
    assert "nom et votre prénom" in conversation.say_text("Oui")
    assert "sécurité sociale" in conversation.say_text("Marie Martin")
    assert "e-mail" in conversation.say_text(nir_text)
    replies = conversation.say(EMAIL)
    assert "Contrat individuel" in buttons(replies)
    replies = conversation.say("Contrat individuel")
    assert "Remboursement" in buttons(replies)
    # The grievance typed first is kept as the description: the next question is the contested decision.
    assert "décision" in conversation.say_text('/inform{"nature":"remboursement"}')
    assert "réclamation écrite" in conversation.say_text("Aucune")
    assert "justice" in conversation.say_text("Non")
    recap = conversation.say_text("Non")
    assert "récapitulatif" in recap
    return recap


def test_happy_path_records_the_complaint_with_reference_and_french_dates(assistant, organisation, store):
    conversation = Conversation(assistant)
    start_complaint(conversation)
    recap = fill_until_recap(conversation)
    assert "2 84 ** ** *** *** " in recap and NIR not in recap
    assert "m***@exemple.fr" in recap and EMAIL not in recap
    assert "Remboursement" in recap and "lunettes" in recap

    done = conversation.say_text("/affirm")
    match = REFERENCE_RE.search(done)
    assert match, conversation.dump()
    # RECOURS_TODAY is Saturday 21 November 2026; CPMS publishes "10 jours" and "2 mois".
    assert "samedi 21 novembre 2026" in done
    assert "mardi 1er décembre 2026" in done
    assert "jeudi 21 janvier 2027" in done
    assert "médiateur" in done

    slots = conversation.slots()
    assert slots["request_kind"] == "complaint"
    assert slots["concerned_body"] == "insurer"
    assert slots["complaint_nature"] == "remboursement"
    assert slots["contract_holder"] == "Marie Martin"
    assert slots["contested_decision"] is None
    assert slots["first_complaint_date"] is None
    assert slots["answer_received"] is False
    assert slots["court_action"] is False
    assert slots["complaint_reference"] == match.group(0)

    row = store.get_complaint(match.group(0))
    assert row is not None
    assert row.nir == NIR and row.email == EMAIL and row.member_name == "Marie Martin"
    assert row.nature == "remboursement" and row.organisation == "cpms"
    assert "lunettes" in row.description
    assert row.sent_on.isoformat() == "2026-11-21"
    assert row.acknowledge_by.isoformat() == "2026-12-01" and row.answer_by.isoformat() == "2027-01-21"

    tracker_dump = json.dumps(conversation.tracker(), ensure_ascii=False)
    assert NIR not in tracker_dump and EMAIL not in tracker_dump

    # CPMS is a broker: the member says which kind of insurer carries the contract, and gets the mediator.
    guidance = conversation.say_text('/inform{"carrier_type":"mutuelle_fnmf"}')
    assert "Mutualité Française" in guidance
    slots = conversation.slots()
    assert slots["mediator"] == "fnmf"
    assert slots["mediator_from"] == "2027-01-22" and slots["mediator_until"] == "2027-11-21"  # day after the answer deadline


def test_invalid_then_valid_nir(assistant, organisation):
    conversation = Conversation(assistant)
    to_nir_question(conversation)
    refused = conversation.say_text(grouped(with_wrong_key(NIR)))
    assert "clé" in refused
    assert with_wrong_key(NIR) not in refused
    second = conversation.say_text("1234")
    offered = buttons(conversation.transcript[-1][1])
    assert "Ce que j'attends" in second and "Parler à un conseiller" in offered and "Arrêter" in offered
    accepted = conversation.say_text(grouped(NIR, "."))
    assert "e-mail" in accepted
    assert conversation.slots()["member_identifier"].startswith("2 84 ** **")


def test_correction_at_the_recap(assistant, organisation, store):
    conversation = Conversation(assistant)
    start_complaint(conversation)
    fill_until_recap(conversation)
    choose = conversation.say("/correct")
    assert "Coordonnées" in buttons(choose)
    assert "e-mail" in conversation.say_text('/correct{"field":"contact"}')
    recap = conversation.say_text("06 12 34 56 78")
    assert "06 ** ** ** 78" in recap and "m***@exemple.fr" not in recap
    done = conversation.say_text("/affirm")
    reference = REFERENCE_RE.search(done).group(0)
    row = store.get_complaint(reference)
    assert row.phone == "+33612345678" and row.email is None


def test_cancel_midway_records_nothing(assistant, organisation, store):
    conversation = Conversation(assistant)
    to_nir_question(conversation)
    confirm = conversation.say_text("stop")
    assert "abandonner" in confirm
    cancelled = conversation.say_text("/affirm")
    assert "abandonnée" in cancelled
    slots = conversation.slots()
    assert slots["member_name"] is None and slots.get("active_loop") in (None, {})
    assert slots["complaint_reference"] is None


def test_question_mid_form_is_answered_and_the_form_resumes(assistant, organisation):
    conversation = Conversation(assistant)
    to_nir_question(conversation)
    answer = conversation.say_text("Pourquoi avez-vous besoin de mon numéro de sécurité sociale ?")
    assert "chiffrés" in answer
    assert "sécurité sociale" in answer.split("chiffrés")[-1]  # the form asked its question again
    assert "e-mail" in conversation.say_text(NIR)


def test_stop_then_continue_keeps_the_answers(assistant, organisation):
    conversation = Conversation(assistant)
    to_nir_question(conversation)
    conversation.say("annuler")
    resumed = conversation.say_text("/deny")
    assert "reprenons" in resumed and "sécurité sociale" in resumed
    assert conversation.slots()["member_name"] == "Marie Martin"
