"""The WhatsApp Rasa channels: ``GET/POST /webhooks/whatsapp/webhook`` in, Graph API messages out.

Registered by module path in credentials.yml (``addons.whatsapp.WhatsAppInput``, re-exported by the package);
every setting comes from the environment through recours.settings. Without ``WHATSAPP_VERIFY_TOKEN``,
``WHATSAPP_APP_SECRET``, ``WHATSAPP_ACCESS_TOKEN`` and ``WHATSAPP_PHONE_NUMBER_ID`` the channel is disabled: the
webhook answers 503 and the reason is logged once at start, so ``make run`` works on its embedded defaults.

The webhook answers Meta at once and runs the turn in an asyncio task, after the same member's earlier messages.
The member's number lives only in the output channel created for that one message, which is how replies reach
the member; it never reaches the tracker nor the logs. Photos, voice notes, documents, locations... cannot be
read here: they get a short French answer directly (no Rasa turn, so nothing about them lands in the tracker).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import traceback
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons import runtime
from addons.graph_api import GraphAPIError, GraphClient, GraphConfig
from addons.turns import replies_suppressed, run_turn
from addons.whatsapp.deduplication import RedisSeenMessages, SeenMessages
from addons.whatsapp.menus import NumberedMenus
from addons.whatsapp.rendering import render, render_text
from addons.whatsapp.webhook import (
    SIGNATURE_HEADER,
    Inbound,
    failed_status_codes,
    inbound_messages,
    sender_id_for,
    signature_is_valid,
)
from recours.crypto import FieldCipher, load_key
from recours.settings import Settings, get_settings

logger = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 10.0

REQUIRED_SETTINGS = {
    "WHATSAPP_VERIFY_TOKEN": "whatsapp_verify_token",
    "WHATSAPP_APP_SECRET": "whatsapp_app_secret",
    "WHATSAPP_ACCESS_TOKEN": "whatsapp_access_token",
    "WHATSAPP_PHONE_NUMBER_ID": "whatsapp_phone_number_id",
}


def unsupported_reply_fr() -> str:
    """What the member reads after sending a photo, a voice note, a document, a location..."""
    from recours.organisations import current_organisation

    return (
        "Je ne peux lire ici que des messages écrits : photos, documents, messages vocaux, vidéos, positions et "
        "contacts ne me parviennent pas. Écrivez-moi votre demande en quelques mots.\n\n"
        f"Pour envoyer des pièces justificatives : {current_organisation().attachments_fr}"
    )


class WhatsAppOutput(OutputChannel):
    """Sends one turn's responses to one member. Created per incoming message: it alone holds the number.

    A message that cannot be sent after the Graph client's retries is logged and the rest of the turn is not
    sent, but the turn itself completes: raising here would make Rasa drop the tracker update of a turn whose
    actions (a recorded complaint) already ran.
    """

    @classmethod
    def name(cls) -> Text:
        return "whatsapp"

    def __init__(self, client: GraphClient, to: str, conversation: str, menus: NumberedMenus) -> None:
        self._client = client
        self._to = to
        self._conversation = conversation
        self._menus = menus
        self._failed = False

    def __repr__(self) -> str:
        return f"WhatsAppOutput({self._conversation})"

    async def _send(self, messages: List[Dict[str, Any]]) -> None:
        if replies_suppressed():  # the turn ran on a conversation that could not be read (addons/turns.py)
            return
        for message in messages:
            if self._failed:
                logger.warning("WhatsApp message of %s not sent: an earlier one failed", self._conversation)
                continue
            try:
                await self._client.send(self._to, message)
            except GraphAPIError as exc:
                self._failed = True
                logger.error("WhatsApp message to %s could not be sent (status=%s, code=%s, fbtrace_id=%s)",
                             self._conversation, exc.status, exc.code, exc.trace_id)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send(render_text(text))

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        rendered = render(text, buttons)
        if rendered.menu:
            self._menus.remember(self._conversation, rendered.menu)
        await self._send(rendered.messages)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        if str(image).startswith(("https://", "http://")):
            await self._send([{"type": "image", "image": {"link": str(image)}}])

    async def send_attachment(self, recipient_id: Text, attachment: Any, **kwargs: Any) -> None:
        if isinstance(attachment, str) and attachment.strip():
            await self.send_text_message(recipient_id, attachment)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        """A response's ``custom: {whatsapp: {type: ..., ...}}`` is sent as is; other custom JSON is not for us."""
        message = json_message.get("whatsapp") if isinstance(json_message, dict) else None
        if isinstance(message, dict) and message.get("type"):
            await self._send([message])
        else:
            logger.debug("Custom JSON without a 'whatsapp' message: not sent on WhatsApp")


