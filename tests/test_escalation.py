"""The practical questions once told how to escalate (recours/escalation.py; members' round 21, m21-C-05 and
m21-D-05): « recommandé ? », « un modèle de lettre ? », « une lettre ou deux ? », « plus rapide ? », « par la poste ou
en ligne ? », « 18 janvier CRA et 28 janvier CMRA, c'est bien ça ? »."""

from __future__ import annotations

from datetime import date

import pytest

from actions.qualification import QualifyRequest
from actions.side_answers import practical_kinds
from recours import escalation
from recours.escalation import Appeal, appeals_in, cpam_answer_fr, mediator_answer_fr, with_appeal
from tests.test_form_validation import environment  # noqa: F401
from tests.test_person_actions import local_mode, run, tracker  # noqa: F401 - the form tests' environment

pytestmark = pytest.mark.anyio

CRA = Appeal(date(2026, 11, 16), False, date(2027, 1, 18))
CMRA = Appeal(date(2026, 11, 28), True, date(2027, 1, 28))


def test_the_appeals_kept_in_the_slot_read_back_and_a_same_day_decision_is_replaced():
    kept = with_appeal(None, CRA)
    kept = with_appeal(kept, Appeal(date(2026, 11, 28), False, date(2027, 1, 28)))
    kept = with_appeal(kept, CMRA)  # « non, le 28 novembre c'est médical »
    assert appeals_in(kept) == [CRA, CMRA]
    assert appeals_in([{"notified": "demain"}, "x"]) == [] and appeals_in(None) == []


@pytest.mark.parametrize("text, kinds", [
    ("merci. je dois envoyer ca en recommandé ? et vous pouvez me faire un modele de lettre pour la commission ?",
     ["registered_letter", "letter_model"]),
    ("donc si je resume : CRA pour les indemnités avant le 18 janvier, et CMRA pour l'arret avant le 28 janvier, "
     "c'est bien ça ? je peux mettre les deux dans la meme lettre ?", ["dates_right", "how_many_letters"]),
    ("c'est vous qui m'avez donné les dates... elles sont justes oui ou non ? 18 janvier CRA et 28 janvier CMRA",
     ["dates_right"]),
    ("d'accord j'appellerai le 36 46. derniere question : une seule lettre pour les deux recours ou deux lettres "
     "separees ?", ["how_many_letters"]),
    ("y a-t-il plus rapide ?", ["faster"]),
    ("par la poste ou en ligne ?", ["online_or_post"]),
    ("je veux faire une réclamation", []),
    ("c'est bien ça ?", []),  # no date: nothing to confirm
])
def test_the_practical_questions_of_a_message(text, kinds):
    assert practical_kinds(text) == kinds


def test_the_cpam_answers_name_each_decisions_commission_and_date():
    registered = cpam_answer_fr("registered_letter", "recommandé ?", [CRA])
    assert "aucune forme n'est imposée" in registered and "CMRA" not in registered
    both = cpam_answer_fr("registered_letter", "recommandé ?", [CRA, CMRA])
    assert "aucune forme n'est imposée" in both and "Pour la CMRA, envoyez votre recours par lettre recommandée" in both
    two = cpam_answer_fr("how_many_letters", "une lettre ou deux ?", [CRA, CMRA])
    assert two.startswith("Deux lettres") and "lundi 18 janvier 2027" in two and "jeudi 28 janvier 2027" in two
    same = cpam_answer_fr("how_many_letters", "une lettre ou deux ?", [CRA, Appeal(date(2026, 11, 20), False,
                                                                                    date(2027, 1, 20))])
    assert "un recours par décision" in same and "la première date" in same
    assert cpam_answer_fr("how_many_letters", "?", [CRA]).startswith("Une seule lettre")
    assert "deux commissions distinctes" in cpam_answer_fr("how_many_letters", "?", [])
    model = cpam_answer_fr("letter_model", "un modèle ?", [CMRA])
    assert "numéro de sécurité sociale" in model and "copie de la notification" in model and "CRA :" not in model
    faster = cpam_answer_fr("faster", "plus rapide ?", [CRA])
    assert "pas de voie plus rapide" in faster and "lundi 18 janvier 2027" in faster
    assert "compte ameli" in cpam_answer_fr("online_or_post", "en ligne ?", [CRA])


@pytest.mark.parametrize("text, right", [
    ("18 janvier CRA et 28 janvier CMRA, c'est bien ça ?", True),
    ("CRA avant le 18/01 et CMRA avant le 28/01 ?", True),
    ("CRA le 28 janvier et CMRA le 18 janvier, c'est juste ?", False),  # commissions swapped
    ("le 26 janvier pour la CMRA c'est bien ça ?", False),
])
def test_the_dates_a_member_sums_up_are_checked(text, right):
    answer = cpam_answer_fr("dates_right", text, [CRA, CMRA])
    assert answer.startswith("Oui, c'est bien cela") is right
    assert "lundi 18 janvier 2027" in answer and "jeudi 28 janvier 2027" in answer
    assert cpam_answer_fr("dates_right", text, []) is None


