"""The insurer's demo page (WEB_PORT): static files from web/ plus a config.js with the organisation's look.

Served by the standard library on purpose: it is a demo of the widget, not a web application.
"""

from __future__ import annotations

import argparse
import json
import os
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"


def page_config() -> dict:
    from recours.organisations import current_organisation

    org = current_organisation()
    return {
        "organisation": org.key,
        "organisationName": org.name,
        "colours": dict(org.colours),
        "socketUrl": os.environ.get("RECOURS_SOCKET_URL")
        or f"http://{os.environ.get('RECOURS_PUBLIC_HOST', 'localhost')}:{os.environ.get('RASA_PORT', '5005')}",
    }


class Handler(SimpleHTTPRequestHandler):
    config_js: bytes = b""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.split("?")[0] == "/config.js":
            self.send_response(200)
            self.send_header("Content-Type", "application/javascript; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(self.config_js)))
            self.end_headers()
            self.wfile.write(self.config_js)
            return
        super().do_GET()

    def end_headers(self) -> None:
        # The page talks only to its own origin and to the Rasa server.
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet: no paths or queries in logs
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", 8080)))
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    Handler.config_js = ("window.RECOURS_CONFIG = " + json.dumps(page_config(), ensure_ascii=False) + ";\n").encode()
    server = ThreadingHTTPServer((args.host, args.port), partial(Handler, directory=str(WEB_ROOT)))
    server.serve_forever()


if __name__ == "__main__":
    main()
