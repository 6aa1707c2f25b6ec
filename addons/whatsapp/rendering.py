"""Rasa responses turned into WhatsApp Cloud API messages that fit WhatsApp's limits.

3 reply buttons of 20 characters, 10 list rows of 24, interactive bodies of 1,024, texts of 4,096: a response
with ≤ 3 buttons becomes reply buttons, 4-10 a list, more (or payloads too long for ids) a numbered text menu
(addons/whatsapp/menus.py). Each button's payload is kept in its id, so a tap comes back as that payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from addons.whatsapp.labels import ellipsis, plain_label, shorten_labels
from addons.whatsapp.text import TEXT_LIMIT, split_tail, split_text, whatsapp_text

BODY_LIMIT = 1024
MAX_REPLY_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20
BUTTON_ID_LIMIT = 256
MAX_LIST_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_ID_LIMIT = 200
ROW_DESCRIPTION_LIMIT = 72
LIST_BUTTON_LABEL = "Choisir"
DEFAULT_BODY_FR = "Choisissez une réponse :"
NUMBERED_HINT_FR = "Répondez par le numéro de votre choix."


@dataclass
class Rendered:
    messages: List[Dict[str, Any]]
    menu: Optional[List[str]] = None  # payloads of a numbered menu ("2" -> second payload)


def _text_messages(text: str) -> List[Dict[str, Any]]:
    return [{"type": "text", "text": {"body": piece, "preview_url": False}} for piece in split_text(text, TEXT_LIMIT)]


def render_text(text: str) -> List[Dict[str, Any]]:
    """Text messages for a Rasa text (asterisks kept literal, split at 4,096 characters)."""
    return _text_messages(whatsapp_text(text))


def _link(label: str, url: str) -> str:
    """A link button written in the text: "label (address)", the address without ``mailto:`` or ``tel:``."""
    label = label.strip()
    shown = url.removeprefix("mailto:") if url.startswith("mailto:") else url.removeprefix("tel:")
    return shown if not label or label == shown else f"{label} ({shown})"


def _ids_fit(payloads: List[str], limit: int) -> bool:
    return len(set(payloads)) == len(payloads) and all(0 < len(p) <= limit for p in payloads)


def _reply_buttons(choices: List[tuple[str, str]], body: str) -> Dict[str, Any]:
    titles = shorten_labels([t for t, _ in choices], BUTTON_TITLE_LIMIT)
    return {
        "type": "button",
        "body": {"text": body or DEFAULT_BODY_FR},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": payload, "title": title}}
                for title, (_, payload) in zip(titles, choices)
            ]
        },
    }


def _list(choices: List[tuple[str, str]], body: str) -> Dict[str, Any]:
    titles = shorten_labels([t for t, _ in choices], ROW_TITLE_LIMIT)
    rows = []
    for (full, payload), title in zip(choices, titles):
        row = {"id": payload, "title": title}
        if title != full and full:
            row["description"] = ellipsis(full, ROW_DESCRIPTION_LIMIT)
        rows.append(row)
    return {
        "type": "list",
        "body": {"text": body or DEFAULT_BODY_FR},
        "action": {"button": LIST_BUTTON_LABEL, "sections": [{"rows": rows}]},
    }


def render(text: str, buttons: Optional[List[Dict[str, Any]]] = None) -> Rendered:
    """WhatsApp messages for one Rasa response (text and buttons), within WhatsApp's limits.

    ≤ 3 buttons: reply buttons; 4-10: a list; more, or payloads that cannot be ids: a numbered text menu.
    """
    text = whatsapp_text(text or "")
    choices: List[tuple[str, str]] = []
    links: List[str] = []
    for button in buttons or []:
        title = plain_label(button.get("title") or "")
        payload = button.get("payload")
        if payload is None and button.get("url"):
            links.append(_link(title, str(button["url"])))
        else:
            choices.append((title, str(payload if payload is not None else title)))
    if links:
        text = "\n".join([text, *links]).strip()
    if not choices:
        return Rendered(_text_messages(text))

    payloads = [payload for _, payload in choices]
    if len(choices) <= MAX_REPLY_BUTTONS and _ids_fit(payloads, BUTTON_ID_LIMIT):
        head, body = split_tail(text, BODY_LIMIT)
        interactive = _reply_buttons(choices, body)
    elif len(choices) <= MAX_LIST_ROWS and _ids_fit(payloads, ROW_ID_LIMIT):
        head, body = split_tail(text, BODY_LIMIT)
        interactive = _list(choices, body)
    else:
        menu = "\n".join(f"{i}. {title or payload}" for i, (title, payload) in enumerate(choices, 1))
        numbered = "\n\n".join(part for part in (text, menu, NUMBERED_HINT_FR) if part)
        return Rendered(_text_messages(numbered), menu=payloads)

    messages = _text_messages(head) if head else []
    messages.append({"type": "interactive", "interactive": interactive})
    return Rendered(messages)

