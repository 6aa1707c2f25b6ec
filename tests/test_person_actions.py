"""A person when the member wants one, called as the action server calls the actions (issue 13): the human-contact
answer, the offers after two misunderstandings and for an urgency, and the call-back form's validators and its
recording, with a real SQLite store. RECOURS_TODAY is Saturday 21 November 2026: CPMS's advisers are not reachable."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.callback import (
    AskCallbackPhone,
    AskCallbackTime,
    CancelCallback,
    PauseForm,
    SubmitCallback,
    ValidateCallbackForm,
)
from actions.human_contact import DefaultFallback, HumanContact, OutOfScope, previous_turn_misunderstood
from actions.qualification import QualifyRequest
from actions.session import SessionStart
from tests.responses import rendered
from tests.test_form_validation import environment  # noqa: F401 - the same store, key, date and organisation

pytestmark = pytest.mark.anyio

CLOSED = "Nos conseillers sont joignables à partir de lundi 9 h."
WINDOW = "2026-11-23T11:00+01:00/2026-11-23T13:00+01:00"


@pytest.fixture(autouse=True)
def local_mode(environment, monkeypatch):
    """The environment of the form tests (a store, a key, CPMS, Saturday 21 November 2026), no back-office."""
    monkeypatch.delenv("BACKOFFICE_URL", raising=False)


def tracker(slots: dict[str, Any] | None = None, text: str = "", intent: str = "inform", loop: str | None = None,
            events: list[dict] | None = None, sender: str = "test-sender") -> Tracker:
    return Tracker.from_dict({
        "sender_id": sender,
        "slots": {"requested_slot": None, **(slots or {})},
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": [],
                           "intent_ranking": [{"name": intent, "confidence": 0.99}]},
        "events": events or [],
        "active_loop": {"name": loop} if loop else {},
        "latest_input_channel": "rest",
    })


async def run(action, t: Tracker, as_sent: bool = False) -> tuple[list[dict], list[dict]]:
    """The action's messages (``as_sent``: with domain responses rendered, as the member reads them) and events."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    return rendered(dispatcher, t) if as_sent else dispatcher.messages, events


def user(text: str) -> dict:
    return {"event": "user", "text": text}


def fallback_turn() -> list[dict]:
    return [user("blorp"), {"event": "action", "name": "action_default_fallback"}, {"event": "bot", "text": "?"}]


# -- saying what it is, first, whatever the first message ---------------------------------------------------------


async def test_every_conversation_starts_by_saying_it_is_a_machine_with_the_organisation_named():
    messages, events = await run(SessionStart(), tracker())
    assert [m["response"] for m in messages] == ["utter_disclosure"]
    assert messages[0]["organisation_name"] == services.organisation().name == "CPMS"
    assert [e["event"] for e in events] == ["session_started", "slot", "action"]
    assert events[1]["value"] == "CPMS"


# -- the human-contact answer ----------------------------------------------------------------------------------


async def test_a_person_asked_for_gets_the_number_the_hours_whether_open_the_email_and_a_callback():
    messages, events = await run(HumanContact(), tracker())
    [message] = messages
    assert message["text"].startswith("Je suis un assistant automatique : pour parler à une personne de CPMS")
    for part in ("01 47 70 30 97", "du lundi au vendredi de 9 h à 17 h", "(horaires indicatifs)", CLOSED,
                 "qualite@cpms.fr", "être rappelé"):
        assert part in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/request_callback"]
    assert {"event": "slot", "timestamp": None, "name": "callback_reason", "value": "asked"} in events


async def test_mid_form_the_answers_are_kept_and_mid_callback_no_second_callback_is_offered():
    messages, _ = await run(HumanContact(), tracker(loop="complaint_form"))
    assert "Vos réponses déjà données sont conservées" in messages[0]["text"]
    messages, events = await run(HumanContact(), tracker(loop="callback_form"))
    assert messages[0]["buttons"] == [] and "être rappelé" not in messages[0]["text"] and events == []


async def test_the_cpam_contacts_are_added_for_a_cpam_matter():
    messages, _ = await run(HumanContact(), tracker({"concerned_body": "cpam"}))
    assert "Assurance Maladie" in messages[0]["text"]


# -- two misunderstandings in a row -----------------------------------------------------------------------------


def test_the_previous_turn_is_read_from_the_events():
    assert not previous_turn_misunderstood(tracker(events=[user("bonjour"), {"event": "action", "name": "utter_greet"},
                                                           user("blorp")]))
    assert previous_turn_misunderstood(tracker(events=fallback_turn() + [user("xkq")]))
    rephrase = [user("euh"), {"event": "slot", "name": "qualification_route", "value": "rephrase"}]
    assert previous_turn_misunderstood(tracker(events=rephrase + [user("bof")]))
    # an understood turn in between: not in a row
    understood = fallback_turn() + [user("bonjour"), {"event": "action", "name": "utter_greet"}]
    assert not previous_turn_misunderstood(tracker(events=understood + [user("xkq")]))


@pytest.mark.parametrize("action, usual", [(DefaultFallback(), "utter_default"), (OutOfScope(), "utter_out_of_scope")])
async def test_the_second_misunderstanding_offers_a_person(action, usual):
    messages, events = await run(action, tracker(events=[user("bonjour"), user("blorp")]))
    assert messages[0].get("response") == usual
    messages, events = await run(action, tracker(events=fallback_turn() + [user("xkq")]))
    assert "Je ne parviens pas à vous comprendre" in messages[0]["text"] and CLOSED in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == "/request_callback"
    assert events[-1]["name"] == "callback_reason" and events[-1]["value"] == "misunderstood"
    assert (events[0]["event"] == "rewind") is (usual == "utter_default")


async def test_the_qualification_offers_a_person_at_the_second_rephrase():
    turn = tracker(text="euh bof", intent="nlu_fallback",
                   events=[user("hmm"), {"event": "slot", "name": "qualification_route", "value": "rephrase"},
                           user("euh bof")])
    messages, events = await run(QualifyRequest(), turn)
    assert "Je ne parviens pas à vous comprendre" in messages[-1]["text"]
    assert any(e.get("name") == "callback_reason" and e.get("value") == "misunderstood" for e in events)


