"""Events sent by the organisation's own complaint system: ``POST /api/backoffice/events`` on the desk.

The same acknowledged / answered / closed events handlers record in the desk, with the same effects, for an
organisation that keeps its own system. Body (JSON)::

    {"event_id": "...", "sent_at": "2026-11-23T09:15:00Z", "reference": "REC-2026-7K4F9Q",
     "status": "answered", "on": "2026-11-23", "outcome": "rejected", "note": "..."}

- Signed: ``X-Recours-Signature: sha256=<hex HMAC-SHA256 of the raw body with BACKOFFICE_EVENTS_SECRET>``,
  checked before the body is parsed, in constant time (``hmac.compare_digest``). Unsigned or badly signed: 403.
- Fresh: ``sent_at`` (ISO 8601 with a time zone) within 5 minutes of now, either way (a clock a little ahead
  is tolerated as much as one behind); older is a replay: 403. The signature covers it, so it cannot be moved.
- Idempotent: ``event_id`` (1-60 characters of ``A-Z a-z 0-9 . _ : -``) is recorded with the event; the same id
  again, within the window, changes nothing and is answered 200 like the first time (a retry); the same id with
  another content is refused (409).
- Without ``BACKOFFICE_EVENTS_SECRET`` the endpoint answers 503: it is never open unsigned.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from recours.handling.lifecycle import ComplaintEvent, InvalidEvent, parse_event

SIGNATURE_HEADER = "X-Recours-Signature"
FRESHNESS = timedelta(minutes=5)
BACKOFFICE_ACTOR = "backoffice"
_EVENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,60}$")


class RefusedEvent(Exception):
    """The request is refused before anything is recorded: ``status`` is the HTTP answer (403, 422, 503)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class SignedEvent:
    event_id: str
    sent_at: datetime
    reference: str
    event: ComplaintEvent


def sign(secret: str, body: bytes) -> str:
    """The header value for ``body`` (the organisation's side; tests)."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, header: str | None) -> bool:
    if not header:
        return False
    return hmac.compare_digest(sign(secret, body).encode("ascii"), header.strip().encode("utf-8", "replace"))


def _sent_at(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(timezone.utc) if parsed.tzinfo is not None else None


def read_signed_event(secret: str | None, body: bytes, header: str | None, now: datetime) -> SignedEvent:
    """The event of a signed request, or :class:`RefusedEvent` (see the module docstring for the order)."""
    if not secret:
        raise RefusedEvent(503, "BACKOFFICE_EVENTS_SECRET is not set")
    if not signature_matches(secret, body, header):
        raise RefusedEvent(403, "missing or invalid signature")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise RefusedEvent(422, "the body is not JSON") from None
    if not isinstance(data, dict):
        raise RefusedEvent(422, "the body is not a JSON object")
    sent_at = _sent_at(data.get("sent_at"))
    if sent_at is None:
        raise RefusedEvent(422, "sent_at must be an ISO 8601 date-time with a time zone")
    if abs(now - sent_at) > FRESHNESS:
        raise RefusedEvent(403, "sent_at is more than 5 minutes away from now (replay or clock error)")
    event_id = data.get("event_id")
    if not isinstance(event_id, str) or not _EVENT_ID.match(event_id):
        raise RefusedEvent(422, "event_id must be 1-60 characters of A-Z a-z 0-9 . _ : -")
    reference = data.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        raise RefusedEvent(422, "reference is required")
    try:
        event = parse_event(data)
    except InvalidEvent as exc:
        raise RefusedEvent(422, exc.message_fr) from None
    return SignedEvent(event_id=event_id, sent_at=sent_at, reference=reference, event=event)


def backoffice_event_id(event_id: str) -> str:
    """The id stored for a back-office event: prefixed, so that it can never collide with the desk's UUIDs."""
    return f"bo:{event_id}"
