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


@pytest.mark.parametrize(
    "text, answer, kind",
    [
        ("Germaine Rousseau. Au fait ils ont combien de temps pour me répondre ?", "Germaine Rousseau.", "deadlines"),
        ("non, et le médiateur c'est quoi ?", "non", "mediator"),
        ("Paul Durand et ça prend combien de temps", "Paul Durand", "deadlines"),
        ("Je m appelle Paul Durand et je voudrais savoir combien de temps ça prend", "Je m appelle Paul Durand",
         "deadlines"),
        ("non. Faut-il envoyer un recommandé ?", "non.", "registered_letter"),
        ("oui, je peux envoyer les factures par mail ?", "oui", "documents"),
        ("Durand Paul, quand serai-je remboursé ?", "Durand Paul", "refund_when"),
        ("aucune, on peut saisir le médiateur ?", "aucune", "mediator"),
        ("oui le courrier de refus du 15 avril, quel est le délai ?", "oui le courrier de refus du 15 avril",
         "deadlines"),
        ("2 84 05 75 056 123 45, c'est sécurisé ?", "2 84 05 75 056 123 45", "why_data"),
        ("Marie Martin, comment vous joindre par téléphone ?", "Marie Martin", "human"),
        ("Jeanne Petit, c'est quoi un souscripteur ?", "Jeanne Petit", "glossary"),
    ],
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
    assert question_kind("et pour ma carte Vitale volée je fais comment ?") == "cpam"


@pytest.mark.parametrize("text, kind", [
    # round 7's questions that got « Je ne peux pas répondre à cette question ici »
    ("un appel compte-t-il comme réclamation ?", "phone_counts"),
    ("j'ai appelé 3 fois, ça compte pas ?", "phone_counts"),
    ("est-ce que c'est trop tard pour réclamer ?", "time_limit"),
    ("jusqu'à quand je peux contester ?", "time_limit"),
    ("il y a un délai pour faire une réclamation ?", "time_limit"),
    ("et la CNIL dans tout ça ?", "data_rights"),
    ("vous gardez mes données combien de temps ?", "data_rights"),
    ("c'est payant ?", "cost"),
    ("il me faut un avocat ?", "cost"),
    ("ca sert a quoi tout ca si personne lit ??", "who_reads"),
    ("qui va lire ma réclamation ?", "who_reads"),
    # round 9 (m9-c-01 M2, M11): sent to CPMS's customer service
    ("pour contester le refus de la CPAM j'ai combien de temps ?", "cpam_appeal"),
    ("la caisse a refusé, il y a un recours spécial ?", "cpam_appeal"),
    # rounds 10 and 11's questions that got « Je ne peux pas répondre à cette question ici »
    ("et les 145 euros je les recupere comment ?", "outcome"),
    ("vous allez me rembourser combien au final ?", "outcome"),
    ("Est-ce que les 207 € prélevés en trop me seront rendus ?", "outcome"),
    ("Est-ce que CPMS peut me rembourser les 16 € de frais bancaires ?", "outcome"),
    ("Dois-je payer en attendant, pour ne pas avoir de pénalités ?", "pay_meanwhile"),
    ("Pourriez-vous me dire si les pompes funèbres peuvent attendre, ou si je dois avancer la somme ?",
     "pay_meanwhile"),
    ("Est-ce que je dois payer les 255 € à la clinique en attendant ?", "pay_meanwhile"),
    ("Et le prélèvement de décembre, il va encore passer ?", "pay_meanwhile"),
    ("et le taxi il peut m'envoyer un huissier pour les 540 € ?", "pay_meanwhile"),
    ("ET JE FAIS COMMENT DEMAIN POUR LA PHARMACIE SANS CARTE ???", "no_card"),
    ("Et comment vais-je avoir une nouvelle carte avant mon passage à la pharmacie, le 10 décembre ?", "no_card"),
    ("jveux juste lattestation, vous pouvez me lenvoyer par mail ??", "no_card"),
    ("vs mpreviendrez par sms ?", "notify_how"),
    ("et pour le sms c noté ?", "notify_how"),
    ("la réponse arrive par courrier ou par mail ?", "notify_how"),
    ("dois-je donner mon nom ou celui de mon épouse, puisque c'était son contrat à elle ?", "whose_name"),
    ("Est-ce qu'il faut aussi le nom de ma femme ?", "whose_name"),
    ("que veut dire « indu » ?", "glossary"),
    ("on me parle d'ayants droit, est-ce la même chose que bénéficiaire ?", "glossary"),
    ("que veut dire chiffrées ?", "glossary"),
    # round 13
    ("je peux parler à quelqu'un plutôt ? c'est long", "human"),
    ("faut-il envoyer une copie de l'accusé de réception ?", "documents"),
    ("dois-je envoyer ma réclamation en recommandé ?", "registered_letter"),
    ("je mets quoi ?", "which_nature"),
    ("je sais pas quoi choisir", "which_nature"),
    # round 12
    ("la demande sur lappli ca compte ?", "written_counts"),
    ("je peux vous donner mon numéro d'adhérent ?", "member_number_ok"),
    ("J'ai ma carte de mutuelle, il y a un numéro dessus : 00418276. Est-ce que cela convient ?", "member_number_ok"),
    # unchanged
    ("et pour ma carte Vitale volée, je fais comment ?", "cpam"),
    ("quand serai-je remboursé ?", "refund_when"),
    ("combien de temps pour me répondre ?", "deadlines"),
    ("Marie Martin, comment vous joindre par téléphone ?", "human"),
])
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
    assert named <= set(KINDS) and set(KINDS) - named <= {"glossary", "cpam", "other"}
