"""A failed turn is never silent (addons/turns.py), without starting Rasa: the hooks, one by one.

The action server is a real local HTTP server answering 500 or 400; the tracker store is the redacting SQL store on
a SQLite file whose table is dropped; the lock store failure is Redis' own exception class.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import text

from addons import patches, turns
from addons.socketio import MarkdownSafeSocketIOOutput, event_metadata, valid_session_id
from addons.tracker_store import RedactingSQLTrackerStore
from addons.turns import (
    ACTION_SERVER,
    HEALTH,
    LOCK_STORE,
    MAX_MESSAGE_CHARS,
    TRACKER_STORE,
    clean_text,
    run_turn,
)
from tests.action_server_stub import ActionServer

pytestmark = pytest.mark.anyio

PHONE = "01 47 70 30 97"  # CPMS, recours/data/organisations/cpms.yml


@pytest.fixture(autouse=True)
def _cpms(monkeypatch):
    monkeypatch.setenv("RECOURS_ORGANISATION", "cpms")


def _message(text: str = "Bonjour") -> UserMessage:
    return UserMessage(text, CollectingOutputChannel(), "conv-1", input_channel="rest")


def _texts(message: UserMessage) -> list[str]:
    return [m.get("text", "") for m in message.output_channel.messages]


async def test_a_failing_action_gets_the_member_a_french_message_with_the_phone():
    patches.install()
    server = ActionServer(500)
    domain = Domain.empty()

    async def handle(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Début du tour")
        tracker = DialogueStateTracker(message.sender_id, [])
        try:
            await RemoteAction("action_x", EndpointConfig(server.url)).run(message.output_channel, None, tracker, domain)
        except Exception:  # noqa: BLE001 - Rasa's processor swallows it the same way
            pass

    message = _message()
    try:
        turn = await run_turn(handle, message)
    finally:
        server.close()
    assert turn.failures == [ACTION_SERVER]
    texts = _texts(message)
    assert texts[0] == "Début du tour"  # what was already said stays
    assert "n'a pas pu être traitée" in texts[-1] and PHONE in texts[-1] and "CPMS" in texts[-1]
    assert HEALTH.get(ACTION_SERVER).last_error == "action_x: RasaException"


async def test_a_form_rejection_is_dialogue_not_a_failure():
    patches.install()
    server = ActionServer(400)

    async def handle(message: UserMessage) -> None:
        tracker = DialogueStateTracker(message.sender_id, [])
        with pytest.raises(ActionExecutionRejection):
            await RemoteAction("action_x", EndpointConfig(server.url)).run(
                message.output_channel, None, tracker, Domain.empty()
            )

    message = _message()
    try:
        turn = await run_turn(handle, message)
    finally:
        server.close()
    assert turn.failures == [] and not any("n'a pas pu être traitée" in t for t in _texts(message))


async def test_a_silent_turn_gets_a_prompt_and_a_talking_one_does_not():
    async def silent(message: UserMessage) -> None:
        return None  # e.g. an injected /restart: the dialogue says nothing

    async def talking(message: UserMessage) -> None:
        await message.output_channel.send_response(message.sender_id, {"text": "Bonjour !"})

    quiet = _message("/restart")
    await run_turn(silent, quiet)
    assert len(_texts(quiet)) == 1 and "Décrivez votre situation" in _texts(quiet)[0]
    answered = _message()
    await run_turn(talking, answered)
    assert _texts(answered) == ["Bonjour !"]


async def test_a_conversation_paused_for_a_person_stays_silent():
    """recours/bot_pause.py pauses the bot: the tracker store marks the turn, and no prompt is sent."""
    from addons.turns import mark_paused

    async def paused(message: UserMessage) -> None:
        mark_paused()  # what addons/tracker_store.py does when it saves a paused conversation

    message = _message("Bonjour, il y a quelqu'un ?")
    turn = await run_turn(paused, message)
    assert turn.paused and _texts(message) == []


async def test_the_hook_is_installed_once():
    patches.install()
    wrapped = RemoteAction.run
    patches.install()
    assert RemoteAction.run is wrapped


async def test_redis_down_during_the_lock_is_told_and_logged(caplog):
    import redis

    async def handle(message: UserMessage) -> None:
        raise redis.exceptions.ConnectionError("Error 111 connecting to 10.0.0.5:6379. Connection refused.")

    message = _message("Mon NIR est 1 84 12 75 123 456 78")
    turn = await run_turn(handle, message)
    assert turn.failures == [LOCK_STORE]
    assert PHONE in _texts(message)[-1]
    assert "Turn failure: lock_store (ConnectionError)" in caplog.text
    assert "10.0.0.5" not in caplog.text and "NIR" not in caplog.text  # neither the host nor the member's text


async def test_too_long_messages_are_refused_without_a_turn():
    called = []

    async def handle(message: UserMessage) -> None:
        called.append(message)

    message = _message("a" * (MAX_MESSAGE_CHARS + 1))
    await run_turn(handle, message)
    assert called == [] and "trop long" in _texts(message)[0]
    exact = _message("a" * MAX_MESSAGE_CHARS)
    await run_turn(handle, exact)
    assert called == [exact]


async def test_text_is_cleaned_before_rasa_sees_it():
    seen = []

    async def handle(message: UserMessage) -> None:
        seen.append(message.text)

    await run_turn(handle, _message("Bon\x00jour\x1b[31m\r\nça va ? \ud800 e\u0301"))
    assert seen == ["Bonjour[31m\nça va ? \ufffd é"]
    assert clean_text("tab\tet\nligne") == "tab\tet\nligne"


async def test_non_text_messages_are_ignored():
    async def handle(message: UserMessage) -> None:  # pragma: no cover - must not be called
        raise AssertionError("called")

    message = UserMessage(None, CollectingOutputChannel(), "conv-1")
    message.text = {"x": 1}  # type: ignore[assignment]
    turn = await run_turn(handle, message)
    assert turn.failures == [] and message.output_channel.messages == []


# -- the tracker store ------------------------------------------------------------------------------------------


@pytest.fixture
def tracker_store(tmp_path):
    store = RedactingSQLTrackerStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.db'}")
    yield store
    store.engine.dispose()


def _break(store: RedactingSQLTrackerStore) -> None:
    with store.engine.begin() as connection:
        connection.execute(text("DROP TABLE events"))


async def test_an_unreadable_conversation_is_told_not_run_nor_saved(tracker_store, caplog):
    failsafe = FailSafeTrackerStore(tracker_store)  # what Rasa wraps every tracker store in
    await failsafe.save(DialogueStateTracker.from_events("conv-1", [UserUttered("avant la panne")]))
    _break(tracker_store)
    saved = []

    async def handle(message: UserMessage) -> None:
        tracker = await failsafe.retrieve(message.sender_id)  # Rasa: None -> a new, empty conversation
        assert tracker is None
        await message.output_channel.send_text_message(message.sender_id, "Bonjour, je suis l'assistant…")
        tracker = DialogueStateTracker.from_events(message.sender_id, [UserUttered(message.text)])
        await failsafe.save(tracker)
        saved.append(tracker)

    message = _message()
    turn = await run_turn(handle, message)
    assert turn.failures == [TRACKER_STORE] and turn.suppress_replies
    # The reply computed on an empty conversation is dropped; the member reads the failure message only.
    assert len(_texts(message)) == 1 and PHONE in _texts(message)[0]
    assert "Tracker not saved" in caplog.text
    assert "Turn failure: tracker_store (OperationalError)" in caplog.text
    assert HEALTH.get(TRACKER_STORE).failing


async def test_a_failed_save_is_told(tracker_store):
    failsafe = FailSafeTrackerStore(tracker_store)

    async def handle(message: UserMessage) -> None:
        assert await failsafe.retrieve(message.sender_id) is None  # readable, new conversation
        await message.output_channel.send_text_message(message.sender_id, "Réponse du tour")
        _break(tracker_store)
        await failsafe.save(DialogueStateTracker.from_events(message.sender_id, [UserUttered(message.text)]))

    message = _message()
    turn = await run_turn(handle, message)
    assert turn.failures == [TRACKER_STORE] and not turn.suppress_replies
    assert _texts(message)[0] == "Réponse du tour" and PHONE in _texts(message)[1]


async def test_tracker_store_success_clears_the_failing_state(tracker_store):
    turns.report_failure(TRACKER_STORE, "OperationalError")
    assert HEALTH.get(TRACKER_STORE).failing
    await tracker_store.retrieve("nobody")
    assert not HEALTH.get(TRACKER_STORE).failing


# -- socket.io --------------------------------------------------------------------------------------------------


class FakeSio:
    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any]] = []

    async def emit(self, event: str, data: Any, room: str | None = None) -> None:
        self.emitted.append((event, data))


async def test_socketio_output_drops_replies_of_an_unreadable_turn_but_not_the_failure_message():
    sio = FakeSio()
    output = MarkdownSafeSocketIOOutput(sio, "bot_uttered")

    async def handle(message: UserMessage) -> None:
        turns.report_failure(TRACKER_STORE, "OperationalError", suppress_replies=True)
        await message.output_channel.send_text_message(message.sender_id, "réponse sur une conversation vide")

    await run_turn(handle, UserMessage("Bonjour", output, "session-1", input_channel="socketio"))
    assert len(sio.emitted) == 1 and PHONE in sio.emitted[0][1]["text"].replace("\\", "")


def test_socketio_event_validation():
    assert valid_session_id("a" * 32) == "a" * 32
    assert valid_session_id("a" * 129) is None and valid_session_id(3) is None and valid_session_id("a\x00") is None
    assert valid_session_id("   ") is None
    assert event_metadata('{"language": "fr"}') == {"language": "fr"}
    assert event_metadata("{not json") is None and event_metadata([1]) is None
    assert event_metadata({"x": "y" * 5000}) is None


def test_rasa_warnings_quoting_a_payload_are_not_logged(recwarn):
    """Rasa's RegexMessageHandler quotes the member's whole line when a payload is malformed."""
    import rasa.shared.utils.io
    from rasa.core.channels.channel import CollectingOutputChannel  # noqa: F401 - Rasa imported as in the server

    patches.install()
    rasa.shared.utils.io.raise_warning(
        "Failed to parse arguments in line '/inform{\"nir\":\"191119306677702\"}'. Expected entities from [...]"
    )
    assert not [w for w in recwarn if "191119306677702" in str(w.message)]
