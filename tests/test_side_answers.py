"""actions.side_answers and the questions asked after recording (issue 11): a process question gets its answer,
not the pointer « Je ne peux pas répondre à cette question ici »."""

from __future__ import annotations

import pytest

from actions.qualification import QualifyRequest
from actions.side_answers import answer_side_question
from recours.side_questions import split_side_question
from tests.test_person_actions import local_mode, run, tracker  # noqa: F401 - the form tests' environment
from tests.test_form_validation import environment  # noqa: F401

pytestmark = pytest.mark.anyio

POINTER = "Je ne peux pas répondre à cette question ici"


@pytest.mark.parametrize("question, response", [
    ("un appel compte-t-il comme réclamation ?", "utter_side_phone_counts"),
    ("est-ce trop tard pour contester ?", "utter_side_time_limit"),
    ("c'est payant ?", "utter_side_cost"),
    ("vous gardez mes données combien de temps ?", "utter_side_data_rights"),
    ("qui va lire ma réclamation ?", "utter_side_who_reads"),
    ("pour contester le refus de la CPAM j'ai combien de temps ?", None),
])
def test_a_process_question_in_the_form_gets_its_answer(question, response):
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    answer_side_question(split_side_question(f"Marie Martin, {question}"), dispatcher,
                         tracker({"requested_slot": "member_identifier"}))
    if response is None:  # built from the CPAM facts: the formal appeal and its 2 months
        assert "Commission de recours amiable" in dispatcher.messages[0]["text"]
        assert "2 mois" in dispatcher.messages[0]["text"]
    else:
        assert dispatcher.messages[0]["response"] == response
    assert not any(POINTER in (m.get("text") or "") for m in dispatcher.messages)
    if response == "utter_side_data_rights":
        assert "dpo@cpms.fr" in dispatcher.messages[0]["dpo_contact"]
    if response == "utter_side_who_reads":
        assert "accuser réception" in dispatcher.messages[1]["text"] or "répondre" in dispatcher.messages[1]["text"]


async def test_after_recording_a_process_question_is_answered_not_requalified():
    messages, events = await run(QualifyRequest(), tracker(
        {"complaint_reference": "REC-2026-ABCDEF", "request_kind": "complaint", "concerned_body": "insurer"},
        text="merci. et un appel ça compte comme réclamation ?", intent="ask_information"))
    assert [m.get("response") for m in messages] == ["utter_side_phone_counts"]
    assert {"event": "slot", "name": "qualification_route", "value": "answered"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events]
    assert not any(e.get("name") == "request_kind" for e in events)  # the recorded complaint is not requalified


async def test_a_cpam_question_right_after_the_cpam_path_gets_a_short_answer():
    # round 8 (m8-b-04 M2, M3): the same six messages again, four times
    messages, events = await run(QualifyRequest(), tracker(
        {"qualification_route": "cpam_path", "request_kind": "complaint", "concerned_body": "cpam"},
        text="Je n'ai pas de compte ameli. Auriez-vous l'adresse postale de la Caisse de Lille, pour que je leur "
             "écrive ?", intent="ask_information"))
    [message] = messages
    assert "adresse postale de votre CPAM" in message["text"] and "ameli.fr" in message["text"]
    assert {"event": "slot", "name": "qualification_route", "value": "answered"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events]


async def test_where_to_send_documents_without_a_complaint_just_recorded():
    messages, events = await run(QualifyRequest(), tracker(text="Mes documents… je les envoie où ?",
                                                           intent="ask_information"))
    [message] = messages
    assert "Pour ajouter des pièces à votre réclamation" in message["text"] and "qualite@cpms.fr" in message["text"]


@pytest.mark.parametrize("text", ["wsh jai perdu ma carte vital samedi en soirée, jfai comment pr la pharma",
                                  "Bonjour, on m'a volé ma carte Vitale, comment je fais pour mes médicaments ?"])
