"""Issue 12: dates and mediators right in the hard cases, typed as members type them, over REST.

RECOURS_TODAY is fixed to Saturday 21 November 2026 (tests/e2e/conftest.py); expected dates are written by hand
(the worked examples of shared/domain/facts.md §8 are in the unit tests, shifted here to fit that today).
"""

from __future__ import annotations

import pytest

from tests.e2e.harness import EMAIL, NIR, Conversation, buttons

pytestmark = pytest.mark.e2e


# -- item 1: CMRA -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("organisation", ["cpms", "klesia"], indirect=True)
def test_cmra_appeal_four_months_of_silence_then_the_court(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say("Je veux contester une décision de la CPAM sur mon taux d'invalidité")
    text = conversation.say_text("le 2 novembre")
    if "médical" in text and "Médicale" in " ".join(buttons(conversation.transcript[-1][1])):
        text = conversation.say_text("médicale")
    assert "Commission médicale de recours amiable" in text, conversation.dump()
    assert "au plus tard le lundi 4 janvier 2027" in text  # 2 January 2027 is a Saturday
    assert "4 mois" in text and "6 mois" in text
    assert "adresse indiquée sur la notification" in text and "adressée à votre CPAM" not in text
    assert "pôle social du tribunal judiciaire à partir du mercredi 5 mai 2027" in text
    assert conversation.slots()["cpam_appeal_until"] == "2027-01-04"


# -- helpers: answer whatever is asked, as a member would type it ---------------------------------------------


def answer_until(conversation: Conversation, first: str, answers: list[tuple[str, str]], done: str,
                 max_turns: int = 20) -> str:
    """Say ``first``, then answer each question by the first cue of ``answers`` found in the last reply, until
    ``done`` appears in what the member reads; returns everything read since ``first``."""
    read: list[str] = []
    replies = conversation.say(first)
    for _ in range(max_turns):
        text = "\n".join(r.get("text", "") for r in replies)
        read.append(text)
        if done in text:
            return "\n".join(read)
        question = (replies[-1].get("text") or "") if replies else ""
        for cue, typed in answers:
            if cue in question:
                replies = conversation.say(typed)
                break
        else:
            raise AssertionError(f"no answer for: {question!r}\n{conversation.dump()}")
    raise AssertionError(f"{done!r} never came\n{conversation.dump()}")


def complaint_answers(written: str, postal: str) -> list[tuple[str, str]]:
    return [
        ("Acceptez-vous", "Oui"),
        ("récapitulatif", "Confirmer"),
        ("nom et votre prénom", "Marie Martin"),
        ("déjà envoyé une réclamation écrite", written),
        ("sécurité sociale", NIR),
        ("numéro d'adhérent", "AB123456"),
        ("adresse e-mail", EMAIL),
        ("souscrit", "Contrat individuel"),
        ("motif", "remboursement"),
        ("décision", "Aucune"),
        ("code postal", postal),
        ("déjà envoyé une réclamation écrite", written),  # its question names « e-mail » too: before the contact
        ("Réclamation écrite déjà envoyée", written),
        ("quelle date", "le 26 octobre"),
        ("réponse écrite", "Non"),
        ("justice", "Non"),
    ]


GRIEVANCE = "Ma mutuelle refuse de me rembourser mes lunettes alors que mon contrat les couvre, c'est inadmissible."

# -- items 2 and 5: an earlier letter starts the clocks; the postal code brings the local holidays -------------


@pytest.mark.parametrize(
    ("organisation", "postal", "answer_by", "opening", "code"),
    [
        ("cpms", "passer", "samedi 26 décembre 2026", "dimanche 27 décembre 2026", None),
        ("cpms", "67000", "lundi 28 décembre 2026", "mardi 29 décembre 2026", "67000"),
        ("identites_mutuelle", "je ne sais pas", "samedi 26 décembre 2026", "dimanche 27 décembre 2026", None),
        ("klesia", "3 rue des Lilas 68100 Mulhouse", "lundi 28 décembre 2026", "mardi 29 décembre 2026", "68100"),
    ],
    indirect=["organisation"],
)
def test_earlier_letter_starts_the_clocks_with_local_holidays(assistant, organisation, postal, answer_by, opening,
                                                              code, store):
    conversation = Conversation(assistant)
    read = answer_until(conversation, GRIEVANCE, complaint_answers("Oui, le 26 octobre", postal), "REC-")
    assert "code postal" in read  # asked: 26 December is a holiday in Alsace-Moselle only
    assert "relance de votre réclamation écrite du lundi 26 octobre 2026" in read, conversation.dump()
    assert f"vous répondre au plus tard le {answer_by}" in read
    assert "21 janvier 2027" not in read  # never counted from today's record
    assert f"à partir du {opening}" in read  # the mediation window agrees with the answer date
    slots = conversation.slots()
    assert slots["postal_code"] == code
    assert slots["first_complaint_date"] == "2026-10-26"
    row = store.get_complaint(slots["complaint_reference"])
    assert row.sent_on.isoformat() == "2026-11-21" and row.first_complaint_date.isoformat() == "2026-10-26"
    assert row.answer_by.isoformat() == ("2026-12-28" if code else "2026-12-26")


# -- item 3: one rule for the day mediation opens --------------------------------------------------------------

MEDIATION_ANSWERS = [
    ("quelle date", "le 31 octobre"),  # before « réclamation écrite »: the date question names it too
    ("réclamation écrite", "Oui"),
    ("réponse écrite", "Non"),
    ("justice", "Non"),
    ("autre médiateur", "Non"),
    ("le travail de", "Le contrat"),
    ("Quel type d'organisme", "une mutuelle"),
]


@pytest.mark.parametrize("organisation", ["cpms", "identites_mutuelle", "klesia"], indirect=True)
def test_mediation_opens_the_day_after_the_answer_deadline(assistant, organisation):
    conversation = Conversation(assistant)
    read = answer_until(conversation, "Toujours pas de réponse à ma réclamation, puis-je saisir le médiateur ?",
                        MEDIATION_ANSWERS, "au plus tard le dimanche 31 octobre 2027")
    assert "répondre à votre réclamation au plus tard le jeudi 31 décembre 2026" in read, conversation.dump()
    assert "à partir du vendredi 1er janvier 2027" in read
    assert conversation.slots()["mediator_from"] == "2027-01-01"


# -- item 4: the mediator's charter decides (KLESIA -> CTIP) ---------------------------------------------------


@pytest.mark.parametrize("organisation", ["klesia"], indirect=True)
def test_klesia_member_may_go_to_the_ctip_as_soon_as_the_answer_disappoints(assistant, organisation):
    conversation = Conversation(assistant)
    answers = [("quelle date", "le 3 novembre"), ("réclamation écrite", "Oui"), ("réponse écrite", "Oui"),
               ("satisfait", "Non"), ("justice", "Non"), ("autre médiateur", "Non")]
    read = answer_until(conversation, "KLESIA m'a répondu mais sa réponse ne me convient pas, que faire ?", answers,
                        "10, rue Cambacérès")
    assert "dès maintenant" in read, conversation.dump()
    assert "peut être saisi dès qu'une réponse écrite de KLESIA ne vous satisfait pas" in read
    assert "KLESIA indique de son côté" in read and "deux mois après l'envoi" in read
    slots = conversation.slots()
    assert slots["mediator"] == "ctip" and slots["mediator_from"] == "2026-11-21"


# -- item 6: the broker's own conduct ---------------------------------------------------------------------------


def broker_answers(conduct: str) -> list[tuple[str, str]]:
    """A first letter of 3 September, unanswered, no court action, no other mediator; ``conduct`` answers « le
    contrat ou le travail de CPMS ? »."""
    return [("quelle date", "le 3 septembre"), ("réclamation écrite", "Oui"), ("réponse écrite", "Non"),
            ("justice", "Non"), ("autre médiateur", "Non"), ("le travail de", conduct)]


@pytest.mark.parametrize("organisation", ["cpms"], indirect=True)
def test_cpms_lost_file_goes_to_cpms_own_mediator(assistant, organisation):
    conversation = Conversation(assistant)
    read = answer_until(conversation, "CPMS a perdu mon dossier, puis-je saisir le médiateur ?",
                        broker_answers("Le travail du courtier"), "intermédiaire d'assurance")
    assert "travail de CPMS lui-même" in read, conversation.dump()
    assert "Quel type d'organisme" not in read  # not the risk carrier's mediator
    slots = conversation.slots()
    assert slots["mediation_status"] == "broker_conduct" and slots["mediator"] is None
    assert slots["dispute_subject"] == "broker" and slots["mediator_until"] == "2027-09-03"


@pytest.mark.parametrize("organisation", ["cpms"], indirect=True)
def test_cpms_member_says_the_dispute_is_about_cpms_work(assistant, organisation):
    conversation = Conversation(assistant)
    read = answer_until(conversation, "Puis-je saisir le médiateur ?", broker_answers("ils m'ont mal conseillé"),
                        "intermédiaire d'assurance")
    assert "Quel type d'organisme" not in read, conversation.dump()


# -- item 7: too late is not a dead end -------------------------------------------------------------------------


@pytest.mark.parametrize("organisation", ["cpms", "identites_mutuelle", "klesia"], indirect=True)
def test_too_late_says_what_remains(assistant, organisation):
    conversation = Conversation(assistant)
    conversation.say("Puis-je saisir le médiateur ?")
    conversation.say("Oui")
    text = conversation.say_text("le 2 octobre 2025")
    assert "ne peut donc plus" in text and "a pris fin le vendredi 2 octobre 2026" in text, conversation.dump()
    assert "nouvelle réclamation écrite" in text and "conciliateur de justice" in text and "prescription" in text
    slots = conversation.slots()
    assert slots["mediation_status"] == "too_late" and slots["mediator_until"] == "2026-10-02"
    assert slots["mediator"] is None and slots["mediator_from"] is None
