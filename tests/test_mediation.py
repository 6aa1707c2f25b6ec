"""Mediation eligibility: questions needed, status, earliest and last dates (rules.md §5).

Dates by hand: a complaint sent Wed 18 Nov 2026 is due an answer by Mon 18 Jan 2027 (+2 months), so mediation
without answer opens on Tue 19 Jan 2027 (the day after, issue 12 item 3) and closes on Thu 18 Nov 2027 (+1 year,
not moved).
"""

from datetime import date

import pytest

from recours.mediation import (
    MediationFacts,
    assess_mediation,
    missing_facts,
    referral_letter_fr,
)
from recours.mediators import get_mediator
from recours.organisations import load_organisation

SENT = date(2026, 11, 18)


def facts(answer=False, satisfied=None, sent=SENT, carrier="societe_assurance", dispute="contract", **overrides):
    values = dict(
        dispute_subject=dispute,
        written_complaint_sent=True,
        first_complaint_date=sent,
        answer_received=answer,
        satisfied=satisfied,
        court_action=False,
        other_mediator=False,
        carrier_type=carrier,
    )
    values.update(overrides)
    return MediationFacts(**values)


# --- which questions remain --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("key", "given", "today", "expected"),
    [
        ("cpms", MediationFacts(), None, ["written_complaint_sent"]),
        # No written complaint: nothing else to ask (no date question).
        ("cpms", MediationFacts(written_complaint_sent=False), None, []),
        ("cpms", MediationFacts(written_complaint_sent=True), None,
         ["first_complaint_date", "answer_received", "court_action", "other_mediator", "dispute_subject",
          "carrier_type"]),
        ("klesia", MediationFacts(written_complaint_sent=True), None,
         ["first_complaint_date", "answer_received", "court_action", "other_mediator"]),
        # No answer came: no "satisfied" question.
        ("identites_mutuelle", MediationFacts(True, SENT, False), None, ["court_action", "other_mediator"]),
        # An answer came: ask whether it satisfies.
        ("identites_mutuelle", MediationFacts(True, SENT, True), None, ["satisfied", "court_action", "other_mediator"]),
        # Satisfied: nothing to escalate, stop asking.
        ("identites_mutuelle", MediationFacts(True, SENT, True, True), None, []),
        # A court action settles it whatever else is unknown.
        ("cpms", MediationFacts(court_action=True), None, []),
        ("cpms", MediationFacts(written_complaint_sent=True, other_mediator=True), None, []),
        # More than a year: too late whatever the rest; without today we cannot know yet.
        ("cpms", MediationFacts(True, date(2025, 1, 10)), date(2026, 11, 21), []),
        ("cpms", MediationFacts(True, date(2025, 1, 10)), None,
         ["answer_received", "court_action", "other_mediator", "dispute_subject", "carrier_type"]),
        ("cpms", facts(carrier=None), date(2026, 12, 1), ["carrier_type"]),
        ("cpms", facts(), date(2026, 12, 1), []),
    ],
)
def test_missing_facts(key, given, today, expected):
    assert missing_facts(given, load_organisation(key), today) == expected


