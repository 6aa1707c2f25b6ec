"""Starting and stopping the whole assistant: training when the data changed, action server, Rasa server, web page,
complaint desk.

Used by ``make run`` (``python -m ops run``) and by the end-to-end tests, so the tests start the assistant
exactly the way a new user does.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# The project's own NLU component and the normaliser it reads the text with are training inputs too.
TRAINING_INPUTS = ("config.yml", "domain", "data", "addons/intent_classifier.py", "recours/text.py",
                   "recours/qualification/normalise.py", "recours/data/spelling_fr.yml", "addons/handoff_policy.py")

# What the migration reads: a restart of the action server migrates again only when one of them changes.
STORE_SETTINGS = ("DATABASE_URL", "RECOURS_ENCRYPTION_KEY", "RECOURS_ENCRYPTION_KEY_FILE", "RECOURS_VAR_DIR")

QUIET_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
    "TOKENIZERS_PARALLELISM": "false",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def training_fingerprint(root: Path = ROOT) -> str:
    """Hash of everything training reads: a model named after it is current."""
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QUIET_ENV)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.update(extra or {})
    return env


def ensure_model(root: Path = ROOT, log: IO[str] | None = None) -> Path:
    """Path of a model trained on the current data, training one when none matches (old ones are removed)."""
    fingerprint = training_fingerprint(root)
    models = root / "models"
    model = models / f"recours-{fingerprint}.tar.gz"
    if model.exists():
        return model
    print(
        f"Entraînement du modèle (données modifiées, empreinte {fingerprint})"
        + (f", journal : {log.name}" if log is not None else "") + "…",
        flush=True,
    )
    started = time.monotonic()
    subprocess.run(
        [
            str(VENV_BIN / "rasa"), "train", "--config", "config.yml", "--domain", "domain", "--data", "data",
            "--out", str(models), "--fixed-model-name", f"recours-{fingerprint}",
        ],
        cwd=root,
        env=child_env(),
        check=True,
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
    )
    print(f"Modèle entraîné en {time.monotonic() - started:.0f} s.", flush=True)
    for old in models.glob("recours-*.tar.gz"):
        if old != model:
            old.unlink(missing_ok=True)
    return model


def _get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError):
        return 0, b""


@dataclass
class Assistant:
    """The running assistant: its processes, ports and API token."""

    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8080
    desk_port: int = 8090
    host: str = "127.0.0.1"
    token: str = ""
    env: dict[str, str] = field(default_factory=dict)
    log_dir: Path = ROOT / "var" / "log"
    with_web: bool = True
    with_desk: bool = True
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    model: Path | None = None
    # More Rasa servers with the same settings and model ("rasa-2", "rasa-3"...): a scaled-out deployment on one
    # machine, for fail-over tests. They only make sense with a shared tracker store and REDIS_URL.
    extra_rasa_ports: list[int] = field(default_factory=list)

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def rasa_urls(self) -> dict[str, str]:
        """Every Rasa server by process name: "rasa", then "rasa-2"..."""
        urls = {"rasa": self.rasa_url}
        for index, port in enumerate(self.extra_rasa_ports, start=2):
            urls[f"rasa-{index}"] = f"http://{self.host}:{port}"
        return urls

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def desk_url(self) -> str:
        return f"http://{self.host}:{self.desk_port}"

    def _environment(self) -> dict[str, str]:
        return child_env(
            {
                **self.env,
                "RASA_PORT": str(self.rasa_port),
                "ACTION_PORT": str(self.action_port),
                "WEB_PORT": str(self.web_port),
                "DESK_PORT": str(self.desk_port),
                "RECOURS_HOST": self.host,
            }
        )

    def _spawn(self, name: str, args: list[str], extra_env: dict[str, str] | None = None) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "ab")
        env = self._environment()
        env.update(extra_env or {})
        self.processes[name] = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def migrate(self) -> None:
        """Creates or upgrades the complaint store and checks the encryption key (refuses a wrong key)."""
        subprocess.run([sys.executable, "-m", "ops", "migrate"], cwd=ROOT, env=self._environment(), check=True)

    def start(self, timeout: float = 240.0) -> "Assistant":
        if not self.token:
            self.token = secrets.token_urlsafe(24)
        if self.model is None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            with open(self.log_dir / "train.log", "a") as train_log:
                self.model = ensure_model(log=train_log)
        # The Rasa servers first: loading TensorFlow and the model is the longest part of a start, and they need
        # neither the complaint store nor the action server to load; the migration runs meanwhile.
        for name in self.rasa_urls:
            self._spawn_rasa(name)
        try:
            self.migrate()
        except BaseException:
            self.stop()
            raise
        self._spawn_actions()
        if self.with_web:
            self._spawn("web", [sys.executable, "-m", "ops.web", "--port", str(self.web_port), "--host", self.host])
        if self.with_desk:
            self.start_desk()
        self.wait_ready(timeout)
        return self

    def start_desk(self) -> None:
        """The complaint desk (``python -m desk``); it reaches the Rasa server's HTTP API with the token."""
        self._spawn("desk", [sys.executable, "-m", "desk", "--port", str(self.desk_port), "--host", self.host],
                    {"RASA_AUTH_TOKEN": self.token})

    def _spawn_rasa(self, name: str) -> None:
        port = self.rasa_urls[name].rsplit(":", 1)[1]
        self._spawn(
            name,
            [
                str(VENV_BIN / "rasa"), "run", "--enable-api", f"--auth-token={self.token}",
                "-i", self.host, "-p", port, "-m", str(self.model),
                "--credentials", "credentials.yml", "--endpoints", "endpoints.yml",
            ],
            # The handoff relay (addons/handoff_relay.py) accepts the desk with the HTTP API's token.
            {"RASA_AUTH_TOKEN": self.token},
        )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Stop one process abruptly (SIGKILL by default: a crash, not a shutdown). Tests of failures."""
        process = self.processes.get(name)
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                pass
            process.wait(timeout=30)

    def start_process(self, name: str, timeout: float = 240.0) -> None:
        """(Re)start one stopped process — "actions" or a Rasa server — and wait until it answers."""
        if name == "actions":
            self._spawn_actions()
            url = f"{self.action_url}/health"
        elif name == "desk":
            self.start_desk()
            url = f"{self.desk_url}/health"
        else:
            self._spawn_rasa(name)
            url = f"{self.rasa_urls[name]}/status?token={self.token}"
        deadline = time.monotonic() + timeout
        while _get(url)[0] != 200:
            if self.processes[name].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start: see {self.log_dir}/{name}.log")
            time.sleep(0.5)

    def _spawn_actions(self) -> None:
        # SANIC_HOST: rasa-sdk has no --host option; the action server listens on loopback only.
        self._spawn(
            "actions",
            [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions", "-p", str(self.action_port)],
            {"SANIC_HOST": "127.0.0.1"},
        )

    def restart_actions(self, env: dict[str, str], timeout: float = 60.0) -> None:
        """Restart only the action server with changed settings (e.g. another RECOURS_ORGANISATION).

        The Rasa server holds no organisation data, so tests switch organisation without reloading the model.
        """
        process = self.processes.get("actions")
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        # The migration also checks the key: it runs again only when the store or its key changes, not for another
        # organisation or forwarding setting (half of a restart's time in the end-to-end tests).
        store_changed = any(env.get(name, self.env.get(name)) != self.env.get(name) for name in STORE_SETTINGS)
        self.env.update(env)
        if store_changed:
            self.migrate()
        self._spawn_actions()
        deadline = time.monotonic() + timeout
        while _get(f"http://127.0.0.1:{self.action_port}/health")[0] != 200:
            if self.processes["actions"].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the action server did not restart: see {self.log_dir}/actions.log")
            time.sleep(0.3)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        checks = {"actions": f"http://127.0.0.1:{self.action_port}/health"}
        checks.update({name: f"{url}/status?token={self.token}" for name, url in self.rasa_urls.items()})
        if self.with_web:
            checks["web"] = f"{self.web_url}/"
        if self.with_desk:
            checks["desk"] = f"{self.desk_url}/health"
        pending = dict(checks)
        while pending:
            for name, url in list(pending.items()):
                process = self.processes[name]
                if process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"{name} exited with code {process.returncode}: see {self.log_dir / name}.log")
                status, _ = _get(url)
                if status == 200:
                    del pending[name]
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"not ready after {timeout:.0f} s: {', '.join(pending)} (logs in {self.log_dir})")
            if pending:
                time.sleep(0.5)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)

    def __enter__(self) -> "Assistant":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
