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
