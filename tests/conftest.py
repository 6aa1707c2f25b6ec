"""Shared fixtures. End-to-end fixtures start the real servers through ops.launcher, as `make run` does."""

from __future__ import annotations

import os

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from recours.settings import get_settings  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_settings():
    """Settings are cached per process; a test that changes the environment gets them re-read."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (marked anyio) run on asyncio, like Rasa and rasa-sdk."""
    return "asyncio"


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """A model trained on the current data (trained once, then reused while the data does not change)."""
    from ops.launcher import ensure_model

    return ensure_model()
