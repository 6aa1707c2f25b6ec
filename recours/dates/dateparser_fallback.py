"""dateparser, asked only about what the grammar did not recognise and that holds a date-like word; imported on
first need (~0.3 s), never by the grammar path."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from recours.dates.vocabulary import MONTHS, WEEKDAYS, alternation

# Words that justify asking dateparser at all (it turns any lone number into a date).
DATE_HINT_RE = re.compile(
    rf"\b({alternation(MONTHS)}|{alternation(WEEKDAYS)}|il y a|dernier|derniere|passe|passee|semaine|mois|an|ans|annee|"
    r"jours?|heures?|minutes?|hier|veille|matin|soir)\b"
)



@lru_cache(maxsize=8)
def _dateparser_for(today: date) -> Any:
    """One DateDataParser per "today" (its RELATIVE_BASE); the import happens here, on first need."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["fr"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "past",
            "PREFER_DAY_OF_MONTH": "first",
            # noon, so that "il y a 3 heures" stays today
            "RELATIVE_BASE": datetime.combine(today, time(12, 0)),
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


def from_dateparser(t: str, today: date) -> tuple[date, bool] | None:
    if not DATE_HINT_RE.search(t):
        return None
    data = _dateparser_for(today).get_date_data(t)
    if data is None or data.date_obj is None:
        return None
    value = data.date_obj.date()
    if value.year < today.year - 100:
        return None
    return value, data.period not in ("day", "time")

