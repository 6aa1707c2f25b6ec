"""French calendar arithmetic for complaint and appeal deadlines.

Why a module of its own: every date the assistant shows a member (acknowledgement, answer, mediation window,
CPAM appeal) is derived from the same few rules (shared/domain/rules.md §4, facts.md §2), and getting one of
them wrong (a Sunday, a public holiday, the 31st of a month, 29 February) gives the member a wrong deadline.

- A *jour ouvrable* is Monday to Saturday, except public holidays (Code du travail L3133-1; the holidays
  package knows the 11 national ones and computes Easter-based ones). Alsace-Moselle (départements 57, 67, 68)
  adds 26 December and Good Friday; overseas départements add their abolition-of-slavery day.
- Month arithmetic keeps the day number, or takes the last day of the month when it does not exist
  (CPC art. 641; dateutil's relativedelta does exactly that).
- Dates are written in French with Babel: "jeudi 31 décembre 2026".
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from babel.dates import format_date
from dateutil.relativedelta import relativedelta

SUNDAY = 6
SATURDAY = 5

# holidays.France has one subdivision for Alsace-Moselle, named after Moselle (57); Bas-Rhin (67) and
# Haut-Rhin (68) share its local holidays (26 December, Good Friday).
_ALSACE_MOSELLE = {"57": "57", "67": "57", "68": "57"}


def holiday_subdivision(department: str | int | None) -> str | None:
    """The ``holidays.France`` subdivision for a département number, or None for the national calendar.

    Unknown or mainland départements without local holidays (e.g. "75", "2A") use the national calendar.
    """
    if department is None:
        return None
    code = str(department).strip().upper()
    if not code:
        return None
    if code in _ALSACE_MOSELLE:
        return _ALSACE_MOSELLE[code]
    if code in holidays.France.subdivisions:
        return code
    return None


@lru_cache(maxsize=256)
def _holiday_table(year: int, subdiv: str | None) -> frozenset[date]:
    """Public holidays of one year for one subdivision (cached: building the table is not free)."""
    return frozenset(holidays.France(years=year, subdiv=subdiv).keys())


def is_public_holiday(d: date, department: str | int | None = None) -> bool:
    """True when ``d`` is a French public holiday (with the département's local ones when known)."""
    return d in _holiday_table(d.year, holiday_subdivision(department))


def is_working_day(d: date, department: str | int | None = None) -> bool:
    """True for a *jour ouvrable*: Monday to Saturday and not a public holiday."""
    return d.weekday() != SUNDAY and not is_public_holiday(d, department)


def add_working_days(start: date, n: int, department: str | int | None = None) -> date:
    """The date ``n`` jours ouvrables after ``start``; the start day itself does not count.

    ``n == 0`` returns ``start`` unchanged.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    current = start
    remaining = n
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, department):
            remaining -= 1
    return current


def add_months(d: date, n: int) -> date:
    """Same day number ``n`` months later, or the last day of the month when it does not exist."""
    return d + relativedelta(months=n)


def add_years(d: date, n: int) -> date:
    """Same date ``n`` years later; 29 February becomes 28 February in a non-leap year."""
    return d + relativedelta(years=n)


def next_working_day_if_closed(
    d: date, department: str | int | None = None, *, saturday_closed: bool = False
) -> date:
    """Move a deadline that ends on a closed day to the next *jour ouvrable*; an open day is returned as is.

    Decision on Saturday (rules.md §4 vs CPC art. 642, facts.md §2):

    - Default (``saturday_closed=False``): only a Sunday or a public holiday moves the deadline. This is the
      product rule for the organisation's complaint deadlines (rules.md §4): the ACPR counts in jours
      ouvrables, of which Saturday is one, and CPC 642 applies to those deadlines only by analogy.
    - ``saturday_closed=True``: CPC art. 642 as written (« un samedi, un dimanche ou un jour férié ou chômé »
      -> « premier jour ouvrable suivant »). Used for legal/procedural deadlines such as the CPAM's CRA/CMRA
      appeal (recours.cpam), to which the Code de procédure civile applies. A Saturday is then never a valid
      end date, so the deadline lands on the next Monday-to-Friday day that is not a holiday.
    """
    current = d
    while not is_working_day(current, department) or (saturday_closed and current.weekday() == SATURDAY):
        current += timedelta(days=1)
    return current


def format_date_fr(d: date) -> str:
    """The date as a member reads it: "jeudi 31 décembre 2026" (Babel, fr_FR).

    The first day of a month is written "1er" ("vendredi 1er mai 2026"), as French requires; Babel's
    pattern has no ordinal for the day.
    """
    text = format_date(d, "EEEE d MMMM y", locale="fr_FR")
    if d.day == 1:
        weekday, _day, rest = text.split(" ", 2)
        text = f"{weekday} 1er {rest}"
    return text
