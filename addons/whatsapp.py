"""WhatsApp (Meta WhatsApp Cloud API) input and output channel: ``GET/POST /webhooks/whatsapp/webhook``.

Registered by module path in credentials.yml; every setting comes from the environment through recours.settings.
Without ``WHATSAPP_VERIFY_TOKEN``, ``WHATSAPP_APP_SECRET``, ``WHATSAPP_ACCESS_TOKEN`` and
``WHATSAPP_PHONE_NUMBER_ID`` the channel is disabled: the webhook answers 503 and the reason is logged once at
start, so ``make run`` works on its embedded defaults.

Why it is built this way:
- The signature (``X-Hub-Signature-256``, HMAC-SHA256 of the raw body with the app secret) is checked before the
  body is parsed, with a constant-time compare: an unsigned request never reaches the parser nor Rasa.
- Meta waits for a quick 200 and retries otherwise, for days. The webhook answers at once and runs the turn in an
  asyncio task; each message id is remembered (keyed hash, TTL) so a retried delivery makes no second turn. The set
  is in memory, per process: with several Rasa processes or replicas set ``REDIS_URL`` and it is shared in Redis.
- The member's number is personal data. Rasa's sender id is a keyed hash of it (the conversation is still one
  conversation per number), the number never reaches the tracker nor the logs, and it lives only in the output
  channel created for that one message, which is how replies reach the member. Meta's message ids ("wamid…")
  encode the number too, so they are neither logged nor passed to Rasa.
- WhatsApp renders neither Markdown nor HTML and limits interactive messages (3 reply buttons of 20 characters,
  10 list rows of 24, bodies of 1,024, texts of 4,096): :func:`render` turns a Rasa response into messages that
  fit, with each button's payload kept in its id so a tap comes back as that payload.
- Photos, voice notes, documents, locations... cannot be read here: they get a short French answer directly
  (no Rasa turn, so nothing about them lands in the tracker) saying how to send documents instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import json
import logging
import re
import time
import traceback
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons import runtime
from addons.graph_api import GraphAPIError, GraphClient, GraphConfig
from addons.turns import replies_suppressed, run_turn
from recours.crypto import FieldCipher, load_key
from recours.settings import Settings, get_settings

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
TEXT_LIMIT = 4096
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
SEEN_TTL_SECONDS = 8 * 24 * 3600  # Meta retries a failed delivery for up to 7 days
SEEN_MAX_ENTRIES = 200_000
MENU_TTL_SECONDS = 24 * 3600  # WhatsApp's customer-service window
MENU_MAX_ENTRIES = 20_000
SHUTDOWN_GRACE_SECONDS = 10.0

REQUIRED_SETTINGS = {
    "WHATSAPP_VERIFY_TOKEN": "whatsapp_verify_token",
    "WHATSAPP_APP_SECRET": "whatsapp_app_secret",
    "WHATSAPP_ACCESS_TOKEN": "whatsapp_access_token",
    "WHATSAPP_PHONE_NUMBER_ID": "whatsapp_phone_number_id",
}

UNSUPPORTED_TYPES = frozenset(
    {"image", "audio", "voice", "video", "document", "sticker", "location", "contacts", "unsupported", "order"}
)
SILENT_TYPES = frozenset({"reaction", "system", "request_welcome", "ephemeral"})


# --------------------------------------------------------------------------------------------------------------
# Webhook: signature, payload, sender id
# --------------------------------------------------------------------------------------------------------------


def signature_is_valid(app_secret: str, body: bytes, header: Optional[str]) -> bool:
    """``header`` is ``sha256=<hex HMAC-SHA256 of the raw body>``; compared in constant time."""
    if not header or not app_secret:
        return False
    expected = "sha256=" + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), header.strip().encode("utf-8", "replace"))


def sign(app_secret: str, body: bytes) -> str:
    """The header value Meta would send for ``body`` (tests and local tools)."""
    return "sha256=" + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


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


# --------------------------------------------------------------------------------------------------------------
# Deduplication and numbered menus (small in-memory state)
# --------------------------------------------------------------------------------------------------------------


class SeenMessages:
    """Message ids already handled, for ``ttl`` seconds, at most ``max_entries`` (oldest forgotten first).

    In memory and per process: enough for one Rasa process. Several replicas must share it: see RedisSeenMessages.
    """

    def __init__(self, ttl: float = SEEN_TTL_SECONDS, max_entries: int = SEEN_MAX_ENTRIES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_entries, self._clock = ttl, max_entries, clock
        self._seen: "OrderedDict[str, float]" = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    async def first_time(self, key: str) -> bool:
        """True the first time ``key`` is offered within the TTL (check-and-set with no await: atomic)."""
        now = self._clock()
        while self._seen:
            oldest, expires = next(iter(self._seen.items()))
            if expires > now and len(self._seen) < self.max_entries:
                break
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now + self.ttl
        return True

    async def close(self) -> None:
        return None


class RedisSeenMessages:
    """The same set in Redis (``SET key NX EX ttl``), shared by every Rasa process using ``REDIS_URL``.

    When Redis cannot be reached the in-memory set takes over (a duplicate turn is better than a lost message).
    """

    PREFIX = "recours:whatsapp:seen:"

    def __init__(self, url: str, ttl: int = SEEN_TTL_SECONDS, fallback: Optional[SeenMessages] = None) -> None:
        import redis.asyncio as redis_asyncio

        self.ttl = int(ttl)
        self._client = redis_asyncio.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self._fallback = fallback or SeenMessages(ttl=ttl)
        self._warned = False

    async def first_time(self, key: str) -> bool:
        from redis.exceptions import RedisError

        try:
            return bool(await self._client.set(self.PREFIX + key, b"1", nx=True, ex=self.ttl))
        except (RedisError, OSError, asyncio.TimeoutError) as exc:
            if not self._warned:
                logger.warning("Redis unreachable for WhatsApp deduplication (%s): using memory", type(exc).__name__)
                self._warned = True
            return await self._fallback.first_time(key)

    async def close(self) -> None:
        try:
            await self._client.close()
        except Exception:  # noqa: BLE001 - closing at shutdown must not fail the shutdown
            pass


class NumberedMenus:
    """The payloads of the last numbered menu sent to each conversation, so that "2" means the second choice.

    Used when a response has more than 10 buttons, or payloads too long for interactive ids. Keyed by the
    conversation's hashed sender id; forgotten after the member's next message or after a day.
    """

    def __init__(self, ttl: float = MENU_TTL_SECONDS, max_entries: int = MENU_MAX_ENTRIES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_entries, self._clock = ttl, max_entries, clock
        self._menus: "OrderedDict[str, tuple[float, List[str]]]" = OrderedDict()

    def remember(self, conversation: str, payloads: List[str]) -> None:
        self._menus.pop(conversation, None)
        self._menus[conversation] = (self._clock() + self.ttl, list(payloads))
        while len(self._menus) > self.max_entries:
            self._menus.popitem(last=False)

    def resolve(self, conversation: str, text: str) -> str:
        """The payload the member chose by number, else ``text``; the menu is used up either way."""
        entry = self._menus.pop(conversation, None)
        if entry is None or entry[0] < self._clock():
            return text
        match = re.fullmatch(r"\s*(\d{1,2})\s*[.)]?\s*", text)
        if match and 1 <= int(match.group(1)) <= len(entry[1]):
            return entry[1][int(match.group(1)) - 1]
        return text


# --------------------------------------------------------------------------------------------------------------
# Rendering Rasa responses for WhatsApp
# --------------------------------------------------------------------------------------------------------------

_BOLD, _ITALIC, _STRIKE = "\x01", "\x02", "\x03"  # placeholders while stray asterisks are neutralised

_HTML_LINK = re.compile(r"<a\b[^<>]*?href\s*=\s*[\"']([^\"']+)[\"'][^<>]*>(.*?)</a\s*>", re.I | re.S)
_HTML_BOLD = re.compile(r"<(b|strong)\b[^<>]*>(.*?)</\1\s*>", re.I | re.S)
_HTML_ITALIC = re.compile(r"<(i|em)\b[^<>]*>(.*?)</\1\s*>", re.I | re.S)
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)
_HTML_BLOCK = re.compile(r"</?(?:p|div|ul|ol|h[1-6])\b[^<>]*>", re.I)
_HTML_ITEM = re.compile(r"<li\b[^<>]*>", re.I)
# Known HTML tags only: a placeholder such as "<votre numéro>" in a text is not markup and stays.
_HTML_TAG = re.compile(
    r"</?(?:a|abbr|b|blockquote|br|code|div|em|h[1-6]|hr|i|img|li|ol|p|pre|s|small|span|strong|sub|sup|"
    r"table|tbody|td|th|thead|tr|u|ul)\b(?:\s[^<>]*)?/?>",
    re.I,
)
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:|tel:)[^)\s]+)\)")
_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_MD_BULLET = re.compile(r"^([ \t]*)[*+][ \t]+(?=\S)", re.M)
_MD_BOLD = re.compile(r"(\*\*|__)(?=[^\s*_])(.+?)(?<=[^\s*_])\1")
_MD_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_MD_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")


def whatsapp_markup(text: str) -> str:
    """``text`` with Markdown and HTML turned into WhatsApp's own markup (``*bold*``, ``_italic_``, ``~strike~``).

    Other asterisks become "∗" (U+2217): the masked identifiers the assistant shows ("2 84 ** ** *** *** 15",
    "j***@exemple.fr") would otherwise be taken for bold markers and garbled on the phone.
    """
    if not text:
        return ""
    text = _HTML_LINK.sub(lambda m: _link(m.group(2), m.group(1)), text)
    text = _HTML_BOLD.sub(lambda m: f"{_BOLD}{m.group(2).strip()}{_BOLD}", text)
    text = _HTML_ITALIC.sub(lambda m: f"{_ITALIC}{m.group(2).strip()}{_ITALIC}", text)
    text = _HTML_BREAK.sub("\n", text)
    text = _HTML_ITEM.sub("\n• ", text)
    text = _HTML_BLOCK.sub("\n\n", text)
    text = _HTML_TAG.sub("", text)
    text = html.unescape(text)
    text = _MD_LINK.sub(lambda m: _link(m.group(1), m.group(2)), text)
    text = _MD_HEADING.sub(lambda m: f"{_BOLD}{m.group(1)}{_BOLD}", text)
    text = _MD_BULLET.sub(lambda m: f"{m.group(1)}• ", text)
    text = _MD_BOLD.sub(lambda m: f"{_BOLD}{m.group(2)}{_BOLD}", text)
    text = _MD_STRIKE.sub(lambda m: f"{_STRIKE}{m.group(1)}{_STRIKE}", text)
    text = _MD_ITALIC.sub(lambda m: f"{_ITALIC}{m.group(1)}{_ITALIC}", text)
    text = text.replace("*", "\u2217")
    text = text.replace(_BOLD, "*").replace(_ITALIC, "_").replace(_STRIKE, "~")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _link(label: str, url: str) -> str:
    label = _HTML_TAG.sub("", label).strip()
    shown = url[len("mailto:"):] if url.startswith("mailto:") else url[len("tel:"):] if url.startswith("tel:") else url
    return shown if not label or label == shown else f"{label} ({shown})"


def plain_label(label: str) -> str:
    """A button title as plain text: no markup (titles render none), one line."""
    text = whatsapp_markup(str(label or "")).replace("\u2217", "*")
    text = re.sub(r"[*_~]", "", text)
    return " ".join(text.split())


# Boundaries where a long text may be cut, best first. Each: (pattern, cut before the match?).
_CUT_PATTERNS = (
    (re.compile(r"\n[ \t]*\n"), True),
    (re.compile(r"\n"), True),
    (re.compile(r"[.!?…](?:[»)\"'’]*)(?=\s)"), False),
    (re.compile(r"[;:,](?=\s)"), False),
    (re.compile(r"\s"), True),
)


def _first_cut(text: str, limit: int) -> int:
    """Where the first piece of ``text`` ends: the last good boundary within ``limit``, not too early."""
    floor = max(1, limit // 3)
    window = text[: limit + 1]
    for pattern, before in _CUT_PATTERNS:
        cuts = [m.start() if before else m.end() for m in pattern.finditer(window)]
        cuts = [c for c in cuts if floor <= c <= limit]
        if cuts:
            return cuts[-1]
    return limit


def split_text(text: str, limit: int = TEXT_LIMIT) -> List[str]:
    """Pieces of at most ``limit`` characters, cut at paragraphs, else lines, sentences, words."""
    pieces: List[str] = []
    text = text.strip()
    while len(text) > limit:
        cut = _first_cut(text, limit)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def split_tail(text: str, limit: int) -> tuple[str, str]:
    """``(head, tail)`` with ``tail`` the longest ending of ``text`` within ``limit`` that starts at a boundary.

    The tail (usually the question) becomes the body of the interactive message; the head goes before it as text.
    """
    text = text.strip()
    if len(text) <= limit:
        return "", text
    start = len(text) - limit
    for pattern, before in _CUT_PATTERNS:
        match = pattern.search(text, start)  # the earliest boundary in the window gives the longest tail
        if match:
            cut = match.start() if before else match.end()
            tail = text[cut:].strip()
            if tail:
                return text[:cut].rstrip(), tail
    return text[:start].rstrip(), text[start:].strip()


_ARTICLES = frozenset({"le", "la", "les", "un", "une", "des"})
_FILLER_WORDS = _ARTICLES | {"du", "de", "mon", "ma", "mes", "votre", "vos", "son", "sa", "ses"}
_TRAILING = " ,;:-–—'’(…"


def _cut_with_ellipsis(text: str, limit: int) -> str:
    room = limit - 1  # for the "…"
    # A clause boundary ("…, ou je ne sais pas", "… (Mutualité Française)") reads better than a dangling word.
    clauses = [m.start() for m in re.finditer(r",\s|\s[(–—-]\s?", text[: room + 1]) if m.start() >= limit // 2]
    if clauses:
        return text[: clauses[-1]].rstrip(_TRAILING) + "…"
    cut = text[:room]
    if text[room] != " ":
        space = cut.rfind(" ")
        if space >= (limit * 3) // 5:
            cut = cut[:space]
    return cut.rstrip(_TRAILING) + "…"


def _ellipsis(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` with "…", at a clause or word boundary unless that would lose too much."""
    if len(text) <= limit:
        return text
    result = _cut_with_ellipsis(text, limit)
    if result.count("(") > result.count(")"):  # "Mutuelle (Mutualité…" -> "Mutuelle (Mutualité…)"
        result = _cut_with_ellipsis(text, limit - 1)
        if result.count("(") > result.count(")"):
            result += ")"
    return result


