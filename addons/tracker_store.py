"""A SQL tracker store that never persists a member's identifiers.

Rasa 3.6 keeps every user text, parse result, entity and slot value in its tracker store, in clear. This store
redacts NIRs, e-mail addresses, phone numbers and IBANs from each event before it is written: the clear value
exists only in memory for the turn in which the member typed it (the form has by then stored it encrypted and
replaced the slot with a masked form). Works on SQLite and PostgreSQL, like the SQLTrackerStore it extends.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import make_url

from recours.redaction import redact
from recours.settings import get_settings

logger = logging.getLogger(__name__)


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

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Like SQLTrackerStore.save, with each event's dictionary redacted first."""
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = redact(event.as_dict())
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