async def test_a_lost_carte_vitale_gets_the_steps_at_the_opening(text):
    # members' round 14 (m14-A-04): « adressez-vous à CPMS », then a « réclamation envers l'Assurance Maladie »
    messages, events = await run(QualifyRequest(), tracker(text=text, intent="ask_information"))
    said = " ".join(m.get("text") or "" for m in messages)
    assert "Mes démarches" in said and "attestation de droits" in said and "feuille de soins" in said
    assert "Il s'agit d'une réclamation" not in said
    assert not any(POINTER in (m.get("text") or "") for m in messages)


@pytest.mark.parametrize("text", [
    "Je cherche une information : combien de temps vous conservez mes données si je fais une réclamation ?",
    "Et si j'écris par courrier vous les gardez pas aussi peut-être ? C'est combien d'années exactement ?",
])
async def test_a_question_about_the_data_kept_is_answered_outside_the_form(text):
    # members' round 14 (m14-C-04 M3, M4): the orientation question, then the privacy notice again
    messages, events = await run(QualifyRequest(), tracker({"qualification_route": "clarify"}, text=text,
                                                           intent="ask_information"))
    assert [m.get("response") for m in messages] == ["utter_side_data_rights"]
    slots = {e.get("name"): e.get("value") for e in events if e.get("event") == "slot"}
    assert slots.get("request_kind") == "information"  # the first statement of need is qualified (CONTRACT.md)


async def test_a_complaint_with_a_process_question_is_still_a_complaint():
    messages, events = await run(QualifyRequest(), tracker(text="je conteste la décision de refus, c'est gratuit ?",
                                                           intent="complain"))
    assert "utter_side_cost" not in [m.get("response") for m in messages]


@pytest.mark.parametrize("text, carrier", [("Une autre mutuelle, ou je ne sais pas", "autre"),
                                           ("c'est régi par le code des assurances", "societe_assurance")])
async def test_the_insurers_type_given_after_the_guidance_redoes_the_guidance(text, carrier):
    # members' round 14 (m14-D-01 t9): the button's label typed got the orientation question
    messages, events = await run(QualifyRequest(), tracker(
        {"qualification_route": "mediation", "carrier_type": "mutuelle_fnmf", "request_kind": "complaint"},
        text=text, intent="ask_information"))
    assert not messages
    slots = {e.get("name"): e.get("value") for e in events if e.get("event") == "slot"}
    assert slots["carrier_type"] == carrier
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "action_mediation_guidance"


async def test_how_a_complaint_sent_by_email_stands_gives_its_dates():
    # members' round 14 (m14-D-04 t1): a new complaint was started, then « je ne veux pas refaire une réclamation »
    text = ("Bonjour, j'ai écrit un mail à CPMS le 9 novembre parce qu'on me prélève deux fois la cotisation depuis "
            "octobre. Je voudrais savoir où ça en est, je n'ai pas de numéro de référence.")
    messages, events = await run(QualifyRequest(), tracker(text=text, intent="check_status"))
    assert "Je ne peux pas consulter une réclamation envoyée par le site, par e-mail" in messages[0]["text"]
    assert "lundi 9 novembre 2026" in messages[0]["text"]
    slots = {e.get("name"): e.get("value") for e in events if e.get("event") == "slot"}
    assert slots["qualification_route"] == "mediation" and slots["first_complaint_date"] == "2026-11-09"
    assert slots["request_kind"] == "complaint" and slots["written_complaint_sent"] is True


async def test_a_remark_to_the_assistant_is_no_grievance():
    # members' round 14 (m14-B-03 M4): « absence de réponse à votre demande », a complaint against the organisation
    messages, events = await run(QualifyRequest(), tracker(
        {"qualification_route": "answered", "request_kind": "information", "concerned_body": "insurer"},
        text="Vous ne m'avez pas répondu. Est-ce que la mutuelle rembourse la part que la Sécurité sociale ne paie "
             "plus parce que je n'ai plus de médecin traitant ?", intent="ask_information"))
    slots = {e.get("name"): e.get("value") for e in events if e.get("event") == "slot"}
    assert slots.get("request_kind") != "complaint", messages