async def test_an_urgency_offers_a_person_at_once_then_the_complaint_goes_on():
    text = "Vous avez résilié mon contrat sans prévenir et je suis opérée demain, je n'ai plus de mutuelle"
    messages, events = await run(QualifyRequest(), tracker(text=text, intent="complain"))
    offer = next(m for m in messages if "Votre situation est urgente" in (m.get("text") or ""))
    assert "01 47 70 30 97" in offer["text"] and offer["buttons"][0]["payload"] == "/request_callback"
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["callback_reason"] == "coverage_terminated" and slots["qualification_route"] == "record_complaint"


@pytest.mark.parametrize("text, moment", [
    # members' round 17 (m17-D-04 M1): « CPMS ne rappelle pas le samedi 6 novembre 2027 », the complaint dropped
    ("bonjour, ma cotisation de novembre (64,30 €) a été prélevée deux fois, le 5 et le 6 novembre. je voudrais "
     "faire une réclamation et qu'on me rappelle", None),
    ("ma cotisation a été prélevée deux fois le 5 et le 6 novembre. Je voudrais faire une réclamation et qu'on me "
     "rappelle lundi matin", "Je voudrais faire une réclamation et qu'on me rappelle lundi matin"),
])
async def test_a_complaint_with_a_call_back_wish_is_recorded_first_then_the_call_back(text, moment):
    messages, events = await run(QualifyRequest(), tracker(text=text, intent="complain"))
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["qualification_route"] == "record_complaint" and slots["request_kind"] == "complaint"
    assert slots["callback_wanted"] is True and slots.get("callback_moment") == moment
    assert any("dès que votre réclamation sera enregistrée" in (m.get("text") or "") for m in messages)
    assert not any("novembre 2027" in (m.get("text") or "") for m in messages)


async def test_the_call_back_moment_is_read_in_its_own_sentence():
    text = ("ma cotisation a été prélevée deux fois, le 5 et le 6 novembre. je voudrais faire une réclamation et qu'on "
            "me rappelle")
    assert await ValidateCallbackForm().extract_callback_time(CollectingDispatcher(), tracker(text=text), {}) == {}
    text = "ma cotisation a été prélevée deux fois, le 5 et le 6 novembre. rappelez-moi lundi matin svp"
    assert await ValidateCallbackForm().extract_callback_time(CollectingDispatcher(), tracker(text=text), {}) == {
        "callback_time": "rappelez-moi lundi matin svp"}


# -- the call-back form ------------------------------------------------------------------------------------------


async def test_the_number_is_asked_the_known_one_offered_masked():
    services.store().put_identifier(services.conversation_key("test-sender"), "phone", "+33612345678")
    messages, _ = await run(AskCallbackPhone(), tracker(loop="callback_form"))
    assert "06 ** ** ** 78" in messages[0]["text"] and "612345678" not in messages[0]["text"]
    messages, _ = await run(AskCallbackPhone(), tracker({"requested_slot": "callback_phone"}, text="non",
                                                        intent="deny", loop="callback_form"), as_sent=True)
    assert "À quel numéro" in messages[0]["text"] and "06 **" not in messages[0]["text"]


async def test_the_next_windows_are_offered_as_buttons():
    messages, _ = await run(AskCallbackTime(), tracker(loop="callback_form"))
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == ["Lun. 23 nov., 9 h – 11 h", "Lun. 23 nov., 11 h – 13 h", "Lun. 23 nov., 13 h – 15 h",
                      "Lun. 23 nov., 15 h – 17 h", "Annuler"]
    assert "du lundi au vendredi de 9 h à 17 h" in messages[0]["text"]


@pytest.mark.parametrize(
    ("typed", "intent", "expected", "said"),
    [
        ("06 12 34 56 78", "inform", "06 ** ** ** 78", None),
        ("Non, plutôt au 07 98 76 54 32", "deny", "07 ** ** ** 32", None),
        ("oui", "affirm", None, "Indiquez le numéro"),  # nothing known yet
        ("non", "deny", None, None),  # asked again for another number
        ("jean@exemple.fr", "inform", None, "numéro de téléphone"),
        ("01 23", "inform", None, "numéro"),
    ],
)
async def test_the_number_is_validated_and_kept_encrypted(typed, intent, expected, said):
    dispatcher = CollectingDispatcher()
    result = await ValidateCallbackForm().validate_callback_phone(typed, dispatcher, tracker(text=typed, intent=intent,
                                                                                           loop="callback_form"), {})
    assert result["callback_phone"] == expected
    if said:
        assert said in dispatcher.messages[0]["text"]
    if expected:
        engine_rows = services.store().get_identifiers(services.conversation_key("test-sender"))
        assert engine_rows == {}  # not in the complaint's vault: the call-back's own draft holds it


async def test_oui_takes_the_known_number():
    services.store().put_identifier(services.conversation_key("test-sender"), "phone", "+33612345678")
    result = await ValidateCallbackForm().validate_callback_phone("oui", CollectingDispatcher(),
                                                                  tracker(text="oui", intent="affirm"), {})
    assert result == {"callback_phone": "06 ** ** ** 78"}


@pytest.mark.parametrize(
    ("typed", "expected", "said"),
    [
        ("lundi 23 novembre 2026, 11 h", WINDOW, None),
        ("le plus tôt possible", "2026-11-23T09:00+01:00/2026-11-23T11:00+01:00", None),
        ("dimanche", None, "CPMS ne rappelle pas le dimanche 22 novembre 2026."),
        ("bof", None, "Je n'ai pas compris le moment souhaité."),
        (WINDOW, WINDOW, None),  # the form resumed: already validated
    ],
)
async def test_the_time_is_read(typed, expected, said):
    dispatcher = CollectingDispatcher()
    result = await ValidateCallbackForm().validate_callback_time(typed, dispatcher, tracker(text=typed), {})
    assert result["callback_time"] == expected
    assert (dispatcher.messages[0]["text"] if dispatcher.messages else None) == said


async def test_the_request_is_recorded_once_and_the_paused_form_resumes():
    await ValidateCallbackForm().validate_callback_phone("06 12 34 56 78", CollectingDispatcher(), tracker(), {})
    slots = {"callback_phone": "06 ** ** ** 78", "callback_time": WINDOW, "callback_reason": "hospitalisation",
             "paused_form": "complaint_form"}
    messages, events = await run(SubmitCallback(), tracker(slots), as_sent=True)
    text = " ".join(m["text"] for m in messages)
    assert "CPMS vous rappellera le lundi 23 novembre 2026 entre 11 h et 13 h au 06 ** ** ** 78" in text
    assert "Reprenons là où nous en étions" in text
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "complaint_form"}
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"} == {
        "callback_phone": None, "callback_time": None, "callback_reason": None, "paused_form": None,
        "callback_moment": None}  # the moment said in the complaint form is forgotten once the call-back is booked
    again, _ = await run(SubmitCallback(), tracker(slots))  # a retried action: the same request
    assert services.store().count_callbacks() == 1
    assert text.split("Référence de votre demande : ")[1][:15] in again[0]["text"]


