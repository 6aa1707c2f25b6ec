"""Dates as members write them in French ("le 3 septembre", "fin août", "il y a deux mois") -> ``date``.

Why our own grammar first and dateparser only as a fallback: measured with dateparser 1.2.0
(``languages=["fr"]``, ``DATE_ORDER="DMY"``, ``PREFER_DATES_FROM="past"``), it reads "3 sept" as 3 *July*
("sept" = seven), "2026-09-03" as 9 March, "le 3 octobre a 10h" as 2010-10-03, a lone "2" as the 2nd of the
month and "1000" as the year 1000, and it returns nothing for "début octobre", "fin août", "mi-juin",
"il y a quinze jours", "lundi dernier", "avant hier" or "3 septembre dernier". The dates parsed here drive
legal deadlines (mediation from two months after the written complaint, at most one year), so a wrong date
is worse than a question: the common forms are handled by the small grammar below, with exact validation,
and dateparser only sees what the grammar did not recognise and that contains a date-like word.

dateparser costs ~0.3 s to import and ~30 ms on its first call, so it is imported lazily, once; the grammar
path never imports it. It needs no network: with ``languages`` given it does no language detection and so
never looks for the optional fastText model (the only thing ``dateparser-download`` fetches).

Rules applied:
- day first, always (French);
- a date without a year is its most recent past occurrence (today 2026-11-21: "3 décembre" -> 2025-12-03);
- a month alone or "début <mois>" is the 1st, "mi-<mois>" the 15th, "fin <mois>" the last day, all marked
  ``approximate``; so are "il y a N semaines/mois/ans", "la semaine dernière", "le mois dernier";
- when several dates are written, the most precise one wins (a full day and month over a relative
  expression over a month or weekday alone), then the first one;
- a date after ``today`` raises ``FutureDate``; anything else not understood raises ``DateNotUnderstood``.

The package: ``parsing`` (parse_french_date, which candidate wins), ``grammar`` (the patterns and the dates they
build), ``vocabulary`` (month, number and weekday words; the text as the grammar reads it, misspelt months
corrected), ``dateparser_fallback``, ``results`` (ParsedDate, the errors and their French messages).
"""

from datetime import date

from recours.dates.parsing import parse_french_date
from recours.dates.results import DateError, DateNotUnderstood, FutureDate, ParsedDate, format_date_fr

__all__ = ["DateError", "DateNotUnderstood", "FutureDate", "ParsedDate", "parse_french_date", "format_date_fr",
           "exact_past_date"]


def exact_past_date(text: str, today: "date") -> "date | None":
    """The exact date ``text`` names, when it is not after ``today``; None for none, an approximate one (« mi-octobre »)
    or a future one."""
    try:
        parsed = parse_french_date(text, today)
    except DateError:
        return None
    return parsed.value if not parsed.approximate and parsed.value <= today else None
