"""What parsing gives: a ``ParsedDate``, or an error whose ``message_fr`` the member reads (French, vouvoiement),
always with an example of an accepted format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta


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


def not_understood(today: date) -> DateNotUnderstood:
    long_fr, num, _ = _examples(today)
    return DateNotUnderstood(
        "Je n'ai pas compris cette date. Pouvez-vous l'écrire autrement, par exemple "
        f"« {long_fr} », « {num} » ou « il y a deux mois » ?"
    )


def impossible(raw: str, today: date) -> DateNotUnderstood:
    _, num, _ = _examples(today)
    return DateNotUnderstood(
        f"La date « {raw} » n'existe pas. Écrivez le jour, puis le mois, puis l'année, par exemple « {num} »."
    )


def unknown(today: date) -> DateNotUnderstood:
    _, _, month = _examples(today)
    return DateNotUnderstood(
        "Une date approximative suffit. Pouvez-vous l'estimer, par exemple "
        f"« début {month} » ou « il y a deux mois » ?"
    )


def too_vague(today: date) -> DateNotUnderstood:
    long_fr, num, month = _examples(today)
    return DateNotUnderstood(
        "Cette date est trop imprécise. Pouvez-vous indiquer au moins le mois, par exemple "
        f"« début {month} », « {long_fr} » ou « {num} » ?"
    )


def future(value: date | None, today: date) -> FutureDate:
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
