"""French dates as members write them -> date (recours/dates.py). Today is fixed: Saturday 21 November 2026."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from recours.dates import DateError, DateNotUnderstood, FutureDate, ParsedDate, parse_french_date

TODAY = date(2026, 11, 21)  # a Saturday
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("text", "expected", "approximate"),
    [
        # day + month, with or without year; no year = most recent past occurrence
        ("le 3 septembre", date(2026, 9, 3), False),
        ("3 septembre 2026", date(2026, 9, 3), False),
        ("Le 3 Septembre", date(2026, 9, 3), False),
        ("LE 3 SEPTEMBRE 2026.", date(2026, 9, 3), False),
        ("3 décembre", date(2025, 12, 3), False),
        ("le 21 novembre", date(2026, 11, 21), False),
        ("le 22 novembre", date(2025, 11, 22), False),
        ("le 1er mars", date(2026, 3, 1), False),
        ("le premier octobre", date(2026, 10, 1), False),
        ("le trois septembre", date(2026, 9, 3), False),
        ("le sept septembre", date(2026, 9, 7), False),
        ("le 3 septembre 2025", date(2025, 9, 3), False),
        ("3 septembre dernier", date(2026, 9, 3), False),
        ("le 3 septembre de l'année dernière", date(2025, 9, 3), False),
        ("29 février", date(2024, 2, 29), False),
        ("le 14 juillet", date(2026, 7, 14), False),
        # abbreviations ("sept" is September after a day number, not seven)
        ("3 sept", date(2026, 9, 3), False),
        ("3 sept. 2026", date(2026, 9, 3), False),
        ("le 3 janv", date(2026, 1, 3), False),
        ("3 fév 2026", date(2026, 2, 3), False),
        ("3 juil.", date(2026, 7, 3), False),
        ("le 3 nov", date(2026, 11, 3), False),
        # missing accents, typos
        ("3 fevrier", date(2026, 2, 3), False),
        ("le 3 aout", date(2026, 8, 3), False),
        ("le 10 decembre", date(2025, 12, 10), False),
        ("le 3 fevirer", date(2026, 2, 3), False),
        ("le 5 septmbre", date(2026, 9, 5), False),
        ("le 12 octobe", date(2026, 10, 12), False),
        ("12 novembr 2025", date(2025, 11, 12), False),
        ("le 4 nobembre", date(2026, 11, 4), False),
        # numeric, day first always
        ("03/09/2026", date(2026, 9, 3), False),
        ("3/9", date(2026, 9, 3), False),
        ("le 03/09", date(2026, 9, 3), False),
        ("3/9/26", date(2026, 9, 3), False),
        ("3/12", date(2025, 12, 3), False),
        ("13/10/2026", date(2026, 10, 13), False),
        ("03-09-2026", date(2026, 9, 3), False),
        ("3.9.2026", date(2026, 9, 3), False),
        ("03 09 2026", date(2026, 9, 3), False),
        ("03092026", date(2026, 9, 3), False),
        ("2026-09-03", date(2026, 9, 3), False),  # ISO stays year-month-day
        ("3/9/99", date(1999, 9, 3), False),
        # inside a sentence; other numbers do not get in the way
        ("je leur ai écrit le 12 mars dernier", date(2026, 3, 12), False),
        ("J'ai envoyé ma lettre le 3 octobre à 10h", date(2026, 10, 3), False),
        ("j'ai payé 12.50 euros le 3 octobre", date(2026, 10, 3), False),
        ("depuis le 12 octobre", date(2026, 10, 12), False),
        ("vers le 10 octobre", date(2026, 10, 10), False),
        ("le 3 octobre 2026 à 14h30", date(2026, 10, 3), False),
        # beginning / middle / end of a month: approximate
        ("début octobre", date(2026, 10, 1), True),
        ("debut octobre", date(2026, 10, 1), True),
        ("tout début décembre", date(2025, 12, 1), True),
        ("début du mois d'octobre", date(2026, 10, 1), True),
        ("fin août", date(2026, 8, 31), True),
        ("fin aout 2025", date(2025, 8, 31), True),
        ("fin d'août", date(2026, 8, 31), True),
        ("fin février", date(2026, 2, 28), True),
        ("fin novembre", date(2025, 11, 30), True),  # end of this November is still to come
        ("mi-juin", date(2026, 6, 15), True),
        ("mi juin", date(2026, 6, 15), True),
        ("milieu de juin", date(2026, 6, 15), True),
        ("début du mois", date(2026, 11, 1), True),
        ("fin du mois dernier", date(2026, 10, 31), True),
        ("mi-octobre dernier", date(2026, 10, 15), True),
        # a month alone: the 1st, approximate
        ("en janvier", date(2026, 1, 1), True),
        ("janvier", date(2026, 1, 1), True),
        ("fevrier", date(2026, 2, 1), True),
        ("decembre", date(2025, 12, 1), True),
        ("novembre", date(2026, 11, 1), True),
        ("au mois de mai", date(2026, 5, 1), True),
        ("en mars dernier", date(2026, 3, 1), True),
        ("mars 2025", date(2025, 3, 1), True),
        ("en mars de l'année dernière", date(2025, 3, 1), True),
        ("l'an dernier en mars", date(2025, 3, 1), True),
        ("octobre 2026 je crois", date(2026, 10, 1), True),
        ("septmbre", date(2026, 9, 1), True),
        # relative
        ("il y a deux mois", date(2026, 9, 21), True),
        ("il y a 2 mois", date(2026, 9, 21), True),
        ("ya 2 mois", date(2026, 9, 21), True),
        ("ça fait 3 semaines", date(2026, 10, 31), True),
        ("il y a 3 semaines", date(2026, 10, 31), True),
        ("il y a une semaine", date(2026, 11, 14), True),
        ("il y a un mois et demi", date(2026, 10, 6), True),
        ("il y a 1 an et 2 mois", date(2025, 9, 21), True),
        ("il y a quinze jours", date(2026, 11, 6), True),
        ("il y a une quinzaine de jours", date(2026, 11, 6), True),
        ("il y a 10 jours", date(2026, 11, 11), False),
        ("il y a trois jours", date(2026, 11, 18), False),
        ("il y a à peu près 10 jours", date(2026, 11, 11), True),
        ("3 semaines", date(2026, 10, 31), True),
        ("la semaine dernière", date(2026, 11, 14), True),
        ("la semaine derniere", date(2026, 11, 14), True),
        ("le mois dernier", date(2026, 10, 21), True),
        ("l'année dernière", date(2025, 11, 21), True),
        ("le 3 du mois dernier", date(2026, 10, 3), False),
        ("hier", date(2026, 11, 20), False),
        ("hier soir", date(2026, 11, 20), False),
        ("avant-hier", date(2026, 11, 19), False),
        ("avant hier", date(2026, 11, 19), False),
        ("aujourd'hui", date(2026, 11, 21), False),
        ("aujourdhui", date(2026, 11, 21), False),
        # weekdays: the last one before today
        ("lundi dernier", date(2026, 11, 16), False),
        ("samedi", date(2026, 11, 14), False),
        ("vendredi", date(2026, 11, 20), False),
        # a day alone: this month, or the last month that had it
        ("le 15", date(2026, 11, 15), False),
        ("le 1er", date(2026, 11, 1), False),
        ("le 30", date(2026, 10, 30), False),
        # not in the grammar: dateparser's answer, guarded
        ("il y a 3 heures", date(2026, 11, 21), False),
        ("nov 2025", date(2025, 11, 1), True),
        ("cette semaine", date(2026, 11, 21), True),
    ],
)
def test_parse_french_date(text: str, expected: date, approximate: bool) -> None:
    parsed = parse_french_date(text, TODAY)
    assert (parsed.value, parsed.approximate) == (expected, approximate)


@pytest.mark.parametrize(
    "text",
    [
        "je sais plus", "je ne sais pas", "jsp", "aucune idée", "je ne me souviens plus", "banane", "",
        "   ", "oui", "mais", "2", "1000", "32/13/2026", "12/31/2026", "31/09/2026", "le 31 septembre",
        "29/02/2025", "0/0", "12.50", "2025", "en 2025", "il y a quelques semaines", "il y a longtemps",
        "récemment", "noël", "avait", "un nombre de jours", "il y a un certain nombre de semaines",
    ],
)
def test_not_understood(text: str) -> None:
    with pytest.raises(DateNotUnderstood) as caught:
        parse_french_date(text, TODAY)
    _assert_member_message(caught.value)


@pytest.mark.parametrize(
    "text",
    ["3 décembre 2026", "le 22/11/2026", "mi juin 2027", "demain", "après-demain", "dans 3 jours",
     "la semaine prochaine", "le mois prochain"],
)
def test_future_date(text: str) -> None:
    with pytest.raises(FutureDate) as caught:
        parse_french_date(text, TODAY)
    _assert_member_message(caught.value)
    assert "passée" in caught.value.message_fr


def test_future_date_names_the_date() -> None:
    with pytest.raises(FutureDate) as caught:
        parse_french_date("3 décembre 2026", TODAY)
    assert caught.value.value == date(2026, 12, 3)
    assert "jeudi 3 décembre 2026" in caught.value.message_fr


def test_impossible_date_is_quoted_back() -> None:
    with pytest.raises(DateNotUnderstood) as caught:
        parse_french_date("32/13/2026", TODAY)
    assert "« 32/13/2026 » n'existe pas" in caught.value.message_fr


def test_unknown_asks_for_an_approximate_date() -> None:
    with pytest.raises(DateNotUnderstood) as caught:
        parse_french_date("je sais plus trop", TODAY)
    assert "approximative" in caught.value.message_fr
    assert "début septembre" in caught.value.message_fr


def test_examples_in_messages_are_in_the_past() -> None:
    for today in (date(2026, 1, 10), date(2026, 11, 21), date(2027, 3, 31)):
        with pytest.raises(DateNotUnderstood) as caught:
            parse_french_date("banane", today)
        example = re.search(r"« (\d{2}/\d{2}/\d{4}) »", caught.value.message_fr)
        assert example is not None
        assert parse_french_date(example.group(1), today).value < today


def test_errors_are_value_errors_with_french_message() -> None:
    assert issubclass(DateNotUnderstood, DateError) and issubclass(FutureDate, DateError)
    assert issubclass(DateError, ValueError)


# recours.dates.format_date_fr itself: tests/test_calendar.py, with the calendar's.
def test_parsed_date_carries_its_french_text() -> None:
    parsed = parse_french_date("début octobre", TODAY)
    assert parsed == ParsedDate(date(2026, 10, 1), True, "jeudi 1er octobre 2026")


def test_year_rolls_back_from_january() -> None:
    assert parse_french_date("le 20 décembre", date(2027, 1, 5)).value == date(2026, 12, 20)
    assert parse_french_date("le mois dernier", date(2026, 3, 31)).value == date(2026, 2, 28)


def test_the_grammar_never_loads_dateparser() -> None:
    # how long the import and a call take is a bench figure (python -m bench), not a unit test
    code = (
        "import sys; from datetime import date; import recours.dates as d; "
        "d.parse_french_date('le 3 septembre', date(2026, 11, 21)); print('dateparser' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"},
    ).stdout.split()
    assert out[0] == "False"


def test_dateparser_fallback_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # a new "today" builds a new dateparser parser, under the ban
    assert parse_french_date("il y a 3 heures", date(2026, 6, 2)).value == date(2026, 6, 2)


def _assert_member_message(error: DateError) -> None:
    message = error.message_fr
    assert message and message == str(error)
    assert re.search(r"\b(vous|votre|Pouvez-vous|Indiquez|Écrivez)\b", message)
    assert not re.search(r"\b(tu|te|ton|ta|tes)\b", message)
    assert "«" in message  # always an example of an accepted format


@pytest.mark.parametrize(
    "text, first",
    [("le 4 ou le 5 novembre", date(2026, 11, 4)), ("le 28 ou le 29 août", date(2026, 8, 28)),
     ("entre le 3 et le 5 mars", date(2026, 3, 3)), ("du 28 au 30 août", date(2026, 8, 28))],
)
def test_two_days_offered_are_approximate_from_the_first(text, first):
    from recours.date_ranges import earliest_day
    parsed = parse_french_date(text, date(2026, 12, 1))
    assert parsed.approximate and parsed.value == first and earliest_day(text, parsed) == first


def test_a_date_with_a_slash_is_not_two_days():
    parsed = parse_french_date("le 4/11", date(2026, 12, 1))
    assert not parsed.approximate and parsed.value == date(2026, 11, 4)
