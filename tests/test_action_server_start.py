"""actions/server.py's start-up: what a member's first turn would otherwise load is loaded before the server answers."""

from __future__ import annotations

import asyncio

from actions import server, services
from recours import messages


def test_the_french_sentences_are_read_at_start_not_at_a_members_first_turn(monkeypatch):
    monkeypatch.setattr(server.gc, "freeze", lambda: None)  # the test process keeps its collector as it is
    monkeypatch.setattr(services, "start_delivery_worker", lambda: None)
    messages.catalogue.cache_clear()

    asyncio.run(server._start(app=None, loop=None))
    read_at_start = messages.catalogue.cache_info().misses
    messages.message_fr("turns.silent")

    assert read_at_start == 1
    assert messages.catalogue.cache_info().misses == 1  # the turn's sentence came from what the start read
