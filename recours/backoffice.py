"""Client of the insurer's complaint-management API (``BACKOFFICE_URL``): one POST per recorded complaint or call-back.

What the back-office receives (``POST BACKOFFICE_URL``, ``Content-Type: application/json``), schema
``recours.complaint.v1`` — everything an insurer needs to handle the complaint, identifiers decrypted:

    reference, organisation, received_at (UTC instant), received_on (date the complaint counts from),
    acknowledge_by, answer_by (the organisation's deadlines), request_kind, concerned_body, nature, channel,
    member {name, nir, member_number, email, phone}, contract_holder, description, contested_decision,
    first_complaint_date, answer_received, court_action

A call-back request goes to the same URL, schema ``recours.callback.v1`` (the ``schema`` field tells them apart):

    reference (RAP-…), organisation, requested_at (UTC instant), window {start, end} (ISO 8601 with the Paris
    offset), phone (E.164), complaint_reference (the complaint recorded in the conversation, or null), reason
    (asked, misunderstood, or the urgency: coverage_terminated, hospitalisation, tiers_payant_refused), channel

What the member changes afterwards (a complaint's e-mail or phone, a call-back's number, a call-back cancelled)
goes to the same URL as the whole record as it is when the change is sent, schemas ``recours.complaint_update.v1``
and ``recours.callback_update.v1`` (a call-back's adds ``status``, recorded or cancelled, and ``cancelled_at``),
with ``revision`` (1, 2… for a reference's successive changes: keep the highest) and ``changed_at`` (UTC instant).
A call-back moved to another time is one cancelled (its update) and a new request (its own reference).

Not sent: the conversation (its keyed hash stays in the store), the identifier hashes, the idempotency key of the
recording. Headers: ``Idempotency-Key`` (a UUID derived from the reference only, so every attempt of one complaint
carries the same key and the back-office can ignore repeats), ``Authorization: Bearer`` when ``BACKOFFICE_TOKEN``
is set. The payload is never logged; reasons kept for an operator are short and redacted.

How an answer is classified: 2xx delivered; 408, 425, 429, 5xx, timeouts and connection errors retried (the
``Retry-After`` header, seconds or HTTP-date, read by recours/retry.py and honoured by the outbox); any other
status (3xx, 4xx) refused — kept for an operator with the reason, never retried alone.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import requests

from recours.redaction import redact_text
from recours.retry import parse_retry_after
from recours.settings import PARIS
from recours.store import CallbackView, ComplaintView

log = logging.getLogger(__name__)

SCHEMA = "recours.complaint.v1"
CALLBACK_SCHEMA = "recours.callback.v1"
COMPLAINT_UPDATE_SCHEMA = "recours.complaint_update.v1"
CALLBACK_UPDATE_SCHEMA = "recours.callback_update.v1"
CONNECT_TIMEOUT_SECONDS = 5.0
RETRYABLE_STATUSES = frozenset({408, 425, 429})
REASON_LIMIT = 200
# Fixed namespace: the key of a reference never changes, across processes, machines and versions.
IDEMPOTENCY_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:recours:backoffice:complaint")
CALLBACK_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:recours:backoffice:callback")
UPDATE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:recours:backoffice:update")

DELIVERED, RETRY, REFUSED = "delivered", "retry", "refused"


def idempotency_key(reference: str) -> str:
    """The ``Idempotency-Key`` of a complaint: UUID v5 of its reference (stable, reveals nothing else)."""
    return str(uuid.uuid5(IDEMPOTENCY_NAMESPACE, reference))


def callback_idempotency_key(reference: str) -> str:
    """The ``Idempotency-Key`` of a call-back request (its own namespace: never a complaint's key)."""
    return str(uuid.uuid5(CALLBACK_NAMESPACE, reference))


def update_idempotency_key(kind: str, reference: str, revision: int) -> str:
    """The ``Idempotency-Key`` of one change: every attempt of that change carries it, the next change another."""
    return str(uuid.uuid5(UPDATE_NAMESPACE, f"{kind}:{reference}:{revision}"))


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def complaint_payload(complaint: ComplaintView) -> dict[str, Any]:
    """The JSON document sent for ``complaint`` (see the module docstring for the field list)."""
    return {
        "schema": SCHEMA,
        "reference": complaint.reference,
        "organisation": complaint.organisation,
        "received_at": _iso(complaint.created_at),
        "received_on": _iso(complaint.sent_on),
        "acknowledge_by": _iso(complaint.acknowledge_by),
        "answer_by": _iso(complaint.answer_by),
        "request_kind": complaint.request_kind,
        "concerned_body": complaint.concerned_body,
        "nature": complaint.nature,
        "channel": complaint.channel,
        "member": {
            "name": complaint.member_name,
            "nir": complaint.nir,
            "member_number": complaint.member_number,
            "email": complaint.email,
            "phone": complaint.phone,
        },
        "contract_holder": complaint.contract_holder,
        "description": complaint.description,
        "contested_decision": complaint.contested_decision,
        "first_complaint_date": _iso(complaint.first_complaint_date),
        "answer_received": complaint.answer_received,
        "court_action": complaint.court_action,
    }


def callback_payload(callback: CallbackView) -> dict[str, Any]:
    """The JSON document sent for a call-back request (see the module docstring)."""
    return {
        "schema": CALLBACK_SCHEMA,
        "reference": callback.reference,
        "organisation": callback.organisation,
        "requested_at": _iso(callback.recorded_at),
        "window": {
            "start": callback.window_start.astimezone(PARIS).isoformat(timespec="minutes"),
            "end": callback.window_end.astimezone(PARIS).isoformat(timespec="minutes"),
        },
        "phone": callback.phone,
        "complaint_reference": callback.complaint_reference,
        "reason": callback.reason,
        "channel": callback.channel,
    }


def complaint_update_payload(complaint: ComplaintView, revision: int, changed_at: datetime) -> dict[str, Any]:
    """The complaint as it is now, after the member's ``revision``-th change."""
    return {**complaint_payload(complaint), "schema": COMPLAINT_UPDATE_SCHEMA, "revision": revision,
            "changed_at": _iso(changed_at)}


def callback_update_payload(callback: CallbackView, revision: int, changed_at: datetime) -> dict[str, Any]:
    """The call-back request as it is now (recorded with a new number, or cancelled), after the ``revision``-th
    change."""
    return {**callback_payload(callback), "schema": CALLBACK_UPDATE_SCHEMA, "status": callback.status,
            "cancelled_at": _iso(callback.cancelled_at), "revision": revision, "changed_at": _iso(changed_at)}


@dataclass(frozen=True)
class DeliveryResult:
    """How one attempt ended. ``reason`` is short and holds no personal data; ``status`` is None without answer."""

    outcome: str  # DELIVERED, RETRY or REFUSED
    status: int | None
    reason: str
    retry_after: float | None = None  # seconds the back-office asked us to wait (Retry-After)


def _reason(response: requests.Response) -> str:
    """``HTTP 400: <the error's message>`` from a JSON error (detail/message/error/title) or the text, redacted."""
    text = ""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for name in ("detail", "message", "error", "title"):
            if isinstance(body.get(name), str) and body[name].strip():
                text = body[name]
                break
    if not text:
        text = (response.text or "")[:1000]
    text = " ".join(redact_text(text).split())
    reason = f"HTTP {response.status_code}" + (f": {text}" if text else "")
    return reason if len(reason) <= REASON_LIMIT else reason[: REASON_LIMIT - 1] + "…"


class BackofficeClient:
    """POSTs complaints to one URL with explicit timeouts; thread-safe enough for one worker thread at a time."""

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
        read_timeout: float = 15.0,
        session: requests.Session | None = None,
    ) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("BACKOFFICE_URL must be an http(s) URL")
        self.url = url
        self._token = token
        self.timeout = (connect_timeout, read_timeout)
        self._session = session or requests.Session()

    def __repr__(self) -> str:  # no URL (it may hold credentials), no token
        return "BackofficeClient()"

    def send(self, payload: dict[str, Any], key: str) -> DeliveryResult:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "Idempotency-Key": key,
            "User-Agent": "recours-backoffice/1",
        }
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            response = self._session.post(
                self.url, data=body, headers=headers, timeout=self.timeout, allow_redirects=False
            )
        except requests.Timeout:
            return DeliveryResult(RETRY, None, f"timeout (connect {self.timeout[0]:g} s, read {self.timeout[1]:g} s)")
        except requests.ConnectionError as exc:
            return DeliveryResult(RETRY, None, f"connection error ({type(exc).__name__})")
        except requests.RequestException as exc:  # invalid URL, too many redirects...: configuration, keep trying
            return DeliveryResult(RETRY, None, f"request error ({type(exc).__name__})")
        try:
            status = response.status_code
            if 200 <= status < 300:
                return DeliveryResult(DELIVERED, status, f"HTTP {status}")
            if status in RETRYABLE_STATUSES or status >= 500:
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                return DeliveryResult(RETRY, status, _reason(response), retry_after)
            return DeliveryResult(REFUSED, status, _reason(response))
        finally:
            response.close()

    def close(self) -> None:
        self._session.close()
