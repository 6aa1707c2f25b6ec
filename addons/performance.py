"""Where Rasa 3.6 spent a member's turn, or its start, for nothing (profiled with py-spy under load; figures and
method in docs/performance.md).

The fixes that replace Rasa's internals (the action-answer validator, the prediction graph called directly, the
weights built eagerly at load, the event classes memoised) are patches, in addons/patches with the others. What
remains here is the garbage-collector freeze, installed by the input channels through addons/runtime.py.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

logger = logging.getLogger(__name__)

_FROZEN = False


def freeze_after_start(blueprint: Any) -> None:
    """After the model is loaded (Rasa loads it before the server starts), exempt what is loaded from the GC.

    The loaded model is about 475,000 Python objects (TensorFlow graphs); every full collection walked them all,
    230–280 ms during which no member's turn progressed (about every 30 s at 20 conversations). ``gc.freeze``
    moves them to a permanent generation; what turns allocate is still collected as usual.
    """
    blueprint.listener("after_server_start")(_freeze_loaded_objects)


async def _freeze_loaded_objects(app: Any, loop: Any) -> None:
    global _FROZEN
    if _FROZEN:
        return
    _FROZEN = True
    gc.collect()
    gc.freeze()
    logger.debug("%d objects exempted from garbage collection", gc.get_freeze_count())
