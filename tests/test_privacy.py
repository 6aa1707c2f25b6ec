"""Members' rights over their data without the servers: status check, erasure, export, retention purge.

The store is a real database (SQLite, and PostgreSQL for the store-level checks), the actions are called as the
action server calls them, and the tracker store is Rasa's own code saving real trackers. The end-to-end versions
are in tests/e2e/test_privacy_e2e.py.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import Restarted
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import create_engine, insert, select

from actions import services
from actions.complaint_form import ValidateComplaintForm
from actions.complaint_questions import AskMemberIdentifier, AskPrivacyAccepted, FormHelp
from actions.data_rights import (
    AskStatusProof,
    EraseConversation,
    ExportData,
    StatusDone,
    ValidateStatusForm,
    reference_in,
)
from ops.launcher import ROOT, child_env
from recours import privacy
from recours.crypto import FieldCipher, generate_key
from recours.organisations import list_organisation_keys, load_organisation
from recours.privacy import EVENTS, InvalidProof, parse_proof, purge_tracker_events, status_summary_fr
from recours.store import ComplaintDraft, ComplaintStatus, ComplaintStore, OwnershipProof, StoreUnavailable, migrate
from tests.action_settings import action_settings
from tests.nirs import grouped, make_nir
from tests.pg import BACKENDS, empty_database
from tests.responses import texts as rendered_texts
from tests.store_fixtures import cipher, database_url, postgresql_url, store  # noqa: F401 - fixtures

NIR = make_nir(sex=2, year=84, month=7, department="2A", commune="004", order="312")
EMAIL = "Marie.Martin@exemple.fr"
PHONE = "+33612345678"
MEMBER_NUMBER = "ADH778899"
TODAY = "2026-11-21"
OWNER = "owner-sender"


# -- fixtures -------------------------------------------------------------------------------------------------------


@pytest.fixture
def environment(tmp_path, monkeypatch):
    """The action server's settings: a SQLite store in a temporary directory, CPMS, a fixed today."""
    yield from action_settings(tmp_path, monkeypatch, TODAY)


def record(store: ComplaintStore, sender: str = OWNER, identifiers: dict[str, str] | None = None, **changes) -> str:
    cipher_key = store._cipher.conversation_key(sender)  # noqa: SLF001 - the key the actions would use
    values = dict(
        organisation="cpms",
        conversation_key=cipher_key,
        member_name="Marie Martin",
        description="Mes lunettes ne sont pas remboursées depuis deux mois.",
        nature="remboursement",
        sent_on=date(2026, 11, 21),
        acknowledge_by=date(2026, 12, 1),
        answer_by=date(2027, 1, 21),
        identifiers=identifiers if identifiers is not None else {"nir": NIR, "email": EMAIL, "phone": PHONE},
    )
    values.update(changes)
    return store.record_complaint(ComplaintDraft(**values), f"key-{sender}-{len(str(values))}-{values['nature']}").reference


def tracker(
    sender: str = "visitor",
    slots: dict[str, Any] | None = None,
    text: str = "",
    events: list[dict] | None = None,
    active_loop: str | None = "status_form",
) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": sender,
            "slots": {"requested_slot": None, **(slots or {})},
            "latest_message": {"text": text, "intent": {"name": "inform", "confidence": 0.99}, "entities": []},
            "events": events or [],
            "active_loop": {"name": active_loop} if active_loop else {},
        }
    )


async def check(reference: str, proof: str, sender: str = "visitor") -> tuple[dict, list[str]]:
    """The status form's two answers, as the action server validates them."""
    form = ValidateStatusForm()
    dispatcher = CollectingDispatcher()
    result = await form.validate_status_reference(reference, dispatcher, tracker(sender, text=reference), {})
    if result.get("status_reference") is None:
        return result, [m.get("text") or "" for m in dispatcher.messages]
    slots = {"status_reference": result["status_reference"]}
    result = await form.validate_status_proof(proof, dispatcher, tracker(sender, slots, text=proof), {})
    return result, [m.get("text") or "" for m in dispatcher.messages]


# -- proofs of ownership -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, kind, value",
    [
        (NIR[-4:], "last4", NIR[-4:]),
        (f"les 4 derniers sont {NIR[-4:]}", "last4", NIR[-4:]),
        ("ab12", "last4", "AB12"),
        ("marie.martin@exemple.fr", "email", "marie.martin@exemple.fr"),
        ("c'est Marie.Martin@Exemple.fr", "email", "Marie.Martin@exemple.fr"),
        ("06 12 34 56 78", "phone", PHONE),
        ("+33 6 12 34 56 78", "phone", PHONE),
    ],
)
def test_proofs_are_read_from_the_answer(typed, kind, value):
    assert parse_proof(typed) == OwnershipProof(kind, value)


@pytest.mark.parametrize(
    "typed, reason",
    [(NIR, "whole_identifier"), (grouped(NIR), "whole_identifier"), ("je ne sais pas", "format"), ("12", "format"),
     ("marie@", "email"), ("01 23 45 67 8", "phone")],
)
def test_unusable_proofs_are_refused_without_echo(typed, reason):
    with pytest.raises(InvalidProof) as refused:
        parse_proof(typed)
    assert refused.value.reason == reason
    assert typed not in refused.value.message_fr and NIR not in refused.value.message_fr


