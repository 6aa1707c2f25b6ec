"""Quality benchmark: NLU on the held-out set (never used for training) and 5-fold cross-validation.

The held-out targets (issue 3): >= 97 % complaint vs not-a-complaint, >= 0.90 macro-F1 over the six kinds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ops.launcher import ROOT, child_env
from recours.qualification import INTENT_KINDS

RASA = str(Path(sys.executable).parent / "rasa")
KINDS = INTENT_KINDS  # intent -> request kind, as the assistant maps them


def _entity_report(out: Path) -> Path:
    """Rasa names the entity report after the extractor (DIETClassifier before, CRFEntityExtractor now)."""
    for name in ("CRFEntityExtractor_report.json", "DIETClassifier_report.json"):
        if (out / name).exists():
            return out / name
    return out / "CRFEntityExtractor_report.json"


def _f1(tp: int, fp: int, fn: int) -> float:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def kind_metrics(predictions: list[dict]) -> dict:
    """Binary complaint accuracy and macro-F1 over the six request kinds, from Rasa's intent_errors-style list."""
    pairs = [(p["intent"], (p.get("intent_prediction") or {}).get("name")) for p in predictions]
    pairs = [(gold, pred) for gold, pred in pairs if gold in KINDS]
    binary = sum((gold == "complain") == (pred == "complain") for gold, pred in pairs) / max(1, len(pairs))
    f1s = {}
    for intent, kind in KINDS.items():
        tp = sum(g == intent and p == intent for g, p in pairs)
        fp = sum(g != intent and p == intent for g, p in pairs)
        fn = sum(g == intent and p != intent for g, p in pairs)
        f1s[kind] = round(_f1(tp, fp, fn), 3)
    return {
        "examples_six_kinds": len(pairs),
        "binary_complaint_accuracy": round(binary, 4),
        "macro_f1_six_kinds": round(sum(f1s.values()) / len(f1s), 4),
        "f1_by_kind": f1s,
    }


def assistant_kind_metrics(predictions: list[dict]) -> dict:
    """The same metrics for what the assistant decides: the NLU intent plus recours.qualification's rules
    ("dissatisfaction wins", CPAM wording); an unsure verdict counts as wrong."""
    from recours.qualification import qualify

    decided = []
    for p in predictions:
        if p["intent"] not in KINDS:
            continue
        prediction = p.get("intent_prediction") or {}
        verdict = qualify(prediction.get("name"), p.get("text", ""), prediction.get("confidence"))
        kind = None if verdict.unsure else verdict.request_kind
        reverse = {v: k for k, v in KINDS.items()}
        decided.append({"intent": p["intent"], "intent_prediction": {"name": reverse.get(kind)}})
    metrics = kind_metrics(decided)
    metrics.pop("examples_six_kinds")
    return metrics


def confusion(predictions: list[dict]) -> dict[str, dict[str, int]]:
    matrix: dict[str, dict[str, int]] = {}
    for p in predictions:
        gold, pred = p["intent"], (p.get("intent_prediction") or {}).get("name")
        if gold != pred:
            matrix.setdefault(gold, {}).setdefault(str(pred), 0)
            matrix[gold][str(pred)] += 1
    return matrix


def heldout(model: Path, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [RASA, "test", "nlu", "--nlu", "tests/nlu/heldout.yml", "--model", str(model), "--out", str(out), "--successes", "--no-plot"],
        cwd=ROOT, env=child_env(), check=True, capture_output=True, text=True,
    )
    report = json.loads((out / "intent_report.json").read_text())
    predictions = json.loads((out / "intent_errors.json").read_text()) if (out / "intent_errors.json").exists() else []
    successes = out / "intent_successes.json"
    if successes.exists():
        predictions = predictions + json.loads(successes.read_text())
    entity = _entity_report(out)
    entity_f1 = None
    if entity.exists():
        entity_report = json.loads(entity.read_text())
        entity_f1 = (entity_report.get("weighted avg") or {}).get("f1-score")
    return {
        "intent_accuracy": round(report["accuracy"], 4),
        "intent_macro_f1": round(report["macro avg"]["f1-score"], 4),
        "entity_weighted_f1": round(entity_f1, 4) if entity_f1 is not None else None,
        **kind_metrics(predictions),
        "assistant_with_rules": assistant_kind_metrics(predictions),
        "errors": confusion(predictions),
    }


def cross_validation(out: Path, folds: int = 5) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            RASA, "test", "nlu", "--nlu", "data/nlu", "--config", "config.yml", "--cross-validation",
            "--folds", str(folds), "--out", str(out), "--no-plot",
        ],
        cwd=ROOT, env=child_env(), check=True, capture_output=True, text=True,
    )
    report = json.loads((out / "intent_report.json").read_text())
    result = {"folds": folds, "intent_accuracy": round(report["accuracy"], 4), "intent_macro_f1": round(report["macro avg"]["f1-score"], 4)}
    entity = _entity_report(out)
    if entity.exists():
        result["entity_weighted_f1"] = round(json.loads(entity.read_text()).get("weighted avg", {}).get("f1-score", 0), 4)
    return result
