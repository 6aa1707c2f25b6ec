"""What a WhatsApp webhook delivery holds: its signature, the member messages in it, the sender id they get.

Pure functions, no Rasa. The signature (``X-Hub-Signature-256``, HMAC-SHA256 of the raw body with the app secret)
is checked before the body is parsed, with a constant-time compare. The member's number is personal data: Rasa's
sender id is a keyed hash of it, and :class:`Inbound`'s ``repr`` hides the number, Meta's message id (which
encodes the number too) and the text.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from recours.crypto import FieldCipher

SIGNATURE_HEADER = "X-Hub-Signature-256"

UNSUPPORTED_TYPES = frozenset(
    {"image", "audio", "voice", "video", "document", "sticker", "location", "contacts", "unsupported", "order"}
)
SILENT_TYPES = frozenset({"reaction", "system", "request_welcome", "ephemeral"})


def sign(app_secret: str, body: bytes) -> str:
    """The header value Meta would send for ``body`` (tests and local tools)."""
    return "sha256=" + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_is_valid(app_secret: str, body: bytes, header: Optional[str]) -> bool:
    """``header`` is ``sha256=<hex HMAC-SHA256 of the raw body>``; compared in constant time."""
    if not header or not app_secret:
        return False
    return hmac.compare_digest(sign(app_secret, body).encode("ascii"), header.strip().encode("utf-8", "replace"))


@dataclass(frozen=True)
class Inbound:
    """One member message from a webhook delivery. ``repr`` hides the number, the id and the text."""

    wa_id: str = field(repr=False)
    message_id: str = field(repr=False)
    kind: str  # "text" (typed, or the payload of a tapped button) or "unsupported" (media, location...)
    text: Optional[str] = field(default=None, repr=False)


def _message_text(message: Dict[str, Any]) -> tuple[str, Optional[str]]:
    kind = message.get("type")
    if kind == "text":
        return "text", ((message.get("text") or {}).get("body") or "").strip() or None
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get(interactive.get("type") or "") or {}
        if interactive.get("type") in ("button_reply", "list_reply"):
            return "text", (reply.get("id") or reply.get("title") or "").strip() or None
        return "unsupported", None
    if kind == "button":  # quick-reply button of a template message
        button = message.get("button") or {}
        return "text", (button.get("payload") or button.get("text") or "").strip() or None
    if kind in SILENT_TYPES:
        return "ignored", None
    if kind in UNSUPPORTED_TYPES:
        return "unsupported", None
    return "unsupported", None  # a type Meta adds later: same answer, it is not text either


def inbound_messages(payload: Any, phone_number_id: Optional[str] = None) -> List[Inbound]:
    """The member messages of a webhook payload (Meta's ``whatsapp_business_account`` format).

    ``statuses`` (sent / delivered / read / failed callbacks) are not messages and are left out, as are changes
    addressed to another phone number of the same WhatsApp Business Account.
    """
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return []
    found: List[Inbound] = []
    for entry in payload.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            if not isinstance(change, dict) or change.get("field") != "messages":
                continue
            value = change.get("value") or {}
            target = (value.get("metadata") or {}).get("phone_number_id")
            if phone_number_id and target and str(target) != phone_number_id:
                continue
            for message in value.get("messages") or []:
                if not isinstance(message, dict) or not message.get("from") or not message.get("id"):
                    continue
                kind, text = _message_text(message)
                if kind == "ignored" or (kind == "text" and not text):
                    continue
                found.append(Inbound(str(message["from"]), str(message["id"]), kind, text))
    return found


def failed_status_codes(payload: Any) -> List[int]:
    """Meta's error codes of ``failed`` delivery statuses (e.g. 131047: outside the 24-hour window)."""
    codes: List[int] = []
    if not isinstance(payload, dict):
        return codes
    for entry in payload.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            for status in ((change or {}).get("value") or {}).get("statuses") or []:
                if isinstance(status, dict) and status.get("status") == "failed":
                    codes += [e.get("code") for e in status.get("errors") or [] if isinstance(e, dict)]
    return codes


def sender_id_for(cipher: FieldCipher, wa_id: str) -> str:
    """Rasa's sender id for a WhatsApp number: a keyed hash, stable per number, that does not reveal it."""
    digits = re.sub(r"\D", "", wa_id)
    return "wa-" + cipher.keyed_hash("whatsapp:" + digits)[:32]
