"""A linear intent classifier for French member messages (a Rasa 3.6 graph component).

Decision record (why our own component, 2026-12-01, issue 11):
- With the training data grown to 5,480 varied examples (29 intents), DIETClassifier (one 128-unit transformer
  layer, 80 epochs, as configured until then) trained at 25–37 s per epoch on this 2-core machine: 40 minutes
  per training, so neither the 5-fold cross-validation nor `make test` (which trains) would fit their budgets.
- Measured by 5-fold cross-validation on that data (stratified, seed 1; script in docs/nlu.md): TF-IDF of
  character n-grams (2–5, within word boundaries) plus words and word pairs, with a linear SVM, 0.888 intent
  accuracy in 9 s for all five folds; Rasa's own LogisticRegressionClassifier on CountVectorsFeaturizer
  features, 0.873 in 152 s; logistic regression on the same TF-IDF, 0.885 in 159 s. Accent folding and the SMS
  normaliser of recours.qualification changed the figure by less than 0.003.
- Rasa ships no TF-IDF featurizer and its SklearnIntentClassifier needs dense features, so this component
  builds the TF-IDF itself and calibrates the SVM (sigmoid, 3 folds) to give the confidences the rest of the
  assistant relies on (FallbackClassifier at 0.45, recours.qualification's 0.6, recours.reading's 0.8).
- It is persisted as plain arrays (addons/linear_model.py: a JSON file and a NumPy archive), never pickle:
  loading a model runs no code. (skops, first used, wrote a 239 MB file that doubled the cold start.)
- Entities (nature, field, carrier_type) are extracted by Rasa's CRFEntityExtractor; the actions fall back on
  the text for each of them (recours.natures, recours.recap, actions/mediation.py).

Texts are lower-cased and accent-folded before the TF-IDF so « reclamation » and « réclamation » meet.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.linear_model import LinearModel
from recours.qualification import normalise_text
from recours.text import unaccent

logger = logging.getLogger(__name__)


def features_text(text: str) -> str:
    """What the vectorizers see: the text lower case without accents (recours.text.unaccent), then the same text
    with SMS words expanded and misspelt words corrected (recours.qualification's normaliser), so « jai tjr pa eu
    ma rep » also reads as words."""
    return f"{unaccent(text)} ¦ {normalise_text(text or '')}"


def build_pipeline(config: Dict[str, Any], folds: int) -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    features = make_union(
        # characters within words, characters across word boundaries (« pas de réponse »), words and pairs
        TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(config["char_ngrams"]), sublinear_tf=True),
        TfidfVectorizer(analyzer="char", ngram_range=tuple(config["cross_word_ngrams"]), sublinear_tf=True,
                        min_df=config["min_df"]),
        TfidfVectorizer(token_pattern=r"(?u)\b\w+\b", ngram_range=tuple(config["word_ngrams"]), sublinear_tf=True),
    )
    svm = LinearSVC(C=config["C"], class_weight="balanced", random_state=config["random_state"])
    # ensemble=False: one SVM fitted on all the data, calibrated on cross-validated predictions
    return make_pipeline(features, CalibratedClassifierCV(svm, cv=folds, method="sigmoid", ensemble=False))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """TF-IDF (characters and words) and a calibrated linear SVM."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "C": 1.0,
            "char_ngrams": [1, 5],
            "cross_word_ngrams": [4, 7],
            "word_ngrams": [1, 2],
            "min_df": 2,
            "calibration_folds": 3,
            "random_state": 42,
            "ranking_length": 10,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn", "numpy", "scipy"]

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[LinearModel] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        counts = Counter(e.get(INTENT) for e in examples)
        # Rasa also trains a copy of the NLU pipeline on the texts of stories (end-to-end featurisation), where
        # an intent may have a single text: those are left out, calibration needs two per class at least.
        examples = [e for e in examples if counts[e.get(INTENT)] >= 2]
        kept = {e.get(INTENT) for e in examples}
        if len(kept) < 2:
            return self._resource
        folds = min(self.config["calibration_folds"], min(counts[i] for i in kept))
        pipeline = build_pipeline(self.config, folds)
        import numpy as np

        # an array, not a list: sklearn 1.1's calibration compares ``y == class`` element-wise
        pipeline.fit([features_text(e.get(TEXT)) for e in examples], np.asarray([e.get(INTENT) for e in examples]))
        self.model = LinearModel.from_pipeline(pipeline)
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        texts = [features_text(m.get(TEXT) or "") for m in messages]
        probabilities = self.model.predict_proba(texts)
        classes = self.model.classes
        for message, row in zip(messages, probabilities):
            if not message.get(TEXT):
                continue
            ranking = sorted(
                ({"name": name, "confidence": float(p)} for name, p in zip(classes, row)),
                key=lambda r: -r["confidence"],
            )
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[: self.config["ranking_length"]], add_to_output=True)
        return messages

    def persist(self) -> None:
        if self.model is None:
            return
        with self._model_storage.write_to(self._resource) as model_dir:
            self.model.save(model_dir)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "LinearIntentClassifier":
        try:
            with model_storage.read_from(resource) as model_dir:
                model: Optional[LinearModel] = LinearModel.load(model_dir)
        except (ValueError, KeyError, FileNotFoundError) as exc:
            logger.warning("Intent classifier not loaded (%s): every message will be unclassified", type(exc).__name__)
            model = None
        return cls(config, model_storage, resource, model)
