"""Stopping a server process a test started: SIGTERM, then SIGKILL if it has not exited in time."""

from __future__ import annotations

import subprocess


def stop_process(process: subprocess.Popen | None, timeout: float) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
