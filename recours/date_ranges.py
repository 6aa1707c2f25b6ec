"""The earliest day an approximate date allows (« mi-octobre », « il y a deux mois »), for legal deadlines.

Where a date drives a legal deadline (the CRA/CMRA appeal, mediation's 1 year), an approximate date is not
enough (rules.md §10): the assistant asks for the exact date on the letter and, if the member does not know it,
counts from the earliest day the words allow, and says so — a deadline counted from a later guess could tell
the member they still have time when they do not.

``recours.dates`` reads « mi-octobre » as the 15th (its representative day); the ranges here are the days the
words cover: début = 1–10, mi / milieu = 10–20, fin / derniers jours = 20–end, a month alone = the whole month,
« il y a N mois / semaines / ans » = give or take half a unit.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from recours.dates import ParsedDate
from recours.dates.parsing import ALTERNATIVE_DAYS_RE
from recours.text import fold

__all__ = ["earliest_day"]

_RELATIVE = re.compile(r"\b(?:il y a|y a|ya|ca fait|cela fait|voila|depuis)\b.*\b(?P<unit>jours?|semaines?|mois|ans?|annees?)\b")


def earliest_day(text: str, parsed: ParsedDate) -> date:
    """The first day ``text`` (read as ``parsed``) can mean; ``parsed.value`` itself when it is exact."""
    if not parsed.approximate:
        return parsed.value
    folded = fold(text, apostrophes=" ", hyphens=" ")
    value = parsed.value
    if ALTERNATIVE_DAYS_RE.search(folded):
        return value  # « le 28 ou le 29 août »: the first of the days offered
    relative = _RELATIVE.search(folded)
    if relative:
        unit = relative["unit"]
        if unit.startswith("jour"):
            return value - timedelta(days=2)
        if unit.startswith("semaine"):
            return value - timedelta(days=3)
        if unit.startswith("mois"):
            return value - timedelta(days=15)
        return value - relativedelta(months=6)
    if re.search(r"\b(?:mi|milieu|moitie)\b", folded):
        return value.replace(day=10)
    if re.search(r"\b(?:fin|derniers jours|derniere semaine)\b", folded):
        return value.replace(day=20)
    if re.search(r"\bsemaine derniere\b", folded):
        return value - timedelta(days=value.weekday())
    return value.replace(day=1)