# -- the store: ownership, attempts, conversation's complaints, purge ---------------------------------------------


def test_only_the_right_proof_opens_the_complaint(store):
    reference = record(store)
    record(store, "someone-else", identifiers={"member_number": MEMBER_NUMBER, "email": "autre@exemple.fr"})
    for proof in (OwnershipProof("last4", NIR[-4:]), OwnershipProof("email", "marie.martin@EXEMPLE.fr"),
                  OwnershipProof("phone", PHONE)):
        found = store.find_owned_complaint(reference, proof, "cpms")
        assert isinstance(found, ComplaintStatus) and found.reference == reference
        assert found.answer_by == date(2027, 1, 21)
        assert not {"nir", "email", "phone", "member_name", "description"} & {f.name for f in dataclasses.fields(found)}
    for proof in (OwnershipProof("last4", "0000"), OwnershipProof("email", "autre@exemple.fr"),
                  OwnershipProof("phone", "+33698765432"), OwnershipProof("last4", MEMBER_NUMBER[-4:])):
        assert store.find_owned_complaint(reference, proof, "cpms") is None
    assert store.find_owned_complaint(reference, OwnershipProof("last4", NIR[-4:]), "klesia") is None
    assert store.find_owned_complaint("REC-2026-ZZZZZZ", OwnershipProof("last4", NIR[-4:]), "cpms") is None
    assert store.find_owned_complaint(reference.lower().replace("-", " - "), OwnershipProof("last4", NIR[-4:]), "cpms")


def test_member_number_proof(store):
    reference = record(store, identifiers={"member_number": MEMBER_NUMBER, "phone": PHONE})
    assert store.find_owned_complaint(reference, OwnershipProof("last4", "8899"), "cpms") is not None
    assert store.find_owned_complaint(reference, OwnershipProof("email", EMAIL), "cpms") is None


def test_failed_attempts_are_counted_by_conversation_and_by_reference(store):
    cipher = store._cipher  # noqa: SLF001
    mine, other = cipher.conversation_key("a"), cipher.conversation_key("b")
    since = datetime.now(timezone.utc) - timedelta(hours=1)
    store.record_failed_status_attempt(mine, "REC-2026-AAAAAA")
    store.record_failed_status_attempt(mine, "rec-2026-bbbbbb")
    store.record_failed_status_attempt(other, "REC-2026-BBBBBB")
    assert store.failed_status_attempts(mine, "REC-2026-BBBBBB", since) == (2, 2)
    assert store.failed_status_attempts(other, "REC-2026-AAAAAA", since) == (1, 1)
    assert store.failed_status_attempts(mine, None, since) == (2, 0)
    assert store.failed_status_attempts(mine, "REC-2026-AAAAAA", datetime.now(timezone.utc) + timedelta(seconds=1)) == (0, 0)


def test_complaints_of_a_conversation_and_purge(store):
    first = record(store)
    second = record(store, nature="cotisation")
    record(store, "someone-else")
    key = store._cipher.conversation_key(OWNER)  # noqa: SLF001
    assert [c.reference for c in store.complaints_of_conversation(key)] == [first, second]
    store.put_identifier(key, "email", EMAIL)
    store.record_failed_status_attempt(key, first)
    now = datetime.now(timezone.utc)
    assert store.purge(vault_before=now - timedelta(days=1), attempts_before=now - timedelta(days=1)) == \
        privacy.PurgeCounts(vault_rows=0, status_attempts=0)
    assert store.purge(vault_before=now + timedelta(seconds=1), attempts_before=now + timedelta(seconds=1)) == \
        privacy.PurgeCounts(vault_rows=1, status_attempts=1)
    assert store.count_complaints() == 3  # complaints are never purged with the conversations


# -- the status form, as the action server runs it -------------------------------------------------------------------

@pytest.mark.anyio
async def test_right_owner_reads_status_dates_and_next_step(environment):
    reference = record(services.store())
    result, messages = await check(f"c'est la {reference.lower()}", NIR[-4:])
    assert result["status_outcome"] == "verified" and result["status_proof"] is None
    [answer] = messages
    assert reference in answer
    assert "samedi 21 novembre 2026" in answer
    assert "mardi 1er décembre 2026" in answer and "jeudi 21 janvier 2027" in answer
    assert "médiateur" in answer and "à partir du vendredi 22 janvier 2027" in answer  # the day after the answer deadline
    assert NIR not in answer and "marie" not in answer.lower() and "lunettes" not in answer


@pytest.mark.anyio
async def test_wrong_owner_and_unknown_reference_read_the_same_words(environment):
    reference = record(services.store())
    wrong_owner, wrong_messages = await check(reference, "9999", sender="visitor-1")
    unknown, unknown_messages = await check("REC-2026-ZZZZZZ", NIR[-4:], sender="visitor-2")
    assert wrong_owner == unknown == {"status_reference": None, "status_proof": None}
    assert wrong_messages == unknown_messages and len(wrong_messages) == 1
    assert "Je ne trouve pas" in wrong_messages[0] and reference not in wrong_messages[0]


