"""What the assistant decides from a member's first message, measured on labelled sets (issue 11).

For each message: the trained model's intent (Rasa's own NLU, loaded in this process), then the routing the
assistant applies (recours.routing, the organisation as context), read as the contract slots it sets —
``request_kind`` (None when the assistant asks instead of concluding: counted wrong) and ``concerned_body``.
Metrics: complaint vs not (accuracy), macro-F1 over the six kinds, insurer vs CPAM (accuracy).

Sets:
- ``tests/nlu/sealed/sealed_set.yml``: written before any tuning from other sources than the training data
  (its README); never used to train or tune — run it once, at the end, and report it;
- ``tests/nlu/heldout.yml``: the former held-out set (it guided the training data: no longer a measure of
  generalisation), converted to kinds through the intent.

``python -m bench.decision [--model M] [--set sealed|heldout]`` prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

import yaml

from ops.launcher import ROOT
from recours.qualification import INTENT_KINDS, REQUEST_KINDS

SEALED = ROOT / "tests" / "nlu" / "sealed" / "sealed_set.yml"
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
# heldout.yml is intent-labelled: the kind (and, for the paths, the body) each intent implies
HELDOUT_KINDS = {**INTENT_KINDS, "ask_cpam_appeal": None, "ask_mediation": None, "file_complaint": "complaint"}


def load_sealed(path: Path = SEALED) -> list[dict]:
    return [m for m in yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]]


def load_heldout(path: Path = HELDOUT) -> list[dict]:
    import re

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = []
    for block in data["nlu"]:
        kind = HELDOUT_KINDS.get(block.get("intent", ""))
        if kind is None:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                items.append({"text": re.sub(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})", r"\1", line[2:]), "kind": kind})
    return items


def _f1(tp: int, fp: int, fn: int) -> float:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def metrics(items: list[dict], decided: list[dict]) -> dict:
    pairs = [(i["kind"], d["request_kind"]) for i, d in zip(items, decided)]
    binary = sum((g == "complaint") == (p == "complaint") for g, p in pairs) / len(pairs)
    f1 = {
        kind: round(_f1(sum(g == kind and p == kind for g, p in pairs), sum(g != kind and p == kind for g, p in pairs),
                        sum(g == kind and p != kind for g, p in pairs)), 3)
        for kind in REQUEST_KINDS
    }
    result = {
        "messages": len(pairs),
        "complaint_vs_not_accuracy": round(binary, 4),
        "six_kinds_macro_f1": round(sum(f1.values()) / len(f1), 4),
        "f1_by_kind": f1,
        "undecided": sum(p is None for _, p in pairs),
    }
    bodies = [(i["body"], d["concerned_body"]) for i, d in zip(items, decided) if i.get("body")]
    if bodies:
        result["insurer_vs_cpam_accuracy"] = round(sum(g == p for g, p in bodies) / len(bodies), 4)
    errors: dict[str, int] = {}
    for g, p in pairs:
        if g != p:
            errors[f"{g}->{p}"] = errors.get(f"{g}->{p}", 0) + 1
    result["errors"] = dict(sorted(errors.items(), key=lambda kv: -kv[1]))
    return result


async def decide(model: Path, texts: list[str]) -> list[dict]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Rasa's debug log would print every message: the sealed set must not be read from the bench's output
    logging.getLogger().setLevel(logging.WARNING)
    configure_structlog(logging.WARNING)

    from recours.routing import route_request

    agent = Agent.load(str(model))
    decided = []
    for text in texts:
        parsed = await agent.parse_message(text)
        intent = parsed.get("intent") or {}
        name, confidence = intent.get("name"), intent.get("confidence")
        if name == "nlu_fallback":
            ranking = [r for r in parsed.get("intent_ranking") or [] if r["name"] != "nlu_fallback"]
            name, confidence = (ranking[0]["name"], ranking[0]["confidence"]) if ranking else (None, None)
        route = route_request(name, text, confidence)
        kind = None if route.next in ("clarify", "rephrase") else route.request_kind
        decided.append({"intent": name, "route": route.next, "request_kind": kind,
                        "concerned_body": route.concerned_body})
    return decided


def evaluate(model: Path, which: str) -> dict:
    items = load_sealed() if which == "sealed" else load_heldout()
    decided = asyncio.run(decide(model, [i["text"] for i in items]))
    return metrics(items, decided)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="model archive (default: the newest in models/)")
    parser.add_argument("--set", choices=("sealed", "heldout"), default="heldout")
    args = parser.parse_args()
    model = args.model or max((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    print(json.dumps(evaluate(model, args.set), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
