"""How to reach a person (recours/human_contact.py), for each organisation: phone and hours from the data file,
open now or not, the e-mail when there is one, the call-back; no Rasa."""

from __future__ import annotations

from datetime import datetime

import pytest

from recours import human_contact
from recours.organisations import load_organisation
from recours.settings import PARIS
from recours.urgency import URGENCIES

SATURDAY = datetime(2026, 11, 21, 10, tzinfo=PARIS)
MONDAY = datetime(2026, 11, 23, 10, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("key", "now", "expected"),
    [
        ("cpms", SATURDAY,
         "Je suis un assistant automatique : pour parler à une personne de CPMS, appelez le 01 47 70 30 97, du lundi "
         "au vendredi de 9 h à 17 h, sauf les jours fériés (horaires indicatifs). Nos conseillers sont joignables à "
         "partir de lundi 9 h. Vous pouvez aussi écrire à qualite@cpms.fr ou demander à être rappelé au moment qui "
         "vous convient."),
        ("klesia", MONDAY,
         "Je suis un assistant automatique : pour parler à une personne de KLESIA, appelez le 01 71 39 15 15, du "
         "lundi au vendredi de 8 h 30 à 18 h, sauf les jours fériés. Nos conseillers sont joignables maintenant, "
         "jusqu'à 18 h. Vous pouvez aussi demander à être rappelé au moment qui vous convient."),
        ("identites_mutuelle", SATURDAY,
         "Je suis un assistant automatique : pour parler à une personne d'Identités Mutuelle, écrivez-lui par le "
         "formulaire de contact en ligne du site d'Identités Mutuelle. Vous pouvez aussi demander à être rappelé : "
         "ses conseillers rappellent du lundi au vendredi de 9 h à 17 h, sauf les jours fériés (horaires "
         "indicatifs)."),
    ],
)
def test_the_answer_to_a_request_for_a_person(key, now, expected):
    assert human_contact.person_fr(load_organisation(key), now) == expected


def test_without_the_callback_offer():
    text = human_contact.person_fr(load_organisation("cpms"), SATURDAY, callback=False)
    assert "rappel" not in text and text.endswith("Vous pouvez aussi écrire à qualite@cpms.fr.")


def test_local_holidays_count_when_the_postal_code_is_known():
    thursday = datetime(2027, 3, 25, 18, tzinfo=PARIS)  # Good Friday next: a holiday in Alsace-Moselle only
    cpms = load_organisation("cpms")
    assert "à partir de demain 9 h" in human_contact.contact_fr(cpms, thursday)
    assert "à partir de mardi 9 h" in human_contact.contact_fr(cpms, thursday, "67")


def test_the_unasked_offers():
    cpms = load_organisation("cpms")
    assert human_contact.misunderstood_fr(cpms, SATURDAY).startswith(
        "Je ne parviens pas à vous comprendre, désolé. Une personne de CPMS pourra mieux vous aider : appelez le")
    urgent = human_contact.urgency_fr(URGENCIES["tiers_payant_refused"], cpms, SATURDAY)
    assert urgent.startswith("Votre situation est urgente (le tiers payant vous est refusé) : n'attendez pas la "
                             "réponse écrite. Pour parler à une personne de CPMS, appelez le 01 47 70 30 97")


def test_the_number_called():
    assert human_contact.phone_number(load_organisation("cpms")) == "01 47 70 30 97"
    assert human_contact.phone_number(load_organisation("identites_mutuelle")) is None


@pytest.mark.parametrize("text, expected", [
    ("je confirme, et rappelez-moi demain matin", True),
    ("c'est bon, vous pouvez me rappeler ?", True),
    ("j'envoie. Je veux être rappelée aussi", True),
    ("je confirme", False),
    ("le rappel de mes droits", False),
])
def test_a_callback_wish_inside_another_answer(text, expected):
    assert human_contact.asks_callback(text) is expected


@pytest.mark.parametrize("text, sentence, grievance", [
    # members' round 17 (m17-D-04): the debit's dates are in another sentence than the call-back's
    ("bonjour, ma cotisation de novembre (64,30 €) a été prélevée deux fois, le 5 et le 6 novembre. je voudrais faire "
     "une réclamation et qu'on me rappelle", "je voudrais faire une réclamation et qu'on me rappelle", True),
    ("mes lunettes ne sont toujours pas remboursées depuis deux mois, rappelez moi svp",
     "mes lunettes ne sont toujours pas remboursées depuis deux mois, rappelez moi svp", True),
    ("Bonjour. Je voudrais être rappelé demain matin.", "Je voudrais être rappelé demain matin", False),
    ("rappelez-moi demain matin au 06 00 00 00 12", "rappelez-moi demain matin au 06 00 00 00 12", False),
    ("Bonjour madame, je souhaiterais être rappelée par un conseiller concernant mon dossier",
     "Bonjour madame, je souhaiterais être rappelée par un conseiller concernant mon dossier", False),
    ("ma facture du 3 novembre", None, False),
])
def test_the_call_back_sentence_and_a_grievance_beside_it(text, sentence, grievance):
    assert human_contact.callback_sentence(text) == sentence
    assert human_contact.grievance_beside_callback(text) is grievance
