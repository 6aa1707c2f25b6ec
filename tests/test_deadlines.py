"""Complaint deadlines (rules.md §4). Expected dates are computed by hand; the working days counted are noted."""

from datetime import date, timedelta

import pytest

from recours.deadlines import ComplaintDeadlines, complaint_deadlines, deadline_after
from recours.organisations import Delay, load_organisation

# Regulatory default: 10 jours ouvrables (Mon-Sat, no holiday; sending day excluded) and 2 months.
REGULATORY_CASES = [
    # Wed 18 Nov 2026 -> ack Mon 30 Nov; answer Mon 18 Jan 2027
    (date(2026, 11, 18), None, date(2026, 11, 30), date(2027, 1, 18)),
    # Thu 31 Dec 2026 -> ack skips 1 Jan: Sat 2, 4..9, 11, 12, 13 -> Wed 13 Jan;
    # answer 28 Feb 2027 (31st, non-leap) is a Sunday -> Mon 1 Mar
    (date(2026, 12, 31), None, date(2027, 1, 13), date(2027, 3, 1)),
    # Fri 31 Dec 2027 -> ack skips Sat 1 Jan 2028 (holiday): 3..8, 10..13 -> Thu 13 Jan;
    # answer 29 Feb 2028 (leap) Tuesday
    (date(2027, 12, 31), None, date(2028, 1, 13), date(2028, 2, 29)),
    # Tue 29 Dec 2026 -> answer 28 Feb 2027 (29th does not exist) Sunday -> Mon 1 Mar;
    # ack 30, 31, Sat 2, 4..9, 11 -> Mon 11 Jan
    (date(2026, 12, 29), None, date(2027, 1, 11), date(2027, 3, 1)),
    # Tue 29 Feb 2028 -> ack Mar 1..4, 6..11 -> Sat 11 Mar; answer Sat 29 Apr 2028 (Saturday stays)
    (date(2028, 2, 29), None, date(2028, 3, 11), date(2028, 4, 29)),
    # Sent Sun 1 Mar 2026 -> answer Fri 1 May (holiday) -> Sat 2 May; ack 2..7, 9..12 -> Thu 12 Mar
    (date(2026, 3, 1), None, date(2026, 3, 12), date(2026, 5, 2)),
    # Sent on Ascension Thu 14 May 2026 -> ack skips Whit Monday 25 May -> Wed 27 May;
    # answer Tue 14 July (holiday) -> Wed 15 July
    (date(2026, 5, 14), None, date(2026, 5, 27), date(2026, 7, 15)),
    # Fri 29 Jan 2027 -> answer Mon 29 Mar 2027 = Easter Monday -> Tue 30 Mar; ack -> Wed 10 Feb
    (date(2027, 1, 29), None, date(2027, 2, 10), date(2027, 3, 30)),
    # Mon 31 Aug 2026 -> ack Fri 11 Sep; answer Sat 31 Oct 2026 (Saturday stays)
    (date(2026, 8, 31), None, date(2026, 9, 11), date(2026, 10, 31)),
    # Sat 31 Oct 2026 -> ack skips Sun 1 Nov and Wed 11 Nov -> Fri 13 Nov; answer Thu 31 Dec 2026
    (date(2026, 10, 31), None, date(2026, 11, 13), date(2026, 12, 31)),
    # Mon 26 Oct 2026 -> answer Sat 26 Dec: open nationally ...
    (date(2026, 10, 26), None, date(2026, 11, 6), date(2026, 12, 26)),
    # ... closed in Bas-Rhin -> Sun 27 -> Mon 28 Dec
    (date(2026, 10, 26), "67", date(2026, 11, 6), date(2026, 12, 28)),
    # Tue 26 Jan 2027 -> answer Fri 26 Mar 2027 = Good Friday: open nationally, closed in Moselle -> Sat 27
    (date(2027, 1, 26), None, date(2027, 2, 6), date(2027, 3, 26)),
    (date(2027, 1, 26), "57", date(2027, 2, 6), date(2027, 3, 27)),
]


