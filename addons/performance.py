"""Where Rasa 3.6 spent a member's turn, or its start, for nothing, and the fixes (profiled with py-spy under load;
figures and method in docs/performance.md).

Installed once per process by the input channels (through addons/runtime.py), before
Rasa loads the model. Each fix keeps Rasa's behaviour and only removes repeated work:

- ``RemoteAction._validate_action_result`` called ``jsonschema.validate`` on every answer of the action server,
  which checks the *schema* against the meta-schema and builds a new validator each time: 47 % of the Rasa
  server's CPU under load. The constant schema is checked once and one validator reused.
- ``RasaModel._rasa_predict`` went through ``tf.function``'s input canonicalisation and graph lookup at each
  call; the traced graph is now called directly (Rasa's own path when the inputs do not fit its signature).
- ``RasaModel.load`` built the weights by a training step traced as a graph: 20–30 s of the cold start. The step
  now runs eagerly; the prediction graph is still traced at load.
- ``Event.resolve_by_type`` walked every subclass of ``Event`` for each stored event read; memoised.
- ``gc.freeze()`` once the model is loaded (:func:`freeze_after_start`): full garbage collections no longer walk
  the model's 475,000 objects (230–280 ms stalls of every turn in progress).
"""

from __future__ import annotations

import gc
import logging
from typing import Any, Dict, Text

logger = logging.getLogger(__name__)

_INSTALLED = False
_FROZEN = False


def install() -> None:
    """Apply every fix of this module (idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    _reuse_action_response_validator()
    _call_predict_graph_directly()
    _build_weights_eagerly()
    _remember_event_classes()
    _INSTALLED = True


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


def _reuse_action_response_validator() -> None:
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
        try:
            validator.validate(result)
        except ValidationError as error:
            error.message += (
                ". Failed to validate Action server response from API, make sure your response from the Action "
                f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise
        return True

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


def _call_predict_graph_directly() -> None:
    import tensorflow as tf
    from keras.utils import tf_utils
    from rasa.shared.constants import DIAGNOSTIC_DATA
    from rasa.utils.tensorflow.models import RasaModel

    original = RasaModel._rasa_predict

    def rasa_predict(self: Any, batch_in: Any) -> Dict[Text, Any]:
        concrete = getattr(self, "_recours_predict_graph", None)
        if concrete is None:
            outputs = original(self, batch_in)  # builds and traces the tf.function, as Rasa does
            if not self._run_eagerly and self._tf_predict_step is not None:
                self._recours_predict_graph = self._tf_predict_step.get_concrete_function()
            return outputs
        specs = concrete.structured_input_signature[0][0]
        if len(specs) != len(batch_in) or not all(
            spec.shape.is_compatible_with(value.shape) for spec, value in zip(specs, batch_in)
        ):
            return original(self, batch_in)  # let TensorFlow raise its own error
        self._training = False
        tensors = [tf.convert_to_tensor(value, dtype=spec.dtype) for spec, value in zip(specs, batch_in)]
        outputs = tf_utils.sync_to_numpy_or_python_type(concrete._call_flat(tensors, concrete.captured_inputs))
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
        return outputs

    RasaModel._rasa_predict = rasa_predict  # type: ignore[method-assign]


def _build_weights_eagerly() -> None:
    import tensorflow as tf
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
    from rasa.utils.tensorflow.models import RasaModel
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY

    original = RasaModel.load.__func__  # type: ignore[attr-defined]

    def load(
        cls: Any, model_file_name: Text, model_data_example: Any, predict_data_example: Any = None,
        finetune_mode: bool = False, *args: Any, **kwargs: Any,
    ) -> Any:
        if finetune_mode:  # training goes on after loading: keep Rasa's traced training step
            return original(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                            *args, **kwargs)
        model = cls(*args, **kwargs)
        learning_rate = kwargs.get("config", {}).get(LEARNING_RATE, 0.001)
        # Rasa builds the weights by training one step on one example; traced as a graph, that step costs
        # seconds of TensorFlow tracing (gradients of the CRF's while loops). Run eagerly, it builds the same
        # weights, which are then overwritten by the trained ones. Prediction stays a traced graph.
        model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate), run_eagerly=True)
        model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
        model._run_eagerly = kwargs.get("config", {}).get(RUN_EAGERLY)  # Keras' flag, which predictions read
        model.load_weights(model_file_name)
        if predict_data_example:
            model.run_inference(predict_data_example)  # traces the prediction graph now, not on a member's turn
        return model

    RasaModel.load = classmethod(load)  # type: ignore[method-assign,assignment]


def _remember_event_classes() -> None:
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    known: Dict[Text, Any] = {}

    def resolve_by_type(type_name: Text, default: Any = None) -> Any:
        # Rasa walks every subclass of Event for each event it reads from the tracker store.
        found = known.get(type_name)
        if found is None:
            found = original(type_name, default)
            if found is not None and found is not default:
                known[type_name] = found
        return found

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]