# --- the conclusion ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("key", "given", "today", "status", "earliest", "latest", "mediator_id"),
    [
        # No answer yet, before the answer deadline has passed: possible from the day after it.
        ("cpms", facts(), date(2026, 12, 1), "possible_from", date(2027, 1, 19), date(2027, 11, 18),
         "mediation_assurance"),
        ("cpms", facts(), date(2027, 1, 17), "possible_from", date(2027, 1, 19), date(2027, 11, 18),
         "mediation_assurance"),
        # Exactly 2 months is the answer deadline itself: the organisation may still answer that day.
        ("cpms", facts(), date(2027, 1, 18), "possible_from", date(2027, 1, 19), date(2027, 11, 18),
         "mediation_assurance"),
        ("cpms", facts(), date(2027, 1, 19), "possible_now", date(2027, 1, 19), date(2027, 11, 18),
         "mediation_assurance"),
        # Unsatisfactory answer, immediate policy: now, without waiting 60 days (S0).
        ("cpms", facts(answer=True, satisfied=False, carrier="institution_prevoyance"), date(2026, 12, 1),
         "possible_now", date(2026, 12, 1), date(2027, 11, 18), "ctip"),
        ("identites_mutuelle", facts(answer=True, satisfied=False), date(2026, 12, 1), "possible_now",
         date(2026, 12, 1), date(2027, 11, 18), "mcd_cnpm"),
        # KLESIA's page says two months after sending even after an answer (S4), but the CTIP's charter decides:
        # an unsatisfactory written answer is enough (issue 12 item 4).
        ("klesia", facts(answer=True, satisfied=False), date(2026, 12, 1), "possible_now", date(2026, 12, 1),
         date(2027, 11, 18), "ctip"),
        ("klesia", facts(answer=True, satisfied=False), date(2027, 1, 19), "possible_now", date(2027, 1, 19),
         date(2027, 11, 18), "ctip"),
        # Exactly one year: still possible; the day after: too late.
        ("identites_mutuelle", facts(), date(2027, 11, 18), "possible_now", date(2027, 11, 18),
         date(2027, 11, 18), "mcd_cnpm"),
        ("identites_mutuelle", facts(), date(2027, 11, 19), "too_late", None, date(2027, 11, 18), None),
        # The last day is a Sunday (Sun 21 Nov 2027) and is not moved to Monday.
        ("klesia", facts(sent=date(2026, 11, 21)), date(2027, 11, 21), "possible_now", date(2027, 11, 21),
         date(2027, 11, 21), "ctip"),
        ("klesia", facts(sent=date(2026, 11, 21)), date(2027, 11, 22), "too_late", None, date(2027, 11, 21), None),
        # 29 February: +1 year is 28 February 2029; answer due Sat 29 April 2028 (not moved), opening Sun 30.
        ("klesia", facts(sent=date(2028, 2, 29)), date(2028, 3, 15), "possible_from", date(2028, 4, 30),
         date(2029, 2, 28), "ctip"),
        ("klesia", facts(sent=date(2028, 2, 29)), date(2029, 2, 28), "possible_now", date(2029, 2, 28),
         date(2029, 2, 28), "ctip"),
        ("klesia", facts(sent=date(2028, 2, 29)), date(2029, 3, 1), "too_late", None, date(2029, 2, 28), None),
        # Sent on the 31st: the answer is due 29 Feb in a leap target year (opening 1 Mar), 28 Feb otherwise.
        ("klesia", facts(sent=date(2027, 12, 31)), date(2028, 1, 15), "possible_from", date(2028, 3, 1),
         date(2028, 12, 31), "ctip"),
        # facts.md §8 worked example: Thu 31 Dec 2026 -> answer due Mon 1 Mar 2027 (28 Feb is a Sunday) ->
        # mediation from Tue 2 Mar 2027 (not Sunday 28 February), until Fri 31 Dec 2027.
        ("klesia", facts(sent=date(2026, 12, 31)), date(2027, 1, 10), "possible_from", date(2027, 3, 2),
         date(2027, 12, 31), "ctip"),
        ("klesia", facts(sent=date(2026, 12, 31)), date(2027, 3, 1), "possible_from", date(2027, 3, 2),
         date(2027, 12, 31), "ctip"),
        ("klesia", facts(sent=date(2026, 12, 31)), date(2027, 3, 2), "possible_now", date(2027, 3, 2),
         date(2027, 12, 31), "ctip"),
        # Year boundary, unsatisfactory answer right after New Year.
        ("cpms", facts(sent=date(2026, 12, 31), answer=True, satisfied=False), date(2027, 1, 5), "possible_now",
         date(2027, 1, 5), date(2027, 12, 31), "mediation_assurance"),
        # Blocking facts.
        ("cpms", MediationFacts(written_complaint_sent=False), date(2026, 12, 1), "written_complaint_first", None,
         None, None),
        ("cpms", facts(court_action=True), date(2027, 2, 1), "court_action", None, date(2027, 11, 18), None),
        ("cpms", facts(other_mediator=True), date(2027, 2, 1), "other_mediator", None, date(2027, 11, 18), None),
        ("cpms", facts(answer=True, satisfied=True), date(2027, 2, 1), "satisfied", None, date(2027, 11, 18), None),
        # Not enough facts yet.
        ("cpms", MediationFacts(written_complaint_sent=True), date(2026, 12, 1), None, None, None, None),
    ],
)
def test_assess_mediation(key, given, today, status, earliest, latest, mediator_id):
    assessment = assess_mediation(given, load_organisation(key), today)
    assert assessment.status == status
    assert assessment.earliest == earliest
    assert assessment.latest == latest
    assert (assessment.mediator.id if assessment.mediator else None) == mediator_id


