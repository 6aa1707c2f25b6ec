"""The fitted intent model as plain arrays: TF-IDF vocabularies, SVM weights and sigmoid calibrators.

Decision record (2026-12-01, issue 11): the sklearn pipeline was first persisted whole with skops. That file
held the vectorizers' ``stop_words_`` (every character n-gram seen once and dropped by ``min_df``: millions of
strings) and skops writes a dictionary entry by entry, so the model weighed 239 MB and the Rasa server's cold
start went from 28.7 s to 51.5 s. Only what prediction needs is kept here: per vectorizer its settings, its
terms in column order and their IDF; the SVM's weights and intercepts; each class's sigmoid (a, b). They are
written as one JSON file (settings, classes, terms) and one NumPy archive loaded with ``allow_pickle=False``,
so loading a model runs no code. ``predict_proba`` reproduces sklearn 1.1's ``CalibratedClassifierCV``
(``ensemble=False``, sigmoid) and is tested equal to it (tests/test_linear_model.py).

No Rasa import: the component in addons/intent_classifier.py is the adapter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

FORMAT = 1
JSON_FILE = "linear_intent_model.json"
ARRAYS_FILE = "linear_intent_model.npz"

# the vectorizer settings that matter for transform (the rest are sklearn's defaults, unchanged here)
_SETTINGS = ("analyzer", "ngram_range", "token_pattern", "sublinear_tf", "lowercase", "norm", "use_idf",
             "smooth_idf", "strip_accents", "binary")


@dataclass
class LinearModel:
    vectorizers: list[Any]  # fitted TfidfVectorizer objects (vocabulary_ and idf_ only)
    classes: list[str]
    coef: np.ndarray  # (n_classes, n_features)
    intercept: np.ndarray  # (n_classes,)
    calibration_a: np.ndarray  # (n_classes,)
    calibration_b: np.ndarray  # (n_classes,)

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> "LinearModel":
        """From the fitted make_pipeline(make_union(TfidfVectorizer…), CalibratedClassifierCV(LinearSVC, ensemble=False))."""
        union, calibrated = pipeline.steps[0][1], pipeline.steps[-1][1]
        if len(calibrated.calibrated_classifiers_) != 1:
            raise ValueError("expected one calibrated classifier (ensemble=False)")
        fitted = calibrated.calibrated_classifiers_[0]
        svm = getattr(fitted, "estimator", None) or fitted.base_estimator  # renamed in sklearn 1.2
        if list(svm.classes_) != list(calibrated.classes_) or len(calibrated.classes_) < 3:
            raise ValueError("expected a multi-class SVM whose classes are the calibrated classes")
        vectorizers = [_light_copy(v) for _, v in union.transformer_list]
        return cls(
            vectorizers=vectorizers,
            classes=[str(c) for c in calibrated.classes_],
            coef=np.asarray(svm.coef_, dtype=np.float64),
            intercept=np.asarray(svm.intercept_, dtype=np.float64),
            calibration_a=np.array([c.a_ for c in fitted.calibrators], dtype=np.float64),
            calibration_b=np.array([c.b_ for c in fitted.calibrators], dtype=np.float64),
        )

    def features(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import hstack

        return hstack([v.transform(texts) for v in self.vectorizers]).tocsr()

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        decision = self.features(texts) @ self.coef.T + self.intercept
        proba = 1.0 / (1.0 + np.exp(self.calibration_a * decision + self.calibration_b))  # expit(-(a·d + b))
        total = proba.sum(axis=1, keepdims=True)
        uniform = np.full_like(proba, 1.0 / len(self.classes))
        proba = np.divide(proba, total, out=uniform, where=total != 0)
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    def save(self, directory: Path) -> None:
        description = {
            "format": FORMAT,
            "classes": self.classes,
            "vectorizers": [
                {"settings": _settings(v), "terms": sorted(v.vocabulary_, key=v.vocabulary_.__getitem__)}
                for v in self.vectorizers
            ],
        }
        (directory / JSON_FILE).write_text(json.dumps(description, ensure_ascii=False), encoding="utf-8")
        arrays = {f"idf_{i}": v.idf_ for i, v in enumerate(self.vectorizers)}
        np.savez(directory / ARRAYS_FILE, coef=self.coef, intercept=self.intercept, calibration_a=self.calibration_a,
                 calibration_b=self.calibration_b, **arrays)

    @classmethod
    def load(cls, directory: Path) -> "LinearModel":
        from sklearn.feature_extraction.text import TfidfVectorizer

        description = json.loads((directory / JSON_FILE).read_text(encoding="utf-8"))
        if description.get("format") != FORMAT:
            raise ValueError(f"unknown model format {description.get('format')!r}")
        with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
            vectorizers = []
            for i, spec in enumerate(description["vectorizers"]):
                settings = dict(spec["settings"])
                settings["ngram_range"] = tuple(settings["ngram_range"])
                vectorizer = TfidfVectorizer(**settings)
                vectorizer.vocabulary_ = {term: j for j, term in enumerate(spec["terms"])}
                vectorizer.fixed_vocabulary_ = True
                vectorizer.idf_ = arrays[f"idf_{i}"]
                vectorizers.append(vectorizer)
            model = cls(vectorizers, list(description["classes"]), arrays["coef"], arrays["intercept"],
                        arrays["calibration_a"], arrays["calibration_b"])
        width = sum(len(v.vocabulary_) for v in vectorizers)
        if model.coef.shape != (len(model.classes), width) or model.intercept.shape != (len(model.classes),):
            raise ValueError("model arrays do not match its vocabularies")
        return model


def _settings(vectorizer: Any) -> dict[str, Any]:
    return {name: getattr(vectorizer, name) for name in _SETTINGS}


def _light_copy(vectorizer: Any) -> Any:
    """A transform-only copy of a fitted TfidfVectorizer, without ``stop_words_``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    settings = _settings(vectorizer)
    copy = TfidfVectorizer(**settings)
    copy.vocabulary_ = dict(vectorizer.vocabulary_)
    copy.fixed_vocabulary_ = True
    copy.idf_ = vectorizer.idf_
    return copy