@pytest.mark.parametrize(("sent_on", "department", "acknowledge_by", "answer_by"), REGULATORY_CASES)
def test_regulatory_default(sent_on, department, acknowledge_by, answer_by):
    assert complaint_deadlines(sent_on, None, department) == ComplaintDeadlines(acknowledge_by, answer_by)


@pytest.mark.parametrize("key", ["identites_mutuelle", "klesia"])
@pytest.mark.parametrize(("sent_on", "department", "acknowledge_by", "answer_by"), REGULATORY_CASES[:6])
def test_organisations_publishing_working_days(key, sent_on, department, acknowledge_by, answer_by):
    organisation = load_organisation(key)
    assert complaint_deadlines(sent_on, organisation, department) == ComplaintDeadlines(acknowledge_by, answer_by)


# CPMS publishes "10 jours" (read as calendar days) and "2 mois".
@pytest.mark.parametrize(
    ("sent_on", "department", "acknowledge_by", "answer_by"),
    [
        # Wed 18 Nov 2026 + 10 days = Sat 28 Nov (stays); answer Mon 18 Jan 2027
        (date(2026, 11, 18), None, date(2026, 11, 28), date(2027, 1, 18)),
        # Thu 12 Nov 2026 + 10 days = Sun 22 Nov -> Mon 23; answer Tue 12 Jan 2027
        (date(2026, 11, 12), None, date(2026, 11, 23), date(2027, 1, 12)),
        # Sun 1 Nov 2026 + 10 days = Wed 11 Nov (holiday) -> Thu 12; answer Fri 1 Jan 2027 -> Sat 2 Jan
        (date(2026, 11, 1), None, date(2026, 11, 12), date(2027, 1, 2)),
        # Tue 21 Apr 2026 + 10 days = Fri 1 May -> Sat 2 May; answer Sun 21 Jun -> Mon 22 Jun
        (date(2026, 4, 21), None, date(2026, 5, 2), date(2026, 6, 22)),
        # Wed 16 Dec 2026 + 10 days = Sat 26 Dec: stays nationally, Haut-Rhin -> Mon 28; answer Tue 16 Feb
        (date(2026, 12, 16), None, date(2026, 12, 26), date(2027, 2, 16)),
        (date(2026, 12, 16), "68", date(2026, 12, 28), date(2027, 2, 16)),
        # Thu 31 Dec 2026: + 10 days = Sun 10 Jan -> Mon 11; answer Sun 28 Feb -> Mon 1 Mar
        (date(2026, 12, 31), None, date(2027, 1, 11), date(2027, 3, 1)),
    ],
)
def test_cpms_published_delays(sent_on, department, acknowledge_by, answer_by):
    cpms = load_organisation("cpms")
    assert complaint_deadlines(sent_on, cpms, department) == ComplaintDeadlines(acknowledge_by, answer_by)


@pytest.mark.parametrize(
    ("delay", "sent_on", "expected"),
    [
        (Delay(10, "working_days", "x"), date(2026, 11, 2), date(2026, 11, 14)),
        (Delay(10, "calendar_days", "x"), date(2026, 11, 2), date(2026, 11, 12)),  # 11 Nov is the 9th day
        (Delay(60, "calendar_days", "x"), date(2026, 11, 18), date(2027, 1, 18)),  # Sun 17 Jan -> Mon 18
        (Delay(2, "months", "x"), date(2026, 11, 17), date(2027, 1, 18)),  # Sun 17 Jan -> Mon 18
    ],
)
def test_deadline_after_each_unit(delay, sent_on, expected):
    assert deadline_after(sent_on, delay) == expected


def test_explain_fr_writes_both_dates_in_french():
    cpms = load_organisation("cpms")
    text = complaint_deadlines(date(2026, 11, 18), cpms).explain_fr(cpms.name)
    assert "CPMS doit accuser réception" in text
    assert "samedi 28 novembre 2026" in text
    assert "lundi 18 janvier 2027" in text