async def test_a_stolen_carte_vitale_read_as_a_complaint_still_gets_the_steps():
    # a real conversation on the final build: the classifier said « complain », the CPAM complaint path followed
    messages, events = await run(QualifyRequest(), tracker(
        text="on m'a volé ma carte vitale, je fais comment pour mes médicaments demain ?", intent="complain"))
    said = " ".join(m.get("text") or "" for m in messages)
    assert "Mes démarches" in said and "Il s'agit d'une réclamation" not in said
    slots = {e.get("name"): e.get("value") for e in events if e.get("event") == "slot"}
    assert slots["request_kind"] == "information" and slots["concerned_body"] == "cpam"


def test_a_registered_letter_asked_while_contesting_a_cpam_decision():
    # members' round 16 (a replay of m16-B-04): the assistant's own record was offered instead of the appeal by post
    from rasa_sdk.executor import CollectingDispatcher

    question = split_side_question("je ne sais pas. une lettre recommandée suffit-elle ?")
    dispatcher = CollectingDispatcher()
    answer_side_question(question, dispatcher, tracker({"requested_slot": "cpam_notification_date"},
                                                       loop="cpam_appeal_form"))
    assert "un courrier suffit" in dispatcher.messages[0]["text"]
    dispatcher = CollectingDispatcher()
    answer_side_question(question, dispatcher, tracker({"requested_slot": "member_identifier"}, loop="complaint_form"))
    assert dispatcher.messages[0]["response"] == "utter_side_registered_letter"


@pytest.mark.parametrize("text, practice", [
    ("nn jai jamais ecrit jai appelé une fois. dailleurs le chiro cest secu ou mutuelle qui rembourse ?",
     "La chiropraxie"),
    ("Non. Est-ce que la sécurité sociale rembourse l'ostéopathe ?", "L'ostéopathie"),
    ("non, et la sophrologue c'est pris en charge ?", "La sophrologie"),
])
def test_care_the_assurance_maladie_never_reimburses_is_the_organisations(text, practice):
    # members' round 16 (m16-A-02): « le chiro c'est sécu ou mutuelle ? » was sent to the CPAM's contacts
    from rasa_sdk.executor import CollectingDispatcher

    side = split_side_question(text)
    assert side is not None and side.kind == "not_reimbursed"
    dispatcher = CollectingDispatcher()
    answer_side_question(side, dispatcher, tracker({"requested_slot": "written_complaint_sent"}))
    reply = dispatcher.messages[0]["text"]
    assert reply.startswith(practice) and "pas remboursée par l'Assurance Maladie" in reply
    assert "CPMS" in reply and "36 46" not in reply


def test_a_cpam_question_naming_no_such_care_still_gets_the_cpam():
    assert split_side_question("non. et le kiné c'est la sécu qui rembourse ?").kind == "cpam"
    assert split_side_question("non. l'osteoporose c'est grave ?").kind != "not_reimbursed"


@pytest.mark.parametrize("question, expected, body", [
    # members' round 19 (m19-D): the glossary's definition of « médiateur » answered the first, the second was refused
    ("l'avis du médiateur est-il obligatoire pour la mutuelle ?", "ne s'impose ni à vous ni à l'organisme", None),
    ("et si je ne suis pas d'accord avec son avis je peux aller au tribunal après ?", "saisir le tribunal", None),
    ("je pourrai quand même aller en justice ensuite ?", "commission de recours amiable", "cpam"),
])
async def test_what_the_mediator_can_do_asked_in_the_mediation_check(environment, question, expected, body):
    from actions.complaint_questions import FormHelp

    messages, _ = await run(FormHelp(), tracker({"requested_slot": "written_complaint_sent", "concerned_body": body},
                                                text=question, intent="help", loop="mediation_form"), as_sent=True)
    said = " ".join(m.get("text") or "" for m in messages)
    assert expected in said and POINTER not in said and "personne indépendante et gratuite" not in said
