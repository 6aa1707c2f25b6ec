"""Rasa's socket.io channel, served with the long-polling transport only and CORS limited to the web page.

On Python 3.11 with Sanic 21.12 the WebSocket upgrade fails ("Passing coroutines is forbidden" in
sanic/server/websockets/impl.py) and the browser's session stalls; polling works with rasa-webchat.

rasa-webchat renders every bot text as Markdown, while the assistant writes plain text: masked identifiers
("1 79 ** ** *** *** 35", "06 ** ** ** 78", "p***@exemple.fr") lost their asterisks to bold markup. Texts sent on
this channel get the characters Markdown would eat backslash-escaped; line breaks and "- " lists still render.
"""

from __future__ import annotations

import os
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint


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

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await super().send_text_message(recipient_id, markdown_safe(text), **kwargs)

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
        async def with_safe_output(message: UserMessage) -> Any:
            output = message.output_channel
            if type(output) is SocketIOOutput:
                message.output_channel = MarkdownSafeSocketIOOutput(output.sio, output.bot_message_evt)
            return await on_new_message(message)

        blueprint = super().blueprint(with_safe_output)
        engine = self.sio.eio  # type: ignore[union-attr]
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
