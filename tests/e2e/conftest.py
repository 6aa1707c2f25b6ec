"""One real assistant (action server + Rasa server + web page) for the whole end-to-end session.

It runs on free loopback ports with its own var/ directory, a fixed RECOURS_TODAY and a generated encryption
key, exactly as `make run` starts it (ops.launcher).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from ops.launcher import Assistant, free_port
from recours.crypto import FieldCipher, generate_key
from recours.store import ComplaintStore
from tests.graph_stub import GraphStub, graph_stub  # noqa: F401 - session fixture, started before the assistant

TODAY = "2026-11-21"


@pytest.fixture(scope="session")
def e2e_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e-var")


@pytest.fixture(scope="session")
def assistant(trained_model: Path, e2e_var: Path, graph_stub: GraphStub) -> Iterator[Assistant]:
    key = generate_key()
    env = {
        "RECOURS_VAR_DIR": str(e2e_var),
        "DATABASE_URL": f"sqlite:///{e2e_var / 'recours.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{e2e_var / 'tracker.db'}",
        "RECOURS_ENCRYPTION_KEY": key,
        "RECOURS_TODAY": TODAY,
        "RECOURS_ORGANISATION": "cpms",
        **graph_stub.whatsapp_env(),  # WhatsApp channel enabled, talking to the local Graph API stand-in
    }
    running = Assistant(
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=free_port(),
        env=env,
        log_dir=e2e_var / "log",
        model=trained_model,
    )
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def organisation(assistant: Assistant, request: pytest.FixtureRequest) -> Iterator[str]:
    """Parametrise indirectly with an organisation key: the action server restarts with it."""
    key = getattr(request, "param", "cpms")
    if assistant.env.get("RECOURS_ORGANISATION") != key:
        assistant.restart_actions({"RECOURS_ORGANISATION": key})
    yield key


@pytest.fixture
def store(assistant: Assistant) -> ComplaintStore:
    """The assistant's complaint store, opened with its key, to check what was recorded."""
    return ComplaintStore(assistant.env["DATABASE_URL"], FieldCipher(assistant.env["RECOURS_ENCRYPTION_KEY"]))


def logs_of(assistant: Assistant) -> str:
    return "\n".join(
        (assistant.log_dir / f"{name}.log").read_text(errors="replace")
        for name in ("rasa", "actions", "web")
        if (assistant.log_dir / f"{name}.log").exists()
    )


__all__ = ["logs_of", "TODAY"]
