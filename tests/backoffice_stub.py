"""A real HTTP server standing in for the insurer's complaint-management API (never a live service in tests).

It answers each complaint (told apart by the ``reference`` of the JSON body) from a script — ``500``, ``429``,
``"slow"`` (sleeps longer than the client's read timeout, then answers 200), ``200``, ``400``... — then 201 once
the script is used up. Like a well-behaved API it honours ``Idempotency-Key``: a key already accepted is answered
200 again without creating a second case, so ``accepted`` counts what the back-office really holds, and
``posts`` every request it saw (headers and parsed body).
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import pytest

from tests.stub_servers import running


@dataclass
class Post:
    reference: str | None
    key: str | None
    headers: dict[str, str]
    body: Any
    answered: int  # status sent back (0: the client gave up first, for "slow")


@dataclass
class BackofficeStub:
    server: ThreadingHTTPServer | None = None
    scripts: dict[str, list[Any]] = field(default_factory=dict)
    default_script: list[Any] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    accepted: dict[str, Any] = field(default_factory=dict)  # idempotency key -> body of the case created
    duplicates: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    slow_seconds: float = 2.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/complaints"

    def script(self, reference: str, steps: list[Any]) -> None:
        with self.lock:
            self.scripts[reference] = list(steps)

    def reset(self) -> None:
        with self.lock:
            self.scripts.clear()
            self.default_script.clear()
            self.posts.clear()
            self.accepted.clear()
            self.duplicates.clear()

    def posts_for(self, reference: str) -> list[Post]:
        with self.lock:
            return [p for p in self.posts if p.reference == reference]

    def cases_for(self, reference: str) -> int:
        with self.lock:
            return sum(1 for body in self.accepted.values() if isinstance(body, dict) and body.get("reference") == reference)

    def _next_step(self, reference: str | None) -> Any:
        with self.lock:
            steps = self.scripts.get(reference or "") if reference in self.scripts else self.default_script
            return steps.pop(0) if steps else 201

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            body = None
        reference = body.get("reference") if isinstance(body, dict) else None
        key = handler.headers.get("Idempotency-Key")
        step = self._next_step(reference)
        post = Post(reference, key, {k: v for k, v in handler.headers.items()}, body, 0)
        with self.lock:
            self.posts.append(post)
        status, headers, payload = 201, {}, {"status": "created"}
        if step == "slow":
            time.sleep(self.slow_seconds)
            status = 200
        elif isinstance(step, tuple):  # (status, headers, payload)
            status, headers, payload = step
        else:
            status = int(step)
            if status >= 400:
                payload = {"detail": f"scripted error {status}"}
        if 200 <= status < 300:
            with self.lock:
                if key in self.accepted:
                    self.duplicates[key] += 1
                    status, payload = 200, {"status": "already received"}
                else:
                    self.accepted[key] = body
        data = json.dumps(payload).encode()
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
            post.answered = status
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client timed out first

    def start(self) -> "BackofficeStub":
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                stub.handle(self)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def backoffice() -> Iterator[BackofficeStub]:
    yield from running(BackofficeStub())
