"""The delivery loop of the action server and the desk: :class:`DeliveryWorker` (see recours/outbox/__init__.py)."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError

from recours.outbox.queues import BATCH, Outbox
from recours.store import StoreError

log = logging.getLogger("recours.outbox")


class DeliveryWorker:
    """Runs :meth:`Outbox.deliver_due` in a thread, in a loop, from an asyncio event loop (the action server).

    Sleeps ``poll`` seconds between passes, or less when :meth:`wake` is called (a complaint was just recorded).
    Errors (database unavailable...) are logged and the loop goes on: nothing is lost, rows stay pending.
    """

    def __init__(self, outbox: Outbox, poll: float = 5.0) -> None:
        self.outbox = outbox
        self.poll = poll
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._stopping = False
        self.passes = 0

    def start(self) -> asyncio.Task:
        self._wake = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="backoffice-delivery")
        return self._task

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def stop(self, grace: float = 5.0) -> None:
        """Stop after the current pass (an attempt in flight ends in its thread; its claim expires if cut)."""
        self._stopping = True
        self.wake()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout=grace)
            except asyncio.TimeoutError:
                self._task.cancel()

    async def _run(self) -> None:
        assert self._wake is not None
        failing = False
        while not self._stopping:
            self._wake.clear()
            try:
                attempts = await asyncio.to_thread(self.outbox.deliver_due)
                failing = False
            except (SQLAlchemyError, StoreError) as exc:
                attempts = []
                if not failing:  # once per outage, not at every poll
                    log.error("Back-office delivery paused: the complaint store is unavailable (%s)",
                              type(exc).__name__)
                failing = True
            except Exception:  # noqa: BLE001 - the loop must survive anything and say so
                attempts = []
                log.exception("Back-office delivery pass failed")
            self.passes += 1
            if attempts and len(attempts) >= BATCH:
                continue  # more may be due
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll)
            except asyncio.TimeoutError:
                pass