@pytest.mark.anyio
async def test_three_failures_suspend_checks_even_after_a_restart_and_from_another_conversation(environment):
    reference = record(services.store())
    for _ in range(2):
        result, _ = await check(reference, "0000", sender="attacker")
        assert "status_outcome" not in result
    result, messages = await check(reference, "0001", sender="attacker")
    assert result["status_outcome"] == "locked" and not messages
    services.reset()  # the action server restarts: the count is in the database
    result, _ = await check(reference, NIR[-4:], sender="attacker")
    assert result == {"status_reference": None, "status_outcome": "locked"}  # refused at the reference already
    # Another conversation is refused on this reference, even with the right proof...
    result, _ = await check(reference, NIR[-4:], sender="owner-on-another-device")
    assert result["status_outcome"] == "locked"
    # ...and the attacker's conversation is refused on any reference.
    other = record(services.store(), nature="cotisation")
    result, _ = await check(other, NIR[-4:], sender="attacker")
    assert result["status_outcome"] == "locked"
    done = CollectingDispatcher()
    events = await StatusDone().run(done, tracker("attacker", {"status_outcome": "locked"}), {})
    assert "24 heures" in done.messages[0]["text"] and "01 47 70 30 97" in done.messages[0]["text"]
    assert {e["name"]: e["value"] for e in events} == {"status_reference": None, "status_proof": None,
                                                       "status_outcome": None}


@pytest.mark.anyio
async def test_an_old_failure_no_longer_counts(environment, monkeypatch):
    reference = record(services.store())
    for _ in range(2):
        await check(reference, "0000", sender="visitor")
    monkeypatch.setattr(privacy, "ATTEMPT_WINDOW", timedelta(seconds=0))
    result, _ = await check(reference, NIR[-4:], sender="visitor")
    assert result["status_outcome"] == "verified"


@pytest.mark.anyio
async def test_reference_format_and_form_end():
    form = ValidateStatusForm()
    dispatcher = CollectingDispatcher()
    result = await form.validate_status_reference("ma référence ?", dispatcher, tracker(text="x"), {})
    assert result["status_reference"] is None and "REC-2026-XXXXXX" in dispatcher.messages[0]["text"]
    assert reference_in("où en est REC 2026 7k4f9q ?") == "REC-2026-7K4F9Q"
    assert await form.required_slots(["status_reference", "status_proof"], dispatcher,
                                     tracker(slots={"status_outcome": "verified"}), {}) == []
    extracted = await form.extract_status_reference(dispatcher, tracker(text="où en est REC-2026-7K4F9Q ?"), {})
    assert extracted == {"status_reference": "REC-2026-7K4F9Q"}
    asked = await form.extract_status_reference(
        dispatcher, tracker(slots={"requested_slot": "status_proof"}, text="REC-2026-7K4F9Q"), {}
    )
    assert asked == {}


@pytest.mark.anyio
@pytest.mark.parametrize("text, proof", [
    # round 8 (m8-d-02 t7): the proof typed with the reference was asked again
    ("REC-2026-Y3HE2B. Et les 4 derniers chiffres de mon numéro de sécu : 2859", True),
    ("où en est ma réclamation REC-2026-7K4F9Q ?", False),
    ("REC-2026-7K4F9Q", False),
])
async def test_the_proof_typed_with_the_reference_is_taken(text, proof):
    extracted = await ValidateStatusForm().extract_status_proof(CollectingDispatcher(), tracker(text=text), {})
    assert bool(extracted.get("status_proof")) is proof
    if proof:
        assert "Y3HE2B" not in extracted["status_proof"] and "2859" in extracted["status_proof"]


@pytest.mark.anyio
async def test_unusable_proof_is_asked_again_without_counting(environment):
    reference = record(services.store())
    for _ in range(4):
        result, messages = await check(reference, "je ne sais plus", sender="forgetful")
        assert result["status_proof"] is None and "status_outcome" not in result
    result, _ = await check(reference, "marie.martin@exemple.fr", sender="forgetful")
    assert result["status_outcome"] == "verified"


@pytest.mark.anyio
async def test_store_down_is_said_and_ends_the_form(environment, monkeypatch):
    reference = record(services.store())

    def down(*_: Any, **__: Any):
        raise StoreUnavailable("complaint store unreachable")

    monkeypatch.setattr(ComplaintStore, "failed_status_attempts", down)
    result, messages = await check(reference, NIR[-4:])
    assert result["status_outcome"] == "unavailable" and "incident technique" in messages[0]


def test_next_step_after_the_answer_deadline_and_after_a_year():
    org = load_organisation("cpms")
    complaint = ComplaintStatus(
        reference="REC-2026-7K4F9Q", organisation="cpms", created_at=datetime(2026, 1, 5, tzinfo=timezone.utc),
        sent_on=date(2026, 1, 5), acknowledge_by=date(2026, 1, 15), answer_by=date(2026, 3, 5), status="recorded",
        nature="cotisation", first_complaint_date=None, answer_received=False, court_action=False,
    )
    late = status_summary_fr(complaint, org, date(2026, 4, 1))
    assert "devait vous répondre au plus tard le jeudi 5 mars 2026" in late
    assert "dès maintenant et au plus tard le mardi 5 janvier 2027" in late
    assert "a pris fin le mardi 5 janvier 2027" in status_summary_fr(complaint, org, date(2027, 2, 1))
    court = status_summary_fr(dataclasses.replace(complaint, court_action=True), org, date(2026, 4, 1))
    assert "action en justice" in court


