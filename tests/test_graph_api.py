"""The Graph API client (addons/graph_api.py), against a real local server standing in for Meta (tests/graph_stub.py).

Its backoff and ``Retry-After`` parsing are the shared policy of recours/retry.py (tested in tests/test_retry.py);
here: which answers are retried, how many times, and that a server's ``Retry-After`` is waited for.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from addons.graph_api import GraphAPIError, GraphClient, GraphConfig
from tests.graph_stub import ACCESS_TOKEN, PHONE_NUMBER_ID, GraphStub, graph_stub  # noqa: F401 - session fixture
from tests.ports import free_port

NUMBER = "33612345678"
FAST = {"backoff_base": 0.01, "backoff_max": 0.05, "total_timeout": 5.0}


@pytest.fixture
def stub(graph_stub: GraphStub) -> GraphStub:  # noqa: F811 - the imported fixture
    graph_stub.reset()
    return graph_stub


def client(stub: GraphStub, **overrides: Any) -> GraphClient:
    return GraphClient(GraphConfig(stub.url, PHONE_NUMBER_ID, ACCESS_TOKEN, **{**FAST, **overrides}))


async def _send(graph: GraphClient, message: dict[str, Any]) -> str | None:
    try:
        return await graph.send(NUMBER, message)
    finally:
        await graph.close()


TEXT = {"type": "text", "text": {"body": "Bonjour", "preview_url": False}}


def test_graph_429_then_500_then_200_is_retried(stub):
    stub.fail_next(429, 500)
    message_id = asyncio.run(_send(client(stub), TEXT))
    assert message_id and message_id.startswith("wamid.stub")
    assert [r.status for r in stub.requests] == [429, 500, 200]
    assert all(r.body == stub.requests[-1].body for r in stub.requests)  # the same message each time


def test_graph_retry_after_is_honoured(stub):
    stub.fail_next(429, retry_after="1")  # delay-seconds: a whole number (RFC 9110)
    started = time.monotonic()
    asyncio.run(_send(client(stub, backoff_max=2.0), TEXT))
    assert time.monotonic() - started >= 1.0
    assert [r.status for r in stub.requests] == [429, 200]


def test_graph_retries_are_bounded(stub):
    stub.fail_next(503, 503, 503, 503, 503)
    with pytest.raises(GraphAPIError) as error:
        asyncio.run(_send(client(stub, max_attempts=3), TEXT))
    assert error.value.status == 503 and len(stub.requests) == 3


def test_graph_client_errors_are_not_retried(stub):
    with pytest.raises(GraphAPIError) as error:
        asyncio.run(_send(client(stub), {"type": "text", "text": {"body": ""}}))
    assert error.value.status == 400 and error.value.code == 100 and len(stub.requests) == 1
    assert "Invalid" not in str(error.value)  # Meta's message is not carried (it may quote the request)


def test_graph_throttling_reported_as_400_is_retried(stub):
    stub.fail_next(400, code=131056)  # pair rate limit
    asyncio.run(_send(client(stub), TEXT))
    assert [r.status for r in stub.requests] == [400, 200]


def test_graph_unreachable_is_retried_then_reported():
    dead = f"http://127.0.0.1:{free_port()}/v21.0"
    graph = GraphClient(GraphConfig(dead, PHONE_NUMBER_ID, ACCESS_TOKEN, max_attempts=2, **FAST))
    with pytest.raises(GraphAPIError) as error:
        asyncio.run(_send(graph, TEXT))
    assert error.value.status is None


def test_graph_config_repr_hides_the_token():
    config = GraphConfig("http://x", PHONE_NUMBER_ID, ACCESS_TOKEN)
    assert ACCESS_TOKEN not in repr(config) and ACCESS_TOKEN not in repr(GraphClient(config))