def test_the_mediators_answers_come_from_its_data():
    assert "https://ctip.asso.fr" in mediator_answer_fr("online_or_post", "ctip")
    assert "10, rue Cambacérès" in mediator_answer_fr("online_or_post", "ctip")
    assert "90 jours" in mediator_answer_fr("faster", "mediation_assurance")
    assert "Une seule saisine" in mediator_answer_fr("how_many_letters", "ctip")
    # members' round 22 (m22-F-05 M8): no answer received, none to attach
    unanswered = mediator_answer_fr("how_many_letters", "ctip", answered=False, organisation="CPMS")
    assert "réponse reçue" not in unanswered and "inutile d'écrire de nouveau à CPMS" in unanswered
    assert "un résumé du litige" in mediator_answer_fr("letter_model", "mediation_assurance")
    assert mediator_answer_fr("faster", None) is None and mediator_answer_fr("faster", "cpam_mediateur") is None
    assert mediator_answer_fr("dates_right", "ctip") is None
    # members' round 23 (m23-D-01): « en recommandé ? » after the letter, never answered
    assert mediator_answer_fr("registered_letter", "fnmf").startswith("Le recommandé n'est pas obligatoire pour saisir")


AFTER_TWO_APPEALS = {"cpam_notification_date": "2026-11-28", "cpam_appeal_until": "2027-01-28",
                     "cpam_decision_medical": True, "qualification_route": "cpam_appeal", "concerned_body": "cpam",
                     "cpam_appeals": [CRA.to_slot(), CMRA.to_slot()]}


@pytest.mark.parametrize("text, intent, expected", [
    ("merci. je dois envoyer ca en recommandé ? et vous pouvez me faire un modele de lettre pour la commission ?",
     "request_service", ["aucune forme n'est imposée", "voici ce qu'il doit contenir"]),
    ("donc si je resume : CRA pour les indemnités avant le 18 janvier, et CMRA pour l'arret avant le 28 janvier, "
     "c'est bien ça ? je peux mettre les deux dans la meme lettre ?", "ask_confirmation",
     ["Oui, c'est bien cela", "Deux lettres"]),
    ("une seule lettre pour les deux recours ou deux lettres separees ?", "ask_information", ["Deux lettres"]),
])
async def test_the_practical_questions_after_two_cpam_deadlines_are_answered(text, intent, expected):
    # members' round 21 (m21-C-05 M4, M9, M12): « Ce n'est pas une réclamation mais une demande de service… » and
    # « Je vous ai donné cette information plus haut » three times
    messages, events = await run(QualifyRequest(), tracker(AFTER_TWO_APPEALS, text=text, intent=intent))
    said = "\n".join(m.get("text") or "" for m in messages)
    for piece in expected:
        assert piece in said
    assert "Ce n'est pas une réclamation" not in said and "plus haut" not in said
    set_now = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert set_now == {"qualification_route": "answered"}


async def test_a_letter_asked_once_the_mediator_can_be_seized_is_the_referral_letter():
    slots = {"qualification_route": "mediation", "mediation_status": "possible_now", "mediator": "ctip",
             "concerned_body": "insurer"}
    messages, events = await run(QualifyRequest(), tracker(slots, text="vous pouvez me faire la lettre ?",
                                                           intent="request_service"))
    assert [e for e in events if e["event"] == "followup"][0]["name"] == "action_referral_letter"
    messages, events = await run(QualifyRequest(), tracker(slots, text="par la poste ou en ligne ?",
                                                           intent="ask_information"))
    assert "Les deux sont possibles" in messages[0]["text"]


def test_the_kinds_answered_here_are_side_question_kinds():
    from recours.side_questions import KINDS

    assert set(escalation.KINDS) <= set(KINDS)


async def test_a_practical_question_read_as_out_of_scope_is_answered_after_the_deadlines():
    # a conversation typed over REST on this build: « par la poste ou en ligne ? » got « Je ne peux pas vous aider
    # sur ce sujet » (the classifier said out_of_scope)
    from actions.human_contact import DefaultFallback, OutOfScope

    for action in (OutOfScope(), DefaultFallback()):
        messages, events = await run(action, tracker(AFTER_TWO_APPEALS, text="par la poste ou en ligne ?",
                                                     intent="out_of_scope"))
        assert "Le recours à la commission se fait par écrit" in messages[0]["text"]
        assert [e["event"] for e in events] == ["slot"]
    messages, _ = await run(OutOfScope(), tracker({}, text="par la poste ou en ligne ?", intent="out_of_scope"))
    assert messages[0]["response"] == "utter_out_of_scope"  # no escalation explained: nothing to answer


async def test_two_answers_in_one_turn_list_the_dates_once():
    text = ("donc si je resume : CRA avant le 18 janvier, et CMRA avant le 28 janvier, c'est bien ça ? je peux mettre "
            "les deux dans la meme lettre ?")
    messages, _ = await run(QualifyRequest(), tracker(AFTER_TWO_APPEALS, text=text, intent="ask_confirmation"))
    said = "\n".join(m["text"] for m in messages)
    assert said.count("lundi 18 janvier 2027") == 1 and said.count("jeudi 28 janvier 2027") == 1
    assert messages[1]["text"].startswith("Deux lettres") and messages[1]["text"].endswith("date limite.")


