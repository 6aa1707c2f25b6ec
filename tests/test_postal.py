"""The postal code read from what a member types, and its département (issue 12 item 5)."""

from datetime import date

import pytest

from recours.deadlines import complaint_deadlines, record_deadlines
from recours.organisations import load_organisation
from recours.postal import PostalAnswer, department_of, read_postal_answer
from recours.reading import TurnContext, read_turn


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("67000", PostalAnswer(code="67000")),
        ("67 000", PostalAnswer(code="67000")),
        ("3 rue des Lilas 68100 Mulhouse", PostalAnswer(code="68100")),
        ("97400 Saint-Denis", PostalAnswer(code="97400")),
        ("passer", PostalAnswer(skipped=True)),
        ("Je ne sais pas", PostalAnswer(skipped=True)),
        ("non merci", PostalAnswer(skipped=True)),
        ("06 12 34 56 78", None),  # a phone number is not a postal code
        ("Strasbourg", None),
        ("00123", None),
    ],
)
def test_read_postal_answer(typed, expected):
    assert read_postal_answer(typed) == expected


@pytest.mark.parametrize(("code", "department"), [("67000", "67"), ("57000", "57"), ("68100", "68"),
                                                  ("97400", "974"), ("97200", "972"), ("20000", "20"),
                                                  ("75002", "75"), (None, None), ("abc", None)])
def test_department_of(code, department):
    assert department_of(code) == department


def test_worked_example_bas_rhin_18_december_2026():
    """facts.md §8: complaint Fri 18 Dec 2026, département 67 -> acknowledgement Sat 2 Jan 2027 (25 and 26 Dec,
    1 Jan off); elsewhere Thu 31 Dec 2026; answer by Thu 18 Feb 2027."""
    klesia = load_organisation("klesia")  # 10 jours ouvrables
    alsace = complaint_deadlines(date(2026, 12, 18), klesia, department_of("67000"))
    elsewhere = complaint_deadlines(date(2026, 12, 18), klesia, department_of("75002"))
    assert alsace.acknowledge_by == date(2027, 1, 2) and elsewhere.acknowledge_by == date(2026, 12, 31)
    assert alsace.answer_by == elsewhere.answer_by == date(2027, 2, 18)


def test_overseas_holiday_moves_the_answer_deadline():
    """Martinique's abolition day, Fri 22 May 2026: a letter of Sun 22 Mar 2026 is due Fri 22 May, moved to
    Sat 23 May in 972 only."""
    identites = load_organisation("identites_mutuelle")
    assert record_deadlines(date(2026, 4, 1), identites, first_complaint_date=date(2026, 3, 22),
                            department="972").answer_by == date(2026, 5, 23)
    assert record_deadlines(date(2026, 4, 1), identites, first_complaint_date=date(2026, 3, 22)).answer_by == date(2026, 5, 22)


@pytest.mark.parametrize("typed", ["67000", "3 rue des Lilas 68100 Mulhouse", "passer", "je ne sais pas"])
def test_the_text_is_first_read_as_the_postal_code_answer(typed):
    context = TurnContext(active_loop="complaint_form", requested_slot="postal_code")
    assert read_turn(context, typed, "stop", 0.97, date(2026, 11, 21)) == "inform"
