"""CPAM path: appeal deadline (CPC 641/642, Saturday included), facts file and French texts (rules.md §6)."""

from datetime import date

import pytest
import yaml

from recours import cpam

from recours.cpam import (
    CPAM_FILE,
    appeal_deadline,
    appeal_fr,
    complaint_channels_fr,
    cpam_facts,
    cpam_path_fr,
    mediator_fr,
    suspension_fr,
)
from recours.mediators import mediator_registry
from recours.organisations import DataFileError, read_yaml


@pytest.mark.parametrize("medical", [False, True])
@pytest.mark.parametrize(
    ("notified", "department", "expected"),
    [
        (date(2026, 9, 30), None, date(2026, 11, 30)),  # Mon 30 Nov
        (date(2026, 9, 21), None, date(2026, 11, 23)),  # Sat 21 Nov -> Mon 23 (CPC 642 names Saturday)
        (date(2026, 3, 1), None, date(2026, 5, 4)),  # Fri 1 May -> Sat, Sun -> Mon 4
        (date(2026, 5, 14), None, date(2026, 7, 15)),  # Tue 14 July -> Wed 15
        (date(2026, 12, 31), None, date(2027, 3, 1)),  # 28 Feb 2027 (31st, non-leap) Sunday -> Mon 1 Mar
        (date(2027, 12, 31), None, date(2028, 2, 29)),  # leap year: Tue 29 Feb 2028
        (date(2026, 8, 31), None, date(2026, 11, 2)),  # Sat 31 Oct, Sun 1 Nov (holiday) -> Mon 2 Nov
        (date(2027, 1, 29), None, date(2027, 3, 30)),  # Easter Monday 29 Mar 2027 -> Tue 30
        (date(2027, 3, 6), None, date(2027, 5, 7)),  # Ascension Thu 6 May 2027 -> Fri 7
        (date(2026, 10, 25), None, date(2026, 12, 28)),  # Fri 25 Dec -> Sat, Sun -> Mon 28
        (date(2027, 1, 26), None, date(2027, 3, 26)),  # Good Friday 2027: open nationally
        (date(2027, 1, 26), "57", date(2027, 3, 30)),  # Moselle: Good Friday, Sat, Sun, Easter Monday -> Tue
    ],
)
def test_appeal_deadline(notified, department, expected, medical):
    assert appeal_deadline(notified, medical, department) == expected


def test_cpam_facts():
    facts = cpam_facts()
    assert facts.mediator_id == "cpam_mediateur" and facts.mediator_id in mediator_registry()
    assert any("36 46" in channel for channel in facts.channels_fr)
    assert any("compte ameli" in channel for channel in facts.channels_fr)
    assert (facts.cra.delay_months, facts.cmra.delay_months, facts.court_delay_months) == (2, 2, 2)
    assert facts.court_name_fr == "pôle social du tribunal judiciaire"
    assert set(facts.sources) == {"complaint", "mediator", "appeals", "suspension", "not_reimbursed"}
    assert {p.key for p in facts.not_reimbursed} >= {"chiropraxie", "osteopathie"}
    assert all(source.source and source.as_of for source in facts.sources.values())


def test_complaint_channels_fr():
    text = complaint_channels_fr()
    for fragment in ("compte ameli", "36 46", "courrier", "accueil"):
        assert fragment in text


def test_mediator_fr():
    text = mediator_fr()
    for fragment in ("médiateur de votre CPAM", "conciliateur", "version web uniquement", "courrier",
                     "C2S", "AME", "sans réclamation préalable", "médecin traitant",
                     "organisation coordonnée territoriale", "pas de pouvoir de décision"):
        assert fragment in text