def _without_leading_article(words: List[str]) -> List[str]:
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        return [words[1][:1].upper() + words[1][1:], *words[2:]]
    return words


def shorten_label(label: str, limit: int) -> str:
    """A French button title within ``limit`` characters, still readable.

    In order: drop trailing punctuation ("Qu'est-ce qu'une réclamation ?"), a leading article ("Une institution
    de prévoyance" -> "Institution de prévoyance"), the articles and possessives after the first word ("Faire une
    réclamation" -> "Faire réclamation"), then cut at a clause or word boundary with "…".
    """
    text = plain_label(label)
    if len(text) <= limit:
        return text
    text = text.rstrip(" ?!.:;")
    if len(text) <= limit:
        return text
    text = " ".join(_without_leading_article(text.split(" ")))
    if len(text) <= limit:
        return text
    compact = " ".join(_compact(text))
    return compact if len(compact) <= limit else _ellipsis(compact, limit)


def _compact(label: str) -> List[str]:
    """Words of a label without trailing punctuation, leading article, other articles and possessives."""
    words = _without_leading_article(plain_label(label).rstrip(" ?!.:;").split(" "))
    return words[:1] + [w for w in words[1:] if w.lower() not in _FILLER_WORDS]


def _head_and_end(label: str, limit: int) -> str:
    """First word, "…", and as many last words as fit: tells apart titles that share their beginning."""
    words = _compact(label)
    end: List[str] = []
    for word in reversed(words[1:]):
        if len(words[0]) + 2 + len(" ".join([word, *end])) > limit:
            break
        end.insert(0, word)
    if not end or len(end) == len(words) - 1:
        return _ellipsis(" ".join(words), limit)
    return f"{words[0]}… {' '.join(end)}"


