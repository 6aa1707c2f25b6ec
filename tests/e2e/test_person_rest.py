"""A person when the member wants one (issue 13, rules.md §9–§10), over REST against the real servers.

The session's RECOURS_TODAY is Saturday 21 November 2026: CPMS's advisers (Monday to Friday, 9 h – 17 h, hours to
confirm) are not reachable, so the member reads « … à partir de lundi 9 h » and the call-back windows are Monday's,
whatever the time of day the tests run. The call-back tests restart the action server with a back-office stand-in
(tests/backoffice_stub.py) and check that each request is recorded once and forwarded once.
"""

from __future__ import annotations

import re
import time

import pytest

from recours.bot_pause import BotPause
from tests.backoffice_stub import BackofficeStub
from tests.e2e.harness import GRIEVANCE, NIR, REFERENCE_RE, Conversation, buttons
from tests.nirs import grouped

pytestmark = pytest.mark.e2e

CALLBACK_RE = re.compile(r"RAP-\d{4}-[A-Z0-9]{6}")
CLOSED_NOW = "Nos conseillers sont joignables à partir de lundi 9 h."


def wait_for_case(stub: BackofficeStub, reference: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stub.cases_for(reference):
        time.sleep(0.2)
    assert stub.cases_for(reference) == 1, f"{reference} not at the back-office"


def to_contract_holder_question(conversation: Conversation) -> None:
    assert "Acceptez-vous de continuer" in conversation.say_text(GRIEVANCE)
    assert "nom et votre prénom" in conversation.say_text("Oui")
    assert "sécurité sociale" in conversation.say_text("Marie Martin")
    assert "e-mail" in conversation.say_text(grouped(NIR))
    conversation.say_text("marie.martin@exemple.fr et 06 12 34 56 78")


def test_the_first_message_says_it_is_a_machine_and_how_to_reach_a_person(assistant, organisation):
    conversation = Conversation(assistant)
    greeting = conversation.say_text("Bonjour")
    assert "assistant automatique" in greeting and "pas une personne" in greeting
    assert "parler à un conseiller" in greeting
    robot = conversation.say("Vous êtes un robot ?")
    assert "un programme, pas une personne" in robot[0]["text"] and "parler à un conseiller" in robot[0]["text"]
    assert "Parler à un conseiller" in buttons(robot)


def test_a_conversation_opened_with_a_grievance_is_told_first_it_is_a_machine(assistant, organisation):
    replies = Conversation(assistant).say(GRIEVANCE)
    assert "assistant automatique" in replies[0]["text"] and "parler à un conseiller" in replies[0]["text"]
    assert "Acceptez-vous de continuer" in "\n".join(r.get("text", "") for r in replies[1:])


def test_a_person_asked_for_mid_form_gets_the_hours_and_the_form_waits(assistant, organisation):
    conversation = Conversation(assistant)
    assert "Acceptez-vous de continuer" in conversation.say_text(GRIEVANCE)
    assert "nom et votre prénom" in conversation.say_text("Oui")
    replies = conversation.say("je veux parler à un conseiller")
    text = "\n".join(r.get("text", "") for r in replies)
    assert "Je suis un assistant automatique" in text and "01 47 70 30 97" in text, conversation.dump()
    assert "du lundi au vendredi de 9 h à 17 h, sauf les jours fériés (horaires indicatifs)" in text
    assert CLOSED_NOW in text and "qualite@cpms.fr" in text and "être rappelé" in text
    assert "Demander un rappel" in buttons(replies)
    assert "nom et votre prénom" in replies[-1]["text"]  # the form asks its question again: nothing lost
    assert "sécurité sociale" in conversation.say_text("Marie Martin")


def test_a_callback_mid_form_is_recorded_once_forwarded_once_and_the_form_resumes(
    assistant, organisation, forwarding, store
):
    conversation = Conversation(assistant)
    to_contract_holder_question(conversation)
    before = store.count_callbacks()
    asked = conversation.say_text("/request_callback")
    assert "06 ** ** ** 78" in asked and "612345678" not in asked, conversation.dump()  # the number given, masked
    replies = conversation.say("oui")
    assert "Quand souhaitez-vous être rappelé" in replies[-1]["text"], conversation.dump()
    windows = [b for b in replies[-1]["buttons"] if b["payload"] != "/stop"]
    assert [b["title"] for b in windows] == ["Lun. 23 nov., 9 h – 11 h", "Lun. 23 nov., 11 h – 13 h",
                                             "Lun. 23 nov., 13 h – 15 h", "Lun. 23 nov., 15 h – 17 h"]
    done = conversation.say(windows[1]["payload"])
    text = "\n".join(r.get("text", "") for r in done)
    assert "CPMS vous rappellera le lundi 23 novembre 2026 entre 11 h et 13 h au 06 ** ** ** 78" in text, \
        conversation.dump()
    reference = CALLBACK_RE.search(text).group(0)
    assert "Reprenons là où nous en étions" in text and "Contrat individuel" in buttons(done)  # the form resumed
    wait_for_case(forwarding, reference)
    assert store.count_callbacks() == before + 1
    [post] = forwarding.posts_for(reference)
    assert post.body["window"] == {"start": "2026-11-23T11:00+01:00", "end": "2026-11-23T13:00+01:00"}
    assert post.body["phone"] == "+33612345678" and post.body["reason"] == "asked"
    assert post.body["complaint_reference"] is None  # not recorded yet
    slots = conversation.slots()
    assert slots["callback_phone"] is None and slots["paused_form"] is None
    # the complaint goes on to its end, its own contact kept
    conversation.say_text("Contrat individuel")
    assert "décision" in conversation.say_text('/inform{"nature":"remboursement"}')
    conversation.say_text("Aucune")
    conversation.say_text("Non")
    recap = conversation.say_text("Non")
    assert "m***@exemple.fr, 06 ** ** ** 78" in recap, conversation.dump()


def test_a_typed_time_after_the_complaint_carries_its_reference(assistant, organisation, forwarding, store):
    conversation = Conversation(assistant)
    to_contract_holder_question(conversation)
    conversation.say_text("Contrat individuel")
    conversation.say_text('/inform{"nature":"remboursement"}')
    conversation.say_text("Aucune")
    conversation.say_text("Non")
    conversation.say_text("Non")
    complaint = REFERENCE_RE.search(conversation.say_text("Confirmer")).group(0)
    assert "06 ** ** ** 78" in conversation.say_text("/request_callback")
    other = conversation.say_text("Non, plutôt au 07 98 76 54 32")
    assert "Quand souhaitez-vous être rappelé" in other, conversation.dump()
    refused = conversation.say_text("dimanche")
    assert "CPMS ne rappelle pas le dimanche 22 novembre 2026." in refused, conversation.dump()
    done = conversation.say_text("lundi 14h")
    assert "le lundi 23 novembre 2026 entre 14 h et 16 h au 07 ** ** ** 32" in done, conversation.dump()
    assert f"transmise avec votre réclamation {complaint}" in done
    reference = CALLBACK_RE.search(done).group(0)
    wait_for_case(forwarding, reference)
    body = forwarding.posts_for(reference)[0].body
    assert body["complaint_reference"] == complaint and body["phone"] == "+33798765432"


def test_two_misunderstandings_in_a_row_bring_the_offer_unasked(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say_text("Bonjour")
    first = conversation.say_text("blorp zzz")
    assert "01 47 70 30 97" not in first, conversation.dump()
    second = conversation.say("xkq wubba")
    text = "\n".join(r.get("text", "") for r in second)
    assert "Je ne parviens pas à vous comprendre" in text and "01 47 70 30 97" in text and CLOSED_NOW in text, \
        conversation.dump()
    assert "Demander un rappel" in buttons(second)
    assert conversation.slots()["callback_reason"] == "misunderstood"
    # Rasa's core fallback (no rule for a « oui » out of any context), twice
    other = Conversation(assistant)
    assert "Je ne sais pas comment donner suite" in other.say_text("Oui"), other.dump()
    assert "Je ne parviens pas à vous comprendre" in other.say_text("Oui"), other.dump()


def test_an_urgency_brings_the_offer_at_once_then_the_complaint(assistant, organisation):
    conversation = Conversation(assistant)
    replies = conversation.say(
        "Vous avez résilié mon contrat sans prévenir, je n'ai plus de mutuelle et je suis opérée demain !")
    text = "\n".join(r.get("text", "") for r in replies)
    assert "Votre situation est urgente" in text and "01 47 70 30 97" in text, conversation.dump()
    assert "Demander un rappel" in buttons(replies)
    assert "Acceptez-vous de continuer" in text  # the complaint is still recorded if the member wants
    assert conversation.slots()["callback_reason"] == "coverage_terminated"


def test_the_bot_can_be_paused_for_a_person_and_resumed(assistant, organisation):
    conversation = Conversation(assistant)
    assert "assistant automatique" in conversation.say_text("Bonjour")
    seam = BotPause(assistant.rasa_url, assistant.token)
    seam.pause(conversation.sender)
    assert seam.is_paused(conversation.sender)
    assert conversation.say("Bonjour, il y a quelqu'un ?") == []  # the bot is silent: a person answers
    events = conversation.tracker()["events"]
    assert [e["text"] for e in events if e.get("event") == "user"][-1] == "Bonjour, il y a quelqu'un ?"
    back = seam.resume(conversation.sender)
    assert any("de nouveau avec l'assistant automatique de CPMS" in m.get("text", "") for m in back), back
    assert not seam.is_paused(conversation.sender)
    assert "Acceptez-vous de continuer" in conversation.say_text(GRIEVANCE)
