"""A long answer said twice becomes a reminder (recours/repeats.py, issue 11)."""

from __future__ import annotations

from recours.repeats import shorten_repeats

DOCUMENTS = ("Pour ajouter des pièces à votre réclamation : par e-mail à qualite@cpms.fr ou par courrier à CENTRE DE "
             "PREVOYANCE MEDICO-SOCIAL, Service qualité, 4, rue Auber, 75009 PARIS, en rappelant la référence de votre "
             "réclamation. N'envoyez aucun document médical par e-mail.")


def _bot(text: str) -> dict:
    return {"event": "bot", "text": text}


def test_a_long_answer_said_before_becomes_a_reminder():
    [reply] = shorten_repeats([{"text": DOCUMENTS}], [_bot(DOCUMENTS), {"event": "user", "text": "et ?"}])
    assert reply["text"].startswith("Je vous ai donné cette information plus haut")
    assert "Pour ajouter des pièces à votre réclamation" in reply["text"] and "parler à un conseiller" in reply["text"]


def test_first_times_questions_short_texts_and_new_sessions_are_left_alone():
    assert shorten_repeats([{"text": DOCUMENTS}], [_bot("Bonjour")]) == [{"text": DOCUMENTS}]
    question = DOCUMENTS + " Voulez-vous continuer ?"
    assert shorten_repeats([{"text": question}], [_bot(question)]) == [{"text": question}]
    assert shorten_repeats([{"text": "Merci."}], [_bot("Merci.")]) == [{"text": "Merci."}]
    with_buttons = {"text": DOCUMENTS, "buttons": [{"title": "Nouvelle réclamation", "payload": "/file_complaint"}]}
    [reminder] = shorten_repeats([with_buttons], [_bot(DOCUMENTS)])
    assert reminder["buttons"] == with_buttons["buttons"] and reminder["text"] != DOCUMENTS  # the offer stays
    assert shorten_repeats([{"text": DOCUMENTS}], [_bot(DOCUMENTS), {"event": "session_started"}]) == \
        [{"text": DOCUMENTS}]


def test_a_question_the_third_time_offers_a_way_out():
    from recours.repeats import asked_again

    question = {"text": "Avez-vous reçu une réponse écrite ?", "buttons": [{"title": "Oui", "payload": "Oui"}]}
    assert asked_again(question, 0) == question and asked_again(question, 1) == question
    third = asked_again(question, 2)
    assert "troisième fois" in third["text"] and third["text"].endswith("Avez-vous reçu une réponse écrite ?")
    assert [b["title"] for b in third["buttons"]] == ["Oui", "Demander un rappel", "Parler à un conseiller", "Arrêter"]


def test_the_times_a_question_was_asked_since_the_session_or_the_last_complaint():
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from addons.nlg import times_asked

    asked = BotUttered("Quel est votre nom ?", metadata={"utter_action": "utter_ask_member_name"})
    tracker = DialogueStateTracker.from_events("s", [asked, SessionStarted(), asked, UserUttered("x"), asked])
    assert times_asked(tracker, "utter_ask_member_name") == 2
    tracker.update(ActionExecuted("action_submit_complaint"))
    assert times_asked(tracker, "utter_ask_member_name") == 0


def test_a_question_sent_as_text_the_third_time():
    question = "Acceptez-vous que ces données servent au traitement de votre réclamation par CPMS ?"
    assert shorten_repeats([{"text": question}], [_bot(question)]) == [{"text": question}]
    [third] = shorten_repeats([{"text": question}], [_bot(question), _bot(question)])
    assert "troisième fois" in third["text"] and third["buttons"][-1]["title"] == "Arrêter"


def test_one_reminder_a_turn_and_never_a_reminder_of_a_reminder():
    other = DOCUMENTS.replace("Pour ajouter des pièces", "Pour envoyer des pièces")
    replies = shorten_repeats([{"text": DOCUMENTS}, {"text": other}], [_bot(DOCUMENTS), _bot(other)])
    assert len(replies) == 1 and replies[0]["text"].startswith("Je vous ai donné cette information plus haut")
    assert shorten_repeats(replies, [_bot(replies[0]["text"])]) == replies


def test_a_validation_message_said_again_is_not_shortened():
    refused = {"text": DOCUMENTS}
    assert shorten_repeats([refused], [_bot(DOCUMENTS)], long_answers=False) == [refused]


