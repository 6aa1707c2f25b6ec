"""The member's message read in context, in the Rasa server (the decision is ``recours.reading``'s).

Rasa 3.6 classifies a message without looking at the conversation. ``MessageProcessor.parse_message`` is the one
place that has both the message and the tracker (Rasa passes the tracker for exactly this kind of use), so it is
wrapped once (the patch ``turn_reading`` of addons/patches, which pins its upstream source): Rasa's NLU runs as
usual, then :func:`reread` may replace the intent when the text answers the pending question (« Germaine Rousseau »
at the name question: ``inform``) or clearly interrupts it. The classifier's own verdict stays in the parse data
(``recours_reading``) for evaluation and debugging; no text is logged.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Optional

from recours.reading import TurnContext, read_turn
from recours.settings import today

logger = logging.getLogger(__name__)

# The call-back the previous answer cancelled (actions/follow_ups.py): read only when set since the member's last message.
JUST_CANCELLED = "callback_just_cancelled"
CALLBACK_BOOKED = "callback_booked"  # a call-back was booked in the conversation (not a slot: read from the events)
_SLOTS_READ = ("qualification_route", "mediation_status", "cpam_decision_medical", "carrier_type", "complaint_reference",
               "referral_letter")


def context_of(tracker: Any) -> TurnContext:
    """The pending question, from a Rasa ``DialogueStateTracker``."""
    loop = tracker.active_loop_name
    last_action = None
    for event in reversed(tracker.events):
        name = getattr(event, "action_name", None)
        if name is None or getattr(event, "type_name", "") != "action":
            if getattr(event, "type_name", "") == "user":
                break  # the previous user turn: nothing was asked since
            continue
        if name != "action_listen":
            last_action = name
            break
    slots = {name: tracker.get_slot(name) for name in _SLOTS_READ if name in tracker.slots}
    slots[JUST_CANCELLED] = _set_since_last_message(tracker, JUST_CANCELLED)
    slots[CALLBACK_BOOKED] = any(getattr(event, "type_name", "") == "action" and
                                 getattr(event, "action_name", None) == "action_submit_callback" for event in tracker.events)
    return TurnContext(
        active_loop=loop,
        requested_slot=tracker.get_slot("requested_slot") if loop else None,
        last_action=last_action,
        slots=slots,
    )


def _set_since_last_message(tracker: Any, slot: str) -> Any:
    """The value ``slot`` was set to since the member's previous message (None when it was not)."""
    for event in reversed(tracker.events):
        if getattr(event, "type_name", "") == "user":
            return None
        if getattr(event, "type_name", "") == "slot" and getattr(event, "key", None) == slot:
            return getattr(event, "value", None)
    return None


def reread(parse_data: Dict[str, Any], tracker: Optional[Any]) -> Dict[str, Any]:
    """``parse_data`` with the intent the text has in this conversation (unchanged without a tracker)."""
    if tracker is None or not parse_data:
        return parse_data
    intent = parse_data.get("intent") or {}
    text = parse_data.get("text") or ""
    try:
        new = read_turn(context_of(tracker), text, intent.get("name"), intent.get("confidence"), today())
    except Exception:  # never lose a turn over the reading: the classifier's intent stands
        logger.exception("turn reading failed; the classifier's intent is kept")
        return parse_data
    if new is None:
        return parse_data
    parse_data = dict(parse_data)
    parse_data["recours_reading"] = {"classifier_intent": intent.get("name"), "confidence": intent.get("confidence")}
    parse_data["intent"] = {"name": new, "confidence": 1.0}
    ranking = [r for r in parse_data.get("intent_ranking") or [] if r.get("name") != new]
    parse_data["intent_ranking"] = [{"name": new, "confidence": 1.0}] + ranking
    if new in ("affirm", "deny", "dont_know", "stop", "continue_form", "request_human", "help"):
        parse_data["entities"] = [e for e in parse_data.get("entities") or [] if e.get("entity") != "field"]
    return parse_data
