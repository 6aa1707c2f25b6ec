"""Opening hours: open now or not, the next opening (public and local holidays), the hours in French."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from recours import opening_hours as oh
from recours.organisations import OpeningHours, OpeningPeriod, load_organisation
from recours.settings import PARIS

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
CPMS = load_organisation("cpms").opening_hours  # Mon-Fri 9:00-17:00, to confirm
KLESIA = load_organisation("klesia").opening_hours  # Mon-Fri 8:30-18:00, from S4
SPLIT = OpeningHours(
    source="test", as_of=datetime(2026, 12, 1).date(), closed_on_public_holidays=False, to_confirm=False,
    weekly=(OpeningPeriod(WEEKDAYS, time(9), time(12, 30)), OpeningPeriod(WEEKDAYS, time(13, 30), time(17)),
            OpeningPeriod(("saturday",), time(9), time(12))),
)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("hours", "moment", "department", "expected"),
    [
        (CPMS, at(2026, 11, 23, 9), None, True),  # Monday, opening minute included
        (CPMS, at(2026, 11, 23, 16, 59), None, True),
        (CPMS, at(2026, 11, 23, 17), None, False),  # closing minute excluded
        (CPMS, at(2026, 11, 23, 8, 59), None, False),
        (CPMS, at(2026, 11, 21, 10), None, False),  # Saturday
        (CPMS, at(2026, 12, 25, 10), None, False),  # Christmas, a Friday
        (CPMS, at(2026, 12, 26, 10), "67", False),  # Saturday anyway
        (CPMS, at(2027, 3, 26, 10), None, True),  # Good Friday 2027: open in Paris…
        (CPMS, at(2027, 3, 26, 10), "57", False),  # …closed in Moselle
        (CPMS, at(2027, 3, 26, 10), "68", False),  # …and in Haut-Rhin
        (CPMS, at(2027, 5, 27, 10), "971", False),  # Guadeloupe, abolition day
        (KLESIA, at(2026, 11, 23, 8, 30), None, True),
        (KLESIA, at(2026, 11, 23, 17, 59), None, True),
        (SPLIT, at(2026, 11, 23, 12, 45), None, False),  # lunch break
        (SPLIT, at(2026, 11, 21, 11), None, True),  # Saturday morning
        (SPLIT, at(2026, 12, 25, 10), None, True),  # open on public holidays
    ],
)
def test_is_open(hours, moment, department, expected):
    assert oh.is_open(hours, moment, department) is expected


def test_is_open_reads_utc_instants_in_paris_time():
    from datetime import timezone
    assert oh.is_open(CPMS, datetime(2026, 11, 23, 8, 30, tzinfo=timezone.utc))  # 9:30 in Paris (winter)
    assert oh.is_open(CPMS, datetime(2026, 7, 6, 7, 30, tzinfo=timezone.utc))  # 9:30 in Paris (summer)
    with pytest.raises(ValueError):
        oh.is_open(CPMS, datetime(2026, 11, 23, 10))


@pytest.mark.parametrize(
    ("moment", "department", "expected"),
    [
        (at(2026, 11, 23, 10), None, at(2026, 11, 23, 10)),  # open: now
        (at(2026, 11, 23, 7), None, at(2026, 11, 23, 9)),
        (at(2026, 11, 23, 17), None, at(2026, 11, 24, 9)),
        (at(2026, 11, 21, 10), None, at(2026, 11, 23, 9)),  # Saturday -> Monday
        (at(2026, 12, 24, 18), None, at(2026, 12, 28, 9)),  # Christmas on Friday
        (at(2026, 12, 31, 18), None, at(2027, 1, 4, 9)),  # New Year's Day on Friday
        (at(2027, 3, 25, 18), None, at(2027, 3, 26, 9)),  # Good Friday, Paris
        (at(2027, 3, 25, 18), "57", at(2027, 3, 30, 9)),  # Good Friday then Easter Monday, Moselle
    ],
)
def test_next_opening(moment, department, expected):
    assert oh.next_opening(CPMS, moment, department) == expected


@pytest.mark.parametrize(
    ("moment", "department", "expected"),
    [
        (at(2026, 11, 23, 10), None, "Nos conseillers sont joignables maintenant, jusqu'à 17 h."),
        (at(2026, 11, 21, 10), None, "Nos conseillers sont joignables à partir de lundi 9 h."),
        (at(2026, 11, 23, 7), None, "Nos conseillers sont joignables à partir d'aujourd'hui 9 h."),
        (at(2026, 11, 23, 18), None, "Nos conseillers sont joignables à partir de demain 9 h."),
        (at(2027, 3, 25, 18), "57", "Nos conseillers sont joignables à partir de mardi 9 h."),
        (at(2026, 12, 18, 18), None, "Nos conseillers sont joignables à partir de lundi 9 h."),
    ],
)
def test_availability_said_to_the_member(moment, department, expected):
    assert oh.availability_fr(CPMS, moment, department) == expected


def test_availability_far_ahead_names_the_date():
    fridays = OpeningHours(
        source="test", as_of=datetime(2026, 12, 1).date(), closed_on_public_holidays=True, to_confirm=False,
        weekly=(OpeningPeriod(("friday",), time(9), time(17)),),
    )
    # Christmas and New Year's Day are Fridays: the next opening is more than a week away, its date is said
    assert oh.availability_fr(fridays, at(2026, 12, 24, 18)) == \
        "Nos conseillers sont joignables à partir de vendredi 8 janvier 9 h."


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (CPMS, "du lundi au vendredi de 9 h à 17 h, sauf les jours fériés (horaires indicatifs)"),
        (KLESIA, "du lundi au vendredi de 8 h 30 à 18 h, sauf les jours fériés"),
        (SPLIT, "du lundi au vendredi de 9 h à 12 h 30 et de 13 h 30 à 17 h ; le samedi de 9 h à 12 h"),
    ],
)
def test_hours_in_french(hours, expected):
    assert oh.hours_fr(hours) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(("monday", "thursday"), "le lundi et le jeudi"),
     (("friday", "monday", "wednesday"), "le lundi, le mercredi et le vendredi"),
     (("saturday",), "le samedi"), (("monday", "tuesday", "wednesday"), "du lundi au mercredi")],
)
def test_days_in_french(days, expected):
    assert oh._days_fr(days) == expected


def test_moments_in_french():
    now = at(2026, 11, 23, 10)
    assert oh.moment_fr(at(2026, 11, 23, 14, 30), now) == "aujourd'hui 14 h 30"
    assert oh.moment_fr(at(2026, 11, 24, 9), now) == "demain 9 h"
    assert oh.moment_fr(at(2026, 11, 27, 9), now) == "vendredi 9 h"
    assert oh.moment_fr(at(2026, 12, 1, 9), now) == "mardi 1er décembre 9 h"