@pytest.mark.parametrize(
    ("notified", "medical", "today", "present", "absent"),
    [
        (date(2026, 9, 30), False, date(2026, 11, 21),
         ["Commission de recours amiable (CRA)", "au plus tard le lundi 30 novembre 2026", "pôle social"],
         ["a pris fin"]),
        (date(2026, 9, 30), True, date(2026, 11, 21),
         ["Commission médicale de recours amiable (CMRA)", "recommandée", "lundi 30 novembre 2026"], []),
        (date(2026, 9, 30), False, date(2026, 12, 1),
         ["a pris fin le lundi 30 novembre 2026", "opposable"], ["au plus tard"]),
        # Last day itself is still in time.
        (date(2026, 9, 30), False, date(2026, 11, 30), ["au plus tard le lundi 30 novembre 2026"], ["a pris fin"]),
        (None, None, date(2026, 11, 21), ["CRA", "CMRA", "2 mois"], ["au plus tard"]),
    ],
)
def test_appeal_fr(notified, medical, today, present, absent):
    text = appeal_fr(notified, medical, today)
    for fragment in present:
        assert fragment in text
    for fragment in absent:
        assert fragment not in text


def test_suspension_fr_says_to_file_in_time():
    text = suspension_fr()
    assert "recevable" in text and "dans le délai" in text
    assert "lundi 30 novembre 2026" in suspension_fr(date(2026, 9, 30), False, date(2026, 11, 1))
    assert "date limite" not in suspension_fr(date(2026, 9, 30), False, date(2026, 12, 1))


def test_cpam_path_fr_has_the_four_steps():
    paragraphs = cpam_path_fr(date(2026, 9, 30), False, date(2026, 11, 21)).split("\n\n")
    assert len(paragraphs) == 4


def test_a_broken_cpam_file_fails(tmp_path):
    data = read_yaml(CPAM_FILE)
    del data["appeals"]["cra"]["delay_months"]
    path = tmp_path / "cpam.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError):
        cpam_facts(path)


# -- issue 12 item 1: CMRA silence 4 months (6 with both commissions), court dates, the notification's address --


def test_silence_counts_as_rejection_after_2_months_cra_4_cmra_6_both():
    from recours.cpam import silence_months

    assert silence_months(medical=False) == 2
    assert silence_months(medical=True) == 4
    assert silence_months(medical=True, both_commissions=True) == 6


def test_cmra_articles_cited_in_the_data_file():
    facts = cpam_facts()
    assert "R142-8" in facts.cmra.articles and "R142-8-5" in facts.cmra.articles
    assert "R142-9-1" in facts.cmra.articles
    assert "R142-6" in facts.cra.articles


def test_worked_example_cmra_notified_2_november_2026():
    """facts.md §8: notification 2 Nov 2026 -> appeal by Mon 4 Jan 2027; silence after 4 months = rejection."""
    from recours.cpam import court_window

    assert appeal_deadline(date(2026, 11, 2), medical=True) == date(2027, 1, 4)
    # received on 4 Jan 2027: rejected at the end of Tue 4 May 2027, court from Wed 5 May; 2 months later is
    # Sun 4 July -> Mon 5 July 2027.
    assert court_window(date(2027, 1, 4), medical=True) == (date(2027, 5, 5), date(2027, 7, 5))
    # both commissions: 6 months -> rejected Sun 4 Jul 2027, court from Mon 5 Jul; Sat 4 Sep -> Mon 6 Sep 2027
    assert court_window(date(2027, 1, 4), medical=True, both_commissions=True) == (date(2027, 7, 5), date(2027, 9, 6))
    # CRA: 2 months -> rejected Thu 4 Mar 2027, court from Fri 5 Mar until Tue 4 May 2027
    assert court_window(date(2027, 1, 4), medical=False) == (date(2027, 3, 5), date(2027, 5, 4))


def test_cmra_text_tells_4_months_the_notification_address_and_the_court_dates():
    text = appeal_fr(date(2026, 11, 2), True, date(2026, 11, 21))
    assert "au plus tard le lundi 4 janvier 2027" in text
    assert "4 mois" in text and "6 mois" in text
    assert "adresse indiquée sur la notification" in text
    assert "adressée à votre CPAM" not in text
    assert "pôle social du tribunal judiciaire à partir du mercredi 5 mai 2027" in text
    assert "au plus tard le lundi 5 juillet 2027" in text


