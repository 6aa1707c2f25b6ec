"""The patches and the overrides: what each replaces, why, the upstream versions it was written for, and the sha256
of every upstream source it copies or relies on (``inspect.getsource`` of the unpatched object, see checks.py).

To review a patch after an upgrade: read the new upstream source of each pinned name, adapt the replacement in
replacements.py (or the subclass an override names), then update ``written_for`` and the sha256 here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional, Tuple

from addons.patches import replacements

_ACTION = "rasa.core.actions.action"
_MODELS = "rasa.utils.tensorflow.models"
_REGEX_READER = "rasa.shared.core.training_data.story_reader.yaml_story_reader:YAMLStoryReader"


@dataclass(frozen=True, kw_only=True)
class Override:
    """Upstream code one of this project's subclasses overrides or copies: not replaced, pinned only."""

    name: str
    upstream: Optional[str]  # "module:Qualified.name" of what is replaced or overridden
    why: str
    written_for: Mapping[str, str]  # distribution -> the version the code was reviewed against
    sources: Mapping[str, str] = field(default_factory=dict)  # "module:Qualified.name" -> sha256 of its source


@dataclass(frozen=True, kw_only=True)
class Patch(Override):
    """An upstream object replaced in the Rasa server process by ``replacement(original)``.

    ``upstream`` None: nothing is replaced (a process setting); ``replacement(None)`` applies it.
    """

    replacement: Callable[[Any], Any]


_RASA = {"rasa": "3.6.21"}
_RUN = {f"{_ACTION}:RemoteAction.run": "ccabf6f1160d527a157fad5bd285ce69e8221b1bcad23f8a61499b4360a1c17e"}

PATCHES: Tuple[Patch, ...] = (
    Patch(
        name="action_failure_report",
        upstream=f"{_ACTION}:RemoteAction.run",
        why="MessageProcessor._run_action swallows any exception of an action: the wrapper reports a failed call "
        "to the action server (custom actions, form validation, session start) to the member's turn "
        "(addons/turns.py), which then tells the member in French. Form rejections pass through untouched.",
        written_for=_RASA,
        sources=_RUN,
        replacement=replacements.report_action_failures,
    ),
    Patch(
        name="action_timeout",
        upstream=f"{_ACTION}:DEFAULT_REQUEST_TIMEOUT",
        why="RemoteAction.run reads this module constant at each call (Rasa: 300 s): a hung action server fails "
        "after RECOURS_ACTION_TIMEOUT_SECONDS like a stopped one, instead of keeping the member waiting 5 minutes.",
        written_for=_RASA,
        sources=_RUN,
        replacement=replacements.action_timeout,
    ),
    Patch(
        name="payload_warnings",
        upstream=None,
        why="Rasa's warnings about a malformed /intent{...} payload quote the whole line the member typed, which "
        "would copy identifiers into the logs: they are filtered out (the payload is still handled as Rasa does).",
        written_for=_RASA,
        sources={
            f"{_REGEX_READER}.unpack_regex_message":
                "bf81f8a66c2c3e526dd4eba42de36f716b7c5f9fafbe91ece460bcb6e157fa91",
            f"{_REGEX_READER}._intent_name_from_regex_match":
                "617b7899c40ac0c8ef2486445f94993b85c65a71542fc2943c96d6bfdcf734c5",
            f"{_REGEX_READER}._entities_from_regex_match":
                "c654a66d095fcd1c0a2e44eb5a8fe8af357d8f4091be470540e831a45c97a0b1",
            f"{_REGEX_READER}._confidences_from_regex_match":
                "1173de8b4d20c3b26423c0a4d24912d4e8ae17dc3621b1ffff07954e4d2a3000",
        },
        replacement=replacements.silence_payload_warnings,
    ),
    Patch(
        name="turn_reading",
        upstream="rasa.core.processor:MessageProcessor.parse_message",
        why="The one place with both the message and the tracker: after Rasa's NLU, addons/understanding.py "
        "rereads the message in the context of the pending question (recours.reading).",
        written_for=_RASA,
        sources={"rasa.core.processor:MessageProcessor.parse_message":
                 "b98d8e49b9f2c433040af62752212dc374600d50cd21deec82386642b64d30dc"},
        replacement=replacements.reread_in_context,
    ),
    Patch(
        name="action_response_validator",
        upstream=f"{_ACTION}:RemoteAction._validate_action_result",
        why="jsonschema.validate checked the constant schema against the meta-schema and built a new validator "
        "on every answer of the action server (47 % of the Rasa server's CPU under load, docs/performance.md): "
        "checked once, one validator reused; the error raised is still jsonschema.validate's (its best match).",
        written_for={**_RASA, "jsonschema": "4.17.3"},
        sources={
            f"{_ACTION}:RemoteAction._validate_action_result":
                "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42",
            "jsonschema.validators:validate": "dc1e7e6a0aee8a4e5f3fbf9ace69e843f0ee3732fa4ee270da51f731037b2a74",
        },
        replacement=replacements.reuse_action_response_validator,
    ),
    Patch(
        name="predict_graph",
        upstream=f"{_MODELS}:RasaModel._rasa_predict",
        why="Each prediction went through tf.function's input canonicalisation and graph lookup: the traced "
        "concrete function is called directly with TensorFlow's private ConcreteFunction._call_flat (Rasa's "
        "own path when the inputs do not fit its signature). No component of config.yml is a RasaModel since DIET and "
        "TED were removed: inert until one is.",
        written_for={**_RASA, "tensorflow": "2.12.0"},
        sources={
            f"{_MODELS}:RasaModel._rasa_predict": "7f745b0f9cb647c9df9e5b04b318a7b93709daf9460bad4373970c6cf9f04d8f",
            "tensorflow.python.eager.polymorphic_function.monomorphic_function:ConcreteFunction._call_flat":
                "227de9e319ab2b7439ec8877a0b0340bdbb386c0212bd1d1153472efbb915989",
        },
        replacement=replacements.call_predict_graph_directly,
    ),
    Patch(
        name="eager_weights",
        upstream=f"{_MODELS}:RasaModel.load",
        why="Loading built the weights by a training step traced as a graph (20-30 s of the cold start): a copy "
        "of Rasa's body runs that step eagerly; the prediction graph is still traced at load, finetuning unchanged. "
        "Inert, like predict_graph, while no component is a RasaModel.",
        written_for=_RASA,
        sources={f"{_MODELS}:RasaModel.load": "84fd81c0fdd01a8048de2d9b5b3022bdbf1e155f7b4d67737eb51ecb0787d292"},
        replacement=replacements.build_weights_eagerly,
    ),
    Patch(
        name="event_classes",
        upstream="rasa.shared.core.events:Event.resolve_by_type",
        why="Rasa walked every subclass of Event for each stored event read: the name -> class answer is memoised.",
        written_for=_RASA,
        sources={"rasa.shared.core.events:Event.resolve_by_type":
                 "b5cf570fa7f286c7059ec73d8880528d03a78b28cf4e80285a46079c0fa65968"},
        replacement=replacements.remember_event_classes,
    ),
)

