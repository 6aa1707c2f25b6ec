"""A real complaint desk process (``python -m desk``) on a throwaway store, and an HTTP client signed in to it.

The desk is started as ops.launcher starts it, without the Rasa server (the handoff tests need one: they are in
tests/e2e/). Complaints are recorded straight into its store, with its key, as the action server would.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from ops.launcher import ROOT, child_env, free_port
from recours.crypto import FieldCipher, generate_key
from recours.store import ComplaintStore, migrate
from tests.members import PAUL, complaint_draft
from tests.processes import stop_process

ADMIN = ("superviseur", "mot-de-passe-superviseur")
HANDLER = ("claire", "mot-de-passe-gestionnaire")
EVENTS_SECRET = "secret-des-evenements"
TODAY = "2026-11-23"


@dataclass
class DeskProcess:
    database_url: str
    var_dir: Path
    key: str = field(default_factory=generate_key)
    port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.var_dir / "desk.log"

    def env(self) -> dict[str, str]:
        return child_env({
            "RECOURS_VAR_DIR": str(self.var_dir), "DATABASE_URL": self.database_url,
            "RECOURS_ENCRYPTION_KEY": self.key, "RECOURS_DESK_ADMIN": ":".join(ADMIN),
            "BACKOFFICE_EVENTS_SECRET": EVENTS_SECRET, "RECOURS_TODAY": TODAY, "RECOURS_ORGANISATION": "cpms",
            **self.extra_env,
        })

    def start(self) -> "DeskProcess":
        self.var_dir.mkdir(parents=True, exist_ok=True)
        migrate(self.database_url)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "desk", "--host", "127.0.0.1", "--port", str(self.port)], cwd=ROOT,
            env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the desk did not start: {self.log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        stop_process(self.process, timeout=15)

    def store(self) -> ComplaintStore:
        return ComplaintStore(self.database_url, FieldCipher(self.key))

    def record(self, sender: str, **changes: Any) -> str:
        """Paul Durand's complaint (tests/members.py), with his phone too, recorded as the action server would."""
        store = self.store()
        try:
            draft = complaint_draft(FieldCipher(self.key).conversation_key(sender),
                                    **{"identifiers": {"nir": PAUL.nir, "email": PAUL.email, "phone": PAUL.phone},
                                       **changes})
            return store.record_complaint(draft, f"key-{sender}").reference
        finally:
            store.dispose()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


@dataclass
class Client:
    """A browser-like client: a cookie jar and the CSRF token returned by the sign-in."""

    base: str
    http: requests.Session = field(default_factory=requests.Session)
    csrf: str | None = None

    def login(self, login: str, password: str) -> requests.Response:
        answer = self.http.post(f"{self.base}/api/login", json={"login": login, "password": password}, timeout=30)
        if answer.status_code == 200:
            self.csrf = answer.json()["csrf"]
        return answer

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.get(f"{self.base}{path}", timeout=30, allow_redirects=False, **kwargs)

    def post(self, path: str, body: Any = None, *, csrf: bool = True, **kwargs: Any) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if csrf and self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        return self.http.post(f"{self.base}{path}", json=body if body is not None else {}, headers=headers,
                              timeout=30, allow_redirects=False, **kwargs)
