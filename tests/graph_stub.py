"""A real local HTTP server standing in for Meta's Graph API (``POST /{phone_number_id}/messages``).

Tests never call Meta (shared/style.md). The stand-in records every request, checks the bearer token and the
message against the Cloud API's documented format and limits (a malformed message gets the 400 Meta would
answer, and is listed in ``problems``), and can be told to answer 429 / 5xx a few times before succeeding.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import pytest

from tests.stub_servers import running

ACCESS_TOKEN = "test-access-token-not-a-secret"
PHONE_NUMBER_ID = "109876543210987"
VERIFY_TOKEN = "test-verify-token"
APP_SECRET = "test-app-secret-0123456789abcdef"


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: Any
    status: int

    @property
    def message(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}


def message_problems(payload: Any, phone_number_id: str = PHONE_NUMBER_ID) -> list[str]:
    """What Meta's Cloud API would refuse in a send-message request (a subset of its documented checks)."""
    if not isinstance(payload, dict):
        return ["body is not a JSON object"]
    problems = []
    if payload.get("messaging_product") != "whatsapp":
        problems.append("messaging_product must be 'whatsapp'")
    if payload.get("recipient_type", "individual") != "individual":
        problems.append("recipient_type must be 'individual'")
    if not str(payload.get("to") or "").isdigit():
        problems.append("to must be the member's number (digits)")
    kind = payload.get("type")
    if kind == "text":
        body = (payload.get("text") or {}).get("body")
        if not isinstance(body, str) or not body.strip():
            problems.append("text.body is empty")
        elif len(body) > 4096:
            problems.append(f"text.body has {len(body)} > 4096 characters")
    elif kind == "interactive":
        problems += _interactive_problems(payload.get("interactive") or {})
    elif kind == "image":
        if not (payload.get("image") or {}).get("link"):
            problems.append("image.link is missing")
    else:
        problems.append(f"unexpected message type {kind!r}")
    return problems


def _interactive_problems(interactive: dict[str, Any]) -> list[str]:
    problems = []
    body = (interactive.get("body") or {}).get("text")
    if not isinstance(body, str) or not body.strip():
        problems.append("interactive.body.text is empty")
    elif len(body) > 1024:
        problems.append(f"interactive.body.text has {len(body)} > 1024 characters")
    action = interactive.get("action") or {}
    if interactive.get("type") == "button":
        buttons = action.get("buttons") or []
        if not 1 <= len(buttons) <= 3:
            problems.append(f"{len(buttons)} reply buttons (1 to 3 allowed)")
        titles = []
        for button in buttons:
            reply = button.get("reply") or {}
            if button.get("type") != "reply":
                problems.append("button type must be 'reply'")
            if not 0 < len(reply.get("title") or "") <= 20:
                problems.append(f"button title {reply.get('title')!r} not within 1-20 characters")
            if not 0 < len(reply.get("id") or "") <= 256:
                problems.append("button id not within 1-256 characters")
            titles.append((reply.get("title") or "").casefold())
        if len(set(titles)) != len(titles):
            problems.append("duplicate button titles")
        ids = [(b.get("reply") or {}).get("id") for b in buttons]
        if len(set(ids)) != len(ids):
            problems.append("duplicate button ids")
    elif interactive.get("type") == "list":
        label = action.get("button") or ""
        if not 0 < len(label) <= 20:
            problems.append(f"list button label {label!r} not within 1-20 characters")
        sections = action.get("sections") or []
        rows = [row for section in sections for row in section.get("rows") or []]
        if not sections or len(sections) > 10:
            problems.append("list needs 1 to 10 sections")
        if len(sections) > 1 and not all(section.get("title") for section in sections):
            problems.append("several sections need titles")
        if not 1 <= len(rows) <= 10:
            problems.append(f"{len(rows)} list rows (1 to 10 allowed)")
        for row in rows:
            if not 0 < len(row.get("title") or "") <= 24:
                problems.append(f"row title {row.get('title')!r} not within 1-24 characters")
            if not 0 < len(row.get("id") or "") <= 200:
                problems.append("row id not within 1-200 characters")
            if len(row.get("description") or "") > 72:
                problems.append("row description over 72 characters")
        ids = [row.get("id") for row in rows]
        if len(set(ids)) != len(ids):
            problems.append("duplicate row ids")
    else:
        problems.append(f"unexpected interactive type {interactive.get('type')!r}")
    return problems


