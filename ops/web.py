"""The insurer's demo page (WEB_PORT): the member-area page from web/, its config.js and the chat widget.

Served by the standard library on purpose: it is a demo of the widget, not a web application.

- ``/``, ``/css/…``, ``/js/…``, ``/img/…``: static files from web/ (nothing else: no node_modules, no
  package files, no directory listings).
- ``/config.js``: the deploying organisation's name and display colours (its data file) and the socket.io URL
  of the Rasa server.
- ``/vendor/socket.io.min.js``, ``/vendor/markdown-it.min.js``: the browser builds of socket.io-client and
  markdown-it, on which the chat widget (web/js/chat-*.js, docs/widget.md) is written, installed by ``make web-deps``
  (``npm ci`` in web/, the exact versions pinned in web/package.json) and served from the project — no CDN.
- Every response carries a strict Content-Security-Policy allowing only the page's origin and the Rasa server.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import posixpath
import re
import sys
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"
# URL -> (npm package, its browser build): the only files served from web/node_modules.
VENDOR = {
    "/vendor/socket.io.min.js": ("socket.io-client", "dist/socket.io.min.js"),
    "/vendor/markdown-it.min.js": ("markdown-it", "dist/browser/markdown-it.umd.min.js"),
}
STATIC_PREFIXES = ("/css/", "/js/", "/img/")
PAGES = ("/", "/index.html", "/lettre.html", "/recu.html")
_HOSTNAME = re.compile(r"^(?:[A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}$|^\[[0-9A-Fa-f:.]+\]$")


class VendorNotInstalled(RuntimeError):
    """web/node_modules lacks a pinned package of the widget: run ``make web-deps``."""


def pinned_version(package: str, root: Path = WEB_ROOT) -> str:
    """The exact version of ``package`` web/package.json pins (e.g. ``4.8.4``)."""
    manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
    return manifest["dependencies"][package]


def load_vendor_file(package: str, build: str, root: Path = WEB_ROOT) -> bytes:
    """The browser build of an npm package of the widget, checked to be the version web/package.json pins."""
    package_dir = root / "node_modules" / package
    pinned = pinned_version(package, root)
    try:
        installed = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))["version"]
        body = (package_dir / build).read_bytes()
    except FileNotFoundError as exc:
        raise VendorNotInstalled(f"{package} is not installed in {root / 'node_modules'}: run `make web-deps`") from exc
    if installed != pinned:
        raise VendorNotInstalled(f"{package} {installed} installed, {pinned} pinned: run `make web-deps`")
    return body


def load_vendor_files(root: Path = WEB_ROOT) -> dict[str, bytes]:
    """Every file of VENDOR by URL; a package missing or at another version is left out and reported."""
    files: dict[str, bytes] = {}
    for url, (package, build) in VENDOR.items():
        try:
            files[url] = load_vendor_file(package, build, root)
        except VendorNotInstalled as exc:  # the page still opens and says so; the browser test fails
            print(f"ops.web: {exc}", file=sys.stderr, flush=True)
    return files


def _request_hostname(host_header: str | None) -> str | None:
    """The host name the browser used to reach the page (``Host`` header without its port), if well-formed."""
    if not host_header:
        return None
    hostname = urlsplit(f"//{host_header.strip()}").hostname
    if hostname and ":" in hostname:
        hostname = f"[{hostname}]"
    return hostname if hostname and _HOSTNAME.match(hostname) else None


def socket_url(host_header: str | None = None) -> str:
    """The Rasa server's socket.io URL: RECOURS_SOCKET_URL, else the page's host (or RECOURS_PUBLIC_HOST) on RASA_PORT.

    Following the page's host keeps the page and the socket on the same name (127.0.0.1 or localhost), which the
    socket.io channel's CORS list accepts (addons/socketio.py).
    """
    explicit = os.environ.get("RECOURS_SOCKET_URL")
    if explicit:
        return explicit.rstrip("/")
    host = os.environ.get("RECOURS_PUBLIC_HOST") or _request_hostname(host_header) or "localhost"
    return f"http://{host}:{os.environ.get('RASA_PORT', '5005')}"


def page_config(host_header: str | None = None) -> dict:
    from recours.organisations import current_organisation

    org = current_organisation()
    return {
        "organisation": org.key,
        "organisationName": org.name,
        "colours": dict(org.colours),
        "socketUrl": socket_url(host_header),
        "socketPath": "/socket.io/",
        "language": "fr",
    }


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(socket: str) -> str:
    """Only the page's own origin, plus the Rasa server for the socket.io long-polling requests.

    No ``'unsafe-inline'`` anywhere: the widget's styles are in web/css. No ``ws:`` source: the socket.io channel is polling-only, so a WebSocket attempt would be a violation.
    """
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {_origin(socket)}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ]
    )


def _is_static(raw_path: str) -> bool:
    """Files under css/, js/, img/ only, judged on the decoded path ("/css/%2e%2e/package.json" is not)."""
    decoded = unquote(raw_path)
    if "\\" in decoded or "\x00" in decoded or decoded.endswith("/"):
        return False
    normalised = posixpath.normpath(decoded)
    return normalised == decoded and normalised.startswith(STATIC_PREFIXES)


class Handler(SimpleHTTPRequestHandler):
    vendor_files: dict[str, bytes] = {}
    socket_url_override: str | None = None

    def _socket_url(self) -> str:
        headers = getattr(self, "headers", None)  # absent when the request line itself was malformed
        return self.socket_url_override or socket_url(headers.get("Host") if headers else None)

    def send_head(self):  # noqa: ANN201 (http.server's signature: a file object or None)
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == "/config.js":
            config = page_config(self.headers.get("Host"))
            config["socketUrl"] = self._socket_url()
            body = ("window.RECOURS_CONFIG = " + json.dumps(config, ensure_ascii=False) + ";\n").encode()
            return self._bytes(body, "application/javascript; charset=utf-8")
        if path in VENDOR:
            if path not in self.vendor_files:
                self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "Widget non installé : lancez `make web-deps`.")
                return None
            return self._bytes(self.vendor_files[path], "application/javascript; charset=utf-8", cache="no-cache")
        if path in PAGES or _is_static(path):
            return super().send_head()
        self.send_error(HTTPStatus.NOT_FOUND, "Page introuvable")
        return None

    def _bytes(self, body: bytes, content_type: str, cache: str = "no-store") -> io.BytesIO:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", cache)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def list_directory(self, path):  # noqa: ANN001, ANN201 - no directory listings
        self.send_error(HTTPStatus.NOT_FOUND, "Page introuvable")
        return None

    def end_headers(self) -> None:
        # The page talks only to its own origin and to the Rasa server.
        self.send_header("Content-Security-Policy", content_security_policy(self._socket_url()))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet: no paths or queries in logs
        pass


Handler.extensions_map = {
    **SimpleHTTPRequestHandler.extensions_map,
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}


def make_server(
    host: str = "127.0.0.1", port: int = 8080, *, root: Path = WEB_ROOT, socket_url: str | None = None
) -> ThreadingHTTPServer:
    """The page server (not started). ``socket_url`` overrides the Rasa URL given to the page (tests)."""
    vendor = load_vendor_files(root)
    handler = type("PageHandler", (Handler,), {"vendor_files": vendor, "socket_url_override": socket_url})
    return ThreadingHTTPServer((host, port), partial(handler, directory=str(root)))


def serve_in_thread(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="ops.web", daemon=True)
    thread.start()
    return thread


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", 8080)))
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    make_server(args.host, args.port).serve_forever()


if __name__ == "__main__":
    main()