async def test_the_organisations_own_number_in_the_statement_makes_it_the_organisations():
    # members' round 22 (m22-C-01 M3): sent to the CPAM
    text = ("Bon je viens d'appeler le 01 47 70 30 97 justement. On m'a dit que ma feuille de soins du cardiologue "
            "envoyée le 3 février n'est toujours pas traitée et qu'il faut compter encore 6 semaines !! Ca fait deja "
            "plus de deux mois, c'est pas normal")
    messages, events = await run(QualifyRequest(), tracker({"qualification_route": "answered"}, text=text,
                                                           intent="complain"))
    set_now = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert set_now["concerned_body"] == "insurer" and set_now["qualification_route"] == "record_complaint"


def test_the_letters_and_effect_dates_in_a_summary_are_not_taken_for_deadlines():
    # members' round 22 (m22-F-03 M5): « Pas tout à fait » to a right summary
    appeals = [Appeal(date(2026, 11, 2), False, date(2027, 1, 4)), Appeal(date(2026, 11, 20), True, date(2027, 1, 20))]
    text = ("Donc si je résume bien : pour le refus des indemnités (lettre du 2 novembre) j'ai jusqu'au 4 janvier 2027, et "
            "pour l'arrêt qui s'arrete au 1er décembre (lettre du 20 novembre) j'ai jusqu'au 20 janvier 2027. C'est bien "
            "ça ?")
    assert cpam_answer_fr("dates_right", text, appeals).startswith("Oui, c'est bien cela")
    assert cpam_answer_fr("dates_right", "4 janvier et 22 janvier, c'est juste ?", appeals).startswith("Pas tout à fait")


async def test_the_dates_asked_again_after_another_turn_are_still_the_appeals():
    slots = dict(AFTER_TWO_APPEALS, qualification_route="clarify")
    messages, _ = await run(QualifyRequest(), tracker(slots, text="je cherche une information : est-ce que mes deux "
                                                      "dates sont justes oui ou non ?", intent="ask_information"))
    assert messages[0]["text"].startswith("Voici les dates") and "jeudi 28 janvier 2027" in messages[0]["text"]


def test_the_deadline_typed_back_is_checked_and_its_weekend_shift_explained():
    # members' round 23 (m23-D-03 M6-M12): « Pas tout à fait », then two decisions of January 2026 invented
    from recours.side_questions import question_kind

    appeals = [Appeal(date(2026, 11, 2), True, date(2027, 1, 4)), Appeal(date(2026, 11, 10), False, date(2027, 1, 11))]
    asked = ("Ok merci. Donc pour le refus médical c'est bien le 4 janvier ? Parce que deux mois après le 2 novembre, "
             "ça fait le 2 janvier, non ?")
    assert question_kind(asked) == "dates_right"
    answer = cpam_answer_fr("dates_right", asked, appeals)
    assert answer.startswith("Oui, c'est bien cela")
    assert "c'est le samedi 2 janvier 2027" in answer and "reporté au jour ouvrable suivant, le lundi 4 janvier 2027" in answer
    assert "dimanche 10 janvier" not in answer  # the other decision's shift was not asked about
    wrong = cpam_answer_fr("dates_right", "c'est bien le 5 janvier pour le refus ?", appeals)
    assert wrong.startswith("Pas tout à fait")


def test_deadlines_typed_back_are_no_decisions():
    from recours.cpam import more_appeal_deadlines, other_decision

    today = date(2026, 12, 6)
    deadlines = [date(2027, 1, 4), date(2027, 1, 11)]
    text = "la date limite pour le refus du 2 novembre, c'est bien le lundi 4 janvier et pas le samedi 2 janvier ?"
    assert more_appeal_deadlines(text, True, today, deadlines=deadlines, notified=[date(2026, 11, 2)]) == []
    assert other_decision(text, today, date(2026, 11, 2), deadlines) is None
    # another decision, still read
    assert other_decision("j'ai aussi reçu une autre décision le 20 novembre pour mes IJ", today, date(2026, 11, 2),
                          deadlines).notified == date(2026, 11, 20)


def test_the_mediation_s_dates_typed_back_are_checked():
    # members' round 24 (m24-F-03 M6): « donc c'est bien à partir du 15 novembre ? et jusqu'au 15 septembre 2027 c'est
    # ça ? » sent to the customer service
    from recours.escalation import mediator_dates_fr

    asked = "donc c'est bien à partir du 15 novembre ? et jusqu'au 15 septembre 2027 c'est ça ?"
    right = mediator_dates_fr(asked, date(2026, 11, 15), date(2027, 9, 15))
    assert right.startswith("Oui, c'est bien cela") and "dimanche 15 novembre 2026" in right
    assert mediator_dates_fr("c'est bien jusqu'au 20 septembre 2027 ?", date(2026, 11, 15),
                             date(2027, 9, 15)).startswith("Pas tout à fait")
    assert mediator_answer_fr("dates_right", "ctip", question=asked, possible_from=date(2026, 11, 15),
                              until=date(2027, 9, 15)).startswith("Oui")
