"""The demo page server (ops/web.py) without a browser: what it serves, what it refuses, its headers.

Needs the widget installed (``make web-deps``); the browser itself is tested in tests/e2e/test_widget_browser.py.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Iterator

import pytest

from ops import web


@pytest.fixture(scope="module")
def page_server() -> Iterator[str]:
    server = web.make_server("127.0.0.1", 0)
    web.serve_in_thread(server)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def get(url: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_pinned_widget_is_installed_and_served_without_google_fonts(page_server):
    assert web.pinned_webchat_version() == "1.0.1"  # exact pin, no range
    status, headers, body = get(f"{page_server}{web.WEBCHAT_PATH}")
    assert status == 200, "rasa-webchat is missing: run `make web-deps`"
    assert headers["Content-Type"].startswith("application/javascript")
    assert b"WebChat" in body and len(body) > 500_000  # the standalone UMD bundle (React included)
    assert b"fonts.googleapis.com" not in body and b"fonts.gstatic.com" not in body
    original = (web.WEB_ROOT / "node_modules" / "rasa-webchat" / "lib" / "index.js").read_bytes()
    assert original.count(b"fonts.googleapis.com") > 0  # the import really was there, and is removed here


def test_page_and_config_for_the_organisation(page_server, monkeypatch):
    monkeypatch.setenv("RASA_PORT", "5999")
    status, headers, body = get(f"{page_server}/")
    assert status == 200 and b'lang="fr"' in body and b"/vendor/rasa-webchat.js" in body
    assert b"cdn" not in body.lower() and b"https://" not in body
    for asset in ("/css/page.css", "/css/webchat.css", "/js/app.js", "/img/favicon.svg"):
        assert get(f"{page_server}{asset}")[0] == 200, asset
    status, _, body = get(f"{page_server}/config.js", host="localhost:8080")
    config = json.loads(body.decode().removeprefix("window.RECOURS_CONFIG = ").rstrip(";\n"))
    assert config["organisationName"] == "CPMS" and config["colours"]["primary"].startswith("#")
    assert config["socketUrl"] == "http://localhost:5999" and config["socketPath"] == "/socket.io/"
    _, _, body = get(f"{page_server}/config.js", host="127.0.0.1:8080")
    assert b'"socketUrl": "http://127.0.0.1:5999"' in body
    _, _, body = get(f"{page_server}/config.js", host="evil.example\"<script>:8080")
    assert b"<script>" not in body and b'"socketUrl": "http://localhost:5999"' in body


def test_strict_headers_allow_only_the_page_and_the_rasa_server(page_server, monkeypatch):
    monkeypatch.setenv("RASA_PORT", "5999")
    _, headers, _ = get(f"{page_server}/", host="127.0.0.1:8080")
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self';" in csp
    assert "connect-src 'self' http://127.0.0.1:5999;" in csp
    assert "ws:" not in csp and "https:" not in csp and "googleapis" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    "path",
    ["/package.json", "/package-lock.json", "/node_modules/rasa-webchat/lib/index.js", "/css/", "/js/../package.json",
     "/%2e%2e/ops/web.py", "/css/%2e%2e/package.json", "/js/%2E%2E/node_modules/rasa-webchat/package.json",
     "/css/..%2fpackage.json", "/css//etc/passwd", "/config.py"],
)
def test_nothing_else_is_served(page_server, path):
    status, _, _ = get(f"{page_server}{path}")
    assert status == 404


def test_missing_widget_is_reported_not_crashing(tmp_path, capsys):
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"rasa-webchat": "1.0.1"}}))
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>")
    with pytest.raises(web.WebchatNotInstalled, match="make web-deps"):
        web.load_webchat_bundle(tmp_path)
    server = web.make_server("127.0.0.1", 0, root=tmp_path)
    web.serve_in_thread(server)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert get(f"{base}/")[0] == 200
        assert get(f"{base}{web.WEBCHAT_PATH}")[0] == 503
    finally:
        server.shutdown()
        server.server_close()
    assert "make web-deps" in capsys.readouterr().err


def test_socketio_texts_are_escaped_for_the_widgets_markdown():
    """rasa-webchat renders bot texts as Markdown: masked identifiers must keep their asterisks."""
    import asyncio

    from addons.socketio import MarkdownSafeSocketIOOutput, markdown_safe

    assert markdown_safe("1 79 ** ** *** *** 35") == r"1 79 \*\* \*\* \*\*\* \*\*\* 35"
    assert markdown_safe("p***@exemple.fr, 06 ** ** ** 78") == r"p\*\*\*@exemple.fr, 06 \*\* \*\* \*\* 78"
    assert markdown_safe("a_b [x] ~ \\") == r"a\_b \[x\] \~ \\"
    assert markdown_safe("- un\n- deux\nÀ bientôt ?") == "- un\n- deux\nÀ bientôt ?"
    assert markdown_safe("en ligne : https://exemple.fr/saisir_le_mediateur ; *") == (
        r"en ligne : https://exemple.fr/saisir_le_mediateur ; \*"
    )

    class Sio:
        emitted: list = []

        async def emit(self, event, data, room=None):
            self.emitted.append((event, data, room))

    sio = Sio()
    output = MarkdownSafeSocketIOOutput(sio, "bot_uttered")
    asyncio.run(output.send_response("s1", {"text": "N° : 2 84 ** **\n\nConfirmez-vous ?",
                                            "buttons": [{"title": "Confirmer", "payload": "/affirm"}]}))
    assert sio.emitted == [
        ("bot_uttered", {"text": r"N° : 2 84 \*\* \*\*", "quick_replies": []}, "s1"),
        ("bot_uttered", {"text": "Confirmez-vous ?",
                         "quick_replies": [{"content_type": "text", "title": "Confirmer", "payload": "/affirm"}]}, "s1"),
    ]
