"""The speed fixes of addons/patches and the tracker store change nothing but the time they take.

Each patched function is run beside the upstream one it replaces (``patches.original``, checked to be upstream's
own code by its pinned source): when upstream's behaviour changes, these tests fail, whatever the patch does.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import json
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import create_engine
from sqlalchemy import event as sa_event

from addons import patches
from ops.launcher import ROOT, child_env


@pytest.fixture(scope="module", autouse=True)
def fast_paths():
    patches.install()


def _upstream(name: str):
    """What the patch ``name`` replaced, as a plain function, after checking that it is upstream's pinned code."""
    patch = next(p for p in patches.PATCHES if p.name == name)
    function = getattr(patches.original(name), "__func__", patches.original(name))
    assert hashlib.sha256(inspect.getsource(function).encode()).hexdigest() == patch.sources[patch.upstream]
    return function


def _outcome(call):
    try:
        return ("returned", call())
    except Exception as exc:  # noqa: BLE001 - compared, type and message
        return ("raised", type(exc), str(getattr(exc, "message", exc)), list(getattr(exc, "path", [])))


ACTION_ANSWERS = [
    {"events": [{"event": "slot", "name": "complaint_outcome", "value": "recorded"}], "responses": [{"text": "Ok"}]},
    {"events": [], "responses": []},
    {},
    {"events": [{"event": 3}], "responses": []},
    {"events": "slot", "responses": []},
    {"events": [{"event": "slot"}], "responses": "x"},
    {"events": [{"event": "slot", "name": 1}], "responses": [{"text": 1}]},
    {"events": [{"event": 3}, {"name": 2}], "responses": [3]},
    [],
]


@pytest.mark.parametrize("answer", ACTION_ANSWERS, ids=range(len(ACTION_ANSWERS)))
def test_action_answers_are_accepted_or_refused_as_upstream_does(answer):
    from rasa.core.actions.action import RemoteAction

    action = RemoteAction("action_submit_complaint", None)
    upstream = _upstream("action_response_validator")
    expected = _outcome(lambda: upstream(action, copy.deepcopy(answer)))
    assert _outcome(lambda: action._validate_action_result(copy.deepcopy(answer))) == expected
    if expected[0] == "raised":
        assert "Failed to validate Action server response" in expected[2]


def test_events_are_read_back_as_the_classes_upstream_finds():
    from rasa.shared.core.events import Event, SlotSet
    from rasa.shared.utils.common import all_subclasses

    upstream = _upstream("event_classes")
    for name in [cls.type_name for cls in all_subclasses(Event)] + ["topic"]:
        assert Event.resolve_by_type(name) is upstream(name)
        assert Event.resolve_by_type(name) is upstream(name)  # from the memo
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is upstream("no_such_event", SlotSet)
    assert _outcome(lambda: Event.resolve_by_type("no_such_event")) == _outcome(lambda: upstream("no_such_event"))


# -- a Rasa TensorFlow model: loaded and run by the patches as by upstream -------------------------------------------


def _tiny_model_class():
    import tensorflow as tf
    from rasa.utils.tensorflow.models import RasaModel

    class TinyModel(RasaModel):
        """The smallest RasaModel: one dense layer over summed token features (Rasa's models have a regulariser)."""

        def __init__(self, **kwargs):
            super().__init__(random_seed=7)
            self.dense = tf.keras.layers.Dense(3, kernel_regularizer=tf.keras.regularizers.l2(0.001))

        def _scores(self, batch_in):
            tokens = tf.reshape(batch_in[0], (tf.shape(batch_in[0])[0], -1, 4))
            return self.dense(tf.reduce_sum(tokens, axis=1))

        def batch_loss(self, batch_in):
            return tf.reduce_mean(tf.square(self._scores(batch_in) - 1.0))

        def batch_predict(self, batch_in):
            return {"scores": self._scores(batch_in), "diagnostic_data": {"attention": []}}

    return TinyModel


def _model_data(examples: int, seed: int):
    import numpy as np
    from rasa.utils.tensorflow.model_data import FeatureArray, RasaModelData

    rng = np.random.default_rng(seed)
    tokens = np.array([rng.random((1 + i % 3, 4), dtype=np.float32) for i in range(examples)], dtype=object)
    return RasaModelData(data={"text": {"sentence": [FeatureArray(tokens, number_of_dimensions=3)]}})


def _batch(examples: int, seed: int):
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    return next(iter(RasaBatchDataGenerator(_model_data(examples, seed), batch_size=examples, shuffle=False)))[0]


def _same(left, right) -> bool:
    import numpy as np

    if isinstance(left, dict):
        return isinstance(right, dict) and left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    return np.array_equal(left, right) if left is not None else right is None


def test_a_model_loaded_and_run_by_the_patches_answers_as_upstream(tmp_path):
    import tensorflow as tf
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    model_class = _tiny_model_class()
    trained = model_class()
    trained.compile(optimizer=tf.keras.optimizers.Adam(0.1))
    trained.fit(RasaBatchDataGenerator(_model_data(5, 1), batch_size=2), epochs=2, verbose=False)
    weights = str(tmp_path / "tiny.tf_model")
    trained.save(weights)

    theirs = _upstream("eager_weights")(model_class, weights, _model_data(5, 1), _model_data(2, 2))
    ours = model_class.load(weights, _model_data(5, 1), _model_data(2, 2))
    assert ours._run_eagerly == theirs._run_eagerly
    assert all(_same(a.numpy(), b.numpy()) for a, b in zip(ours.weights, theirs.weights))
    upstream_predict = _upstream("predict_graph")
    for examples, seed in ((3, 3), (3, 4), (1, 5), (4, 6)):  # the second of a size runs the graph directly
        batch = _batch(examples, seed)
        expected = upstream_predict(theirs, batch)
        assert _same(ours._rasa_predict(batch), expected)
        assert _same(ours._rasa_predict(batch), expected)
    assert ours._recours_predict_graph is not None  # the direct path was taken, with TensorFlow's _call_flat


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
    from addons import patches
    patches.install()
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
