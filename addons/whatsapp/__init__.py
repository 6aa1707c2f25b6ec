"""WhatsApp (Meta WhatsApp Cloud API) input and output channel, registered as ``addons.whatsapp.WhatsAppInput``.

    webhook.py        signature check, the member messages of a delivery, the hashed sender id
    deduplication.py  message ids already handled (memory, or Redis with REDIS_URL): a retried delivery, one turn
    menus.py          numbered menus: what "2" means after a response with too many choices for buttons
    text.py           texts as WhatsApp shows them (literal asterisks) and cutting long ones
    labels.py         button and row titles shortened to WhatsApp's limits, unique
    rendering.py      a Rasa response as WhatsApp messages (text, reply buttons, list, numbered menu)
    channel.py        the Rasa input and output channels (the Graph API client is addons/graph_api.py)
"""

from addons.whatsapp.channel import REQUIRED_SETTINGS, WhatsAppInput, WhatsAppOutput, unsupported_reply_fr
from addons.whatsapp.deduplication import RedisSeenMessages, SeenMessages
from addons.whatsapp.labels import plain_label, shorten_label, shorten_labels
from addons.whatsapp.menus import NumberedMenus
from addons.whatsapp.rendering import Rendered, render, render_text
from addons.whatsapp.text import split_tail, split_text, whatsapp_text
from addons.whatsapp.webhook import (
    SIGNATURE_HEADER,
    Inbound,
    failed_status_codes,
    inbound_messages,
    sender_id_for,
    sign,
    signature_is_valid,
)

__all__ = [
    "REQUIRED_SETTINGS",
    "SIGNATURE_HEADER",
    "Inbound",
    "NumberedMenus",
    "RedisSeenMessages",
    "Rendered",
    "SeenMessages",
    "WhatsAppInput",
    "WhatsAppOutput",
    "failed_status_codes",
    "inbound_messages",
    "plain_label",
    "render",
    "render_text",
    "sender_id_for",
    "shorten_label",
    "shorten_labels",
    "sign",
    "signature_is_valid",
    "split_tail",
    "split_text",
    "unsupported_reply_fr",
    "whatsapp_text",
]
