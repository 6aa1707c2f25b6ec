"""``POST /api/backoffice/events``: the organisation's own system records acknowledged / answered / closed events,
with the same effects as the desk's (rules in recours/handling/signed_events.py). No session: the signature is
the authentication. Not forwarded back to the back-office it came from."""

from __future__ import annotations

import logging

from desk.complaints_api import EVENT_REFUSALS, event_refusal
from desk.context import Call, Desk, Reply, error
from desk.views import complaint_json
from recours.handling.signed_events import (
    BACKOFFICE_ACTOR,
    SIGNATURE_HEADER,
    RefusedEvent,
    backoffice_event_id,
    read_signed_event,
)
from recours.store import normalise_reference

log = logging.getLogger(__name__)


def receive_event(desk: Desk, call: Call) -> Reply:
    try:
        signed = read_signed_event(desk.settings.backoffice_events_secret, call.body,
                                   call.headers.get(SIGNATURE_HEADER.lower()), desk.now())
    except RefusedEvent as exc:
        log.warning("Back-office event refused (%d): %s", exc.status, exc.reason)
        code = {403: "forbidden", 503: "not_configured"}.get(exc.status, "invalid_event")
        return error(exc.status, code, exc.reason)
    try:
        result = desk.store.record_event(
            signed.reference, signed.event, organisation=desk.organisation.key, actor=BACKOFFICE_ACTOR,
            source="backoffice", event_id=backoffice_event_id(signed.event_id), today=desk.today(), forward=False,
        )
    except EVENT_REFUSALS as exc:
        return event_refusal(exc)
    if result.duplicate:
        stored = result.event
        same = (result.reference == normalise_reference(signed.reference) and stored.status == signed.event.status
                and stored.on == signed.event.on and stored.outcome == signed.event.outcome)
        if not same:
            return error(409, "event_id_reused", "Cet event_id a déjà servi pour un autre événement.")
    log.info("Back-office event %s on %s%s", signed.event.status, result.reference,
             " (already recorded)" if result.duplicate else "")
    return Reply(json={"complaint": complaint_json(result.complaint, desk.today()), "duplicate": result.duplicate})