async def test_a_form_in_progress_is_paused_and_a_cancel_resumes_it():
    _, events = await run(PauseForm(), tracker(loop="complaint_form"))
    assert [e["event"] for e in events] == ["slot", "active_loop", "slot"] and events[0]["value"] == "complaint_form"
    await ValidateCallbackForm().validate_callback_phone("06 12 34 56 78", CollectingDispatcher(), tracker(), {})
    messages, events = await run(CancelCallback(), tracker({"paused_form": "mediation_form"}, loop="callback_form"),
                                 as_sent=True)
    assert "je n'enregistre pas de demande de rappel" in messages[0]["text"]
    assert events[-1]["name"] == "mediation_form"
    from sqlalchemy import text as sql

    with services.store().engine.connect() as connection:  # the number given is forgotten
        assert connection.execute(sql("SELECT COUNT(*) FROM callbacks")).scalar_one() == 0


@pytest.mark.parametrize("text, kept", [
    # round 8 (m8-a-02 M18, m8-c-02 M17): the moment typed with the « oui » to the number was asked again
    ("OUI LUNDI MATIN AVANT 10H", True),
    ("je veux bien qu'on me rappelle, jeudi matin", True),
    ("oui c'est le 06 12 34 56 78", False),
    ("Demander un rappel", False),
])
async def test_the_moment_typed_before_it_is_asked_is_kept(text, kept):
    extracted = await ValidateCallbackForm().extract_callback_time(
        CollectingDispatcher(), tracker({"requested_slot": "callback_phone"}, text=text), {})
    assert bool(extracted) is kept
    if kept:
        validated = await ValidateCallbackForm().validate_callback_time(extracted["callback_time"], CollectingDispatcher(),
                                                                  tracker(), {})
        assert validated["callback_time"]


async def test_the_number_typed_with_the_request_is_not_asked_again():
    # members' round 12 (m12-D-05 t5): « je peux avoir un conseiller qui me rappelle ? demain midi au 06 … 74 »
    text = "je peux avoir un conseiller qui me rappelle ? demain midi au 06 00 00 00 74"
    form = ValidateCallbackForm()
    extracted = await form.extract_callback_phone(CollectingDispatcher(), tracker(text=text, loop="callback_form"), {})
    assert extracted == {"callback_phone": "+33600000074"}
    assert await form.extract_callback_phone(CollectingDispatcher(), tracker(
        {"requested_slot": "callback_phone"}, text=text, loop="callback_form"), {}) == {}


async def test_the_moment_said_with_a_wish_in_the_complaint_form_is_kept_for_the_callback():
    # members' round 14 (m14-D-02 t5, t15): « oui je veux bien qu'on me rappelle, demain entre 12h et 13h au 06 … »
    # typed at the holder question; after the recording the moment was asked again, then booked 13 h-15 h (here on
    # a Saturday: « lundi »)
    extracted = await ValidateCallbackForm().extract_callback_time(
        CollectingDispatcher(), tracker({"requested_slot": "callback_phone",
                                         "callback_moment": "Et oui je veux bien qu'on me rappelle, lundi entre 12h "
                                                            "et 13h au 06 00 00 00 41"}, text="Confirmer"), {})
    assert extracted["callback_time"] and "06 00" not in extracted["callback_time"]
    validated = await ValidateCallbackForm().validate_callback_time(extracted["callback_time"], CollectingDispatcher(),
                                                              tracker(), {})
    start, end = validated["callback_time"].split("/")
    assert (start, end) == ("2026-11-23T12:00+01:00", "2026-11-23T13:00+01:00"), validated


async def test_a_number_typed_with_the_time_replaces_the_one_held():
    # members' round 15 (m15-D-02 t21): « vendredi 10h. et PAS au même numéro, au 06 00 00 00 72 » was booked on
    # the old number
    form = ValidateCallbackForm()
    await form.validate_callback_phone("06 12 34 56 78", CollectingDispatcher(), tracker(), {})
    text = "lundi 11h. et PAS au même numéro, au 06 00 00 00 72"
    validated = await form.validate_callback_time(text, CollectingDispatcher(),
                                                  tracker({"callback_phone": "06 ** ** ** 78"}, text=text), {})
    assert validated == {"callback_time": WINDOW, "callback_phone": "06 ** ** ** 72"}
    same = await form.validate_callback_time("lundi 11h", CollectingDispatcher(),
                                             tracker({"callback_phone": "06 ** ** ** 72"}, text="lundi 11h"), {})
    assert same == {"callback_time": WINDOW}


# -- « stop » then « je continue » in the mediation questions (members' round 15, m15-D-05 t4–t7) -----------------


async def test_stopped_questions_keep_their_answers_and_resume_with_je_continue():
    from actions.stopped_questions import ResumeStoppedQuestions, StopQuestions

    messages, events = await run(StopQuestions(), tracker({"written_complaint_sent": True}, text="stop",
                                                          intent="stop", loop="mediation_form"))
    assert [m["response"] for m in messages] == ["utter_questions_stopped"]
    assert {"event": "slot", "timestamp": None, "name": "stopped_form", "value": "mediation_form"} in events
    assert not [e for e in events if e["event"] == "slot" and e["name"] == "written_complaint_sent"]  # kept
    # « non pardon, je continue. oui réponse le 2 novembre », whatever the classifier made of it
    stopped = {"stopped_form": "mediation_form", "written_complaint_sent": True}
    for action, intent in ((QualifyRequest(), "complain"), (ResumeStoppedQuestions(), "continue_form")):
        messages, events = await run(action, tracker(stopped, text="non pardon, je continue. oui réponse le 2 novembre",
                                                     intent=intent))
        assert [m.get("response") for m in messages] == ["utter_resume_form"], action
        assert events[-1] == {"event": "followup", "timestamp": None, "name": "mediation_form"}
    # nothing stopped: « je continue » alone gets the usual question
    messages, events = await run(ResumeStoppedQuestions(), tracker(text="je continue", intent="continue_form"))
    assert [m["response"] for m in messages] == ["utter_anything_else"] and events == []


