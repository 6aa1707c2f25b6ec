

def test_the_members_own_member_number_typed_in_a_free_text_is_masked():
    # members' round 17 (m17-D-03): « Numéro… : *****977 » but the description showed « … adhérent est le 48213977 »
    from recours.recap import mask_own_member_number

    text = "Mon numéro d'adhérent est le 48213977. On m'a remboursé 100 € le 12 novembre au lieu de 250 €."
    assert mask_own_member_number(text, "*****977") == ("Mon numéro d'adhérent est le *****977. On m'a remboursé "
                                                        "100 € le 12 novembre au lieu de 250 €.")
    assert mask_own_member_number("adhérent 7745120, facture 1234120", "****120") == "adhérent ****120, facture ****120"
    assert mask_own_member_number("facture 48213976", "*****977") == "facture 48213976"  # another number
    assert mask_own_member_number(text, "2 89 ** ** *** *** 77") == text and mask_own_member_number(None, "*1") is None
