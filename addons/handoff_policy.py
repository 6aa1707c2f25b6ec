"""The assistant's silence while a person answers the member (a Rasa 3.6 policy; see addons/live_handoff.py).

While the slot ``live_handoff`` is ``active``, this policy predicts ``action_listen`` after each member message,
with full confidence and a priority above RulePolicy's (6), so the message is stored and nothing answers it.
Why a policy and not a rule: a rule needs an intent, and the member may say anything to the handler; a policy
reads the slot directly (it need not influence the conversation) and needs no training data.

At each prediction it also tells the current turn (addons/turns.py) that its conversation is in handoff, which
keeps the turn's output channel for the handler's replies and lets a silent turn stay silent. It learns nothing:
``train`` stores nothing, and the prediction is the same for every model.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from addons.live_handoff import ACTIVE, LIVE_HANDOFF_SLOT, WAITING
from addons.turns import current_turn

# Above RulePolicy (6) and MemoizationPolicy (3): ties of confidence are broken by priority.
HANDOFF_POLICY_PRIORITY = 7


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class LiveHandoffPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": HANDOFF_POLICY_PRIORITY}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext, featurizer: Optional[Any] = None) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        with self._model_storage.write_to(self._resource):
            pass  # nothing to learn
        return self._resource

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain, rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        state = tracker.get_slot(LIVE_HANDOFF_SLOT) if LIVE_HANDOFF_SLOT in tracker.slots else None
        turn = current_turn()
        if turn is not None and state in (WAITING, ACTIVE):
            turn.live_handoff = state
        if state == ACTIVE and tracker.latest_action_name == ACTION_LISTEN_NAME:
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(probabilities)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "LiveHandoffPolicy":
        return cls(config, model_storage, resource, execution_context)
