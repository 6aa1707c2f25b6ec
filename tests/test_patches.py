"""addons/patches: every patch of a library's internals is pinned to the upstream source it was written against.

An upgrade of Rasa, rasa-sdk, TensorFlow, python-socketio or jsonschema fails here, naming the patch to review,
instead of silently dropping or misapplying it; the Rasa server refuses to start the same way. The behaviour of
each patch against upstream is tested where it matters: tests/test_performance.py (the speed fixes),
tests/test_turns.py (failure reporting), tests/test_understanding.py (the reading in context), and below (the
action timeout, the payload warnings).
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import time
from typing import Any

import pytest

from addons import patches
from addons.patches import OVERRIDES, PATCHES, Override, PatchRefused, checks
from tests.action_server_stub import ActionServer

# What this project replaces upstream, and what its subclasses override: a new entry is added here on purpose.
PATCHED = {
    "action_failure_report": "rasa.core.actions.action:RemoteAction.run",
    "action_timeout": "rasa.core.actions.action:DEFAULT_REQUEST_TIMEOUT",
    "payload_warnings": None,
    "turn_reading": "rasa.core.processor:MessageProcessor.parse_message",
    "action_response_validator": "rasa.core.actions.action:RemoteAction._validate_action_result",
    "predict_graph": "rasa.utils.tensorflow.models:RasaModel._rasa_predict",
    "eager_weights": "rasa.utils.tensorflow.models:RasaModel.load",
    "event_classes": "rasa.shared.core.events:Event.resolve_by_type",
}
OVERRIDDEN = {
    "socketio_output": "rasa.core.channels.socketio:SocketIOOutput",
    "socketio_handlers": "rasa.core.channels.socketio:SocketIOInput.blueprint",
    "tracker_store_save": "rasa.core.tracker_store:SQLTrackerStore.save",
    "form_validation_run": "rasa_sdk.forms:ValidationAction.run",
}
PINS = [(entry, target, sha) for entry in PATCHES + OVERRIDES for target, sha in entry.sources.items()]


def test_every_patch_and_override_is_registered_with_its_reason_and_a_pinned_source():
    assert {patch.name: patch.upstream for patch in PATCHES} == PATCHED
    assert {override.name: override.upstream for override in OVERRIDES} == OVERRIDDEN
    for entry in PATCHES + OVERRIDES:
        assert entry.why and entry.written_for and entry.sources, entry.name
        if entry.upstream is not None and entry.upstream in entry.sources:
            continue
        # a replaced module constant or a process setting: pinned through the upstream code that reads it
        assert entry.upstream is None or entry.upstream.endswith(":DEFAULT_REQUEST_TIMEOUT"), entry.name


def _unpatched(target: str) -> Any:
    """The upstream object named ``"module:Qualified.name"``, as upstream defines it even when a patch replaced it."""
    for patch in PATCHES:
        if patch.upstream == target:
            original = patches.original(patch.name)
            return getattr(original, "__func__", original)
    module_name, _, qualname = target.partition(":")
    found: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        found = inspect.getattr_static(found, part)
    return getattr(found, "__func__", found)


@pytest.mark.parametrize("entry,target,pinned", PINS, ids=[f"{entry.name}:{target}" for entry, target, _ in PINS])
def test_the_upstream_source_is_the_one_the_patch_was_written_for(entry, target, pinned):
    source = inspect.getsource(_unpatched(target))
    found = hashlib.sha256(source.encode()).hexdigest()
    assert found == pinned, (
        f"{target} changed upstream: review the patch {entry.name!r} of addons/patches ({entry.why}), "
        f"then set its sha256 to {found} and its written_for in addons/patches/registry.py"
    )
    assert patches.upstream_source(target) == source  # what install() checks at start reads the same text


def test_requirements_lock_pins_the_versions_the_patches_were_written_for():
    locked = patches.locked_versions()
    for entry in PATCHES + OVERRIDES:
        for distribution, version in entry.written_for.items():
            assert locked.get(checks.canonical(distribution)) == version, (
                f"requirements.lock pins {distribution} {locked.get(checks.canonical(distribution))}, the patch "
                f"{entry.name!r} was written for {version}: review it against the locked version"
            )


def test_the_installed_libraries_are_the_ones_the_patches_were_written_for():
    patches.check_installed_libraries()


def _installed_objects() -> dict:
    found = {}
    for patch in PATCHES:
        if patch.upstream is not None:
            module_name, _, qualname = patch.upstream.partition(":")
            *path, attribute = qualname.split(".")
            owner: Any = importlib.import_module(module_name)
            for part in path:
                owner = getattr(owner, part)
            found[patch.name] = vars(owner)[attribute]
    return found


def test_another_installed_version_is_refused_and_nothing_is_patched(monkeypatch):
    real = checks.installed_version
    monkeypatch.setattr(checks, "installed_version", lambda d: "3.6.22" if d == "rasa" else real(d))
    monkeypatch.setattr(patches, "_installed", False)
    monkeypatch.setattr(patches, "_originals", {})
    before = _installed_objects()
    with pytest.raises(PatchRefused) as refused:
        patches.install()
    message = str(refused.value)
    assert "rasa 3.6.22 is installed" in message and "requirements.lock pins 3.6.21" in message
    assert "action_failure_report" in message and "turn_reading" in message  # the patches to review
    after = _installed_objects()
    assert all(after[name] is before[name] for name in before)


def test_a_lock_pinning_another_version_is_refused(monkeypatch, tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text(checks.LOCK_FILE.read_text().replace("\ntensorflow==2.12.0\n", "\ntensorflow==2.13.1\n"))
    monkeypatch.setattr(checks, "LOCK_FILE", lock)
    with pytest.raises(PatchRefused, match=r"tensorflow 2\.12\.0 is installed, requirements\.lock pins 2\.13\.1"):
        patches.check_installed_libraries()


def test_a_changed_upstream_source_is_refused_naming_the_patch():
    changed = Override(
        name="socketio_output", upstream="rasa.core.channels.socketio:SocketIOOutput", why="-",
        written_for={"rasa": "3.6.21"}, sources={"rasa.core.channels.socketio:SocketIOOutput": "0" * 64},
    )
    with pytest.raises(PatchRefused, match=r"source of rasa\.core\.channels\.socketio:SocketIOOutput changed.*'socketio_output'"):
        checks.check([changed])
    gone = Override(
        name="gone", upstream=None, why="-", written_for={"rasa": "3.6.21"},
        sources={"rasa.core.processor:MessageProcessor.no_such_method": "0" * 64},
    )
    with pytest.raises(PatchRefused, match="no longer defined"):
        checks.check([gone])


def test_install_replaces_each_upstream_object_once():
    patches.install()
    installed = _installed_objects()
    patches.install()
    assert _installed_objects() == installed
    for name, replacement in installed.items():
        assert replacement is not patches.original(name), name


# -- the behaviours upstream must keep for two patches that replace no function ------------------------------------


@pytest.mark.anyio
async def test_upstream_reads_the_action_timeout_at_each_call(monkeypatch):
    """The patch ``action_timeout`` sets a module constant: it works only because RemoteAction.run reads it late."""
    import rasa.core.actions.action as rasa_actions
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    upstream_run = _unpatched("rasa.core.actions.action:RemoteAction.run")  # not the failure-reporting wrapper
    monkeypatch.setattr(rasa_actions, "DEFAULT_REQUEST_TIMEOUT", 0.5)
    server = ActionServer(200, delay=5)
    started = time.monotonic()
    try:
        with pytest.raises(Exception):
            await upstream_run(
                rasa_actions.RemoteAction("action_x", EndpointConfig(server.url)),
                CollectingOutputChannel(), None, DialogueStateTracker("t", []), Domain.empty(),
            )
    finally:
        server.close()
    assert time.monotonic() - started < 3


def test_upstream_s_payload_warnings_are_kept_out_of_the_logs(recwarn):
    """Rasa quotes the member's whole line when a payload is malformed; once installed, that warning is dropped."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
    from rasa.shared.nlu.training_data.message import Message

    domain = Domain.load("domain")
    typed = '/inform{"member_identifier": MARQUEUR-DE-TEST}'
    YAMLStoryReader.unpack_regex_message(Message(data={"text": typed}), domain)  # recwarn lets everything through
    assert [w for w in recwarn if "MARQUEUR-DE-TEST" in str(w.message)], "upstream no longer warns: review the patch"
    recwarn.clear()
    patches.install()
    YAMLStoryReader.unpack_regex_message(Message(data={"text": typed}), domain)
    assert not [w for w in recwarn if "MARQUEUR-DE-TEST" in str(w.message)]
