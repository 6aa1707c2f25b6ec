"""The Rasa project itself: its data validates, and the conversation test stories pass with the trained model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ops.launcher import ROOT, child_env

RASA = str(Path(sys.executable).parent / "rasa")


def run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([RASA, *args], cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=900)


def test_data_validates_without_warnings_that_fail():
    result = run(["data", "validate", "--domain", "domain", "--data", "data", "--config", "config.yml", "--fail-on-warning"])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


@pytest.mark.e2e
def test_conversation_stories(trained_model: Path, tmp_path: Path):
    result = run(
        [
            "test", "core", "--model", str(trained_model), "--stories", "tests/stories",
            "--fail-on-prediction-errors", "--out", str(tmp_path),
        ]
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, details[-6000:] + result.stdout[-3000:] + result.stderr[-3000:]
