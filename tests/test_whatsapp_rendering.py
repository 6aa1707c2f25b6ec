"""Rendering Rasa responses for WhatsApp (addons/whatsapp/rendering.py, labels.py, text.py): pure functions."""

from __future__ import annotations

import json

import pytest

from addons import whatsapp as wa
from tests.graph_stub import message_problems
from tests.cases import cases

NUMBER = "33612345678"


@pytest.mark.parametrize("label, limit, expected", cases(__file__, "labels_are_shortened_readably"))
def test_labels_are_shortened_readably(label, limit, expected):
    assert wa.shorten_label(label, limit) == expected
    assert len(wa.shorten_label(label, limit)) <= limit


def test_shortened_labels_stay_unique():
    labels = ["Contester une décision de la CPAM", "Contester une décision de la mutuelle", "Oui", "oui"]
    titles = wa.shorten_labels(labels, 20)
    assert all(len(t) <= 20 for t in titles)
    assert len({t.casefold() for t in titles}) == 4
    assert titles[0].endswith("CPAM") and titles[1].endswith("mutuelle")


def test_masked_identifiers_are_not_taken_for_bold():
    text = wa.whatsapp_text("NIR : 2 84 ** ** *** *** 15 ; e-mail : m***@exemple.fr ; tél. 06 ** ** ** 78")
    assert "*" not in text
    assert "2 84 ∗∗ ∗∗ ∗∗∗ ∗∗∗ 15" in text and "m∗∗∗@exemple.fr" in text


def test_a_long_question_with_buttons_sends_the_text_first_and_a_short_interactive_body():
    recap = "Voici le récapitulatif :\n" + "\n".join(f"• Élément {i} : " + "détail " * 20 for i in range(10))
    rendered = wa.render(recap + "\n\nConfirmez-vous l'enregistrement ?", [
        {"title": "Confirmer", "payload": "/affirm"},
        {"title": "Corriger un élément", "payload": "/correct"},
        {"title": "Annuler", "payload": "/stop"},
    ])
    *texts, interactive = rendered.messages
    assert texts and all(m["type"] == "text" for m in texts)
    assert interactive["interactive"]["body"]["text"].endswith("Confirmez-vous l'enregistrement ?")
    for message in rendered.messages:
        assert message_problems({"messaging_product": "whatsapp", "to": NUMBER, **message}) == []


def test_buttons_with_payloads_too_long_for_ids_become_a_numbered_menu():
    long_payload = "/inform" + json.dumps({"text": "x" * 300})
    rendered = wa.render("Choisissez", [{"title": "A", "payload": long_payload}, {"title": "B", "payload": "/b"}])
    assert rendered.menu == [long_payload, "/b"]
    assert rendered.messages[0]["type"] == "text" and "1. A" in rendered.messages[0]["text"]["body"]


def test_link_buttons_are_written_in_the_text():
    rendered = wa.render("Le formulaire :", [{"title": "Ouvrir", "url": "https://exemple.fr/form"}])
    assert rendered.messages == [{"type": "text", "text": {"body": "Le formulaire :\nOuvrir (https://exemple.fr/form)",
                                                           "preview_url": False}}]


@pytest.mark.parametrize("size", [1, 3, 4, 10, 11])
def test_every_button_count_renders_within_the_limits(size):
    buttons = [{"title": f"Un choix assez long numéro {i}", "payload": f"/p{i}"} for i in range(size)]
    rendered = wa.render("Question ?", buttons)
    for message in rendered.messages:
        assert message_problems({"messaging_product": "whatsapp", "to": NUMBER, **message}) == []
    kinds = [m.get("interactive", {}).get("type", m["type"]) for m in rendered.messages]
    assert kinds == [{1: "button", 3: "button", 4: "list", 10: "list", 11: "text"}[size]]


def test_split_text_prefers_sentences_when_there_is_no_paragraph():
    text = " ".join(f"Phrase numéro {i} qui se termine ici." for i in range(400))
    pieces = wa.split_text(text, 4096)
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert all(p.endswith("ici.") for p in pieces)


def test_split_text_without_any_space_still_fits():
    pieces = wa.split_text("x" * 9000, 4096)
    assert [len(p) for p in pieces] == [4096, 4096, 808]
