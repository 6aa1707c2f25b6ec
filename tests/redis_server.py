"""A throwaway redis-server for tests: loopback, a free port, no persistence; stoppable and restartable on the
same port (outage tests). Installed by scripts/system-deps.sh (Debian's redis-server)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.ports import free_port
from tests.processes import stop_process


class RedisUnavailable(RuntimeError):
    pass


class RedisServer:
    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RedisUnavailable("redis-server not found: `apt-get install -y redis-server` (scripts/system-deps.sh)")
        self.binary = binary
        self.root = Path(tempfile.mkdtemp(prefix="recours-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/1"

    def start(self, timeout: float = 20.0) -> "RedisServer":
        log = open(self.root / "redis.log", "ab")
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.root), "--protected-mode", "yes"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RedisUnavailable(f"redis-server did not start (see {self.root / 'redis.log'})")

    def stop(self) -> None:
        stop_process(self.process, timeout=10)
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
