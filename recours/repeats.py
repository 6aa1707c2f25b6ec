"""The same paragraph twice in a conversation (issue 11, rounds 9 and 10: « vous me répétez la même chose »).

A long informational answer (where to send documents, the CPAM path, the mediator's paragraph) sent again word
for word means the member asked something the assistant read as the same question: repeating it does not help,
and three times is a loop. The second time, the member gets a short reminder instead — the paragraph's first
sentence, where to find the rest, and how to get another answer (rephrase, or a person). Questions (ending with
« ? ») and short messages are never shortened: a question asked again must stay answerable. No Rasa import:
actions/server.py applies it to every action's replies, before Rasa records them, so the conversation's record is
what the member read.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from recours.messages import message_fr

# Shorter texts are repeated as they are (a confirmation, a short answer).
MIN_CHARS = 160
_FIRST_SENTENCE = re.compile(r"^(.{20,180}?[.!:])(?:\s|$)", re.S)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def said_before(events: Iterable[dict[str, Any]]) -> set[str]:
    """The bot texts of the conversation so far (since its latest session start), whitespace-normalised."""
    said: set[str] = set()
    for event in events:
        kind = event.get("event")
        if kind == "session_started":
            said.clear()
        elif kind == "bot" and event.get("text"):
            said.add(_norm(event["text"]))
    return said


def shorten_repeats(responses: list[dict[str, Any]], events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``responses`` with each long informational text already said in the conversation replaced by a reminder."""
    said = said_before(events)
    if not said:
        return responses
    changed = []
    for response in responses:
        text = response.get("text")
        if isinstance(text, str) and len(text) >= MIN_CHARS and not text.rstrip().endswith("?") and \
                _norm(text) in said:
            first = _FIRST_SENTENCE.match(_norm(text))
            start = first.group(1) if first else _norm(text)[:120].rsplit(" ", 1)[0] + "…"
            response = {**response, "text": message_fr("repeats.reminder", start=start)}
        changed.append(response)
    return changed
