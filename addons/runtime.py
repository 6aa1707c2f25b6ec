"""What each input channel of this project installs in the Rasa server process when Rasa builds its blueprint.

Every call is idempotent, so the channels (REST, socket.io, WhatsApp, health) can each call :func:`prepare` and
the process gets the hooks once, whichever channels credentials.yml enables: every patch of Rasa's internals
(addons/patches: failure reporting for addons/turns.py, the action timeout, the reading of each message in its
context for addons/understanding.py, the speed fixes), all before Rasa loads the model, and the garbage-collector
freeze once it is loaded (addons/performance.py).
"""

from __future__ import annotations

from typing import Any

from addons import patches, performance


def prepare(blueprint: Any) -> None:
    patches.install()
    performance.freeze_after_start(blueprint)
