"""`python -m bench.paired WORKTREE... [--rounds 8] [--concurrency 50 --slices 6]`: this build and others (worktrees
of older commits) running side by side and given the same load in turn, so that all are measured in the same
minutes of a shared machine.

Why: two `python -m bench` runs a few minutes apart on this 2-core machine differ by more than most changes do
(the same build measured 8 to 28 messages/s at 50 conversations within ten minutes while other work ran beside it,
2026-12-01, docs/performance.md). Here the assistants are up at once and only one is loaded at a time:

- by default, the same scripted conversations (bench/scenarios.py, fixed seeds) are played turn by turn, each turn
  sent to every build in random order, one message at a time: the CPU milliseconds per turn of each process
  (Rasa server, action server, desk) compare the work each build does for identical turns;
- with ``--concurrency N``, stages of N simulated members (bench/load.py) alternate between the builds, the order
  rotated at each of ``--slices`` rounds: messages per second, p95 and CPU per turn under load.

Writes bench/results/<date>-paired.json (every figure by build, "other-1"… and "this", each with its commit).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.load import run_stage
from bench.machine import CpuWindow, machine, tree_cpu_seconds
from bench.scenarios import cpam, complaint, information, mediation
from ops.launcher import ROOT

# Run inside a worktree (its own ops.launcher, older signatures included): starts its assistant on free ports
# with a temporary state, prints one JSON line (URL, pids, commit), stops when stdin closes.
_SERVE = r"""
import inspect, json, subprocess, sys, tempfile
from pathlib import Path
from ops.launcher import Assistant, ensure_model, free_port
model = ensure_model()
with tempfile.TemporaryDirectory() as var:
    env = {"RECOURS_VAR_DIR": var, "RECOURS_TODAY": "2026-11-21", "RECOURS_ENCRYPTION_KEY": subprocess.run(
        [sys.executable, "-m", "recours.crypto"], capture_output=True, text=True, check=True).stdout.strip()}
    ports = {"desk_port": free_port()} if "desk_port" in inspect.signature(Assistant).parameters else {}
    assistant = Assistant(rasa_port=free_port(), action_port=free_port(), web_port=free_port(), **ports, env=env,
                          log_dir=Path(var) / "log", model=model, with_web=False)
    assistant.start()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(json.dumps({"rasa_url": assistant.rasa_url, "commit": commit,
                      "pids": {name: p.pid for name, p in assistant.processes.items()}}), flush=True)
    try:
        sys.stdin.read()
    finally:
        assistant.stop()
"""


class Build:
    """One worktree's assistant, started in its own process group of servers."""

    def __init__(self, name: str, worktree: Path) -> None:
        self.name = name
        self.process = subprocess.Popen([sys.executable, "-c", _SERVE], cwd=worktree, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line:
            raise RuntimeError(f"the assistant of {worktree} did not start")
        info = json.loads(line)
        self.rasa_url: str = info["rasa_url"]
        self.commit: str = info["commit"]
        self.pids: dict[str, int] = info["pids"]

    def stop(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=90)


def _post(url: str, sender: str, message: str) -> list:
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", headers={"Content-Type": "application/json"},
                                     data=json.dumps({"sender": sender, "message": message}).encode())
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def turn_by_turn(builds: list[Build], rounds: int) -> dict[str, Any]:
    """The same conversations on every build, each turn on each in random order; the first round warms up."""
    shuffle = random.Random(0)
    spent: dict[str, dict[str, float]] = {b.name: dict.fromkeys(b.pids, 0.0) for b in builds}
    walls: dict[str, list[float]] = {b.name: [] for b in builds}
    as_expected = dict.fromkeys(spent, 0)
    turns = conversations_played = 0
    for number in range(rounds + 1):
        seeds = random.Random(number)
        conversations = [complaint(seeds), complaint(seeds), mediation(seeds), cpam(seeds), information(seeds)]
        for scenario in conversations:
            senders = {b.name: f"paired-{uuid.uuid4().hex[:16]}" for b in builds}
            missed = {b.name: False for b in builds}
            for message, expected in scenario.steps:
                for build in shuffle.sample(builds, len(builds)):
                    before = tree_cpu_seconds(build.pids)
                    started = time.perf_counter()
                    replies = _post(build.rasa_url, senders[build.name], message)
                    elapsed_ms = (time.perf_counter() - started) * 1000
                    time.sleep(0.05)  # the turn's last writes land before the second reading
                    if number:
                        after = tree_cpu_seconds(build.pids)
                        for name in build.pids:
                            spent[build.name][name] += after[name] - before[name]
                        walls[build.name].append(elapsed_ms)
                    missed[build.name] |= expected not in " ".join(str(r.get("text", "")) for r in replies)
                turns += bool(number)
            if number:
                conversations_played += 1
                for name, missing in missed.items():
                    as_expected[name] += not missing
    return {
        build.name: {
            "commit": build.commit, "turns": turns,
            # a build whose conversations take another path does other work: compare builds only where all are at 1.0
            "as_expected": round(as_expected[build.name] / max(1, conversations_played), 3),
            "cpu_ms_per_turn": {name: round(s * 1000 / turns, 2) for name, s in spent[build.name].items()},
            "turn_ms_median": round(statistics.median(walls[build.name]), 1),
            "turn_ms_mean": round(statistics.fmean(walls[build.name]), 1),
        }
        for build in builds
    }


