"""A person when the member wants one (issue 13), over WhatsApp against the real servers (Meta played by the
signed webhook deliveries and the Graph API stand-in, as in test_whatsapp_e2e.py): the disclosure, a person asked
for mid-form, a call-back tapped in a list and forwarded once, the offer after two misunderstandings and for an
urgency, and the recording message, which is the member's receipt on WhatsApp, read as a phone shows it."""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.test_whatsapp_e2e import EMAIL, GRIEVANCE, NIR, WhatsAppMember, kinds, texts

pytestmark = pytest.mark.e2e

CALLBACK_RE = re.compile(r"RAP-\d{4}-[A-Z0-9]{6}")
REFERENCE_RE = re.compile(r"REC-\d{4}-[A-Z0-9]{6}")


def choices(replies) -> list[str]:
    last = [r["interactive"] for r in replies if r.get("type") == "interactive"][-1]
    if last["type"] == "button":
        return [b["reply"]["title"] for b in last["action"]["buttons"]]
    return [row["title"] for s in last["action"]["sections"] for row in s["rows"]]


def test_the_greeting_says_it_is_a_machine(assistant, graph_stub, organisation):
    member = WhatsAppMember(assistant, graph_stub)
    greeting = texts(member.say("Bonjour"))
    assert "assistant automatique" in greeting and "pas une personne" in greeting
    assert "parler à un conseiller" in greeting
    assert "un programme, pas une personne" in texts(member.say("tu es un robot ?"))


def test_a_conversation_opened_with_a_grievance_is_told_first_it_is_a_machine(assistant, graph_stub, organisation):
    first = texts(WhatsAppMember(assistant, graph_stub).say(GRIEVANCE))
    assert first.index("pas une personne") < first.index("Acceptez-vous de continuer") and "conseiller" in first


def test_a_person_mid_form_then_a_callback_tapped_in_a_list(assistant, graph_stub, organisation, forwarding):
    member = WhatsAppMember(assistant, graph_stub)
    replies = member.tap(member.say(GRIEVANCE), "J'accepte")
    assert "nom et votre prénom" in texts(replies)
    person = member.say("je veux parler à quelqu'un")
    assert "01 47 70 30 97" in texts(person) and "à partir de lundi 9 h" in texts(person), member.dump()
    assert "nom et votre prénom" in texts(person)  # the form asks again: nothing lost
    assert "sécurité sociale" in texts(member.say("Marie Martin"))
    assert "e-mail" in texts(member.say(NIR))
    member.say(f"{EMAIL} 06 12 34 56 78")
    asked = member.say("/request_callback")
    assert "06 ∗∗ ∗∗ ∗∗ 78" in texts(asked) or "06 ** ** ** 78" in texts(asked), member.dump()
    windows = member.say("oui")
    assert kinds(windows)[-1] == "list" and "Quand souhaitez-vous être rappelé" in texts(windows), member.dump()
    titles = choices(windows)
    assert len(titles) == 5 and all(len(t) <= 24 for t in titles)
    done = member.tap(windows, titles[0])
    text = texts(done)
    assert "lundi 23 novembre 2026 entre 9 h et 11 h" in text and "Reprenons" in text, member.dump()
    reference = CALLBACK_RE.search(text).group(0)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not forwarding.cases_for(reference):
        time.sleep(0.2)
    assert forwarding.cases_for(reference) == 1 and len(forwarding.posts_for(reference)) == 1
    assert forwarding.posts_for(reference)[0].body["channel"] == "whatsapp"


def test_two_misunderstandings_then_an_urgency(assistant, graph_stub, organisation):
    member = WhatsAppMember(assistant, graph_stub)
    member.say("Bonjour")
    member.say("blorp zzz")
    offer = member.say("xkq wubba")
    assert "Je ne parviens pas à vous comprendre" in texts(offer) and "01 47 70 30 97" in texts(offer), member.dump()
    assert "Demander un rappel" in choices(offer)
    urgent = member.say("La pharmacie m'a refusé le tiers payant, ma carte de mutuelle est rejetée et je dois "
                        "tout payer")
    assert "Votre situation est urgente" in texts(urgent) and "01 47 70 30 97" in texts(urgent), member.dump()


def test_the_recording_message_is_a_receipt_that_reads_well_on_a_phone(assistant, graph_stub, organisation, store):
    member = WhatsAppMember(assistant, graph_stub)
    replies = member.tap(member.say(GRIEVANCE), "J'accepte")
    member.say("Marie Martin")
    member.say(NIR)
    replies = member.tap(member.say(EMAIL), "Contrat individuel")
    replies = member.tap(replies, "Remboursement")
    for answer in ("Aucune", "Non", "Non"):
        replies = member.say(answer)
    done = member.tap(replies, "Confirmer")
    receipt = next(r["text"]["body"] for r in done if r["type"] == "text" and REFERENCE_RE.search(r["text"]["body"]))
    lines = receipt.split("\n")
    assert lines[0].startswith("Votre réclamation est enregistrée sous la référence REC-")
    assert "samedi 21 novembre 2026" in receipt and "jeudi 21 janvier 2027" in receipt
    assert "Ce message est votre récapitulatif écrit et daté : conservez cette conversation." in receipt
    assert not re.search(r"\*\*|__|^#|\[[^]]+\]\(", receipt, re.M)  # no Markdown left for WhatsApp to show raw
    assert max(len(line) for line in lines) <= 320, member.dump()