@pytest.mark.anyio
async def test_proof_question_names_the_organisation_s_identifier(environment, monkeypatch):
    dispatcher = CollectingDispatcher()
    await AskStatusProof().run(dispatcher, tracker(), {})
    assert "sécurité sociale" in dispatcher.messages[0]["text"]
    monkeypatch.setenv("RECOURS_ORGANISATION", "klesia")
    services.reset()
    dispatcher = CollectingDispatcher()
    await AskStatusProof().run(dispatcher, tracker(), {})
    assert "sécurité sociale" not in dispatcher.messages[0]["text"] and "adhérent" in dispatcher.messages[0]["text"]


# -- erasure and export (actions) --------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_erasure_empties_the_vault_keeps_complaints_and_explains_why(environment):
    store = services.store()
    reference = record(store)
    key = services.conversation_key(OWNER)
    store.put_identifier(key, "nir", NIR)  # a second complaint under way
    dispatcher = CollectingDispatcher()
    events = await EraseConversation().run(dispatcher, tracker(OWNER, active_loop=None), {})
    assert events == [Restarted()]
    assert store.get_identifiers(key) == {}
    assert store.get_complaint(reference) is not None
    text = dispatcher.messages[0]["text"]
    assert "effacées" in text and reference in text
    assert "prescription" in text and "dpo@cpms.fr" in text and "ne sont pas effacées ici" in text


@pytest.mark.anyio
async def test_erasure_without_complaint_and_when_the_store_is_down(environment, monkeypatch):
    dispatcher = CollectingDispatcher()
    assert await EraseConversation().run(dispatcher, tracker("nobody", active_loop=None), {}) == [Restarted()]
    assert "prescription" not in dispatcher.messages[0]["text"]

    def down(*_: Any, **__: Any):
        raise StoreUnavailable("complaint store unreachable")

    monkeypatch.setattr(ComplaintStore, "clear_identifiers", down)
    dispatcher = CollectingDispatcher()
    assert await EraseConversation().run(dispatcher, tracker("nobody", active_loop=None), {}) == []
    assert "rien n'a été effacé" in dispatcher.messages[0]["text"]


@pytest.mark.anyio
async def test_export_lists_what_is_held_masked(environment):
    store = services.store()
    reference = record(store)
    key = services.conversation_key(OWNER)
    store.put_identifier(key, "nir", NIR)
    store.put_identifier(key, "phone", PHONE)
    store.put_identifier(key, "member_number", MEMBER_NUMBER)
    events = [
        {"event": "user", "timestamp": datetime(2026, 11, 21, 10, tzinfo=timezone.utc).timestamp(), "text": "[NIR]"},
        {"event": "bot", "timestamp": datetime(2026, 11, 21, 10, tzinfo=timezone.utc).timestamp(), "text": "ok"},
        {"event": "user", "timestamp": datetime(2026, 11, 21, 11, tzinfo=timezone.utc).timestamp(), "text": "x"},
    ]
    slots = {"member_name": "Marie Martin", "member_identifier": "2 84 ** ** *** *** 15", "complaint_nature": "remboursement",
             "complaint_description": "Mes lunettes ne sont pas remboursées.", "court_action": False}
    dispatcher = CollectingDispatcher()
    assert await ExportData().run(dispatcher, tracker(OWNER, slots, events=events, active_loop=None), {}) == []
    text = dispatcher.messages[0]["text"]
    assert "2 depuis le samedi 21 novembre 2026" in text and "30 jours" in text
    assert "Nom et prénom : Marie Martin" in text and "Motif : Remboursement" in text
    assert "Description : renseignée (37 caractères)" in text and "lunettes" not in text
    assert "Action en justice : non" in text
    assert "2 84 ** ** *** ***" in text and "06 ** ** ** 78" in text and "******899" in text
    assert reference in text and "samedi 21 novembre 2026" in text
    assert "dpo@cpms.fr" in text
    for clear in (NIR, grouped(NIR), PHONE, "0612345678", MEMBER_NUMBER, EMAIL.lower()):
        assert clear not in text


@pytest.mark.anyio
async def test_export_lists_the_call_back_requests_masked(environment):
    store = services.store()
    key = services.conversation_key(OWNER)
    store.put_callback_phone(key, "cpms", PHONE)
    start = datetime(2026, 11, 23, 8, tzinfo=timezone.utc)
    recorded = store.record_callback(key, start, start.replace(hour=10), "export-test")
    dispatcher = CollectingDispatcher()
    await ExportData().run(dispatcher, tracker(OWNER, active_loop=None), {})
    text = dispatcher.messages[0]["text"]
    assert f"Demande de rappel {recorded.reference} : le lundi 23 novembre 2026 entre 9 h et 11 h" in text
    assert "06 ** ** ** 78" in text and PHONE not in text and "Aucune autre donnée" not in text


