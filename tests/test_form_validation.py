"""Every validate_* method of the forms, called as the action server calls it, with good and bad values.

`rasa test` never calls the action server, so validation is covered here (style.md). The store is a real
SQLite file in a temporary directory; the vault must hold the clear identifier, the slot only a masked one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.complaint_form import ValidateComplaintForm
from actions.cpam import ValidateCpamAppealForm
from actions.mediation import FACT_SLOTS, ValidateMediationForm
from recours import facts
from recours.crypto import generate_key
from recours.settings import PARIS
from tests.nirs import grouped, make_nir, with_wrong_key

pytestmark = pytest.mark.anyio

NIR = make_nir(sex=1, year=90, month=2, department="2B", commune="033", order="021")


@pytest.fixture(autouse=True)
def environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RECOURS_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'recours.db'}")
    monkeypatch.setenv("RECOURS_ENCRYPTION_KEY", generate_key())
    monkeypatch.setenv("RECOURS_TODAY", "2026-11-21")
    monkeypatch.setenv("RECOURS_ORGANISATION", "cpms")
    services.reset()
    from recours.store import migrate

    migrate(f"sqlite:///{tmp_path / 'recours.db'}")
    yield
    services.reset()


def tracker(slots: dict[str, Any] | None = None, text: str = "", intent: str = "inform", entities=None) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "test-sender",
            "slots": {"requested_slot": None, **(slots or {})},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 0.99},
                "entities": entities or [],
            },
            "events": [],
            "active_loop": {"name": "complaint_form"},
        }
    )


async def validate(form, slot: str, value: Any, **kwargs) -> tuple[dict, list[str]]:
    dispatcher = CollectingDispatcher()
    result = getattr(form, f"validate_{slot}")(value, dispatcher, tracker(text=str(value), **kwargs), {})
    if hasattr(result, "__await__"):
        result = await result
    return result, [m.get("text") or "" for m in dispatcher.messages]


complaint = ValidateComplaintForm()


@pytest.mark.parametrize(
    "value, expected",
    [("Oui", True), ("j'accepte", True), ("ok", True), ("Non", False), ("je refuse", False)],
)
async def test_privacy(value, expected):
    result, _ = await validate(complaint, "privacy_accepted", value, intent="nlu_fallback")
    assert result["privacy_accepted"] is expected
    if expected is False:
        assert result["requested_slot"] is None  # the form ends at once


@pytest.mark.parametrize("value", ["Marie Martin", "jean-pierre d'Artagnan", "ÉLODIE LEFÈVRE"])
async def test_name_accepted(value):
    result, messages = await validate(complaint, "member_name", value)
    assert result["member_name"] and not messages


@pytest.mark.parametrize(
    "value, fragment",
    [("Martin", "nom et votre prénom"), ("1 84 05 75 056 123", "chiffres"), ("??", "nom"), ("", "nom")],
)
async def test_name_refused(value, fragment):
    result, messages = await validate(complaint, "member_name", value)
    assert result["member_name"] is None and fragment in messages[0]


@pytest.mark.parametrize("typed", [NIR, grouped(NIR), grouped(NIR, "."), NIR.lower(), f"mon numéro : {grouped(NIR)}"])
async def test_nir_accepted_masked_and_vaulted(typed):
    result, messages = await validate(complaint, "member_identifier", typed, slots={"identifier_kind": "nir"})
    assert not messages
    assert result["member_identifier"].startswith("1 90 ** **") and NIR not in result["member_identifier"]
    vault = services.store().get_identifiers(services.conversation_key("test-sender"))
    assert vault["nir"] == NIR


@pytest.mark.parametrize("typed, fragment", [(with_wrong_key(NIR), "clé"), ("12345", "15"), ("abc", "")])
async def test_nir_refused_without_echo(typed, fragment):
    result, messages = await validate(complaint, "member_identifier", typed, slots={"identifier_kind": "nir"})
    assert result["member_identifier"] is None
    assert fragment in messages[0] and typed not in messages[0]


@pytest.mark.parametrize("typed", ["jai pas ma carte vitale sur moi", "je n'ai pas ma carte vitale"])
async def test_no_carte_vitale_at_hand_switches_to_member_number(typed):
    result, _ = await validate(complaint, "member_identifier", typed)
    assert result.get("identifier_kind") == "member_number" and result["member_identifier"] is None


async def test_nir_unknown_switches_to_member_number():
    result, messages = await validate(complaint, "member_identifier", "je ne l'ai pas", slots={"identifier_kind": "nir"})
    assert result == {"member_identifier": None, "identifier_kind": "member_number"}
    assert "adhérent" in messages[0]


async def test_member_number():
    result, _ = await validate(complaint, "member_identifier", "ad-778 451", slots={"identifier_kind": "member_number"})
    assert result["member_identifier"] == "*****451"
    bad, messages = await validate(complaint, "member_identifier", "x", slots={"identifier_kind": "member_number"})
    assert bad["member_identifier"] is None and "adhérent" in messages[0]


async def test_two_failures_offer_the_choices_a_person_or_stopping():
    dispatcher = CollectingDispatcher()
    first = complaint.validate_member_name("1", dispatcher, tracker(text="1"), {})
    assert first["help_offered_for"] is None
    second = complaint.validate_member_name(
        "2", dispatcher, tracker({"validation_failures": first["validation_failures"]}, text="2"), {}
    )
    assert second["member_name"] is None
    assert "Ce que j'attends" in dispatcher.messages[-1]["text"]
    # a person offered unasked (rules.md §10): the number, whether someone answers now, a call-back
    assert "01 47 70 30 97" in dispatcher.messages[-1]["text"] and "joignables" in dispatcher.messages[-1]["text"]
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == [
        "/request_callback", "/request_human", "/stop"]
    assert second["callback_reason"] == "misunderstood"
    # the form then re-asks in its shorter form (domain variation conditioned on this slot), not identically
    assert second["help_offered_for"] == "member_name"


async def test_two_failures_on_a_yes_no_question_offer_yes_and_no_again():
    dispatcher = CollectingDispatcher()
    first = complaint.validate_court_action("peut-être", dispatcher, tracker(text="peut-être"), {})
    complaint.validate_court_action(
        "bof", dispatcher, tracker({"validation_failures": first["validation_failures"]}, text="bof"), {}
    )
    assert [b["title"] for b in dispatcher.messages[-1]["buttons"]] == [
        "Oui", "Non", "Demander un rappel", "Parler à un conseiller", "Arrêter"]


@pytest.mark.parametrize(
    "typed, masked",
    [
        ("marie.martin@exemple.fr", "m***@exemple.fr"),
        ("06 12 34 56 78", "06 ** ** ** 78"),
        ("marie@exemple.fr et 0612345678", "m***@exemple.fr, 06 ** ** ** 78"),
    ],
)
async def test_contact_accepted(typed, masked):
    result, _ = await validate(complaint, "contact", typed)
    assert result["contact"] == masked


@pytest.mark.parametrize("typed, masked", [
    # members' round 17 (m17-D-04 M8, m17-D-05 M14): the number of the call-back booked before, not typed again
    ("le même numéro que pour le rappel", "07 ** ** ** 41"),
    ("le nouveau numéro que je vous ai donné, et j.roussel@example.org", "j***@example.org, 07 ** ** ** 41"),
])
async def test_a_contact_named_as_the_number_given_earlier(typed, masked):
    store = services.store()
    key = services.conversation_key("test-sender")
    store.put_callback_phone(key, "cpms", "+33750000041")
    start = datetime(2026, 11, 23, 9, 0, tzinfo=PARIS)
    store.record_callback(key, start, start + timedelta(hours=2), "callback-of-the-test")
    result, messages = await validate(complaint, "contact", typed)
    assert result["contact"] == masked and not messages
    assert store.get_identifiers(services.conversation_key("test-sender"))["phone"] == "+33750000041"


@pytest.mark.parametrize("typed, code", [
    # members' round 17 (m17-B-04 M4, M5): refused three times, then the son's number given against her wish
    ("Je regrette, Monsieur, je n'ai ni l'un ni l'autre. Seul le courrier postal me convient : 12, allée des Tilleuls, "
     "69100 Villeurbanne.", "69100"),
    ("Je n'ai ni courriel ni portable. Écrivez-moi plutôt par la poste à l'adresse indiquée dans ma lettre", None),
])
async def test_an_answer_by_post_is_a_contact(typed, code):
    result, messages = await validate(complaint, "contact", typed)
    assert result["contact"] == "par courrier, à l'adresse de votre dossier"
    assert result.get("postal_code") == code
    assert "CPMS vous répondra par courrier" in messages[0] and "Tilleuls" not in " ".join(messages)


async def test_an_answer_by_post_is_in_the_record():
    from actions.complaint import _with_postal_contact

    assert _with_postal_contact("Remboursement refusé.", "par courrier, à l'adresse de votre dossier") == (
        "Remboursement refusé.\nPour vous joindre : par courrier, à l'adresse du dossier (ni e-mail ni téléphone).")
    assert _with_postal_contact("Remboursement refusé.", "m***@example.org") == "Remboursement refusé."


async def test_the_relative_who_writes_is_in_the_record():
    from actions.complaint import _with_writer

    assert _with_writer("Double prélèvement.", "sa fille, Hélène Dubreuil") == (
        "Double prélèvement.\nDémarche faite par sa fille, Hélène Dubreuil.")
    assert _with_writer("Double prélèvement.", None) == "Double prélèvement."


async def test_a_contact_named_as_a_number_never_given_is_asked_for():
    result, messages = await validate(complaint, "contact", "le même numéro que pour le rappel")
    assert result["contact"] is None and "Je ne retrouve pas de numéro" in messages[0]


@pytest.mark.parametrize("typed", ["marie@", "01 23", "pas de mail"])
async def test_contact_refused(typed):
    result, messages = await validate(complaint, "contact", typed)
    assert result["contact"] is None and messages


@pytest.mark.parametrize(
    "slot, typed, context, expected",
    [
        ("contract_holder", "Contrat individuel", {"slots": {"member_name": "Marie Martin"}}, "Marie Martin"),
        ("contract_holder", "Boulangerie Dupont SARL", {}, "Boulangerie Dupont SARL"),
        ("contract_holder", "?", {}, None),
        # the nature from a button, then from text
        ("complaint_nature", '/inform{"nature":"cotisation"}',
         {"entities": [{"entity": "nature", "value": "cotisation"}]}, "cotisation"),
        ("complaint_nature", "c'est pour un remboursement", {}, "remboursement"),
        ("complaint_nature", "bof", {}, None),
    ],
)
async def test_contract_holder_and_nature(slot, typed, context, expected):
    result, messages = await validate(complaint, slot, typed, **context)
    assert result[slot] == expected
    if expected is None:
        assert messages


async def test_description():
    result, _ = await validate(complaint, "complaint_description", "Mes lunettes ne sont pas remboursées depuis mars.")
    assert result["complaint_description"].startswith("Mes lunettes")
    result, messages = await validate(complaint, "complaint_description", "nul")
    assert result["complaint_description"] is None and "courte" in messages[0]


async def test_contested_decision():
    result, _ = await validate(complaint, "contested_decision_answer", "Aucune")
    assert result["contested_decision"] is None and result["contested_decision_answer"] == "aucune"
    result, _ = await validate(complaint, "contested_decision_answer", "Refus de prise en charge du 12 octobre")
    assert result["contested_decision"] == "Refus de prise en charge du 12 octobre"


@pytest.mark.parametrize(
    "typed, sent, first_date",
    [("Oui", True, None), ("non", False, None), ("oui, le 3 septembre", True, "2026-09-03"), ("le 03/09/2026", True, "2026-09-03")],
)
async def test_written_complaint_sent(typed, sent, first_date):
    result, _ = await validate(complaint, "written_complaint_sent", typed, intent="nlu_fallback")
    assert result["written_complaint_sent"] is sent
    assert result.get("first_complaint_date") == first_date
    if sent is False:
        assert result["answer_received"] is False


@pytest.mark.parametrize(
    "typed, expected",
    [("3 septembre", "2026-09-03"), ("hier", "2026-11-20"), ("2026-10-01", "2026-10-01"), ("le 14/10/2026", "2026-10-14")],
)
async def test_first_complaint_date(typed, expected):
    result, _ = await validate(complaint, "first_complaint_date", typed)
    assert result["first_complaint_date"] == expected


@pytest.mark.parametrize(
    "typed, earliest, earliest_fr",
    [("mi-octobre", "2026-10-10", "samedi 10 octobre 2026"), ("il y a deux mois", "2026-09-06", "dimanche 6 septembre 2026"),
     ("fin août", "2026-08-20", "jeudi 20 août 2026")],
)
async def test_an_approximate_date_asks_the_exact_one_then_keeps_the_earliest_day(typed, earliest, earliest_fr):
    # rules.md §10: a date that drives a legal deadline must be exact; if unknown, the earliest day the words allow
    asked, messages = await validate(complaint, "first_complaint_date", typed)
    assert asked["first_complaint_date"] is None and not messages  # the question's variation asks, with the day
    assert asked["help_offered_for"] == "exact_first_complaint_date"
    assert asked["approximate_earliest_fr"] == earliest_fr
    slots = {"approximate_date": asked["approximate_date"]}
    kept, messages = await validate(complaint, "first_complaint_date", "je ne sais pas", intent="dont_know", slots=slots)
    assert kept["first_complaint_date"] == earliest and earliest_fr in messages[0]
    exact, _ = await validate(complaint, "first_complaint_date", "le 14/10/2026", slots=slots)
    assert exact["first_complaint_date"] == "2026-10-14" and exact["approximate_date"] is None


async def test_no_date_at_all_asks_an_estimate_once_then_ends_the_question():
    first, messages = await validate(complaint, "first_complaint_date", "je ne sais pas", intent="dont_know")
    assert first["first_complaint_date"] is None and "estimer" in messages[0]
    slots = {"approximate_date": first["approximate_date"]}
    estimate, messages = await validate(complaint, "first_complaint_date", "début octobre", slots=slots)
    assert estimate["first_complaint_date"] == "2026-10-01" and "à partir du jeudi 1er octobre 2026" in messages[0]
    never, messages = await validate(complaint, "first_complaint_date", "aucune idée", intent="dont_know", slots=slots)
    assert never["first_complaint_date"] is None and never["approximate_date"]["first_complaint_date"] == "never"
    assert "n'est pas connue" in messages[0]
    remaining = await complaint.required_slots(
        ["written_complaint_sent", "first_complaint_date", "answer_received"], CollectingDispatcher(),
        tracker({"written_complaint_sent": True, "approximate_date": never["approximate_date"]}), {},
    )
    assert "first_complaint_date" not in remaining  # not asked a third time


@pytest.mark.parametrize("typed", ["demain", "le 3 décembre 2026", "banane"])
async def test_first_complaint_date_refused(typed):
    result, messages = await validate(complaint, "first_complaint_date", typed)
    assert result["first_complaint_date"] is None and messages


@pytest.mark.parametrize("slot", ["answer_received", "court_action"])
async def test_yes_no(slot):
    assert (await validate(complaint, slot, "oui"))[0][slot] is True
    assert (await validate(complaint, slot, "Non"))[0][slot] is False
    result, messages = await validate(complaint, slot, "peut-être")
    assert result[slot] is None and "oui ou non" in messages[0]


async def test_recap():
    assert (await validate(complaint, "recap_confirmed", "/affirm", intent="affirm"))[0]["recap_confirmed"] is True
    result, _ = await validate(complaint, "recap_confirmed", "/correct", intent="correct")
    assert result == {"recap_confirmed": None, "recap_mode": "choose_field"}
    result, _ = await validate(
        complaint, "recap_confirmed", '/correct{"field":"contact"}', intent="correct",
        entities=[{"entity": "field", "value": "contact"}],
    )
    assert result["contact"] is None and result["recap_mode"] is None
    result, _ = await validate(complaint, "recap_confirmed", "je veux changer mon adresse mail", intent="correct")
    assert result["contact"] is None


async def test_recap_corrections_that_carry_their_value_are_set_at_once():
    result, messages = await validate(
        complaint, "recap_confirmed", "rajoute mon tel 06 00 00 00 56 et la décision mets aucune", intent="correct",
        slots={"contact": "j***@example.org"},
    )
    assert result["recap_confirmed"] is None and result["recap_mode"] is None
    assert result["contact"] == "j***@example.org, 06 ** ** ** 56" and result["contested_decision_answer"] == "aucune"
    assert not messages
    result, _ = await validate(complaint, "recap_confirmed", "le motif c'est plutôt cotisation", intent="correct")
    assert result["complaint_nature"] == "cotisation"
    result, _ = await validate(complaint, "recap_confirmed", "la description c'est pas ça du tout", intent="correct")
    assert result["complaint_description"] is None  # named without a value: asked again


@pytest.mark.parametrize("value", ["Je veux bien continuer, mais je voudrais savoir combien de temps cela prendra",
                                   "Soit, j'accepte."])
async def test_an_acceptance_in_a_sentence(value):
    result, _ = await validate(complaint, "privacy_accepted", value, intent="inform")
    assert result["privacy_accepted"] is True


async def test_a_refusal_ends_the_form_even_with_optional_questions():
    form = ValidateComplaintForm()
    slots = await form.required_slots(["privacy_accepted", "member_name", "postal_code"], CollectingDispatcher(),
                                      tracker(slots={"privacy_accepted": False}), {})
    assert slots == []


async def test_never_written_is_a_no():
    result, _ = await validate(complaint, "written_complaint_sent", "je n'ai jamais écrit de réclamation")
    assert result["written_complaint_sent"] is False


async def test_an_employer_without_its_name_is_asked_by_name():
    result, messages = await validate(complaint, "contract_holder", "par mon taf")
    assert result["contract_holder"] is None and "nom de votre employeur" in messages[0]


mediation = ValidateMediationForm()


async def test_mediation_validators():
    assert (await validate(mediation, "answer_satisfied", "non"))[0]["answer_satisfied"] is False
    assert (await validate(mediation, "other_mediator", "non"))[0]["other_mediator"] is False
    result, _ = await validate(
        mediation, "carrier_type", '/inform{"carrier_type":"institution_prevoyance"}',
        entities=[{"entity": "carrier_type", "value": "institution_prevoyance"}],
    )
    assert result["carrier_type"] == "institution_prevoyance"
    assert (await validate(mediation, "carrier_type", "une mutuelle"))[0]["carrier_type"] == "mutuelle_fnmf"
    assert (await validate(mediation, "carrier_type", "je ne sais pas"))[0]["carrier_type"] == "autre"


async def test_mediation_asks_only_missing_facts():
    form = ValidateMediationForm()
    slots = {"written_complaint_sent": True, "first_complaint_date": "2026-09-01", "answer_received": False}
    required = await form.required_slots([], CollectingDispatcher(), tracker(slots), {})
    assert required == ["court_action", "other_mediator", "dispute_subject", "carrier_type"]


cpam_form = ValidateCpamAppealForm()


async def test_cpam_validators():
    assert (await validate(cpam_form, "cpam_decision_medical", "Médicale"))[0]["cpam_decision_medical"] is True
    assert (await validate(cpam_form, "cpam_decision_medical", "administrative"))[0]["cpam_decision_medical"] is False
    assert (await validate(cpam_form, "cpam_notification_date", "le 3 octobre"))[0]["cpam_notification_date"] == "2026-10-03"
    result, messages = await validate(cpam_form, "cpam_notification_date", "dans 3 jours")
    assert result["cpam_notification_date"] is None and messages


@pytest.mark.parametrize(
    "slot, value",
    [
        ("privacy_accepted", True),
        ("member_identifier", "2 84 ** ** *** *** 15"),
        ("contact", "m***@exemple.fr"),
        ("complaint_nature", "cotisation"),
        ("written_complaint_sent", True),
        ("first_complaint_date", "2026-09-03"),
        ("court_action", False),
        ("recap_confirmed", True),
    ],
)
async def test_revalidation_on_reactivation_keeps_values(slot, value):
    """A form re-validates filled slots when it resumes (e.g. after "stop" then "non"): values must survive,
    whatever the latest intent was."""
    result, messages = await validate(complaint, slot, value, intent="deny")
    assert result[slot] == value and not messages


async def test_mediation_required_slots_before_validation():
    """required_slots runs before the validators: raw answers ("Oui", "le 3 septembre") count as unknown."""
    form = ValidateMediationForm()
    slots = {"written_complaint_sent": True, "first_complaint_date": "le 3 septembre", "answer_received": "Non"}
    required = await form.required_slots([], CollectingDispatcher(), tracker(slots), {})
    assert required[:2] == ["first_complaint_date", "answer_received"]


def test_letter_download_link_carries_the_letter_in_the_fragment():
    import base64

    from actions.mediation import letter_download_message

    letter = "Madame, Monsieur,\nJe saisis le médiateur…"
    message = letter_download_message(letter)
    reply = message["quick_replies"][0]
    assert reply["type"] == "web_url" and reply["url"].startswith("/lettre.html#")
    fragment = reply["url"].split("#", 1)[1]
    assert base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4)).decode() == letter


async def test_a_nir_typed_after_all_is_taken_where_the_organisation_may_collect_it():
    # « jsp jlai pa » switched to the member number; the member then finds their carte Vitale (CPMS: NIR allowed)
    result, messages = await validate(
        complaint, "member_identifier", grouped(NIR), slots={"identifier_kind": "member_number"}
    )
    assert result["member_identifier"].startswith("1 90 ** **") and result["identifier_kind"] == "nir"


async def test_member_number_question_refuses_a_nir(monkeypatch):
    monkeypatch.setenv("RECOURS_ORGANISATION", "klesia")  # may not process the NIR for complaints
    services.reset()
    result, messages = await validate(
        complaint, "member_identifier", grouped(NIR), slots={"identifier_kind": "member_number"}
    )
    assert result["member_identifier"] is None and "sécurité sociale" in messages[0]
    assert "nir" not in services.store().get_identifiers(services.conversation_key("test-sender"))
    assert "member_number" not in services.store().get_identifiers(services.conversation_key("test-sender"))


def test_recap_never_repeats_an_identifier_typed_in_a_description():
    from recours.recap import recap_lines

    lines = recap_lines({"complaint_description": f"Mon numéro est {grouped(NIR)}, appelez le 06 12 34 56 78"})
    joined = "\n".join(lines)
    assert grouped(NIR) not in joined and "06 12 34 56 78" not in joined and "[NIR]" in joined


# -- issue 12 item 5: the postal code (local holidays), optional ----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [("67000", "67000"), ("67 000", "67000"), ("3 rue des Lilas 68100 Mulhouse", "68100"),
     ("j'habite au 12 place de la République, 57000 Metz", "57000"), ("97400", "97400")],
)
async def test_postal_code_typed_or_in_an_address(typed, code):
    result, messages = await validate(complaint, "postal_code", typed)
    assert result["postal_code"] == code and not result.get("postal_code_skipped") and not messages


@pytest.mark.parametrize(("typed", "intent"), [("passer", "inform"), ("je ne sais pas", "dont_know"),
                                               ("Non merci", "deny"), ("je préfère ne pas le dire", "inform")])
async def test_postal_code_can_be_skipped(typed, intent):
    result, _ = await validate(complaint, "postal_code", typed, intent=intent)
    assert result["postal_code"] is None and result["postal_code_skipped"] is True


async def test_postal_code_refused_says_what_is_expected():
    result, messages = await validate(complaint, "postal_code", "Strasbourg")
    assert result["postal_code"] is None and "5 chiffres" in messages[0]


FORM_ORDER = ["written_complaint_sent", "first_complaint_date", "answer_received", "postal_code", "court_action",
              "recap_confirmed"]


@pytest.mark.parametrize(
    ("slots", "asked"),
    [
        # recorded today (21 Nov 2026): no local holiday before the deadlines -> not asked
        ({"written_complaint_sent": False}, False),
        # first letter 26 Oct 2026: the answer is due Sat 26 Dec, a holiday in Alsace-Moselle only -> asked
        ({"written_complaint_sent": True, "first_complaint_date": "2026-10-26", "answer_received": False}, True),
        # first letter 3 Sep 2026: due Tue 3 Nov, the same everywhere -> not asked
        ({"written_complaint_sent": True, "first_complaint_date": "2026-09-03", "answer_received": False}, False),
        # skipped once: never asked again
        ({"written_complaint_sent": True, "first_complaint_date": "2026-10-26", "answer_received": False,
          "postal_code_skipped": True}, False),
    ],
)
async def test_postal_code_asked_only_when_a_local_holiday_changes_a_date(slots, asked):
    required = await complaint.required_slots(FORM_ORDER, CollectingDispatcher(), tracker(slots), {})
    assert ("postal_code" in required) is asked


# -- issue 12 item 6: a broker's member says whether the dispute is about the contract or the broker -------------


@pytest.mark.parametrize(
    ("typed", "subject"),
    [("Le contrat", "contract"), ("Le travail du courtier", "broker"), ("CPMS a perdu mon dossier", "broker"),
     ("ils m'ont mal conseillé à l'adhésion", "broker"), ("le remboursement refusé", "contract")],
)
async def test_dispute_subject(typed, subject):
    result, _ = await validate(ValidateMediationForm(), "dispute_subject", typed)
    assert result["dispute_subject"] == subject


async def test_dispute_subject_unclear_is_asked_again():
    result, messages = await validate(ValidateMediationForm(), "dispute_subject", "bof")
    assert result["dispute_subject"] is None and "le contrat, ou le travail de CPMS" in messages[0]


async def test_dispute_subject_asked_for_cpms_before_the_carrier():
    slots = {"written_complaint_sent": True, "first_complaint_date": "2026-09-03", "answer_received": False,
             "court_action": False, "other_mediator": False}
    required = await ValidateMediationForm().required_slots([], CollectingDispatcher(), tracker(slots), {})
    assert required == ["dispute_subject", "carrier_type"]
    broker = await ValidateMediationForm().required_slots(
        [], CollectingDispatcher(), tracker({**slots, "dispute_subject": "broker"}), {})
    assert broker == []


async def test_a_societe_d_assurance_mutuelle_is_an_insurance_company():
    from actions.mediation import carrier_type_from

    assert carrier_type_from(tracker(), "une société d'assurance mutuelle") == "societe_assurance"
    assert carrier_type_from(tracker(), "une mutuelle") == "mutuelle_fnmf"


@pytest.mark.parametrize("value, medical", [
    ("jsp ils disent que l arret a ete envoyé trop tard", False),
    ("mais c pas medical c administratif non? cest juste un retard d envoi", False),
    ("le médecin conseil a jugé mon arrêt injustifié", True),
    ("médicale", True),
    ("administrative", False),
])
async def test_medical_or_administrative_as_members_say_it(value, medical):
    from actions.cpam import ValidateCpamAppealForm

    result, _ = await validate(ValidateCpamAppealForm(), "cpam_decision_medical", value)
    assert result["cpam_decision_medical"] is medical


async def test_the_carrier_not_known_in_the_members_words():
    from actions.mediation import carrier_type_from

    assert carrier_type_from(tracker(), "j'en sais rien moi") == "autre"
    # members' round 14: the word « mutuelle » on the card names no type when the member says she does not know
    typed = "alors là je ne sais pas. sur ma carte il y a marqué Mutuelle des Flandres et un petit logo bleu"
    assert carrier_type_from(tracker(entities=[{"entity": "carrier_type", "value": "mutuelle_fnmf"}]), typed) == "autre"


@pytest.mark.parametrize(
    "text, slot, expected",
    [
        ("corriger la description : les lunettes de ma fille et pas les miennes, refusées le 3 mars",
         "complaint_description", "les lunettes de ma fille et pas les miennes, refusées le 3 mars"),
        ("action en justice : non, pas du tout", "court_action", False),
        ("la décision c'est le refus du 15 avril", "contested_decision_answer", "le refus du 15 avril"),
        ("réclamation écrite : oui, le 3 septembre 2026", "written_complaint_sent", True),
    ],
)
async def test_recap_corrections_named_in_other_words_keep_their_value(text, slot, expected):
    result, _ = await validate(complaint, "recap_confirmed", text, intent="correct",
                               slots={"complaint_description": "Ma mutuelle refuse mes lunettes."})
    assert result[slot] == expected
    assert result["recap_mode"] is None


@pytest.mark.parametrize(
    "text",
    ["laisse la description comme ca. Confirmer", "Je confirme. Et la facture, où dois-je l'envoyer ?",
     "Mais je vous ai dit que je confirmais ! Confirmer."],
)
async def test_a_confirmation_with_a_remark_or_a_question_confirms(text):
    result, _ = await validate(complaint, "recap_confirmed", text, intent="affirm",
                               slots={"complaint_description": "Ma mutuelle refuse mes lunettes."})
    assert result["recap_confirmed"] is True
    assert "complaint_description" not in result


async def test_several_recap_corrections_in_sentences_and_both_contacts():
    result, _ = await validate(complaint, "recap_confirmed", "motif : cotisation. décision contestée : aucune",
                               intent="correct")
    assert result["complaint_nature"] == "cotisation" and result["contested_decision_answer"] == "aucune"
    result, _ = await validate(complaint, "recap_confirmed", "coordonnées : 06 00 00 00 12 et theo.garcia@example.org",
                               intent="correct")
    assert result["contact"] == "t***@example.org, 06 ** ** ** 12"
    result, _ = await validate(
        complaint, "recap_confirmed",
        "corriger la description : les lunettes de ma fille et pas les miennes et rajoute mon mail theo@example.org",
        intent="correct", slots={"contact": "06 ** ** ** 12"},
    )
    assert result["complaint_description"] == "les lunettes de ma fille et pas les miennes"
    assert "t***@example.org" in result["contact"] and "06 ** ** ** 12" in result["contact"]


async def test_a_confirmation_is_not_a_description():
    result, _ = await validate(complaint, "complaint_description", "NON jai dit confirmer")
    assert result["complaint_description"] is None


async def test_a_member_without_any_number_goes_on():
    result, messages = await validate(complaint, "member_identifier",
                                      "Je n'ai aucun numéro, on m'a volé mon sac avec mes cartes")
    assert result["identifier_kind"] == "none" and result["member_identifier"].startswith("non communiqué")
    assert "pas bloquant" in messages[0]
    # « je ne l'ai pas » once at the member number: where to find it; said again: the form goes on
    result, messages = await validate(complaint, "member_identifier", "je ne l'ai pas",
                                      slots={"identifier_kind": "member_number"})
    assert result["member_identifier"] is None
    result, _ = await validate(complaint, "member_identifier", "je ne l'ai pas", slots={
        "identifier_kind": "member_number", "validation_failures": {"member_identifier": 1}})
    assert result["identifier_kind"] == "none"


@pytest.mark.parametrize("text", ["Voilà qui est bien. Je confirme l'enregistrement.",
                                  "C'est exact cette fois… Je confirme.",
                                  # round 8 (m8-b-01 M21, M22): read as a correction of the NIR
                                  "Cette fois c'est juste, je confirme. Dois-je vous renvoyer la photocopie de "
                                  "l'accord de la Sécurité sociale pour la cure ?",
                                  "Mais non, je ne veux pas écrire à la Sécurité sociale, c'est à vous que je parle. "
                                  "Je confirme l'enregistrement."])
async def test_polite_confirmations(text):
    result, _ = await validate(complaint, "recap_confirmed", text, intent="inform")
    assert result["recap_confirmed"] is True


@pytest.mark.parametrize("text", ["MON NUMERO DE SECU VOUS L'AUREZ PAS", "non", "je refuse de le donner"])
async def test_a_nir_refused_switches_to_the_member_number(text):
    result, messages = await validate(complaint, "member_identifier", text, slots={"identifier_kind": "nir"})
    assert result["identifier_kind"] == "member_number" and "numéro d'adhérent" in messages[0]


@pytest.mark.parametrize("text, masked", [
    # round 8 (m8-c-02, m8-c-04): refused as « Ce numéro de sécurité sociale n'est pas valide »
    ("je préfère vous donner mon numéro d'adhérent, c'est le 00483921", "*****921"),
    ("Le voici : 01297734", "*****734"),
])
async def test_a_member_number_typed_at_the_nir_question_is_the_member_number(text, masked):
    result, _ = await validate(complaint, "member_identifier", text, slots={"identifier_kind": "nir"})
    assert (result["member_identifier"], result["identifier_kind"]) == (masked, "member_number")


async def test_a_nature_denied_then_named_at_the_recap():
    result, _ = await validate(complaint, "recap_confirmed", "LE MOTIF C'EST PAS REMBOURSEMENT, J'AI DIT AUTRE",
                               intent="correct")
    assert result["complaint_nature"] == "autre"


async def test_mettez_non():
    assert (await validate(complaint, "court_action", "mettez non"))[0]["court_action"] is False


@pytest.mark.parametrize("text", [
    # round 8 (m8-a-04 M11): recorded as a written complaint sent on 24 November
    "LE COURRIER EST DU 16 NOVEMBRE, JE L'AI DIT AU DEBUT. ET LE SOUSCRIPTEUR C'EST JUSTE IMPRIMERIE VAUBAN",
    "NON !! C'EST LE COURRIER DE LA CPMS QUI EST DU 16 NOVEMBRE, C'EST LEUR DECISION.",
])
async def test_the_organisations_letter_dated_at_the_recap_dates_the_decision(text):
    decision = "COURRIER QUE JE SUIS RADIÉ DEPUIS LE 31/08"
    result, _ = await validate(complaint, "recap_confirmed", text, intent="correct",
                               slots={"contested_decision_answer": decision, "written_complaint_sent": False})
    assert result["contested_decision_answer"] == f"{decision} (courrier du lundi 16 novembre 2026)"
    assert result.get("written_complaint_sent") in (None, False) and not result.get("first_complaint_date")


@pytest.mark.parametrize("text, name", [
    ("ok jaccepte, c long ?", None),  # round 9 replay: « C Long » was noted as the name
    ("oui. Sophie Garnier", "Sophie Garnier"),
    ("oui j accepte", None),  # members' round 22 (m22-A-03 M8): « votre nom (J Accepte) »
    ("d'accord, j'accepte", None),
])
def test_after_the_consent_a_question_is_no_name(text, name):
    found = complaint._message_facts(tracker({"requested_slot": "privacy_accepted"}, text=text, intent="affirm"),
                                     ["privacy_accepted", "member_name"])
    assert found.get("member_name") == name


def test_the_identity_typed_alone_before_the_grievance_is_taken_at_the_consent():
    # members' round 22 (m22-A-04 M1): name, number, phone and e-mail asked again one by one
    from rasa_sdk import Tracker

    first = "Bonjour, Nathalie Girard, adherente n° 5520731, tel 06 00 00 00 41, mail n.girard@example.org"
    story = ("mecontente. j ai ete hospitalisee du 3 au 7 novembre, vous m avez refuse le remboursement des 4 nuits "
             "(85 euros par nuit) alors que mon contrat le prevoit")
    t = Tracker.from_dict({
        "sender_id": "test-sender", "slots": {"requested_slot": "privacy_accepted", "complaint_description": story},
        "latest_message": {"text": "j'accepte", "intent": {"name": "affirm", "confidence": 0.99}, "entities": []},
        "events": [{"event": "user", "text": first}, {"event": "user", "text": story},
                   {"event": "user", "text": "j'accepte"}],
        "active_loop": {"name": "complaint_form"}})
    found = complaint._message_facts(t, ["privacy_accepted", "member_name", "member_identifier", "contact"])
    assert found["member_name"] == "Nathalie Girard" and found["member_identifier"] == "5520731"
    assert "n.girard@example.org" in found["contact"] and "+33600000041" in found["contact"]


async def test_a_name_corrected_with_the_old_one_denied():
    result, _ = await validate(complaint, "recap_confirmed", "mon nom c'est Benali Karim pas C Long", intent="correct",
                               slots={"member_name": "C Long"})
    assert result["member_name"] == "Benali Karim"


async def test_a_favourable_answer_never_carried_out_is_not_satisfying():
    # round 8 (m8-d-05 t6): « Je n'ai pas compris : oui ou non ? »
    text = "La réponse en elle-même oui, mais ils ne font pas ce qu'ils ont promis : rien n'a été versé"
    result, _ = await validate(mediation, "answer_satisfied", text)
    assert result["answer_satisfied"] is False


@pytest.mark.parametrize("text", ["à moitié", "en partie seulement", "pas vraiment", "bof"])
async def test_a_half_satisfying_answer_is_not_satisfying(text):
    # members' round 16 (m16-D-05 t6): « à moitié » got « oui ou non ? »
    result, _ = await validate(mediation, "answer_satisfied", text)
    assert result["answer_satisfied"] is False


async def test_a_polite_answer_disagreed_with_is_not_satisfying():
    # round 15 (m15-D-05 t10): « Je n'ai pas compris : oui ou non ? »
    text = "Elle est polie et claire, mais non, je ne suis pas d'accord avec le fond"
    result, _ = await validate(mediation, "answer_satisfied", text)
    assert result["answer_satisfied"] is False


async def test_a_yes_to_the_written_complaint_carries_its_date_its_answer_and_the_members_view():
    # round 15 (m15-D-05 t8, t9): « OUI. le 10 octobre. réponse le 2 novembre. pas satisfaite. » then the answer
    # and the satisfaction asked again
    found = mediation._message_facts(tracker({"requested_slot": "written_complaint_sent", "opening_facts_read": True},
                                             text="OUI. le 10 octobre. réponse le 2 novembre. pas satisfaite.",
                                             intent="affirm"), list(FACT_SLOTS.values()))
    assert (found.get("first_complaint_date"), found.get("answer_received"), found.get("answer_satisfied")) == (
        "2026-10-10", True, False)


@pytest.mark.parametrize("intent", ["nlu_fallback", "deny"])
@pytest.mark.parametrize("value, expected", [
    # members' round 17 (m17-C-05 M3), after « je préfère parler à un conseiller »: the « non » takes that back
    ("Non finalement on continue ici, j'accepte.", True), ("non non on continue, d'accord", True),
    ("Non, je ne suis pas d'accord", False), ("non je n'accepte pas", False), ("non, je ne continue pas", False),
])
async def test_a_no_that_takes_back_a_wish_before_an_acceptance_accepts(value, expected, intent):
    result, _ = await validate(complaint, "privacy_accepted", value, intent=intent)
    assert result["privacy_accepted"] is expected


@pytest.mark.parametrize("text, accepted, kind", [
    # round 8 (m8-c-04 M2, M3, M5): the member number, offered in the notice itself, was never proposed
    ("Non, je refuse. Je ne donne pas mon numéro de sécurité sociale sur internet", None, "member_number"),
    ("Et si je vous donne seulement mon numéro d'adhérent au lieu du numéro de sécu ? Dans ce cas je veux bien "
     "continuer ici", True, "member_number"),
    ("oui j'accepte, mais je donnerai mon numéro d'adhérent, pas celui de la sécu", True, "member_number"),
    ("non je refuse", False, None),
])
async def test_the_nir_refused_at_the_notice_offers_the_member_number(text, accepted, kind):
    result, _ = await validate(complaint, "privacy_accepted", text, intent="inform")
    assert result["privacy_accepted"] is accepted and result.get("identifier_kind") == kind


async def test_a_holder_corrected_and_a_fact_added_in_one_message():
    # round 8 (m8-a-01 M12): the holder asked again, the addition dropped
    text = ("le souscripteur c faux jvous lai deja dit c un contrat individuel. et rajoute que jai envoyé la resil le "
            "2/09 avec lattestation de mon employeur")
    result, _ = await validate(complaint, "recap_confirmed", text, intent="correct",
                               slots={"contract_holder": "Mtn", "complaint_description": "Ils me prélèvent encore.",
                                      "member_name": "Karim Benali"})
    assert result["contract_holder"] in ("Karim Benali", "Contrat individuel")
    assert result["complaint_description"] == ("Ils me prélèvent encore.\nJai envoyé la resil le 2/09 avec "
                                               "lattestation de mon employeur.")


async def test_a_short_correction_of_the_description_is_a_precision_not_the_whole_text():
    # round 9 (m9-b-05 M13): the description became « il faut 480 euros »
    stored = ("Le chirurgien m'a facturé un dépassement d'honoraires de 600 euros pour mon genou et CPMS ne m'a "
              "remboursé que 150 euros sur les 450 euros promis par le devis accepté.")
    result, _ = await validate(complaint, "recap_confirmed", "la description indique toujours 450 euros : il faut "
                               "480 euros", intent="correct", slots={"complaint_description": stored})
    assert result["complaint_description"] == f"{stored}\nPrécision : Il faut 480 euros"


async def test_a_phone_corrected_at_the_recap_keeps_the_email():
    # round 9 (m9-c-02 M16): the phone replaced the e-mail
    first, _ = await validate(complaint, "contact", "marie.martin@example.org 06 12 34 56 78")
    result, _ = await validate(complaint, "recap_confirmed", "le téléphone c'est 06 00 00 00 14", intent="correct",
                               slots={"contact": first["contact"]})
    assert "m***@example.org" in result["contact"] and "14" in result["contact"] and "78" not in result["contact"]


async def test_a_changed_phone_typed_with_another_answer_updates_the_contact():
    # round 9 (m9-b-05 M6): the new phone typed with the holder was lost
    first, _ = await validate(complaint, "contact", "marie.martin@example.org 06 12 34 56 78")
    text = "C'est celui des anciens de la Sucrerie de Boiry, et mon téléphone a changé : 06 00 00 00 21"
    dispatcher = CollectingDispatcher()
    events = await complaint.changed_contact(dispatcher, tracker(
        {"contact": first["contact"], "requested_slot": "contract_holder"}, text=text))
    [event] = events
    assert "m***@example.org" in event["value"] and "21" in event["value"] and "78" not in event["value"]
    assert "mises à jour" in dispatcher.messages[0]["text"]
    unchanged = await complaint.changed_contact(CollectingDispatcher(), tracker(
        {"contact": first["contact"], "requested_slot": "contract_holder"}, text="Sucrerie de Boiry"))
    assert unchanged == []


async def test_a_phone_typed_wrong_is_corrected_with_the_next_answer():
    # members' round 23 (m23-A-05 M7): « pardon je me suis trompé de numero » ignored until the recap
    first, _ = await validate(complaint, "contact", "06 00 00 00 45")
    dispatcher = CollectingDispatcher()
    [event] = await complaint.changed_contact(dispatcher, tracker(
        {"contact": first["contact"], "requested_slot": "contract_holder"},
        text="pardon je me suis trompé de numero, c'est 06 00 00 00 54. individuel sinon, c'est moi qui paye"))
    assert event["value"].endswith("54") and "45" not in event["value"]


async def test_the_date_of_my_message_at_the_recap_is_the_written_complaints_date():
    # round 9 (m9-c-05 M13): the description was opened, then replaced by the member's protest
    result, _ = await validate(complaint, "recap_confirmed", "la date de mon message c'est le 16 octobre",
                               intent="correct", slots={"written_complaint_sent": True,
                                                        "first_complaint_date": "2026-10-01",
                                                        "complaint_description": "Rien n'est remboursé."})
    assert result.get("first_complaint_date") == "2026-10-16" and "complaint_description" not in result


async def test_a_decision_denied_then_given_again_at_the_recap():
    # round 9 (m9-a-03 M11): « Décision contestée : FAUX », and the written complaint's date changed
    result, _ = await validate(complaint, "recap_confirmed", "LA DÉCISION CONTESTÉE C'EST FAUX. C'EST LA RÉPONSE DU 13 "
                               "NOVEMBRE QUI REFUSE MON RIB", intent="correct",
                               slots={"contested_decision_answer": "COURRIER LE 2 SEPTEMBRE",
                                      "written_complaint_sent": True, "first_complaint_date": "2026-11-06"})
    assert result["contested_decision_answer"] == "LA RÉPONSE DU 13 NOVEMBRE QUI REFUSE MON RIB"
    assert "first_complaint_date" not in result


# -- another question's answer typed at this one (issue 11, round 10 preparation) ----------------------------

@pytest.fixture(scope="module")
def domain_dict() -> dict:
    from rasa.shared.core.domain import Domain

    return Domain.load("domain").as_dict()


def _turn(requested: str, text: str, slots: dict[str, Any]) -> Tracker:
    return Tracker.from_dict({
        "sender_id": "test-sender",
        "slots": {"requested_slot": requested, "privacy_accepted": True, "opening_facts_read": True,
                  **slots, requested: text},
        "latest_message": {"text": text, "intent": {"name": "inform", "confidence": 0.99}, "entities": []},
        "events": [{"event": "user", "text": text}, {"event": "slot", "name": requested, "value": text}],
        "active_loop": {"name": "complaint_form"},
    })

async def _slots_after(domain_dict: dict, requested: str, text: str, slots: dict[str, Any]) -> dict[str, Any]:
    """The slots the complaint form sets when ``text`` answers ``requested``."""
    events = await complaint.run(CollectingDispatcher(), _turn(requested, text, slots), domain_dict)
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}



@pytest.mark.parametrize("requested, text, kept, expected", [
    ("member_identifier", "martine.lefebvre@example.org", "contact", "m***@example.org"),
    ("member_identifier", "contrat individuel", "contract_holder", "Martine Lefebvre"),  # the holder: the member
    ("contact", grouped(NIR), "member_identifier", "1 90 02 2B *** *** 59"),
])
async def test_an_answer_to_another_question_is_kept_without_an_error(domain_dict, requested, text, kept, expected):
    dispatcher = CollectingDispatcher()
    slots = {"member_name": "Martine Lefebvre", "contact": "a***@example.org" if requested != "contact" else None}
    if kept == "contact":
        slots["contact"] = None
    events = await complaint.run(dispatcher, _turn(requested, text, slots), domain_dict)
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert values[requested] is None and "valide" not in said and "J'ai aussi noté" in said, said
    assert values[kept] is not None and (expected in str(values[kept]) or kept == "member_identifier"), values


@pytest.mark.parametrize("typed", ["Mais non, je n'ai rien écrit comme réclamation ! La réponse c'est non.",
                                   "Je n'ai envoyé aucune réclamation écrite. Aucune.", "non"])
async def test_a_no_at_the_date_question_means_no_written_complaint(typed):
    # members' round 10: the date was asked after a misread yes; the member's no corrects it, no loop
    result, messages = await validate(complaint, "first_complaint_date", typed)
    assert result["written_complaint_sent"] is False and result["first_complaint_date"] is None
    assert "pas encore envoyé de réclamation écrite" in messages[0]


async def test_a_no_about_the_complaint_beside_another_letter_is_a_no():
    result, _ = await validate(complaint, "written_complaint_sent", "Une réclamation, non. Seulement le formulaire "
                               "d'adhésion pour ma femme, et deux coups de téléphone en novembre")
    assert result["written_complaint_sent"] is False


@pytest.mark.parametrize("typed", ["Mettez plutôt autre prestation", "Le motif, s'il vous plaît. Autre prestation."])
async def test_a_nature_corrected_in_a_sentence(typed):
    # members' round 10: the field unnamed, or named in a sentence and the value in the next one
    result, _ = await validate(complaint, "recap_confirmed", typed, intent="inform")
    assert result.get("complaint_nature") == "prestation", result


@pytest.mark.parametrize("requested, text, fact", [
    ("written_complaint_sent", "nn. jveux juste qu'on me rende les 38,90 en trop",
     "Jveux juste qu'on me rende les 38,90 en trop"),
    ("contact", "06 00 00 00 17, mais plutôt par SMS après 18h", "Plutôt par SMS après 18h"),
    # members' round 12: the words left around the cut-out answer or identifiers, the chat about the chat
    ("court_action", "non pas de justice, je veux juste être remboursée. bon je continue ici alors",
     "Je veux juste être remboursée"),
    ("contested_decision_answer", "aucune décision, vous avez juste rien payé du tout",
     "Vous avez juste rien payé du tout"),
    ("contact", "julien@example.org et le 06 00 00 00 12 mais pas avant 18h je suis au boulot",
     "Pas avant 18h je suis au boulot"),
    # a real conversation after round 16: three words about being reached were dropped
    ("contact", "06 00 00 00 33 mais plutot par sms", "Plutot par sms"),
])
async def test_a_fact_beside_a_short_answer_goes_to_the_description(domain_dict, requested, text, fact):
    # members' round 10: « the expected refund of 38,90 € » and « the SMS preference » were lost
    dispatcher = CollectingDispatcher()
    slots = {"member_name": "Martine Lefebvre", "complaint_description": "Cotisation prélevée deux fois.",
             "contact": None if requested == "contact" else "a***@example.org"}
    events = await complaint.run(dispatcher, _turn(requested, text, slots), domain_dict)
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    # how to reach the member is kept as such for the handler, not as a precision of the grievance (round 14)
    label, said = ("Pour vous joindre", "Je note pour la personne qui vous contactera") if requested == "contact" \
        else ("Précision", "J'ajoute à la description")
    assert values["complaint_description"] == f"Cotisation prélevée deux fois.\n{label} : {fact}", values
    assert any(said in (m.get("text") or "") for m in dispatcher.messages)


@pytest.mark.parametrize("typed, expected", [("bon mettez non", False),
                                             ("euh je sais pas, mon mari a peut être envoyé un mail", False)])
async def test_written_complaint_typed_answers_end_the_question(typed, expected):
    # members' round 11: « Je n'ai pas compris : oui ou non ? » three times
    result, _ = await validate(complaint, "written_complaint_sent", typed)
    assert result["written_complaint_sent"] is expected


async def test_a_callback_asked_beside_an_answer_is_kept_for_after_the_recording(domain_dict):
    # members' round 11: « rachid.amrani@example.org. ET JE VEUX QU'ON ME RAPPELLE DEMAIN MATIN » lost the wish
    dispatcher = CollectingDispatcher()
    text = "rachid.amrani@example.org. ET JE VEUX QU'ON ME RAPPELLE DEMAIN MATIN"
    events = await complaint.run(dispatcher, _turn("contact", text, {"member_name": "Rachid Amrani", "contact": None}),
                                 domain_dict)
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert values.get("callback_wanted") is True and values["contact"] == "r***@example.org", values
    assert any("je vous demanderai quand vous rappeler" in (m.get("text") or "") for m in dispatcher.messages)


async def test_a_written_complaint_noted_by_mistake_is_corrected_beside_another_answer(domain_dict):
    # members' round 12 (m12-B-01): « une lettre recommandée de votre part » noted as her written complaint, then
    # « J'accepte. Mais … je n'ai encore jamais écrit de réclamation » and « je n'avais jamais envoyé de
    # réclamation ! » at the answer question were both ignored
    assert facts.extract_facts("Je me permets de vous écrire car j'ai reçu une lettre recommandée de votre part me "
                               "disant que mon contrat allait être résilié.", date(2026, 11, 21)).written_complaint_sent is None
    dispatcher = CollectingDispatcher()
    text = "Le voici : COUSIN Léontine. Mais je n'ai encore jamais écrit de réclamation, c'est la première fois."
    events = await complaint.run(dispatcher, _turn("member_name", text, {
        "written_complaint_sent": True, "first_complaint_date": "2026-11-15", "member_name": None}), domain_dict)
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert values.get("written_complaint_sent") is False and values.get("first_complaint_date") is None, values
    result, messages = await validate(complaint, "answer_received", "Mais je vous ai dit que je n'avais jamais "
                                      "envoyé de réclamation ! C'est la première fois.")
    assert result["written_complaint_sent"] is False and result["answer_received"] is False
    assert "pas encore envoyé de réclamation écrite" in messages[0]


@pytest.mark.parametrize("typed, expected", [
    # members' round 12: SMS-style corrections at the recap, two in one message, the holder « c pas moi c … »
    ("motif c cotisation jtai dit. et mon mail c mehdi.b@example.org jme suis tromper",
     {"complaint_nature": "cotisation", "contact": "m***@example.org"}),
    ("souscripteur c pas moi c ma mere, Samira Haddad", {"contract_holder": "Samira Haddad"}),
])
async def test_sms_corrections_at_the_recap(typed, expected):
    slots = {"member_name": "Lina Haddad", "contract_holder": "Lina Haddad", "complaint_nature": "resiliation",
             "contact": "m***@exemple.org", "complaint_description": "Résiliation refusée."}
    result, _ = await validate(complaint, "recap_confirmed", typed, slots=slots)
    assert {k: result.get(k) for k in expected} == expected, result


async def test_a_field_only_said_to_be_wrong_is_asked_again_not_set_to_faux():
    # members' round 13 (m13-B-05 M18): « Souscripteur du contrat : Faux »
    result, _ = await validate(complaint, "recap_confirmed", "Le souscripteur aussi est faux",
                               slots={"contract_holder": "Desruelles Pierre", "member_name": "Desruelles Pierre"})
    assert "contract_holder" in result and result["contract_holder"] is None, result  # cleared: asked again


async def test_a_number_of_the_description_corrected_beside_another_correction():
    # members' round 13 (m13-D-02 t11): « c'est 12 séances et pas 10 » dropped, the phone applied
    slots = {"member_name": "Lucie Marchand", "contact": "06 ** ** ** 11",
             "complaint_description": "Kiné : 10 séances remboursées 0 € alors que l'ordonnance est jointe."}
    result, _ = await validate(complaint, "recap_confirmed", "mon tel c'est le 06 00 00 00 52. et c'est 12 séances et "
                               "pas 10", slots=slots)
    assert result["complaint_description"].startswith("Kiné : 12 séances"), result
    assert result["contact"] == "06 ** ** ** 52", result
    typed, _ = await validate(complaint, "recap_confirmed", "CORRIGER UN ELEMENT : AJOUTEZ QUE j'ai appelé le 27 "
                              "novembre", slots=slots)
    assert typed["complaint_description"].endswith("J'ai appelé le 27 novembre."), typed


async def test_a_phone_typed_with_the_nir_joins_the_email_given_before():
    # a real conversation after round 13: « [NIR] et mon tel 06 00 00 00 21 » once the e-mail was known lost the phone
    first, _ = await validate(complaint, "contact", "kevin.morel@example.org")
    dispatcher = CollectingDispatcher()
    [event] = await complaint.changed_contact(dispatcher, tracker(
        {"contact": first["contact"], "requested_slot": "member_identifier"},
        text=f"{grouped(make_nir(2, 71, 3, '59', '350', '128'))} et mon tel 06 00 00 00 21"))
    assert "k***@example.org" in event["value"] and "21" in event["value"], event
    own = await complaint.changed_contact(CollectingDispatcher(), tracker(
        {"contact": first["contact"], "requested_slot": "contract_holder"}, text="j'ai appelé le 01 47 70 30 97"))
    assert own == []  # the organisation's own number is never the member's


async def test_the_letter_named_as_the_decision_is_not_the_members_written_complaint(domain_dict):
    # a real conversation after round 13: « la lettre recommandée du 15 novembre » at the decision question was
    # also noted as her written complaint of 15 November, and the complaint recorded as a « relance »
    values = await _slots_after(domain_dict, "contested_decision_answer", "la lettre recommandée du 15 novembre",
                                {"member_name": "Odette Dupuis", "complaint_description": "Résiliation annoncée à tort."})
    assert values.get("written_complaint_sent") is None and values.get("first_complaint_date") is None, values
    assert values["contested_decision_answer"] == "la lettre recommandée du 15 novembre"


async def test_a_callback_wish_with_its_moment_keeps_the_moment(domain_dict):
    # members' round 14 (m14-D-02 t5): « … Et oui je veux bien qu'on me rappelle, demain entre 12h et 13h … »
    dispatcher = CollectingDispatcher()
    text = ("je vous l'ai dit, le Garage Dubreucq. Et oui je veux bien qu'on me rappelle, demain entre 12h et 13h au "
            "06 00 00 00 41")
    events = await complaint.run(dispatcher, _turn("contract_holder", text, {"member_name": "Laurent Dubois"}),
                                 domain_dict)
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert values.get("callback_wanted") is True and "12h et 13h" in values["callback_moment"], values
    assert "06 00" not in values["callback_moment"]  # the number is never kept in a slot in clear
    assert values["contract_holder"] == "Garage Dubreucq", values


async def test_a_doubt_then_the_holder_is_the_holder():
    # members' round 14 (m14-C-03 M6): « je ne sais pas trop, je crois que c'est par la mairie de Wattrelos où je
    # bosse » was refused and the question asked again
    result, _ = await validate(complaint, "contract_holder",
                               "je ne sais pas trop, je crois que c'est par la mairie de Wattrelos où je bosse")
    assert result["contract_holder"] == "Mairie de Wattrelos"
    result, _ = await validate(complaint, "contract_holder", "je ne sais pas")
    assert result["contract_holder"] is None


def test_the_history_typed_with_the_consent_is_kept():
    # members' round 14 (m14-B-02 M2): the letter and its answer asked again later
    text = ("J'accepte. Je précise que je vous avais déjà écrit une lettre à ce sujet le 3 octobre, et que l'on m'a "
            "répondu le 5 novembre de « consulter mon espace adhérent ».")
    found = complaint._message_facts(tracker({"requested_slot": "privacy_accepted"}, text=text, intent="affirm"),
                                     ["privacy_accepted", "member_name", "written_complaint_sent",
                                      "first_complaint_date", "answer_received"])
    assert found.get("written_complaint_sent") is True and found.get("first_complaint_date") == "2026-10-03", found
    assert found.get("answer_received") is True


async def test_the_date_said_last_after_a_self_correction():
    # members' round 14 (m14-B-02 M12): stored as the 2nd
    result, _ = await validate(complaint, "first_complaint_date", "D'après le double que j'ai conservé, la lettre est "
                               "datée du 2 octobre. Non, attendez, du 3 octobre, un samedi")
    assert result["first_complaint_date"] == "2026-10-03"


@pytest.mark.parametrize("text", ["c koi la difference avec le numero dadherent? g que ma carte mutuelle la",
                                  "j'ai juste ma carte de tiers payant"])
async def test_only_the_organisations_card_at_hand_asks_the_member_number(text):
    # members' round 15 (m15-A-02 M4): « Ce numéro de sécurité sociale n'est pas valide »
    result, said = await validate(complaint, "member_identifier", text, slots={"identifier_kind": "nir"})
    assert result["member_identifier"] is None and result["identifier_kind"] == "member_number"
    assert "pas valide" not in " ".join(said)


@pytest.mark.parametrize("text, kept", [
    # members' round 15: kept « pour vous joindre » although none says how to reach the member
    ("nadege.vanhoutte@example.org, et c'est un contrat de mon employeur, la clinique vétérinaire des Tilleuls", None),
    ("je viens de vous le donner : dylan.carpentier@example.org", None),
    ("06 00 00 00 12, celui que je vous ai donné y a 2 minutes", None),
    ("06 00 00 00 12, et franchement ce service est lamentable depuis trois mois",
     "Précision : Franchement ce service est lamentable depuis trois mois"),
])
async def test_only_how_to_reach_the_member_is_kept_for_the_handler(domain_dict, text, kept):
    dispatcher = CollectingDispatcher()
    slots = {"member_name": "Martine Lefebvre", "complaint_description": "Cotisation prélevée deux fois.",
             "contact": None}
    events = await complaint.run(dispatcher, _turn("contact", text, slots), domain_dict)
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    description = values.get("complaint_description", "Cotisation prélevée deux fois.")
    assert "Pour vous joindre" not in description, description
    if kept is None:
        assert description == "Cotisation prélevée deux fois.", description
    else:
        assert description.endswith(kept), description


async def test_a_member_number_printed_in_groups_at_its_question(domain_dict):
    # a real conversation after members' round 15: taken for a phone, then the question asked three times
    dispatcher = CollectingDispatcher()
    events = await complaint.run(dispatcher, _turn("member_identifier", "7730 4412 9",
                                                   {"member_name": "Nadège Wattebled", "identifier_kind": "member_number",
                                                    "contact": None}), domain_dict)
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert values["member_identifier"] == "******129" and not values.get("contact"), values  # 9 characters


async def test_the_answer_said_with_the_yes_to_the_written_complaint(domain_dict):
    # a real conversation on the final build: « Avez-vous reçu une réponse écrite ? » asked after « pas de réponse »
    values = await _slots_after(domain_dict, "written_complaint_sent", "oui un mail le 9 novembre, pas de réponse",
                                {"member_name": "Chantal Morel", "complaint_description": "Cotisation prélevée deux fois."})
    assert values["written_complaint_sent"] is True and values.get("answer_received") is False, values


async def test_a_number_with_a_thousands_space_corrected_in_the_description_and_a_new_mail_said():
    # round 15 (m15-D-02 t10, t11): « l'implant c'est 2 300 € avec la couronne, pas 2100 » left « 2 100 € » in the
    # description, then the description was asked again; the new e-mail masked as the old one, unseen
    slots = {"member_name": "Marchand Hélène", "contract_holder": "Pharmacie Vasseur",
             "complaint_description": "Implant posé le 15 octobre, 2 100 €, CPMS ne m'a versé que 250 €.",
             "contact": "06 ** ** ** 27, h***@example.org", "complaint_nature": "remboursement"}
    text = ("il y a deux erreurs : l'implant c'est 2 300 € avec la couronne, pas 2100. et mon mail c'est "
            "helene.marchand.62@example.org (avec un point avant 62)")
    result, said = await validate(complaint, "recap_confirmed", text, intent="correct", slots=slots)
    assert result["complaint_description"] == "Implant posé le 15 octobre, 2300 €, CPMS ne m'a versé que 250 €."
    assert result["contact"] == "06 ** ** ** 27, h***@example.org"
    assert "remplace vos coordonnées précédentes" in said[0]
    stored = services.store().get_identifiers(services.conversation_key("test-sender"))
    assert stored["email"] == "helene.marchand.62@example.org"
    result, _ = await validate(complaint, "recap_confirmed", "vous avez laissé 2100 euros dans la description. c'est "
                               "2300", intent="correct", slots=slots)
    assert "2300 €" in result["complaint_description"]


@pytest.mark.parametrize("text, description_end", [
    # members' round 16 (m16-C-03 M10): recorded at once, the call-back moment and the demand lost
    ("c'est bon sauf que je voulais être appelée le midi de préférence. et je demande le remboursement des 70 € du "
     "pédiatre", "Je voulais être appelée le midi de préférence. et je demande le remboursement des 70 € du pédiatre."),
    ("ok mais ajoutez que j'ai relancé le 20 novembre", "J'ai relancé le 20 novembre."),
])
async def test_a_yes_with_a_but_at_the_recap_is_no_confirmation(text, description_end):
    result, said = await validate(complaint, "recap_confirmed", text, intent="affirm",
                                  slots={"complaint_description": "Le pédiatre n'est pas remboursé."})
    assert result["recap_confirmed"] is None
    assert result["complaint_description"].endswith(description_end), result


async def test_a_plain_yes_still_confirms():
    result, _ = await validate(complaint, "recap_confirmed", "c'est bon, vous pouvez l'envoyer", intent="affirm")
    assert result["recap_confirmed"] is True


def test_a_consent_typed_with_a_new_statement_after_the_notice_was_read_counts():
    # members' round 16 (m16-C-04 M4–M7): the notice refused, then « Finalement je veux bien faire la réclamation…
    # J'accepte, avec mon numéro d'adhérent 5530917 » got the notice twice more and lost the member number
    text = ("Bon. Finalement je veux bien faire la réclamation contre CPMS : mon contrat prévoit un complément pour les "
            "options et ils n'ont rien versé. J'accepte, avec mon numéro d'adhérent 5530917.")
    seen = tracker(text=text, intent="complain")
    seen.events.append({"event": "slot", "name": "privacy_notice_shown", "value": True})
    found = complaint._message_facts(seen, ["privacy_accepted", "member_name", "member_identifier"])
    assert found["privacy_accepted"] is True and found["member_identifier"] == "5530917"
    first_time = complaint._message_facts(tracker(text=text, intent="complain"),
                                          ["privacy_accepted", "member_name", "member_identifier"])
    assert "privacy_accepted" not in first_time  # never before the notice was read


async def test_je_viens_de_vous_dire_que_j_acceptais_is_a_consent():
    result, _ = await validate(complaint, "privacy_accepted", "Je viens de vous dire que j'acceptais.", intent="inform")
    assert result["privacy_accepted"] is True


@pytest.mark.parametrize("text, kept", [
    # members' round 16 (m16-B-02 M23, m16-B-05 M14): saved as the new description
    ("Non, je ne veux pas changer la description. Je veux confirmer l'enregistrement", True),
    ("Revenir au récapitulatif", True),
    ("La description me convient.", True),
    ("la description est bonne mais ajoutez que j'ai relancé", False),
    ("Ma carte porte le nom PRUVOST Colette au lieu de PREVOST Colette", False),
])
async def test_a_field_being_corrected_left_as_it_was(text, kept):
    from actions.complaint_form import ValidateComplaintForm
    from actions.complaint_recap import clear_field

    before = {"complaint_description": "Le prélèvement continue.", "requested_slot": "recap_confirmed"}
    cleared = clear_field("complaint_description", tracker(before))
    assert cleared["complaint_description"] is None
    slots = {**before, **cleared, "requested_slot": "complaint_description"}
    dispatcher = CollectingDispatcher()
    events = await ValidateComplaintForm().run(dispatcher, tracker(slots, text=text), {"forms": {}, "slots": {}})
    restored = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert (restored.get("complaint_description") == "Le prélèvement continue.") is kept, events


async def test_no_court_action_corrected_at_the_recap():
    # members' round 16 (m16-A-03 M11): « NON PAS D'ACTION EN JUSTICE c'est eux qui menacent pas moi » ignored
    result, _ = await validate(complaint, "recap_confirmed", "NON PAS D'ACTION EN JUSTICE c'est eux qui menacent pas "
                               "moi", intent="correct", slots={"court_action": True})
    assert result["court_action"] is False


async def test_an_addition_typed_after_the_recap_and_confirmer_at_the_field_menu():
    # members' round 16 (m16-C-03 M11): « attendez j'avais pas fini !! vous avez pas noté que … »
    result, _ = await validate(complaint, "recap_confirmed", "attendez j'avais pas fini !! vous avez pas noté que je "
                               "veux être rappelée le midi", intent="correct",
                               slots={"complaint_description": "Ma fille n'est pas ajoutée."})
    assert result["complaint_description"] == "Ma fille n'est pas ajoutée.\nJe veux être rappelée le midi."
    result, _ = await validate(complaint, "recap_confirmed", "Confirmer", intent="affirm",
                               slots={"recap_mode": "choose_field"})
    assert result["recap_confirmed"] is True


async def test_the_date_and_answer_typed_with_the_yes_are_no_precision(domain_dict):
    # a real conversation after round 16: « oui le 15 octobre, pas de réponse » was noted as the date and the answer,
    # and also added to the description as « Précision : 15 octobre, pas de réponse »
    slots = {"member_name": "Sophie Martin", "complaint_description": "Ma fille n'est pas ajoutée.",
             "contact": "s***@example.org"}
    values = await _slots_after(domain_dict, "written_complaint_sent", "oui le 15 octobre, pas de réponse", slots)
    assert values.get("first_complaint_date") == "2026-10-15" and values.get("answer_received") is False
    assert "complaint_description" not in values


async def test_a_yes_but_with_a_number_corrects_the_description():
    # a real conversation after round 16: « c bon sauf que jai payé 160 pas 150 » was added, 150 left in the text
    result, _ = await validate(complaint, "recap_confirmed", "c bon sauf que jai payé 160 pas 150", intent="affirm",
                               slots={"complaint_description": "Remboursé 40e sur mes lentilles alors que jai payé "
                                                               "150, c pas normal"})
    assert result["complaint_description"] == "Remboursé 40e sur mes lentilles alors que jai payé 160, c pas normal"


@pytest.mark.parametrize("requested, text, held, expected", [
    # members' round 17 (m17-C-01 M6): the holder corrected beside the nature, after a wrong one was noted
    ("complaint_nature", "euh c'est pas \"Et au fait le contrat\" le souscripteur lol, c'est mon employeur, la "
     "société Batifer. Pour le motif je dirais plutôt délai de traitement", "Et Au Fait le Contrat", "Batifer"),
    # a company named beside another answer, without correcting anything: the one held stays
    ("complaint_nature", "remboursement, mon employeur la société Batifer a été très clair", "Transports Marel",
     "Transports Marel"),
])
async def test_the_holder_corrected_beside_another_answer(requested, text, held, expected, domain_dict):
    from actions.complaint_form import ValidateComplaintForm

    slots = {"privacy_accepted": True, "member_name": "Camille Dubreuil", "member_identifier": "2 89 ** ** *** *** 77",
             "contact": "c***@example.org", "contract_holder": held, "requested_slot": requested,
             "opening_facts_read": True}
    dispatcher = CollectingDispatcher()
    events = await ValidateComplaintForm().run(dispatcher, tracker(slots, text=text), domain_dict)
    set_now = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert set_now.get("contract_holder", held) == expected, events


@pytest.mark.parametrize("text, expected", [
    # members' round 17
    ("camille.dubreuil@example.org, et au fait le contrat c'est mon employeur qui l'a pris", None),
    ("le souscripteur c'est mon employeur Batifer, je l'ai déjà dit", "Batifer"),
    ("la mutuelle de l'entreprise de mon mari, Garonne Logistique", "Garonne Logistique"),
    # members' round 21 (m21-C-04 M6): « Contrat individuel souscrit par son mari »
    ("c'est par mon mari, il est chez Lactalis, je suis ayant droit", "Lactalis"),
    ("mon mari bosse chez lactalis", "Lactalis"),
    ("mon mari est à la retraite", None),
])
def test_the_holder_in_a_longer_answer(text, expected):
    assert facts.holder_in(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("contrat individuel, souscrit par ma femme", "Contrat individuel souscrit par sa femme"),
    ("c'est un contrat individuel, souscrit par mon épouse, Mme ROUSSEAU née LEMOINE Odette.",
     "Contrat individuel souscrit par son épouse"),
    ("C'est ma défunte épouse qui l'avait souscrit, à titre individuel.",
     "Contrat individuel souscrit par sa défunte épouse"),
    ("Le souscripteur c'est Garonne Logistique, l'entreprise de mon mari", "Garonne Logistique"),
    ("c est l ehpad les Tilleuls mon employeur", "Ehpad les Tilleuls"),
    ("c'est une mutuelle d'entreprise", None),
    ("c'est mon employeur qui l'a pris", None),
    # members' round 21 (m21-C-04 M6, M12): the relative's employer, « de Lactalis »
    ("c'est par mon mari, il est chez Lactalis, je suis ayant droit", "Lactalis"),
    ("c'est pas un contrat individuel !! c'est le contrat collectif de Lactalis, l'employeur de mon mari", "Lactalis"),
    ("par ma femme, elle travaille chez Airbus", "Airbus"),
])
def test_the_holder_as_answered(text, expected):
    assert facts.clean_holder(text, "Sébastien Royer") == expected


@pytest.mark.parametrize("text", [
    # members' round 18 (m18-B-01 M12, m18-B-05 M12, M17): each recorded « Réclamation écrite déjà envoyée : oui,
    # envoyée le … », a complaint never sent, and its deadlines
    "Merci pour la phrase, mais la date n'a pas changé : c'est le 7 octobre 2026 que j'ai acheté les lunettes, pas le 6 "
    "ou le 7.",
    "Ma fille vient de vérifier les papiers : je suis entrée le 15 septembre, pas le 14, et le relevé est daté du 20 "
    "octobre 2026. Pouvez-vous corriger cela ?",
    "La date d'entrée est toujours fausse dans la description : c'est le 15 septembre.",
])
async def test_a_date_of_the_story_corrected_at_the_recap_is_no_written_complaint(text):
    slots = {"complaint_description": "Des lunettes achetées début octobre, le 6 ou le 7, toujours pas remboursées.",
             "written_complaint_sent": False, "requested_slot": "recap_confirmed"}
    result, _ = await validate(complaint, "recap_confirmed", text, intent="correct", slots=slots)
    assert not result.get("first_complaint_date") and result.get("written_complaint_sent") is not True


@pytest.mark.parametrize("text, description, contact", [
    # members' round 18 (m18-A-01 M16, m18-D-03, m18-D-01): the contact cleared, the instruction kept word for word,
    # the phone lost and « mettez simplement que » kept in the description
    ("VOUS AVEZ PAS MIS que jai appele 3 fois au tel !! ajoutez le dans la description",
     "Mes lunettes ne sont pas remboursées depuis septembre.\nJai appele 3 fois au tel.", "m***@example.org"),
    ("presque : ajoutez dans la description que c'est passé de 85 à 125 euros",
     "Mes lunettes ne sont pas remboursées depuis septembre.\nC'est passé de 85 à 125 euros.", "m***@example.org"),
    ("Il manque mon téléphone, c'est le 07 50 00 00 22. Et la description ne va pas : mettez simplement que ma "
     "couronne a été refusée", "Ma couronne a été refusée", "m***@example.org, 07 ** ** ** 22"),
])
async def test_additions_and_a_dictated_description_at_the_recap(text, description, contact):
    slots = {"complaint_description": "Mes lunettes ne sont pas remboursées depuis septembre.",
             "requested_slot": "recap_confirmed", "contact": "m***@example.org"}
    result, _ = await validate(complaint, "recap_confirmed", text, intent="correct", slots=slots)
    assert result["complaint_description"] == description
    assert result.get("contact", "m***@example.org") == contact


def test_the_facts_noted_name_the_member_and_the_relative_who_writes():
    # members' round 18 (m18-B-02 M1): « votre nom (Hélène Dubreuil) » for the daughter writing for her father
    from actions.form_facts import noted_sentence

    said = noted_sentence({"member_name": "Marcel Dubreuil", "member_writer": "sa fille, Hélène Dubreuil"})
    assert "le nom de l'adhérent (Marcel Dubreuil), la démarche étant faite par sa fille, Hélène Dubreuil" in said
    assert "votre nom (Paul Durand)" in noted_sentence({"member_name": "Paul Durand"})


@pytest.mark.parametrize("typed, kept", [
    # members' round 19 (m19-B-02): the whole story replaced by that line, « Tout mon texte a disparu »
    ("Le second prélèvement de 87,40 euros a eu lieu le 7 octobre, et non le 6.", True),
    ("Ma cotisation d'octobre a été prélevée deux fois, le 2 et le 7 octobre, 87,40 euros chaque fois.", False),
])
async def test_a_detail_corrected_after_correct_the_description_keeps_it(typed, kept):
    before = ("Ma cotisation d'octobre a été prélevée deux fois, le 2 et le 6 octobre, 87,40 euros chaque fois. J'ai "
              "écrit le 10 octobre et je n'ai pas de réponse, alors que j'ai envoyé mon relevé bancaire.")
    result, messages = await validate(complaint, "complaint_description", typed,
                                      slots={"before_correction": {"complaint_description": before},
                                             "requested_slot": "complaint_description"})
    if kept:
        assert result["complaint_description"] == f"{before}\nCorrection : {typed}" and "conservée" in messages[0]
    else:
        # members' round 22: what is typed after « ajouter ou corriger : le reste est gardé » adds to the story
        assert result["complaint_description"] == f"{before}\nPrécision : {typed}"


@pytest.mark.parametrize("text, changed", [
    # members' round 19 (m19-B-01, m19-B-04): « Je ne peux pas répondre à cette question ici »
    ("Pardon d'insister, mais la ligne « Décision contestée » devrait dire qu'il n'y en a aucune. Pouvez-vous la "
     "corriger s'il vous plaît ?", {"contested_decision_answer": "aucune"}),
    ("Pourriez-vous aussi ajouter à la description qu'elle a téléphoné à vos services fin octobre ?",
     {"complaint_description": "Mes lunettes ne sont pas remboursées.\nElle a téléphoné à vos services fin octobre."}),
])
async def test_a_correction_asked_as_a_polite_question_at_the_recap(text, changed):
    slots = {"complaint_description": "Mes lunettes ne sont pas remboursées.", "requested_slot": "recap_confirmed",
             "contested_decision_answer": "refus", "contested_decision": "refus"}
    result, _ = await validate(complaint, "recap_confirmed", text, intent="correct", slots=slots)
    assert changed.items() <= result.items()


@pytest.mark.parametrize("typed, decision, added", [
    # members' round 19 (m19-A-01 M7): kept word for word as the contested decision, « JE VS LAI DEJA DIT » included
    ("JE VS LAI DEJA DIT. lunettes 18 septembre, facture opticien 430e, vs avez rien rembourse alors que jai droit a "
     "280e, jai envoye la facture le 25 sept par lespace en ligne et depuis RIEN", "aucune", True),
    ("le refus de remboursement du 12 octobre", "le refus de remboursement du 12 octobre", False),
    # members' round 21 (m21-A-01 M9): « Précision : Yen a pas de decision justement personne me repond », noise
    ("non yen a pas de decision justement personne me repond", "aucune", False),
    # members' round 21 (m21-A-05 M6): the remark about the first message recorded in the decision
    ("ben oui le refus de la rente du 10 novembre, cest ecrit dans mon premier message",
     "le refus de la rente du 10 novembre", False),
])
async def test_nothing_done_at_the_decision_question_is_no_decision(typed, decision, added):
    slots = {"complaint_description": "Mes lunettes ne sont pas remboursées.", "requested_slot": "contested_decision_answer"}
    result, messages = await validate(complaint, "contested_decision_answer", typed, slots=slots)
    assert result["contested_decision_answer"] == decision
    assert ("complaint_description" in result) is added
    if added:
        assert "DEJA DIT" not in result["complaint_description"] and "depuis RIEN" in result["complaint_description"]


async def test_facts_put_into_the_description_at_the_recap_are_added_to_it():
    # members' round 19 (m19-A-01 M10): the description replaced by the whole sentence, « … pas dans decision » kept
    text = ("non c pas bon, ya eu AUCUNE decision, ils ont juste rien fait. mettez lunettes 18/09 430e facture envoyee "
            "le 25/09 dans la description pas dans decision")
    slots = {"complaint_description": "Mes lunettes ne sont pas remboursées.", "requested_slot": "recap_confirmed",
             "contested_decision_answer": "lunettes", "contested_decision": "lunettes"}
    result, _ = await validate(complaint, "recap_confirmed", text, intent="correct", slots=slots)
    assert result["contested_decision_answer"] == "aucune"
    assert result["complaint_description"] == ("Mes lunettes ne sont pas remboursées.\n"
                                               "Précision : Lunettes 18/09 430e facture envoyee le 25/09")


async def test_a_motive_typed_at_the_holder_question_is_kept_as_the_motive():
    # members' round 19 (m19-A-05 M7): recorded « Souscripteur du contrat : Resiliation », the dates lost
    typed = "resiliation. lettre recommandee envoyee le 15 septembre, 2 prelevements de 52e le 5 oct et le 5 nov"
    slots = {"complaint_description": "Vous continuez a me prelever.", "requested_slot": "contract_holder"}
    result, messages = await validate(complaint, "contract_holder", typed, slots=slots)
    assert result["contract_holder"] is None and result["complaint_nature"] == "resiliation"
    assert result["complaint_description"].endswith("Précision : Lettre recommandee envoyee le 15 septembre, 2 "
                                                    "prelevements de 52e le 5 oct et le 5 nov")
    assert "J'ai noté le motif (Résiliation)" in messages[0]
    result, _ = await validate(complaint, "contract_holder", "Contrat individuel", slots={"member_name": "Brandon Lacour"})
    assert result["contract_holder"] == "Brandon Lacour"


@pytest.mark.parametrize("requested, text, expected", [
    # members' round 19 (m19-C-02 M2): the daughter's own name typed after consent, at the NIR question
    ("member_identifier", "j'accepte. Moi c'est Nadia Ferhat, vous pouvez me joindre au 07 50 00 00 58",
     "son enfant, Nadia Ferhat"),
    # … and at the recap (M10)
    ("recap_confirmed", "il manque mon nom à moi : c'est Nadia Ferhat, sa fille, c'est moi qu'il faut contacter.",
     "son enfant, Nadia Ferhat"),
    # the member's own name said again is no writer's
    ("member_identifier", "je suis Yvette Morel, je n'ai pas mon numéro sous la main", None),
])
async def test_the_relatives_own_name_given_later_is_kept(requested, text, expected, domain_dict):
    from actions.complaint_form import ValidateComplaintForm

    slots = {"privacy_accepted": True, "member_name": "Yvette Morel", "member_writer": "son enfant",
             "requested_slot": requested, "opening_facts_read": True}
    if requested == "recap_confirmed":
        slots.update({"member_identifier": "2 45 ** ** *** *** 47", "contact": "07 ** ** ** 58",
                      "contract_holder": "Yvette Morel", "complaint_nature": "reimbursement",
                      "complaint_description": "La clinique a facturé 560 euros de chambre particulière.",
                      "contested_decision_answer": "le refus du 20 octobre", "written_complaint_sent": False,
                      "answer_received": False, "court_action": False})
    dispatcher = CollectingDispatcher()
    events = await ValidateComplaintForm().run(dispatcher, tracker(slots, text=text), domain_dict)
    set_now = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    if expected is None:
        assert "member_writer" not in set_now
    else:
        assert set_now["member_writer"] == expected, events
        assert "la démarche faite par son enfant, Nadia Ferhat" in said or "Nadia Ferhat" in said
    assert set_now.get("member_name", "Yvette Morel") == "Yvette Morel"


@pytest.mark.parametrize("text, member, writer", [
    # members' round 19 (m19-C-02 M12, M13): the two names swapped or the writer dropped
    ("Ferhat Nadia, fille de l'adhérente Yvette Morel", "Yvette Morel", "sa fille, Ferhat Nadia"),
    ("Morel Yvette, démarche faite par sa fille Nadia Ferhat", "Morel Yvette", "sa fille, Nadia Ferhat"),
    # members' round 20 (m20-C-01 M3): « Je n'ai pas reconnu de nom »
    ("Lui c'est Gérard Lemoine, moi je suis sa fille Claire Lemoine-Petit", "Gérard Lemoine",
     "sa fille, Claire Lemoine-Petit"),
])
async def test_a_name_typed_with_the_relative_who_writes(text, member, writer):
    result, _ = await validate(complaint, "member_name", text, slots={"requested_slot": "member_name"})
    assert result["member_name"] == member and result["member_writer"] == writer


async def test_a_wish_for_a_person_beside_an_answer_is_answered_and_not_recorded(domain_dict):
    # members' round 20 (m20-A-03 M5): the wish was added to the description and never answered
    from actions.complaint_form import ValidateComplaintForm

    slots = {"privacy_accepted": True, "member_name": "Gérard Pons", "member_identifier": "****273",
             "contact": "g***@example.org", "contract_holder": "Contrat individuel", "complaint_nature": "contribution",
             "complaint_description": "Vous me prélevez toujours 89 euros alors que j'ai résilié en septembre.",
             "requested_slot": "contested_decision_answer", "opening_facts_read": True}
    text = "aucune decision, ils font comme si javais rien envoye. jvoudrais parler a un conseiller en fait"
    slots["contested_decision_answer"] = text  # the server's from_text mapping
    dispatcher = CollectingDispatcher()
    events = await ValidateComplaintForm().run(dispatcher, tracker(slots, text=text), domain_dict)
    set_now = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert set_now.get("contested_decision_answer") == "aucune", (events, said)
    assert "conseiller" not in set_now.get("complaint_description", "")
    assert "Ils font comme si javais rien envoye" in set_now.get("complaint_description", ""), events
    assert "01 47 70 30 97" in said  # how to reach a person


async def test_a_question_about_the_notice_is_answered_and_the_notice_asked_again():
    # members' round 20 (m20-B-01 M2): « Pardonnez-moi » was read as the answer, a refusal: the form ended and the
    # question went to the qualification. Now a question alone: the form's help answers it (the notice follows).
    from actions.complaint_questions import FormHelp
    from recours.side_questions import split_side_question

    text = ("Pardonnez-moi, mais qu'entendez-vous exactement par « prescription » ? Je ne voudrais pas accepter "
            "quelque chose que je ne comprends pas.")
    assert split_side_question(text).answer == ""
    dispatcher = CollectingDispatcher()
    await FormHelp().run(dispatcher, tracker({"requested_slot": "privacy_accepted"}, text=text, intent="help"), {})
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "La prescription est le délai" in said, said
    # read as the notice's answer (the classifier's « inform »): answered the same way, the notice asked again
    result, messages = await validate(complaint, "privacy_accepted", text, slots={"requested_slot": "privacy_accepted"})
    assert result == {"privacy_accepted": None} and "La prescription est le délai" in " ".join(messages)


@pytest.mark.parametrize("text, name", [
    # members' round 20 (m20-B-05 M3): the name after a colon, « Nom, Prénom »
    ("Je parlais du médiateur de la Caisse, pas du vôtre. Mon nom figure au bas de ma lettre : Chambon, Yvette.",
     "Chambon Yvette"),
])
async def test_a_name_typed_after_a_colon(text, name):
    result, _ = await validate(complaint, "member_name", text, slots={"requested_slot": "member_name"})
    assert result["member_name"] == name


def test_a_formal_letters_signature_after_its_closing_formula():
    # members' round 20 (m20-B-05 M1): « … l'assurance de ma considération distinguée.\n\nYvette Chambon » asked again
    from datetime import date

    letter = ("Je vous serais obligée de bien vouloir régulariser.\n\nJe vous prie de croire, Madame, Monsieur, à "
              "l'assurance de ma considération distinguée.\n\nYvette Chambon")
    assert facts.extract_facts(letter, date(2026, 12, 3)).name == "Yvette Chambon"


# members' round 20 (m20-B-01 M4): the story typed with the name at the name question
STORY_WITH_NAME = (
    "Je suis Madame Odette Lambert-Vasseur, veuve Vasseur. J'ai quatre-vingt-quatre ans. Voici ce qui s'est passé : "
    "j'ai fait faire deux appareils auditifs chez l'audioprothésiste de Vannes en septembre, pour un montant de "
    "2 980 euros. La Sécurité sociale a payé sa part, mais vous ne m'avez remboursé que 400 euros, alors que ma "
    "conseillère m'avait assuré au téléphone que tout serait pris en charge ou presque. J'ai écrit une lettre le "
    "14 octobre, je n'ai jamais reçu de réponse."
)


async def test_a_story_told_with_the_name_goes_into_the_description(domain_dict):
    slots = {"privacy_accepted": True, "requested_slot": "member_name", "member_name": STORY_WITH_NAME,
             "opening_facts_read": True,
             "complaint_description": "Je souhaiterais déposer une réclamation concernant mes prothèses auditives."}
    dispatcher = CollectingDispatcher()
    events = await ValidateComplaintForm().run(dispatcher, tracker(slots, text=STORY_WITH_NAME), domain_dict)
    set_now = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    description = set_now["complaint_description"]
    assert description.startswith("Je souhaiterais déposer une réclamation concernant mes prothèses auditives.\n")
    assert "2 980 euros" in description and "remboursé que 400 euros" in description
    assert "Lambert-Vasseur" not in description and "Précision" not in description
    # the letter told with it is the history's: not asked again
    assert set_now.get("written_complaint_sent") is True and set_now.get("first_complaint_date") == "2026-10-14"
    texts = [m.get("text") or "" for m in dispatcher.messages]
    assert any("description de votre réclamation" in t for t in texts), texts
    result, _ = await validate(complaint, "member_name", STORY_WITH_NAME)
    assert result["member_name"] == "Odette Lambert-Vasseur"


async def test_a_name_alone_adds_nothing_to_the_description(domain_dict):
    slots = {"privacy_accepted": True, "requested_slot": "member_name", "member_name": "Odette Lambert-Vasseur",
             "opening_facts_read": True, "complaint_description": "Mes lunettes de 320 euros toujours pas remboursées."}
    events = await ValidateComplaintForm().run(CollectingDispatcher(), tracker(slots, text="Odette Lambert-Vasseur"),
                                               domain_dict)
    assert "complaint_description" not in {e["name"] for e in events if e["event"] == "slot"}


def _with_history(form_tracker: Tracker, said: list[str]) -> Tracker:
    form_tracker.events = [{"event": "user", "text": text} for text in said]
    return form_tracker


async def test_the_opening_description_is_composed_from_what_the_member_told(domain_dict):
    from tests.test_story import CPAM_THEN_INSURER

    said = CPAM_THEN_INSURER  # members' round 20 (m20-A-04)
    slots = {"complaint_description": "\n".join(said[:2] + said[3:])}
    dispatcher = CollectingDispatcher()
    form_tracker = _with_history(tracker(slots, text=said[-1]), said)
    events = await ValidateComplaintForm().run(dispatcher, form_tracker, domain_dict)
    set_now = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert "couronne dentaire 420e" in set_now["complaint_description"]
    assert "medecin conseil" not in set_now["complaint_description"]


async def test_messages_of_a_recorded_complaint_are_not_the_next_one_s(domain_dict):
    from actions.form_facts import member_messages

    form_tracker = tracker({}, text="x")
    form_tracker.events = [
        {"event": "user", "text": "Mes lunettes de 320 euros toujours pas remboursées depuis septembre."},
        {"event": "slot", "name": "complaint_reference", "value": "REC-2026-ABC123"},
        {"event": "user", "text": "/affirm"},
        {"event": "user", "text": "Autre chose : ma cotisation a doublé en juillet."},
    ]
    assert member_messages(form_tracker) == ["Autre chose : ma cotisation a doublé en juillet."]


RECAP_STORY = ("Lunettes 480e envoyees, toujours pas rembourse. Je vous les ai déjà donnés. Le conseil de l'Ordre m'a "
               "dit de voir avec vous. La Caisse et la commission de recours amiable ont refusé le transport.")


@pytest.mark.parametrize("text, present, absent", [
    # members' round 20 (m20-A-01 M10): « faut rajouter que … au tel » added, the contact kept
    ("faut rajouter que jai envoye la facture le 2 octobre et quon ma dit en cours le 15/11 au tel. et cest aussi "
     "pour le delai", ["Lunettes 480e", "Jai envoye la facture le 2 octobre", "pour le delai"], []),
    # m20-C-03 M13: a sentence removed and a precision added, both
    ("Deux choses : enlevez la phrase sur le conseil de l'Ordre de la description, ça n'a rien à faire là. Et "
     "précisez que l'adhérent principal c'est mon mari Thierry Marchand, moi je suis ayant droit sur son contrat.",
     ["Lunettes 480e", "L'adhérent principal c'est mon mari"], ["conseil de l'Ordre", "enlevez"]),
    # m20-B-03 M16: the sentence named in quotes
    ("Retirez la phrase « Je vous les ai déjà donnés » de la description, elle n'a rien à y faire. Ensuite je "
     "confirmerai.", ["Lunettes 480e", "conseil de l'Ordre"], ["déjà donnés"]),
    # m20-B-02 M18: the description given again
    ("Ce n'est pas tout à fait juste. La partie sur la Caisse et la commission ne vous regarde pas, je m'en occupe "
     "de mon côté. Ma plainte à votre encontre, c'est seulement : trois appels les 4, 12 et 20 novembre pour savoir "
     "si vous rembourseriez votre part des taxis, et jamais de rappel.",
     ["Trois appels les 4, 12 et 20 novembre", "jamais de rappel"], ["Lunettes", "Caisse"]),
])
async def test_recap_corrections_of_the_description(text, present, absent):
    result, _ = await validate(complaint, "recap_confirmed", text, slots={
        "complaint_description": RECAP_STORY, "contact": "06 ** ** ** 21", "written_complaint_sent": False})
    described = result["complaint_description"]
    assert all(p in described for p in present), described
    assert not any(a in described for a in absent), described
    assert "contact" not in result and "written_complaint_sent" not in result


async def test_a_question_at_the_notice_or_the_recap_is_no_answer(domain_dict):
    # members' round 20 (m20-B-04 M2, M13): « si je refuse » read as a refusal; « Avant de confirmer : … ? » recorded
    text = "Je ne sais pas. Si je refuse, est-ce que mon dossier de capital décès sera bloqué ?"
    dispatcher = CollectingDispatcher()
    result = ValidateComplaintForm().validate_privacy_accepted(
        text, dispatcher, tracker({"requested_slot": "privacy_accepted"}, text=text), {})
    assert result == {"privacy_accepted": None}
    assert dispatcher.messages[0]["text"].startswith("Non : refuser n'a aucune conséquence sur votre contrat")
    text = ("Avant de confirmer : si vous ne me répondez pas, puis-je m'adresser à quelqu'un d'autre ? Une dame au "
            "club m'a parlé d'un médiateur.")
    result, said = await validate(complaint, "recap_confirmed", text, slots={"requested_slot": "recap_confirmed"})
    assert result == {"recap_confirmed": None, "recap_mode": None} and not said


@pytest.mark.parametrize("text, expected", [
    # members' round 21 (m21-A-01 M13, M17; m21-A-02 M11): the NIR asked again, the story replaced, « je n'ai pas
    # compris »
    ("corriger la description : le reste a charge cest 480 euros pas 300",
     "Lunettes 480 euros envoyées le 3 octobre, toujours pas remboursées."),
    ("la secu a deja payer 120 donc reste 360",
     "Lunettes 300 euros envoyées le 3 octobre, toujours pas remboursées.\nPrécision : la secu a deja payer 120 donc "
     "reste 360"),
    ("il manque les 8 euros dagios que la banque ma pris, je les reclame aussi",
     "Lunettes 300 euros envoyées le 3 octobre, toujours pas remboursées.\nPrécision : il manque les 8 euros dagios "
     "que la banque ma pris, je les reclame aussi"),
])
async def test_the_story_corrected_or_completed_at_the_recap(text, expected):
    result, _ = await validate(complaint, "recap_confirmed", text, slots={
        "requested_slot": "recap_confirmed", "member_identifier": "****302",
        "complaint_description": "Lunettes 300 euros envoyées le 3 octobre, toujours pas remboursées."})
    assert result["complaint_description"] == expected
    assert "member_identifier" not in result


async def test_a_fact_added_at_the_recap_is_quoted_without_identifiers():
    text = "il manque les 8 euros dagios de la banque, rappelez moi au 06 12 34 56 78 pour en parler"
    result, said = await validate(complaint, "recap_confirmed", text, slots={
        "requested_slot": "recap_confirmed", "complaint_description": "Cotisation de 89 euros prélevée deux fois."})
    assert "8 euros dagios" in result["complaint_description"]
    assert said and "06 12 34 56 78" not in " ".join(said)


@pytest.mark.parametrize("text", [
    # members' round 22 (m22-C-01 M13): the description replaced by « Le 3 octobre, enlevez février svp. »
    "le motif c'est plutot le délai de traitement non ? et dans la description c'est le 3 octobre, enlevez février svp",
    "dans la description c'est le 3 octobre et pas le 3 février",
    "c'est le 3 octobre au lieu du 3 février",
])
async def test_a_date_corrected_at_the_recap_is_replaced_in_the_description(text):
    story = "Ma feuille de soins du cardiologue envoyée le 3 février n'est toujours pas traitée, on me dit 6 semaines."
    slots = {"complaint_description": story, "requested_slot": "recap_confirmed", "complaint_nature": "reimbursement",
             "contested_decision_answer": "aucune"}
    result, _ = await validate(complaint, "recap_confirmed", text, intent="correct", slots=slots)
    assert result["complaint_description"] == story.replace("3 février", "3 octobre")


async def test_no_decision_then_what_happened_is_no_decision_and_the_story():
    # members' round 22 (m22-C-01 M11): « non pas de refus, juste qu'au telephone … » recorded as the decision
    slots = {"complaint_description": "Ma feuille de soins n'est toujours pas traitée.",
             "requested_slot": "contested_decision_answer"}
    result, _ = await validate(complaint, "contested_decision_answer", "non pas de refus, juste qu'au telephone "
                               "aujourd'hui on m'a dit encore 6 semaines d'attente", slots=slots)
    assert result["contested_decision_answer"] == "aucune"
    assert result["complaint_description"].endswith("Précision : Au telephone aujourd'hui on m'a dit encore 6 semaines "
                                                    "d'attente")


async def test_lines_quoted_for_removal_are_removed_never_the_story_replaced():
    # members' round 22 (m22-A-04 M11): the description replaced by « enlevez les lignes '…' et '…' »
    story = ("j ai ete hospitalisee a la clinique du Parc du 3 au 7 novembre, le courrier de refus date du 20 novembre\n"
             "Pour vous joindre : Comme dans mon premier message\n"
             "Précision : Première fois. Pas d'action en justice non plus, ni de médiateur")
    text = ("Corriger la description : enlevez les lignes 'Pour vous joindre : Comme dans mon premier message' et "
            "'Précision : Première fois...', ça n'a rien à faire là")
    result, _ = await validate(complaint, "recap_confirmed", text, intent="correct",
                               slots={"complaint_description": story, "requested_slot": "recap_confirmed"})
    assert result["complaint_description"] == story.split("\n")[0]
    result, _ = await validate(complaint, "recap_confirmed", "corriger la description : enlevez la ligne sur la lune",
                               intent="correct", slots={"complaint_description": story,
                                                        "requested_slot": "recap_confirmed"})
    assert result.get("complaint_description") in (None, story)


async def test_a_missing_demand_named_at_the_recap_is_added_to_the_story():
    # members' round 22 (m22-C-02 M11): the field menu, then the story replaced by the demand
    story = "Des frais de retard de 15 euros après le rejet d'un prélèvement."
    text = ("Il manque ce que je demande : le remboursement ou l'annulation des 15 euros de frais, à titre de geste "
            "commercial. Pouvez-vous l'ajouter ?")
    result, _ = await validate(complaint, "recap_confirmed", text, intent="correct",
                               slots={"complaint_description": story, "requested_slot": "recap_confirmed"})
    assert result["complaint_description"] == (f"{story}\nPrécision : Le remboursement ou l'annulation des 15 euros de "
                                               "frais, à titre de geste commercial")


@pytest.mark.parametrize("typed, expected", [
    # members' round 22 (m22-E-02 M9, m22-E-01 M16): « Description » chosen in the menu, then the story erased
    ("645 € et non 640 €", "Mes lunettes de 645 € ne sont remboursées que 100 €, alors que mon contrat prévoit 250 €."),
    ("J'ajoute que j'ai relancé par téléphone le 2 octobre.",
     "Mes lunettes de 640 € ne sont remboursées que 100 €, alors que mon contrat prévoit 250 €.\nPrécision : J'ajoute "
     "que j'ai relancé par téléphone le 2 octobre."),
    ("Nouvelle description : les verres progressifs ne sont pas remboursés.",
     "Les verres progressifs ne sont pas remboursés."),
    ("remplacer la description : les verres progressifs ne sont pas remboursés.",
     "Les verres progressifs ne sont pas remboursés."),
])
async def test_the_description_asked_again_from_the_recap_keeps_what_was_written(typed, expected):
    story = "Mes lunettes de 640 € ne sont remboursées que 100 €, alors que mon contrat prévoit 250 €."
    slots = {"complaint_description": None, "requested_slot": "complaint_description",
             "before_correction": {"complaint_description": story}}
    result, _ = await validate(complaint, "complaint_description", typed, slots=slots)
    assert result["complaint_description"] == expected


async def test_an_amount_corrected_in_the_story_at_the_recap_replaces_only_the_amount():
    # a conversation typed over REST at the end of the session: « la description c'est 480e et pas 450e » replaced the
    # story by « 480e et pas 450e. »
    story = "Vs m avez rien rembourse pour mes lunettes 450e envoyees le 3 octobre, rien depuis"
    result, _ = await validate(complaint, "recap_confirmed", "la description c'est 480e et pas 450e", intent="correct",
                               slots={"complaint_description": story, "requested_slot": "recap_confirmed"})
    assert result["complaint_description"] == story.replace("450e", "480e")


@pytest.mark.parametrize("order", ["mine_first", "hers_first"])
async def test_two_nirs_in_one_message_the_member_s_is_kept_the_other_never_stored(order):
    # members' round 22 (m22-E-05 M3): « il ne doit contenir que des chiffres »
    from tests.nirs import grouped, make_nir

    mine = make_nir(sex=1, year=61, month=3, department="44", commune="109", order="231")
    hers = make_nir(sex=2, year=63, month=9, department="44", commune="109", order="118")
    text = (f"le mien c'est {grouped(mine)} et celui de ma femme {grouped(hers)} si vous en avez besoin"
            if order == "mine_first" else
            f"celui de ma femme c'est {grouped(hers)}, le mien {grouped(mine)}")
    result, messages = await validate(complaint, "member_identifier", text)
    assert result["identifier_kind"] == "nir" and result["member_identifier"].endswith(mine[-2:])
    assert "L'autre numéro n'est pas enregistré" in messages[0]
    assert hers not in str(result) and grouped(hers) not in " ".join(messages)
    assert services.store().get_identifiers(services.conversation_key("test-sender")).get("nir") == mine


async def test_a_valid_nir_typed_with_a_doubt_is_the_nir():
    # members' round 23 (m23-B-03 M8): the valid number dropped for the « je sais pas »
    from tests.nirs import grouped, make_nir

    number = make_nir(sex=1, year=38, month=5, department="13", commune="055", order="212")
    result, _ = await validate(complaint, "member_identifier", f"{grouped(number)} je sais pas si c'est ça",
                               intent="dont_know")
    assert result["identifier_kind"] == "nir" and result["member_identifier"].endswith(number[-2:])


def test_the_carrier_typed_with_the_dispute_s_answer_is_not_asked_next():
    # members' round 24 (m24-F-03 M4): « Quel type d'organisme assure votre contrat ? » right after it was said
    from actions.mediation import ValidateMediationForm

    text = "le contrat. c'est le contrat collectif de ma boite, assuré par une institution de prévoyance"
    found = ValidateMediationForm()._message_facts(
        tracker({"requested_slot": "dispute_subject", "opening_facts_read": True}, text=text),
        ["dispute_subject", "carrier_type"])
    assert found.get("carrier_type") == "institution_prevoyance"


def test_the_first_time_said_of_the_mediator_keeps_the_written_complaint():
    # members' round 24 (m24-H-05): « Non c'est la première fois » at the other mediator's question wiped out the
    # written complaint of 1 October
    from actions.mediation import ValidateMediationForm

    slots = {"requested_slot": "other_mediator", "opening_facts_read": True, "written_complaint_sent": True,
             "first_complaint_date": "2026-10-01", "answer_received": False}
    found = ValidateMediationForm()._message_facts(tracker(slots, text="Non c'est la première fois"),
                                                   ["other_mediator", "written_complaint_sent"])
    assert "written_complaint_sent" not in found


async def test_medical_or_administrative_asked_back_is_explained():
    # members' round 24 (m24-F-02): « c'est médical ou administratif ça ? » read as « administratif »
    result, messages = await validate(cpam_form, "cpam_decision_medical", "c'est médical ou administratif ça ?")
    assert result == {"cpam_decision_medical": None}
    assert "accident du travail refusé faute de témoin" in messages[0]
    result, _ = await validate(cpam_form, "cpam_decision_medical", "administratif je vous dis")
    assert result["cpam_decision_medical"] is False


async def test_the_letter_s_date_and_its_receipt_at_the_notification_question():
    # a conversation of the session: « daté du 16 novembre mais je l'ai reçu le 19 » took the 16th
    result, messages = await validate(cpam_form, "cpam_notification_date",
                                      "Le courrier est daté du 6 novembre mais je l'ai reçu le 9. C'est quelle date qui "
                                      "compte ?", slots={"cpam_decision_medical": False})
    assert result["cpam_notification_date"] == "2026-11-09"
    assert "le lundi 9 novembre 2026" in messages[0] and "avant le mercredi 6 janvier 2027" in messages[0]


async def test_the_insurer_s_kind_typed_at_the_dispute_s_question_is_the_contract_s():
    # a conversation of the session: « une société d'assurance » at « le contrat ou le travail de CPMS ? », not
    # understood three times
    from actions.mediation import ValidateMediationForm

    result, messages = await validate(ValidateMediationForm(), "dispute_subject", "une société d'assurance")
    assert result == {"dispute_subject": "contract", "carrier_type": "societe_assurance"} and not messages
    result, _ = await validate(ValidateMediationForm(), "dispute_subject", "je ne comprends pas la question")
    assert result["dispute_subject"] is None
