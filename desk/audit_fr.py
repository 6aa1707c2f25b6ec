"""The audit log as a handler reads it: each entry in French, at Paris time like the rest of the desk.

The store keeps codes (``action`` and a ``detail`` such as "answered 2026-12-01 (desk)", recours/store/audit.py);
they stay what the log is searched by, and only the page says them in words. A detail this module does not
recognise is shown as stored rather than dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from recours.calendar import format_date_fr
from recours.handling.lifecycle import ACKNOWLEDGED, ANSWERED, CLOSED
from recours.settings import PARIS
from recours.store import AuditEntry

ACTIONS_FR = {
    "sign_in": "Connexion au guichet",
    "sign_out": "Déconnexion",
    "reveal": "Identifiants affichés en clair",
    "register_export": "Export du registre",
    "handoff_take": "Conversation prise",
    "handoff_message": "Message envoyé au membre dans la conversation",
    "handoff_release": "Conversation rendue à l'assistant",
    "user_saved": "Compte enregistré",
    # the member's own changes through the assistant (actions/follow_ups.py)
    "contact_changed": "Coordonnées modifiées par le membre",
    "detail_added": "Précision ajoutée à la description par le membre",
    "callback_phone_changed": "Numéro du rappel modifié par le membre",
    "callback_cancelled": "Rappel annulé par le membre",
    "callback_restored": "Rappel rétabli par le membre (annulé par erreur)",
}
# An event's entry: « Accusé de réception enregistré le mardi 1er décembre 2026 (guichet) ».
EVENTS_RECORDED_FR = {
    ACKNOWLEDGED: "Accusé de réception enregistré",
    ANSWERED: "Réponse enregistrée",
    CLOSED: "Clôture enregistrée",
}
SOURCES_FR = {"desk": "guichet", "backoffice": "système de gestion"}
ROLES_FR = {"handler": "gestionnaire", "supervisor": "superviseur"}

_EVENT_DETAIL = re.compile(r"^(?P<status>\w+) (?P<on>\d{4}-\d{2}-\d{2}) \((?P<source>\w+)\)$")
_USER_DETAIL = re.compile(r"^(?P<login>\S+) role=(?P<role>\w+)$")


@dataclass(frozen=True)
class AuditLineFr:
    at: str  # "01/12/2026 18:49:47", Paris time
    actor: str
    text: str


def paris_time(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # the store writes UTC
    return aware.astimezone(PARIS).strftime("%d/%m/%Y %H:%M:%S")


def _event_fr(detail: str) -> str | None:
    found = _EVENT_DETAIL.match(detail)
    if not found or found["status"] not in EVENTS_RECORDED_FR:
        return None
    source = SOURCES_FR.get(found["source"], found["source"])
    return f"{EVENTS_RECORDED_FR[found['status']]} le {format_date_fr(date.fromisoformat(found['on']))} ({source})"


def _user_fr(detail: str) -> str | None:
    found = _USER_DETAIL.match(detail)
    if not found:
        return None
    return f"Compte enregistré : {found['login']} ({ROLES_FR.get(found['role'], found['role'])})"


def audit_text_fr(entry: AuditEntry) -> str:
    """What the entry says, in French."""
    detail = entry.detail or ""
    if entry.action == "event":
        return _event_fr(detail) or f"Événement ({detail})"
    if entry.action == "user_saved":
        return _user_fr(detail) or f"{ACTIONS_FR['user_saved']} ({detail})"
    text = ACTIONS_FR.get(entry.action, entry.action)
    # the reveal's fixed detail and a handoff's id say nothing more to a handler
    if detail and entry.action not in ("reveal", "handoff_take", "handoff_message", "handoff_release"):
        text += f" ({detail})"
    return text


def audit_lines_fr(entries: list[AuditEntry]) -> list[AuditLineFr]:
    return [AuditLineFr(at=paris_time(e.at), actor=e.actor, text=audit_text_fr(e)) for e in entries]