def test_broker_without_carrier_type_still_gives_the_dates():
    assessment = assess_mediation(facts(carrier=None), load_organisation("cpms"), date(2026, 12, 1))
    assert assessment.status == "possible_from"
    assert assessment.missing == ("carrier_type",)
    assert assessment.mediator_choice.needs_carrier_type
    assert assessment.mediator is None


def test_invalid_carrier_type_is_refused():
    with pytest.raises(ValueError):
        assess_mediation(facts(carrier="banque"), load_organisation("cpms"), date(2026, 12, 1))


@pytest.mark.parametrize(
    ("key", "given", "expected"),
    [
        ("cpms", facts(answer=True, satisfied=False), True),  # service qualité re-examination, optional
        ("cpms", facts(), False),  # no answer: nothing to re-examine
        ("identites_mutuelle", facts(answer=True, satisfied=False), True),  # Service Réclamations
        ("klesia", facts(answer=True, satisfied=False), False),  # none published
    ],
)
def test_internal_review_mention(key, given, expected):
    assert assess_mediation(given, load_organisation(key), date(2026, 12, 1)).mention_internal_review is expected


@pytest.mark.parametrize(
    ("key", "given", "today", "fragments"),
    [
        ("cpms", facts(), date(2026, 12, 1), [
            "CPMS doit répondre à votre réclamation au plus tard le lundi 18 janvier 2027.",
            "Vous pourrez saisir le médiateur à partir du mardi 19 janvier 2027 et au plus tard le jeudi 18 novembre 2027",
            "la Médiation de l'Assurance", "gratuite",
        ]),
        ("cpms", facts(answer=True, satisfied=False), date(2026, 12, 1), [
            "dès maintenant", "jeudi 18 novembre 2027", "service qualité", "facultatif",
            "Certains assureurs",
        ]),
        ("klesia", facts(answer=True, satisfied=False), date(2026, 12, 1), [
            "dès maintenant", "Le Médiateur de la protection sociale (CTIP) peut être saisi dès qu'une réponse écrite "
            "de KLESIA ne vous satisfait pas", "KLESIA indique de son côté : « Vous avez dès lors la possibilité de "
            "faire appel au Médiateur, à compter de deux mois après l'envoi",
        ]),
        ("identites_mutuelle", facts(), date(2027, 11, 19), ["a pris fin le jeudi 18 novembre 2027"]),
        ("identites_mutuelle", MediationFacts(written_complaint_sent=False), date(2026, 12, 1),
         ["réclamation écrite auprès d'Identités Mutuelle", "téléphonique ne suffit pas"]),
        ("klesia", MediationFacts(written_complaint_sent=False), date(2026, 12, 1),
         ["si sa réponse ne vous satisfait pas", "KLESIA indique de son côté"]),
        ("cpms", facts(court_action=True), date(2026, 12, 1), ["action en justice"]),
        ("cpms", facts(other_mediator=True), date(2026, 12, 1), ["autre médiateur"]),
        ("cpms", facts(answer=True, satisfied=True), date(2026, 12, 1), ["rien à transmettre"]),
        ("cpms", MediationFacts(), date(2026, 12, 1), ["Il me manque"]),
        ("cpms", facts(carrier=None), date(2026, 12, 1), ["Quel type d'organisme assure votre contrat ?"]),
    ],
)
def test_explain_fr(key, given, today, fragments):
    text = assess_mediation(given, load_organisation(key), today).explain_fr()
    for fragment in fragments:
        assert fragment in text


