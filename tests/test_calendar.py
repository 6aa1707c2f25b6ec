"""French calendar arithmetic. Expected dates are computed by hand (weekday and holiday noted per row)."""

from datetime import date

import pytest

from recours import calendar as cal
from recours import dates
from recours.calendar import (
    add_months,
    add_working_days,
    add_years,
    holiday_subdivision,
    is_working_day,
    next_working_day_if_closed,
)


@pytest.mark.parametrize(
    ("day", "department", "expected"),
    [
        (date(2026, 11, 21), None, True),  # Saturday: a jour ouvrable
        (date(2026, 11, 22), None, False),  # Sunday
        (date(2026, 11, 23), None, True),  # Monday
        (date(2026, 11, 2), None, True),  # Monday, All Souls is not a holiday
        (date(2026, 5, 1), None, False),  # Friday, 1 May
        (date(2026, 5, 8), None, False),  # Friday, 8 May
        (date(2026, 7, 14), None, False),  # Tuesday, 14 July
        (date(2026, 4, 6), None, False),  # Easter Monday 2026 (Easter 5 April)
        (date(2026, 5, 14), None, False),  # Ascension 2026 (Easter + 39)
        (date(2026, 5, 25), None, False),  # Whit Monday 2026 (Easter + 50)
        (date(2027, 5, 6), None, False),  # Ascension 2027 (Easter 28 March)
        (date(2027, 3, 29), None, False),  # Easter Monday 2027
        (date(2026, 8, 15), None, False),  # Saturday 15 August: holiday
        (date(2026, 11, 11), None, False),  # Wednesday 11 November
        (date(2026, 12, 25), None, False),  # Friday, Christmas
        (date(2027, 1, 1), None, False),  # Friday, New Year
        (date(2026, 12, 26), None, True),  # Saturday 26 December: not a national holiday
        (date(2026, 12, 26), "57", False),  # Moselle
        (date(2026, 12, 26), "67", False),  # Bas-Rhin
        (date(2026, 12, 26), 68, False),  # Haut-Rhin, given as an int
        (date(2026, 12, 26), "75", True),  # Paris: national calendar
        (date(2026, 4, 3), None, True),  # Good Friday 2026: national working day
        (date(2026, 4, 3), "57", False),  # Good Friday in Alsace-Moselle
        (date(2026, 4, 3), "67", False),
        (date(2027, 12, 20), "974", False),  # La Réunion, abolition of slavery (Monday)
        (date(2027, 12, 20), None, True),
        (date(2026, 5, 27), "971", False),  # Guadeloupe, 27 May (Wednesday)
    ],
)
def test_is_working_day(day, department, expected):
    assert is_working_day(day, department) is expected


@pytest.mark.parametrize(
    ("department", "expected"),
    [("57", "57"), ("67", "57"), (68, "57"), (" 67 ", "57"), ("75", None), ("2A", None), ("974", "974"),
     ("", None), (None, None), ("99", None)],
)
def test_holiday_subdivision(department, expected):
    assert holiday_subdivision(department) == expected


@pytest.mark.parametrize(
    ("start", "n", "department", "expected"),
    [
        # Mon 2 Nov 2026: 3,4,5,6,7 | Sun 8 | 9,10 | Wed 11 Nov | 12,13,14
        (date(2026, 11, 2), 10, None, date(2026, 11, 14)),
        # Wed 18 Nov 2026: 19,20,21 | 23..28 | 30
        (date(2026, 11, 18), 10, None, date(2026, 11, 30)),
        # Thu 30 Apr 2026, a week with several holidays: 1 May, 8 May, Ascension 14 May are skipped
        (date(2026, 4, 30), 10, None, date(2026, 5, 15)),
        # Year boundary: Mon 21 Dec 2026, skips 25 Dec, Sun 27, 1 Jan, Sun 3 Jan
        (date(2026, 12, 21), 10, None, date(2027, 1, 4)),
        # Same in Bas-Rhin: Sat 26 Dec is also skipped
        (date(2026, 12, 21), 10, "67", date(2027, 1, 5)),
        # Tue 31 Mar 2026, Easter weekend: Easter Monday 6 Apr skipped
        (date(2026, 3, 31), 5, None, date(2026, 4, 7)),
        # Same in Moselle: Good Friday 3 Apr skipped as well
        (date(2026, 3, 31), 5, "57", date(2026, 4, 8)),
        (date(2026, 11, 21), 1, None, date(2026, 11, 23)),  # from a Saturday: Sunday skipped
        (date(2026, 11, 22), 1, None, date(2026, 11, 23)),  # from a Sunday
        (date(2026, 11, 20), 1, None, date(2026, 11, 21)),  # Friday -> Saturday counts
        (date(2026, 11, 22), 0, None, date(2026, 11, 22)),  # n = 0: unchanged
    ],
)
def test_add_working_days(start, n, department, expected):
    assert add_working_days(start, n, department) == expected


def test_add_working_days_rejects_negative():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 2), -1)