OVERRIDES: Tuple[Override, ...] = (
    Override(
        name="socketio_output",
        upstream="rasa.core.channels.socketio:SocketIOOutput",
        why="addons/socketio.py MarkdownSafeSocketIOOutput overrides _send_message to drop the replies of a turn "
        "run on an unreadable conversation, and escapes texts: it relies on every send_* going through it.",
        written_for=_RASA,
        sources={"rasa.core.channels.socketio:SocketIOOutput":
                 "370dc3e8aca97964842123b13ac37e110a66b9513d43b5bffe08902c64ca454e"},
    ),
    Override(
        name="socketio_handlers",
        upstream="rasa.core.channels.socketio:SocketIOInput.blueprint",
        why="addons/socketio.py registers its own session_request and user_uttered handlers after Rasa's, on the "
        "same server: python-socketio keeps the last handler of an event.",
        written_for={**_RASA, "python-socketio": "5.9.0"},
        sources={
            "rasa.core.channels.socketio:SocketIOInput.blueprint":
                "1246d69fa05c3b1f3dcc77d4ef78e992674cc3d9f7077e9793fd578563b9ee73",
            "socketio.server:Server.on": "ad55fe4d60a5ea2d33034f38b6943ea32dafe96d285d9eb4541ee54f3b9fb31b",
        },
    ),
    Override(
        name="tracker_store_save",
        upstream="rasa.core.tracker_store:SQLTrackerStore.save",
        why="addons/tracker_store.py RedactingSQLTrackerStore.save writes what SQLTrackerStore.save writes, "
        "redacted, in one insert, skipping the stored events as _additional_events does without recounting them.",
        written_for=_RASA,
        sources={
            "rasa.core.tracker_store:SQLTrackerStore.save":
                "57165e46eab3de0866e77f03df0bf7fd5eac2c1de617ed431b934c9a4edfeef6",
            "rasa.core.tracker_store:SQLTrackerStore._additional_events":
                "d22f99eb863acb07afee63d9fe3a04ca8464251e67a43eb7d36c2d65ffc1653f",
        },
    ),
    Override(
        name="form_validation_run",
        upstream="rasa_sdk.forms:ValidationAction.run",
        why="actions/form_facts.py FactsReadingForm.run is rasa-sdk's run with the message's facts added to the "
        "extracted slots, and calls FormValidationAction._extract_validation_events.",
        written_for={"rasa-sdk": "3.6.2"},
        sources={
            "rasa_sdk.forms:ValidationAction.run": "91cde7e2bcbc664b8d9b746ae8cc0700094d7de39dad1b871bd5fc5465ac02d0",
            "rasa_sdk.forms:FormValidationAction._extract_validation_events":
                "38b9675caed95fbccbeee6617530c3704ce83e1ea37cb80ff6ec73aea32678ea",
        },
    ),
)
