"""Mediator registry and routing by the risk carrier's legal form (rules.md §5, facts.md §4)."""

import pytest
import yaml

from recours.mediators import (
    MEDIATORS_FILE,
    carrier_options,
    choose_mediator,
    get_mediator,
    mediator_registry,
    read_mediator_file,
)
from recours.organisations import DataFileError, load_organisation, read_yaml

CONTRACT_IDS = {"mediation_assurance", "ctip", "fnmf", "mcd_cnpm", "cpam_mediateur"}


def test_registry_has_exactly_the_contract_ids():
    assert set(mediator_registry()) == CONTRACT_IDS


@pytest.mark.parametrize(
    ("mediator_id", "lines"),
    [
        # The corrected address, not S0's "1 rue Jules Lefebvre" (facts.md §7.1).
        ("mediation_assurance", ("La Médiation de l'Assurance", "TSA 50110", "75441 Paris Cedex 09")),
        ("ctip", ("Médiateur de la protection sociale (CTIP)", "10, rue Cambacérès", "75008 Paris")),
        ("fnmf", ("Monsieur le Médiateur de la Mutualité Française", "FNMF", "255 rue de Vaugirard",
                  "75719 Paris Cedex 15")),
    ],
)
def test_postal_addresses(mediator_id, lines):
    assert get_mediator(mediator_id).postal_address.lines == lines


def test_outdated_address_is_nowhere():
    for mediator in mediator_registry().values():
        assert "Jules Lefebvre" not in " ".join(mediator.postal_address.lines or ())


def test_cnpm_address_is_flagged_unconfirmed():
    postal = get_mediator("mcd_cnpm").postal_address
    assert postal.lines[-1] == "42000 Saint-Étienne"
    assert postal.to_confirm is True


@pytest.mark.parametrize(
    ("mediator_id", "url"),
    [
        ("mediation_assurance", "https://formulaire.mediation-assurance.org"),
        ("ctip", "https://ctip.asso.fr/mediateur-de-la-protection-sociale-ctip/"),
        ("fnmf", "https://www.mediateur-mutualite.fr/saisir-le-mediateur/"),
        ("mcd_cnpm", "https://www.cnpm-mediation-consommation.eu"),
    ],
)
def test_online_referral(mediator_id, url):
    assert get_mediator(mediator_id).online_referral.url == url


@pytest.mark.parametrize("mediator_id", sorted(CONTRACT_IDS - {"cpam_mediateur"}))
def test_consumer_mediators_delays(mediator_id):
    delays = get_mediator(mediator_id).delays
    assert (delays.admissibility_days, delays.outcome_days) == (21, 90)


def test_cpam_mediator_has_no_consumer_delays_and_no_single_address():
    cpam = get_mediator("cpam_mediateur")
    assert cpam.delays is None
    assert cpam.postal_address.lines is None and "CPAM" in cpam.postal_address.note_fr
    assert cpam.consumer_mediation is False


@pytest.mark.parametrize("mediator_id", sorted(CONTRACT_IDS))
def test_every_mediator_fact_is_sourced(mediator_id):
    mediator = get_mediator(mediator_id)
    for block in (mediator.postal_address, mediator.online_referral, mediator.file_contents):
        assert block.source and block.as_of
    assert mediator.file_contents.items_fr


@pytest.mark.parametrize(
    ("key", "carrier_type", "expected_id", "needs_carrier_type"),
    [
        ("cpms", "societe_assurance", "mediation_assurance", False),
        ("cpms", "institution_prevoyance", "ctip", False),
        ("cpms", "mutuelle_fnmf", "fnmf", False),
        ("cpms", "autre", None, False),
        ("cpms", None, None, True),
        ("identites_mutuelle", None, "mcd_cnpm", False),
        ("identites_mutuelle", "societe_assurance", "mcd_cnpm", False),  # designated: carrier type ignored
        ("klesia", None, "ctip", False),
        ("klesia", "mutuelle_fnmf", "ctip", False),
    ],
)
def test_choose_mediator(key, carrier_type, expected_id, needs_carrier_type):
    choice = choose_mediator(load_organisation(key), carrier_type)
    assert choice.mediator_id == expected_id
    assert choice.needs_carrier_type is needs_carrier_type
    assert choice.explanation_fr


def test_broker_without_carrier_type_offers_the_options():
    choice = choose_mediator(load_organisation("cpms"), None)
    assert [option.key for option in choice.options] == [
        "societe_assurance", "institution_prevoyance", "mutuelle_fnmf", "autre"
    ]
    assert all(option.label_fr for option in choice.options)
    assert "Quel type d'organisme" in choice.explanation_fr
    assert "courtier" in choice.own_conduct_note_fr


def test_broker_other_carrier_points_to_the_notice():
    choice = choose_mediator(load_organisation("cpms"), "autre")
    assert "notice d'information" in choice.explanation_fr


def test_broker_choice_says_to_check_the_answer_letter():
    choice = choose_mediator(load_organisation("cpms"), "societe_assurance")
    assert "la Médiation de l'Assurance" in choice.explanation_fr
    assert "notice d'information" in choice.explanation_fr


def test_unknown_carrier_type_is_an_error():
    with pytest.raises(ValueError, match="banque"):
        choose_mediator(load_organisation("cpms"), "banque")


def test_unknown_mediator_id_is_an_error():
    with pytest.raises(KeyError, match="ctip"):
        get_mediator("mediateur_inconnu")


def test_carrier_routing_points_to_registered_mediators():
    registry = mediator_registry()
    for option in carrier_options():
        assert option.mediator_id is None or option.mediator_id in registry
        assert option.mediator_id is not None or option.note_fr