def test_cra_text_keeps_2_months_of_silence():
    text = appeal_fr(date(2026, 10, 3), False, date(2026, 11, 21))
    assert "ne répond pas dans les 2 mois" in text
    assert "4 mois" not in text


def test_other_decisions_deadlines_asked_after_a_first_one():
    # members' round 11: « et les 2 autres, remboursées le 14 octobre et le 20 novembre, je suis encore dans les temps ? »
    from recours.cpam import more_appeal_deadlines, more_appeal_deadlines_fr

    today = date(2026, 12, 1)
    found = more_appeal_deadlines("et les 2 autres consultations, remboursées le 14 octobre et le 20 novembre, je suis "
                                  "encore dans les temps ?", False, today)
    assert found == [(date(2026, 10, 14), date(2026, 12, 14)), (date(2026, 11, 20), date(2027, 1, 20))]
    said = more_appeal_deadlines_fr(found, today)
    assert "au plus tard le lundi 14 décembre 2026" in said and "au plus tard le mercredi 20 janvier 2027" in said
    assert more_appeal_deadlines("merci beaucoup", False, today) == []
    assert more_appeal_deadlines_fr([], today) is None


def test_a_decisions_effect_date_is_not_a_second_notification():
    # members' round 21 (m21-C-05 M6): « j'ai recu un 2eme courrier de la cpam le 28 novembre, le medecin conseil dit
    # que mon arret de travail est plus justifié a partir du 1er decembre » was given two deadlines, both at the CRA
    from recours.cpam import other_decision, without_effect_dates

    text = ("et j'ai un autre probleme : j'ai recu un 2eme courrier de la cpam le 28 novembre, le medecin conseil dit "
            "que mon arret de travail est plus justifié a partir du 1er decembre. je peux contester ça aussi ? c'est le "
            "meme délai ?")
    other = other_decision(text, date(2026, 12, 1), date(2026, 11, 16))
    assert other is not None and other.notified == date(2026, 11, 28) and other.medical is True
    assert "1er decembre" not in without_effect_dates(text)
    assert without_effect_dates("arrêt injustifié à partir du 1er décembre") == "arrêt injustifié à partir du 1er décembre"


def test_the_questions_after_an_appeals_deadline_are_answered():
    # members' round 16 (m16-B-04 M9): « Je vous ai donné cette information plus haut » twice
    from recours.cpam import appeal_follow_up_fr
    from recours.qualification import normalise_text

    said = appeal_follow_up_fr(normalise_text("Je n'ai pas d'ordinateur : une lettre recommandée suffit-elle ? Et une "
                                              "fois la Sécurité sociale d'accord, ma mutuelle paiera-t-elle le reste "
                                              "des taxis ?"), "CPMS")
    assert "un courrier suffit" in said and "CPMS complète selon les garanties de votre contrat" in said
    assert appeal_follow_up_fr(normalise_text("merci beaucoup"), "CPMS") is None


# members' round 20 (m20-C-04): another CPAM decision told after a first one's deadline
@pytest.mark.parametrize("text, notified, medical", [
    ("D'accord. Par ailleurs le montant des IJ d'octobre est faux aussi, ils ont oublié mes primes dans le calcul. "
     "La notification de paiement date du 5 novembre. Ça c'est la CRA ?", date(2026, 11, 5), False),
    ("Non, c'est une AUTRE décision : administrative, le calcul des IJ, notifiée le 5 novembre 2026.",
     date(2026, 11, 5), False),
    ("j'ai aussi reçu un courrier du médecin conseil le 12/11", date(2026, 11, 12), True),
    ("et une autre décision le 10 novembre", date(2026, 11, 10), None),
])
def test_another_decision_after_a_deadline(text, notified, medical):
    assert cpam.other_decision(text, date(2026, 12, 3), date(2026, 10, 24)) == cpam.OtherDecision(notified, medical)


