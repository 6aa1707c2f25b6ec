"""What each input channel of this project installs in the Rasa server process when Rasa builds its blueprint.

Every call is idempotent, so the channels (REST, socket.io, WhatsApp, health) can each call :func:`prepare` and
the process gets the hooks once, whichever channels credentials.yml enables: failure reporting
(addons/turns.py), the speed fixes (addons/performance.py) and the reading of
each message in its context (addons/understanding.py), all before Rasa loads the model.
"""

from __future__ import annotations

from typing import Any

from addons import performance, understanding
from addons.turns import install_action_failure_hook


def prepare(blueprint: Any) -> None:
    install_action_failure_hook()
    performance.install()
    understanding.install()
    performance.freeze_after_start(blueprint)
