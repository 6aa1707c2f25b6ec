"""Complaint nature values, button labels and free-text mapping (recours/natures.py). Expected values by hand."""

from __future__ import annotations

import pytest

from recours.natures import NATURE_LABELS_FR, NATURES, match_nature, score_natures, suggest_nature


def test_values_are_the_contract_values() -> None:
    assert NATURES == ("adhesion", "resiliation", "cotisation", "remboursement", "prestation", "delai_traitement",
                       "qualite_service", "autre")
    assert list(NATURE_LABELS_FR) == list(NATURES)


@pytest.mark.parametrize(
    ("value", "label"),
    [("adhesion", "Adhésion"), ("resiliation", "Résiliation"), ("cotisation", "Cotisation"),
     ("remboursement", "Remboursement"), ("prestation", "Autre prestation"),
     ("delai_traitement", "Délai de traitement"), ("qualite_service", "Qualité de service"), ("autre", "Autre")],
)
def test_labels(value: str, label: str) -> None:
    assert NATURE_LABELS_FR[value] == label


@pytest.mark.parametrize(("value", "label"), list(NATURE_LABELS_FR.items()))
def test_every_label_and_value_maps_back(value: str, label: str) -> None:
    assert match_nature(label) == value
    assert match_nature(label.lower()) == value
    assert match_nature(value) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the brief's examples
        ("c'est pour un remboursement", "remboursement"),
        ("ma cotisation a augmenté", "cotisation"),
        ("ils mettent trop de temps", "delai_traitement"),
        ("l'accueil au tel était nul", "qualite_service"),
        ("je veux résilier et ils refusent", "resiliation"),
        ("indemnités journalières pas versées", "prestation"),
        ("adhesion", "adhesion"),
        # typos, no accents, SMS
        ("rembourssement", "remboursement"),
        ("remboursment", "remboursement"),
        ("remb", "remboursement"),
        ("resilliation", "resiliation"),
        ("resiliation", "resiliation"),
        ("cotisaton", "cotisation"),
        ("cotis", "cotisation"),
        ("adhesoin", "adhesion"),
        ("delai de traitement", "delai_traitement"),
        ("qualite de service", "qualite_service"),
        ("autre prestation", "prestation"),
        # the member's own words
        ("c'est plutôt la cotisation", "cotisation"),
        ("je paye trop cher", "cotisation"),
        ("prélèvement en double", "cotisation"),
        ("mes lunettes", "remboursement"),
        ("soins dentaires pas remboursés", "remboursement"),
        ("ma demande de prise en charge hospitalisation", "remboursement"),
        ("ma rente invalidité", "prestation"),
        ("mon capital décès", "prestation"),
        ("c'est pour mon arrêt de travail", "prestation"),
        ("les IJ", "prestation"),
        ("inscrire mon bébé", "adhesion"),
        ("ma souscription", "adhesion"),
        ("j'ai été radié sans raison", "resiliation"),
        ("je veux quitter ma mutuelle", "resiliation"),
        ("conseiller désagréable", "qualite_service"),
        ("on m'a mal renseigné au téléphone", "qualite_service"),
        ("impossible de vous joindre", "qualite_service"),
        ("le site ne marche pas", "qualite_service"),
        ("j'attends une réponse depuis 3 mois", "delai_traitement"),
        ("pas de réponse", "delai_traitement"),
        ("tjrs pas de rep", "delai_traitement"),
        ("c'est trop long", "delai_traitement"),
        # subject over manner, specific subject over general one
        ("ils mettent trop de temps à me rembourser", "remboursement"),
        ("ils continuent de prélever mes cotisations alors que j'ai résilié", "resiliation"),
        ("ma cotisation a augmenté depuis mon adhésion", "cotisation"),
        ("résilier mon adhésion", "resiliation"),
        # none of the listed natures
        ("autre", "autre"),
        ("Autre chose", "autre"),
        ("aucun", "autre"),
        ("rien de tout ça", "autre"),
        ("aucune de ces catégories", "autre"),
        # members' round 12: the member corrects themselves, or types a button's label with a word around it
        ("resiliation. ah nn attend plutot cotisation psk vous continuez a me prelever 42 balles par mois",
         "cotisation"),
        ("cotisation plutôt que résiliation", "cotisation"),
        ("autre alors", "autre"),
        # members' round 22 (m22-C-01, m22-A-01): the clause stressed, and « bon mettez Autre »
        ("c'est le délai surtout, mon remboursement qui traine depuis des semaines", "delai_traitement"),
        ("bon mettez Autre", "autre"),
    ],
)
def test_match_nature(text: str, expected: str) -> None:
    assert match_nature(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "banane", "bonjour", "oui", "je ne sais pas", "euh"])