@pytest.mark.parametrize("text", [
    "merci beaucoup, au revoir",
    "LE 24/10 je l'ai déjà dit",  # the same decision
    "la notification est du 24 octobre, pas du 5 novembre",  # the date set aside is not a decision
    "j'ai aussi écrit à ma mutuelle le 5 novembre",  # the insurer's matter
    "et les 2 autres décisions, du 14 octobre et du 20 novembre ?",  # several: each one's deadline elsewhere
])
def test_no_other_decision(text):
    assert cpam.other_decision(text, date(2026, 12, 3), date(2026, 10, 24)) is None


def test_the_letter_s_date_told_before_the_questions():
    # members' round 20 (m20-A-04 M1): asked again
    told = ["slt, le medecin conseil de la cpam a arreter mon arret maladie du jour au lendemain alors que jpeux pas "
            "bosser, courrier recu le 24/11. ET ma carte vitale jlai tjrs pas depuis aout",
            "oui jveux contester le medecin conseil, c medical evidemment"]
    assert cpam.notification_date_told(told, date(2026, 12, 3)) == date(2026, 11, 24)
    assert cpam.notification_date_told(["la cpam m'a refusé mes IJ depuis septembre"], date(2026, 12, 3)) is None
    # a day not yet come this year is last year's
    assert cpam.notification_date_told(["courrier reçu le 24/12"], date(2026, 12, 3)) == date(2025, 12, 24)


def test_the_letter_s_receipt_is_its_notification_not_another_decision():
    # members' round 23 (m23-B-04 M1, M2, M6): the receipt taken for a second decision, the deadline counted from the
    # printed date
    from recours.cpam import letter_dates, notification_date_told, other_decision, receipt_of_the_same_letter

    today = date(2026, 12, 6)
    said = "Mais la lettre est datée du 20 novembre et je l'ai reçue seulement le 24 novembre. C'est quelle date qui compte ?"
    assert letter_dates(said, today).notified == date(2026, 11, 24)
    assert receipt_of_the_same_letter(said, today, date(2026, 11, 20)) == date(2026, 11, 24)
    assert other_decision(said, today, date(2026, 11, 20)) is None
    assert receipt_of_the_same_letter("j'ai aussi reçu une autre lettre le 30 novembre pour mes IJ", today,
                                      date(2026, 11, 20)) is None
    opening = ["Vous m'avez refusé ma pension d'invalidité, j'ai reçu la lettre le 24 novembre.",
               "en haut il y a écrit Assurance Maladie, CPAM du Rhône. Elle est datée du 20 novembre."]
    assert notification_date_told(opening, today) == date(2026, 11, 24)


def test_two_decisions_told_at_once_each_with_its_commission():
    # members' round 23 (m23-D-03 M1-M3): only the first decision's deadline given, then both under the CMRA
    from recours.cpam import decision_kind_near, more_appeal_deadlines, more_appeal_deadlines_fr, tells_several_decisions

    today = date(2026, 12, 6)
    told = ("Bonsoir, j'ai deux problèmes avec la CPAM pour mes indemnités journalières. Le 2 novembre ils m'ont notifié "
            "un refus d'IJ pour raison médicale (le médecin conseil dit que mon arrêt n'est pas justifié), et le 10 "
            "novembre j'ai reçu un autre courrier avec un montant d'IJ faux, ils ont pris un mauvais salaire. Je veux "
            "contester les deux, j'ai jusqu'à quand ?")
    assert tells_several_decisions(told)
    others = more_appeal_deadlines(told, True, today, notified=[date(2026, 11, 2)], deadlines=[date(2027, 1, 4)])
    assert others == [(date(2026, 11, 10), date(2027, 1, 11))]
    kinds = {day: decision_kind_near(told, day, today, True) for day, _ in others}
    assert kinds == {date(2026, 11, 10): False}
    assert "• CRA, décision notifiée le mardi 10 novembre 2026 : au plus tard le lundi 11 janvier 2027" in \
        more_appeal_deadlines_fr(others, today, kinds)
