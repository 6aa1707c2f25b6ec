"""Call-back windows within the opening hours, and the member's answer read (buttons and typed words)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from recours.callback_times import CallbackWindow, next_windows, read_callback_time
from recours.organisations import load_organisation
from recours.settings import PARIS
from tests.cases import cases

CPMS = load_organisation("cpms").opening_hours  # Mon-Fri 9:00-17:00
KLESIA = load_organisation("klesia").opening_hours  # Mon-Fri 8:30-18:00
SATURDAY = datetime(2026, 11, 21, 10, tzinfo=PARIS)
MONDAY_MORNING = datetime(2026, 11, 23, 10, 7, tzinfo=PARIS)
MONDAY_LATE = datetime(2026, 11, 23, 15, 50, tzinfo=PARIS)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def spans(windows):
    return [(w.start.strftime("%a %d %H:%M"), w.end.strftime("%H:%M")) for w in windows]


@pytest.mark.parametrize(
    ("hours", "now", "expected"),
    [
        (CPMS, SATURDAY, [("Mon 23 09:00", "11:00"), ("Mon 23 11:00", "13:00"), ("Mon 23 13:00", "15:00"),
                          ("Mon 23 15:00", "17:00")]),
        # at least 30 minutes ahead, rounded up to the quarter; the last one takes the rest of the day
        (CPMS, MONDAY_MORNING, [("Mon 23 10:45", "12:45"), ("Mon 23 12:45", "14:45"), ("Mon 23 14:45", "17:00"),
                                ("Tue 24 09:00", "11:00")]),
        (CPMS, MONDAY_LATE, [("Mon 23 16:30", "17:00"), ("Tue 24 09:00", "11:00"), ("Tue 24 11:00", "13:00"),
                             ("Tue 24 13:00", "15:00")]),
        (KLESIA, SATURDAY, [("Mon 23 08:30", "10:30"), ("Mon 23 10:30", "12:30"), ("Mon 23 12:30", "14:30"),
                            ("Mon 23 14:30", "16:30")]),
        (CPMS, at(2026, 12, 24, 16, 40), [("Mon 28 09:00", "11:00"), ("Mon 28 11:00", "13:00"),
                                          ("Mon 28 13:00", "15:00"), ("Mon 28 15:00", "17:00")]),  # Christmas
    ],
)
def test_next_windows(hours, now, expected):
    assert spans(next_windows(hours, now)) == expected


def test_windows_never_start_too_soon_nor_outside_the_hours():
    now = at(2026, 11, 23, 8, 0)
    for window in next_windows(CPMS, now, count=12):
        assert window.start >= now + timedelta(minutes=30)
        assert 9 <= window.start.hour and window.end.hour <= 17 and window.start.weekday() < 5
        assert timedelta(minutes=30) <= window.end - window.start <= timedelta(hours=3)


def test_local_holidays_move_the_windows():
    thursday = at(2027, 3, 25, 18)
    assert next_windows(CPMS, thursday, count=1)[0].start == at(2027, 3, 26, 9)  # Good Friday, Paris: open
    assert next_windows(CPMS, thursday, "67", count=1)[0].start == at(2027, 3, 30, 9)  # Bas-Rhin: Tuesday


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("le plus tôt possible", SATURDAY, "le lundi 23 novembre 2026 entre 9 h et 11 h"),
        ("Dès que possible svp", MONDAY_MORNING, "le lundi 23 novembre 2026 entre 10 h 45 et 12 h 45"),
        ("peu importe", MONDAY_LATE, "le lundi 23 novembre 2026 entre 16 h 30 et 17 h"),
        ("demain matin", MONDAY_MORNING, "le mardi 24 novembre 2026 entre 9 h et 11 h"),
        ("lundi 14h", SATURDAY, "le lundi 23 novembre 2026 entre 14 h et 16 h"),
        ("Lundi à 14 h 30", SATURDAY, "le lundi 23 novembre 2026 entre 14 h 30 et 17 h"),
        ("lundi 14:00", SATURDAY, "le lundi 23 novembre 2026 entre 14 h et 16 h"),
        ("lundi 14h", MONDAY_LATE, "le lundi 30 novembre 2026 entre 14 h et 16 h"),  # today's 14 h has passed
        ("mardi après-midi", MONDAY_MORNING, "le mardi 24 novembre 2026 entre 13 h et 15 h"),
        ("vendredi à 3h de l'après-midi", SATURDAY, "le vendredi 27 novembre 2026 entre 15 h et 17 h"),
        ("jeudi en fin de journée", SATURDAY, "le jeudi 26 novembre 2026 entre 16 h et 17 h"),
        ("entre midi et deux", MONDAY_MORNING, "le lundi 23 novembre 2026 entre 12 h et 14 h"),
        ("à midi", MONDAY_LATE, "le mardi 24 novembre 2026 entre 12 h et 14 h"),
        ("10h", MONDAY_LATE, "le mardi 24 novembre 2026 entre 10 h et 12 h"),  # tomorrow, the hour passed
        ("ce soir", MONDAY_MORNING, "le lundi 23 novembre 2026 entre 16 h et 17 h"),
        ("le 24", SATURDAY, "le mardi 24 novembre 2026 entre 9 h et 11 h"),
        ("le 2", SATURDAY, "le mercredi 2 décembre 2026 entre 9 h et 11 h"),  # next month's
        ("24/11 à 9h30", SATURDAY, "le mardi 24 novembre 2026 entre 9 h 30 et 11 h 30"),
        ("le 4 janvier à 11h", SATURDAY, "le lundi 4 janvier 2027 entre 11 h et 13 h"),
        ("après-demain", SATURDAY, "le lundi 23 novembre 2026 entre 9 h et 11 h"),
        # what a window's button sends back
        ("lundi 23 novembre 2026, 13 h", SATURDAY, "le lundi 23 novembre 2026 entre 13 h et 15 h"),
        # round 8 (m8-a-02 M19): booked « entre 10 h et 12 h »
        ("DEMAIN MATIN AVANT 10H", MONDAY_MORNING, "le mardi 24 novembre 2026 entre 9 h et 10 h"),
        ("rappel jeudi matin", SATURDAY, "le jeudi 26 novembre 2026 entre 9 h et 11 h"),
        # members' round 14: the member's own range, its end too (« 13h » was read as the start)
        ("demain entre midi et 13h", MONDAY_MORNING, "le mardi 24 novembre 2026 entre 12 h et 13 h"),
        ("je finis à 17h moi... bon alors demain entre midi et 13h ça va ?", MONDAY_MORNING,
         "le mardi 24 novembre 2026 entre 12 h et 13 h"),
        ("de 14h à 15h30 vendredi", SATURDAY, "le vendredi 27 novembre 2026 entre 14 h et 15 h 30"),
        ("entre 10 heures et midi demain", MONDAY_MORNING, "le mardi 24 novembre 2026 entre 10 h et 12 h"),
    ],
)
def test_a_typed_answer_names_a_window(text, now, expected):
    reading = read_callback_time(text, CPMS, now, who_fr="CPMS")
    assert reading is not None and reading.problem_fr is None
    assert reading.window.when_fr() == expected


@pytest.mark.parametrize(
    ("text", "now", "problem"),
    [
        ("dimanche", SATURDAY, "CPMS ne rappelle pas le dimanche 22 novembre 2026."),
        ("demain matin", SATURDAY, "CPMS ne rappelle pas le dimanche 22 novembre 2026."),
        ("lundi 20h", SATURDAY, "CPMS ne rappelle pas à 20 h le lundi 23 novembre 2026."),
        ("lundi 8h", SATURDAY, "CPMS ne rappelle pas à 8 h le lundi 23 novembre 2026."),
        ("aujourd'hui 16h", MONDAY_LATE, "Il est trop tard pour un rappel à 16 h aujourd'hui."),
        ("le 25 décembre", SATURDAY, "CPMS ne rappelle pas le vendredi 25 décembre 2026."),
        ("lundi 16 h 45", SATURDAY, "CPMS ne rappelle pas à 16 h 45 le lundi 23 novembre 2026."),  # 15 min left
        ("lundi avant 9h", SATURDAY, "Le premier rappel possible ce jour-là commence à 9 h."),
    ],
)
def test_a_time_outside_the_hours_is_refused_with_the_reason(text, now, problem):
    reading = read_callback_time(text, CPMS, now, who_fr="CPMS")
    assert reading is not None and reading.window is None
    assert reading.problem_fr == problem


@pytest.mark.parametrize("text", ["bonjour", "oui", "06 12 34 56 78", "je ne sais pas trop", ""])
def test_a_text_without_a_time_is_not_read(text):
    assert read_callback_time(text, CPMS, SATURDAY) is None


def test_every_offered_button_reads_back_to_its_window():
    for now in (SATURDAY, MONDAY_MORNING, MONDAY_LATE):
        for window in next_windows(CPMS, now, count=8):
            assert read_callback_time(window.answer_fr(), CPMS, now).window == window


def test_window_wording_and_slot_value():
    window = CallbackWindow(at(2026, 11, 23, 9), at(2026, 11, 23, 11))
    assert window.label_fr(SATURDAY) == "Lun. 23 nov., 9 h – 11 h"
    assert window.label_fr(at(2026, 11, 23, 7)) == "Aujourd'hui, 9 h – 11 h"
    assert window.label_fr(at(2026, 11, 22, 20)) == "Demain, 9 h – 11 h"
    assert window.when_fr() == "le lundi 23 novembre 2026 entre 9 h et 11 h"
    assert window.slot_value == "2026-11-23T09:00+01:00/2026-11-23T11:00+01:00"
    assert CallbackWindow.from_slot_value(window.slot_value) == window


@pytest.mark.parametrize("text, wanted", cases(__file__, "the_moment_wanted"))
def test_the_moment_wanted(text, wanted):
    from recours.callback_times import wanted_moment

    assert wanted_moment(text) == wanted


def test_a_range_ending_at_noon_starts_at_its_first_hour():
    # members' round 12 (m12-B-05 M6): « entre 10 heures et midi » was booked 12 h – 14 h
    reading = read_callback_time("aujourd'hui entre 10 heures et midi", CPMS, datetime(2026, 11, 23, 8, tzinfo=PARIS))
    assert (reading.window.start.hour, reading.window.end.hour) == (10, 12)


def test_a_numbers_last_digits_are_no_day():
    """Round 15: « vous avez encore mis le 27 ! » after a booking on the 06 … 27 was read as Sunday 27 December."""
    from recours.callback_times import moment_typed

    assert read_callback_time(moment_typed("vous avez encore mis le 27 ! je veux être rappelée au 06 00 00 00 72"),
                              CPMS, SATURDAY) is None
    assert read_callback_time(moment_typed("lundi 14h, et sur le 72 plutôt"), CPMS, SATURDAY).window.start.hour == 14


def test_demain_typed_after_midnight_is_the_day_starting():
    """« demain matin » typed at 0 h 40 on Tuesday means Tuesday morning, not Wednesday; at 8 h, Wednesday."""
    night = datetime(2026, 11, 24, 0, 40, tzinfo=PARIS)
    assert read_callback_time("demain matin", CPMS, night).window.start.date().day == 24
    assert read_callback_time("après-demain 14h", CPMS, night).window.start.date().day == 25
    assert read_callback_time("demain matin", CPMS, datetime(2026, 11, 24, 8, tzinfo=PARIS)).window.start.day == 25
    assert read_callback_time("lundi 14h", CPMS, night).window.start.date().day == 30  # weekdays as before


@pytest.mark.parametrize("text, start, end", [
    # members' round 18 (m18-A-01, m18-D-02): each became 9 h – 11 h, or was refused
    ("demain 9h-10h alors puisque vous ouvrez a 9h", "2026-12-03 09:00", "2026-12-03 10:00"),
    ("entre 8h et 10h PAS APRES", "2026-12-03 09:00", "2026-12-03 10:00"),
    ("Plutôt vers 11h30 - midi", "2026-12-03 11:30", "2026-12-03 12:00"),
    ("lundi prochain en fin de matinée", "2026-12-07 10:30", "2026-12-07 12:30"),
    ("le matin avant 10h svp", "2026-12-03 09:00", "2026-12-03 10:00"),
    ("lundi 9 h 30", "2026-12-07 09:30", "2026-12-07 11:30"),
])
def test_ranges_and_the_end_of_the_morning(text, start, end):
    now = datetime(2026, 12, 2, 15, 0, tzinfo=PARIS)
    reading = read_callback_time(text, load_organisation("cpms").opening_hours, now, who_fr="CPMS")
    assert reading is not None and reading.window is not None, reading
    assert reading.window.start.strftime("%Y-%m-%d %H:%M") == start
    assert reading.window.end.strftime("%Y-%m-%d %H:%M") == end


def test_before_an_hour_with_the_end_not_wanted():
    # members' round 18 (m18-A-01 M21): « jai dit AVANT 10h pas jusqua 11h, je bosse a 10h » got a generic answer
    from recours.callback_times import moment_typed

    now = datetime(2026, 12, 2, 15, 0, tzinfo=PARIS)
    moment = moment_typed("jai dit AVANT 10h pas jusqua 11h, je bosse a 10h")
    reading = read_callback_time(moment, load_organisation("cpms").opening_hours, now, who_fr="CPMS")
    assert (reading.window.start.hour, reading.window.end.hour) == (9, 10)


@pytest.mark.parametrize("typed, expected", [
    # members' round 20 (m20-C-01 M18, m20-B-01): booked the same day
    ("jeudi prochain plutôt le matin", date(2026, 12, 10)),
    ("un matin de la semaine prochaine", date(2026, 12, 7)),
    ("le mardi de la semaine prochaine", date(2026, 12, 8)),
    ("jeudi", date(2026, 12, 3)),
])
def test_next_week_and_next_weekday_said_on_that_weekday(typed, expected):
    from recours.callback_times import _named_day
    from recours.text import fold_aligned

    assert _named_day(fold_aligned(typed), date(2026, 12, 3)) == expected  # a Thursday