@pytest.mark.anyio
async def test_export_of_an_empty_conversation(environment):
    dispatcher = CollectingDispatcher()
    await ExportData().run(dispatcher, tracker("new", active_loop=None), {})
    assert "Vos messages : aucun" in dispatcher.messages[0]["text"]
    assert "Aucune autre donnée" in dispatcher.messages[0]["text"]


# -- the NIR is asked only where the organisation's data file allows it ----------------------------------------------


NO_NIR = [key for key in list_organisation_keys() if not load_organisation(key).may_collect_nir]


async def _questions(organisation) -> list[str]:
    """Everything the complaint form says about the identifier, for this organisation."""
    texts: list[str] = []
    events: list[Any] = []
    for action in (AskPrivacyAccepted(), AskMemberIdentifier(), FormHelp()):
        dispatcher = CollectingDispatcher()
        asked = tracker(slots={"requested_slot": "member_identifier"}, active_loop="complaint_form")
        events += await action.run(dispatcher, asked, {})
        texts += rendered_texts(dispatcher, asked)
    return texts, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.anyio
@pytest.mark.parametrize("key", NO_NIR)
async def test_the_nir_is_never_asked_where_the_data_file_forbids_it(environment, monkeypatch, key):
    assert NO_NIR, "at least one organisation data file has may_collect_nir: false"
    monkeypatch.setenv("RECOURS_ORGANISATION", key)
    services.reset()
    texts, slots = await _questions(load_organisation(key))
    joined = "\n".join(texts)
    assert "sécurité sociale" not in joined and "carte Vitale" not in joined
    assert "adhérent" in joined
    assert slots["identifier_kind"] == "member_number"


@pytest.mark.anyio
async def test_the_flag_alone_decides(environment, monkeypatch):
    cpms = load_organisation("cpms")
    assert cpms.may_collect_nir
    forbidden = dataclasses.replace(cpms, identifiers=dataclasses.replace(cpms.identifiers, may_collect_nir=False))
    monkeypatch.setattr(services, "organisation", lambda: forbidden)
    texts, slots = await _questions(forbidden)
    assert "sécurité sociale" not in "\n".join(texts) and slots["identifier_kind"] == "member_number"
    # With no identifier_kind yet (the notice was skipped), the validation expects a member number too.
    dispatcher = CollectingDispatcher()
    result = await ValidateComplaintForm().validate_member_identifier(
        "AB-778 899", dispatcher, tracker(active_loop="complaint_form"), {}
    )
    assert result == {"member_identifier": "*****899", "identifier_kind": "member_number"}
    monkeypatch.setattr(services, "organisation", lambda: cpms)
    texts, slots = await _questions(cpms)
    assert "sécurité sociale" in "\n".join(texts) and slots["identifier_kind"] == "nir"


# -- the tracker store: erasure and unstored answers ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain"))


def _session(domain, start: float) -> list:
    from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet

    return [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 0.001),
        SlotSet("organisation_name", "CPMS", timestamp=start + 0.002),
        ActionExecuted("action_listen", timestamp=start + 0.003),
    ]


def _rasa_tracker_store():
    """Rasa's own SQL tracker store class: its ``events`` table is built and read here as Rasa defines it."""
    from rasa.core.tracker_store import SQLTrackerStore

    return SQLTrackerStore


def _rows(url: str) -> list[dict]:
    events = _rasa_tracker_store().SQLEvent.__table__
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(events).order_by(events.c.id)).mappings().all()
    engine.dispose()
    return [dict(row) for row in rows]


@pytest.mark.anyio
async def test_a_confirmed_erasure_leaves_only_a_fresh_session(domain, tmp_path):
    from rasa.shared.core.events import ActionExecuted, BotUttered, Restarted as RasaRestarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from addons.tracker_store import ERASE_ACTION, RedactingSQLTrackerStore

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    tracker_store = RedactingSQLTrackerStore(domain, host=url)
    # An older session, then the current one, of the member; and somebody else's conversation.
    old = _session(domain, 1000.0) + [UserUttered("ma plainte", timestamp=1001.0), ActionExecuted("action_listen", timestamp=1002.0)]
    await tracker_store.save(DialogueStateTracker.from_events("member", old, domain.slots))
    member = await tracker_store.retrieve("member")
    for event in _session(domain, 5000.0) + [UserUttered(f"mon numéro {grouped(NIR)}", timestamp=5001.0)]:
        member.update(event)
    await tracker_store.save(member)
    other = _session(domain, 6000.0) + [UserUttered("bonjour", timestamp=6001.0)]
    await tracker_store.save(DialogueStateTracker.from_events("other", other, domain.slots))
    assert sum(r["sender_id"] == "member" for r in _rows(url)) == 11

    member = await tracker_store.retrieve("member")
    turn = [UserUttered("supprimez mes données", timestamp=7000.0), ActionExecuted("utter_ask_confirm_erase", timestamp=7001.0),
            ActionExecuted("action_listen", timestamp=7002.0), UserUttered("oui", timestamp=7003.0),
            ActionExecuted(ERASE_ACTION, timestamp=7004.0), BotUttered("C'est fait", timestamp=7005.0),
            RasaRestarted(timestamp=7006.0)] + _session(domain, 7007.0)
    for event in turn:
        member.update(event)
    await tracker_store.save(member)
    rows = [r for r in _rows(url) if r["sender_id"] == "member"]
    assert [r["type_name"] for r in rows] == ["action", "session_started", "slot", "action"]
    assert not any("supprimez" in r["data"] or "plainte" in r["data"] or "C'est fait" in r["data"] for r in rows)
    assert len([r for r in _rows(url) if r["sender_id"] == "other"]) == 5
    # Not even in the file's free pages (secure_delete).
    assert b"ma plainte" not in (tmp_path / "tracker.db").read_bytes()
    restored = await tracker_store.retrieve("member")
    assert not [e for e in restored.events if isinstance(e, UserUttered)]
    # Saving the same turn again (a retry) changes nothing; the next turn is stored as usual.
    await tracker_store.save(member)
    assert len([r for r in _rows(url) if r["sender_id"] == "member"]) == 4
    restored.update(UserUttered("bonjour", timestamp=8000.0))
    await tracker_store.save(restored)
    assert len([r for r in _rows(url) if r["sender_id"] == "member"]) == 5


