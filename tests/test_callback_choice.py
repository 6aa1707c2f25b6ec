"""Which call-back the member means among a conversation's (recours/callback_choice.py; members' rounds 12–15)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from recours.callback_choice import asks_if_cancelled, pick
from recours.settings import PARIS


@dataclass(frozen=True)
class Booked:
    reference: str
    window_start: datetime
    window_end: datetime
    phone_masked: str
    cancelled: bool = False


def at(day: int, start: int, end: int) -> tuple[datetime, datetime]:
    return datetime(2026, 12, day, start, tzinfo=PARIS), datetime(2026, 12, day, end, tzinfo=PARIS)


# Round 15, D-02: Thursday 14–15 on the 27 (moved, so cancelled), Friday 10–12 on the 27, then Friday 10–12 on the 72.
THURSDAY_27 = Booked("RAP-2026-A6SD5Z", *at(3, 14, 15), "06 ** ** ** 27", cancelled=True)
FRIDAY_27 = Booked("RAP-2026-ZCZ5PA", *at(4, 10, 12), "06 ** ** ** 27")
FRIDAY_72 = Booked("RAP-2026-9V6AHS", *at(4, 10, 12), "06 ** ** ** 72")
ROUND_15 = [THURSDAY_27, FRIDAY_27, FRIDAY_72]


@pytest.mark.parametrize("text, chosen", [
    ("et l'autre rappel de vendredi sur le 27, il est bien annulé ? je ne veux pas deux appels", ("RAP-2026-ZCZ5PA",)),
    ("annulez celui du 72", ("RAP-2026-9V6AHS",)),
    ("annulez le rappel au 27", ("RAP-2026-ZCZ5PA",)),
    ("annulez l'autre rappel", ("RAP-2026-ZCZ5PA",)),
    ("annulez le dernier rappel", ("RAP-2026-9V6AHS",)),
    ("annulez le rappel RAP-2026-ZCZ5PA svp", ("RAP-2026-ZCZ5PA",)),
    ("annulez le rappel rap 2026 zcz5pa", ("RAP-2026-ZCZ5PA",)),
    # nothing designates one: both active ones, the member is asked which
    ("annulez le rappel de vendredi", ("RAP-2026-ZCZ5PA", "RAP-2026-9V6AHS")),
])
def test_the_call_back_meant_is_chosen(text, chosen):
    assert pick(text, ROUND_15).chosen == chosen


def test_the_one_to_keep_is_told_apart_from_the_one_to_cancel():
    choice = pick("non !! pas celui-là, je voulais garder celui du 72 et annuler celui du 27", ROUND_15)
    assert choice.chosen == ("RAP-2026-ZCZ5PA",)
    assert choice.kept == ("RAP-2026-9V6AHS",)


def test_a_cancelled_call_back_is_designated_only_when_asked_about():
    assert pick("le rappel de jeudi", ROUND_15).chosen == ("RAP-2026-ZCZ5PA", "RAP-2026-9V6AHS")
    assert pick("le rappel de jeudi est bien annulé ?", ROUND_15, acting_on_cancelled=True).chosen == (
        "RAP-2026-A6SD5Z",)


def test_hours_and_noon_designate_the_window_they_fall_in():
    noon = Booked("RAP-2026-MIDI00", *at(4, 12, 14), "06 ** ** ** 27")
    morning = Booked("RAP-2026-MATIN0", *at(4, 9, 11), "06 ** ** ** 27")
    assert pick("annulez le rappel de midi", [morning, noon]).chosen == ("RAP-2026-MIDI00",)
    assert pick("annulez celui de 9h", [morning, noon]).chosen == ("RAP-2026-MATIN0",)
    assert pick("annulez le rappel du 4 décembre", [morning, noon]).chosen == ("RAP-2026-MATIN0", "RAP-2026-MIDI00")


@pytest.mark.parametrize("text, question", [
    ("il est bien annulé ?", True),
    ("il est annulé ou pas, le rappel au 72 ?", True),
    ("est-ce qu'il a bien été annulé ?", True),
    ("le rappel a-t-il été annulé ?", True),
    ("c'est annulé ?", True),
    ("annulez le rappel", False),
    ("vous pouvez annuler le rappel ?", False),
])
def test_a_question_about_a_cancellation_is_not_an_order(text, question):
    assert asks_if_cancelled(text) is question


@pytest.mark.parametrize("text, undo", [
    ("en fait si rappelez moi jeudi apres midi", "rebook"),  # lead's conversation after round 19
    ("finalement si, rappelez-moi demain matin", "rebook"),
    ("non finalement gardez-le", "keep"),
    ("en fait si", "keep"),
    ("non pardon pas celui-là", "instead"),
    ("celui de vendredi", "instead"),
    ("et celui de vendredi aussi", "as_well"),
    ("merci", None),
])
def test_what_a_message_just_after_a_cancellation_says_about_it(text, undo):
    from recours.callback_choice import undo_of_cancellation

    assert undo_of_cancellation(text) == undo
