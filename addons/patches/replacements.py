"""What replaces each upstream object (addons/patches/registry.py says what, why, and for which version).

Each function receives the upstream object (the raw class attribute: a classmethod or staticmethod stays one) and
returns what is set in its place; nothing here installs anything.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable, Dict, Text


def report_action_failures(original: Callable[..., Any]) -> Callable[..., Any]:
    from rasa.core.actions.action import ActionExecutionRejection

    from addons.turns import ACTION_SERVER, report_failure, report_success

    async def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            events = await original(self, *args, **kwargs)
        except ActionExecutionRejection:
            raise  # a form rejecting a value: dialogue, not a failure
        except Exception as exc:  # noqa: BLE001 - reported, then re-raised for Rasa's own handling
            report_failure(ACTION_SERVER, f"{self.name()}: {type(exc).__name__}")
            raise
        report_success(ACTION_SERVER)
        return events

    return run


def action_timeout(original: float) -> float:
    from recours.settings import get_settings

    return get_settings().action_timeout_seconds


def silence_payload_warnings(original: None) -> None:
    warnings.filterwarnings("ignore", message=r"(?s).*Failed to parse arguments in line")


def reread_in_context(original: Callable[..., Any]) -> Callable[..., Any]:
    from addons.understanding import reread

    async def parse_message(self: Any, message: Any, tracker: Any = None, only_output_properties: bool = True):
        parse_data = await original(self, message, tracker, only_output_properties)
        return reread(parse_data, tracker)

    return parse_message


def reuse_action_response_validator(original: Callable[..., Any]) -> Callable[..., Any]:
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
        error = best_match(validator.iter_errors(result))  # the error jsonschema.validate raises, not the first
        if error is not None:
            error.message += (
                ". Failed to validate Action server response from API, make sure your response from the Action "
                f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    return validate_action_result


def call_predict_graph_directly(original: Callable[..., Any]) -> Callable[..., Any]:
    import tensorflow as tf
    from keras.utils import tf_utils
    from rasa.shared.constants import DIAGNOSTIC_DATA

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

    return rasa_predict


def build_weights_eagerly(original: classmethod) -> classmethod:
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    upstream_load = original.__func__

    def load(
        cls: Any, model_file_name: Text, model_data_example: Any, predict_data_example: Any = None,
        finetune_mode: bool = False, *args: Any, **kwargs: Any,
    ) -> Any:
        if finetune_mode:  # training goes on after loading: keep Rasa's traced training step
            return upstream_load(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
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

    return classmethod(load)


def remember_event_classes(original: staticmethod) -> staticmethod:
    upstream_resolve = original.__func__
    known: Dict[Text, Any] = {}

    def resolve_by_type(type_name: Text, default: Any = None) -> Any:
        # Rasa walks every subclass of Event for each event it reads from the tracker store.
        found = known.get(type_name)
        if found is None:
            found = upstream_resolve(type_name, default)
            if found is not None and found is not default:
                known[type_name] = found
        return found

    return staticmethod(resolve_by_type)