def shorten_labels(labels: Iterable[str], limit: int) -> List[str]:
    """Shortened titles, unique within the message (WhatsApp refuses duplicate titles).

    Titles that shortening made equal keep their first and last words instead ("Contester… CPAM",
    "Contester… assureur"); a number tells apart whatever is still equal.
    """
    labels = list(labels)
    titles = [shorten_label(label, limit) or f"Choix {i + 1}" for i, label in enumerate(labels)]
    groups: Dict[str, List[int]] = {}
    for i, title in enumerate(titles):
        groups.setdefault(title.casefold(), []).append(i)
    for indices in groups.values():
        if len(indices) > 1:
            for i in indices:
                titles[i] = _head_and_end(labels[i], limit)
    for i in range(len(titles)):
        if titles[i].casefold() not in {titles[j].casefold() for j in range(i)}:
            continue
        others = {t.casefold() for j, t in enumerate(titles) if j != i}
        number = 2
        while True:
            suffix = f" ({number})"
            candidate = _ellipsis(shorten_label(labels[i], limit), limit - len(suffix)) + suffix
            if candidate.casefold() not in others:
                break
            number += 1
        titles[i] = candidate
    return titles


def _text_message(body: str) -> Dict[str, Any]:
    return {"type": "text", "text": {"body": body, "preview_url": False}}


