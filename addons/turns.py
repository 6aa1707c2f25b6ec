"""No silent turn: when a component fails during a member's turn, the member is told, in French, what to do.

Rasa 3.6 hides failures from the member: ``MessageProcessor._run_action`` catches any exception of an action
("Bot will continue, but the actions events are lost"), so a stopped or failing action server leaves the member
with nothing (the REST webhook answers ``200 []``); ``FailSafeTrackerStore`` swallows tracker-store errors and
falls back to memory; an exception of the lock store (Redis down) escapes ``Agent.handle_message`` and the REST
channel logs it — with the member's text — and answers ``[]``.

The hook used here, the cleanest Rasa 3.6 offers without forking its processor:

- Every input channel of this project (addons/rest.py, addons/socketio.py, addons/whatsapp/channel.py) runs each turn
  through :func:`run_turn`, which wraps the ``on_new_message`` callback Rasa hands to channels. It opens a
  :class:`Turn` in a context variable (asyncio carries it through everything the turn awaits: lock, processor,
  actions, tracker store), catches what escapes the processor, and, if anything failed, sends
  :func:`failure_message_fr` through the turn's own output channel. It also refuses oversized messages and cleans
  control characters and invalid code points before Rasa sees the text.
- Failures inside the processor are reported to the current turn by the two places that see them:
  ``RemoteAction.run`` (every call to the action server — custom actions, form validation, session start,
  custom slot mappings — goes through it), wrapped once per process by the patch ``action_failure_report`` of
  addons/patches, which also bounds each call to ``RECOURS_ACTION_TIMEOUT_SECONDS`` (``action_timeout``); and the
  redacting tracker store (addons/tracker_store.py), whose errors would otherwise end in the in-memory fallback.
  Form rejections (``ActionExecutionRejection``) are normal dialogue, not failures.

Every failure is logged as an error (component and exception type; never the member's text) and recorded in
:data:`HEALTH`, which ``GET /health/components`` reports (addons/health.py).
"""

from __future__ import annotations

import logging
import re
import threading
import time
import traceback
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from addons import live_handoff
from recours.messages import message_fr

logger = logging.getLogger(__name__)

# Longer messages are refused with an explanation: a member's description fits easily, and the NLU pipeline's
# cost grows with the text (character n-grams), so 100 kB posts must not reach it.
MAX_MESSAGE_CHARS = 5000

ACTION_SERVER, TRACKER_STORE, LOCK_STORE, PROCESSOR = "action_server", "tracker_store", "lock_store", "processor"


@dataclass
class Turn:
    """What went wrong during one member turn (components, in order)."""

    failures: List[str] = field(default_factory=list)
    # The tracker could not be read: the turn ran on an empty conversation, its replies must not be shown.
    suppress_replies: bool = False
    replies: int = 0  # bot messages Rasa sent to the member during the turn
    # "waiting" or "active" when the conversation is in a live handoff (addons/live_handoff.py): while a person
    # answers ("active"), the assistant's silence is on purpose.
    live_handoff: Optional[str] = None
    # The conversation is paused for a person (recours/bot_pause.py): the bot's silence is expected, not a gap.
    paused: bool = False

    def fail(self, component: str) -> None:
        if component not in self.failures:
            self.failures.append(component)


_current: ContextVar[Optional[Turn]] = ContextVar("recours_turn", default=None)


def current_turn() -> Optional[Turn]:
    return _current.get()


def mark_paused() -> None:
    """The tracker store saw this turn's conversation paused for a person (addons/tracker_store.py)."""
    turn = _current.get()
    if turn is not None:
        turn.paused = True


def replies_suppressed() -> bool:
    """True when the output channels must drop the turn's replies (see :attr:`Turn.suppress_replies`)."""
    turn = _current.get()
    return bool(turn and turn.suppress_replies)


# -- component health, per process ---------------------------------------------------------------------------------


@dataclass
class ComponentRecord:
    failures: int = 0
    last_failure_at: Optional[float] = None
    last_error: Optional[str] = None
    last_success_at: Optional[float] = None

    @property
    def failing(self) -> bool:
        """The component's last operation failed (a later success clears it)."""
        return self.last_failure_at is not None and (
            self.last_success_at is None or self.last_success_at < self.last_failure_at
        )


