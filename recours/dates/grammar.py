"""The small grammar of French dates: the patterns, each with its specificity rank, and the date each
candidate builds (on demand: building may raise ``DateNotUnderstood`` or ``FutureDate``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from dateutil.relativedelta import relativedelta

from recours.dates.results import future, impossible, not_understood
from recours.dates.vocabulary import MONTH_ALONE, MONTHS, NUMBER_WORDS, WEEKDAYS, alternation

_MONTH = rf"(?P<month>{alternation(MONTHS)})\.?"
_MONTH_ALONE_RE = rf"(?P<month>{alternation(MONTH_ALONE)})"
_DAY = rf"(?P<day>\d{{1,2}}(?:er|e)?|{alternation([w for w in NUMBER_WORDS if NUMBER_WORDS[w] <= 31 and w != 'une'])})"
# A number and a unit of time, named so that a duration can have two ("2 mois et 10 jours").
_NUM, _NUM2 = (rf"(?P<{name}>\d{{1,3}}|{alternation(NUMBER_WORDS)})" for name in ("n", "n2"))
_UNIT, _UNIT2 = (rf"(?P<{name}>jours?|j|semaines?|sem|mois|ans?|annees?)" for name in ("unit", "unit2"))
_YEAR_MOD = (
    r"(?P<mod>\s+(?:de\s+)?l\s?(?:annee|an)\s+(?:derniere|dernier|passee|passe)"
    r"|\s+(?:de\s+)?cette\s+annee|\s+dernier|\s+passe)?"
)

# ---- patterns; their specificity rank is given where candidates are built (see Candidate.rank)
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
_WEEKDAY_RE = re.compile(rf"\b(?P<wd>{alternation(WEEKDAYS)})(?P<last>\s+(?:dernier|passe))?\b")
_MONTH_ONLY_RE = re.compile(
    rf"\b(?:en\s+|au mois de\s+|au mois d\s|courant\s+|mois de\s+|mois d\s)?{_MONTH_ALONE_RE}"
    rf"(?:\s+(?P<year>\d{{4}}))?{_YEAR_MOD}(?![a-z])"
)
_DAY_ONLY_RE = re.compile(r"^(?:le\s+)(?P<day>\d{1,2})(?:er|e)?$|^(?P<day1>1er|premier)$")
YEAR_ONLY_RE = re.compile(r"^(?:en\s+|courant\s+|l annee\s+)?(?P<year>(?:19|20)\d{2})$")
# "l'année dernière" anywhere applies to a day or month written without a year ("l'an dernier en mars").
_LAST_YEAR_RE = re.compile(r"\bl\s?(?:annee|an)\s+(?:derniere|dernier|passee|passe)\b")


@dataclass(frozen=True)
class Candidate:
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
        raise not_understood(today)
    try:
        return date(year, month, day)
    except ValueError:
        raise impossible(raw, today) from None


def _most_recent(month: int, day: int | None, today: date, raw: str, last_day: bool = False) -> date:
    """The latest occurrence not after today; 29 February goes back to the last leap year."""
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        raise impossible(raw, today)
    for year in range(today.year, today.year - 9, -1):
        try:
            value = _end_of_month(year, month) if last_day else date(year, month, day or 1)
        except ValueError:
            continue
        if value <= today:
            return value
    raise impossible(raw, today)


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


def find_candidates(t: str, today: date) -> list[Candidate]:
    found: list[Candidate] = []
    last_year = bool(_LAST_YEAR_RE.search(t))

    def add(rank: int, m: re.Match[str], build: Callable[[], tuple[date, bool]]) -> None:
        found.append(Candidate(rank, m.start(), m.end(), build))

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
                raise future(None, today)
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
                    raise future(None, today)
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
            raise impossible(m.group(0), today)

        add(0, m, day_only)

    return found
