"""The intent model kept as plain arrays predicts exactly what the fitted sklearn pipeline predicts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from addons.intent_classifier import build_pipeline, features_text
from addons.linear_model import ARRAYS_FILE, JSON_FILE, LinearModel

TRAIN = {
    "complain": ["ma mutuelle refuse de rembourser mes lunettes c'est honteux", "je suis mécontent du service",
                 "vous m'avez radié sans prévenir, inadmissible", "toujours pas de remboursement depuis 3 mois",
                 "JE CONTESTE CETTE DECISION", "votre conseiller a été odieux au téléphone"],
    "ask_information": ["quel est le délai de remboursement ?", "comment envoyer une facture",
                        "c'est quoi le tiers payant", "a quoi sert la carte vitale", "combien coûte l'option dentaire",
                        "quels sont vos horaires d'ouverture"],
    "greet": ["bonjour", "salut", "bonsoir madame", "coucou", "bjr", "hello"],
    "affirm": ["oui", "d'accord", "ok", "exactement", "c'est ça", "ouais"],
}
UNSEEN = ["jai tjr pa eu mon rbt", "Bonjour, je voudrais savoir le délai", "oui c'est bien ça", "", "zzzz",
          "Madame, Monsieur, je me permets de contester votre décision du 3 mars"]


@pytest.fixture(scope="module")
def fitted():
    config = {"C": 1.0, "char_ngrams": [1, 5], "cross_word_ngrams": [4, 7], "word_ngrams": [1, 2], "min_df": 2,
              "random_state": 42}
    texts = [features_text(t) for ts in TRAIN.values() for t in ts]
    labels = np.asarray([i for i, ts in TRAIN.items() for _ in ts])
    return build_pipeline(config, folds=3).fit(texts, labels)


def test_the_arrays_predict_what_the_pipeline_predicts(fitted) -> None:
    model = LinearModel.from_pipeline(fitted)
    texts = [features_text(t) for t in UNSEEN]
    assert model.classes == list(fitted.classes_)
    np.testing.assert_allclose(model.predict_proba(texts), fitted.predict_proba(texts), rtol=0, atol=1e-12)


def test_a_saved_model_loads_without_pickle_and_predicts_the_same(fitted, tmp_path: Path) -> None:
    model = LinearModel.from_pipeline(fitted)
    model.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([ARRAYS_FILE, JSON_FILE])
    with np.load(tmp_path / ARRAYS_FILE, allow_pickle=False) as arrays:  # no object arrays in the archive
        assert all(arrays[k].dtype != object for k in arrays.files)
    loaded = LinearModel.load(tmp_path)
    texts = [features_text(t) for t in UNSEEN]
    np.testing.assert_array_equal(loaded.predict_proba(texts), model.predict_proba(texts))
    # the n-grams dropped by min_df are not kept (they made the first format weigh 239 MB)
    assert not any(hasattr(v, "stop_words_") for v in loaded.vectorizers)


def test_a_model_whose_arrays_do_not_match_its_vocabulary_is_refused(fitted, tmp_path: Path) -> None:
    model = LinearModel.from_pipeline(fitted)
    model.coef = model.coef[:, :-1]
    model.save(tmp_path)
    with pytest.raises(ValueError):
        LinearModel.load(tmp_path)