class HealthRegistry:
    """Failures and successes seen by this Rasa server process, by component (thread-safe, in memory)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: Dict[str, ComponentRecord] = {}

    def failure(self, component: str, error: str) -> None:
        with self._lock:
            record = self._records.setdefault(component, ComponentRecord())
            record.failures += 1
            record.last_failure_at = time.time()
            record.last_error = error

    def success(self, component: str) -> None:
        with self._lock:
            self._records.setdefault(component, ComponentRecord()).last_success_at = time.time()

    def get(self, component: str) -> ComponentRecord:
        with self._lock:
            record = self._records.get(component) or ComponentRecord()
            return ComponentRecord(**vars(record))


HEALTH = HealthRegistry()


def report_failure(component: str, error: BaseException | str, *, suppress_replies: bool = False) -> None:
    """A component failed during the current turn (or outside any turn): log it, count it, mark the turn."""
    description = error if isinstance(error, str) else type(error).__name__
    HEALTH.failure(component, description)
    turn = _current.get()
    if turn is not None:
        turn.fail(component)
        turn.suppress_replies = turn.suppress_replies or suppress_replies
    logger.error("Turn failure: %s (%s)%s", component, description, "" if turn is not None else " outside a turn")


def report_success(component: str) -> None:
    HEALTH.success(component)


# -- messages -------------------------------------------------------------------------------------------------------


def failure_message_fr() -> str:
    """What the member reads when their turn could not be processed; the contact comes from the data file."""
    from recours.organisations import current_organisation

    org = current_organisation()
    return message_fr("turns.failure", organisation=org.name, contact=org.phone_fr)


def silent_turn_message_fr() -> str:
    return message_fr("turns.silent")


def too_long_message_fr() -> str:
    return message_fr("turns.too_long", limit=f"{MAX_MESSAGE_CHARS:,}".replace(",", " "))


# C0 and C1 control characters except tab and newline; carriage returns become newlines.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """The member's text without control characters nor lone surrogates (invalid code points), NFC-normalised."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


# -- the turn wrapper -----------------------------------------------------------------------------------------------


def _classify(exc: BaseException) -> str:
    module = type(exc).__module__ or ""
    if module.startswith("redis") or type(exc).__name__ in ("LockError", "TicketExistsError"):
        return LOCK_STORE
    if module.startswith("sqlalchemy"):
        return TRACKER_STORE
    return PROCESSOR


async def run_turn(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
) -> Turn:
    """Run one member turn through Rasa; tell the member in French if it failed or cannot be run.

    Never raises (except cancellation): the caller's channel answers normally afterwards.
    """
    output = message.output_channel
    turn = Turn()
    if not isinstance(message.text, str):
        logger.warning("Message without text on %s: ignored", message.input_channel)
        return turn
    if len(message.text) > MAX_MESSAGE_CHARS:
        logger.info("Message of %d characters on %s refused (limit %d)", len(message.text), message.input_channel,
                    MAX_MESSAGE_CHARS)
        await _send(output, message.sender_id, too_long_message_fr())
        return turn
    message.text = clean_text(message.text)
    _count_replies(output, turn)
    token = _current.set(turn)
    try:
        await on_new_message(message)
    except Exception as exc:  # noqa: BLE001 - the member must hear about it; the log gets type and place only
        component = _classify(exc)
        report_failure(component, exc)
        logger.error("Turn on %s failed in %s: %s at %s", message.input_channel, component, type(exc).__name__,
                     _where(exc))
    finally:
        _current.reset(token)
    if not turn.failures:
        await live_handoff.after_turn(message, turn)
    if turn.failures:
        if turn.suppress_replies and isinstance(output, CollectingOutputChannel):
            output.messages.clear()
        await _send(output, message.sender_id, failure_message_fr())
    elif turn.replies == 0 and not turn.paused and turn.live_handoff != "active":
        # Nothing failed but the dialogue said nothing (a payload such as /restart, "Oui" out of any context):
        # a member left without an answer thinks the assistant is broken. A conversation paused for a person is
        # silent on purpose: the person answers.
        logger.info("Silent turn on %s: a prompt is sent", message.input_channel)
        await _send(output, message.sender_id, silent_turn_message_fr())
    return turn


def _count_replies(output: Any, turn: Turn) -> None:
    """Count what Rasa sends: the processor sends every bot message through ``output.send_response``."""
    send_response = output.send_response

    async def counting(recipient_id: Any, message: Dict[str, Any]) -> None:
        turn.replies += 1
        await send_response(recipient_id, message)

    output.send_response = counting


def _where(exc: BaseException) -> str:
    """The last frames as file:line (function): no source line, no message, nothing the member typed."""
    frames = traceback.extract_tb(exc.__traceback__)[-6:]
    return " <- ".join(f"{frame.filename.rsplit('/', 2)[-1]}:{frame.lineno} ({frame.name})" for frame in reversed(frames))


async def _send(output: Any, recipient: Optional[str], text: str) -> None:
    token = _current.set(None)  # this message is never suppressed
    try:
        await output.send_text_message(recipient, text)
    except Exception as exc:  # noqa: BLE001
        logger.error("Could not send a message to the member: %s", type(exc).__name__)
    finally:
        _current.reset(token)
