"""The action server's settings for tests that run actions without the server: a SQLite store migrated in a
temporary directory, a fresh key, CPMS and a fixed today; the process's services are forgotten before and after."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from actions import services
from recours.crypto import generate_key
from recours.store import migrate


def action_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: str | None = None) -> Iterator[Path]:
    """Use as the body of a fixture: ``yield from action_settings(tmp_path, monkeypatch, "2026-11-21")``."""
    database = f"sqlite:///{tmp_path / 'recours.db'}"
    monkeypatch.setenv("RECOURS_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", database)
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setenv("RECOURS_ENCRYPTION_KEY", generate_key())
    monkeypatch.setenv("RECOURS_ORGANISATION", "cpms")
    if today:
        monkeypatch.setenv("RECOURS_TODAY", today)
    services.reset()
    migrate(database)
    yield tmp_path
    services.reset()
