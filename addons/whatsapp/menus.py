"""Numbered menus: what "2" means when the last response offered more choices than WhatsApp can show as buttons.

A response with more than 10 buttons, or payloads too long for interactive ids, is sent as a numbered text menu
(addons/whatsapp/rendering.py); its payloads are kept here, in memory, until the member's next message.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from typing import Callable, List

MENU_TTL_SECONDS = 24 * 3600  # WhatsApp's customer-service window
MENU_MAX_ENTRIES = 20_000


class NumberedMenus:
    """The payloads of the last numbered menu sent to each conversation, so that "2" means the second choice.

    Keyed by the conversation's hashed sender id; forgotten after the member's next message or after a day.
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
