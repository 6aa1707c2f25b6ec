"""One real assistant (action server + Rasa server + web page) for the whole end-to-end session.

It runs on free loopback ports with its own var/ directory, a fixed RECOURS_TODAY and a generated encryption
key, exactly as `make run` starts it (ops.launcher). The reliability tests also use ``cluster``: the scaled-out
topology (PostgreSQL, Redis, two Rasa servers, one action server, a back-office stand-in), started on first use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

from ops.launcher import Assistant, free_port
from recours.crypto import FieldCipher, generate_key
from recours.store import ComplaintStore
from tests.backoffice_stub import BackofficeStub
from tests.graph_stub import GraphStub, graph_stub  # noqa: F401 - session fixture, started before the assistant
from tests.pg import SKIP_ENV, PostgresServer
from tests.redis_server import RedisServer

TODAY = "2026-11-21"
# The complaint desk's supervisor for the whole session, and the back-office's HMAC key (tests/e2e/test_desk_e2e.py).
DESK_ADMIN = ("superviseur", "mot-de-passe-e2e-2026")
BACKOFFICE_EVENTS_SECRET = "secret-des-evenements-e2e"
LOCK_LIFETIME_SECONDS = 20


@pytest.fixture(scope="session")
def e2e_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e-var")


ACTION_TIMEOUT_SECONDS = 10


def assistant_on_free_ports(var: Path, model: Path, graph_stub: GraphStub, env: dict[str, str],
                            **options: Any) -> Assistant:
    """An assistant (not started) on free loopback ports, with ``var`` as its var directory, the session's today,
    CPMS, a generated encryption key and the WhatsApp channel talking to the local Graph API stand-in; ``env``
    adds or overrides settings, ``options`` are the launcher's (``with_web=False``…)."""
    return Assistant(
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=free_port(),
        desk_port=free_port(),
        env={
            "RECOURS_VAR_DIR": str(var),
            "RECOURS_ENCRYPTION_KEY": generate_key(),
            "RECOURS_TODAY": TODAY,
            "RECOURS_ORGANISATION": "cpms",
            **graph_stub.whatsapp_env(),
            **env,
        },
        log_dir=var / "log",
        model=model,
        **options,
    )


@pytest.fixture(scope="session")
def assistant(trained_model: Path, e2e_var: Path, graph_stub: GraphStub) -> Iterator[Assistant]:
    running = assistant_on_free_ports(e2e_var, trained_model, graph_stub, {
        "DATABASE_URL": f"sqlite:///{e2e_var / 'recours.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{e2e_var / 'tracker.db'}",
        # A hung action server is given up after 10 s, not Rasa's 5 minutes (test_failures_e2e.py).
        "RECOURS_ACTION_TIMEOUT_SECONDS": str(ACTION_TIMEOUT_SECONDS),
        "RECOURS_DESK_ADMIN": ":".join(DESK_ADMIN),
        "BACKOFFICE_EVENTS_SECRET": BACKOFFICE_EVENTS_SECRET,
    })
    running.start()
    try:
        yield running
    finally:
        running.stop()


SESSION_ORGANISATION = "cpms"


def _serve(assistant: Assistant, key: str) -> None:
    if assistant.env.get("RECOURS_ORGANISATION", SESSION_ORGANISATION) != key:
        assistant.restart_actions({"RECOURS_ORGANISATION": key})


@pytest.fixture
def organisation(assistant: Assistant, request: pytest.FixtureRequest) -> str:
    """Parametrise indirectly with an organisation key: the action server restarts with it if it serves another.

    It is not switched back after the test: the next test that needs another one switches it (see
    ``session_organisation`` and ``pytest_collection_modifyitems``), which saves two restarts per test."""
    key = getattr(request, "param", SESSION_ORGANISATION)
    _serve(assistant, key)
    return key


@pytest.fixture(autouse=True)
def session_organisation(request: pytest.FixtureRequest) -> None:
    """Tests that do not ask for an organisation (the leak scan, the channels) get the session's one."""
    if "assistant" in request.fixturenames and "organisation" not in request.fixturenames:
        _serve(request.getfixturevalue("assistant"), SESSION_ORGANISATION)


