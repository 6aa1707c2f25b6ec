"""Members' rights over REST, against the real Rasa and action servers: status check, erasure, export.

What a new user does: files a complaint, later asks where it stands (reference, then a proof that it is theirs),
asks what is held about them, and has the conversation erased. Checked as the member reads it, through the HTTP
API (what the tracker store kept) and in the complaint store.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.harness import Conversation, buttons
from tests.e2e.test_complaint_rest import EMAIL, NIR, REFERENCE_RE, fill_until_recap, start_complaint, to_nir_question

pytestmark = pytest.mark.e2e


def record_complaint(assistant) -> tuple[Conversation, str]:
    conversation = Conversation(assistant)
    start_complaint(conversation)
    fill_until_recap(conversation)
    done = conversation.say_text("/affirm")
    match = REFERENCE_RE.search(done)
    assert match, conversation.dump()
    return conversation, match.group(0)


def user_texts(conversation: Conversation) -> list[str]:
    """What the tracker store kept of the member's messages (text and parsed text)."""
    events = conversation.tracker()["events"]
    return [e.get("text") or "" for e in events if e.get("event") == "user"] + [
        (e.get("parse_data") or {}).get("text") or "" for e in events if e.get("event") == "user"
    ]


def test_status_check_by_the_owner(assistant, organisation):
    _, reference = record_complaint(assistant)
    later = Conversation(assistant)  # another day, another device: a new conversation
    assert "référence" in later.say_text("Où en est ma réclamation ?")
    assert "4 derniers caractères" in later.say_text(reference)
    answer = later.say_text(NIR[-4:])
    assert reference in answer and "samedi 21 novembre 2026" in answer
    assert "au plus tard le mardi 1er décembre 2026" in answer and "au plus tard le jeudi 21 janvier 2027" in answer
    assert "médiateur à partir du vendredi 22 janvier 2027" in answer
    assert NIR not in answer and "Marie" not in answer and "lunettes" not in answer
    slots = later.slots()
    assert slots["status_reference"] is None and slots["status_proof"] is None and slots["status_outcome"] is None
    # The proof typed was never stored, not even in the member's message.
    assert all(NIR[-4:] not in text for text in user_texts(later))
    assert "[MASQUÉ]" in user_texts(later)

    # The reference given with the request is not asked again; the e-mail on file is a proof too.
    again = Conversation(assistant)
    assert "4 derniers caractères" in again.say_text(f"Où en est ma réclamation {reference} ?")
    assert reference in again.say_text(EMAIL.upper())


def test_wrong_owner_and_unknown_reference_then_checks_are_suspended(assistant, organisation):
    _, reference = record_complaint(assistant)
    intruder = Conversation(assistant)
    intruder.say("Où en est ma réclamation ?")
    intruder.say(reference)
    wrong_owner = intruder.say_text("1234")
    assert "Je ne trouve pas" in wrong_owner and "référence" in wrong_owner
    intruder.say("REC-2026-ZZZZZZ")
    unknown = intruder.say_text(NIR[-4:])
    # Same words whether the reference exists or not (the form then asks the reference again: the third time, with
    # a way out — addons/nlg.py — which depends on the count, never on the reference).
    assert unknown.split("\n")[0] == wrong_owner.split("\n")[0] and "Je ne trouve pas" in unknown
    intruder.say(reference)
    locked = intruder.say_text("5678")  # third failure of this conversation
    assert "suspendue" in locked and "24 heures" in locked and "01 47 70 30 97" in locked
    intruder.say("Où en est ma réclamation ?")
    assert "suspendue" in intruder.say_text("REC-2026-AAAAAA")  # this conversation, whatever the reference
    # A third failure on the reference, from another conversation, suspends it everywhere, even for its owner.
    other = Conversation(assistant)
    other.say("Où en est ma réclamation ?")
    other.say(reference)
    assert "suspendue" in other.say_text("0000")
    owner = Conversation(assistant)
    owner.say("Où en est ma réclamation ?")
    assert "suspendue" in owner.say_text(reference)


def test_stop_and_help_during_the_status_check(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say("Où en est ma réclamation ?")
    assert "REC-2026-XXXXXX" in conversation.say_text("aide")
    assert "j'arrête la vérification" in conversation.say_text("stop")
    assert conversation.tracker().get("active_loop") in (None, {})


def test_export_lists_what_is_held_with_identifiers_masked(assistant, organisation):
    conversation = Conversation(assistant)
    to_nir_question(conversation)
    conversation.say(NIR)
    conversation.say(EMAIL)
    assert "abandonner" in conversation.say_text("stop")
    export = conversation.say_text("quelles données avez-vous sur moi ?")
    assert "Voici les données" in export
    assert "Nom et prénom : Marie Martin" in export
    assert "Numéro de sécurité sociale (chiffré, en attente) : 2 84 ** ** *** ***" in export
    assert "Adresse e-mail (chiffré, en attente) : m***@exemple.fr" in export
    assert NIR not in export and EMAIL not in export
    assert "dpo@cpms.fr" in export


def test_erasure_leaves_nothing_of_the_member_and_keeps_the_complaint(assistant, organisation, store):
    conversation, reference = record_complaint(assistant)
    conversation.say("Où en est ma réclamation ?")  # more of the member's messages, then changed their mind
    conversation.say("stop")
    assert "C'est définitif" in conversation.say_text("supprimez mes données")
    assert "rien n'a été effacé" in conversation.say_text("/deny")
    assert any(e.get("event") == "user" for e in conversation.tracker()["events"])

    conversation.say("supprimez mes données")
    erased = conversation.say_text("/affirm")
    assert "C'est fait" in erased and reference in erased
    assert "prescription" in erased and "dpo@cpms.fr" in erased

    tracker = conversation.tracker()
    events = tracker["events"]
    # only the new session's disclosure that every session starts with (« un programme, pas une personne »)
    assert [e["event"] for e in events if e["event"] == "user" or (
        e["event"] == "bot" and "un programme, pas une personne" not in (e.get("text") or ""))] == []
    assert {e["event"] for e in events} <= {"action", "session_started", "slot", "bot"}
    assert {k: v for k, v in tracker["slots"].items() if v is not None} == {"organisation_name": "CPMS"}
    dump = json.dumps(tracker, ensure_ascii=False)
    assert "Marie" not in dump and "lunettes" not in dump and reference not in dump
    # The complaint is the organisation's record: kept, with its identifiers.
    row = store.get_complaint(reference)
    assert row is not None and row.nir == NIR

    # The conversation goes on from a clean slate.
    assert "Bonjour" in conversation.say_text("Bonjour")
    assert len([e for e in conversation.tracker()["events"] if e["event"] == "user"]) == 1


def test_erasure_mid_complaint_empties_the_vault(assistant, organisation, store):
    from recours.crypto import FieldCipher

    conversation = Conversation(assistant)
    to_nir_question(conversation)
    conversation.say(NIR)
    conversation.say("stop")
    key = FieldCipher(assistant.env["RECOURS_ENCRYPTION_KEY"]).conversation_key(conversation.sender)
    assert store.get_identifiers(key) == {"nir": NIR}
    conversation.say("supprimez mes données")
    erased = conversation.say_text("Oui")
    assert "C'est fait" in erased and "REC-" not in erased
    assert store.get_identifiers(key) == {}
    assert not [e for e in conversation.tracker()["events"] if e["event"] == "user"]
    assert "Nouvelle réclamation" in buttons(conversation.say("Bonjour"))
    assert re.search(r"Vos messages : 2 ", conversation.say_text("quelles données avez-vous sur moi ?"))
