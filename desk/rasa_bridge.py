"""The desk's calls to the Rasa server (``http://RECOURS_HOST:RASA_PORT``, with ``RASA_AUTH_TOKEN``): read a
conversation as the tracker store holds it (identifiers already redacted), and relay a handler's message
(addons/handoff_relay.py). Explicit timeouts; failures raise :class:`RasaUnavailable`, never with a text."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote

import requests

log = logging.getLogger(__name__)

TIMEOUT = (3.0, 15.0)
MAX_MESSAGES = 200
HANDOFF_METADATA_KEY = "recours_handoff"


class RasaUnavailable(RuntimeError):
    """The Rasa server did not answer as expected (down, wrong token, unknown conversation)."""


@dataclass(frozen=True)
class Message:
    author: str  # "member", "assistant", "handler" or "notice" (the handoff's own sentences)
    text: str
    at: datetime | None

    def as_json(self) -> dict:
        return {"author": self.author, "text": self.text, "at": self.at.isoformat(timespec="seconds") if self.at else None}


def messages_of(events: list) -> list[Message]:
    """The member's and the bot's messages of a tracker's events, oldest first (the last ``MAX_MESSAGES``)."""
    found = []
    for event in events:
        kind, text = event.get("event"), event.get("text")
        if kind not in ("user", "bot") or not isinstance(text, str) or not text:
            continue
        at = datetime.fromtimestamp(event["timestamp"], tz=timezone.utc) if event.get("timestamp") else None
        if kind == "user":
            found.append(Message("member", "(bouton)" if text.startswith("/") else text, at))
            continue
        marker = (event.get("metadata") or {}).get(HANDOFF_METADATA_KEY)
        found.append(Message("handler" if marker == "handler" else "notice" if marker else "assistant", text, at))
    return found[-MAX_MESSAGES:]


class RasaBridge:
    def __init__(self, base_url: str, token: str | None, session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._session = session or requests.Session()

    def __repr__(self) -> str:  # no token
        return "RasaBridge()"

    def conversation(self, sender_id: str) -> list[Message]:
        if not self._token:
            raise RasaUnavailable("RASA_AUTH_TOKEN is not set for the desk")
        try:
            answer = self._session.get(
                f"{self.base_url}/conversations/{quote(sender_id, safe='')}/tracker",
                params={"token": self._token}, timeout=TIMEOUT,
            )
        except requests.RequestException as exc:
            raise RasaUnavailable(type(exc).__name__) from None
        if answer.status_code != 200:
            raise RasaUnavailable(f"HTTP {answer.status_code}")
        return messages_of(answer.json().get("events") or [])

    def relay(self, sender_id: str, kind: str, text: str) -> str:
        """Write and deliver one message (``joined``, ``message``, ``left``); the member's channel."""
        if not self._token:
            raise RasaUnavailable("RASA_AUTH_TOKEN is not set for the desk")
        try:
            answer = self._session.post(
                f"{self.base_url}/handoff/relay", json={"sender_id": sender_id, "kind": kind, "text": text},
                headers={"Authorization": f"Bearer {self._token}"}, timeout=TIMEOUT,
            )
        except requests.RequestException as exc:
            raise RasaUnavailable(type(exc).__name__) from None
        if answer.status_code != 200:
            raise RasaUnavailable(f"HTTP {answer.status_code}")
        return answer.json().get("channel") or "rest"