# -- issue 12 item 2: an earlier written complaint starts the clocks ----------------------------------------

from recours.deadlines import local_holidays_matter, record_deadlines  # noqa: E402
from recours.mediation import MediationFacts, assess_mediation  # noqa: E402


@pytest.mark.parametrize("key", ["cpms", "identites_mutuelle", "klesia"])
def test_first_letter_starts_the_clocks_and_today_is_a_reminder(key):
    """facts.md §8: first letter Mon 2 Mar 2026, chat on Mon 20 Apr 2026 -> answer due Sat 2 May 2026."""
    organisation = load_organisation(key)
    record = record_deadlines(date(2026, 4, 20), organisation, first_complaint_date=date(2026, 3, 2))
    assert record.reminder and record.counted_from == date(2026, 3, 2)
    assert record.answer_by == date(2026, 5, 2)
    # CPMS: 10 calendar days (Thu 12 Mar); the others: 10 jours ouvrables (Fri 13 Mar)
    assert record.acknowledge_by == (date(2026, 3, 12) if key == "cpms" else date(2026, 3, 13))
    text = record.explain_fr(organisation.name)
    assert "relance de votre réclamation écrite du lundi 2 mars 2026" in text
    assert "doit vous répondre au plus tard le samedi 2 mai 2026" in text
    assert "devait en accuser réception" in text  # already past on 20 April
    assert "20 juin" not in text


def test_the_answer_date_told_and_the_mediation_window_agree():
    organisation = load_organisation("cpms")
    record = record_deadlines(date(2026, 4, 20), organisation, first_complaint_date=date(2026, 3, 2))
    facts = MediationFacts(True, date(2026, 3, 2), False, None, False, False, "societe_assurance")
    assessment = assess_mediation(facts, organisation, date(2026, 4, 20))
    assert assessment.answer_due == record.answer_by
    assert assessment.earliest == record.answer_by + timedelta(days=1) == date(2026, 5, 3)


def test_a_passed_answer_deadline_is_said_to_be_passed():
    record = record_deadlines(date(2026, 6, 1), load_organisation("klesia"), first_complaint_date=date(2026, 3, 2))
    assert "devait vous répondre au plus tard le samedi 2 mai 2026 : ce délai est dépassé" in record.explain_fr("KLESIA")


@pytest.mark.parametrize(
    ("first", "answered", "reminder"),
    [(None, None, False), (date(2026, 4, 20), False, False), (date(2026, 3, 2), True, False), (date(2026, 3, 2), False, True)],
)
def test_reminder_only_for_an_earlier_unanswered_letter(first, answered, reminder):
    record = record_deadlines(date(2026, 4, 20), load_organisation("cpms"), first_complaint_date=first,
                              answer_received=answered)
    assert record.reminder is reminder
    assert record.counted_from == (first if reminder else date(2026, 4, 20))


@pytest.mark.parametrize(
    ("recorded_on", "first", "answered", "matters"),
    [
        # Mon 26 Oct 2026: the answer falls on Sat 26 Dec, a holiday in Alsace-Moselle only (REGULATORY_CASES)
        (date(2026, 10, 26), None, None, True),
        (date(2026, 8, 31), None, None, False),
        # an earlier unanswered letter of 26 Oct counts from then; an answered one does not
        (date(2026, 12, 1), date(2026, 10, 26), False, True),
        (date(2026, 12, 1), date(2026, 10, 26), True, False),
    ],
)
def test_the_postal_code_is_asked_only_when_a_local_holiday_moves_a_date(recorded_on, first, answered, matters):
    organisation = load_organisation("cpms")
    kwargs = dict(first_complaint_date=first, answer_received=answered)
    assert local_holidays_matter(recorded_on, organisation, **kwargs) is matters
    hits = local_holidays_matter.cache_info().hits
    assert local_holidays_matter(recorded_on, organisation, **kwargs) is matters  # asked again on the next turn
    assert local_holidays_matter.cache_info().hits == hits + 1
