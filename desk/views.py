"""How the desk shows a complaint: the JSON of the API and the values the pages use, from the store's records.

Identifiers (NIR, member number, e-mail, phone) are masked here; only « Révéler » shows them in clear.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from recours.contact import mask_email, mask_phone
from recours.handling.deadlines_due import pending_deadlines
from recours.handling.lifecycle import EVENT_LABELS_FR, OUTCOME_LABELS_FR, STATUS_LABELS_FR
from recours.handling.register import CHANNEL_LABELS_FR
from recours.mediation import assess_mediation, facts_of_recorded_complaint
from recours.natures import NATURE_LABELS_FR
from recours.nir import group_nir, mask_nir
from recours.opening_hours import time_fr
from recours.organisations import Organisation
from recours.recap import mask_member_number
from recours.settings import PARIS
from recours.store import HANDOFF_CLOSED, HANDOFF_EXPIRED, ComplaintStatus, ComplaintView, EventRecord, Handoff


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def complaint_json(complaint: ComplaintStatus | ComplaintView, today: date) -> dict[str, Any]:
    """The contract's fields of a listed complaint, plus its next deadline (``next_due``, ``urgency``) and the
    urgency of each deadline still due (``acknowledge_urgency``, ``answer_urgency``: overdue, soon or None)."""
    pending = pending_deadlines(complaint, today)  # type: ignore[arg-type]
    deadline = pending[0] if pending else None
    urgencies = {d.kind: d.urgency for d in pending}
    return {
        "reference": complaint.reference,
        "received_on": _iso(complaint.sent_on),
        "channel": complaint.channel,
        "nature": complaint.nature,
        "status": complaint.status,
        "acknowledge_by": _iso(complaint.acknowledge_by),
        "answer_by": _iso(complaint.answer_by),
        "acknowledged_on": _iso(complaint.acknowledged_on),
        "answered_on": _iso(complaint.answered_on),
        "outcome": complaint.outcome,
        "closed_on": _iso(complaint.closed_on),
        "next_due": _iso(deadline.due) if deadline else None,
        "next_due_kind": deadline.kind if deadline else None,
        "urgency": deadline.urgency if deadline else None,
        "acknowledge_urgency": urgencies.get("acknowledge"),
        "answer_urgency": urgencies.get("answer"),
    }


def labels(complaint: dict[str, Any]) -> dict[str, str]:
    """French labels of a complaint's codes, for the pages."""
    return {
        "status": STATUS_LABELS_FR.get(complaint["status"], complaint["status"]),
        "nature": NATURE_LABELS_FR.get(complaint["nature"], complaint["nature"]),
        "channel": CHANNEL_LABELS_FR.get(complaint["channel"] or "", complaint["channel"] or "—"),
        "outcome": OUTCOME_LABELS_FR.get(complaint["outcome"] or "", ""),
    }


def masked_identifiers(view: ComplaintView) -> dict[str, str | None]:
    return {
        "nir": mask_nir(view.nir) if view.nir else None,
        "member_number": mask_member_number(view.member_number) if view.member_number else None,
        "email": mask_email(view.email) if view.email else None,
        "phone": mask_phone(view.phone) if view.phone else None,
    }


def clear_identifiers(view: ComplaintView) -> dict[str, str | None]:
    return {"nir": view.nir, "member_number": view.member_number, "email": view.email, "phone": view.phone}


def shown_identifiers(view: ComplaintView) -> dict[str, str | None]:
    """The identifiers in clear as the page shows them: the NIR grouped like the masked one (and a carte Vitale)."""
    return {**clear_identifiers(view), "nir": group_nir(view.nir) if view.nir else None}


def mediation_json(view: ComplaintView, organisation: Organisation, today: date) -> dict[str, Any]:
    """Where the member stands for mediation today, from the complaint and the events recorded."""
    assessment = assess_mediation(facts_of_recorded_complaint(view), organisation, today)
    return {
        "status": assessment.status,
        "earliest": _iso(assessment.earliest),
        "latest": _iso(assessment.latest),
        "answer_due": _iso(assessment.answer_due),
        "mediator": assessment.mediator.name_fr if assessment.mediator else None,
        "explanation": assessment.explain_fr(),
    }


def event_json(event: EventRecord) -> dict[str, Any]:
    return {
        "status": event.status,
        "label": EVENT_LABELS_FR.get(event.status, event.status),
        "on": _iso(event.on),
        "outcome": event.outcome,
        "outcome_label": OUTCOME_LABELS_FR.get(event.outcome or "", ""),
        "note": event.note,
        "by": event.actor,
        "source": event.source,
        "recorded_at": event.recorded_at.isoformat(timespec="seconds"),
    }


def complaint_detail_json(view: ComplaintView, events: list[EventRecord], organisation: Organisation,
                          today: date) -> dict[str, Any]:
    return {
        **complaint_json(view, today),
        "member_name": view.member_name,
        "identifiers": masked_identifiers(view),
        "contract_holder": view.contract_holder,
        "description": view.description,
        "contested_decision": view.contested_decision,
        "first_complaint_date": _iso(view.first_complaint_date),
        "answer_received_before": view.answer_received,
        "court_action": view.court_action,
        "mediation": mediation_json(view, organisation, today),
        "events": [event_json(event) for event in events],
    }


def handoff_json(handoff: Handoff) -> dict[str, Any]:
    return {
        "id": handoff.public_id,
        "status": handoff.status,
        "channel": handoff.channel,
        "channel_label": CHANNEL_LABELS_FR.get(handoff.channel, handoff.channel),
        "complaint_reference": handoff.complaint_reference,
        "requested_at": handoff.requested_at.isoformat(timespec="seconds"),
        "taken_at": handoff.taken_at.isoformat(timespec="seconds") if handoff.taken_at else None,
        "taken_by": handoff.taken_by,
        "closed_at": handoff.closed_at.isoformat(timespec="seconds") if handoff.closed_at else None,
    }


def handoff_ended_fr(handoff: Handoff, mine: bool) -> str | None:
    """What the page says once the conversation has left the desk (handed back or expired), at Paris time."""
    if handoff.closed_at is None or handoff.status not in (HANDOFF_CLOSED, HANDOFF_EXPIRED):
        return None
    at = time_fr(handoff.closed_at.astimezone(PARIS))
    if handoff.status == HANDOFF_EXPIRED:
        return (f"Personne n'a pris cette conversation : elle a quitté la file à {at}. Le membre avait été invité "
                "à appeler s'il n'avait pas de réponse.")
    if mine:
        return f"Vous avez rendu la main à l'assistant à {at} ; la conversation continue avec lui."
    return f"La conversation a été rendue à l'assistant à {at} ; elle continue avec lui."
