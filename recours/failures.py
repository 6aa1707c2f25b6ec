"""What a failure may say in a log or an HTTP answer: where it happened, never the data it happened on.

An exception's message often quotes the value that broke it (« Invalid isoformat string: 'Germaine…' »,
``KeyError('élément')``), and rasa-sdk's own error handler answers 500 with the whole request body — the tracker,
with the member's name, the complaint's description — which the Rasa server then writes to its log. The action
server answers with :func:`public_error` instead and logs :func:`located`: the exception's type and the frames of
its traceback (file, line, function), for each exception of the chain, without any message.
"""

from __future__ import annotations

import traceback
from pathlib import Path


def located(exc: BaseException) -> str:
    """« ValueError at actions/complaint.py:90 in run ← … », without the exception's message."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)
        where = " ← ".join(f"{_short(f.filename)}:{f.lineno} in {f.name}" for f in reversed(frames[-6:]))
        parts.append(f"{type(current).__name__}" + (f" at {where}" if where else ""))
        current = current.__cause__ or current.__context__
    return " | caused by ".join(parts)


def public_error(exc: BaseException) -> dict[str, str]:
    """The body of a 500 answer: the type of the failure only."""
    return {"error": type(exc).__name__}


def _short(filename: str) -> str:
    path = Path(filename)
    for anchor in ("site-packages", "main", "actions", "recours", "addons"):
        if anchor in path.parts[:-1]:
            index = len(path.parts) - 1 - path.parts[::-1].index(anchor)
            rest = path.parts[index + 1:] if anchor in ("site-packages", "main") else path.parts[index:]
            return "/".join(rest)
    return path.name