@pytest.mark.anyio
async def test_a_failed_erase_action_deletes_nothing(domain, tmp_path):
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from addons.tracker_store import ERASE_ACTION, RedactingSQLTrackerStore, erasure_point

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    tracker_store = RedactingSQLTrackerStore(domain, host=url)
    events = _session(domain, 1000.0) + [UserUttered("oui", timestamp=1001.0), ActionExecuted(ERASE_ACTION, timestamp=1002.0),
                                         BotUttered("incident", timestamp=1003.0), ActionExecuted("action_listen", timestamp=1004.0)]
    assert erasure_point(events) is None
    await tracker_store.save(DialogueStateTracker.from_events("member", events, domain.slots))
    assert len(_rows(url)) == len(events)


@pytest.mark.anyio
async def test_the_proof_of_ownership_is_never_stored(domain, tmp_path):
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from addons.tracker_store import MASK, RedactingSQLTrackerStore

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    tracker_store = RedactingSQLTrackerStore(domain, host=url)
    events = _session(domain, 1000.0) + [
        UserUttered("où en est REC-2026-7K4F9Q", timestamp=1001.0),
        SlotSet("status_reference", "REC-2026-7K4F9Q", timestamp=1002.0),
        SlotSet("requested_slot", "status_proof", timestamp=1003.0),
        ActionExecuted("action_listen", timestamp=1004.0),
        UserUttered(NIR[-4:], parse_data={"text": NIR[-4:], "intent": {"name": "inform"}, "entities": [
            {"entity": "x", "value": NIR[-4:]}]}, timestamp=1005.0),
        SlotSet("status_proof", NIR[-4:], timestamp=1006.0),
        SlotSet("status_proof", None, timestamp=1007.0),
        SlotSet("requested_slot", None, timestamp=1008.0),
        ActionExecuted("action_listen", timestamp=1009.0),
        UserUttered("merci 1234", timestamp=1010.0),
    ]
    await tracker_store.save(DialogueStateTracker.from_events("member", events, domain.slots))
    stored = [json.loads(r["data"]) for r in _rows(url)]
    assert not any(NIR[-4:] in json.dumps(d) for d in stored)
    proof_turn = [d for d in stored if d.get("event") == "user"][1]
    assert proof_turn["text"] == MASK and proof_turn["parse_data"]["entities"] == []
    assert proof_turn["parse_data"]["intent"]["name"] == "inform"
    assert [d["value"] for d in stored if d.get("name") == "status_proof"] == [MASK, None]
    assert [d for d in stored if d.get("event") == "user"][0]["text"] == "où en est REC-2026-7K4F9Q"
    assert [d for d in stored if d.get("event") == "user"][2]["text"] == "merci 1234"  # the next answers are kept


# -- retention purge -----------------------------------------------------------------------------------------------


def _events_db(url: str, rows: list[tuple[str, str, float]]) -> None:
    """A tracker database created as Rasa's SQLTrackerStore creates it, with these (sender, type, time) events."""
    tracker_store = _rasa_tracker_store()
    engine = create_engine(url)
    tracker_store.Base.metadata.create_all(engine)  # what SQLTrackerStore.__init__ runs
    with engine.begin() as connection:
        connection.execute(
            insert(tracker_store.SQLEvent.__table__),
            [{"sender_id": s, "type_name": t, "timestamp": ts, "data": "{}"} for s, t, ts in rows],
        )
    engine.dispose()


def test_the_purge_reads_rasa_s_events_table_as_rasa_defines_it():
    """recours.privacy describes Rasa's table so that the purge command does not load Rasa: an upstream change
    of the table (a column renamed, retyped or added, an index dropped) must be seen here."""

    def shape(table) -> tuple[dict, set]:
        columns = {c.name: (repr(c.type), c.nullable, c.primary_key) for c in table.columns}
        return columns, {tuple(c.name for c in index.columns) for index in table.indexes}

    rasa_events = _rasa_tracker_store().SQLEvent.__table__
    assert EVENTS.name == rasa_events.name
    assert shape(EVENTS) == shape(rasa_events)


