"""Rasa's socket.io channel, served with the long-polling transport only and CORS limited to the web page.

On Python 3.11 with Sanic 21.12 the WebSocket upgrade fails ("Passing coroutines is forbidden" in
sanic/server/websockets/impl.py) and the browser's session stalls; polling works with rasa-webchat.
"""

from __future__ import annotations

import os
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint


def allowed_origins() -> List[str]:
    """The demo page's origin (WEB_PORT) plus any listed in RECOURS_WEB_ORIGINS (comma-separated)."""
    port = os.environ.get("WEB_PORT", "8080")
    origins = [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]
    extra = os.environ.get("RECOURS_WEB_ORIGINS", "")
    origins += [o.strip() for o in extra.split(",") if o.strip()]
    return origins


class PollingSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return super().from_credentials(credentials)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        engine = self.sio.eio  # type: ignore[union-attr]
        engine.transports = ["polling"]
        engine.allow_upgrades = False
        engine.cors_allowed_origins = allowed_origins()
        return blueprint
