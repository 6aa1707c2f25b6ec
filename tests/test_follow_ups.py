"""A request about a complaint or a call-back recorded before (issue 11, rounds 8 and 9): read, and carried out
by the store only for what the conversation owns."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from recours.follow_ups import (
    ADD_DETAIL,
    CALLBACK_STATUS,
    CANCEL_CALLBACK,
    CHANGE_CONTACT,
    MOVE_CALLBACK,
    NO_REFERENCE,
    STATUS,
    read_follow_up,
    says_no_reference,
)
from tests.store_fixtures import cipher, database_url, postgresql_url, store  # noqa: F401
from tests.test_store import EMAIL, _draft, _fill_vault
from tests.cases import cases

NEW_PHONE = "+33600000014"


@pytest.mark.parametrize("text, kind, complaint, callback", [
    ("mon mari me dit que j'ai donné son portable tout à l'heure, le mien c'est le 06 00 00 00 14, il faut le "
     "changer sur la réclamation et pour le rappel de demain", CHANGE_CONTACT, True, True),
    ("Comment je fais pour changer mon numéro sur la réclamation REC-2026-GXTAFZ ?", CHANGE_CONTACT, True, False),
    ("le rappel de demain midi (RAP-2026-Y8EPFZ), vous pouvez le mettre sur le 06 00 00 00 14 ?",
     CHANGE_CONTACT, False, True),
    ("je voudrais mettre à jour mon adresse mail sur ma réclamation", CHANGE_CONTACT, True, False),
    ("annulez le rappel, j'appellerai moi-même", CANCEL_CALLBACK, False, True),
    ("plus besoin du rappel de demain, merci", CANCEL_CALLBACK, False, True),
    ("pouvez-vous décaler le rappel à jeudi 14h ?", MOVE_CALLBACK, False, True),
    # members' round 10: a number given for what is named, without a verb of change
    ("Par contre le rappel de jeudi, il faut le faire au 06 00 00 00 72 et pas au 27", CHANGE_CONTACT, False, True),
    ("pouvez-vous ajouter mon e-mail à la réclamation : corinne.lemaire@example.org", CHANGE_CONTACT, True, False),
    ("je voudrais savoir où en est ma réclamation, je n'ai pas le numéro de référence", NO_REFERENCE, True, False),
    ("Bonsoir, ma femme a fait une réclamation sur votre site tout à l'heure pour son implant dentaire, je voudrais "
     "savoir où ça en est et envoyer les papiers du dentiste", STATUS, True, False),
    ("et le rappel de vendredi après-midi est toujours prévu ?", CALLBACK_STATUS, False, True),
])
def test_follow_ups_are_read(text, kind, complaint, callback):
    found = read_follow_up(text)
    assert found is not None and (found.kind, found.complaint, found.callback) == (kind, complaint, callback)


def test_the_new_contact_and_the_references_come_with_it():
    found = read_follow_up("le rappel RAP-2026-Y8EPFZ, vous pouvez le mettre sur le 06 00 00 00 14 ?")
    assert (found.callback_reference, found.phone, found.email) == ("RAP-2026-Y8EPFZ", NEW_PHONE, None)
    found = read_follow_up("changer mon mail sur la réclamation REC 2026 GXTAFZ : nouveau.mail@example.org")
    assert (found.complaint_reference, found.email) == ("REC-2026-GXTAFZ", "nouveau.mail@example.org")


@pytest.mark.parametrize("text", cases(__file__, "grievances_and_other_requests_are_no_follow_up"))
def test_grievances_and_other_requests_are_no_follow_up(text):
    assert read_follow_up(text) is None


def test_another_moment_right_after_a_booking_moves_it():
    text = "non VENDREDI 4 décembre, pas jeudi ! jeudi je suis chez le dentiste"
    assert read_follow_up(text) is None
    assert read_follow_up(text, just_booked=True).kind == MOVE_CALLBACK
    assert read_follow_up("merci beaucoup", just_booked=True) is None


def test_round_15_two_call_backs_and_a_new_number():
    """r15-D-02: the move with a new number, the number corrected just after a booking, the questions about a
    cancellation and what is left."""
    moved = read_follow_up("ah non zut, jeudi je suis de garde à la pharmacie. vous pouvez mettre vendredi vers 10h "
                           "plutôt ? et sur le 06 00 00 00 72, c'est mon deuxième portable", just_booked=True)
    assert (moved.kind, moved.phone) == (MOVE_CALLBACK, "+33600000072")
    number = read_follow_up("vous avez encore mis le 27 ! je veux être rappelée au 06 00 00 00 72", just_booked=True)
    assert (number.kind, number.callback, number.phone) == (CHANGE_CONTACT, True, "+33600000072")
    assert read_follow_up("vous avez encore mis le 27 ! je veux être rappelée au 06 00 00 00 72") is None
    for question in ("ok. et l'autre rappel de vendredi sur le 27, il est bien annulé ? je ne veux pas deux appels",
                     "vous venez de me dire qu'il était annulé. il est annulé ou pas, le rappel au 72 ?",
                     "je n'y comprends plus rien. il me reste quel rappel, là ?"):
        assert read_follow_up(question).kind == CALLBACK_STATUS, question
    assert read_follow_up("décalez le rappel à vendredi 10h et au 06 00 00 00 72").phone == "+33600000072"


def test_a_contact_alone_is_about_the_complaint_recorded_in_the_conversation():
    assert read_follow_up("mon numéro de téléphone a changé : 06 00 00 00 14") is None
    found = read_follow_up("mon numéro de téléphone a changé : 06 00 00 00 14", recorded=True)
    assert found.kind == CHANGE_CONTACT and found.complaint and found.phone == NEW_PHONE
    found = read_follow_up("et pour le numéro de téléphone ? c'est 06 00 00 00 14 le bon", recorded=True)
    assert found is not None and found.phone == NEW_PHONE


@pytest.mark.parametrize("text, expected", cases(__file__, "no_reference_at_hand"))
def test_no_reference_at_hand(text, expected):
    assert says_no_reference(text) is expected


def test_the_complaint_contact_is_changed_with_an_audit_entry(store, cipher):
    key = cipher.conversation_key("conv-1")
    _fill_vault(store, key)
    recorded = store.record_complaint(_draft(cipher), "idem-1")
    assert store.change_complaint_contact(recorded.reference, "cpms", phone=NEW_PHONE)
    view = store.get_complaint(recorded.reference)
    assert (view.phone, view.email) == (NEW_PHONE, EMAIL)
    assert store.audit_entries(recorded.reference)[0].action == "contact_changed"  # newest first
    assert not store.change_complaint_contact(recorded.reference, "another", phone=NEW_PHONE)
    assert not store.change_complaint_contact("REC-2026-ZZZZZZ", "cpms", email="a@example.org")


def test_a_callback_is_changed_or_cancelled_only_by_its_conversation(store, cipher):
    key = cipher.conversation_key("conv-1")
    store.put_callback_phone(key, "cpms", "+33600000041")
    start = datetime(2026, 12, 2, 11, tzinfo=timezone.utc)
    booked = store.record_callback(key, start, start.replace(hour=12), "cb-1")
    assert not store.change_callback(booked.reference, cipher.conversation_key("other"), phone=NEW_PHONE)
    assert store.change_callback(booked.reference, key, phone=NEW_PHONE)
    assert store.get_callback(booked.reference).phone == NEW_PHONE
    assert store.change_callback(booked.reference, key, cancel=True)
    assert store.callbacks_of_conversation(key) == []
    assert not store.change_callback(booked.reference, key, cancel=True)  # already cancelled
    actions = [e.action for e in store.audit_entries(booked.reference)]
    assert actions[:2] == ["callback_cancelled", "callback_phone_changed"]  # newest first
    assert [c.cancelled for c in store.callbacks_of_conversation(key, include_cancelled=True)] == [True]
    # cancelled by mistake (« pas celui-là »): restored once, by its conversation only
    assert not store.change_callback(booked.reference, cipher.conversation_key("other"), restore=True)
    assert store.change_callback(booked.reference, key, restore=True)
    assert [c.reference for c in store.callbacks_of_conversation(key)] == [booked.reference]
    assert not store.change_callback(booked.reference, key, restore=True)  # not cancelled any more
    assert store.audit_entries(booked.reference)[0].action == "callback_restored"


def test_the_members_changes_are_said_in_the_desk_audit():
    from datetime import datetime, timezone

    from desk.audit_fr import audit_text_fr
    from recours.store import AuditEntry

    at = datetime(2026, 12, 1, 20, tzinfo=timezone.utc)
    fields = {f: None for f in AuditEntry.__dataclass_fields__}
    said = [audit_text_fr(AuditEntry(**{**fields, "at": at, "actor": "member", "action": action}))
            for action in ("contact_changed", "callback_phone_changed", "callback_cancelled")]
    assert said == ["Coordonnées modifiées par le membre", "Numéro du rappel modifié par le membre",
                    "Rappel annulé par le membre"]


@pytest.mark.parametrize("text, recorded, detail", [
    # members' round 16 (m16-C-03 M11, m16-D-04 t4)
    ("attendez j'avais pas fini !! vous avez pas noté que je veux être appelée le midi, ni que je demande les 70 € "
     "du pédiatre", True, "Je veux être appelée le midi et que je demande les 70 € du pédiatre"),
    ("je voudrais ajouter une précision à ma réclamation REC-2026-FKAGAV : le montant c'est 1 430 € et pas 1 340", False,
     "Le montant c'est 1 430 € et pas 1 340"),
    ("je voudrais ajouter quelque chose à ma réclamation", True, None),
    # members' round 22 (m22-F-02 M17, m22-D-02 M16): sent to the customer service instead
    ("jveux rajouter un truc a ma reclamation : c 6 seances a 30e", False, "C 6 seances a 30e"),
    ("jai un truc a rajouter: la 3e seance c le 5 novembre", True, "La 3e seance c le 5 novembre"),
    ("jai un truc a rajouter", True, None),
    # members' round 23 (m23-A-05 M17, M18): the usual contact; « Ça à ma reclamation : … » stored
    ("rajoutez aussi que je suis joignable que le matin", True, "Je suis joignable que le matin"),
    ("je veux RAJOUTER ça à ma reclamation : joignable le matin seulement", True, "Joignable le matin seulement"),
])
def test_something_added_to_a_recorded_complaint(text, recorded, detail):
    found = read_follow_up(text, recorded=recorded)
    assert (found.kind, found.detail) == (ADD_DETAIL, detail)


@pytest.mark.parametrize("text", [
    "ma réclamation est restée sans réponse",
    "il manque la facture, je vous l'envoie où ?",
    "je voudrais ajouter quelque chose",  # nothing recorded, nothing named: a new statement
])
def test_no_addition(text):
    found = read_follow_up(text, recorded=text.startswith("il manque"))
    assert found is None or found.kind != ADD_DETAIL


@pytest.mark.parametrize("text, just_booked", [
    # members' round 18 (m18-A-01 M21, M22): a generic answer, then the person's phone number
    ("jai dit AVANT 10h pas jusqua 11h, je bosse a 10h", True),
    ("je veux changer lheure du rappel, entre 8h et 10h", False),
])
def test_the_booked_call_back_moved_in_the_members_words(text, just_booked):
    from recours.follow_ups import MOVE_CALLBACK, read_follow_up

    assert read_follow_up(text, recorded=True, just_booked=just_booked).kind == MOVE_CALLBACK


def test_a_status_asked_with_a_number_beside_it_is_a_status_question():
    # members' round 20 (m20-A-05): « CPMS vous contactera désormais au 06 ** ** ** 63 »
    from recours.follow_ups import STATUS, read_follow_up

    asked = read_follow_up("cest quoi le statut de ma reclam REC-2026-A4SB9Q, tel 06 00 00 00 63", recorded=True)
    assert asked.kind == STATUS and asked.complaint_reference == "REC-2026-A4SB9Q"
    changed = read_follow_up("pour ma réclamation REC-2026-A4SB9Q mon nouveau numéro 06 00 00 00 63", recorded=True)
    assert changed.kind == "change_contact" and changed.phone == "+33600000063"


def test_a_contact_is_taken_off_but_never_the_last_one(store, cipher):
    key = cipher.conversation_key("conv-1")
    _fill_vault(store, key)
    recorded = store.record_complaint(_draft(cipher), "idem-1")
    assert store.remove_complaint_contact(recorded.reference, "cpms", email=True)
    view = store.get_complaint(recorded.reference)
    assert view.email is None and view.phone
    assert store.audit_entries(recorded.reference)[0].action == "contact_removed"
    assert not store.remove_complaint_contact(recorded.reference, "cpms", phone=True)  # the last one stays
    assert store.get_complaint(recorded.reference).phone
    assert not store.remove_complaint_contact(recorded.reference, "another", phone=True)


@pytest.mark.parametrize("text, removed, phone", [
    # members' round 20 (m20-A-02 M23, m20-B-02 M25)
    ("retirez mon adresse mail de la reclamation svp, juste le tel", "email", None),
    ("Une dernière chose : finalement, ne m'écrivez pas par courriel, mon adresse électronique, c'est mon fils qui "
     "la consulte. Pouvez-vous la retirer et ne garder que le téléphone ?", "email", None),
    ("enlevez mon numéro de téléphone de ma réclamation, seulement le mail", "phone", None),
    ("retirez le mail et mettez le 06 11 22 33 44 sur ma réclamation", "email", "+33611223344"),
    # members' round 21 (m21-B-05 M16-M17, m21-B-01 M23, m21-B-04 M12): the phone had been taken off instead
    ("l'adresse électronique que je vous ai donnée est celle de mon défunt mari, je ne veux plus qu'on l'utilise. "
     "Retirez-la, s'il vous plaît, le téléphone suffira.", "email", None),
    ("Non, non, c'est le contraire ! Gardez mon téléphone, le 02 00 00 00 58, et supprimez l'adresse "
     "robert.beaulieu@example.org.", "email", "+33200000058"),
    ("Non, j'ai dit remplacer : je ne veux plus qu'on m'appelle au 01 00 00 00 17, seulement l'adresse "
     "électronique. Retirez le téléphone, je vous prie.", "phone", None),
    ("Je voudrais seulement modifier mes coordonnées pour la réclamation REC-2026-NG98XF : mon téléphone 02 00 00 "
     "00 44, et supprimer l'adresse électronique de mon fils.", "email", "+33200000044"),
])
def test_a_contact_to_take_off(text, removed, phone):
    found = read_follow_up(text, recorded=True)
    assert (found.kind, found.complaint, found.remove, found.phone) == ("change_contact", True, removed, phone)


@pytest.mark.parametrize("text", [
    "ma réclamation est restée sans réponse, juste le tel ne marche pas",
    "je vous ai donné mon mail et mon téléphone, lequel préférez-vous ?",
])
def test_no_contact_to_take_off(text):
    found = read_follow_up(text, recorded=True)
    assert found is None or found.remove is None


def test_a_new_number_announced():
    # members' round 20 (m20-B-05 M16)
    found = read_follow_up("Je vous remercie. Une chose encore : mon numéro de portable va changer la semaine "
                           "prochaine, mon neveu m'en prend un nouveau. Le nouveau sera le 06 00 00 00 91. "
                           "Pouvez-vous le changer sur ma réclamation ?", recorded=True)
    assert (found.kind, found.phone) == ("change_contact", "+33600000091")


@pytest.mark.parametrize("text", [
    # members' round 20 (m20-A-01, m20-A-03): a call-back booked earlier, moved some turns later
    "en fait demain jpeux pas, mettez lundi 9h",
    "changer le rappel pour lundi 9h svp",
    "plutot mardi matin",
])
def test_a_call_back_booked_earlier_is_moved(text):
    found = read_follow_up(text, recorded=True, booked=True)
    assert (found.kind, found.callback) == ("move_callback", True)


def test_a_story_after_a_call_back_is_no_move():
    assert read_follow_up("en fait lundi j'ai appelé et on m'a dit que mes lunettes de 300 euros seraient "
                          "remboursées", recorded=True, booked=True) is None
    assert read_follow_up("plutot mardi matin", recorded=True) is None  # no call-back booked


def test_a_contact_replaced_by_the_other_kind():
    # members' round 21 (m21-B-01 M22): « remplacer mon téléphone par l'adresse … » kept both
    found = read_follow_up("Je souhaite seulement modifier mes coordonnées : remplacer mon téléphone par l'adresse "
                           "lucie.lamarche@example.org. Est-ce possible ici ?", recorded=True)
    assert (found.remove, found.email, found.phone) == ("phone", "lucie.lamarche@example.org", None)


@pytest.mark.parametrize("text", [
    # members' round 21 (m21-D-03 M3): a new complaint was started
    "Si je suis mécontente !! Bon attendez, j'ai fait une capture d'écran... voilà : REC-2026-9SFD3P",
    "REC-2026-9SFD3P",
])
def test_a_reference_typed_is_that_complaint_s_status(text):
    assert read_follow_up(text).kind == "status"


@pytest.mark.parametrize("text, other", [
    ("et la ma reclam elle en est ou?", False),  # members' round 22 (m22-D-02 M13)
    ("ou en est mon dossier", False),
    ("et la réclamation de ma femme, elle en est où ?", True),
    ("ma réclamation d'octobre, ça en est où ?", True),
])
def test_the_status_asked_of_this_conversation_s_complaint_or_another(text, other):
    from recours.follow_ups import STATUS, about_another_complaint

    assert read_follow_up(text, recorded=True).kind == STATUS
    assert about_another_complaint(text) is other
