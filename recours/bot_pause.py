"""The seam for a live handoff: a conversation paused for the bot while a person answers, then resumed.

The complaint desk's agent side (CONTRACT.md: ``/api/handoffs``…) comes with another issue; this is what it will
call. Rasa already has the mechanism, so nothing is patched: a ``pause`` event (``ConversationPaused``) makes
Rasa's processor log the member's messages without predicting any action (``MessageProcessor._should_handle_message``)
until a ``resume`` event. The member's messages still reach the tracker — redacted by addons/tracker_store.py, as
always — where the person reads them; the bot says nothing meanwhile, on every channel (a silent turn is not a
failure for addons/turns.py). ``/restart`` typed by the member is still handled by Rasa, and ends the pause.

:class:`BotPause` posts those events through Rasa's HTTP API (``POST /conversations/{id}/tracker/events``, behind
``RASA_AUTH_TOKEN``); :meth:`BotPause.resume` can have the bot say it is back (``utter_bot_resumed``, through
``POST /conversations/{id}/execute`` on the member's latest channel). The sender id is the channel's (WhatsApp's is
already a keyed hash); it is never logged here. No Rasa import.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

RESUMED_RESPONSE = "utter_bot_resumed"


class HandoffError(RuntimeError):
    """Rasa's HTTP API refused or could not be reached; the conversation's state is unchanged."""


class BotPause:
    """Pause and resume the bot in one conversation of the Rasa server at ``rasa_url``."""

    def __init__(self, rasa_url: str, token: str, *, timeout: float = 10.0,
                 session: requests.Session | None = None) -> None:
        self._url = rasa_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._session = session or requests.Session()

    def __repr__(self) -> str:  # no token
        return "BotPause()"

    def pause(self, sender_id: str) -> None:
        """From now on the bot stays silent in this conversation; the member's messages are still recorded."""
        self._post(sender_id, "tracker/events", [{"event": "pause"}])

    def resume(self, sender_id: str, *, announce: bool = True) -> list[dict[str, Any]]:
        """The bot answers again; with ``announce``, it says so to the member (the messages, for a REST member).

        The conversation then listens (``action_listen``), as after any bot turn: the member's next message is
        read by the rules as usual, not as the continuation of the messages the person answered.
        """
        self._post(sender_id, "tracker/events", [{"event": "resume"}])
        messages: list[dict[str, Any]] = []
        if announce:
            answer = self._post(sender_id, "execute", {"name": RESUMED_RESPONSE}, output_channel="latest")
            messages = list(answer.get("messages") or []) if isinstance(answer, dict) else []
        self._post(sender_id, "tracker/events", [{"event": "action", "name": "action_listen"}])
        return messages

    def is_paused(self, sender_id: str) -> bool:
        return bool(self._request("GET", sender_id, "tracker", params={"include_events": "NONE"}).get("paused"))

    def _post(self, sender_id: str, path: str, body: Any, **params: str) -> Any:
        return self._request("POST", sender_id, path, json=body, params={"include_events": "NONE", **params})

    def _request(self, method: str, sender_id: str, path: str, **kwargs: Any) -> Any:
        url = f"{self._url}/conversations/{quote(sender_id, safe='')}/{path}"
        kwargs["params"] = {**kwargs.get("params", {}), "token": self._token}
        try:
            response = self._session.request(method, url, timeout=self._timeout, **kwargs)
        except requests.RequestException as exc:
            raise HandoffError(f"Rasa's HTTP API unreachable ({type(exc).__name__})") from None
        if not 200 <= response.status_code < 300:
            raise HandoffError(f"Rasa's HTTP API answered {response.status_code} to {method} …/{path}")
        try:
            return response.json()
        except ValueError:
            return None
