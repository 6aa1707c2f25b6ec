"""A question asked with an answer (issue 11): both parts are kept, each read as what it is."""

import pytest

from recours.reading import side_answer
from recours.side_questions import (
    KINDS,
    asks_where_to_send_documents,
    kind_examples,
    kind_patterns,
    question_kind,
    split_side_question,
)
from tests.cases import cases


@pytest.mark.parametrize(
    "text, answer, kind",
    cases(__file__, "an_answer_and_a_question_are_both_kept"),
)
def test_an_answer_and_a_question_are_both_kept(text, answer, kind):
    side = split_side_question(text)
    assert side is not None
    assert side.answer == answer
    assert side.kind == kind
    assert side.question and side.question in text


@pytest.mark.parametrize(
    "text",
    ["Jeanne Petit", "non merci", "ma mutuelle refuse, quel scandale !", "le 3 septembre", "/affirm", ""],
)
def test_a_message_without_a_question_is_not_split(text):
    assert split_side_question(text) is None


@pytest.mark.parametrize(
    "text",
    ["c'est quoi un souscripteur ?", "pourquoi vous avez besoin de ça ?? vous l'avez déjà normalement",
     "ils ont refusé mes lunettes, vous trouvez ça normal ?"],
)
def test_a_question_alone_has_no_answer_part(text):
    side = split_side_question(text)
    assert side is not None and side.answer == ""


def test_a_question_of_no_known_kind_is_other():
    assert question_kind("vous travaillez le dimanche ?") == "other"


def test_the_recap_and_the_status_check_are_not_split():
    # a question at the recap neither confirms nor corrects; a status check keeps its own reading
    assert side_answer("recap_confirmed", "ok mais ils répondent en combien de temps ?") is None
    assert side_answer("status_reference", "REC-2026-7K4F9Q, c'est traité quand ?") is None
    assert side_answer("member_name", "Paul Durand, c'est long ?") is not None


def test_a_free_text_answer_keeps_its_rhetorical_question():
    text = "ils ne remboursent pas mes lunettes, c'est normal ça ?"
    assert side_answer("complaint_description", text) is None
    assert side_answer("complaint_description", "ils ne remboursent pas mes lunettes. Ça prend combien de temps ?")


@pytest.mark.parametrize("text", ["Et la facture, où dois-je l'envoyer ?", "les attestations je les envoie par mail ?"])
def test_documents_named_before_the_verb(text):
    assert question_kind(text) == "documents"


def test_a_question_for_the_assurance_maladie():
    assert question_kind("et pour l'ameli je dois créer un compte ?") == "cpam"
    # a carte Vitale lost or stolen has its own practical answer (the CPAM's steps, then the organisation's card)
    assert question_kind("et pour ma carte Vitale volée je fais comment ?") == "vitale_lost"


@pytest.mark.parametrize("text, kind", cases(__file__, "process_questions_of_more_kinds"))
def test_process_questions_of_more_kinds(text, kind):
    assert question_kind(text) == kind


@pytest.mark.parametrize("text, answer, kind", [
    # round 9 (replay): « c long ? » after the consent was taken as a name
    ("ok jaccepte, c long ?", "ok jaccepte", "deadlines"),
    ("oui j accepte, et vous gardez mes données combien de temps ?", "oui j accepte", "data_rights"),
])
def test_a_consent_and_a_question(text, answer, kind):
    side = split_side_question(text)
    assert (side.answer, side.kind) == (answer, kind)


def test_a_question_beside_documents_already_sent_is_not_about_documents():
    from recours.side_questions import asks_where_to_send_documents

    # members' round 10: « J'ai envoyé la facture à CPMS … C'est la faute à qui là ? » asks who is at fault
    text = ("J'ai envoyé la facture à CPMS et ils disent que c'est l'hôpital qui doit leur facturer direct. C'est la "
            "faute à qui là ?")
    assert not asks_where_to_send_documents(text)
    assert asks_where_to_send_documents("je peux envoyer la facture par mail ?")


def test_a_booked_callback_asked_about_mid_form():
    from recours.side_questions import question_kind

    assert question_kind("Le rappel est toujours bon ?") == "callback_status"
    assert question_kind("mon rappel de demain est maintenu ?") == "callback_status"


@pytest.mark.parametrize("text, kind", [("c combien de questions en tout ?", "how_many"),
                                        ("il en reste beaucoup ?", "how_many"),
                                        ("il reste combien de temps pour contester ?", "time_limit")])
def test_how_many_questions_left(text, kind):
    from recours.side_questions import question_kind

    assert question_kind(text) == kind


def test_a_new_complaint_naming_documents_sent_is_no_documents_question():
    # members' round 12 (m12-D-02 t1): sent to « ajouter des pièces à votre réclamation … Indiquez sa référence »
    assert not asks_where_to_send_documents(
        "bonsoir, je voudrais faire une réclamation : mes semelles ne m'ont rien été remboursées, ils disent qu'il "
        "manque l'ordonnance alors que je l'ai envoyée deux fois")
    assert asks_where_to_send_documents("je voudrais envoyer l'ordonnance")


@pytest.mark.parametrize("example, kind", kind_examples())
def test_each_example_of_the_data_file_is_read_as_its_kind(example, kind):
    assert question_kind(example) == kind


def test_the_data_file_names_only_known_kinds_and_every_kind_answered_has_patterns():
    named = {kind for kind, _ in kind_patterns()}
    assert named <= set(KINDS) and set(KINDS) - named <= {"glossary", "cpam", "not_reimbursed", "other"}
