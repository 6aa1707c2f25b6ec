"""Load benchmark: simulated members over the REST channel, each with its own sender and think time.

An asyncio client (aiohttp): each member plays scripted conversations (bench/scenarios.py) for the duration of
a stage; a turn's latency is measured from sending the message to the full reply. Stages run at increasing
numbers of concurrent conversations.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
import uuid
from dataclasses import dataclass, field

import aiohttp

from bench.scenarios import pick


@dataclass
class StageResult:
    concurrency: int
    duration_s: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    conversations: int = 0
    conversations_as_expected: int = 0

    @property
    def turns(self) -> int:
        return len(self.latencies_ms)

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
        return ordered[index]

    def summary(self) -> dict:
        return {
            "concurrency": self.concurrency,
            "turns": self.turns,
            "messages_per_s": round(self.turns / self.duration_s, 1) if self.duration_s else 0,
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 1) if self.latencies_ms else None,
            "errors": self.errors,
            "error_rate": round(self.errors / max(1, self.turns + self.errors), 4),
            "conversations": self.conversations,
            "as_expected": round(self.conversations_as_expected / max(1, self.conversations), 3),
        }


async def _member(
    session: aiohttp.ClientSession, url: str, stop_at: float, rng: random.Random, think: tuple[float, float],
    result: StageResult, arrival_s: float,
) -> None:
    await asyncio.sleep(arrival_s)
    while time.monotonic() < stop_at:
        scenario = pick(rng)
        sender = f"bench-{uuid.uuid4().hex[:16]}"
        as_expected = True
        for message, expected in scenario.steps:
            started = time.perf_counter()
            try:
                async with session.post(url, json={"sender": sender, "message": message}) as response:
                    body = await response.json(content_type=None)
                    ok = response.status == 200 and isinstance(body, list) and len(body) > 0
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                ok, body = False, []
            elapsed = (time.perf_counter() - started) * 1000
            if not ok:
                result.errors += 1
                as_expected = False
                break
            result.latencies_ms.append(elapsed)
            text = " ".join(str(reply.get("text", "")) for reply in body)
            if expected not in text:
                as_expected = False
            await asyncio.sleep(rng.uniform(*think))
            if time.monotonic() >= stop_at:
                break
        else:
            result.conversations += 1
            result.conversations_as_expected += as_expected
            continue
        break


async def run_stage(
    rasa_url: str, concurrency: int, duration_s: float, think: tuple[float, float] = (0.5, 1.5), seed: int = 7,
    ramp_s: float = 2.0,
) -> StageResult:
    """One stage: ``concurrency`` members, arriving one after the other over ``ramp_s`` (as Locust's spawn rate
    does: 20 members whose first messages all land in the same millisecond is a burst, not a load level), each
    playing conversations until ``duration_s`` has passed. Every turn of every member is measured."""
    result = StageResult(concurrency=concurrency, duration_s=duration_s)
    url = f"{rasa_url}/webhooks/rest/webhook"
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=concurrency * 2)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        stop_at = time.monotonic() + duration_s
        started = time.monotonic()
        members = [
            _member(session, url, stop_at, random.Random(seed * 1000 + i), think, result, ramp_s * i / concurrency)
            for i in range(concurrency)
        ]
        await asyncio.gather(*members)
        result.duration_s = time.monotonic() - started
    return result
