"""recours/health.py's answer, as both servers' ``GET /health/components`` give it."""

import asyncio
import logging

from recours import health


async def _checks(state):
    return {"complaint_store": {"status": state}}


def test_nothing_failing_answers_200_and_logs_nothing(caplog):
    with caplog.at_level(logging.ERROR):
        status, body = asyncio.run(health.answer(_checks(health.OK), timeout=5, server="action_server"))
    assert status == 200 and body["status"] == health.OK and body["failing"] == []
    assert caplog.records == []


def test_a_failing_component_answers_503_and_is_logged_by_name(caplog):
    with caplog.at_level(logging.ERROR):
        status, body = asyncio.run(health.answer(_checks(health.FAILING), timeout=5, server="action_server"))
    assert status == 503 and body["failing"] == ["complaint_store"]
    assert "Health check failing: complaint_store" in caplog.text


def test_checks_past_the_time_limit_report_the_server_failing():
    async def slow():
        await asyncio.sleep(5)

    status, body = asyncio.run(health.answer(slow(), timeout=0.01, server="rasa_server"))
    assert status == 503 and body["components"] == {"rasa_server": {"status": health.FAILING,
                                                                    "error": "checks timed out"}}
