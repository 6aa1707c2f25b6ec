"""bench/machine.py: the CPU time the bench attributes to each server is that server's, children included."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from bench.machine import CpuWindow, cpu_seconds, process_tree, rss_mb, tree_cpu_seconds

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

# A parent that sleeps and a child that waits 0.5 s, burns about 0.3 s of CPU, then both wait to be stopped.
_BUSY_CHILD = (
    "import subprocess, sys, time;"
    "child = subprocess.Popen([sys.executable, '-c', 'import time\\ntime.sleep(0.5)\\n"
    "end = time.process_time() + 0.3\\nwhile time.process_time() < end: pass\\ntime.sleep(30)']);"
    "print(child.pid, flush=True); time.sleep(30)"
)


@pytest.fixture
def busy_tree():
    parent = subprocess.Popen([sys.executable, "-c", _BUSY_CHILD], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    try:
        yield parent.pid, child
    finally:
        subprocess.run(["kill", str(child)], check=False)
        parent.kill()
        parent.wait(timeout=10)


def _wait_for_cpu(pids: list[int], at_least: float) -> float:
    deadline = time.monotonic() + 10
    while (spent := cpu_seconds(pids)) < at_least and time.monotonic() < deadline:
        time.sleep(0.05)
    return spent


def test_the_tree_holds_the_child_and_its_cpu_time(busy_tree):
    parent, child = busy_tree
    assert child in process_tree(parent)
    assert _wait_for_cpu(process_tree(parent), 0.25) >= 0.25
    assert cpu_seconds([parent]) < 0.25  # the parent alone only slept: the child's time is not the parent's
    assert rss_mb(parent) > rss_mb(child) > 0


def test_a_window_gives_cpu_per_turn_and_shares(busy_tree):
    parent, _ = busy_tree
    started = time.monotonic()
    window = CpuWindow({"server": parent}).start()  # before the child starts burning (or soon after, on a busy machine)
    _wait_for_cpu(process_tree(parent), 0.4)
    # the window's real length: on a busy machine, waiting for the child's CPU takes more than a second
    summary = window.summary(turns=10, duration_s=max(1.0, time.monotonic() - started))
    assert summary["cpu_ms_per_turn"]["server"] >= 20  # at least 0.2 s over 10 turns
    assert tree_cpu_seconds({"server": parent})["server"] >= 0.25
    assert 0.0 <= summary["other_processes_cpu_share"] <= 1.0
    assert 0.0 <= summary["stolen_cpu_share"] <= 1.0
    assert set(summary) == {"cpu_ms_per_turn", "load_client_cpu_ms_per_turn", "other_processes_cpu_share",
                            "stolen_cpu_share", "load_average_1min"}


def test_a_process_gone_counts_nothing():
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait(timeout=10)
    assert cpu_seconds([gone.pid]) == 0.0
    assert rss_mb(gone.pid) == 0.0
