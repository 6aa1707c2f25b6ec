"""`python -m bench [--quick] [--no-cv] [--stages 1,10,20,50]`: measures, prints, and writes bench/results/<date>.

Figures: training time and model size (training from scratch, Rasa's cache disabled), cold start (process start
to ready), resident memory of each process, REST turn latency p50/p95/p99 and messages/s per concurrency stage
with the error rate and the share of conversations that ended as scripted, each server's CPU time per turn and
how busy the rest of the machine was during the stage (bench/machine.py), NLU held-out metrics and 5-fold
cross-validation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.load import run_stage
from bench.machine import CpuWindow, machine, rss_mb
from bench.decision import evaluate
from bench.quality import cross_validation, heldout
from ops.launcher import ROOT, Assistant, child_env, ensure_model, free_port

RESULTS = ROOT / "bench" / "results"


def train_from_scratch() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = child_env({"RASA_CACHE_DIRECTORY": str(Path(tmp) / "cache")})
        started = time.monotonic()
        subprocess.run(
            [str(Path(sys.executable).parent / "rasa"), "train", "--config", "config.yml", "--domain", "domain",
             "--data", "data", "--out", tmp, "--fixed-model-name", "bench", "--force"],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )
        elapsed = time.monotonic() - started
        size = (Path(tmp) / "bench.tar.gz").stat().st_size
    return {"training_s": round(elapsed, 1), "model_mb": round(size / 1e6, 1)}


def build() -> str:
    """The commit measured ("+ changes" when the working tree differs from it)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} + changes" if dirty else commit


def redaction_speed() -> dict:
    """recours.redaction runs on every tracker save: microseconds for an ordinary message, and the slowest of the
    hostile inputs the unit tests feed it (tests/test_redaction.py)."""
    from recours.redaction import redact_text
    from tests.test_redaction import HOSTILE_INPUTS

    ordinary = "Bonjour, je conteste le remboursement de 120 € du 03/09/2026, réf. REC-2026-7K4F9Q. " * 20
    started = time.perf_counter()
    for _ in range(500):
        redact_text(ordinary)
    per_message_us = (time.perf_counter() - started) / 500 * 1e6
    slowest = 0.0
    for hostile in HOSTILE_INPUTS:
        started = time.perf_counter()
        redact_text(hostile)
        slowest = max(slowest, time.perf_counter() - started)
    return {"ordinary_message_us": round(per_message_us, 1), "slowest_hostile_ms": round(slowest * 1000, 1)}


def dates_speed() -> dict:
    """recours.dates: the import (the grammar alone, dateparser loaded only as a fallback) and a call."""
    code = ("import time; t = time.perf_counter(); import recours.dates; "
            "print(round((time.perf_counter() - t) * 1000, 1))")
    import_ms = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                     cwd=Path(__file__).resolve().parent.parent).stdout.strip())
    from datetime import date
    from recours.dates import parse_french_date
    today = date(2026, 11, 21)
    parse_french_date("le 3 septembre", today)
    started = time.perf_counter()
    for _ in range(200):
        parse_french_date("je leur ai écrit le 12 mars dernier", today)
        parse_french_date("il y a deux mois", today)
    return {"import_ms": import_ms, "per_call_us": round((time.perf_counter() - started) / 400 * 1e6, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--stages", default="1,10,20,50", help="concurrent conversations per stage")
    parser.add_argument("--stage-seconds", type=float, default=45.0)
    parser.add_argument("--quick", action="store_true", help="short stages, no training or cross-validation")
    parser.add_argument("--no-cv", action="store_true", help="skip the 5-fold cross-validation")
    parser.add_argument("--no-train", action="store_true", help="skip the from-scratch training measurement")
    parser.add_argument("--sealed", action="store_true",
                        help="also run the sealed set (tests/nlu/sealed): once, at the end of a piece of work")
    args = parser.parse_args()
    stages = [int(s) for s in args.stages.split(",") if s]
    seconds = 15.0 if args.quick else args.stage_seconds

    report: dict = {"date": datetime.now().isoformat(timespec="seconds"), "build": build(), "machine": machine()}
    if not (args.quick or args.no_train):
        print("Entraînement complet (sans cache)…", flush=True)
        report["training"] = train_from_scratch()
        print(f"  {report['training']}", flush=True)

    report["redaction"] = redaction_speed()
    print(f"Masquage des identifiants : {report['redaction']}", flush=True)
    report["dates"] = dates_speed()
    print(f"Lecture des dates : {report['dates']}", flush=True)

    model = ensure_model()
    with tempfile.TemporaryDirectory() as var:
        env = {
            "RECOURS_VAR_DIR": var,
            "RECOURS_TODAY": "2026-11-21",
            "RECOURS_ENCRYPTION_KEY": subprocess.run(
                [sys.executable, "-m", "recours.crypto"], capture_output=True, text=True, check=True
            ).stdout.strip(),
        }
        assistant = Assistant(
            rasa_port=free_port(), action_port=free_port(), web_port=free_port(), desk_port=free_port(), env=env,
            log_dir=Path(var) / "log", model=model, with_web=False,
        )
        started = time.monotonic()
        assistant.start()
        report["cold_start_s"] = round(time.monotonic() - started, 1)
        print(f"Démarrage à froid : {report['cold_start_s']} s", flush=True)
        try:
            report["load"] = []
            for concurrency in stages:
                window = CpuWindow({name: p.pid for name, p in assistant.processes.items()}).start()
                result = asyncio.run(run_stage(assistant.rasa_url, concurrency, seconds))
                summary = {**result.summary(), **window.summary(result.turns, result.duration_s)}
                report["load"].append(summary)
                print(f"  {summary}", flush=True)
            report["memory_mb"] = {name: rss_mb(p.pid) for name, p in assistant.processes.items()}
            print(f"Mémoire résidente : {report['memory_mb']}", flush=True)
        finally:
            assistant.stop()

    with tempfile.TemporaryDirectory() as out:
        report["nlu_heldout"] = heldout(model, Path(out))
        print(f"NLU (jeu réservé) : { {k: v for k, v in report['nlu_heldout'].items() if k != 'errors'} }", flush=True)
    report["decision_heldout"] = evaluate(model, "heldout")
    print(f"Décision de l'assistant (ancien jeu réservé) : { {k: v for k, v in report['decision_heldout'].items() if k != 'errors'} }", flush=True)
    if args.sealed:
        report["decision_sealed"] = evaluate(model, "sealed")
        print(f"Décision de l'assistant (jeu scellé) : { {k: v for k, v in report['decision_sealed'].items() if k != 'errors'} }", flush=True)
    if not (args.quick or args.no_cv):
        with tempfile.TemporaryDirectory() as out:
            report["nlu_cross_validation"] = cross_validation(Path(out))
            print(f"NLU (validation croisée) : {report['nlu_cross_validation']}", flush=True)

    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = datetime.now().strftime("%Y-%m-%d-%H%M")
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"Rapport : {RESULTS / (stem + '.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
