"""« Je veux parler à un conseiller »: to the complaint desk's queue when a handler is available (live handoff,
recours/handoff.py), otherwise the usual way to reach a person (actions/human_contact.py's answer, unchanged)."""

from __future__ import annotations

import asyncio
import logging
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.human_contact import HumanContact
from recours import handoff
from recours.store import StoreError

logger = logging.getLogger(__name__)

LIVE_HANDOFF_SLOT = "live_handoff"


class LiveHandoff(Action):
    def name(self) -> Text:
        return "action_live_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        org = services.organisation()
        store = services.store()
        try:
            if not await asyncio.to_thread(handoff.handler_available, store):
                return await HumanContact().run(dispatcher, tracker, domain)
            key = services.conversation_key(tracker.sender_id)
            queued_before = await asyncio.to_thread(store.open_handoff_of, key) is not None
            if not queued_before:
                await asyncio.to_thread(
                    store.request_handoff, key, tracker.sender_id, tracker.get_latest_input_channel() or "rest",
                    tracker.get_slot("complaint_reference"),
                )
        except StoreError as exc:  # the desk's tables unreachable: a person can still be reached by phone
            logger.error("Live handoff unavailable: the complaint store failed (%s)", type(exc).__name__)
            return await HumanContact().run(dispatcher, tracker, domain)
        logger.info("Conversation queued for a person at the complaint desk")
        dispatcher.utter_message(text=handoff.already_queued_fr() if queued_before else handoff.queued_fr(org))
        return [SlotSet(LIVE_HANDOFF_SLOT, "waiting")]
