"""A complaint's life at the organisation: recorded, then acknowledged, answered (with an outcome), closed.

Handlers record these events in the complaint desk, or the organisation's own system sends them (signed
back-office events); both go through :func:`check_event`, so the same rules hold whatever the source:

- only forward moves: recorded → acknowledged → answered → closed, and recorded → answered (an answer given
  within the acknowledgement delay needs no separate acknowledgement: ACPR 2024-R-02, facts.md §2); nothing
  after closed, no event twice;
- dates are days (``YYYY-MM-DD``), never before the complaint was received nor after today, and in order
  (acknowledged ≤ answered ≤ closed);
- an answer has an outcome (upheld, partly upheld, rejected); the other events have none. The note is optional
  free text, kept encrypted (it may name the member or their health).

Refusals carry a French message for the handler: :class:`InvalidEvent` (the request itself is wrong, HTTP 422)
and :class:`InvalidTransition` (it contradicts what was recorded before, HTTP 409).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from recours.calendar import format_date_fr
from recours.refusals import Refusal

RECORDED, ACKNOWLEDGED, ANSWERED, CLOSED = "recorded", "acknowledged", "answered", "closed"
STATUSES = (RECORDED, ACKNOWLEDGED, ANSWERED, CLOSED)
EVENT_STATUSES = (ACKNOWLEDGED, ANSWERED, CLOSED)
OUTCOMES = ("upheld", "partly_upheld", "rejected")
NEXT_STATUSES = {
    RECORDED: (ACKNOWLEDGED, ANSWERED),
    ACKNOWLEDGED: (ANSWERED,),
    ANSWERED: (CLOSED,),
    CLOSED: (),
}
NOTE_LIMIT = 2000

# What a handler reads (the desk) ...
STATUS_LABELS_FR = {
    RECORDED: "Enregistrée",
    ACKNOWLEDGED: "Réception accusée",
    ANSWERED: "Répondue",
    CLOSED: "Clôturée",
}
EVENT_LABELS_FR = {ACKNOWLEDGED: "Accusé de réception", ANSWERED: "Réponse", CLOSED: "Clôture"}
OUTCOME_LABELS_FR = {"upheld": "acceptée", "partly_upheld": "acceptée en partie", "rejected": "rejetée"}
# ... and what the member reads in the status check (recours/privacy.py).
MEMBER_STATUS_LABELS_FR = {
    RECORDED: "enregistrée, en cours de traitement",
    ACKNOWLEDGED: "réception accusée, en cours de traitement",
    ANSWERED: "réponse envoyée",
    CLOSED: "clôturée",
}


class EventRefused(Refusal):
    """An event that cannot be recorded; ``message_fr`` tells the handler why."""


class InvalidEvent(EventRefused):
    """The event as sent cannot be recorded (HTTP 422): ``field`` is the one to correct."""

    def __init__(self, field: str, message_fr: str) -> None:
        super().__init__(f"invalid {field}", message_fr)
        self.field = field


class InvalidTransition(EventRefused):
    """The event contradicts the complaint's current status (HTTP 409)."""

    def __init__(self, current: str, requested: str, message_fr: str) -> None:
        super().__init__(f"{current} -> {requested} not allowed", message_fr)
        self.current = current
        self.requested = requested


@dataclass(frozen=True)
class ComplaintEvent:
    """What happened: the new status, on which day, the answer's outcome, an optional note."""

    status: str
    on: date
    outcome: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Progress:
    """Where a complaint stands, as the store holds it (the dates of the events recorded so far)."""

    status: str
    received_on: date
    acknowledged_on: date | None = None
    answered_on: date | None = None


def parse_event(body: Mapping[str, Any]) -> ComplaintEvent:
    """The event of a JSON body ``{"status", "on", "outcome", "note"}``; :class:`InvalidEvent` otherwise."""
    if not isinstance(body, Mapping):
        raise InvalidEvent("body", "Le corps de la requête doit être un objet JSON.")
    status = body.get("status")
    if status not in EVENT_STATUSES:
        raise InvalidEvent("status", "« status » doit valoir acknowledged, answered ou closed.")
    raw_on = body.get("on")
    try:
        on = date.fromisoformat(raw_on) if isinstance(raw_on, str) and len(raw_on) == 10 else None
    except ValueError:
        on = None
    if on is None:
        raise InvalidEvent("on", "« on » doit être une date AAAA-MM-JJ.")
    outcome = body.get("outcome")
    if status == ANSWERED and outcome not in OUTCOMES:
        raise InvalidEvent("outcome", "Une réponse doit avoir une issue : upheld, partly_upheld ou rejected.")
    if status != ANSWERED and outcome is not None:
        raise InvalidEvent("outcome", "Seule une réponse a une issue.")
    note = body.get("note")
    if note is not None and not isinstance(note, str):
        raise InvalidEvent("note", "« note » doit être un texte.")
    note = note.strip() if note else None
    if note and len(note) > NOTE_LIMIT:
        raise InvalidEvent("note", f"La note dépasse {NOTE_LIMIT} caractères.")
    return ComplaintEvent(status=status, on=on, outcome=outcome, note=note or None)


def check_event(event: ComplaintEvent, progress: Progress, today: date) -> None:
    """Refuse an event the complaint's history does not allow (see the module docstring)."""
    if event.status not in NEXT_STATUSES[progress.status]:
        raise InvalidTransition(progress.status, event.status, _transition_refusal_fr(progress.status, event.status))
    if event.on > today:
        raise InvalidEvent("on", f"La date du {format_date_fr(event.on)} est dans le futur.")
    earliest = max(d for d in (progress.received_on, progress.acknowledged_on, progress.answered_on) if d)
    if event.on < earliest:
        raise InvalidEvent(
            "on",
            f"La date du {format_date_fr(event.on)} précède le {format_date_fr(earliest)} "
            "(réception de la réclamation ou événement déjà enregistré).",
        )


def _transition_refusal_fr(current: str, requested: str) -> str:
    if current == CLOSED:
        return "Cette réclamation est clôturée : aucun événement ne peut plus y être ajouté."
    if current == requested or (requested == ACKNOWLEDGED and current == ANSWERED):
        return f"Cette réclamation est déjà au statut « {STATUS_LABELS_FR[current].lower()} »."
    if requested == CLOSED:
        return "Une réclamation ne peut être clôturée qu'après sa réponse."
    return f"Passage de « {STATUS_LABELS_FR[current].lower()} » à « {STATUS_LABELS_FR[requested].lower()} » impossible."


def status_after(event: ComplaintEvent) -> dict[str, Any]:
    """The complaint columns an event sets: its status, and the date (and outcome) it records."""
    changes: dict[str, Any] = {"status": event.status, f"{event.status}_on": event.on}
    if event.status == ANSWERED:
        changes["outcome"] = event.outcome
    return changes