def test_slot_values_follow_the_contract():
    eligible = assess_mediation(facts(), load_organisation("cpms"), date(2026, 12, 1))
    assert eligible.slot_values() == {
        "mediator": "mediation_assurance", "mediator_from": "2027-01-19", "mediator_until": "2027-11-18",
    }
    too_late = assess_mediation(facts(), load_organisation("cpms"), date(2027, 11, 19))
    # too late: mediator_until is the day that passed (CONTRACT.md, issue 12 item 7)
    assert too_late.slot_values() == {"mediator": None, "mediator_from": None, "mediator_until": "2027-11-18"}


def test_referral_letter_reads_well():
    letter = referral_letter_fr(
        member_name="Jeanne Martin",
        organisation=load_organisation("klesia"),
        mediator=get_mediator("ctip"),
        first_complaint_date=date(2026, 9, 1),
        summary="Le capital décès n'a pas été versé.",
        today=date(2026, 11, 21),
        masked_identifier="2 84 ** ** *** *** 15",
        answer_received=True,
        answer_date=date(2026, 10, 2),
        reference="REC-2026-0001",
        contract_holder="Société Dupont",
    )
    lines = letter.splitlines()
    assert lines[0] == "Jeanne Martin"
    assert "2 84 ** ** *** *** 15" in lines[1]
    assert "10, rue Cambacérès" in lines
    assert "Le samedi 21 novembre 2026" in lines
    assert "Objet : demande de médiation – litige avec KLESIA" in lines
    assert "Référence de ma réclamation : REC-2026-0001" in lines
    assert "Le mardi 1er septembre 2026, j'ai adressé une réclamation écrite à KLESIA." in lines
    assert "KLESIA m'a répondu le vendredi 2 octobre 2026 ; cette réponse ne me satisfait pas." in lines
    assert "Le capital décès n'a pas été versé." in lines
    assert "- copie de la réponse de KLESIA du vendredi 2 octobre 2026" in lines
    assert lines[-1] == "Jeanne Martin"


def test_referral_letter_names_the_number_the_member_gave():
    letter = referral_letter_fr(
        member_name="Jeanne Martin", organisation=load_organisation("cpms"), mediator=None,
        first_complaint_date=date(2026, 9, 1), summary="Dossier perdu.", today=date(2026, 11, 21),
        masked_identifier="*****370", identifier_label_fr="numéro d'adhérent", answer_received=False,
    )
    assert "Numéro d'adhérent : *****370" in letter.splitlines()
    assert "sécurité sociale" not in letter


def test_referral_letter_without_answer_nor_mediator():
    letter = referral_letter_fr(
        member_name="Paul Durand",
        organisation=load_organisation("cpms"),
        mediator=None,
        first_complaint_date=date(2026, 11, 18),
        summary="Remboursement refusé.",
        today=date(2027, 1, 20),
        carrier_name="Assureur Exemple",
        attachments=["copie de mon courrier", "décompte de remboursement"],
    )
    assert "Je n'ai reçu aucune réponse à ce jour." in letter
    assert "[Médiateur indiqué dans la réponse" in letter
    assert "(contrat assuré par Assureur Exemple)" in letter
    assert "- décompte de remboursement" in letter
    assert "copie de la réponse" not in letter
    assert "Numéro de sécurité sociale" not in letter  # no identifier given


# --- issue 12 item 3: one rule for the day mediation opens ---------------------------------------------------


