"""Corrections typed at the recap (actions/recap_corrections.py): which field, which new value (issue 11)."""

from __future__ import annotations

import pytest

from actions.recap_corrections import _value_for, correction_groups, removed_from_description, replaced_in_description

DESCRIPTION = ("Le podologue m'a fait des semelles orthopédiques à 180 euros. La CPAM a remboursé 28 euros, CPMS rien. "
               "J'ai travaillé à l'imprimerie Martin avant.\nLe décompte du 24 novembre met 0 €, 12 séances.")


class Tracker:
    def __init__(self, **slots):
        self.slots = slots

    def get_slot(self, key):
        return self.slots.get(key)


TRACKER = Tracker(complaint_description=DESCRIPTION, member_name="Jean Dupont")


def values(text):
    return [(field, _value_for(field, clause, TRACKER)) for field, clause in correction_groups(text)]


@pytest.mark.parametrize("text", ["mettez dans la description que je demande les 60 €",
                                  "dans la description, mettez que je demande les 60 €",
                                  "rajoutez que je demande les 60 €"])
def test_a_fact_put_in_the_description_is_added_to_it(text):
    assert values(text) == [("complaint_description", DESCRIPTION + "\nJe demande les 60 €.")]


def test_the_value_dictated_after_the_old_one_is_said_wrong():
    assert values("la decision contestee cest nimp, mettez aucune decision") == [("contested_decision", "aucune")]
    assert values("la décision contestée : mettez le refus du 3 novembre") == \
        [("contested_decision", "le refus du 3 novembre")]


@pytest.mark.parametrize("text", ["Le souscripteur est toujours faux. Corriger un élément",
                                  "le souscripteur aussi est faux"])
def test_a_field_only_said_wrong_has_no_new_value(text):
    assert values(text)[0] == ("contract_holder", None)


def test_a_sentence_removed_and_another_put_in_its_place():
    new, rest = removed_from_description(
        "enlevez la ligne sur l'imprimerie et mettez plutôt que c'est ma seule paire de semelles de l'année",
        DESCRIPTION)
    assert "imprimerie" not in new and "180 euros" in new and "12 séances" in new
    assert new.endswith("C'est ma seule paire de semelles de l'année.") and rest == ""


def test_a_sentence_the_member_does_not_want_in_the_description():
    new, rest = removed_from_description("ne mettez pas l'imprimerie dans la description svp", DESCRIPTION)
    assert "imprimerie" not in new and new.count("\n") == 1


def test_nothing_removed_when_no_sentence_names_it():
    assert removed_from_description("supprimez la phrase sur le garage", DESCRIPTION) is None
    assert removed_from_description("le motif est faux", DESCRIPTION) is None


@pytest.mark.parametrize("text, expected", [
    ("le dépassement c'est 210 euros pas 180, j'ai regardé la facture", "210 euros"),
    ("le montant est toujours 180 dans la description, c'est 210 €", "210 euros"),
    ("c'est 14 séances et pas 12", "14 séances"),
    ("pas 12 mais 13 séances", "13 séances"),
])
def test_a_number_of_the_description_corrected(text, expected):
    assert expected in replaced_in_description(text, DESCRIPTION)


def test_no_number_replaced_when_the_old_one_is_not_in_the_description():
    assert replaced_in_description("c'est 300 pas 250", DESCRIPTION) is None


def test_an_amount_corrected_after_et():
    # members' round 19 (m19-A-02 M13): « Je n'ai pas compris votre réponse »
    from actions.recap_corrections import replaced_in_description

    described = "Chambre particulière refusée : 3 nuits du 12 au 15 oct, 255 euros."
    assert replaced_in_description("attends jme suis trompee c 2 nuits du 13 au 15 oct et 170e pas 255",
                                   described) == "Chambre particulière refusée : 3 nuits du 12 au 15 oct, 170 euros."


def test_the_member_s_name_corrected_by_the_relative_who_writes():
    # members' round 22 (m22-B-01 M10): the name ignored, the holder stored as « Pas Claire Morel »
    tracker = Tracker(complaint_description=DESCRIPTION, member_name="Claire Morel", contract_holder="Madame Jeanne Morel")
    text = ("Il y a des erreurs. Le nom de l'adhérente c'est Jeanne Morel, ma mère, pas Claire Morel. Moi je suis "
            "seulement la fille qui écrit pour elle. Et le souscripteur du contrat ce n'est pas ma mère, c'est l'ancien "
            "employeur de mon père, la société Tournier Industries.")
    assert [(field, _value_for(field, clause, tracker)) for field, clause in correction_groups(text)] == \
        [("member_name", "Jeanne Morel"), ("contract_holder", "Tournier Industries")]


def test_the_description_replaced_whole_and_completed_never_replaced():
    # members' round 23 (m23-C-01 M14: cut at its first sentence, the holder overwritten; m23-C-03 M9: « compléter »
    # replaced the story)
    text = ("remplacer la description : Je suis en arrêt maladie depuis le 14 septembre. La CPAM m'a refusé mes "
            "indemnités journalières (courrier du 3 novembre) et CPMS refuse de me verser le complément de salaire prévu "
            "par la prévoyance de mon employeur (courrier du 20 novembre). Je conteste ce refus.")
    [(field, clause)] = correction_groups(text)
    assert field == "complaint_description"
    assert _value_for(field, clause, TRACKER).endswith("Je conteste ce refus")
    added = values("Je souhaite compléter la description : je demande l'annulation de la demande de 800 euros.")
    assert added[0][0] == "complaint_description" and added[0][1].startswith(DESCRIPTION)
