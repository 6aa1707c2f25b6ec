"""The speed fixes of addons/performance.py and the tracker store change nothing but the time they take."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import create_engine
from sqlalchemy import event as sa_event

from ops.launcher import ROOT, child_env


@pytest.fixture(scope="module", autouse=True)
def fast_paths():
    from addons import performance

    performance.install()


def test_a_valid_action_answer_passes_and_an_invalid_one_is_refused_as_before():
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    action = RemoteAction("action_submit_complaint", None)
    valid = {"events": [{"event": "slot", "name": "complaint_outcome", "value": "recorded"}], "responses": [{"text": "Ok"}]}
    assert action._validate_action_result(valid) is True
    with pytest.raises(ValidationError) as refused:
        action._validate_action_result({"events": [{"event": 3}], "responses": []})
    assert "Failed to validate Action server response" in refused.value.message
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": "slot", "responses": []})


def test_events_are_read_back_as_the_same_classes():
    from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
    from rasa.shared.utils.common import all_subclasses

    for cls in (UserUttered, SlotSet, ActionExecuted, SessionStarted):
        assert Event.resolve_by_type(cls.type_name) is cls
        assert Event.resolve_by_type(cls.type_name) is cls  # from the memo
    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name).type_name == cls.type_name
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")


# -- the tracker store: one read, one multi-row insert, no recount ---------------------------------------------------


def _statements(engine) -> list[str]:
    seen: list[str] = []
    sa_event.listen(engine, "before_cursor_execute", lambda conn, cursor, statement, *rest: seen.append(statement))
    return seen


@pytest.mark.anyio
async def test_a_turn_appends_its_events_once_without_counting_the_stored_ones(tmp_path):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from addons.tracker_store import RedactingSQLTrackerStore

    domain = Domain.load(str(ROOT / "domain"))
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = RedactingSQLTrackerStore(domain, host=url)
    statements = _statements(store.engine)
    first = [ActionExecuted("action_session_start", timestamp=1.0), SessionStarted(timestamp=1.1),
             ActionExecuted("action_listen", timestamp=1.2)]
    await store.save(DialogueStateTracker.from_events("member", first, domain.slots))  # never read: counted
    assert any("count(" in s.lower() for s in statements)

    for turn in range(3):
        statements.clear()
        tracker = await store.retrieve("member")
        tracker.update(UserUttered(f"message {turn}", timestamp=2.0 + turn))
        tracker.update(BotUttered(f"réponse {turn}", timestamp=2.1 + turn))
        tracker.update(ActionExecuted("action_listen", timestamp=2.2 + turn))
        await store.save(tracker)
        assert not any("count(" in s.lower() for s in statements), statements
        await store.save(tracker)  # saved again (a retry): nothing new to write

    stored = await store.retrieve("member")
    texts = [e.text for e in stored.events if isinstance(e, (UserUttered, BotUttered))]
    assert texts == ["message 0", "réponse 0", "message 1", "réponse 1", "message 2", "réponse 2"]
    engine = create_engine(url)
    with engine.connect() as connection:
        ids = [row[0] for row in connection.exec_driver_sql("SELECT id FROM events ORDER BY id")]
    engine.dispose()
    assert len(ids) == 3 + 3 * 3 == len(set(ids))


@pytest.mark.anyio
async def test_a_new_session_in_the_turn_is_stored_after_the_old_one(tmp_path):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from addons.tracker_store import RedactingSQLTrackerStore

    domain = Domain.load(str(ROOT / "domain"))
    store = RedactingSQLTrackerStore(domain, host=f"sqlite:///{tmp_path / 'tracker.db'}")
    old = [ActionExecuted("action_session_start", timestamp=1.0), SessionStarted(timestamp=1.1),
           ActionExecuted("action_listen", timestamp=1.2), UserUttered("hier", timestamp=1.3)]
    await store.save(DialogueStateTracker.from_events("member", old, domain.slots))
    tracker = await store.retrieve("member")
    for event in (ActionExecuted("action_session_start", timestamp=9.0), SessionStarted(timestamp=9.1),
                  ActionExecuted("action_listen", timestamp=9.2), UserUttered("aujourd'hui", timestamp=9.3)):
        tracker.update(event)
    await store.save(tracker)
    current = await store.retrieve("member")
    assert [e.text for e in current.events if isinstance(e, UserUttered)] == ["aujourd'hui"]
    everything = await store.retrieve_full_tracker("member")
    assert [e.text for e in everything.events if isinstance(e, UserUttered)] == ["hier", "aujourd'hui"]


# -- the model: loaded faster, same answers ----------------------------------------------------------------------------

_COMPARE = textwrap.dedent(
    """
    import asyncio, json, sys
    from rasa.core.agent import Agent

    MESSAGES = [
        "Ma mutuelle refuse de me rembourser mes lunettes alors que mon contrat les couvre",
        "Oui", "Marie Martin", "le 3 septembre", "Comment contester une décision de la CPAM ?",
        "c'est une institution de prévoyance", "changez mon e-mail plutôt",
    ]

    async def answers(agent):
        out = []
        for message in MESSAGES:
            parsed = await agent.parse_message(message)
            out.append({
                "intent": parsed["intent"]["name"],
                "ranking": [(r["name"], round(r["confidence"], 6)) for r in parsed["intent_ranking"]],
                "entities": sorted((e["entity"], str(e["value"])) for e in parsed["entities"]),
            })
        return out

    before = asyncio.run(answers(Agent.load(sys.argv[1])))
    from addons import performance
    performance.install()
    after = asyncio.run(answers(Agent.load(sys.argv[1])))
    after_again = asyncio.run(answers(Agent.load(sys.argv[1])))
    print(json.dumps({"before": before, "after": after, "again": after_again}))
    """
)


@pytest.mark.e2e
def test_the_model_loaded_and_run_by_the_fast_paths_answers_exactly_the_same(trained_model):
    done = subprocess.run(
        [sys.executable, "-c", _COMPARE, str(trained_model)], cwd=ROOT, env=child_env(),
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["before"] == result["after"] == result["again"]
    assert result["before"][0]["intent"] == "complain"