def test_match_nature_none(text: str) -> None:
    assert match_nature(text) is None


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Bonjour, j'ai envoyé ma facture d'opticien il y a deux mois et je n'ai toujours pas été remboursé "
         "de mes lunettes. J'ai relancé deux fois par mail sans réponse.", "remboursement"),
        ("Je suis en arrêt maladie depuis le mois de juin et mes indemnités journalières complémentaires ne sont "
         "plus versées depuis septembre.", "prestation"),
        ("J'ai résilié mon contrat en juin par lettre recommandée, mais vous continuez de me prélever les "
         "cotisations chaque mois. C'est inadmissible.", "resiliation"),
        ("Ma cotisation a augmenté de 20 % cette année sans aucune explication, alors que mes garanties sont "
         "les mêmes.", "cotisation"),
        ("J'ai demandé une attestation il y a trois mois, toujours rien, je relance sans arrêt, c'est beaucoup "
         "trop long.", "delai_traitement"),
        ("La conseillère que j'ai eue au téléphone a été très désagréable et m'a raccroché au nez.",
         "qualite_service"),
        ("Mon employeur m'a inscrit au contrat collectif mais mon adhésion n'a jamais été enregistrée et je "
         "n'ai pas de carte.", "adhesion"),
        ("tjrs pas de remb pour ma consultation chez le dentiste, ça fait 2 mois", "remboursement"),
        ("Ma demande de capital décès suite au décès de mon mari est bloquée depuis des mois.", "prestation"),
    ],
)
def test_suggest_nature(description: str, expected: str) -> None:
    assert suggest_nature(description) == expected


@pytest.mark.parametrize("description", ["", "  ", "Bonjour, je vous écris au sujet de mon dossier. Merci."])
def test_suggest_nature_none(description: str) -> None:
    assert suggest_nature(description) is None


def test_suggest_ignores_the_word_autre() -> None:
    # in a description "autre" is an ordinary word, not the "Autre" button
    assert suggest_nature("une autre fois on m'a dit autre chose sur mon remboursement") == "remboursement"


def test_score_natures_lists_the_alternatives() -> None:
    scores = score_natures("ils mettent trop de temps à me rembourser")
    assert [m.nature for m in scores] == ["remboursement", "delai_traitement"]


@pytest.mark.parametrize("text, nature", [
    # round 8 (m8-c-05 M8): « autre » chosen, then why — not the keyword of the explanation
    ("autre, c'est une demande de remboursement d'un trop-perçu", "autre"),
    ("autre prestation", "prestation"),
])
def test_the_choice_before_its_explanation(text, nature):
    assert match_nature(text) == nature


def test_a_remboursement_denied_and_the_assistance_guarantee_named():
    # members' round 10: « Ce n'est pas vraiment un remboursement de soins. C'est l'aide à domicile… »
    from recours.natures import match_nature

    assert match_nature("Ce n'est pas vraiment un remboursement de soins. C'est l'aide à domicile qu'on m'a "
                        "refusée, la garantie assistance.") == "prestation"


@pytest.mark.parametrize("text, nature", [
    # members' round 18 (m18-C-02 M7, m18-A-04): each recorded as the nature refused
    ("c'est les indemnités prévoyance, pas un remboursement de soins", "prestation"),
    ("adhesion?? nan cest rembourssement ET qualite de service pour la conseillere qui ma raccroche", "remboursement"),
    ("LE MOTIF est toujours adhesion!!! changez en remboursement", "remboursement"),
])
def test_a_nature_refused_or_changed_in_the_same_answer(text, nature):
    assert match_nature(text) == nature