@pytest.mark.parametrize("backend", BACKENDS)
def test_tracker_purge_keeps_what_live_conversations_need(backend, tmp_path, request):
    url = empty_database(backend, request, tmp_path / "tracker.db")
    now = datetime(2026, 11, 21, tzinfo=timezone.utc)
    old, recent = (now - timedelta(days=40)).timestamp(), (now - timedelta(days=1)).timestamp()
    _events_db(url, [
        # idle for 40 days: goes entirely
        ("idle", "session_started", old), ("idle", "user", old + 1), ("idle", "bot", old + 2),
        # an old session and a current one: the old session goes, the current one stays
        ("back", "session_started", old), ("back", "user", old + 1),
        ("back", "session_started", recent), ("back", "user", recent + 1),
        # one session started long ago and still going today: kept whole (never cut in the middle)
        ("long", "session_started", old), ("long", "user", old + 1), ("long", "user", recent),
        # recent: kept
        ("new", "session_started", recent), ("new", "user", recent + 1),
    ])
    report = purge_tracker_events(url, now - timedelta(days=30))
    assert report == privacy.TrackerPurge(events=5, conversations=1)
    left = sorted((r["sender_id"], r["timestamp"]) for r in _rows(url))
    assert [s for s, _ in left].count("idle") == 0 and [s for s, _ in left].count("back") == 2
    assert [s for s, _ in left].count("long") == 3 and [s for s, _ in left].count("new") == 2
    assert purge_tracker_events(url, now - timedelta(days=30)) == privacy.TrackerPurge(events=0, conversations=0)


def test_tracker_purge_without_a_tracker_database(tmp_path):
    assert purge_tracker_events(f"sqlite:///{tmp_path / 'none.db'}", datetime.now(timezone.utc)) == \
        privacy.TrackerPurge(events=0, conversations=0)
    assert not (tmp_path / "none.db").exists()


def test_purge_command_uses_the_retention_setting_and_prints_counts(tmp_path):
    key = generate_key()
    env = child_env({
        "RECOURS_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'recours.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "RECOURS_ENCRYPTION_KEY": key,
        "RECOURS_CONVERSATION_RETENTION_DAYS": "10",
    })
    migrate(f"sqlite:///{tmp_path / 'recours.db'}")
    now = datetime.now(timezone.utc)
    _events_db(f"sqlite:///{tmp_path / 'tracker.db'}", [
        ("a", "session_started", (now - timedelta(days=20)).timestamp()),
        ("a", "user", (now - timedelta(days=20)).timestamp() + 1),
        ("b", "session_started", (now - timedelta(days=5)).timestamp()),
    ])
    store = ComplaintStore(f"sqlite:///{tmp_path / 'recours.db'}", FieldCipher(key))
    store.put_identifier("conv", "nir", NIR)
    store.record_failed_status_attempt("conv", "REC-2026-AAAAAA")
    store.dispose()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ops", "purge", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    kept = run()
    assert kept.returncode == 0, kept.stderr
    assert "plus de 10 jours" in kept.stdout
    assert "événements de conversation supprimés : 2 (dont 1 conversations entières)" in kept.stdout
    assert "identifiants en attente supprimés : 0" in kept.stdout
    assert "tentatives de vérification supprimées : 0" in kept.stdout
    everything = run("--older-than-days", "0")
    assert everything.returncode == 0, everything.stderr
    assert "événements de conversation supprimés : 1 " in everything.stdout
    assert "identifiants en attente supprimés : 1" in everything.stdout
    assert "tentatives de vérification supprimées : 1" in everything.stdout
    assert NIR not in kept.stdout + everything.stdout
    refused = run("--older-than-days", "-1")
    assert refused.returncode == 2
    env["RECOURS_CONVERSATION_RETENTION_DAYS"] = "trente"
    assert run().returncode != 0


@pytest.mark.anyio
async def test_export_counts_the_messages_of_earlier_sessions_too(environment):
    earlier = datetime(2026, 11, 2, 9, tzinfo=timezone.utc).timestamp()
    _events_db(f"sqlite:///{environment / 'tracker.db'}", [
        (OWNER, "session_started", earlier), (OWNER, "user", earlier + 1), (OWNER, "user", earlier + 2),
        ("someone-else", "user", earlier),
    ])
    now = datetime(2026, 11, 21, 10, tzinfo=timezone.utc).timestamp()
    dispatcher = CollectingDispatcher()
    await ExportData().run(dispatcher, tracker(OWNER, events=[{"event": "user", "timestamp": now}], active_loop=None), {})
    assert "Vos messages : 3 depuis le lundi 2 novembre 2026" in dispatcher.messages[0]["text"]
    assert privacy.stored_messages(f"sqlite:///{environment / 'nothing.db'}", OWNER) == (0, None)


@pytest.mark.anyio
async def test_the_whole_notice_first_then_a_short_question(environment):
    first, again = CollectingDispatcher(), CollectingDispatcher()
    asked = tracker(slots={"requested_slot": "privacy_accepted"}, active_loop="complaint_form")
    events = await AskPrivacyAccepted().run(first, asked, {})
    [notice] = rendered_texts(first, asked)
    assert "Vos droits" in notice and "chiffrés" in notice
    shown = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert shown["privacy_notice_shown"] is True
    asked_again = tracker(slots={"requested_slot": "privacy_accepted", **shown}, active_loop="complaint_form")
    await AskPrivacyAccepted().run(again, asked_again, {})
    [question] = rendered_texts(again, asked_again)
    assert "Vos droits" not in question and "Acceptez-vous" in question