def _organisation_of(item: pytest.Item) -> str:
    callspec = getattr(item, "callspec", None)
    return str(callspec.params.get("organisation", SESSION_ORGANISATION)) if callspec else SESSION_ORGANISATION


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Within each module, the tests of one organisation run one after the other (a stable sort: the order of a
    module's tests is otherwise kept), so that the action server restarts once per organisation and module."""
    def module_of(item: pytest.Item) -> str:
        return str(getattr(item, "fspath", ""))

    first: dict[str, int] = {}
    for position, item in enumerate(items):
        first.setdefault(module_of(item), position)
    items.sort(key=lambda item: (first[module_of(item)], _organisation_of(item) != SESSION_ORGANISATION,
                                 _organisation_of(item)))


@pytest.fixture(scope="module")
def forwarding(assistant: Assistant) -> Iterator[BackofficeStub]:
    """The action server forwards to a back-office stand-in for one module's tests (call-backs, issue 13)."""
    stub = BackofficeStub().start()
    assistant.restart_actions({"BACKOFFICE_URL": stub.url, "BACKOFFICE_RETRY_BASE_SECONDS": "0.5"})
    try:
        yield stub
    finally:
        assistant.restart_actions({"BACKOFFICE_URL": "", "BACKOFFICE_RETRY_BASE_SECONDS": ""})
        stub.stop()


@pytest.fixture
def store(assistant: Assistant) -> ComplaintStore:
    """The assistant's complaint store, opened with its key, to check what was recorded."""
    return ComplaintStore(assistant.env["DATABASE_URL"], FieldCipher(assistant.env["RECOURS_ENCRYPTION_KEY"]))


@dataclass
class Cluster:
    """A scaled-out deployment on loopback: PostgreSQL (complaint store and tracker store), Redis (lock store),
    two Rasa servers and one action server, forwarding to a local back-office stand-in."""

    assistant: Assistant
    postgres: PostgresServer
    redis: RedisServer
    backoffice: BackofficeStub
    complaints_url: str
    tracker_url: str

    @property
    def cipher(self) -> FieldCipher:
        return FieldCipher(self.assistant.env["RECOURS_ENCRYPTION_KEY"])

    def store(self) -> ComplaintStore:
        return ComplaintStore(self.complaints_url, self.cipher)


@pytest.fixture(scope="session")
def cluster(trained_model: Path, tmp_path_factory: pytest.TempPathFactory, graph_stub: GraphStub) -> Iterator[Cluster]:
    """Started once for the reliability tests (test_failover.py, test_outages_e2e.py); ~2 minutes on 2 cores."""
    var = tmp_path_factory.mktemp("cluster-var")
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{SKIP_ENV}=1: the scaled-out tests need PostgreSQL")
    postgres = PostgresServer()
    postgres.start()
    redis_server = RedisServer().start()
    backoffice = BackofficeStub().start()
    complaints_url = postgres.create_database("complaints")
    tracker_url = postgres.create_database("tracker")
    running = assistant_on_free_ports(var, trained_model, graph_stub, {
        "DATABASE_URL": complaints_url,
        "TRACKER_STORE_URL": tracker_url,
        "REDIS_URL": redis_server.url,
        "BACKOFFICE_URL": backoffice.url,
        "BACKOFFICE_RETRY_BASE_SECONDS": "0.5",
        "BACKOFFICE_READ_TIMEOUT_SECONDS": "3",
        # A dead server's conversation lock expires after 20 s instead of Rasa's 60 (test_outages_e2e.py waits for
        # it); every turn of these tests is far shorter, so no turn of a conversation can run twice at once.
        "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
    }, with_web=False, with_desk=False, extra_rasa_ports=[free_port()])
    try:
        running.start()
        yield Cluster(running, postgres, redis_server, backoffice, complaints_url, tracker_url)
    finally:
        running.stop()
        backoffice.stop()
        redis_server.cleanup()
        postgres.stop()


def logs_of(assistant: Assistant) -> str:
    return "\n".join(
        (assistant.log_dir / f"{name}.log").read_text(errors="replace")
        for name in ("rasa", "rasa-2", "actions", "web", "desk")
        if (assistant.log_dir / f"{name}.log").exists()
    )


__all__ = ["BACKOFFICE_EVENTS_SECRET", "DESK_ADMIN", "assistant_on_free_ports", "logs_of", "TODAY"]
