"""Members on socket.io and WhatsApp for the reliability tests: send, then wait for answers (no turn accounting:
these tests also send messages that get no turn, or whose turn fails)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests
import socketio

from addons.whatsapp import sign
from tests.graph_stub import APP_SECRET, GraphStub, text_message


@dataclass
class SocketClient:
    """rasa-webchat's protocol: session_request, then user_uttered; answers arrive as bot_uttered."""

    url: str
    origin: str
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    received: list[dict[str, Any]] = field(default_factory=list)
    client: socketio.Client = field(default_factory=lambda: socketio.Client(reconnection=False))
    confirmed: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def connect(self) -> "SocketClient":
        def on_bot(data: Any) -> None:
            with self.lock:
                self.received.append(data)

        self.client.on("bot_uttered", on_bot)
        self.client.on("session_confirm", lambda *_: self.confirmed.set())
        self.client.connect(self.url, transports=["polling"], wait_timeout=20, headers={"Origin": self.origin})
        self.client.emit("session_request", {"session_id": self.session_id})
        assert self.confirmed.wait(20), "no session_confirm"
        return self

    def emit(self, data: Any, event: str = "user_uttered") -> None:
        self.client.emit(event, data)

    def send(self, message: Any) -> None:
        self.emit({"message": message, "session_id": self.session_id, "customData": {"language": "fr"}})

    def wait_for(self, needle: str, after: int = 0, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                texts = [str(m.get("text") or "").replace("\\", "") for m in self.received[after:]]
            if any(needle in t for t in texts):
                return "\n".join(texts)
            time.sleep(0.2)
        raise AssertionError(f"no answer containing {needle!r} (got {texts})")

    def close(self) -> None:
        try:
            self.client.disconnect()
        except Exception:  # noqa: BLE001
            pass


def whatsapp_post(rasa_url: str, payload: Any, *, raw: bytes | None = None, signed: bool = True,
                  content_type: str = "application/json") -> requests.Response:
    body = raw if raw is not None else json.dumps(payload).encode("utf-8")  # \u escapes, as Meta sends
    headers = {"Content-Type": content_type}
    if signed:
        headers["X-Hub-Signature-256"] = sign(APP_SECRET, body)
    return requests.post(f"{rasa_url}/webhooks/whatsapp/webhook", data=body, headers=headers, timeout=30)


def whatsapp_text(stub: GraphStub, rasa_url: str, number: str, text: str) -> requests.Response:
    return whatsapp_post(rasa_url, text_message(number, f"wamid.F{uuid.uuid4().hex}", text))


def whatsapp_bodies(stub: GraphStub, number: str) -> list[str]:
    out = []
    for message in stub.delivered(number):
        if message.get("type") == "text":
            out.append(message["text"]["body"])
        elif message.get("type") == "interactive":
            out.append(message["interactive"]["body"]["text"])
    return out


def wait_whatsapp(stub: GraphStub, number: str, needle: str, timeout: float = 60.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        bodies = whatsapp_bodies(stub, number)
        if any(needle in b for b in bodies):
            return bodies
        time.sleep(0.2)
    raise AssertionError(f"no WhatsApp answer containing {needle!r} (got {whatsapp_bodies(stub, number)})")
