"""The demo page server (ops/web.py) without a browser: what it serves, what it refuses, its headers.

Needs the widget installed (``make web-deps``); the browser itself is tested in tests/e2e/test_widget_browser.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
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


@pytest.mark.parametrize("url", sorted(web.VENDOR))
def test_pinned_widget_libraries_are_installed_and_served(page_server, url):
    package, build = web.VENDOR[url]
    version = web.pinned_version(package)
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{package} {version}: an exact pin, no range"
    status, headers, body = get(f"{page_server}{url}")
    assert status == 200, f"{package} is missing: run `make web-deps`"
    assert headers["Content-Type"].startswith("application/javascript")
    assert body == (web.WEB_ROOT / "node_modules" / package / build).read_bytes()
    installed = json.loads((web.WEB_ROOT / "node_modules" / package / "package.json").read_text())["version"]
    assert installed == version


def test_the_page_loads_the_widget_from_its_own_origin_only():
    """No rasa-webchat any more (docs/widget.md), no inline style or script, the widget's scripts in order."""
    page = (web.WEB_ROOT / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["/config.js", *web.VENDOR, "/js/chat-session.js", "/js/chat-widget.js", "/js/app.js"]
    assert "<script>" not in page and "style=" not in page
    manifest = json.loads((web.WEB_ROOT / "package.json").read_text(encoding="utf-8"))
    assert "rasa-webchat" not in manifest["dependencies"] and "axe-core" in manifest["devDependencies"]


def test_page_and_config_for_the_organisation(page_server, monkeypatch):
    monkeypatch.setenv("RASA_PORT", "5999")
    status, headers, body = get(f"{page_server}/")
    assert status == 200 and b'lang="fr"' in body and b"/vendor/socket.io.min.js" in body
    assert b"cdn" not in body.lower() and b"https://" not in body
    for asset in ("/css/page.css", "/css/chat.css", "/js/chat-session.js", "/js/chat-widget.js", "/js/app.js",
                  "/img/favicon.svg"):
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
    assert "ws:" not in csp and "https:" not in csp and "googleapis" not in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    "path",
    ["/package.json", "/package-lock.json", "/node_modules/socket.io-client/dist/socket.io.min.js", "/css/",
     "/js/../package.json", "/%2e%2e/ops/web.py", "/css/%2e%2e/package.json", "/vendor/axe.min.js",
     "/js/%2E%2E/node_modules/markdown-it/package.json", "/vendor/../package.json", "/vendor/socket.io.js",
     "/css/..%2fpackage.json", "/css//etc/passwd", "/config.py"],
)
def test_nothing_else_is_served(page_server, path):
    status, _, _ = get(f"{page_server}{path}")
    assert status == 404


def test_missing_widget_is_reported_not_crashing(tmp_path, capsys):
    pins = {package: "1.0.0" for package, _ in web.VENDOR.values()}
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": pins}))
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>")
    other = tmp_path / "node_modules" / "markdown-it"  # installed, but not the pinned version
    (other / "dist" / "browser").mkdir(parents=True)
    (other / "package.json").write_text(json.dumps({"version": "0.9.0"}))
    (other / "dist" / "browser" / "markdown-it.umd.min.js").write_text("// old")
    with pytest.raises(web.VendorNotInstalled, match="make web-deps"):
        web.load_vendor_file("socket.io-client", "dist/socket.io.min.js", tmp_path)
    with pytest.raises(web.VendorNotInstalled, match="0.9.0 installed, 1.0.0 pinned"):
        web.load_vendor_file("markdown-it", "dist/browser/markdown-it.umd.min.js", tmp_path)
    server = web.make_server("127.0.0.1", 0, root=tmp_path)
    web.serve_in_thread(server)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert get(f"{base}/")[0] == 200
        assert all(get(f"{base}{url}")[0] == 503 for url in web.VENDOR)
    finally:
        server.shutdown()
        server.server_close()
    assert "make web-deps" in capsys.readouterr().err


def test_socketio_texts_are_escaped_for_the_widgets_markdown():
    """The widget renders bot texts as Markdown: masked identifiers must keep their asterisks."""
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
    # a handler's reply relayed from the desk carries its marker: the widget shows it as a person's
    sio.emitted.clear()
    asyncio.run(output.send_text_message("s1", "Bonjour, ici *Claire*.\n\nJe regarde.", recours_handoff="handler"))
    assert sio.emitted == [
        ("bot_uttered", {"text": r"Bonjour, ici \*Claire\*.", "metadata": {"recours_handoff": "handler"}}, "s1"),
        ("bot_uttered", {"text": "Je regarde.", "metadata": {"recours_handoff": "handler"}}, "s1"),
    ]


# The widget's own renderer (web/js/chat-widget.js with web/node_modules/markdown-it), run by Node.
RENDER_WITH_THE_WIDGET = """
global.window = { markdownit: require(process.argv[1] + "/node_modules/markdown-it") };
require(process.argv[1] + "/js/chat-widget.js");
const md = window.RecoursChat.markdownRenderer();
const texts = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(texts.map(text => md.render(text))));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node (installed with npm by `make web-deps`)")
def test_escaped_texts_render_as_typed_in_the_widget():
    """What addons/socketio.py escapes, the widget's markdown-it shows as typed; markup and scripts stay text."""
    from addons.socketio import markdown_safe

    texts = ["N° : 1 79 ** ** *** *** 35 (p***@exemple.fr)", "a_b [x] ~ \\ `c`", "- un\n- deux",
             "en ligne : https://exemple.fr/saisir_le_mediateur ; sur ameli.fr",
             "<script>alert(1)</script> <img src=x onerror=alert(1)>", "[lien](javascript:alert(1))"]
    done = subprocess.run(["node", "-e", RENDER_WITH_THE_WIDGET, str(web.WEB_ROOT)], check=True, timeout=60,
                          input=json.dumps([markdown_safe(t) for t in texts]), capture_output=True, text=True)
    masked, marks, listed, linked, markup, scheme = json.loads(done.stdout)
    assert masked == "<p>N° : 1 79 ** ** *** *** 35 (p***@exemple.fr)</p>\n"
    assert marks == "<p>a_b [x] ~ \\ `c`</p>\n"
    assert listed == "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n"
    assert ('<a href="https://exemple.fr/saisir_le_mediateur" target="_blank" rel="noopener noreferrer">' in linked
            and "sur ameli.fr</p>" in linked)
    assert "<script" not in markup and "<img" not in markup and "&lt;script&gt;" in markup
    assert "href" not in scheme
