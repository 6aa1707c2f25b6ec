"""The bot-pause seam (recours/bot_pause.py) against a stand-in of Rasa's HTTP API: which requests, with the token,
and errors that never leave the conversation half-changed silently. The real pause, against the Rasa server, is in
tests/e2e/test_person_rest.py."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from recours.bot_pause import RESUMED_RESPONSE, BotPause, HandoffError


class RasaApi:
    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[tuple[str, str, dict, object]] = []
        self.paused = False
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(api.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                api.requests.append(("POST", parts.path, parse_qs(parts.query), body))
                if parts.path.endswith("/tracker/events"):
                    api.paused = {"pause": True, "resume": False}.get(body[-1]["event"], api.paused)
                    self._answer({"paused": api.paused})
                else:
                    self._answer({"messages": [{"recipient_id": "x", "text": "de nouveau"}]})

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                api.requests.append(("GET", parts.path, parse_qs(parts.query), None))
                self._answer({"paused": api.paused})

            def log_message(self, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def api():
    stub = RasaApi()
    yield stub
    stub.server.shutdown()


def test_pause_and_resume_post_rasa_events_with_the_token(api):
    seam = BotPause(api.url, "jeton-secret")
    seam.pause("membre/1")
    assert seam.is_paused("membre/1") is True
    messages = seam.resume("membre/1")
    assert messages == [{"recipient_id": "x", "text": "de nouveau"}] and seam.is_paused("membre/1") is False
    (m1, p1, q1, b1), _get, (m2, p2, _q2, b2), (m3, p3, q3, b3), (_, _, _, b4), _ = api.requests
    assert (m1, p1, b1) == ("POST", "/conversations/membre%2F1/tracker/events", [{"event": "pause"}])
    assert q1["token"] == ["jeton-secret"]
    assert (p2, b2) == ("/conversations/membre%2F1/tracker/events", [{"event": "resume"}])
    assert (p3, b3) == ("/conversations/membre%2F1/execute", {"name": RESUMED_RESPONSE})
    assert q3["output_channel"] == ["latest"]
    assert b4 == [{"event": "action", "name": "action_listen"}]  # then it listens, as after any bot turn
    assert "jeton-secret" not in repr(seam)


def test_resume_without_announcing(api):
    assert BotPause(api.url, "t").resume("m", announce=False) == []
    assert [path for _, path, _, _ in api.requests] == ["/conversations/m/tracker/events"] * 2


def test_a_refusal_or_an_unreachable_server_is_an_error():
    refusing = RasaApi(status=401)
    try:
        with pytest.raises(HandoffError, match="401"):
            BotPause(refusing.url, "mauvais").pause("m")
    finally:
        refusing.server.shutdown()
    with pytest.raises(HandoffError, match="unreachable"):
        BotPause("http://127.0.0.1:9", "t", timeout=1).pause("m")
