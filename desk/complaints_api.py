"""The complaints: the list (filters, nearest due first), one complaint, « Révéler », events, the register.

Every complaint read is the deploying organisation's (``RECOURS_ORGANISATION``); another organisation's
reference is as unknown as a reference that does not exist (404).
"""

from __future__ import annotations

import logging
import uuid
from datetime import date

from desk.auth import json_body
from desk.context import NOT_FOUND, Call, Desk, Reply, error
from desk.views import clear_identifiers, complaint_detail_json, complaint_json, shown_identifiers
from recours.handling.deadlines_due import DUE_FILTERS, select_complaints
from recours.handling.lifecycle import STATUSES, InvalidEvent, InvalidTransition, parse_event
from recours.handling.register import register_csv
from recours.store import ComplaintView, UnknownComplaint

log = logging.getLogger(__name__)


class BadFilter(ValueError):
    pass


def list_filters(query: dict) -> dict:
    """``status``, ``due`` (overdue / soon) and ``due_before`` (YYYY-MM-DD) from a query string."""
    status = query.get("status") or None
    due = query.get("due") or None
    raw_before = query.get("due_before") or None
    if status is not None and status not in STATUSES:
        raise BadFilter("« status » : recorded, acknowledged, answered ou closed.")
    if due is not None and due not in DUE_FILTERS:
        raise BadFilter("« due » : overdue (en retard) ou soon (dans les 2 jours).")
    try:
        due_before = date.fromisoformat(raw_before) if raw_before else None
    except ValueError:
        raise BadFilter("« due_before » doit être une date AAAA-MM-JJ.") from None
    return {"status": status, "due": due, "due_before": due_before}


def listed_complaints(desk: Desk, query: dict) -> list[dict]:
    complaints = desk.store.complaints_of(desk.organisation.key)
    today = desk.today()
    return [complaint_json(c, today) for c in select_complaints(complaints, today, **list_filters(query))]


def list_complaints(desk: Desk, call: Call) -> Reply:
    try:
        return Reply(json={"complaints": listed_complaints(desk, dict(call.query))})
    except BadFilter as exc:
        return error(422, "invalid_filter", str(exc))


def _view(desk: Desk, reference: str) -> ComplaintView | None:
    view = desk.store.get_complaint(reference)
    return view if view is not None and view.organisation == desk.organisation.key else None


def complaint_detail(desk: Desk, reference: str) -> dict | None:
    view = _view(desk, reference)
    if view is None:
        return None
    detail = complaint_detail_json(view, desk.store.events_of(view.reference), desk.organisation, desk.today())
    detail["notices"] = desk.store.notice_statuses(view.reference)
    return detail


def get_complaint(desk: Desk, call: Call) -> Reply:
    detail = complaint_detail(desk, call.params["reference"])
    return Reply(json=detail) if detail is not None else error(404, *NOT_FOUND)


def reveal(desk: Desk, call: Call) -> Reply:
    """The identifiers in clear; the handler and the time are written to the audit log first."""
    assert call.session is not None
    view = _view(desk, call.params["reference"])
    if view is None:
        return error(404, *NOT_FOUND)
    desk.store.audit(call.session.user.login, "reveal", view.reference, "identifiers shown in clear")
    return Reply(json={"reference": view.reference, "identifiers": clear_identifiers(view),
                       "shown": shown_identifiers(view)})


EVENT_REFUSALS = (UnknownComplaint, InvalidTransition, InvalidEvent)


def event_refusal(exc: Exception) -> Reply:
    """The answer to an event the store refused: 404 unknown reference, 409 invalid transition, 422 bad event."""
    if isinstance(exc, InvalidTransition):
        return error(409, "invalid_transition", exc.message_fr, current=exc.current)
    if isinstance(exc, InvalidEvent):
        return error(422, "invalid_event", exc.message_fr, field=exc.field)
    return error(404, *NOT_FOUND)


def record_event(desk: Desk, call: Call) -> Reply:
    """``{"status", "on", "outcome", "note"}`` → 200 with the complaint; 404, 409 or 422 otherwise."""
    assert call.session is not None
    body = json_body(call)
    if body is None:
        return error(422, "invalid_body", "Le corps doit être un objet JSON.")
    try:
        event = parse_event(body)
        result = desk.store.record_event(
            call.params["reference"], event, organisation=desk.organisation.key, actor=call.session.user.login,
            source="desk", event_id=str(uuid.uuid4()), today=desk.today(), forward=True,
        )
    except EVENT_REFUSALS as exc:
        return event_refusal(exc)
    desk.wake_delivery()
    log.info("Event %s recorded on %s from the desk", event.status, result.reference)
    return Reply(json={"complaint": complaint_json(result.complaint, desk.today()),
                       "event_id": result.event.event_id})


def export_register(desk: Desk, call: Call) -> Reply:
    assert call.session is not None
    today = desk.today()
    text = register_csv(desk.store.complaints_of(desk.organisation.key), desk.store.notices_sent(), today)
    desk.store.audit(call.session.user.login, "register_export")
    return Reply(text=text, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="registre-reclamations-{today.isoformat()}.csv"'})
