"""Talking to a running assistant over its real HTTP interfaces (REST channel, HTTP API), and the member of the
complaint conversations (a synthetic, key-valid NIR: tests/nirs.py)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests

from ops.launcher import Assistant
from tests.nirs import make_nir

REFERENCE_RE = re.compile(r"REC-\d{4}-[A-Z0-9]{6}")
GRIEVANCE = (
    "Bonjour, ma mutuelle refuse de me rembourser mes lunettes alors que mon contrat les couvre, "
    "j'ai envoyé les factures deux fois et personne ne me répond, c'est inadmissible."
)
NIR = make_nir(sex=2, year=84, month=7, department="2A", commune="004", order="312")
EMAIL = "marie.martin@exemple.fr"


@dataclass
class Conversation:
    assistant: Assistant
    sender: str = field(default_factory=lambda: f"e2e-{uuid.uuid4().hex[:12]}")
    transcript: list[tuple[str, list[dict]]] = field(default_factory=list)

    def say(self, message: str) -> list[dict[str, Any]]:
        response = requests.post(
            f"{self.assistant.rasa_url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": message},
            timeout=60,
        )
        response.raise_for_status()
        replies = response.json()
        self.transcript.append((message, replies))
        return replies

    def say_text(self, message: str) -> str:
        """All reply texts of one turn, joined: what the member reads."""
        return "\n".join(r.get("text", "") for r in self.say(message))

    def tracker(self) -> dict[str, Any]:
        response = requests.get(
            f"{self.assistant.rasa_url}/conversations/{self.sender}/tracker",
            params={"token": self.assistant.token},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def slots(self) -> dict[str, Any]:
        return self.tracker()["slots"]

    def dump(self) -> str:
        lines = []
        for message, replies in self.transcript:
            lines.append(f"> {message}")
            for reply in replies:
                lines.append(f"< {reply.get('text', '')}")
                for button in reply.get("buttons") or []:
                    lines.append(f"  [{button.get('title')}] -> {button.get('payload')}")
        return "\n".join(lines)


def buttons(replies: list[dict[str, Any]]) -> list[str]:
    return [b.get("title", "") for r in replies for b in (r.get("buttons") or [])]