def test_a_code_of_the_reference_alphabet_beats_a_french_word():
    # round 9 (m9-d-02 t2): « REC 2026 devant » was checked, and cost an attempt
    assert reference_in("ah oui il y avait REC 2026 devant. REC-2026-GXTAFZ") == "REC-2026-GXTAFZ"


@pytest.mark.parametrize("said, sent_on", [
    ("Bonsoir. Où en est ma réclamation REC-2026-K4M2QX svp ? Je l'ai faite le 20 octobre sur votre site.",
     "2026-10-20"),
    ("Où en est ma réclamation REC-2026-K4M2QX ? Je l'ai envoyée par mail il y a un mois.", None),
])
@pytest.mark.anyio
async def test_a_complaint_made_outside_this_chat_is_said_so_with_its_deadlines(environment, said, sent_on):
    # members' round 18 (m18-D-02): « Je ne trouve pas de réclamation … », then the reference asked five times
    events = [{"event": "active_loop", "name": "status_form"}, {"event": "user", "text": said}]
    slots = {"status_reference": "REC-2026-K4M2QX"}
    dispatcher = CollectingDispatcher()
    result = await ValidateStatusForm().validate_status_proof(
        "martine.roux@example.org", dispatcher, tracker(slots=slots, text="martine.roux@example.org",
                                                        events=events + [{"event": "user", "text": "martine.roux@example.org"}]), {})
    said_back = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert result["status_outcome"] == "elsewhere" and "Je ne trouve pas" not in said_back
    assert result.get("first_complaint_date") == sent_on
    assert ("depuis votre envoi du mardi 20 octobre 2026" in said_back) is (sent_on is not None)


@pytest.mark.anyio
async def test_a_nir_typed_before_the_notice_was_accepted_is_said_not_kept(environment):
    # members' round 19 (m19-A-04 M3): the NIR of the opening statement asked again, with no word why
    said = "pour le protéger, je ne l'ai pas gardé avant votre accord"
    slots = {"requested_slot": "member_identifier", "identifier_kind": "nir",
             "complaint_description": "GIRARDOT Melissa, secu [NIR], vs mavez preleve 2 FOIS la cotis en novembre"}
    dispatcher = CollectingDispatcher()
    await AskMemberIdentifier().run(dispatcher, tracker(slots=slots, active_loop="complaint_form"), {})
    assert said in dispatcher.messages[0]["text"]
    told = [{"event": "bot", "text": dispatcher.messages[0]["text"]}]
    dispatcher = CollectingDispatcher()
    await AskMemberIdentifier().run(dispatcher, tracker(slots=slots, active_loop="complaint_form", events=told), {})
    assert not any(said in (m.get("text") or "") for m in dispatcher.messages)  # once


@pytest.mark.anyio
@pytest.mark.parametrize("kind, writer, response", [
    ("nir", "son enfant, Nadia Ferhat", "utter_ask_nir_for"),
    ("member_number", "son enfant", "utter_ask_member_number_for"),
    ("nir", None, "utter_ask_nir"),
])
async def test_a_relative_is_asked_for_the_members_number(environment, kind, writer, response):
    # members' round 19 (m19-C-02 M3): « le mien ou celui de ma mère ? » at « Quel est votre numéro … »
    slots = {"requested_slot": "member_identifier", "identifier_kind": kind, "member_name": "Yvette Morel",
             "member_writer": writer}
    dispatcher = CollectingDispatcher()
    await AskMemberIdentifier().run(dispatcher, tracker(slots=slots, active_loop="complaint_form"), {})
    assert [m.get("response") for m in dispatcher.messages] == [response]


@pytest.mark.anyio
@pytest.mark.parametrize("text, asked", [
    ("et la ma reclam elle en est ou?", False),  # members' round 22 (m22-D-02 M13): the reference just given asked
    ("et la réclamation de ma femme, elle en est où ?", True),
])
async def test_the_complaint_just_recorded_here_is_not_asked_for_again(environment, text, asked):
    reference = record(services.store())
    dispatcher = CollectingDispatcher()
    t = tracker(OWNER, {"complaint_reference": reference}, text=text)
    extracted = await ValidateStatusForm().extract_status_reference(dispatcher, t, {})
    if asked:
        assert extracted == {} and not dispatcher.messages
    else:
        assert extracted == {"status_outcome": "verified"}
        [answer] = [m.get("text") for m in dispatcher.messages]
        assert reference in answer and "samedi 21 novembre 2026" in answer


@pytest.mark.anyio
async def test_a_reference_slot_another_conversation_recorded_is_still_checked(environment):
    reference = record(services.store(), sender="someone-else")
    t = tracker(OWNER, {"complaint_reference": reference}, text="ma réclamation elle en est où ?")
    assert await ValidateStatusForm().extract_status_reference(CollectingDispatcher(), t, {}) == {}