@pytest.mark.parametrize(
    ("add", "start", "n", "expected"),
    [
        (add_months, date(2026, 11, 18), 2, date(2027, 1, 18)),  # plain, across the year boundary
        (add_months, date(2026, 1, 31), 1, date(2026, 2, 28)),  # 31st -> last day of February
        (add_months, date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (add_months, date(2026, 12, 31), 2, date(2027, 2, 28)),  # non-leap target year
        (add_months, date(2027, 12, 31), 2, date(2028, 2, 29)),  # leap target year
        (add_months, date(2026, 12, 29), 2, date(2027, 2, 28)),  # 29th in a non-leap February
        (add_months, date(2026, 8, 31), 1, date(2026, 9, 30)),  # 31st -> 30-day month
        (add_months, date(2026, 10, 31), 2, date(2026, 12, 31)),
        (add_months, date(2028, 2, 29), 12, date(2029, 2, 28)),
        (add_months, date(2026, 3, 15), 0, date(2026, 3, 15)),
        (add_years, date(2028, 2, 29), 1, date(2029, 2, 28)),
        (add_years, date(2024, 2, 29), 4, date(2028, 2, 29)),
        (add_years, date(2027, 2, 28), 1, date(2028, 2, 28)),  # stays the 28th in a leap year
        (add_years, date(2026, 12, 31), 1, date(2027, 12, 31)),
        (add_years, date(2026, 11, 18), 1, date(2027, 11, 18)),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_add_months_and_years(add, start, n, expected):
    assert add(start, n) == expected


@pytest.mark.parametrize(
    ("day", "department", "saturday_closed", "expected"),
    [
        (date(2026, 11, 21), None, False, date(2026, 11, 21)),  # Saturday stays (rules.md §4)
        (date(2026, 11, 22), None, False, date(2026, 11, 23)),  # Sunday -> Monday
        (date(2026, 5, 1), None, False, date(2026, 5, 2)),  # Friday 1 May -> Saturday
        (date(2026, 4, 5), None, False, date(2026, 4, 7)),  # Easter Sunday, Easter Monday -> Tuesday
        (date(2026, 11, 11), None, False, date(2026, 11, 12)),  # Wednesday 11 Nov -> Thursday
        (date(2026, 8, 15), None, False, date(2026, 8, 17)),  # Saturday 15 Aug, Sunday -> Monday
        (date(2026, 12, 25), None, False, date(2026, 12, 26)),  # Christmas -> Saturday 26
        (date(2026, 12, 25), "57", False, date(2026, 12, 28)),  # Moselle: 26 Dec closed, Sunday -> Monday
        (date(2026, 12, 26), "67", False, date(2026, 12, 28)),
        (date(2026, 12, 26), None, False, date(2026, 12, 26)),
        (date(2026, 12, 31), None, False, date(2026, 12, 31)),
        (date(2027, 1, 1), None, False, date(2027, 1, 2)),  # New Year (Friday) -> Saturday
        (date(2027, 3, 26), "57", False, date(2027, 3, 27)),  # Good Friday 2027 in Moselle -> Saturday
        (date(2027, 3, 26), None, False, date(2027, 3, 26)),
        # Saturday closed as well
        (date(2026, 11, 21), None, True, date(2026, 11, 23)),  # Saturday -> Monday (CPC 642)
        (date(2026, 11, 23), None, True, date(2026, 11, 23)),  # Monday stays
        (date(2026, 5, 1), None, True, date(2026, 5, 4)),  # Friday 1 May -> Monday 4
        (date(2027, 1, 1), None, True, date(2027, 1, 4)),
        (date(2026, 12, 25), None, True, date(2026, 12, 28)),
        (date(2026, 5, 23), None, True, date(2026, 5, 26)),  # Saturday, Sunday, Whit Monday -> Tuesday
    ],
)
def test_next_working_day_if_closed(day, department, saturday_closed, expected):
    assert next_working_day_if_closed(day, department, saturday_closed=saturday_closed) == expected


# recours.dates writes a date through the calendar's function, imported on first use: both say the same.
@pytest.mark.parametrize("format_date_fr", [cal.format_date_fr, dates.format_date_fr], ids=["calendar", "dates"])
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 31), "jeudi 31 décembre 2026"),
        (date(2027, 1, 18), "lundi 18 janvier 2027"),
        (date(2026, 8, 15), "samedi 15 août 2026"),
        (date(2026, 9, 3), "jeudi 3 septembre 2026"),
        (date(2027, 2, 28), "dimanche 28 février 2027"),
        (date(2028, 2, 29), "mardi 29 février 2028"),
        (date(2026, 5, 1), "vendredi 1er mai 2026"),
        (date(2026, 10, 1), "jeudi 1er octobre 2026"),
        (date(2027, 1, 1), "vendredi 1er janvier 2027"),
    ],
)
def test_format_date_fr(format_date_fr, day, expected):
    assert format_date_fr(day) == expected


def test_holiday_tables_are_cached_per_year_and_subdivision():
    cal._holiday_table.cache_clear()
    is_working_day(date(2026, 5, 1))
    is_working_day(date(2026, 7, 14))
    is_working_day(date(2026, 12, 26), "67")
    is_working_day(date(2026, 12, 26), "68")
    info = cal._holiday_table.cache_info()
    assert info.misses == 2  # (2026, None) and (2026, "57")
    assert info.hits == 2
