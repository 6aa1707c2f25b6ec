"""The referral letter's summary and the changes a member asks for once it is written (recours/letter_edits.py)."""

from datetime import date

import pytest

from recours.letter_edits import answer_date_in, applied, changes_the_letter, edits_the_letter, letter_story, \
    read_letter_edit

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize("text, summary, attachments", [
    # members' round 22 (m22-F-01 M14, m22-D-05 M9, m22-F-05 M7)
    ("Le résumé devrait être : CPMS ne m'a remboursé que 60 euros sur les 240 euros de mes séances d'ostéopathie.",
     "CPMS ne m'a remboursé que 60 euros sur les 240 euros de mes séances d'ostéopathie", ()),
    ("Veuillez le remplacer par : « La mutuelle a refusé de me rembourser 480 € de dépassements d'honoraires. »",
     "La mutuelle a refusé de me rembourser 480 € de dépassements d'honoraires", ()),
    ("Le résumé c'est : refus de remboursement du 28/08/2026 pour ma couronne, 650 euros. et ajoutez le courrier du "
     "28/08 dans les pieces jointes", "Refus de remboursement du 28/08/2026 pour ma couronne, 650 euros",
     ("le courrier du 28/08",)),
])
def test_a_new_summary_replaces_the_old_one_without_the_instructions(text, summary, attachments):
    edit = read_letter_edit(text, TODAY)
    assert (edit.summary, edit.attachments) == (summary, attachments)


def test_name_addition_and_answer_date():
    assert read_letter_edit("mettez mon nom, Odette Garnier", TODAY).name == "Odette Garnier"
    assert read_letter_edit("ajoutez que j'ai relancé par téléphone le 3 octobre", TODAY).addition == \
        "J'ai relancé par téléphone le 3 octobre"
    edit = read_letter_edit("Vous n'avez pas mis la date de la réponse de CPMS, le 20 septembre 2026.", TODAY)
    assert edit.answer_date_missing and edit.answer_date == date(2026, 9, 20)
    assert read_letter_edit("Vous n'avez pas mis la date de la réponse. Pouvez-vous l'ajouter ?", TODAY).answer_date is None


@pytest.mark.parametrize("text", ["merci pour la lettre", "Une lettre ou deux ?", "C'est parfait merci",
                                  "Est-ce plus rapide en ligne ?", "oui"])
def test_no_change(text):
    assert read_letter_edit(text, TODAY) is None and not changes_the_letter(text, TODAY)


def test_a_date_alone_changes_the_letter_only_just_after_it():
    said = "ils m'ont répondu le 20 septembre 2026"
    assert edits_the_letter(said, TODAY, shown=True, just_shown=True)
    assert not edits_the_letter(said, TODAY, shown=True)
    assert not edits_the_letter("mettez mon nom, Odette Garnier", TODAY, shown=False)
    assert edits_the_letter("mettez mon nom, Odette Garnier", TODAY, shown=True)


def test_the_story_for_the_letter_leaves_the_chat_out():
    messages = [
        "Bonjour, je souhaiterais saisir le médiateur. J'ai écrit à CPMS le 10 août 2026 car ils ne m'ont remboursé "
        "que 60 euros sur 240 euros de séances d'ostéopathie. Cette réponse ne me satisfait nullement.",
        "Je souhaiterais obtenir un modèle de lettre svp",
        "Oui, comme je vous l'indiquais, je n'ai saisi aucun autre médiateur",
        "une mutuelle de la mutualité française",  # an answer to the carrier's question
        "Le résumé devrait être : les séances ne sont pas remboursées.",
        "je veux la lettre pour le mediateur svp. jai ecrit a cpms le 2 septembre pour le refus de rembourser mes "
        "lunettes 320e du 28/08/2026, pas de reponse depuis, pas d autre mediateur, c une societe anonyme svp non je",
    ]
    told = letter_story(messages, TODAY)
    assert told == ("J'ai écrit à CPMS le 10 août 2026 car ils ne m'ont remboursé que 60 euros sur 240 euros de "
                    "séances d'ostéopathie. jai ecrit a cpms le 2 septembre pour le refus de rembourser mes lunettes "
                    "320e du 28/08/2026")


def test_the_answer_s_date_is_an_exact_past_date_after_the_answer():
    assert answer_date_in("CPMS m'a répondu le 20 septembre 2026 en maintenant son refus", TODAY) == date(2026, 9, 20)
    assert answer_date_in("j'ai écrit le 10 août, réponse mi-septembre", TODAY) is None
    assert answer_date_in("j'ai écrit le 10 août, pas de réponse", TODAY) is None


def test_changes_are_kept_and_added_to():
    kept = applied({"shown": True}, read_letter_edit("Le résumé devrait être : refus de ma couronne, 650 €.", TODAY))
    kept = applied(kept, read_letter_edit("ajoutez que j'ai relancé le 3 octobre", TODAY))
    kept = applied(kept, read_letter_edit("ajoutez le devis du dentiste dans les pièces jointes", TODAY))
    kept = applied(kept, read_letter_edit("ajoutez le devis du dentiste dans les pièces jointes", TODAY))
    assert kept == {"shown": True, "summary": "Refus de ma couronne, 650 €. J'ai relancé le 3 octobre.",
                    "attachments": ["le devis du dentiste"]}


@pytest.mark.parametrize("text, wanted", [
    ("Je souhaiterais obtenir un modèle de lettre svp", True),
    ("Oui, je veux bien le modèle de lettre", True),
    ("Parfait. Oui, je veux bien le modèle de lettre, merci", True),
    ("je veux la lettre pour le mediateur svp", True),
    ("si je le fais en ligne j ai quand meme besoin de votre lettre ?", False),
    ("non merci pas de lettre", False),
    ("merci pour la lettre", False),
    ("la lettre est fausse", False),
])
def test_the_letter_wanted_in_the_member_s_words(text, wanted):
    from recours.letter_edits import wants_the_letter

    assert wants_the_letter(text) is wanted


@pytest.mark.parametrize("text", ["ajoutez l assureur dans la lettre : Mutavia Assurances SA",
                                  "Mettez aussi le nom de l'assureur, c'est Mutavia Assurances SA."])
def test_the_insurer_named_for_the_letter(text):
    # members' round 23 (m23-D-02 M10): read as a new statement
    edit = read_letter_edit(text, TODAY)
    assert edit.carrier == "Mutavia Assurances SA" and applied({}, edit) == {"carrier": "Mutavia Assurances SA"}
