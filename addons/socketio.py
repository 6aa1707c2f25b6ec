"""Rasa's socket.io channel, served with the long-polling transport only and CORS limited to the web page.

On Python 3.11 with Sanic 21.12 the WebSocket upgrade fails ("Passing coroutines is forbidden" in
sanic/server/websockets/impl.py) and the browser's session stalls; polling works with rasa-webchat.

rasa-webchat renders every bot text as Markdown, while the assistant writes plain text: masked identifiers
("1 79 ** ** *** *** 35", "06 ** ** ** 78", "p***@exemple.fr") lost their asterisks to bold markup. Texts sent on
this channel get the characters Markdown would eat backslash-escaped; line breaks and "- " lists still render.
A message the desk relays carries ``metadata.recours_handoff`` (``handler`` for a person's words), so the widget
can show who wrote it.

Rasa's handlers trust the client: a ``user_uttered`` or ``session_request`` event whose data is not an object, a
session id of 100 kB or a metadata string that is not JSON raised inside the handler. Both events are handled here
instead, validated, and each turn runs through addons/turns.py (a French message when a component fails).
"""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from addons import runtime
from addons.live_handoff import HANDOFF_METADATA_KEY
from addons.turns import replies_suppressed, run_turn

logger = logging.getLogger(__name__)

MAX_SESSION_ID_CHARS = 128
MAX_METADATA_BYTES = 4096


def valid_session_id(value: Any) -> Optional[str]:
    """A client-chosen session id usable as a conversation id, else None."""
    if isinstance(value, str) and 0 < len(value) <= MAX_SESSION_ID_CHARS and value.isprintable() and value.strip():
        return value
    return None


def event_metadata(value: Any) -> Optional[Dict[str, Any]]:
    """The widget's ``customData``: a small object (or its JSON text); anything else is dropped."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if isinstance(value, dict) and len(json.dumps(value, default=str)) <= MAX_METADATA_BYTES:
        return value
    return None


def allowed_origins() -> List[str]:
    """The demo page's origin (WEB_PORT) plus any listed in RECOURS_WEB_ORIGINS (comma-separated)."""
    port = os.environ.get("WEB_PORT", "8080")
    origins = [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]
    extra = os.environ.get("RECOURS_WEB_ORIGINS", "")
    origins += [o.strip() for o in extra.split(",") if o.strip()]
    return origins


# Emphasis, links and strike-through markers, and the backslash itself (react-markdown 4 / remark-parse 5 honour
# these escapes; "<", ">" and "|" are shown as typed anyway, and escaping them would show the backslash).
_MARKDOWN_MARKERS = re.compile(r"([\\`*_\[\]~])")
_URL = re.compile(r"(https?://[^\s<>]+)")  # left as typed: the widget links them, a backslash would break them


def markdown_safe(text: Text) -> Text:
    """Plain text that rasa-webchat's Markdown renderer shows exactly as written."""
    parts = _URL.split(text)
    return "".join(part if index % 2 else _MARKDOWN_MARKERS.sub(r"\\\1", part) for index, part in enumerate(parts))


class MarkdownSafeSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output with each text escaped for rasa-webchat's Markdown rendering (buttons untouched)."""

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        if replies_suppressed():  # the turn ran on a conversation that could not be read (addons/turns.py)
            return
        await super()._send_message(socket_id, response)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        marker = kwargs.pop(HANDOFF_METADATA_KEY, None)
        if marker is None:
            await super().send_text_message(recipient_id, markdown_safe(text), **kwargs)
            return
        # A message relayed from the desk (addons/handoff_relay.py): its marker tells the widget who wrote it.
        for part in markdown_safe(text).strip().split("\n\n"):
            await self._send_message(recipient_id, {"text": part, "metadata": {HANDOFF_METADATA_KEY: marker}})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await super().send_text_with_buttons(recipient_id, markdown_safe(text), buttons, **kwargs)


class PollingSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return super().from_credentials(credentials)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        runtime.prepare(blueprint)
        sio = self.sio
        assert sio is not None

        # Registered after Rasa's own handlers for the same events: python-socketio keeps the last one.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = valid_session_id(requested) or uuid.uuid4().hex
            if self.session_persistence:
                sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            if not isinstance(data, dict):
                logger.info("socket.io message that is not an object: ignored")
                return
            sender_id = valid_session_id(data.get("session_id")) if self.session_persistence else sid
            if sender_id is None:
                logger.info("socket.io message without a valid session_id: ignored")
                return
            output = MarkdownSafeSocketIOOutput(sio, self.bot_message_evt)
            text = data.get("message", "")
            message = UserMessage(
                text if isinstance(text, str) else None, output, sender_id, input_channel=self.name(),
                metadata=event_metadata(data.get(self.metadata_key)),
            )
            await run_turn(on_new_message, message)

        engine = sio.eio
        engine.transports = ["polling"]
        engine.allow_upgrades = False
        engine.cors_allowed_origins = allowed_origins()
        return blueprint

    def get_output_channel(self) -> Optional[OutputChannel]:
        """For messages the HTTP API triggers on this channel (``output_channel=socketio``): escaped as well."""
        output = super().get_output_channel()
        if type(output) is SocketIOOutput:
            return MarkdownSafeSocketIOOutput(output.sio, output.bot_message_evt)
        return output