@pytest.mark.parametrize("key", ["cpms", "identites_mutuelle", "klesia"])
@pytest.mark.parametrize(
    ("sent", "answer_by", "opening"),
    [
        (date(2026, 12, 31), date(2027, 3, 1), date(2027, 3, 2)),  # facts.md §8: 28 Feb 2027 is a Sunday
        (date(2026, 11, 18), date(2027, 1, 18), date(2027, 1, 19)),
        (date(2026, 3, 2), date(2026, 5, 2), date(2026, 5, 3)),  # Sat 2 May: a Saturday is not moved
        (date(2026, 3, 1), date(2026, 5, 2), date(2026, 5, 3)),  # Fri 1 May (holiday) -> Sat 2 May
    ],
)
def test_mediation_opens_the_day_after_the_answer_deadline(key, sent, answer_by, opening):
    from recours.deadlines import complaint_deadlines
    from recours.mediation import referral_window

    organisation = load_organisation(key)
    assert complaint_deadlines(sent, organisation).answer_by == answer_by
    assert referral_window(sent, organisation)[0] == opening
    assessment = assess_mediation(facts(sent=sent), organisation, sent)
    assert assessment.answer_due == answer_by and assessment.earliest == opening


def test_opening_follows_local_holidays_of_the_department():
    """Good Friday 2027 is 26 Mar 2027: a complaint
    of Tue 26 Jan 2027 is due Fri 26 Mar 2027, a holiday in Alsace-Moselle only -> Sat 27 Mar there."""
    organisation = load_organisation("identites_mutuelle")
    elsewhere = assess_mediation(facts(sent=date(2027, 1, 26)), organisation, date(2027, 2, 1))
    moselle = assess_mediation(facts(sent=date(2027, 1, 26)), organisation, date(2027, 2, 1), department="57")
    assert (elsewhere.answer_due, elsewhere.earliest) == (date(2027, 3, 26), date(2027, 3, 27))
    assert (moselle.answer_due, moselle.earliest) == (date(2027, 3, 27), date(2027, 3, 28))


def test_answer_due_and_opening_never_contradict_in_the_text():
    text = assess_mediation(facts(sent=date(2026, 12, 31)), load_organisation("cpms"), date(2027, 1, 5)).explain_fr()
    assert "au plus tard le lundi 1er mars 2027" in text
    assert "à partir du mardi 2 mars 2027" in text
    assert "dimanche 28 février" not in text


# --- issue 12 item 4: the mediator's own charter decides when it can be referred to ---------------------------


def test_the_ctip_charter_decides_over_klesias_statement():
    from recours.mediation import after_answer_rule
    from recours.mediators import get_mediator

    klesia = load_organisation("klesia")
    assert klesia.after_answer == "two_months"  # what KLESIA's page says, kept and quoted
    assert get_mediator("ctip").charter.after_answer == "immediate"
    assert after_answer_rule(klesia) == "immediate"
    # a broker whose contract an institution de prévoyance carries follows the CTIP too
    assert after_answer_rule(load_organisation("cpms"), "institution_prevoyance") == "immediate"


def test_no_statement_when_the_organisation_and_the_mediator_agree():
    text = assess_mediation(facts(answer=True, satisfied=False), load_organisation("identites_mutuelle"),
                            date(2026, 12, 1)).explain_fr()
    assert "indique de son côté" not in text


def test_klesia_without_answer_still_waits_for_the_answer_deadline():
    """facts.md §8 dates: a complaint of Thu 31 Dec 2026 without answer -> from Tue 2 Mar 2027."""
    assessment = assess_mediation(facts(sent=date(2026, 12, 31)), load_organisation("klesia"), date(2027, 1, 10))
    assert assessment.status == "possible_from" and assessment.earliest == date(2027, 3, 2)
    assert "dès cette réponse" in assessment.explain_fr()  # an unsatisfactory answer before then is enough


# --- issue 12 item 7: too late is not a dead end -------------------------------------------------------------


