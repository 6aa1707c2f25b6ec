"""The REST channel (``POST /webhooks/rest/webhook``), strict about its input and never silent.

Same contract as Rasa's ``rest`` channel — ``{"sender": "...", "message": "..."}`` in, a list of
``{"text": ..., "buttons": [...]}`` out — with three differences:

- A request that is not that object (invalid JSON or UTF-8, another content, a missing or non-text sender or
  message) gets ``400`` with a short JSON error instead of a 500 or of a turn for a conversation named "default".
- Each turn runs through addons/turns.py: a failing action server, tracker store or lock store gives the member a
  French message instead of ``[]``, and too long messages are refused with an explanation.
- ``input_channel`` is always ``rest`` (the body cannot choose it: the complaint store records it) and
  ``metadata`` is kept only when it is a small JSON object. Rasa's streaming mode (``?stream=true``) is not
  offered.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons import runtime
from addons.turns import run_turn
from recours.messages import message_fr

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
MAX_METADATA_BYTES = 4096


def _error(code: str, message: str) -> HTTPResponse:
    return response.json({"error": code, "message": message}, status=400)


def parse_body(body: bytes) -> tuple[Optional[Dict[str, Any]], Optional[HTTPResponse]]:
    """The request's object, or the 400 answer to give."""
    try:
        data = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):  # UnicodeDecodeError is a ValueError; explicit for the reader
        return None, _error("invalid_json", message_fr("rest.not_an_object"))
    if not isinstance(data, dict):
        return None, _error("invalid_body", message_fr("rest.not_an_object"))
    sender = data.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS or not sender.isprintable():
        return None, _error("invalid_sender", message_fr("rest.sender", limit=MAX_SENDER_CHARS))
    if not isinstance(data.get("message"), str):
        return None, _error("invalid_message", message_fr("rest.message"))
    return data, None


def _metadata(data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    metadata = data.get("metadata")
    if metadata is None:
        return None
    if not isinstance(metadata, dict) or len(json.dumps(metadata, default=str)) > MAX_METADATA_BYTES:
        logger.info("REST metadata ignored (not a small JSON object)")
        return None
    return metadata


class RestInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("recours_rest_webhook", __name__)
        runtime.prepare(webhook)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            data, refusal = parse_body(request.body)
            if refusal is not None:
                return refusal
            assert data is not None
            collector = CollectingOutputChannel()
            message = UserMessage(
                data["message"], collector, data["sender"], input_channel=self.name(), metadata=_metadata(data)
            )
            await run_turn(on_new_message, message)
            return response.json(collector.messages)

        return webhook
