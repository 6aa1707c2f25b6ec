"""What the organisation's recorded events change for the member (rules.md §11): the status check tells the real
status and dates, and the mediation guidance counts from the recorded answer (recours/privacy.py,
recours/mediation.py, actions/mediation.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.mediation import MediationGuidance
from recours.handling.lifecycle import ComplaintEvent
from recours.mediation import MediationFacts, assess_mediation
from recours.organisations import load_organisation
from recours.privacy import status_summary_fr
from recours.store import ComplaintStatus
from tests.action_settings import action_settings
from tests.members import complaint_draft

COMPLAINT = ComplaintStatus(
    reference="REC-2026-7K4F9Q", organisation="cpms", created_at=datetime(2026, 11, 2, tzinfo=timezone.utc),
    sent_on=date(2026, 11, 2), acknowledge_by=date(2026, 11, 16), answer_by=date(2027, 1, 4), status="recorded",
    nature="remboursement", first_complaint_date=None, answer_received=False, court_action=False,
)


def test_the_status_check_tells_what_the_organisation_recorded():
    cpms = load_organisation("cpms")
    acknowledged = replace(COMPLAINT, status="acknowledged", acknowledged_on=date(2026, 11, 10))
    text = status_summary_fr(acknowledged, cpms, date(2026, 11, 23))
    assert "Statut : réception accusée, en cours de traitement." in text
    assert "CPMS a accusé réception de votre réclamation le mardi 10 novembre 2026." in text
    assert "CPMS doit vous répondre au plus tard le lundi 4 janvier 2027." in text
    answered = replace(acknowledged, status="answered", answered_on=date(2026, 12, 1), outcome="rejected")
    text = status_summary_fr(answered, cpms, date(2026, 12, 5))
    assert "CPMS vous a répondu le mardi 1er décembre 2026 : réclamation rejetée." in text
    assert "doit vous répondre" not in text and "Statut : réponse envoyée." in text
    assert ("Si la réponse de CPMS ne vous satisfait pas, vous pouvez saisir le médiateur dès maintenant et au plus "
            "tard le mardi 2 novembre 2027.") in text
    closed = replace(answered, status="closed", closed_on=date(2026, 12, 3))
    assert "Le dossier a été clôturé le jeudi 3 décembre 2026." in status_summary_fr(closed, cpms, date(2026, 12, 5))
    # an answer without an acknowledgement: no acknowledgement deadline is told any more
    direct = replace(COMPLAINT, status="answered", answered_on=date(2026, 11, 12), outcome="upheld")
    assert "accuser réception" not in status_summary_fr(direct, cpms, date(2026, 11, 23))


def test_the_answer_date_is_told_and_opens_mediation_under_the_mediator_s_rule():
    cpms = load_organisation("cpms")
    facts = MediationFacts(written_complaint_sent=True, first_complaint_date=date(2026, 11, 2), answer_received=True,
                           answer_date=date(2026, 12, 1), satisfied=False, court_action=False, other_mediator=False)
    assessment = assess_mediation(facts, cpms, date(2026, 12, 5))
    assert assessment.status == "possible_now" and assessment.answer_date == date(2026, 12, 1)
    assert assessment.explain_fr().startswith("CPMS vous a répondu le mardi 1er décembre 2026. Vous pouvez saisir")
    without = assess_mediation(replace(facts, answer_date=None), cpms, date(2026, 12, 5))
    assert "vous a répondu le" not in without.explain_fr()


@pytest.fixture
def environment(tmp_path, monkeypatch):
    yield from action_settings(tmp_path, monkeypatch, "2026-12-05")


@pytest.mark.anyio
async def test_the_guidance_counts_from_the_recorded_answer(environment):
    store = services.store()
    sender = "member-guidance"
    reference = store.record_complaint(complaint_draft(services.conversation_key(sender)), "guidance").reference
    tracker = Tracker.from_dict({
        "sender_id": sender,
        "slots": {"complaint_reference": reference, "first_complaint_date": "2026-11-02", "answer_received": False,
                  "court_action": False, "other_mediator": False, "written_complaint_sent": True,
                  "carrier_type": "mutuelle_fnmf"},
        "latest_message": {"text": "médiateur", "intent": {"name": "ask_mediation"}},
        "events": [], "active_loop": {},
    })

    async def guidance() -> str:
        dispatcher = CollectingDispatcher()
        await MediationGuidance().run(dispatcher, tracker, {})
        return "\n".join(m.get("text") or "" for m in dispatcher.messages)

    before = await guidance()
    assert "vous a répondu le" not in before and "à partir du" in before
    store.record_event(reference, ComplaintEvent("answered", date(2026, 12, 1), "rejected"), organisation="cpms",
                       actor="claire", source="desk", event_id="answer", today=date(2026, 12, 5), forward=False)
    after = await guidance()
    assert "CPMS vous a répondu le mardi 1er décembre 2026." in after and "dès maintenant" in after