async def test_the_notice_answered_with_the_mediator_keeps_the_history_already_told():
    # round 15 (m15-D-05 t1–t3): « J'ai écrit le 10 octobre, ils m'ont répondu le 2 novembre… », then at the notice
    # « Je ne veux pas refaire une réclamation… plutôt au médiateur »: the letter and its answer were asked again
    from actions.complaint import SubmitComplaint

    told = {"privacy_accepted": False, "written_complaint_sent": True, "first_complaint_date": "2026-10-10",
            "answer_received": True, "complaint_description": "Ma cotisation passe de 112 à 132 €.",
            "member_name": "Béatrice Dumont"}
    text = "Je ne veux pas refaire une réclamation, ils m'ont déjà répondu. Je pensais plutôt au médiateur"
    _, events = await run(SubmitComplaint(), tracker(told, text=text))
    reset = {e["name"] for e in events if e["event"] == "slot" and e["value"] is None}
    assert {"written_complaint_sent", "first_complaint_date", "answer_received", "complaint_description"}.isdisjoint(
        reset)
    assert "member_name" in reset and events[-1]["name"] == "action_qualify_request"
    # about someone else: the history and the statement stay (the qualification adds nothing to it for a third party)
    _, events = await run(SubmitComplaint(), tracker(told, text="ce n'est pas CPMS qui est en cause, c'est mon dentiste"))
    reset = {e["name"] for e in events if e["event"] == "slot" and e["value"] is None}
    assert "complaint_description" not in reset and "written_complaint_sent" not in reset
    # any other statement: a new description
    _, events = await run(SubmitComplaint(), tracker(told, text="en fait je voulais juste une attestation de droits"))
    reset = {e["name"] for e in events if e["event"] == "slot" and e["value"] is None}
    assert "complaint_description" in reset


async def test_the_notice_refused_then_accepted_after_all_keeps_the_statement():
    # members' round 18 (m18-A-03 M2–M4): « non jrefuse … » then « bon ok finalement jaccepte, faut bien que ca bouge »
    # became the description; the termination and the debits told first were lost
    from actions.complaint import SubmitComplaint

    told = {"privacy_accepted": False, "complaint_description": "J'ai résilié en septembre et vous prélevez encore.",
            "member_name": "Kevin Brossard", "request_kind": "complaint", "concerned_body": "insurer"}
    _, events = await run(SubmitComplaint(), tracker(told, text="non jrefuse vous allez encore vendre mes donnees"))
    reset = {e["name"] for e in events if e["event"] == "slot" and e["value"] is None}
    assert "complaint_description" not in reset and "member_name" in reset
    kept = {**told, "privacy_accepted": None, "member_name": None, "complaint_outcome": "refused_privacy"}
    messages, events = await run(QualifyRequest(), tracker(kept, text="bon ok finalement jaccepte, faut bien que ca bouge",
                                                           intent="file_complaint"))
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots == {"complaint_outcome": None, "privacy_accepted": True, "request_kind": "complaint",
                     "qualification_route": "record_complaint"}
    assert "je reprends votre réclamation" in messages[0]["text"]
    # a new statement after the refusal is a new description, not added to the one kept
    _, events = await run(QualifyRequest(), tracker(kept, text="En fait mes lunettes ne sont toujours pas remboursées "
                                                               "depuis deux mois, c'est inadmissible", intent="complain"))
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["complaint_description"].startswith("En fait mes lunettes")


async def test_the_referral_letter_without_a_complaint_recorded_here_uses_what_was_told():
    # members' round 18 (m18-D-04): « oui la lettre, au nom de Thierry Vasseur, pour le refus des indemnités
    # journalières » got « [Vos nom et prénom] » and « [Résumez ici votre litige …] »
    from actions.mediation import ReferralLetter

    slots = {"written_complaint_sent": True, "first_complaint_date": "2026-08-10", "answer_received": True,
             "answer_satisfied": False, "court_action": False, "other_mediator": False,
             "carrier_type": "institution_prevoyance", "dispute_subject": "contract",
             "complaint_description": "CPMS refuse de me verser le complément de mes indemnités journalières."}
    text = "oui la lettre, au nom de Thierry Vasseur, pour le refus des indemnités journalières"
    messages, _ = await run(ReferralLetter(), tracker(slots, text=text, intent="affirm"))
    letter = messages[0]["text"]
    assert letter.count("Thierry Vasseur") == 2 and "[Vos nom et prénom]" not in letter
    assert "complément de mes indemnités journalières" in letter and "[Résumez ici" not in letter


async def test_two_call_backs_the_one_meant_is_cancelled_and_one_cancelled_by_mistake_is_restored():
    # round 15 (m15-D-02 t23–t28): « l'autre rappel … sur le 27 » cancelled the one on the 72, then nothing was left
    from datetime import datetime

    from recours.settings import PARIS

    key = services.conversation_key("test-sender")
    store = services.store()
    booked = {}
    for ending, day in (("27", 24), ("72", 25)):
        store.put_callback_phone(key, "cpms", f"+336000000{ending}")
        start = datetime(2026, 11, day, 10, tzinfo=PARIS)
        booked[ending] = store.record_callback(key, start, start.replace(hour=12), f"cb-{ending}").reference

    async def say(text: str) -> str:
        messages, _ = await run(QualifyRequest(), tracker(text=text, intent="request_service"))
        return " ".join(m.get("text") or "" for m in messages)

    asked = await say("annulez le rappel")
    assert "Lequel voulez-vous annuler" in asked and booked["27"] in asked and booked["72"] in asked
    assert [c.reference for c in store.callbacks_of_conversation(key)] == [booked["27"], booked["72"]]  # none yet
    assert booked["72"] in await say("il est annulé ou pas, le rappel au 72 ?")  # a question: nothing cancelled
    assert len(store.callbacks_of_conversation(key)) == 2
    assert booked["72"] in await say("annulez celui du 72")
    said = await say("non !! pas celui-là, je voulais garder celui du 72 et annuler celui du 27")
    assert "Je rétablis le rappel " + booked["72"] in said and booked["27"] + ", prévu le mardi 24" in said
    assert [c.reference for c in store.callbacks_of_conversation(key)] == [booked["72"]]
    assert "est prévu" in await say("il me reste quel rappel, là ?")


