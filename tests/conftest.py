"""Shared fixtures. End-to-end fixtures start the real servers through ops.launcher, as `make run` does."""

from __future__ import annotations

import os

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

import pytest  # noqa: E402

from recours.settings import get_settings  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_settings():
    """Settings are cached per process; a test that changes the environment gets them re-read."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
