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
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Callable

from dateutil.relativedelta import relativedelta

__all__ = ["DateError", "DateNotUnderstood", "FutureDate", "ParsedDate", "parse_french_date", "format_date_fr"]


@dataclass(frozen=True)
class ParsedDate:
    value: date
    approximate: bool
    text_fr: str  # the date written out in French, e.g. "jeudi 3 septembre 2026"


class DateError(ValueError):
    """Base of the errors whose ``message_fr`` can be shown to the member as is."""

    def __init__(self, message_fr: str) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr


class DateNotUnderstood(DateError):
    """The text holds no date we can trust (nonsense, impossible date, too vague)."""


class FutureDate(DateError):
    """The text is a valid date, but after today: a sending date cannot be in the future."""

    def __init__(self, message_fr: str, value: date | None = None) -> None:
        super().__init__(message_fr)
        self.value = value


# --------------------------------------------------------------------------------------------------
# Vocabulary (accent-folded, lower case)
# --------------------------------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2,
    "mars": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juil": 7, "juill": 7,
    "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}
# Full names, the only targets of typo correction ("fevier", "septmbre", "octobe").
_FULL_MONTHS = ("janvier", "fevrier", "avril", "juillet", "septembre", "octobre", "novembre", "decembre")
# Month words allowed alone ("en sept" is too close to the number seven, "mars"/"mai" are fine).
_MONTH_ALONE = {k: v for k, v in MONTHS.items() if k not in {"sept", "sep", "jan", "dec", "oct", "nov"}}
# Folded words at edit distance 1-2 of a month name that are not months.
_NOT_MONTHS = frozenset({"avait", "octave", "joindre", "nombre", "nombres", "decombre", "decombres"})

NUMBER_WORDS: dict[str, int] = {
    "un": 1, "une": 1, "premier": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "dix sept": 17, "dix huit": 18, "dix neuf": 19, "vingt": 20, "vingt et un": 21,
    "vingt deux": 22, "vingt trois": 23, "vingt quatre": 24, "vingt cinq": 25, "vingt six": 26,
    "vingt sept": 27, "vingt huit": 28, "vingt neuf": 29, "trente": 30, "trente et un": 31,
}

WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}

# Answers meaning "I don't know": a specific message asks for an approximate date instead.
_UNKNOWN_RE = re.compile(
    r"\b(je (ne )?(sais|sait|sai) (plus|pas)|j ?sais (plus|pas)|jsp|aucune idee|sais plus|sais pas|"
    r"(ne )?(me )?(souviens|rappelle) (plus|pas)|oublie|pas de date|je ne sais)\b"
)
# Vague quantities we refuse to turn into a date.
_VAGUE_RE = re.compile(r"\b(quelques|plusieurs|longtemps|recemment|un moment|un bail)\b")