async def test_pas_celui_la_just_after_a_cancellation_restores_it_and_cancels_the_one_meant():
    # a real conversation on the round-16 build: « annulez le rappel de lundi » then « non pardon pas celui-là » got
    # « Je ne sais pas comment donner suite », and « celui de vendredi » the mediator's questions
    from datetime import datetime

    from recours.settings import PARIS

    key = services.conversation_key("test-sender")
    store = services.store()
    booked = {}
    for ending, day in (("31", 4), ("45", 7)):  # vendredi 4 and lundi 7 December
        store.put_callback_phone(key, "cpms", f"+336000000{ending}")
        start = datetime(2026, 12, day, 9 if day == 4 else 13, tzinfo=PARIS)
        booked[day] = store.record_callback(key, start, start.replace(hour=start.hour + 2), f"cb-{day}").reference
    previous: list[dict] = []

    async def say(text: str) -> str:
        nonlocal previous
        events = previous + [user(text)]
        messages, new = await run(QualifyRequest(), tracker(text=text, intent="request_service", events=events))
        previous = [user(text), {"event": "action", "name": "action_qualify_request"}, *new]
        return " ".join(m.get("text") or "" for m in messages)

    def active() -> list[str]:
        return [c.reference for c in store.callbacks_of_conversation(key)]

    said = await say("annulez le rappel de lundi")
    assert booked[7] + ", prévu le lundi 7 décembre 2026 entre 13 h et 15 h, est annulé" in said
    said = await say("non pardon pas celui-là")
    assert "Je rétablis le rappel " + booked[7] in said and booked[4] + ", prévu le vendredi 4 décembre" in said
    assert active() == [booked[7]]
    # « non finalement gardez-le »: restored, nothing else cancelled
    said = await say("non finalement gardez-le")
    assert "Je rétablis le rappel " + booked[4] in said and "annulé" not in said.replace("est annulé", "")
    assert active() == [booked[4], booked[7]]
    # a call-back named alone after a cancellation: the one meant instead
    await say("annulez le rappel de vendredi")
    said = await say("celui de lundi")
    assert "Je rétablis le rappel " + booked[4] in said and booked[7] + ", prévu le lundi" in said
    assert active() == [booked[4]]
    # naming the one just cancelled confirms it; nothing else changes
    said = await say("celui de lundi")
    assert "est bien annulé" in said and active() == [booked[4]]
    # only one booked: « pas celui-là » restores it and cancels nothing else
    await say("annulez le rappel de vendredi")
    said = await say("ah non pardon, pas celui-là")
    assert "Je rétablis le rappel " + booked[4] in said and "pas d'autre rappel prévu" in said
    assert active() == [booked[4]]
    # without a cancellation just before, « non pardon pas celui-là » is no follow-up at all
    previous = []
    from actions import follow_ups as follow_up_actions
    assert follow_up_actions.read(tracker(text="non pardon pas celui-là", events=[user("non pardon pas celui-là")])) \
        is None


async def test_a_call_back_wanted_after_all_at_another_moment_is_booked_again_and_its_status_told():
    # lead's conversation after round 19: « annulez le rappel finalement » then « en fait si rappelez moi jeudi
    # apres midi » got « Le rappel RAP-… est bien annulé », and « il est bien actif le rappel ? » the usual contact
    from datetime import datetime

    from rasa_sdk.events import FollowupAction, SlotSet

    from recours.settings import PARIS

    key = services.conversation_key("test-sender")
    store = services.store()
    store.put_callback_phone(key, "cpms", "+33600000031")
    start = datetime(2026, 12, 4, 9, tzinfo=PARIS)  # vendredi 4 December
    reference = store.record_callback(key, start, start.replace(hour=11), "cb-rebook").reference
    cancel = "annulez le rappel finalement"
    messages, new = await run(QualifyRequest(), tracker(text=cancel, intent="request_service", events=[user(cancel)]))
    assert "est annulé" in messages[0]["text"] and not store.callbacks_of_conversation(key)
    again = "en fait si rappelez moi jeudi apres midi"
    events = [user(cancel), {"event": "action", "name": "action_qualify_request"}, *new, user(again)]
    messages, new = await run(QualifyRequest(), tracker(text=again, intent="request_service", events=events))
    said = " ".join(m.get("text") or "" for m in messages)
    assert "nouveau rappel, au 06 ** ** ** 31" in said and "est bien annulé" not in said, said
    assert SlotSet("callback_time", None) in new and FollowupAction("callback_form") in new
    assert SlotSet("callback_phone", "06 ** ** ** 31") in new
    assert not store.callbacks_of_conversation(key)  # the new one is booked by the form, at the moment read
    # « il est bien actif le rappel ? » is a status question about the call-back
    from actions import follow_ups as follow_up_actions
    status = follow_up_actions.read(tracker(text="il est bien actif le rappel ?",
                                            events=[user("il est bien actif le rappel ?")]))
    assert status is not None and status.kind == "callback_status"
    assert reference


async def test_a_detail_added_to_the_complaint_just_recorded():
    # members' round 16 (m16-C-03 M11, m16-D-04 t4–t7): « attendez j'avais pas fini !! … » got the usual-contact
    # text; a corrected amount on a recorded complaint was never taken
    from tests.members import complaint_draft

    key = services.conversation_key("test-sender")
    store = services.store()
    recorded = store.record_complaint(complaint_draft(key), "idem-detail")
    reference = recorded.reference
    slots = {"complaint_reference": reference}
    text = ("attendez j'avais pas fini !! vous avez pas noté que je veux être appelée le midi, ni que je demande les "
            "70 € du pédiatre")
    messages, events = await run(QualifyRequest(), tracker(slots, text=text, intent="request_service"))
    said = " ".join(m.get("text") or "" for m in messages)
    assert f"j'ajoute à votre réclamation {reference}" in said and "70 € du pédiatre" in said
    description = store.get_complaint(reference).description
    assert description.endswith("Précision ajoutée par le membre le samedi 21 novembre 2026 : Je veux être appelée le "
                                "midi et que je demande les 70 € du pédiatre")
    assert store.audit_entries(reference)[0].action == "detail_added"
    # asked first, then typed
    messages, events = await run(QualifyRequest(), tracker(slots, text="je voudrais ajouter quelque chose à ma "
                                                                        "réclamation", intent="request_service"))
    assert "Que voulez-vous ajouter à votre réclamation " + reference in messages[0]["text"]
    pending = next(e["value"] for e in events if e["event"] == "slot" and e["name"] == "follow_up_pending")
    messages, _ = await run(QualifyRequest(), tracker({**slots, "follow_up_pending": pending},
                                                      text="le montant c'est 1 430 € et pas 1 340 €", intent="inform"))
    assert "1 430 €" in messages[0]["text"] and "1 430 €" in store.get_complaint(reference).description
    # another conversation's complaint, not proved: the written channels
    messages, _ = await run(QualifyRequest(), tracker(text="je voudrais ajouter une précision à ma réclamation "
                                                           "REC-2026-ZZZZZZ : j'ai relancé le 20", intent="request_service"))
    assert "écrivez à CPMS en la rappelant" in messages[0]["text"]


