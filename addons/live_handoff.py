"""Live handoff on the Rasa server: the assistant is silent while a person answers, and that person's messages
reach the member on their channel (issue 14; the desk's side is desk/handoffs_api.py).

How a conversation moves (slot ``live_handoff``):

- ``waiting``: the member asked for a person while a handler was available (actions/handoff.py queued it). The
  assistant goes on answering meanwhile.
- ``active``: a handler took it. :class:`addons.handoff_policy.LiveHandoffPolicy` then predicts ``action_listen``
  after every member message (no rule can match "any intent", and the policy sees the slot without featurising
  it): the message is stored — redacted, by the tracker store — for the handler to read, and nothing is answered.
  A form in progress is paused when the handler joins (``handoff_paused_loop``) so that the member's messages to
  the handler are not taken as answers, and resumed — its question asked again — when the handler leaves.
- back to none: the handler handed the conversation back.

Reaching the member when the handler writes (addons/handoff_relay.py, ``POST /handoff/relay``) depends on the
channel. socket.io (the widget): the channel's own output, addressed to the conversation's room. WhatsApp: the
member's number lives only in the output channel created for one message (addons/whatsapp.py), so while a
conversation is waiting or active the output channel of its latest message is kept here, in memory, and used for
the handler's messages (not written anywhere; forgotten when the handoff ends and after 24 hours, WhatsApp's
customer-service window). REST has no push: the handler's messages are queued here and returned with the
response to the member's next message (they are in the tracker as well, as ``bot`` events).

All of it is per Rasa process: with several Rasa servers, the desk must reach the one the member's channel uses
(see docs/desk.md).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage

if TYPE_CHECKING:
    from addons.turns import Turn

LIVE_HANDOFF_SLOT = "live_handoff"
PAUSED_LOOP_SLOT = "handoff_paused_loop"
WAITING, ACTIVE = "waiting", "active"
# Marks the handler's and the handoff's own messages in the tracker (the desk shows who wrote what).
HANDOFF_METADATA_KEY = "recours_handoff"
ROUTE_TTL_SECONDS = 24 * 3600
MAX_ROUTES = 10_000
MAX_PENDING = 50


class Routes:
    """How to reach conversations in handoff from this process: output channels, and REST's pending messages."""

    def __init__(self, ttl: float = ROUTE_TTL_SECONDS, max_entries: int = MAX_ROUTES) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._outputs: "OrderedDict[str, tuple[float, OutputChannel]]" = OrderedDict()
        self._pending: "OrderedDict[str, List[Dict[str, Any]]]" = OrderedDict()

    def remember(self, sender_id: str, output: OutputChannel) -> None:
        self._outputs.pop(sender_id, None)
        self._outputs[sender_id] = (time.monotonic(), output)
        while len(self._outputs) > self._max:
            self._outputs.popitem(last=False)

    def output_for(self, sender_id: str) -> Optional[OutputChannel]:
        found = self._outputs.get(sender_id)
        if found is None:
            return None
        if time.monotonic() - found[0] > self._ttl:
            del self._outputs[sender_id]
            return None
        return found[1]

    def forget(self, sender_id: str) -> None:
        self._outputs.pop(sender_id, None)

    def queue(self, sender_id: str, message: Dict[str, Any]) -> None:
        """A message for a REST conversation, returned with the answer to the member's next message."""
        pending = self._pending.setdefault(sender_id, [])
        pending.append(message)
        del pending[:-MAX_PENDING]
        while len(self._pending) > self._max:
            self._pending.popitem(last=False)

    def take_pending(self, sender_id: str) -> List[Dict[str, Any]]:
        return self._pending.pop(sender_id, [])


ROUTES = Routes()


class PendingOutput(CollectingOutputChannel):
    """The output channel of a REST conversation outside its own request: messages wait in :data:`ROUTES`."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _persist_message(self, message: Dict[str, Any]) -> None:
        ROUTES.queue(message["recipient_id"], message)


def output_for(sender_id: str, channel: Optional[str], input_channels: List[Any]) -> OutputChannel:
    """Where a message outside the member's own turn goes: the conversation's latest output channel kept here,
    else its channel's own output (socket.io), else REST's pending queue (REST, or nothing known)."""
    remembered = ROUTES.output_for(sender_id)
    if remembered is not None:
        return remembered
    for input_channel in input_channels:
        if input_channel.name() == channel:
            output = input_channel.get_output_channel()
            if output is not None:
                return output
    return PendingOutput()


async def after_turn(message: UserMessage, turn: "Turn") -> None:
    """After a member's turn (addons/turns.py): keep the route of a conversation in handoff; hand a REST member
    the handler's messages written since their last message."""
    output = message.output_channel
    if isinstance(output, CollectingOutputChannel):
        pending = ROUTES.take_pending(message.sender_id)
        if pending:
            output.messages[:0] = pending
            turn.replies += len(pending)
    elif turn.live_handoff:
        ROUTES.remember(message.sender_id, output)