def _alt(words: list[str] | tuple[str, ...] | Any) -> str:
    """Regex alternation, longest first so "vingt et un" wins over "vingt"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MONTH = rf"(?P<month>{_alt(MONTHS)})\.?"
_MONTH_ALONE_RE = rf"(?P<month>{_alt(_MONTH_ALONE)})"
_DAY = rf"(?P<day>\d{{1,2}}(?:er|e)?|{_alt([w for w in NUMBER_WORDS if NUMBER_WORDS[w] <= 31 and w != 'une'])})"
_NUM = rf"(?P<n>\d{{1,3}}|{_alt(NUMBER_WORDS)})"
_NUM2 = rf"(?P<n2>\d{{1,3}}|{_alt(NUMBER_WORDS)})"
_UNIT = r"(?P<unit>jours?|j|semaines?|sem|mois|ans?|annees?)"
_UNIT2 = r"(?P<unit2>jours?|j|semaines?|sem|mois|ans?|annees?)"
_YEAR_MOD = (
    r"(?P<mod>\s+(?:de\s+)?l\s?(?:annee|an)\s+(?:derniere|dernier|passee|passe)"
    r"|\s+(?:de\s+)?cette\s+annee|\s+dernier|\s+passe)?"
)

# ---- patterns; their specificity rank is given where candidates are built (see _Candidate.rank)
_ISO_RE = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_NUMERIC_RE = re.compile(
    r"(?<![\d/.\-])(?P<day>\d{1,2})\s?[/.\-]\s?(?P<month>\d{1,2})(?:\s?[/.\-]\s?(?P<year>\d{4}|"
    r"\d{2}))?(?![\d/.\-]*\d)"
)
_SPACED_NUMERIC_RE = re.compile(r"^(?:le\s+)?(?P<day>\d{1,2}) (?P<month>\d{1,2}) (?P<year>\d{4})$")
_COMPACT_RE = re.compile(r"^(?P<day>\d{2})(?P<month>\d{2})(?P<year>\d{4})$")
_DAY_MONTH_RE = re.compile(rf"\b{_DAY}\s+(?:de\s+|d\s)?{_MONTH}(?:\s+(?P<year>\d{{4}}))?{_YEAR_MOD}(?![a-z])")
_QUALIFIED_MONTH_RE = re.compile(
    r"\b(?P<q>tout debut|debut|premiers jours|premiere semaine|premiere quinzaine|mi|milieu|"
    r"moitie|deuxieme quinzaine|seconde quinzaine|tout fin|fin|derniers jours|derniere semaine)"
    rf"\s+(?:du mois\s+)?(?:de\s+|d\s|du\s+)?(?:mois\s+(?:de\s+|d\s)?)?{_MONTH_ALONE_RE}(?:\s+(?P<year>\d{{4}}))?"
    rf"{_YEAR_MOD}(?![a-z])"
)
_QUALIFIED_THIS_MONTH_RE = re.compile(
    r"\b(?P<q>tout debut|debut|mi|milieu|fin|tout fin)\s+(?:de\s+)?(?:du|ce)\s+mois"
    r"(?P<which>\s+(?:dernier|passe|precedent|ci))?\b"
)
_DAY_OF_LAST_MONTH_RE = re.compile(rf"\ble\s+{_DAY}\s+du\s+mois\s+(?P<which>dernier|passe|precedent)\b")
_RELATIVE_RE = re.compile(
    r"\b(?P<lead>il y a|y a|ya|ca fait|cela fait|voila|depuis|dans|d ici)\s+(?P<about>environ\s+|a peu pres\s+|"
    r"presque\s+|plus d\s?|plus de\s+|pres de\s+|moins d\s?|moins de\s+|bientot\s+|deja\s+|genre\s+)?"
    rf"{_NUM}\s+{_UNIT}(?P<half>\s+et\s+demie?)?(?:\s+et\s+{_NUM2}\s+{_UNIT2})?(?![a-z])"
)
_AGO_SUFFIX_RE = re.compile(rf"\b{_NUM}\s+{_UNIT}(?P<half>\s+et\s+demie?)?\s+(?:auparavant|plus tot|en arriere)\b")
_BARE_DURATION_RE = re.compile(rf"^(?:environ\s+|a peu pres\s+)?{_NUM}\s+{_UNIT}(?P<half>\s+et\s+demie?)?$")
_ROUND_RE = re.compile(
    r"\b(?:il y a|ca fait|cela fait|depuis)\s+(?:environ\s+)?une?\s+(?P<r>dizaine|quinzaine|huitaine|vingtaine)"
    r"(?:\s+de\s+jours)?\b"
)
_KEYWORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), k)
    for p, k in (
        (r"\bavant avant hier\b", "d-3"),
        (r"\bavant ?hier\b", "d-2"),
        (r"\bapres ?demain\b", "d+2"),
        (r"\bhier\b", "d-1"),
        (r"\bdemain\b", "d+1"),
        (r"\b(aujourd ?hui|aujourdhui|auj|ajd|ajrd|ce matin|cet apres midi|ce midi|ce soir|tout a l heure|"
         r"tt a l heure|a l instant)\b", "d0"),
        (r"\b(la\s+)?semaine\s+(derniere|passee|d avant)\b", "w-1"),
        (r"\b(le\s+)?mois\s+(dernier|passe|precedent)\b", "m-1"),
        (r"\b(l\s?annee|l\s?an)\s+(derniere|dernier|passee|passe)\b", "y-1"),
        (r"\b(la\s+)?semaine\s+prochaine\b|\b(le\s+)?mois\s+prochain\b|\bl\s?annee\s+prochaine\b", "future"),
    )
)
_WEEKDAY_RE = re.compile(rf"\b(?P<wd>{_alt(WEEKDAYS)})(?P<last>\s+(?:dernier|passe))?\b")
_MONTH_ONLY_RE = re.compile(
    rf"\b(?:en\s+|au mois de\s+|au mois d\s|courant\s+|mois de\s+|mois d\s)?{_MONTH_ALONE_RE}"
    rf"(?:\s+(?P<year>\d{{4}}))?{_YEAR_MOD}(?![a-z])"
)
_DAY_ONLY_RE = re.compile(r"^(?:le\s+)(?P<day>\d{1,2})(?:er|e)?$|^(?P<day1>1er|premier)$")
_YEAR_ONLY_RE = re.compile(r"^(?:en\s+|courant\s+|l annee\s+)?(?P<year>(?:19|20)\d{2})$")
# "l'année dernière" anywhere applies to a day or month written without a year ("l'an dernier en mars").
_LAST_YEAR_RE = re.compile(r"\bl\s?(?:annee|an)\s+(?:derniere|dernier|passee|passe)\b")
# Words that justify asking dateparser at all (it turns any lone number into a date).
_DATE_HINT_RE = re.compile(
    rf"\b({_alt(MONTHS)}|{_alt(WEEKDAYS)}|il y a|dernier|derniere|passe|passee|semaine|mois|an|ans|annee|"
    r"jours?|heures?|minutes?|hier|veille|matin|soir)\b"
)


# --------------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case, no accents, apostrophes as spaces, words joined by hyphens split ("mi-juin", "avant-hier")."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("œ", "oe").replace("æ", "ae")
    text = re.sub(r"[’'`´ʼ‘]", " ", text)
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    text = re.sub(r"[«»\"!?;:,()\[\]]", " ", text)
    text = re.sub(r"(?<=[a-z])\.(?=\s|$)", " ", text)  # "sept." -> "sept"; keeps "03.09.2026"
    text = re.sub(r"\s+", " ", text).strip(" .")
    return text


def _osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus transpositions): "fevirer" is 1 from "fevrier"."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=2048)
def _month_typo(token: str) -> str | None:
    """Full month name for a misspelt one, only for words of 5+ letters starting with the same letter."""
    if len(token) < 5 or token in MONTHS or token in _NOT_MONTHS:
        return None
    best: str | None = None
    for name in _FULL_MONTHS:
        if name[0] != token[0] or abs(len(name) - len(token)) > 2:
            continue
        limit = 1 if len(name) <= 7 else 2
        if _osa_distance(token, name) <= limit:
            if best is not None:
                return None  # ambiguous
            best = name
    return best


def _correct_months(text: str) -> str:
    return re.sub(r"[a-z]{5,}", lambda m: _month_typo(m.group(0)) or m.group(0), text)


# --------------------------------------------------------------------------------------------------
# Messages (French, vouvoiement)
# --------------------------------------------------------------------------------------------------

_MONTH_NAMES_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)


def _example(today: date) -> date:
    """A past date to show in messages (the 3rd, two months back): always before today, never confusing."""
    return (today - relativedelta(months=2)).replace(day=3)


def _examples(today: date) -> tuple[str, str, str]:
    ex = _example(today)
    return f"{ex.day} {_MONTH_NAMES_FR[ex.month - 1]} {ex.year}", ex.strftime("%d/%m/%Y"), _MONTH_NAMES_FR[ex.month - 1]


def _not_understood(today: date) -> DateNotUnderstood:
    long_fr, num, _ = _examples(today)
    return DateNotUnderstood(
        "Je n'ai pas compris cette date. Pouvez-vous l'écrire autrement, par exemple "
        f"« {long_fr} », « {num} » ou « il y a deux mois » ?"
    )


def _impossible(raw: str, today: date) -> DateNotUnderstood:
    _, num, _ = _examples(today)
    return DateNotUnderstood(
        f"La date « {raw} » n'existe pas. Écrivez le jour, puis le mois, puis l'année, par exemple « {num} »."
    )


def _unknown(today: date) -> DateNotUnderstood:
    _, _, month = _examples(today)
    return DateNotUnderstood(
        "Une date approximative suffit. Pouvez-vous l'estimer, par exemple "
        f"« début {month} » ou « il y a deux mois » ?"
    )


def _too_vague(today: date) -> DateNotUnderstood:
    long_fr, num, month = _examples(today)
    return DateNotUnderstood(
        "Cette date est trop imprécise. Pouvez-vous indiquer au moins le mois, par exemple "
        f"« début {month} », « {long_fr} » ou « {num} » ?"
    )


def _future(value: date | None, today: date) -> FutureDate:
    long_fr, num, _ = _examples(today)
    which = f"Le {format_date_fr(value)} est" if value is not None else "Cette date est"
    return FutureDate(
        f"{which} après aujourd'hui. Indiquez une date passée, par exemple « {long_fr} » ou « {num} ».",
        value,
    )


def format_date_fr(value: date) -> str:
    """The date as the member reads it ("jeudi 1er octobre 2026").

    Delegates to ``recours.calendar`` so every date shown is written one way (Babel, rules.md §4); imported
    on first use because that module loads the holidays tables (~0.3 s), which parsing does not need.
    """
    from recours.calendar import format_date_fr as calendar_format

    return calendar_format(value)


# --------------------------------------------------------------------------------------------------
# Building dates
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    rank: int  # specificity: 0 full date, 1 relative or qualified month, 2 month or weekday alone, 3 a year
    start: int
    end: int
    build: Callable[[], tuple[date, bool]]  # deferred: raises DateNotUnderstood / FutureDate


def _number(word: str) -> int:
    word = word.strip()
    if word in ("1er", "premier"):
        return 1
    digits = re.match(r"\d+", word)
    if digits:
        return int(digits.group(0))
    return NUMBER_WORDS[word]


def _year_of(raw: str, today: date) -> int:
    """Two-digit years are this century unless that would be in the future ("3/9/99" is 1999)."""
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    return year


def _apply_year_mod(mod: str | None, today: date, last_year: bool = False) -> int | None:
    if not mod:
        return today.year - 1 if last_year else None
    mod = mod.strip()
    if "cette" in mod:
        return today.year
    if "an" in mod:  # "de l'année dernière", "l'an dernier"
        return today.year - 1
    return None  # "dernier" alone: the most recent past occurrence, which is the default anyway


def _checked(year: int, month: int, day: int, raw: str, today: date) -> date:
    if year < today.year - 100:
        raise _not_understood(today)
    try:
        return date(year, month, day)
    except ValueError:
        raise _impossible(raw, today) from None


def _most_recent(month: int, day: int | None, today: date, raw: str, last_day: bool = False) -> date:
    """The latest occurrence not after today; 29 February goes back to the last leap year."""
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        raise _impossible(raw, today)
    for year in range(today.year, today.year - 9, -1):
        try:
            value = _end_of_month(year, month) if last_day else date(year, month, day or 1)
        except ValueError:
            continue
        if value <= today:
            return value
    raise _impossible(raw, today)


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, 1) + relativedelta(months=1, days=-1)


def _date_in(month: int, day: int | None, year: int | None, today: date, raw: str, last_day: bool = False) -> date:
    if year is None:
        return _most_recent(month, day, today, raw, last_day)
    if last_day:
        return _end_of_month(year, month) if 1 <= month <= 12 else _checked(year, month, 1, raw, today)
    return _checked(year, month, day or 1, raw, today)


def _approximate(n: int, unit: str, about: str | None) -> bool:
    """Days are counted exactly, except the idioms "huit jours" / "quinze jours" (a week, a fortnight)."""
    if about:
        return True
    return not unit.startswith("j") or n in (8, 15)


def _shift(today: date, n: int, unit: str, half: bool = False) -> date:
    if unit.startswith("j"):
        return today - timedelta(days=n)
    if unit.startswith("sem"):
        return today - timedelta(days=7 * n + (3 if half else 0))
    if unit == "mois":
        return today - relativedelta(months=n, days=15 if half else 0)
    return today - relativedelta(years=n, months=6 if half else 0)


def _candidates(t: str, today: date) -> list[_Candidate]:
    found: list[_Candidate] = []
    last_year = bool(_LAST_YEAR_RE.search(t))

    def add(rank: int, m: re.Match[str], build: Callable[[], tuple[date, bool]]) -> None:
        found.append(_Candidate(rank, m.start(), m.end(), build))

    for m in _ISO_RE.finditer(t):
        add(0, m, lambda m=m: (_checked(int(m["year"]), int(m["month"]), int(m["day"]), m.group(0), today), False))

    for rx in (_NUMERIC_RE, _SPACED_NUMERIC_RE, _COMPACT_RE):
        for m in rx.finditer(t):
            if rx is _NUMERIC_RE and _ISO_RE.search(t, max(0, m.start() - 5), m.end() + 5):
                continue

            def numeric(m: re.Match[str] = m) -> tuple[date, bool]:
                day, month = int(m["day"]), int(m["month"])
                if m["year"]:
                    return _checked(_year_of(m["year"], today), month, day, m.group(0), today), False
                return _most_recent(month, day, today, m.group(0)), False

            add(0, m, numeric)

    for m in _DAY_MONTH_RE.finditer(t):
        def day_month(m: re.Match[str] = m) -> tuple[date, bool]:
            month = MONTHS[m["month"]]
            year = int(m["year"]) if m["year"] else _apply_year_mod(m["mod"], today, last_year)
            return _date_in(month, _number(m["day"]), year, today, m.group(0).strip()), False

        add(0, m, day_month)

    for m in _DAY_OF_LAST_MONTH_RE.finditer(t):
        def day_last_month(m: re.Match[str] = m) -> tuple[date, bool]:
            first = today.replace(day=1) - relativedelta(months=1)
            return _checked(first.year, first.month, _number(m["day"]), m.group(0), today), False

        add(0, m, day_last_month)

    for m in _QUALIFIED_MONTH_RE.finditer(t):
        def qualified(m: re.Match[str] = m) -> tuple[date, bool]:
            month = MONTHS[m["month"]]
            year = int(m["year"]) if m["year"] else _apply_year_mod(m["mod"], today, last_year)
            q = m["q"]
            if q in ("mi", "milieu", "moitie"):
                return _date_in(month, 15, year, today, m.group(0)), True
            if q in ("deuxieme quinzaine", "seconde quinzaine"):
                return _date_in(month, 16, year, today, m.group(0)), True
            if q in ("fin", "tout fin", "derniers jours", "derniere semaine"):
                return _date_in(month, None, year, today, m.group(0), last_day=True), True
            return _date_in(month, 1, year, today, m.group(0)), True

        add(1, m, qualified)

    for m in _QUALIFIED_THIS_MONTH_RE.finditer(t):
        def this_month(m: re.Match[str] = m) -> tuple[date, bool]:
            first = today.replace(day=1)
            if m["which"] and m["which"].strip() != "ci":
                first -= relativedelta(months=1)
            q = m["q"]
            if q in ("mi", "milieu"):
                value = first.replace(day=15)
            elif q in ("fin", "tout fin"):
                value = first + relativedelta(months=1, days=-1)
            else:
                value = first
            return value, True

        add(1, m, this_month)

    for m in _RELATIVE_RE.finditer(t):
        def relative(m: re.Match[str] = m) -> tuple[date, bool]:
            n = _number(m["n"])
            if m["lead"] in ("dans", "d ici"):
                raise _future(None, today)
            value = _shift(today, n, m["unit"], bool(m["half"]))
            if m["n2"]:
                value = _shift(value, _number(m["n2"]), m["unit2"])
            return value, _approximate(n, m["unit"], m["about"]) or bool(m["n2"] and not m["unit2"].startswith("j"))

        add(1, m, relative)

    for rx in (_AGO_SUFFIX_RE, _BARE_DURATION_RE):
        for m in rx.finditer(t):
            add(1, m, lambda m=m: (
                _shift(today, _number(m["n"]), m["unit"], bool(m["half"])),
                _approximate(_number(m["n"]), m["unit"], m.groupdict().get("about")),
            ))

    for m in _ROUND_RE.finditer(t):
        days = {"dizaine": 10, "quinzaine": 15, "huitaine": 8, "vingtaine": 20}[m["r"]]
        add(1, m, lambda days=days: (today - timedelta(days=days), True))

    for rx, key in _KEYWORDS:
        for m in rx.finditer(t):
            def keyword(key: str = key) -> tuple[date, bool]:
                if key == "future":
                    raise _future(None, today)
                if key.startswith("d"):
                    return today + timedelta(days=int(key[1:])), False
                if key == "w-1":
                    return today - timedelta(days=7), True
                if key == "m-1":
                    return today - relativedelta(months=1), True
                return today - relativedelta(years=1), True

            add(3 if key == "y-1" else 1, m, keyword)

    for m in _WEEKDAY_RE.finditer(t):
        def weekday(m: re.Match[str] = m) -> tuple[date, bool]:
            back = (today.weekday() - WEEKDAYS[m["wd"]]) % 7 or 7  # strictly before today
            return today - timedelta(days=back), False

        add(2, m, weekday)

    for m in _MONTH_ONLY_RE.finditer(t):
        def month_only(m: re.Match[str] = m) -> tuple[date, bool]:
            year = int(m["year"]) if m["year"] else _apply_year_mod(m["mod"], today, last_year)
            return _date_in(MONTHS[m["month"]], 1, year, today, m.group(0).strip()), True

        add(1 if (m["year"] or m["mod"]) else 2, m, month_only)

    m = _DAY_ONLY_RE.match(t)
    if m:
        def day_only(m: re.Match[str] = m) -> tuple[date, bool]:
            day = _number(m["day"] or m["day1"])
            for back in range(0, 3):
                first = today.replace(day=1) - relativedelta(months=back)
                try:
                    value = first.replace(day=day)
                except ValueError:
                    continue
                if value <= today:
                    return value, False
            raise _impossible(m.group(0), today)

        add(0, m, day_only)

    return found


# --------------------------------------------------------------------------------------------------
# dateparser fallback
# --------------------------------------------------------------------------------------------------


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


def _from_dateparser(t: str, today: date) -> tuple[date, bool] | None:
    if not _DATE_HINT_RE.search(t):
        return None
    data = _dateparser_for(today).get_date_data(t)
    if data is None or data.date_obj is None:
        return None
    value = data.date_obj.date()
    if value.year < today.year - 100:
        return None
    return value, data.period not in ("day", "time")


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------


def parse_french_date(text: str, today: date) -> ParsedDate:
    """Read one past date in ``text`` as a French member writes it; ``today`` is passed so tests and the
    ``RECOURS_TODAY`` demo date apply (``recours.settings.today()`` in production).

    Raises ``DateNotUnderstood`` or ``FutureDate``, whose ``message_fr`` can be shown to the member.
    """
    t = _correct_months(_fold(text or ""))
    if not t:
        raise _not_understood(today)

    candidates = sorted(_candidates(t, today), key=lambda c: (c.rank, c.start, -(c.end - c.start)))
    if candidates:
        # The most precise, then the first; a candidate that is no valid past date ("12.50 €" read as a
        # day and month) gives way to the next one, and its error is raised only when none is valid.
        first_error: DateError | None = None
        failed: list[_Candidate] = []
        for candidate in candidates:
            if any(candidate.start < f.end and f.start < candidate.end for f in failed):
                continue  # "le 31 septembre" must not fall back on "septembre"
            try:
                value, approximate = candidate.build()
                if value > today:
                    raise _future(value, today)
                break
            except DateError as error:
                first_error = first_error or error
                failed.append(candidate)
        else:
            assert first_error is not None
            raise first_error
    else:
        if _UNKNOWN_RE.search(t):
            raise _unknown(today)
        if _VAGUE_RE.search(t) or _YEAR_ONLY_RE.match(t):
            raise _too_vague(today)
        result = _from_dateparser(t, today)
        if result is None:
            raise _not_understood(today)
        value, approximate = result

    if value > today:
        raise _future(value, today)
    return ParsedDate(value=value, approximate=approximate, text_fr=format_date_fr(value))