def _text_messages(converted: str) -> List[Dict[str, Any]]:
    return [_text_message(piece) for piece in split_text(converted, TEXT_LIMIT)]


def render_text(text: str) -> List[Dict[str, Any]]:
    """Text messages for a Rasa text (Markdown/HTML converted once, split at 4,096 characters)."""
    return _text_messages(whatsapp_markup(text))


@dataclass
class Rendered:
    messages: List[Dict[str, Any]]
    menu: Optional[List[str]] = None  # payloads of a numbered menu ("2" -> second payload)


def _ids_fit(payloads: List[str], limit: int) -> bool:
    return len(set(payloads)) == len(payloads) and all(0 < len(p) <= limit for p in payloads)


def render(text: str, buttons: Optional[List[Dict[str, Any]]] = None) -> Rendered:
    """WhatsApp messages for one Rasa response (text and buttons), within WhatsApp's limits.

    ≤ 3 buttons: reply buttons; 4-10: a list; more, or payloads that cannot be ids: a numbered text menu.
    """
    text = whatsapp_markup(text or "")
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
        titles = shorten_labels([t for t, _ in choices], BUTTON_TITLE_LIMIT)
        interactive = {
            "type": "button",
            "body": {"text": body or DEFAULT_BODY_FR},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": payload, "title": title}}
                    for title, payload in zip(titles, payloads)
                ]
            },
        }
    elif len(choices) <= MAX_LIST_ROWS and _ids_fit(payloads, ROW_ID_LIMIT):
        head, body = split_tail(text, BODY_LIMIT)
        titles = shorten_labels([t for t, _ in choices], ROW_TITLE_LIMIT)
        rows = []
        for (full, payload), title in zip(choices, titles):
            row = {"id": payload, "title": title}
            if title != full and full:
                row["description"] = _ellipsis(full, ROW_DESCRIPTION_LIMIT)
            rows.append(row)
        interactive = {
            "type": "list",
            "body": {"text": body or DEFAULT_BODY_FR},
            "action": {"button": LIST_BUTTON_LABEL, "sections": [{"rows": rows}]},
        }
    else:
        menu = "\n".join(f"{i}. {title or payload}" for i, (title, payload) in enumerate(choices, 1))
        numbered = "\n\n".join(part for part in (text, menu, NUMBERED_HINT_FR) if part)
        return Rendered(_text_messages(numbered), menu=payloads)

    messages = _text_messages(head) if head else []
    messages.append({"type": "interactive", "interactive": interactive})
    return Rendered(messages)


def unsupported_reply_fr() -> str:
    """What the member reads after sending a photo, a voice note, a document, a location..."""
    from recours.organisations import current_organisation

    return (
        "Je ne peux lire ici que des messages écrits : photos, documents, messages vocaux, vidéos, positions et "
        "contacts ne me parviennent pas. Écrivez-moi votre demande en quelques mots.\n\n"
        f"Pour envoyer des pièces justificatives : {current_organisation().attachments_fr}"
    )


# --------------------------------------------------------------------------------------------------------------
# Rasa channels
# --------------------------------------------------------------------------------------------------------------


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
