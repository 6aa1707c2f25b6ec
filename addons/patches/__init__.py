"""Every change this project makes to the internals of Rasa, TensorFlow, rasa-sdk and python-socketio, in one place.

Rasa 3.6 has no hook for what these do (report a failed action call to the member's turn, bound it in time, keep
payloads out of the logs, read a message in its context, skip repeated work), so upstream objects are replaced in
the Rasa server process. Each entry of :data:`PATCHES` (registry.py) says what it replaces, why, the upstream
versions it was written for and the sha256 of every upstream source it copies or relies on; the code that replaces
is in replacements.py. :func:`install` applies them all once per process, before Rasa loads the model
(addons/runtime.py ``prepare``, which every input channel calls), and patches nothing — :class:`PatchRefused` — when
an installed version differs from requirements.lock or a pinned source changed (checks.py): an upgrade fails
loudly instead of silently dropping or misapplying a patch. tests/test_patches.py fails the same way, naming the
patch to review.

:data:`OVERRIDES` are not patches — one of this project's subclasses overrides or copies an upstream method — but
they rely on upstream internals as much, so their sources are pinned and checked with the patches'.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any, Dict, Optional, Tuple

from addons.patches.checks import PatchRefused, check, locked_versions, source_sha256, upstream_source
from addons.patches.registry import OVERRIDES, PATCHES, Override, Patch

__all__ = [
    "OVERRIDES", "PATCHES", "Override", "Patch", "PatchRefused", "check_installed_libraries", "install",
    "locked_versions", "original", "source_sha256", "upstream_source",
]

_lock = threading.Lock()
_originals: Dict[str, Any] = {}
_installed = False


def check_installed_libraries() -> None:
    """Raise :class:`PatchRefused` unless the installed libraries are those every patch and override was written
    for (versions in requirements.lock, pinned sources)."""
    check(PATCHES + OVERRIDES)


def install() -> None:
    """Apply every patch of :data:`PATCHES` once per process (idempotent, thread-safe; all or nothing).

    A patch that replaces nothing (a warnings filter) is applied again at each call, which changes nothing in the
    server; it is the one state a caller can reset (``warnings.catch_warnings``, as pytest does around each test).
    """
    global _installed
    with _lock:
        if not _installed:
            check_installed_libraries()
            replacements = []
            for patch in PATCHES:  # every replacement is built before any is set
                owner, attribute = _owner(patch.upstream)
                if owner is not None:
                    upstream = vars(owner)[attribute]
                    replacements.append((patch.name, owner, attribute, upstream, patch.replacement(upstream)))
            for name, owner, attribute, upstream, replacement in replacements:
                _originals[name] = upstream
                setattr(owner, attribute, replacement)
            _installed = True
        for patch in PATCHES:
            if patch.upstream is None:
                patch.replacement(None)


def original(name: str) -> Any:
    """What the patch ``name`` replaces, as upstream defines it (the raw class attribute: a classmethod stays one),
    whether or not it is installed."""
    patch = next(patch for patch in PATCHES if patch.name == name)
    if name in _originals:
        return _originals[name]
    owner, attribute = _owner(patch.upstream)
    return vars(owner)[attribute] if owner is not None else None


def _owner(target: Optional[str]) -> Tuple[Any, Optional[str]]:
    """The class or module that defines ``"module:Qualified.name"``, and the attribute's name."""
    if target is None:
        return None, None
    module_name, _, qualname = target.partition(":")
    *path, attribute = qualname.split(".")
    owner: Any = importlib.import_module(module_name)
    for part in path:
        owner = getattr(owner, part)
    if attribute not in vars(owner):
        raise PatchRefused(f"addons/patches refuses to patch: {target} is no longer defined there.")
    return owner, attribute