def under_load(builds: list[Build], concurrency: int, slices: int, seconds: float) -> dict[str, Any]:
    """Stages of ``concurrency`` members alternating between the builds, the order rotated at each slice."""
    rows = []
    for number in range(slices):
        order = builds[number % len(builds):] + builds[:number % len(builds)]
        for build in order:
            window = CpuWindow(build.pids).start()
            result = asyncio.run(run_stage(build.rasa_url, concurrency, seconds, seed=7 + number))
            rows.append({"build": build.name, "slice": number, **result.summary(),
                         **window.summary(result.turns, result.duration_s)})
            print(f"  {build.name} {number}: {rows[-1]['messages_per_s']} /s, p95 {rows[-1]['p95_ms']} ms, "
                  f"{rows[-1]['cpu_ms_per_turn']}", flush=True)
    figures: dict[str, Any] = {"slices": rows}
    for build in builds:
        mine = [row for row in rows if row["build"] == build.name]
        figures[build.name] = {
            "commit": build.commit,
            "messages_per_s_mean": round(statistics.fmean(r["messages_per_s"] for r in mine), 1),
            "p95_ms_median": round(statistics.median(r["p95_ms"] for r in mine)),
            "rasa_cpu_ms_per_turn_mean": round(statistics.fmean(r["cpu_ms_per_turn"]["rasa"] for r in mine), 1),
        }
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.paired")
    parser.add_argument("others", type=Path, nargs="+", help="worktrees of the builds to compare with (older commits)")
    parser.add_argument("--rounds", type=int, default=8, help="rounds of five conversations, turn by turn")
    parser.add_argument("--concurrency", type=int, default=0, help="stages of N members instead of turn by turn")
    parser.add_argument("--slices", type=int, default=6)
    parser.add_argument("--stage-seconds", type=float, default=15.0)
    args = parser.parse_args()

    builds: list[Build] = []
    try:
        for worktree in args.others:  # one cold start at a time
            builds.append(Build(f"other-{len(builds) + 1}", worktree.resolve()))
        builds.append(Build("this", ROOT))
        if args.concurrency:
            figures = under_load(builds, args.concurrency, args.slices, args.stage_seconds)
        else:
            figures = turn_by_turn(builds, args.rounds)
    finally:
        for build in builds:
            build.stop()
    report = {"date": datetime.now().isoformat(timespec="seconds"), "machine": machine(), "mode":
              f"{args.concurrency} members, {args.slices} slices" if args.concurrency else f"turn by turn, {args.rounds} rounds",
              **figures}
    print(json.dumps({k: v for k, v in report.items() if k != "slices"}, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results" / f"{datetime.now():%Y-%m-%d-%H%M}-paired.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"Rapport : {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
