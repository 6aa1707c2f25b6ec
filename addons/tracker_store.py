"""A SQL tracker store that never persists a member's identifiers.

Rasa 3.6 keeps every user text, parse result, entity and slot value in its tracker store, in clear. This store
redacts NIRs, e-mail addresses, phone numbers and IBANs from each event before it is written: the clear value
exists only in memory for the turn in which the member typed it (the form has by then stored it encrypted and
replaced the slot with a masked form). Works on SQLite and PostgreSQL, like the SQLTrackerStore it extends.

Two requests of the member are carried out here too, because only the tracker store sees the whole turn:
- Erasure ("supprimez mes données"): the confirmed ``action_erase_conversation`` ends with a ``Restarted`` event.
  When a turn holds that sequence, the save deletes every stored event of the conversation (all sessions) and
  writes only what follows the restart (a fresh session), in one transaction. Deleting from the action server
  instead would not work: Rasa writes the turn's events after the action returned, so the member's messages of
  the current session would be written back.
- The proof of ownership typed for a status check ("Où en est ma réclamation ?", slot ``status_proof``) is never
  written, not even redacted: the answer's text and the slot's value are replaced by a mask.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Awaitable, Iterator, Optional, Sequence, Text, TypeVar

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, Restarted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import create_engine
from sqlalchemy import event as sa_event
from sqlalchemy import text as sa_text
from sqlalchemy.orm import sessionmaker
from sqlalchemy.engine import make_url

from addons.turns import TRACKER_STORE, mark_paused, replies_suppressed, report_failure, report_success
from recours.redaction import redact
from recours.settings import get_settings
from recours.store import secure_delete

logger = logging.getLogger(__name__)
_T = TypeVar("_T")
ACTIVE: Optional["RedactingSQLTrackerStore"] = None

ERASE_ACTION = "action_erase_conversation"
# Slots whose answers are never stored: the member's text while one of them is asked, and the slot's values.
UNSTORED_ANSWER_SLOTS = frozenset({"status_proof"})
MASK = "[MASQUÉ]"
# Attribute set on a tracker read or saved here: how many of its events are stored (its current session's).
STORED_EVENTS = "_recours_stored_events"


def erasure_point(events: Sequence[Event]) -> Optional[int]:
    """Index of the ``Restarted`` that closes a confirmed erasure, or None.

    The sequence is the one Rasa logs for the action: ``ActionExecuted(action_erase_conversation)``, its bot
    messages, then the ``Restarted`` it returned. An erase action that failed returns no ``Restarted``: nothing
    is deleted then (and the member is not told it was).
    """
    point, pending = None, False
    for index, event in enumerate(events):
        if isinstance(event, ActionExecuted) and event.action_name == ERASE_ACTION:
            pending = True
        elif pending and isinstance(event, BotUttered):
            continue
        else:
            if pending and isinstance(event, Restarted):
                point = index
            pending = False
    return point


def persisted_form(events: Sequence[Event], start: int) -> Iterator[tuple[Event, dict]]:
    """``(event, dictionary to store)`` for ``events[start:]``: redacted, and unstored answers masked.

    Every event is walked, not only the new ones, to know which slot was being asked when the member answered.
    """
    requested: Optional[str] = None
    for index, event in enumerate(events):
        if isinstance(event, (Restarted, SessionStarted)):
            requested = None
        elif isinstance(event, SlotSet) and event.key == REQUESTED_SLOT:
            requested = event.value
        if index < start:
            continue
        data = redact(event.as_dict())
        if isinstance(event, UserUttered) and requested in UNSTORED_ANSWER_SLOTS:
            data["text"] = MASK
            if isinstance(data.get("parse_data"), dict):
                data["parse_data"].update({"text": MASK, "entities": []})
        elif isinstance(event, SlotSet) and event.key in UNSTORED_ANSWER_SLOTS and event.value is not None:
            data["value"] = MASK
        yield event, data


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose URL comes from TRACKER_STORE_URL and whose events are redacted before saving."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        if event_broker is not None:
            # A broker would receive the events before redaction: refuse rather than leak.
            raise ValueError("RedactingSQLTrackerStore does not support an event broker (events would leave unredacted).")
        url = make_url(host or get_settings().tracker_store_url)
        if url.drivername.startswith("sqlite") and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, host=str(url), event_broker=event_broker, **kwargs)
        if self.engine.dialect.name == "postgresql":
            # Rasa's engine has no pre-ping: after a database restart every pooled connection would fail once.
            engine_kwargs = create_engine_kwargs(str(url))
            engine_kwargs.setdefault("connect_args", {})["connect_timeout"] = 10
            self.engine.dispose()
            self.engine = create_engine(url, pool_pre_ping=True, **engine_kwargs)
            self.sessionmaker = sessionmaker(bind=self.engine)
        if self.engine.dialect.name == "sqlite":
            # An erased or purged conversation must not survive in the file's free pages.
            sa_event.listen(self.engine, "connect", secure_delete)
            self.engine.dispose()  # connections opened before the listener was added
        global ACTIVE
        ACTIVE = self  # the health endpoint (addons/health.py) checks the store Rasa actually uses

    # -- failures are visible (issue 6) ---------------------------------------------------------------------------
    # Rasa wraps every tracker store in FailSafeTrackerStore, which logs an error and carries on: a failed read
    # becomes an empty conversation, a failed write goes to an in-memory store nobody reads again. Here each
    # failure is also reported to the member's turn (addons/turns.py: the member gets the French failure message,
    # and a turn run on an unreadable conversation has its replies dropped and is not saved over the stored one)
    # and to the health registry (GET /health/components is red until the next successful operation).

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        tracker = await self._reported(super().retrieve(sender_id), suppress_replies=True)
        if tracker is not None and tracker.events.maxlen is None:
            # Everything read is stored already: the save of this turn appends what follows, without counting
            # the stored events again (the lock store keeps any other turn of this conversation out meanwhile).
            setattr(tracker, STORED_EVENTS, len(tracker.events))
        return tracker

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        return await self._reported(super().retrieve_full_tracker(conversation_id), suppress_replies=True)

    async def keys(self) -> Any:
        return await self._reported(super().keys())

    async def save(self, tracker: DialogueStateTracker) -> None:
        if replies_suppressed():
            # This turn started from an empty conversation because the stored one could not be read: writing it
            # would append a blank session to the real conversation. The member was told; nothing is written.
            logger.error("Tracker not saved: the conversation could not be read at the start of the turn")
            return
        if tracker.is_paused():
            mark_paused()  # paused for a person (recours/bot_pause.py): the turn's silence is expected
        await self._reported(self._save_redacted(tracker))

    async def _reported(self, operation: Awaitable[_T], *, suppress_replies: bool = False) -> _T:
        try:
            result = await operation
        except Exception as exc:
            report_failure(TRACKER_STORE, exc, suppress_replies=suppress_replies)
            raise
        report_success(TRACKER_STORE)
        return result

    def ping(self) -> None:
        """``SELECT 1`` on the tracker database (health endpoint); raises when it cannot be reached."""
        with self.engine.connect() as connection:
            connection.execute(sa_text("SELECT 1"))

    async def _save_redacted(self, tracker: DialogueStateTracker) -> None:
        """Like SQLTrackerStore.save, with each event's dictionary redacted first, and a confirmed erasure done."""
        events = list(tracker.events)
        point = erasure_point(events)
        with self.session_scope() as session:
            if point is None:
                # What SQLTrackerStore._additional_events skips: the events of this session already stored.
                start = getattr(tracker, STORED_EVENTS, None)
                if start is None:  # a tracker this store did not read (new conversation, HTTP API)
                    start = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
            else:
                deleted = (
                    session.query(self.SQLEvent)
                    .filter(self.SQLEvent.sender_id == tracker.sender_id)
                    .delete(synchronize_session=False)
                )
                start = point + 1
                logger.info("Conversation erased at the member's request: %d stored events deleted", deleted)
            rows = [
                {
                    "sender_id": tracker.sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                    "action_name": data.get("name"),
                    "data": json.dumps(data),
                }
                for event, data in persisted_form(events, start)
            ]
            if rows:  # one multi-row INSERT, not one ORM object per event
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
        setattr(tracker, STORED_EVENTS, len(events))
