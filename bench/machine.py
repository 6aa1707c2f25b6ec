"""What the bench reads of the machine and of the assistant's processes (Linux /proc): memory, CPU time, and how
busy the rest of the machine was during a stage.

Why CPU time: at 50 conversations the Rasa server's one event loop is saturated, so messages per second and p95
there follow its CPU time per turn and whatever else runs on the same 2 cores. On this shared machine a neighbour's
test run moved the same build's 50-conversation throughput from 8 to 28 messages/s within minutes (2026-12-01,
docs/performance.md). The CPU milliseconds each server spends per turn depend on the code, not on the waiting, and
the share of the machine used by other processes says how far the stage's latencies can be trusted.
"""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
_PROC = Path("/proc")


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (Rasa's Sanic may fork)."""
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    except FileNotFoundError:
        return pids
    for child in children:
        pids += process_tree(int(child))
    return pids


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, in MB."""
    total = 0
    for each in process_tree(pid):
        try:
            for line in (_PROC / str(each) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return round(total / 1024, 1)


def cpu_seconds(pids: Iterable[int]) -> float:
    """User and system CPU time of these processes (not of their children: pass the whole tree)."""
    total = 0
    for pid in pids:
        try:
            fields = (_PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / _TICKS_PER_SECOND


def tree_cpu_seconds(processes: Mapping[str, int]) -> dict[str, float]:
    """CPU time of each named process tree (name -> root pid)."""
    return {name: cpu_seconds(process_tree(pid)) for name, pid in processes.items()}


def _machine_ticks() -> tuple[int, int]:
    """(busy, stolen) ticks of all CPUs since boot, from the first line of /proc/stat."""
    values = [int(v) for v in (_PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values[:8]
    return user + nice + system + irq + softirq, steal


@dataclass
class CpuWindow:
    """CPU time spent during a stage: by each named process tree, by the bench itself, and by the machine."""

    processes: Mapping[str, int]  # name -> root pid
    _start: dict[str, float] | None = None

    def _sample(self) -> dict[str, float]:
        busy, steal = _machine_ticks()
        sample = tree_cpu_seconds(self.processes)
        sample.update({
            "_bench": cpu_seconds([os.getpid()]), "_machine": busy / _TICKS_PER_SECOND,
            "_steal": steal / _TICKS_PER_SECOND,
        })
        return sample

    def start(self) -> "CpuWindow":
        self._start = self._sample()
        return self

    def summary(self, turns: int, duration_s: float) -> dict:
        """CPU ms per turn of each process; the cores' share used by other processes and stolen by the host."""
        end, start = self._sample(), self._start or {}
        spent = {name: end[name] - start.get(name, 0.0) for name in end}
        own = sum(spent[name] for name in self.processes) + spent["_bench"]
        capacity = (os.cpu_count() or 1) * max(duration_s, 1e-9)
        return {
            "cpu_ms_per_turn": {name: round(spent[name] * 1000 / max(1, turns), 1) for name in self.processes},
            "load_client_cpu_ms_per_turn": round(spent["_bench"] * 1000 / max(1, turns), 1),
            "other_processes_cpu_share": round(max(0.0, spent["_machine"] - own) / capacity, 3),
            "stolen_cpu_share": round(spent["_steal"] / capacity, 3),
            "load_average_1min": round(os.getloadavg()[0], 2),
        }


def machine() -> dict:
    mem_kb = next(int(line.split()[1]) for line in (_PROC / "meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    cpu = next((line.split(":", 1)[1].strip() for line in (_PROC / "cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    return {"cores": os.cpu_count(), "memory_gb": round(mem_kb / 1e6, 1), "cpu": cpu, "python": platform.python_version()}