class WhatsAppInput(InputChannel):
    """``GET /webhooks/whatsapp/webhook`` (subscription handshake) and ``POST`` (signed deliveries)."""

    @classmethod
    def name(cls) -> Text:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if credentials:
            logger.warning("WhatsApp settings in credentials.yml are ignored: they come from WHATSAPP_* variables")
        return cls(get_settings())

    def __init__(
        self,
        settings: Settings,
        *,
        graph_config: Optional[GraphConfig] = None,
        seen: Optional[SeenMessages | RedisSeenMessages] = None,
    ) -> None:
        self._missing = [name for name, attr in REQUIRED_SETTINGS.items() if not getattr(settings, attr)]
        self.enabled = not self._missing
        self._verify_token = settings.whatsapp_verify_token or ""
        self._app_secret = settings.whatsapp_app_secret or ""
        self._phone_number_id = settings.whatsapp_phone_number_id
        self._menus = NumberedMenus()
        self._tasks: set[asyncio.Task] = set()
        self._tails: Dict[str, asyncio.Task] = {}
        self._logged_disabled = False
        self.graph: Optional[GraphClient] = None
        self._cipher: Optional[FieldCipher] = None
        self._seen: Optional[SeenMessages | RedisSeenMessages] = None
        if not self.enabled:
            return
        # A configured channel needs the encryption key for sender ids: without one, refuse to start (MissingKey).
        self._cipher = FieldCipher(load_key(settings))
        self.graph = GraphClient(graph_config or GraphConfig.from_settings(settings))
        if seen is not None:
            self._seen = seen
        elif settings.redis_url:
            self._seen = RedisSeenMessages(settings.redis_url)
        else:
            self._seen = SeenMessages()

    def __repr__(self) -> str:
        return f"WhatsAppInput(enabled={self.enabled})"

    def sender_id(self, wa_id: str) -> str:
        assert self._cipher is not None
        return sender_id_for(self._cipher, wa_id)

    def _log_disabled_once(self) -> None:
        if self._logged_disabled:
            return
        self._logged_disabled = True
        if len(self._missing) == len(REQUIRED_SETTINGS):
            logger.warning("WhatsApp channel not configured (no WHATSAPP_* variables): its webhook answers 503.")
        else:
            logger.error("WhatsApp channel disabled, missing %s: its webhook answers 503.", ", ".join(self._missing))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        whatsapp = Blueprint("whatsapp_webhook", __name__)
        runtime.prepare(whatsapp)
        if not self.enabled:
            self._log_disabled_once()

        @whatsapp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.enabled else "not configured"})

        @whatsapp.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.json({"error": "WhatsApp channel not configured"}, status=503)
            mode = request.args.get("hub.mode")
            token = request.args.get("hub.verify_token") or ""
            challenge = request.args.get("hub.challenge") or ""
            if mode == "subscribe" and hmac.compare_digest(
                token.encode("utf-8", "replace"), self._verify_token.encode("utf-8")
            ) and challenge:
                logger.info("WhatsApp webhook subscription verified")
                return response.text(challenge[:256])
            logger.warning("WhatsApp webhook verification refused")
            return response.text("forbidden", status=403)

        @whatsapp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.json({"error": "WhatsApp channel not configured"}, status=503)
            body = request.body or b""
            if not signature_is_valid(self._app_secret, body, request.headers.get(SIGNATURE_HEADER)):
                logger.warning("WhatsApp webhook refused: missing or bad signature")
                return response.text("forbidden", status=403)
            try:
                payload = json.loads(body)
            except ValueError:
                return response.text("bad request", status=400)
            codes = failed_status_codes(payload)
            if codes:
                logger.warning("WhatsApp reports undelivered messages (error codes %s)", codes)
            messages = inbound_messages(payload, self._phone_number_id)
            for message in messages:
                self._schedule(message, on_new_message)
            return response.json({"status": "received"})

        @whatsapp.listener("before_server_stop")
        async def drain(app: Any, loop: Any) -> None:
            await self.close()

        return whatsapp

    def _schedule(self, message: Inbound, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Run the message's turn in a task, after the same member's earlier messages (arrival order)."""
        conversation = self.sender_id(message.wa_id)
        previous = self._tails.get(conversation)
        task = asyncio.create_task(self._handle(message, conversation, previous, on_new_message))
        self._tasks.add(task)
        self._tails[conversation] = task

        def _done(finished: asyncio.Task) -> None:
            self._tasks.discard(finished)
            if self._tails.get(conversation) is finished:
                del self._tails[conversation]

        task.add_done_callback(_done)

    async def _handle(self, message: Inbound, conversation: str, previous: Optional[asyncio.Task],
                      on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        assert self._seen is not None and self._cipher is not None and self.graph is not None
        try:
            if not await self._seen.first_time(self._cipher.keyed_hash("whatsapp-message:" + message.message_id)):
                logger.info("WhatsApp delivery of %s ignored: already handled", conversation)
                return
            if previous is not None:
                await asyncio.wait([previous])
            output = WhatsAppOutput(self.graph, message.wa_id, conversation, self._menus)
            if message.kind == "unsupported":
                self._menus.resolve(conversation, "")
                await output.send_text_message(conversation, unsupported_reply_fr())
                return
            text = self._menus.resolve(conversation, message.text or "")
            # A failing component gets the member a French message (addons/turns.py), never silence.
            await run_turn(on_new_message, UserMessage(text, output, conversation, input_channel=self.name()))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a failed turn must be logged, never crash the server
            # The exception's message may quote what the member wrote: log its type and where it happened only.
            logger.error("WhatsApp turn of %s failed: %s\n%s", conversation, type(exc).__name__,
                         "".join(traceback.format_tb(exc.__traceback__)).rstrip())

    async def close(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Let pending turns finish (a little while), then release the HTTP and Redis connections."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=grace)
        if self.graph is not None:
            await self.graph.close()
        if self._seen is not None:
            await self._seen.close()
