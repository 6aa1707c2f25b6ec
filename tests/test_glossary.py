"""recours.glossary: the words members ask about mid-question, defined in plain French."""

from __future__ import annotations

import re

import pytest

from recours.glossary import asked_term, terms


@pytest.mark.parametrize("text, key", [
    ("ça veut dire quoi souscrit ?", "holder"),
    ("c'est quoi un NIR ?", "nir"),
    ("qu'est-ce que le médiateur ?", "mediator"),
    ("le médiateur c'est qui", "mediator"),
    ("c quoi la CRA", "cra"),
    ("c'est quoi la commission médicale de recours amiable ?", "cmra"),
    ("faut il un recommandé ?", "registered_letter"),
])
def test_the_term_asked_about(text, key):
    assert asked_term(text).key == key


@pytest.mark.parametrize("text", ["je veux saisir le médiateur", "mon numéro d'adhérent est 4587221", "c'est quoi ?"])
def test_no_definition_asked(text):
    assert asked_term(text) is None


def test_every_definition_is_short_plain_french():
    for term in terms():
        assert 40 <= len(term.definition_fr) <= 320 and term.definition_fr.endswith("."), term.key
        assert not re.search(r"\b(?:tu|ton|ta|tes|toi)\b", term.definition_fr), term.key  # vouvoiement


@pytest.mark.parametrize("question", ["c koi la CEAM ?", "la ceam ca sert a quoi", "c'est quoi la carte européenne ?"])
def test_the_european_card_asked_in_members_words(question):
    # round 9 (m9-a-04 M6): the « mécontent ou information ? » choice again
    term = asked_term(question)
    assert term is not None and term.key == "ceam" and "ameli" in term.definition_fr


@pytest.mark.parametrize("question, key", [
    # members' round 20 (m20-B-01, B-02, B-05): each refused, or « prescription » answered with the deadlines
    ("Pardonnez-moi, mais qu'entendez-vous exactement par « prescription » ?", "prescription"),
    ("Qu'est-ce que vous appelez un contrat collectif ?", "collective_contract"),
    ("c'est quoi un contrat collectif ?", "collective_contract"),
    ("que veut dire « CRA » ?", "cra"),
    ("Que voulez-vous dire par « décision » ?", "decision"),
    ("et/ou ça veut dire quoi ?", "and_or"),
    ("qu'est-ce qu'un courtier ?", "broker"),
    ("c'est quoi le délai du médiateur ?", None),  # a delay, not a definition
])
def test_the_word_whose_meaning_is_asked(question, key):
    from recours.glossary import defined_term

    term = defined_term(question)
    assert (term.key if term else None) == key