@dataclass
class GraphStub:
    """The running stand-in. ``fail_next(429, 500)`` makes the next requests fail with those statuses."""

    host: str = "127.0.0.1"
    requests: list[Recorded] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _script: deque = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _counter: int = 0

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://{self.host}:{self._server.server_address[1]}/v21.0"

    def start(self) -> "GraphStub":
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, body, headers = stub._answer(self.path, dict(self.headers.items()), raw)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                return None

        self._server = ThreadingHTTPServer((self.host, 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="graph-stub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def fail_next(self, *statuses: int, retry_after: str | None = None, code: int | None = None) -> None:
        with self._lock:
            for status in statuses:
                self._script.append((status, retry_after, code))

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.problems.clear()
            self._script.clear()

    def _answer(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, Any, dict[str, str]]:
        try:
            body: Any = json.loads(raw or b"null")
        except ValueError:
            body = None
        with self._lock:
            lowered = {k.lower(): v for k, v in headers.items()}
            if lowered.get("authorization") != f"Bearer {ACCESS_TOKEN}":
                status, answer, extra = 401, _error(190, "Invalid OAuth access token"), {}
            elif path.rstrip("/").split("/")[-2:] != [PHONE_NUMBER_ID, "messages"]:
                status, answer, extra = 404, _error(100, "Unknown path"), {}
            elif self._script:
                status, retry_after, code = self._script.popleft()
                answer = _error(code or (130429 if status == 429 else 131000), "scripted failure")
                extra = {"Retry-After": retry_after} if retry_after else {}
            else:
                problems = message_problems(body)
                if problems:
                    self.problems.extend(problems)
                    status, answer, extra = 400, _error(100, "; ".join(problems)), {}
                else:
                    self._counter += 1
                    status, extra = 200, {}
                    answer = {
                        "messaging_product": "whatsapp",
                        "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                        "messages": [{"id": f"wamid.stub{self._counter:06d}"}],
                    }
            self.requests.append(Recorded(path, headers, body, status))
        return status, answer, extra

    def delivered(self, to: str | None = None) -> list[dict[str, Any]]:
        """Messages accepted (200), optionally only those to one number."""
        with self._lock:
            return [r.message for r in self.requests if r.status == 200 and (to is None or r.message.get("to") == to)]

    def wait_for(self, count: int, to: str | None = None, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until ``count`` messages were accepted (the webhook answers before the turn has run)."""
        deadline = time.monotonic() + timeout
        while len(self.delivered(to)) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.delivered(to)

    def wait_quiet(self, quiet: float = 0.5, timeout: float = 60.0) -> None:
        """Wait until no request came in for ``quiet`` seconds (a turn has sent everything)."""
        deadline = time.monotonic() + timeout
        seen, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            with self._lock:
                now_count = len(self.requests)
            if now_count != seen:
                seen, since = now_count, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
            time.sleep(0.05)

    def whatsapp_env(self) -> dict[str, str]:
        """The WHATSAPP_* variables of an assistant that talks to this stand-in."""
        return {
            "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "WHATSAPP_APP_SECRET": APP_SECRET,
            "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
            "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
            "WHATSAPP_GRAPH_URL": self.url,
        }


def _error(code: int, message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEfStub"}}


@pytest.fixture(scope="session")
def graph_stub() -> Iterator[GraphStub]:
    """One stand-in for the session (started before the assistant, which is given its URL)."""
    yield from running(GraphStub())


# Webhook payloads in Meta's documented format (whatsapp_business_account / messages).


def webhook_payload(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def _value(wa_id: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "33180000000", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": "Marie Martin"}, "wa_id": wa_id}],
        "messages": messages,
    }


def _message(wa_id: str, message_id: str, kind: str, content: dict[str, Any]) -> dict[str, Any]:
    return {"from": wa_id, "id": message_id, "timestamp": str(int(time.time())), "type": kind, **content}


def text_message(wa_id: str, message_id: str, body: str) -> dict[str, Any]:
    return webhook_payload(_value(wa_id, [_message(wa_id, message_id, "text", {"text": {"body": body}})]))


def button_reply(wa_id: str, message_id: str, reply_id: str, title: str) -> dict[str, Any]:
    content = {"interactive": {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}}
    return webhook_payload(_value(wa_id, [_message(wa_id, message_id, "interactive", content)]))


def list_reply(wa_id: str, message_id: str, reply_id: str, title: str) -> dict[str, Any]:
    content = {"interactive": {"type": "list_reply", "list_reply": {"id": reply_id, "title": title}}}
    return webhook_payload(_value(wa_id, [_message(wa_id, message_id, "interactive", content)]))


MEDIA_CONTENT = {
    "image": {"image": {"mime_type": "image/jpeg", "sha256": "abc", "id": "1234567890"}},
    "audio": {"audio": {"mime_type": "audio/ogg; codecs=opus", "sha256": "abc", "id": "1234567891", "voice": True}},
    "video": {"video": {"mime_type": "video/mp4", "sha256": "abc", "id": "1234567892"}},
    "document": {"document": {"filename": "facture.pdf", "mime_type": "application/pdf", "sha256": "abc",
                              "id": "1234567893", "caption": "ma facture"}},
    "sticker": {"sticker": {"mime_type": "image/webp", "sha256": "abc", "id": "1234567894", "animated": False}},
    "location": {"location": {"latitude": 48.8566, "longitude": 2.3522, "name": "Paris"}},
    "contacts": {"contacts": [{"name": {"formatted_name": "Jean Dupont", "first_name": "Jean"},
                               "phones": [{"phone": "+33 6 98 76 54 32", "type": "CELL"}]}]},
}


def media_message(wa_id: str, message_id: str, kind: str) -> dict[str, Any]:
    return webhook_payload(_value(wa_id, [_message(wa_id, message_id, kind, MEDIA_CONTENT[kind])]))


def status_callback(recipient: str, message_id: str, status: str = "delivered") -> dict[str, Any]:
    return webhook_payload({
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "33180000000", "phone_number_id": PHONE_NUMBER_ID},
        "statuses": [{
            "id": message_id, "status": status, "timestamp": str(int(time.time())), "recipient_id": recipient,
            "conversation": {"id": "CONVERSATION_ID", "origin": {"type": "service"}},
            "pricing": {"billable": True, "pricing_model": "CBP", "category": "service"},
        }],
    })