async def test_the_notice_refused_for_a_professional_gets_the_professionals_steps():
    # members' round 16 (m16-C-02 M5): « Vous pouvez adresser votre réclamation directement à CPMS »
    from actions.complaint import SubmitComplaint

    _, events = await run(SubmitComplaint(), tracker({"privacy_accepted": False}, text="je refuse. c'est pas contre "
                                                     "vous en fait, je vais retourner voir l'opticien"))
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "action_qualify_request"}
    _, events = await run(SubmitComplaint(), tracker({"privacy_accepted": False}, text="non je refuse"))
    assert not [e for e in events if e["event"] == "followup"]


async def test_the_same_number_as_before_for_the_call_back():
    # members' round 16 (m16-B-03 M10): « Le même numéro que tout à l'heure » was asked again
    services.store().put_identifier(services.conversation_key("test-sender"), "phone", "+33612345678")
    result = await ValidateCallbackForm().validate_callback_phone("Le même numéro que tout à l'heure",
                                                                  CollectingDispatcher(), tracker(), {})
    assert result == {"callback_phone": "06 ** ** ** 78"}


async def test_a_second_call_back_offers_the_number_of_the_first():
    # a real conversation on the end build: « je voudrais aussi un rappel vendredi 14h » asked the number again
    from datetime import datetime

    from recours.settings import PARIS

    key = services.conversation_key("test-sender")
    store = services.store()
    store.put_callback_phone(key, "cpms", "+33600000045")
    start = datetime(2026, 11, 24, 9, tzinfo=PARIS)
    store.record_callback(key, start, start.replace(hour=11), "cb-first")
    result = await ValidateCallbackForm().validate_callback_phone("oui", CollectingDispatcher(),
                                                                  tracker(intent="affirm"), {})
    assert result == {"callback_phone": "06 ** ** ** 45"}


async def test_the_organisations_own_number_is_never_the_call_back_number():
    # members' round 19 (m19-D-05): « j'appellerai demain au 01 47 70 30 97. au revoir » booked a call-back to CPMS
    text = "laissez tomber, j'appellerai demain au 01 47 70 30 97. au revoir"
    assert await ValidateCallbackForm().extract_callback_phone(CollectingDispatcher(), tracker(text=text), {}) == {}
    dispatcher = CollectingDispatcher()
    result = await ValidateCallbackForm().validate_callback_phone("01 47 70 30 97", dispatcher,
                                                                  tracker(text="01 47 70 30 97"), {})
    assert result == {"callback_phone": None} and "celui de CPMS" in dispatcher.messages[0]["text"]


# members' round 20 (m20-C-04): another CPAM decision after the first one's deadline has its own questions
AFTER_A_DEADLINE = {"cpam_notification_date": "2026-10-24", "cpam_appeal_until": "2026-12-24",
                    "cpam_decision_medical": True, "qualification_route": "cpam_appeal", "concerned_body": "cpam"}


@pytest.mark.parametrize("text, intent, notified, medical", [
    ("D'accord. Par ailleurs le montant des IJ d'octobre est faux aussi, ils ont oublié mes primes dans le calcul. "
     "La notification de paiement date du 5 novembre. Ça c'est la CRA ?", "ask_information", "2026-11-05", False),
    ("Contester une décision", "ask_cpam_appeal", None, None),
])
async def test_another_cpam_decision_gets_its_own_deadline(text, intent, notified, medical):
    messages, events = await run(QualifyRequest(), tracker(AFTER_A_DEADLINE, text=text, intent=intent))
    set_now = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert set_now["qualification_route"] == "cpam_appeal"
    assert set_now["cpam_notification_date"] == notified and set_now["cpam_decision_medical"] is medical
    assert set_now["cpam_appeal_until"] is None
    said = " ".join(m.get("text") or "" for m in messages)
    assert ("autre décision, notifiée le jeudi 5 novembre 2026" in said) if notified else ("calculons-le" in said)


async def test_an_insurer_letter_after_a_cpam_deadline_is_not_a_cpam_decision():
    messages, events = await run(QualifyRequest(), tracker(
        AFTER_A_DEADLINE, text="et ma mutuelle CPMS ne m'a rien remboursé, j'ai envoyé un courrier le 5 novembre",
        intent="complain"))
    set_now = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert "cpam_notification_date" not in set_now


async def test_a_recorded_complaint_withdrawn_or_asked_about():
    # members' round 20 (m20-C-03 M19): « je peux annuler ma réclamation si le dentiste me rembourse ? » got « il n'y
    # a rien en cours »
    from tests.members import complaint_draft

    key = services.conversation_key("test-sender")
    store = services.store()
    reference = store.record_complaint(complaint_draft(key), "idem-withdraw").reference
    slots = {"complaint_reference": reference}
    messages, _ = await run(QualifyRequest(), tracker(slots, text="ok. Dernière question : je peux annuler ma "
                                                      "réclamation si le dentiste me rembourse de lui-même ?",
                                                      intent="stop"))
    said = " ".join(m.get("text") or "" for m in messages)
    assert said.startswith("Oui : vous pouvez retirer votre réclamation (" + reference + ")"), said
    assert "retrait" not in store.get_complaint(reference).description  # asked, not done
    messages, _ = await run(QualifyRequest(), tracker(slots, text="bon finalement annulez ma réclamation, le "
                                                      "dentiste m'a remboursé", intent="request_service"))
    said = " ".join(m.get("text") or "" for m in messages)
    assert f"vous retirez votre réclamation {reference}" in said
    assert store.get_complaint(reference).description.endswith(
        "Le membre a demandé le samedi 21 novembre 2026 le retrait de sa réclamation.")
    # another conversation's complaint: the written channels
    messages, _ = await run(QualifyRequest(), tracker(text="annulez ma réclamation REC-2026-ZZZZZZ svp",
                                                      intent="request_service"))
    assert "écrivez à CPMS en la rappelant" in messages[0]["text"]


