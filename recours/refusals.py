"""The base of the errors whose French message can be shown as is: a NIR, contact details or a proof the member
typed, an event a handler sent.

``reason`` is a short English code for the code, the tests and the logs; ``message_fr`` tells the member (or the
handler) what is expected. Neither repeats what was typed.
"""

from __future__ import annotations


class Refusal(ValueError):
    def __init__(self, reason: str, message_fr: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message_fr = message_fr