def test_a_question_followed_by_its_explanation_is_asked_again_not_shortened():
    # members' round 12 (e2e): « Quand souhaitez-vous être rappelé ? CPMS rappelle du lundi au vendredi… » the second
    # time became « Je vous ai donné cette information plus haut »
    question = ("Quand souhaitez-vous être rappelé ? CPMS rappelle du lundi au vendredi de 9 h à 17 h, sauf les jours "
                "fériés (horaires indicatifs). Choisissez un créneau, ou écrivez par exemple « demain matin ».")
    assert shorten_repeats([{"text": question}], [_bot(question)]) == [{"text": question}]


def _user(intent: str) -> dict:
    return {"event": "user", "text": "…", "parse_data": {"intent": {"name": intent}}}


def test_a_question_asked_again_after_the_members_own_question_is_no_miss():
    # members' round 19: two questions about the mediator, then « pour la troisième fois »
    question = "Avez-vous déjà envoyé une réclamation écrite (courrier, e-mail ou formulaire) à ce sujet ?"
    after_questions = [_user("ask_mediation"), _bot(question), _user("help"), _bot("Le médiateur est…"),
                       _bot(question), _user("help")]
    assert shorten_repeats([{"text": question}], after_questions) == [{"text": question}]
    # two answers that were not understood still lead to the way out
    missed = after_questions + [_bot(question), _user("inform"), _bot(question), _user("inform")]
    [third] = shorten_repeats([{"text": question}], missed)
    assert "troisième fois" in third["text"]


def test_the_times_asked_skip_the_questions_after_the_members_own():
    from rasa.shared.core.events import BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from addons.nlg import times_asked

    asked = BotUttered("Quel est votre nom ?", metadata={"utter_action": "utter_ask_member_name"})
    help_asked = UserUttered("c'est pour quoi faire ?", intent={"name": "ask_why_data", "confidence": 1.0})
    answer = UserUttered("euh", intent={"name": "inform", "confidence": 1.0})
    tracker = DialogueStateTracker.from_events("s", [asked, help_asked, asked, help_asked, asked])
    assert times_asked(tracker, "utter_ask_member_name") == 1
    tracker.update(answer)
    tracker.update(asked)
    assert times_asked(tracker, "utter_ask_member_name") == 2


def test_a_question_asked_again_after_facts_taken_out_of_order_is_no_miss():
    # the e-mail and phone typed at the NIR question are taken (« J'ai aussi noté … »): no « troisième fois »
    question = "Quel est votre numéro de sécurité sociale (15 caractères, sur votre carte Vitale) ?"
    noted = "J'ai aussi noté : vos coordonnées (c***@example.org). Vous pourrez tout corriger au récapitulatif."
    events = [_bot(question), _user("inform"), _bot("Ce numéro n'est pas valide."), _bot(question), _user("inform"),
              _bot(noted), _bot(question), _user("inform"), _bot(noted)]
    assert shorten_repeats([{"text": question}], events) == [{"text": question}]
    # the first time, then one miss: the noted turn does not count, a second miss does
    missed = events[:-1] + [_bot("Ce numéro n'est pas valide.")]
    assert "troisième fois" in shorten_repeats([{"text": question}], missed)[0]["text"]
    assert shorten_repeats([{"text": question}], events[3:]) == [{"text": question}]


def test_a_paragraph_said_before_is_left_out_beside_a_new_answer():
    # members' round 20 (m20-A-04 M2): a paragraph said before, after a new answer (the CPAM appeal's deadline)
    deadline = "Contester une décision de la CPAM est une démarche distincte de la réclamation : " + "x" * 200
    events = [_bot(DOCUMENTS)]
    shortened = shorten_repeats([{"text": deadline}, {"text": DOCUMENTS}], events)
    assert shortened == [{"text": deadline}]
    # alone, it is a reminder
    assert shorten_repeats([{"text": DOCUMENTS}], events)[0]["text"].startswith("Je vous ai donné")


def test_a_second_reminder_in_a_row_offers_a_person():
    # members' round 21 (m21-D-05 M5-M11): six reminders in a row
    reminder = shorten_repeats([{"text": DOCUMENTS}], [_bot(DOCUMENTS), {"event": "user", "text": "et ?"}])[0]
    events = [_bot(DOCUMENTS), {"event": "user", "text": "et ?"}, _bot(reminder["text"]),
              {"event": "user", "text": "ça ne répond pas"}]
    [reply] = shorten_repeats([{"text": DOCUMENTS}], events)
    assert reply["text"].startswith("Je n'ai pas de meilleure réponse à vous donner ici")
    assert [b["title"] for b in reply["buttons"]] == ["Demander un rappel", "Parler à un conseiller"]