def test_too_late_worked_example_and_what_remains():
    """facts.md §8: a complaint of Thu 31 Dec 2026 can go to the mediator until Fri 31 Dec 2027; on 1 Jan 2028
    it is too late, and the member is told the date that passed and that other ways remain."""
    assessment = assess_mediation(facts(sent=date(2026, 12, 31)), load_organisation("klesia"), date(2028, 1, 1))
    assert assessment.status == "too_late"
    assert assessment.slot_values()["mediator_until"] == "2027-12-31"
    text = assessment.explain_fr()
    assert "a pris fin le vendredi 31 décembre 2027" in text and "pas la fin de vos démarches" in text


def test_what_remains_is_a_domain_response():
    import yaml

    from recours.settings import PROJECT_ROOT

    responses = yaml.safe_load((PROJECT_ROOT / "domain" / "mediation.yml").read_text(encoding="utf-8"))["responses"]
    text = responses["utter_mediation_too_late_remaining"][0]["text"]
    for fragment in ("nouvelle réclamation écrite", "conciliateur de justice", "prescription"):
        assert fragment in text


# --- issue 12 item 6: the broker's own conduct goes to the broker's own mediator --------------------------------


def test_cpms_asks_what_the_dispute_is_about_before_the_carrier():
    cpms = load_organisation("cpms")
    assert missing_facts(facts(carrier=None, dispute=None), cpms, date(2026, 12, 1)) == ["dispute_subject", "carrier_type"]
    # the broker's own conduct: no carrier question
    assert missing_facts(facts(carrier=None, dispute="broker"), cpms, date(2026, 12, 1)) == []
    # a designated mediator: neither question
    assert missing_facts(facts(carrier=None, dispute=None), load_organisation("klesia"), date(2026, 12, 1)) == []


def test_broker_conduct_names_cpms_as_intermediary_not_the_carrier():
    assessment = assess_mediation(facts(carrier=None, dispute="broker", answer=True, satisfied=False),
                                  load_organisation("cpms"), date(2026, 12, 1))
    assert assessment.status == "possible_now" and assessment.mediator is None
    assert assessment.mediator_choice.broker_conduct
    text = assessment.explain_fr()
    assert "travail de CPMS lui-même" in text and "intermédiaire d'assurance" in text
    assert "Quel type d'organisme" not in text
    assert assessment.slot_values()["mediator"] is None and assessment.slot_values()["mediator_until"] == "2027-11-18"


def test_contract_dispute_goes_to_the_carriers_mediator():
    assessment = assess_mediation(facts(carrier="mutuelle_fnmf", dispute="contract"), load_organisation("cpms"),
                                  date(2027, 2, 1))
    assert assessment.mediator.id == "fnmf" and not assessment.mediator_choice.broker_conduct


def test_unknown_subject_after_recording_tells_both():
    choice = assess_mediation(facts(carrier=None, dispute=None), load_organisation("cpms"), date(2027, 2, 1)).mediator_choice
    assert choice.needs_carrier_type
    assert "travail de CPMS lui-même" in choice.explanation_fr and "Quel type d'organisme" in choice.explanation_fr


@pytest.mark.parametrize(
    ("typed", "subject"),
    [("CPMS a perdu mon dossier", "broker"), ("Le travail de CPMS", "broker"), ("ils m'ont mal conseillé", "broker"),
     ("CPMS m'a répondu en retard", "broker"), ("Le contrat", "contract"),
     ("le refus de remboursement de mes lunettes", "contract"), ("je ne sais pas", None)],
)
def test_read_dispute_subject(typed, subject):
    from recours.mediators import read_dispute_subject

    assert read_dispute_subject(typed, "CPMS") == subject


@pytest.mark.parametrize(("typed", "subject"), [
    # round 8 (m8-d-04 t10, m8-d-05 t10)
    ("sur votre travail : vous n'avez pas enregistré mon RIB. Les garanties ne sont pas en cause", "broker"),
    ("c'est le versement de mes indemnités qui ne vient pas, donc le contrat je suppose ?", "contract"),
])
def test_read_dispute_subject_in_members_words(typed, subject):
    from recours.mediators import read_dispute_subject

    assert read_dispute_subject(typed, "CPMS") == subject
