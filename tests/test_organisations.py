"""Organisation data files: every file validates, a broken file fails, and the facts the assistant relies on."""

import dataclasses
import re
import shutil
from datetime import time
from pathlib import Path

import pytest
import yaml

from recours.organisations import (
    ORGANISATIONS_DIR,
    DataFileError,
    UnknownOrganisationError,
    current_organisation,
    list_organisation_keys,
    load_organisation,
    load_organisation_file,
    read_yaml,
)
from recours.settings import get_settings

ALL_FILES = sorted(ORGANISATIONS_DIR.glob("*.yml"))
SOURCED_SECTIONS = ["identity", "display", "usual_contact", "opening_hours", "internal_review", "identifiers",
                    "delays", "mediation", "mediator", "dpo", "medical_documents"]


def test_the_three_contract_organisations_exist():
    assert {"cpms", "identites_mutuelle", "klesia"} <= set(list_organisation_keys())
    assert len(ALL_FILES) == len(list_organisation_keys())


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_every_file_validates_and_loads(path):
    organisation = load_organisation_file(path)
    assert organisation.key == path.stem


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_every_fact_has_a_source_and_a_date(path):
    data = read_yaml(path)
    blocks = [data[name] for name in SOURCED_SECTIONS]
    channels = data["complaint_channels"]
    blocks += [channels[name] for name in ("phone", "email", "online_form", "download_form") if channels[name]]
    blocks += channels["postal"]
    for block in blocks:
        assert block["source"].strip()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", block["as_of"])


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_no_invented_email_address(path):
    """Only e-mail addresses published in the seeds may appear (rules.md §7)."""
    published = {"qualite@cpms.fr", "dpo@cpms.fr"}
    found = set(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", path.read_text(encoding="utf-8")))
    assert found <= published


@pytest.mark.parametrize(
    ("key", "kind", "after_answer", "routing", "mediator_id", "may_collect_nir"),
    [
        ("cpms", "broker", "immediate", "by_risk_carrier", None, True),
        ("identites_mutuelle", "mutuelle", "immediate", "designated", "mcd_cnpm", False),
        ("klesia", "institution_de_prevoyance", "two_months", "designated", "ctip", False),
    ],
)
def test_policies(key, kind, after_answer, routing, mediator_id, may_collect_nir):
    organisation = load_organisation(key)
    assert organisation.kind == kind
    assert organisation.after_answer == after_answer
    assert organisation.mediator.routing == routing
    assert organisation.mediator.mediator_id == mediator_id
    assert organisation.may_collect_nir is may_collect_nir


@pytest.mark.parametrize(
    ("key", "ack_unit", "ack_value", "answer_unit", "answer_value"),
    [
        ("cpms", "calendar_days", 10, "months", 2),
        ("identites_mutuelle", "working_days", 10, "months", 2),
        ("klesia", "working_days", 10, "months", 2),
    ],
)
def test_published_delays(key, ack_unit, ack_value, answer_unit, answer_value):
    delays = load_organisation(key).delays
    assert (delays.acknowledgement.unit, delays.acknowledgement.value) == (ack_unit, ack_value)
    assert (delays.answer.unit, delays.answer.value) == (answer_unit, answer_value)
    assert delays.starts_from == "sending"


def test_cpms_facts():
    cpms = load_organisation("cpms")
    channels = cpms.complaint_channels
    assert channels.phone.number == "01 47 70 30 97"
    assert channels.email.address == "qualite@cpms.fr"
    assert channels.postal_for("general").lines == (
        "CENTRE DE PREVOYANCE MEDICO-SOCIAL", "Service qualité", "4, rue Auber", "75009 PARIS"
    )
    assert cpms.dpo.email == "dpo@cpms.fr"
    assert cpms.dpo.to_confirm is False
    assert "4, rue Auber" in cpms.dpo.postal_lines
    assert cpms.internal_review.offered and cpms.internal_review.optional
    assert cpms.internal_review.required_by_some_carriers
    assert cpms.mediator.carrier_types[:3] == ("societe_assurance", "institution_prevoyance", "mutuelle_fnmf")
    assert cpms.mediator.own_conduct_note_fr
    assert cpms.is_broker


def test_identites_mutuelle_facts():
    identites = load_organisation("identites_mutuelle")
    assert [level.name_fr for level in identites.internal_review.levels] == [
        "Le Service Relation Adhérents", "Le Service Réclamations", "Le médiateur"
    ]
    assert identites.complaint_channels.postal_for("general").lines[-2:] == ("BP 20836", "75828 Paris Cedex 17")
    assert identites.identifiers.member_identifier_label_fr == "numéro adhérent"
    # No DPO in the seed: the complaint address, flagged, and no e-mail.
    assert identites.dpo.email is None
    assert identites.dpo.to_confirm is True
    assert identites.de_name_fr == "d'Identités Mutuelle"


@pytest.mark.parametrize(
    ("key", "opens", "closes", "to_confirm"),
    [("klesia", time(8, 30), time(18, 0), False), ("cpms", time(9), time(17), True),
     ("identites_mutuelle", time(9), time(17), True)],
)
def test_opening_hours(key, opens, closes, to_confirm):
    """KLESIA publishes its hours with its number (S4); CPMS and Identités Mutuelle do not: assumed, to confirm."""
    hours = load_organisation(key).opening_hours
    weekdays = ("monday", "tuesday", "wednesday", "thursday", "friday")
    assert [(p.days, p.opens, p.closes) for p in hours.weekly] == [(weekdays, opens, closes)]
    assert hours.closed_on_public_holidays is True
    assert hours.to_confirm is to_confirm
    assert ("aucune source" in hours.source) is to_confirm


def test_klesia_has_one_postal_address_per_domain():
    klesia = load_organisation("klesia")
    channels = klesia.complaint_channels
    assert {address.domain for address in channels.postal} == {
        "sante", "incapacite_invalidite", "deces_rente_dependance", "designation_beneficiaires",
        "dossiers_medicaux", "entreprises",
    }
    sante = channels.postal_for("sante")
    assert sante.lines is None and "carte de tiers payant" in sante.note_fr
    assert channels.postal_for("deces_rente_dependance").lines == ("Capital Décès 3", "CS 30027", "93108 Montreuil Cedex")
    assert channels.postal_for("entreprises").lines[1] == "TSA 90200"
    assert "A l'attention du Médecin Conseil" in channels.postal_for("dossiers_medicaux").lines
    assert klesia.medical_documents.postal_lines == channels.postal_for("dossiers_medicaux").lines
    assert channels.phone.hours_fr == "du lundi au vendredi de 8h30 à 18h00"
    assert klesia.usual_contact.phone_number == "01 71 39 15 15"
    assert klesia.dpo.email is None and klesia.dpo.to_confirm is True
    assert klesia.internal_review.offered is False
    assert klesia.de_name_fr == "de KLESIA"


def test_organisation_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        load_organisation("cpms").name = "Autre"  # type: ignore[misc]


def test_load_is_cached():
    assert load_organisation("klesia") is load_organisation("klesia")


@pytest.mark.parametrize("key", ["inconnue", "../settings", "", "cpms.yml"])
def test_unknown_key_lists_the_known_ones(key):
    with pytest.raises(UnknownOrganisationError) as error:
        load_organisation(key)
    assert "cpms, identites_mutuelle, klesia" in str(error.value)


def test_key_is_normalised():
    assert load_organisation(" CPMS ").key == "cpms"


@pytest.fixture
def settings_env(monkeypatch):
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_current_organisation_defaults_to_cpms(settings_env):
    settings_env.delenv("RECOURS_ORGANISATION", raising=False)
    assert current_organisation().key == "cpms"


def test_current_organisation_follows_the_setting(settings_env):
    settings_env.setenv("RECOURS_ORGANISATION", "klesia")
    assert current_organisation().key == "klesia"


def test_current_organisation_unknown_key_fails_clearly(settings_env):
    settings_env.setenv("RECOURS_ORGANISATION", "nimporte")
    with pytest.raises(UnknownOrganisationError, match="known organisations"):
        current_organisation()


def test_adding_an_organisation_is_adding_a_file(tmp_path):
    for path in ALL_FILES:
        shutil.copy(path, tmp_path / path.name)
    data = yaml.safe_load((tmp_path / "klesia.yml").read_text(encoding="utf-8"))
    data["key"] = "demo_prevoyance"
    data["identity"]["name"] = "Démo Prévoyance"
    (tmp_path / "demo_prevoyance.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "demo_prevoyance" in list_organisation_keys(tmp_path)
    assert load_organisation("demo_prevoyance", tmp_path).name == "Démo Prévoyance"


def _set(path: list, value):
    def mutate(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return mutate


def _delete(path: list):
    def mutate(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]
    return mutate


BROKEN = {
    "delay without source": _delete(["delays", "source"]),
    "fact without as_of": _delete(["dpo", "as_of"]),
    "as_of not a date": _set(["mediation", "as_of"], "2025-13-01"),
    "unknown mediation policy": _set(["mediation", "after_answer"], "sometimes"),
    "unknown kind": _set(["identity", "kind"], "bank"),
    "designated without mediator": _set(["mediator", "id"], None),
    "unknown mediator id": _set(["mediator", "id"], "mediateur_inconnu"),
    "unknown delay unit": _set(["delays", "answer", "unit"], "weeks"),
    "colour not hex": _set(["display", "primary_colour"], "blue"),
    "dpo e-mail malformed": _set(["dpo", "email"], "dpo-at-klesia"),
    "missing dpo": _delete(["dpo"]),
    "nir flag not boolean": _set(["identifiers", "may_collect_nir"], "yes"),
    "unexpected field": _set(["identity", "slogan"], "Toujours là"),
    "postal without lines nor note": _delete(["complaint_channels", "postal", 0, "note_fr"]),
    "key differs from file name": _set(["key"], "autre"),
    "missing opening hours": _delete(["opening_hours"]),
    "opening time not HH:MM": _set(["opening_hours", "weekly", 0, "opens"], "8h30"),
    "unknown weekday": _set(["opening_hours", "weekly", 0, "days"], ["lundi"]),
    "no opening period": _set(["opening_hours", "weekly"], []),
    "closes before it opens": _set(["opening_hours", "weekly", 0, "closes"], "08:00"),
    "hours without to_confirm": _delete(["opening_hours", "to_confirm"]),
}


@pytest.mark.parametrize("mutate", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_fails(tmp_path, mutate):
    data = read_yaml(ORGANISATIONS_DIR / "klesia.yml")
    mutate(data)
    path = tmp_path / "klesia.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError):
        load_organisation_file(path)


def test_broker_with_unknown_carrier_type_fails(tmp_path):
    data = read_yaml(ORGANISATIONS_DIR / "cpms.yml")
    data["mediator"]["carrier_types"].append("banque")
    path = tmp_path / "cpms.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError, match="banque"):
        load_organisation_file(path)


def test_invalid_yaml_fails(tmp_path):
    path = tmp_path / "klesia.yml"
    path.write_text("key: klesia\nidentity: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid YAML"):
        load_organisation_file(path)


def test_error_names_the_file_and_the_field(tmp_path):
    data = read_yaml(ORGANISATIONS_DIR / "klesia.yml")
    del data["delays"]["source"]
    path = tmp_path / "klesia.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_organisation_file(path)
    assert str(path) in str(error.value) and "delays" in str(error.value) and "source" in str(error.value)


def test_package_data_dir_is_the_one_listed():
    assert ORGANISATIONS_DIR == Path(__file__).resolve().parent.parent / "recours" / "data" / "organisations"


@pytest.mark.parametrize(
    ("key", "attribute", "fragments"),
    [
        ("cpms", "complaint_channels_fr", ["par e-mail à qualite@cpms.fr", "espace assuré", "4, rue Auber, 75009 PARIS"]),
        ("identites_mutuelle", "complaint_channels_fr", ["formulaire de contact", "BP 20836, 75828 Paris Cedex 17"]),
        ("klesia", "complaint_channels_fr", ["formulaire réclamation", "- Incapacité, invalidité : KLESIA PREVOYANCE, TSA 20202",
                                            "- Frais de santé : votre centre de gestion", "TSA 90200"]),
        ("cpms", "phone_fr", ["par téléphone au 01 47 70 30 97"]),
        ("klesia", "phone_fr", ["01 71 39 15 15, du lundi au vendredi de 8h30 à 18h00"]),
        ("identites_mutuelle", "phone_fr", ["formulaire de contact"]),  # no published phone number
        ("cpms", "usual_contact_fr", ["interlocuteur habituel", "01 47 70 30 97", "espace assuré"]),
        ("identites_mutuelle", "usual_contact_fr", ["adressez-vous au Service Relation Adhérents"]),
        ("klesia", "usual_contact_fr", ["carte de tiers payant", "FAQ"]),
        ("cpms", "dpo_contact_fr", ["dpo@cpms.fr", "Délégué à la Protection des Données", "pièce d'identité"]),
        ("identites_mutuelle", "dpo_contact_fr", ["BP 20836", "à l'attention du délégué à la protection des données"]),
        ("klesia", "dpo_contact_fr", ["TSA 20202", "délégué à la protection des données"]),
        ("cpms", "attachments_fr", ["qualite@cpms.fr", "référence", "médecin conseil"]),
        ("klesia", "attachments_fr", ["référence", "sous pli confidentiel, à KLESIA, A l'attention du Médecin Conseil"]),
    ],
)
def test_french_texts(key, attribute, fragments):
    text = getattr(load_organisation(key), attribute)
    for fragment in fragments:
        assert fragment in text


def test_no_dpo_email_is_invented_in_texts():
    for key in ("identites_mutuelle", "klesia"):
        assert "@" not in load_organisation(key).dpo_contact_fr


def test_colours_for_the_web_page():
    colours = dict(load_organisation("cpms").colours)
    assert set(colours) == {"primary", "accent", "text_on_primary"}
    assert all(re.fullmatch(r"#[0-9A-Fa-f]{6}", value) for value in colours.values())


@pytest.mark.parametrize("key", ["cpms", "identites_mutuelle", "klesia"])
def test_delays_cite_the_current_acpr_recommendation(key):
    """Issue 12 item 9: 2024-R-02 (2 July 2024) replaced 2022-R-01 with the same deadlines."""
    regulation = load_organisation(key).delays.regulation
    assert regulation and "2024-R-02" in regulation and "2 juillet 2024" in regulation
    assert "2022-R-01" in regulation  # what it replaced, for a reader of an older document


def test_regulatory_default_cites_2024_r_02():
    from recours import deadlines

    assert "2024-R-02" in deadlines.REGULATORY_ACKNOWLEDGEMENT.published_fr
    assert "2024-R-02" in deadlines.REGULATORY_ANSWER.published_fr
    assert "2022-R-01" not in deadlines.REGULATORY_ANSWER.published_fr