@pytest.mark.parametrize(
    ("mediator_id", "expected"),
    [
        ("ctip", ["Pour saisir le Médiateur de la protection sociale (CTIP)", "10, rue Cambacérès",
                  "https://ctip.asso.fr/", "3 semaines", "90 jours"]),
        ("mediation_assurance", ["TSA 50110", "https://formulaire.mediation-assurance.org"]),
        ("cpam_mediateur", ["compte ameli", "version web uniquement", "adressé au médiateur de votre CPAM"]),
    ],
)
def test_how_to_refer_fr(mediator_id, expected):
    text = get_mediator(mediator_id).how_to_refer_fr()
    for fragment in expected:
        assert fragment in text


def test_a_broken_registry_fails(tmp_path):
    data = read_yaml(MEDIATORS_FILE)
    del data["mediators"]["fnmf"]
    path = tmp_path / "mediators.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError):
        read_mediator_file(path)


def test_routing_to_an_unknown_mediator_fails(tmp_path):
    data = read_yaml(MEDIATORS_FILE)
    data["carrier_types"]["societe_assurance"]["mediator"] = "mediateur_inconnu"
    path = tmp_path / "mediators.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError, match="mediateur_inconnu"):
        read_mediator_file(path)


# -- issue 12 item 8: Identités Mutuelle's mediator, both names kept with their dates, flagged ---------------------


def test_identites_mediator_names_are_both_recorded_with_dates_and_sources():
    from datetime import date

    from recours.mediators import get_mediator

    mediator = get_mediator("mcd_cnpm")
    names = {name.url: name for name in mediator.name_history}
    shown = names["https://www.cnpm-mediation-consommation.eu"]
    other = names["https://www.medconsodev.eu"]
    assert shown.used and shown.name_fr == "Médiation Consommation Développement" and "S1" in shown.source
    assert not other.used and other.to_confirm and "MED CONSO DEV" in other.name_fr
    assert shown.as_of == date(2026, 11, 21) and other.as_of == date(2026, 12, 1)
    # what the member reads is the name and site the organisation's own dated page gives
    assert mediator.online_referral.url == shown.url
    assert "medconsodev" not in mediator.how_to_refer_fr()
    assert mediator.to_confirm_with_organisation


def test_identites_mutuelle_file_flags_the_mediator_for_the_organisation():
    from recours.organisations import load_organisation

    assert load_organisation("identites_mutuelle").mediator.to_confirm is True
    assert load_organisation("klesia").mediator.to_confirm is False


@pytest.mark.parametrize(
    "text, key",
    [("Prévoyance Santé Assurances, entreprise régie par le Code des assurances", "societe_assurance"),
     ("Une société d'assurance", "societe_assurance"), ("une mutuelle", "mutuelle_fnmf"),
     ("c'est une institution de prévoyance", "institution_prevoyance"), ("je sais pas", None)],
)
def test_the_legal_form_named_beats_a_word_of_the_name(text, key):
    from recours.answers import fold
    from recours.mediators import carrier_type_in
    assert carrier_type_in(fold(text)) == key


def test_a_mutuelle_said_not_to_be_of_the_mutualite_francaise():
    # members' round 11: the negation was dropped and the FNMF mediator named
    from recours.mediators import carrier_type_in
    from recours.text import fold

    assert carrier_type_in(fold("Prévalys Mutuelle, code de la mutualité. Il n'y a pas de logo Mutualité "
                                "Française")) == "autre"
    assert carrier_type_in(fold("une mutuelle (Mutualité Française)")) == "mutuelle_fnmf"


def test_an_insurers_type_denied_is_not_the_one_said():
    # members' round 19 (m19-A-04): « pas une mutuelle » gave the Médiateur de la Mutualité Française
    from recours.mediators import carrier_type_in
    from recours.text import fold

    assert carrier_type_in(fold("cest une assurance normale jcrois, pas une mutuelle")) == "societe_assurance"
    assert carrier_type_in(fold("une mutuelle")) == "mutuelle_fnmf"


def test_the_broker_s_own_conduct_named_after_the_guidance():
    # members' round 21 (m21-D-05 M5-M6): the insurer's mediator given six times
    from recours.mediators import read_dispute_subject

    for text in ("et dailleurs c'est CPMS qui gere mal ma resiliation, pas Marbeuf, c'est le meme mediateur ?",
                 "le probleme vient de CPMS (gestion de la resiliation), pas de l'assureur. quel mediateur ?"):
        assert read_dispute_subject(text, "CPMS") == "broker"
    assert read_dispute_subject("c'est CPMS qui refuse le remboursement de mes lunettes", "CPMS") != "broker"


@pytest.mark.parametrize("text, both", [
    # members' round 23 (m23-D-05 M6, M7): the refusal sent to the broker's own mediator
    ("Ma question : CPMS qui ne répond pas à mes relances, c'est le travail du courtier, non ? Ça va aussi au CTIP ?",
     True),
    ("Donc si je comprends bien : la rente refusée, c'est le CTIP, et le fait que CPMS ne réponde pas, c'est un autre "
     "médiateur ? Je dois faire deux dossiers ?", True),
    ("le problème vient de CPMS (gestion de la résiliation), pas de l'assureur. quel médiateur ?", False),
    ("ma rente est refusée", False),
])
def test_the_broker_s_own_handling_raised_beside_the_contract_s_dispute(text, both):
    from recours.mediators import broker_conduct_too

    assert broker_conduct_too(text, "CPMS") is both