LETTER_SLOTS = {"written_complaint_sent": True, "first_complaint_date": "2026-08-12", "answer_received": False,
                "court_action": False, "other_mediator": False, "carrier_type": "mutuelle_fnmf",
                "dispute_subject": "contract",
                "complaint_description": "Je voulais le modèle de lettre pour le médiateur, celle que vous venez de me "
                                         "proposer"}


async def test_the_referral_letter_summarises_the_story_and_its_summary_is_corrected():
    # members' round 20 (m20-D-01 M12-M13): the summary was the member's request for the letter; « Le résumé est
    # faux. Le litige c'est : … » started a new complaint
    from actions.mediation import ReferralLetter

    said = [user("Bonjour. J'ai déjà fait une réclamation à CPMS le 12 août pour le refus de prise en charge de mon "
                 "implant dentaire, toujours aucune réponse. Je veux saisir le médiateur, comment je fais ?"),
            user("Je voulais le modèle de lettre pour le médiateur, celle que vous venez de me proposer"), user("oui")]
    messages, _ = await run(ReferralLetter(), tracker(LETTER_SLOTS, text="oui", intent="affirm", events=said))
    letter = " ".join(m.get("text") or "" for m in messages)
    assert "refus de prise en charge de mon implant dentaire" in letter and "celle que vous venez" not in letter
    correction = ("Le résumé est faux. Le litige c'est : refus de prise en charge de mon implant dentaire posé en "
                  "juin, 1 250 € restés à ma charge. Vous pouvez corriger ?")
    after_letter = said + [{"event": "action", "name": "action_referral_letter"}, {"event": "bot", "text": "…"},
                           {"event": "action", "name": "action_listen"}, user(correction)]
    messages, events = await run(QualifyRequest(), tracker(LETTER_SLOTS, text=correction, intent="complain",
                                                           events=after_letter))
    assert events == [{"event": "followup", "timestamp": None, "name": "action_referral_letter"}] and not messages
    messages, _ = await run(ReferralLetter(), tracker(LETTER_SLOTS, text=correction, intent="complain",
                                                      events=after_letter))
    assert messages[0]["text"].startswith("C'est corrigé")
    letter = " ".join(m.get("text") or "" for m in messages)
    assert "Résumé du litige :\nRefus de prise en charge de mon implant dentaire posé en juin, 1 250 € restés à ma " \
           "charge." in letter, letter


MUTUALITE_SLOTS = {**LETTER_SLOTS, "answer_received": True, "answer_satisfied": False, "first_complaint_date": "2026-08-10"}
OPENING_D01 = ("Bonjour, je souhaiterais saisir le médiateur. J'ai écrit à CPMS le 10 août 2026 car ils ne m'ont "
               "remboursé que 60 euros sur 240 euros de séances d'ostéopathie. CPMS m'a répondu le 20 septembre 2026 en "
               "maintenant leur refus. Cette réponse ne me satisfait nullement.")


async def _letter(slots: dict, said: list[str], text: str, draft: dict | None = None) -> tuple[str, dict]:
    from actions.mediation import ReferralLetter

    events = []
    for message in said:
        events += [user(message), {"event": "action", "name": "action_listen"}]
    if draft is not None:
        events += [{"event": "action", "name": "action_referral_letter"}, {"event": "action", "name": "action_listen"}]
    events.append(user(text))
    slots = {**slots, **({"referral_letter": draft} if draft is not None else {})}
    messages, out = await run(ReferralLetter(), tracker(slots, text=text, intent="complain", events=events))
    kept = next((e["value"] for e in out if e.get("event") == "slot" and e["name"] == "referral_letter"), None)
    return "\n".join(m.get("text") or "" for m in messages), kept


async def test_the_referral_letter_states_the_dispute_not_the_chat_and_the_answer_s_date():
    # members' round 22 (m22-D-01 M9, m22-F-01 M13, m22-D-05 M7): the chat in the summary, the answer's date missing
    said = [OPENING_D01, "Je souhaiterais obtenir un modèle de lettre svp",
            "Oui, comme je vous l'indiquais, je n'ai saisi aucun autre médiateur"]
    letter, kept = await _letter(MUTUALITE_SLOTS, said, "oui")
    summary = letter.split("Résumé du litige :\n", 1)[1].split("\n\n", 1)[0]
    assert "60 euros sur 240 euros de séances d'ostéopathie" in summary
    assert "modèle de lettre" not in summary and "comme je vous" not in summary and "médiateur" not in summary
    assert "CPMS m'a répondu le dimanche 20 septembre 2026" in letter
    assert "- copie de la réponse de CPMS du dimanche 20 septembre 2026" in letter
    assert kept["shown"] is True


async def test_the_referral_letter_is_changed_in_the_member_s_words_never_appended_to():
    # members' round 22 (m22-D-05 M8-M10, m22-F-05 M7): the new summary appended with its instruction words, the
    # name never used, the attachment asked for copied into the summary
    said = [OPENING_D01]
    text = ("Veuillez le remplacer par : « CPMS ne m'a remboursé que 60 euros sur les 240 euros de mes quatre séances "
            "d'ostéopathie, alors que mon contrat en prévoit quatre par an. » et ajoutez leur courrier du 20 septembre "
            "dans les pièces jointes")
    letter, kept = await _letter(MUTUALITE_SLOTS, said, text, draft={"shown": True})
    assert letter.startswith("C'est corrigé")
    summary = letter.split("Résumé du litige :\n", 1)[1].split("\n\n", 1)[0]
    assert summary == ("CPMS ne m'a remboursé que 60 euros sur les 240 euros de mes quatre séances d'ostéopathie, alors "
                       "que mon contrat en prévoit quatre par an.")
    assert "- leur courrier du 20 septembre" in letter and "Veuillez" not in letter
    letter, kept = await _letter(MUTUALITE_SLOTS, said, "mettez mon nom, Odette Garnier", draft=kept)
    assert letter.startswith("C'est fait") and letter.count("Odette Garnier") == 2
    assert "[Vos nom et prénom]" not in letter and "quatre par an." in letter  # the summary kept
    assert "- leur courrier du 20 septembre" in letter


async def test_the_answer_s_date_said_missing_is_asked_when_unknown():
    said = ["J'ai écrit à CPMS le 10 août pour le refus de ma couronne, ils m'ont répondu non."]
    letter, kept = await _letter(MUTUALITE_SLOTS, said, "Vous n'avez pas mis la date de la réponse, vous pouvez ?",
                                 draft={"shown": True})
    assert "Je n'ai pas la date de la réponse de CPMS" in letter and "Résumé du litige" not in letter
    letter, _ = await _letter(MUTUALITE_SLOTS, said, "ils m'ont répondu le 20 septembre 2026", draft=kept)
    assert "CPMS m'a répondu le dimanche 20 septembre 2026" in letter


