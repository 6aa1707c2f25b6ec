"""When the organisation's advisers can be reached: open now or not, the next opening, the hours in French.

A member who asks for a person is told whether someone answers now (rules.md §10), so the hours are computed,
not only quoted. The hours are the data file's (``opening_hours``, Paris wall-clock time, so the DST changes
follow ``Europe/Paris``); a day is closed when no period lists its weekday, or when it is a public holiday and the
organisation closes on public holidays — with the département's local holidays when the member's postal code is
known (recours.calendar: Good Friday and 26 December in Alsace-Moselle, the overseas abolition days).

Said to the member: « Nos conseillers sont joignables maintenant, jusqu'à 17 h. » or « Nos conseillers sont
joignables à partir de lundi 9 h. » (:func:`availability_fr`); the hours as « du lundi au vendredi de 9 h à 17 h »
(:func:`hours_fr`), with « (horaires indicatifs) » when the data file marks them ``to_confirm``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from babel.dates import format_date

from recours.calendar import is_public_holiday
from recours.organisations import WEEKDAYS, OpeningHours
from recours.settings import PARIS

# How far ahead the next opening is looked for: longer than any closure of an office (holidays included).
HORIZON_DAYS = 31
DAY_NAMES_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def _paris(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("naive datetime: give an aware one (recours.settings.now())")
    return at.astimezone(PARIS)


def periods_on(hours: OpeningHours, day: date, department: str | int | None = None) -> list[tuple[datetime, datetime]]:
    """The day's opening periods as aware Paris datetimes, in order; empty when the day is closed."""
    if hours.closed_on_public_holidays and is_public_holiday(day, department):
        return []
    weekday = WEEKDAYS[day.weekday()]
    periods = [
        (datetime.combine(day, period.opens, PARIS), datetime.combine(day, period.closes, PARIS))
        for period in hours.weekly
        if weekday in period.days
    ]
    return sorted(periods)


def open_period(
    hours: OpeningHours, at: datetime, department: str | int | None = None
) -> tuple[datetime, datetime] | None:
    """The period ``at`` falls in (its opening included, its closing not), or None when closed then."""
    at = _paris(at)
    for start, end in periods_on(hours, at.date(), department):
        if start <= at < end:
            return start, end
    return None


def is_open(hours: OpeningHours, at: datetime, department: str | int | None = None) -> bool:
    return open_period(hours, at, department) is not None


def next_opening(hours: OpeningHours, at: datetime, department: str | int | None = None) -> datetime | None:
    """The start of the first period after ``at`` (``at`` itself when open); None when nothing opens within a month."""
    at = _paris(at)
    if is_open(hours, at, department):
        return at
    for offset in range(HORIZON_DAYS + 1):
        for start, _end in periods_on(hours, at.date() + timedelta(days=offset), department):
            if start > at:
                return start
    return None


def time_fr(moment: time | datetime) -> str:
    """« 9 h », « 8 h 30 », « 18 h »."""
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


def day_fr(day: date, today: date) -> str:
    """« aujourd'hui », « demain », « lundi » within the week, else « lundi 4 janvier »."""
    if day == today:
        return "aujourd'hui"
    if day == today + timedelta(days=1):
        return "demain"
    if today < day < today + timedelta(days=7):
        return DAY_NAMES_FR[day.weekday()]
    return format_date(day, "EEEE d MMMM", locale="fr_FR").replace(" 1 ", " 1er ")


def moment_fr(moment: datetime, now: datetime) -> str:
    """« aujourd'hui 14 h », « demain 9 h », « lundi 9 h », « lundi 4 janvier 9 h »."""
    moment = _paris(moment)
    return f"{day_fr(moment.date(), _paris(now).date())} {time_fr(moment)}"


def availability_fr(hours: OpeningHours, now: datetime, department: str | int | None = None) -> str:
    """Whether someone answers now: « Nos conseillers sont joignables maintenant, jusqu'à 17 h. » or when they will."""
    period = open_period(hours, now, department)
    if period is not None:
        return f"Nos conseillers sont joignables maintenant, jusqu'à {time_fr(period[1])}."
    opening = next_opening(hours, now, department)
    if opening is None:
        return "Nos conseillers ne sont pas joignables en ce moment."
    when = moment_fr(opening, now)
    preposition = "d'" if when.startswith("aujourd") else "de "
    return f"Nos conseillers sont joignables à partir {preposition}{when}."


def _days_fr(days: tuple[str, ...]) -> str:
    indexes = sorted(WEEKDAYS.index(day) for day in days)
    if len(indexes) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"du {DAY_NAMES_FR[indexes[0]]} au {DAY_NAMES_FR[indexes[-1]]}"
    names = [DAY_NAMES_FR[i] for i in indexes]
    return "le " + (" et le ".join(names) if len(names) <= 2 else ", le ".join(names[:-1]) + " et le " + names[-1])


def hours_fr(hours: OpeningHours) -> str:
    """« du lundi au vendredi de 9 h à 17 h », « … de 9 h à 12 h 30 et de 13 h 30 à 17 h ; le samedi de 9 h à 12 h »,
    with « (horaires indicatifs) » when no source gives them."""
    by_days: dict[tuple[str, ...], list[str]] = {}
    for period in hours.weekly:
        key = tuple(sorted(period.days, key=WEEKDAYS.index))
        by_days.setdefault(key, []).append(f"de {time_fr(period.opens)} à {time_fr(period.closes)}")
    text = " ; ".join(f"{_days_fr(days)} {' et '.join(ranges)}" for days, ranges in by_days.items())
    if hours.closed_on_public_holidays:
        text += ", sauf les jours fériés"
    return text + (" (horaires indicatifs)" if hours.to_confirm else "")
