"""recours.recap: the recap's lines, the fields named in a correction, the member number masked in free texts."""

import pytest

from recours.recap import field_from_text


def test_the_members_own_member_number_typed_in_a_free_text_is_masked():
    # members' round 17 (m17-D-03): « Numéro… : *****977 » but the description showed « … adhérent est le 48213977 »
    from recours.recap import mask_own_member_number

    text = "Mon numéro d'adhérent est le 48213977. On m'a remboursé 100 € le 12 novembre au lieu de 250 €."
    assert mask_own_member_number(text, "*****977") == ("Mon numéro d'adhérent est le *****977. On m'a remboursé "
                                                        "100 € le 12 novembre au lieu de 250 €.")
    assert mask_own_member_number("adhérent 7745120, facture 1234120", "****120") == "adhérent ****120, facture ****120"
    assert mask_own_member_number("facture 48213976", "*****977") == "facture 48213976"  # another number
    assert mask_own_member_number(text, "2 89 ** ** *** *** 77") == text and mask_own_member_number(None, "*1") is None


@pytest.mark.parametrize("text, field", [
    # members' round 18 (m18-B-01): a date of the story is the description's, a letter's date the written complaint's
    ("la date n'a pas changé : c'est le 7 octobre 2026 que j'ai acheté les lunettes", "complaint_description"),
    ("La date d'entrée est toujours fausse dans la description : c'est le 15 septembre.", "complaint_description"),
    ("la date de ma lettre c'est le 16 octobre", "written_complaint"),
    ("date d'envoi : le 3 septembre", "written_complaint"),
    ("la date du courrier c'est le 3 septembre", "written_complaint"),
])
def test_a_date_named_at_the_recap(text, field):
    assert field_from_text(text) == field


@pytest.mark.parametrize("text, confirmed", [
    # members' round 18 (m18-B-02 M16–M17, m18-B-05 M22): not recorded, then « pour la troisième fois »
    ("Voilà qui est juste. Nous confirmons. Pourriez-vous aussi nous dire si mon père peut parler à quelqu'un de vive "
     "voix ?", True),
    ("Je vous ai dit que nous confirmons, enregistrez donc la réclamation.", True),
    ("Je suis fatiguée, tant pis pour la date d'entrée et la dernière précision. Je confirme l'enregistrement.", True),
    ("non ce n'est pas juste", False),
    ("nous confirmons sauf la date", False),
])
def test_a_confirmation_among_other_sentences(text, confirmed):
    from recours.recap import recap_confirms

    assert recap_confirms(text) is confirmed


def test_the_relative_who_writes_is_shown_beside_the_members_name():
    from recours.recap import recap_lines

    line = recap_lines({"member_name": "Marcel Dubreuil", "member_writer": "sa fille, Hélène Dubreuil"})[0]
    assert line == "• Nom et prénom : Marcel Dubreuil (Démarche faite par sa fille, Hélène Dubreuil)"