@pytest.mark.parametrize("text", [
    # members' round 22 (m22-A-01 M15, m22-C-02 M19): the usual contact, or the tiers-payant card's answer
    "je peux envoyer l arret de travail de mon medecin et le courrier de la prevoyance ou ?",
    "l'attestation de la banque, je l'envoie où ?",
])
async def test_a_document_named_by_what_it_is_gets_where_to_send_it(text):
    slots = {"complaint_reference": "REC-2026-ABCDEF", "concerned_body": "insurer",
             "qualification_route": "record_complaint"}
    messages, events = await run(QualifyRequest(), tracker(slots, text=text, intent="request_service"), as_sent=True)
    assert messages[0]["text"].startswith("Pour ajouter des pièces à votre réclamation REC-2026-ABCDEF")
    assert "interlocuteur habituel" not in messages[0]["text"]


async def test_which_date_counts_the_day_the_letter_was_received():
    # members' round 23 (m23-B-04 M6): « C'est une autre décision, notifiée le mardi 24 novembre 2026 »
    # (the tests' today is Saturday 21 November 2026: a letter dated 6 November, received on the 14th)
    slots = {"cpam_notification_date": "2026-11-06", "cpam_appeal_until": "2027-01-06", "cpam_decision_medical": False,
             "qualification_route": "cpam_appeal", "concerned_body": "cpam",
             "cpam_appeals": [{"notified": "2026-11-06", "medical": False, "until": "2027-01-06"}]}
    text = "Mais la lettre est datée du 6 novembre et je l'ai reçue seulement le 14 novembre. C'est quelle date qui compte ?"
    messages, events = await run(QualifyRequest(), tracker(slots, text=text, intent="ask_cpam_appeal"))
    said = messages[0]["text"]
    assert said.startswith("C'est le jour où vous avez reçu la lettre qui compte")
    # 14 January 2027 is a Thursday; 6 January 2027 a Wednesday
    assert "le samedi 14 novembre 2026" in said and "jeudi 14 janvier 2027" in said and "mercredi 6 janvier 2027" in said
    set_to = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert set_to["cpam_notification_date"] == "2026-11-14" and set_to["cpam_appeal_until"] == "2027-01-14"
    assert set_to["cpam_appeals"] == [{"notified": "2026-11-14", "medical": False, "until": "2027-01-14"}]


async def test_the_broker_s_handling_raised_beside_the_refusal_gets_both_mediators():
    # members' round 23 (m23-D-05 M6): « il relève du médiateur de CPMS … et non du médiateur de l'assureur »
    slots = {"qualification_route": "mediation", "dispute_subject": "contract", "mediator": "ctip",
             "concerned_body": "insurer", "mediation_status": "possible_now"}
    text = "Ma question : CPMS qui ne répond pas à mes relances, c'est le travail du courtier, non ? Ça va aussi au CTIP ?"
    messages, events = await run(QualifyRequest(), tracker(slots, text=text, intent="ask_mediation"))
    said = messages[0]["text"]
    assert said.startswith("Ce sont deux désaccords distincts") and "le Médiateur de la protection sociale (CTIP)" in said
    assert events == [{"event": "slot", "timestamp": None, "name": "qualification_route", "value": "mediation"}]


async def test_a_manager_asked_for_is_answered_honestly():
    # members' round 22 (m22-C-04 M17) and round 23 (m23-B-05): « un responsable, pas un conseiller » ignored
    messages, _ = await run(HumanContact(), tracker(text="je veux être rappelée par un responsable, pas par un conseiller",
                                                    intent="request_human"))
    assert "Je ne peux pas choisir la personne qui vous répondra" in messages[0]["text"]
    messages, _ = await run(HumanContact(), tracker(text="je veux parler à un conseiller", intent="request_human"))
    assert "Je ne peux pas choisir" not in messages[0]["text"]


async def test_a_call_back_by_a_manager_is_asked_with_what_can_be_asked():
    from actions.callback import AskCallbackPhone

    messages, _ = await run(AskCallbackPhone(), tracker(text="je veux être rappelée par un responsable, pas par un "
                                                             "conseiller", intent="request_callback",
                                                        loop="callback_form"))
    assert messages[0]["text"].startswith("Je ne peux pas choisir la personne qui vous répondra")


async def test_whose_letter_is_asked_for_a_cpam_benefit_said_of_vous():
    text = "J'ai reçu un courrier qui me refuse ma pension d'invalidité, je crois que c'est la CPMS qui a fait ça"
    messages, events = await run(QualifyRequest(), tracker(text=text, intent="complain"))
    assert "le courrier vient-il de la Sécurité sociale (votre CPAM" in messages[0]["text"]
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}["qualification_route"] == "ask_body"


async def test_the_letter_s_summary_given_with_the_request_or_asked_for():
    # members' round 24 (m24-F-01): a new complaint, three messages pasted together, « je ne sais pas comment donner
    # suite », the answer listed twice
    letter, kept = await _letter(MUTUALITE_SLOTS, [OPENING_D01],
                                 "oui la lettre, mais avec mon résumé à moi : mes quatre séances d'ostéopathie ne sont "
                                 "remboursées qu'à 25 %")
    assert "Résumé du litige :\nMes quatre séances d'ostéopathie ne sont remboursées qu'à 25 %." in letter
    asked, _ = await _letter(MUTUALITE_SLOTS, [OPENING_D01], "je veux modifier le résumé de la lettre", draft=kept)
    assert asked.startswith("Écrivez le résumé tel que vous le voulez") and "Résumé du litige" not in asked
    again, _ = await _letter(MUTUALITE_SLOTS, [OPENING_D01], "il faut ajouter la lettre de réponse du 20 septembre "
                                                             "dans les pièces jointes", draft=kept)
    assert again.count("réponse de CPMS du dimanche 20 septembre 2026") == 1


async def test_the_ambiguous_sick_leave_still_asks_its_short_question():
    # (the benefit's question beside it: a placeholder of its own, never an « incident technique »)
    messages, _ = await run(QualifyRequest(), tracker(text="mes indemnités journalières ne sont toujours pas versées "
                                                           "depuis un mois", intent="complain"))
    assert "indemnités journalières versées par la Sécurité sociale" in messages[0]["text"]
