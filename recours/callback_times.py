"""When the organisation calls the member back: time windows within its opening hours, and the member's answer.

A call-back is promised for a window, not a minute: at most :data:`WINDOW` long, inside one opening period
(recours.opening_hours), never starting less than :data:`LEAD` from now, and a window never leaves a sliver of
less than an hour before the period closes (it takes it). The assistant offers the next few windows as buttons
(:func:`next_windows`) and reads a typed answer too (:func:`read_callback_time`):

- « le plus tôt possible », « dès que possible », « peu importe »: the first window;
- a day — « aujourd'hui », « demain », « après-demain », « lundi », « le 24 », « 24/11 », « 24 novembre » — and/or a
  part of the day — « matin », « midi », « après-midi », « soir » — and/or an hour — « 14h », « 14 h 30 »,
  « 9:00 »: the first window that fits them, starting at the hour when one is given;
- what does not fit the hours (a Sunday, 20 h, a public holiday, an hour already past) is refused with a reason
  in French, and the buttons are offered again.

The button of a window sends its own wording back (« lundi 23 novembre 2026, 9 h »), which this reader reads like
any typed answer: nothing but text travels, on every channel. The sentences are in recours/data/messages_fr.yml
(``callback_times``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from babel.dates import format_date

from recours import answers
from recours.text import fold_aligned
from recours.calendar import format_date_fr
from recours.dates.vocabulary import MONTHS
from recours.messages import message_fr, message_group_fr
from recours.opening_hours import DAY_NAMES_FR, HORIZON_DAYS, day_fr, periods_on, time_fr
from recours.organisations import OpeningHours
from recours.settings import PARIS
from recours.patterns import patterns

WINDOW = timedelta(hours=2)
LEAD = timedelta(minutes=30)
MIN_TAIL = timedelta(hours=1)
QUARTER = 15  # window starts are rounded up to a quarter of an hour

# Parts of the day: (first start allowed, last start allowed).
PARTS = {
    "morning": (time(0, 0), time(11, 59)),
    "late_morning": (time(10, 30), time(11, 59)),
    "noon": (time(12, 0), time(13, 59)),
    "afternoon": (time(13, 0), time(23, 59)),
    "evening": (time(16, 0), time(23, 59)),
}
PARTS_FR = message_group_fr("callback_times.parts")  # « le matin », by the keys of PARTS

_P = patterns("callback_times")
_PART_RES = (
    ("afternoon", re.compile(r"\b(?:apres ?midi|aprem\w*|apres le dejeuner)\b")),
    ("noon", re.compile(r"\b(?<!apres )(?:midi|entre midi et (?:deux|2|14 ?h)|pause (?:de )?midi|dejeuner)\b")),
    ("evening", re.compile(r"\b(?:soir|soiree|fin de (?:journee|l apres ?midi|apres ?midi)|en fin de journee)\b")),
    ("morning", re.compile(r"\b(?:matin|matinee|ce matin)\b")),
)
# « en fin de matinée » (members' round 18: a call-back at 9 h): from 10 h 30, the morning's last window
_LATE_MORNING = re.compile(r"\b(?:fin de (?:la )?matinee|en fin de matinee|tard dans la matinee)\b")
_WEEKDAY_RE = re.compile(r"\b(?P<weekday>" + "|".join(DAY_NAMES_FR) + r")\b")
_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_DAY_MONTH_RE = re.compile(
    rf"\b(?P<day>[0-3]?\d)(?:er)? ?(?:/ ?(?P<month_number>[01]?\d)(?: ?/ ?\d{{2,4}})?|(?P<month_name>{_MONTH_NAMES})\.?"
    r"(?: \d{4})?)\b"
)


@dataclass(frozen=True)
class CallbackWindow:
    """When the member is called back: ``start`` to ``end``, aware Paris datetimes."""

    start: datetime
    end: datetime

    @property
    def slot_value(self) -> str:
        """How the window is kept in a slot: an ISO 8601 interval."""
        return f"{self.start.isoformat(timespec='minutes')}/{self.end.isoformat(timespec='minutes')}"

    @classmethod
    def from_slot_value(cls, value: str) -> "CallbackWindow":
        start, end = value.split("/")
        return cls(datetime.fromisoformat(start).astimezone(PARIS), datetime.fromisoformat(end).astimezone(PARIS))

    def when_fr(self) -> str:
        """« le lundi 23 novembre 2026 entre 9 h et 11 h »."""
        return message_fr("callback_times.window", date=format_date_fr(self.start.date()), start=time_fr(self.start),
                          end=time_fr(self.end))

    def label_fr(self, now: datetime) -> str:
        """A button's title: « Aujourd'hui, 14 h – 16 h », « Lundi 23 nov., 9 h – 11 h »."""
        today = now.astimezone(PARIS).date()
        day = self.start.date()
        if day in (today, today + timedelta(days=1)):
            name = day_fr(day, today)
        else:
            name = format_date(day, "EEE d MMM", locale="fr_FR")
        return f"{name[:1].upper()}{name[1:]}, {time_fr(self.start)} – {time_fr(self.end)}"

    def answer_fr(self) -> str:
        """What the window's button sends back, read again by :func:`read_callback_time`."""
        return f"{format_date_fr(self.start.date())}, {time_fr(self.start)}"


@dataclass(frozen=True)
class CallbackReading:
    """The member's answer read: the window chosen, or why none fits (``problem_fr``, said to the member)."""

    window: CallbackWindow | None = None
    problem_fr: str | None = None


def _round_up(moment: datetime) -> datetime:
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    extra = -moment.minute % QUARTER
    return moment + timedelta(minutes=extra)


def _window_in(period: tuple[datetime, datetime], start: datetime) -> CallbackWindow | None:
    """The window starting at ``start`` inside ``period``, or None when too little of the period is left."""
    opens, closes = period
    if start < opens or closes - start < timedelta(minutes=30):
        return None
    end = min(start + WINDOW, closes)
    if closes - end < MIN_TAIL:
        end = closes
    return CallbackWindow(start, end)


def first_window(
    hours: OpeningHours, earliest: datetime, department: str | int | None = None, *,
    day: date | None = None, part: str | None = None,
) -> CallbackWindow | None:
    """The first window starting at ``earliest`` or later (on ``day`` only, in ``part`` of the day only)."""
    earliest = _round_up(earliest.astimezone(PARIS))
    first_day = day or earliest.date()
    days = [day] if day else [first_day + timedelta(days=n) for n in range(HORIZON_DAYS + 1)]
    for current in days:
        for period in periods_on(hours, current, department):
            start = max(period[0], earliest)
            if part is not None:
                low, high = PARTS[part]
                start = max(start, datetime.combine(current, low, PARIS))
                if start.time() > high:
                    continue
            window = _window_in(period, start)
            if window is not None:
                return window
    return None


def next_windows(
    hours: OpeningHours, now: datetime, department: str | int | None = None, count: int = 4
) -> list[CallbackWindow]:
    """The ``count`` next windows, one after the other, the first one as early as allowed."""
    windows: list[CallbackWindow] = []
    earliest = now.astimezone(PARIS) + LEAD
    while len(windows) < count:
        window = first_window(hours, earliest, department)
        if window is None:
            break
        windows.append(window)
        earliest = window.end
    return windows


# Before this hour, « demain » is the day that is starting: typed at 0 h 40, « demain matin » means in a few hours,
# after the night, not the day after (people count days by their sleep). The confirmation names the date.
NIGHT_ENDS_AT = 4


def _day(folded: str, today: date, hour: int = 12) -> tuple[date | None, bool]:
    """The day named, and whether it was named by its weekday only (« lundi » on a Monday may mean next week).
    ``hour``: the time of day now, in Paris (see ``NIGHT_ENDS_AT``)."""
    day = _named_day(folded, today - timedelta(days=1) if hour < NIGHT_ENDS_AT and re.search(
        r"\bdemain\b", folded) else today)
    return day, day is not None and not _DAY_MONTH_RE.search(folded) and bool(_WEEKDAY_RE.search(folded)) and \
        not re.search(r"\b(?:aujourd ?hui|demain|ce (?:matin|soir|midi)|cet apres ?midi)\b", folded)


def _named_day(folded: str, today: date) -> date | None:
    if re.search(r"\bapres demain\b", folded):
        return today + timedelta(days=2)
    if re.search(r"\bdemain\b", folded):
        return today + timedelta(days=1)
    if re.search(r"\b(?:aujourd ?hui|ce matin|cet apres ?midi|ce soir|ce midi|dans la journee)\b", folded):
        return today
    match = _DAY_MONTH_RE.search(folded)
    if match:
        month = int(match.group("month_number")) if match.group("month_number") else MONTHS[match.group("month_name")]
        return _next_date(today, int(match.group("day")), month)
    weekday = _WEEKDAY_RE.search(folded)
    next_week = re.search(r"\bsemaine (?:prochaine|d apres)\b", folded)
    if weekday and next_week:
        # « le mardi de la semaine prochaine »: in next week, whatever today is
        monday = today + timedelta(days=7 - today.weekday())
        return monday + timedelta(days=DAY_NAMES_FR.index(weekday.group("weekday")))
    if weekday:
        offset = (DAY_NAMES_FR.index(weekday.group("weekday")) - today.weekday()) % 7
        if offset == 0 and re.search(r"\b" + weekday.group("weekday") + r" (?:prochain|d apres|suivant)\b", folded):
            offset = 7  # « jeudi prochain » said on a Thursday (members' round 20: booked the same day)
        return today + timedelta(days=offset)
    if next_week:
        # « un matin de la semaine prochaine » (members' round 20: booked today): its first day
        return today + timedelta(days=7 - today.weekday())
    match = _P.day_alone.search(folded)
    if match:
        return _next_date(today, int(match.group("day")), None)
    return None


def _next_date(today: date, day: int, month: int | None) -> date | None:
    """The first date from ``today`` on with this day (and month): « le 24 » is this month's or the next one's."""
    if month is None:
        candidates = [(today.year, today.month), (today.year + today.month // 12, today.month % 12 + 1)]
    else:
        candidates = [(today.year, month), (today.year + 1, month)]
    for year, candidate_month in candidates:
        try:
            candidate = date(year, candidate_month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _hour(folded: str) -> time | None:
    # « entre 10 heures et midi », « de 10h à midi »: midi ends the range, the hour before it starts it (round 12)
    ends_at_noon = re.search(r"\b(?:et|a|jusqu a|jusqua)\s+midi\b", folded) and _P.hour.search(folded)
    if re.search(r"\bmidi\b", folded) and not re.search(r"\bapres ?midi|entre midi\b", folded) and not ends_at_noon:
        return time(12, 0)
    match = _P.hour.search(folded)
    if not match:
        return None
    return time(int(match.group("hour")), int(match.group("minute") or 0))


def _hour_of(said: str) -> time | None:
    """« midi », « 13h », « 15h30 », « 10 heures »."""
    if said.strip() == "midi":
        return time(12, 0)
    match = _P.hour.search(said)
    return time(int(match.group("hour")), int(match.group("minute") or 0)) if match else None


def without_phone_numbers(text: str) -> str:
    """``text`` with its phone numbers blanked (« vendredi 10h au 06 00 00 00 72 »: no date in the number)."""
    return re.sub(r"\+?\d(?:[\s.\-]?\d){5,}", " ", text or "")


def moment_typed(text: str) -> str:
    """The part of a message that says when to call, without a phone number (a number is no date)."""
    without_number = without_phone_numbers(text)
    # « vous avez encore mis le 27 ! », « et sur le 72 »: a number's last digits, no day of the month
    for match in reversed(list(_P.phone_ending.finditer(fold_aligned(without_number)))):  # same positions
        without_number = without_number[:match.start()] + " " + without_number[match.end():]
    return wanted_moment(without_number)


def wanted_moment(text: str) -> str:
    """The part of ``text`` that says when to call: after « décaler … », without the clauses saying when not."""
    # « le matin, mais pas avant 10 heures »: from 10, not a moment to avoid (members' round 12)
    text = re.sub(r"\bpas avant\b", "à partir de", text or "", flags=re.I)
    # « AVANT 10h pas jusqua 11h » (members' round 18): the end not wanted is dropped, the moment wanted stays
    text = re.sub(r"\bpas (?:jusqu['’ ]?\s?[àa]|jusqua|apr[èe]s)\s+[^\s,.;!?]+", " ", text, flags=re.I)
    folded = fold_aligned(text or "")  # same positions as ``text``
    moved = [m for m in _P.moved_to.finditer(folded) if _P.moment_word.search(folded[m.start():])]
    if moved:  # « vous pouvez mettre vendredi vers 10h plutôt ? »: a « plutôt » after the moment does not cut it
        text = text[moved[-1].start():]
    clauses = [c for c in re.split(r"[.,;!?\n]", text) if c.strip()]
    wanted = [c for c in clauses if not _P.unavailable.search(answers.fold(c).replace("'", " "))]
    return " ".join(wanted) if wanted and len(wanted) < len(clauses) else text


def read_callback_time(
    text: str, hours: OpeningHours, now: datetime, department: str | int | None = None, *, who_fr: str = "on",
) -> CallbackReading | None:
    """The window the member's answer names; None when the text says nothing about a time.

    ``who_fr`` names who calls back in the reasons given (« CPMS ne rappelle pas … »).
    """
    folded = answers.fold(re.sub(r"(\d{1,2}):(\d{2})", r"\1h\2", text or "")).replace("'", " ").replace("-", " ")
    folded = re.sub(r"\s+", " ", folded)
    now = now.astimezone(PARIS)
    earliest = now + LEAD
    day, by_weekday = _day(folded, now.date(), now.hour)
    before = _P.before.search(folded)
    if before:
        # « demain matin avant 10h »: a window that ends by then, from the opening
        folded = folded[:before.start()] + folded[before.end():]
    hour = _hour(folded)
    until = None
    span = _P.hour_range.search(folded)
    if span:
        # « demain entre midi et 13h », « de 14h à 15h30 »: the member's range, its start and its end (round 14)
        first, last = (_hour_of(span.group(g)) for g in ("start", "end"))
        if first is not None and last is not None and last > first:
            hour, until = first, last
    part = next((name for name, rx in _PART_RES if rx.search(folded)), None)
    if _LATE_MORNING.search(folded):
        part = "late_morning"
    if hour is not None and part == "noon":
        part = None  # « midi » as the hour itself
    asap = bool(_P.asap.search(folded))
    if day is None and hour is None and part is None and not asap and not before:
        return None  # (« AVANT 10h » alone: the first window that ends by then)
    if hour is not None and part in ("afternoon", "evening") and hour.hour < 12:
        hour = time(hour.hour + 12, hour.minute)  # « 3h de l'après-midi »
    if by_weekday and day == now.date() and _passed(hours, now, earliest, department, hour, part):
        day += timedelta(days=7)  # « lundi 14h » said on a Monday at 15 h: next Monday
    if hour is not None:
        target_day = day or now.date()
        start = datetime.combine(target_day, hour, PARIS)
        if day is None and start < earliest:
            start += timedelta(days=1)  # « 10h » said at 15 h: tomorrow
            target_day = start.date()
        if start < earliest:
            return CallbackReading(problem_fr=message_fr("callback_times.too_late_today", time=time_fr(hour)))
        period = next((p for p in periods_on(hours, target_day, department) if p[0] <= start < p[1]), None)
        if period is None and until is not None:
            # « entre 8h et 10h » with a 9 h opening (members' round 18): the part of the range when it is open
            end_of_range = datetime.combine(target_day, until, PARIS)
            period = next((p for p in periods_on(hours, target_day, department)
                           if start < p[0] and end_of_range - p[0] >= timedelta(minutes=30)), None)
            if period is not None:
                start = max(period[0], _round_up(earliest) if target_day == earliest.date() else period[0])
        window = _window_in(period, start) if period else None
        if window is None:
            return CallbackReading(problem_fr=_closed_fr(hours, target_day, department, who_fr, at=hour))
        if until is not None:
            end = min(datetime.combine(target_day, until, PARIS), period[1])
            if end - start >= timedelta(minutes=30):
                window = CallbackWindow(start, end)
        return CallbackReading(window)
    window = first_window(hours, earliest, department, day=day, part=part)
    before_time = time(int(before.group("hour")), int(before.group("minute") or 0)) if before else None
    if window is not None and before_time and day is None and window.start >= datetime.combine(
            window.start.date(), before_time, PARIS):
        # « avant 10h » said at 15 h: the next day it can be done
        next_day = datetime.combine(window.start.date() + timedelta(days=1), time(0, 0), PARIS)
        window = first_window(hours, next_day, department, part=part) or window
    if window is not None and before:
        limit = datetime.combine(window.start.date(), before_time, PARIS)
        if window.start >= limit:
            return CallbackReading(problem_fr=message_fr("callback_times.first_window_starts_at",
                                                         time=time_fr(window.start)))
        window = CallbackWindow(window.start, min(window.end, limit))
    if window is None:
        if day is not None:
            return CallbackReading(problem_fr=_closed_fr(hours, day, department, who_fr, part=part))
        if part is None:
            return CallbackReading(problem_fr=message_fr("callback_times.no_window"))
        return CallbackReading(problem_fr=message_fr("callback_times.no_window_in_part", part=PARTS_FR[part]))
    return CallbackReading(window)


def _passed(hours: OpeningHours, now: datetime, earliest: datetime, department: str | int | None,
            hour: time | None, part: str | None) -> bool:
    """Nothing is left today for this hour (or part of the day)."""
    if hour is not None:
        return datetime.combine(now.date(), hour, PARIS) < earliest
    return first_window(hours, earliest, department, day=now.date(), part=part) is None


def _closed_fr(hours: OpeningHours, day: date, department: str | int | None, who_fr: str, *,
               at: time | None = None, part: str | None = None) -> str:
    """Why no call-back fits: the day is closed, or the hour / the part of the day is outside the hours."""
    who, when = who_fr[:1].upper() + who_fr[1:], format_date_fr(day)
    if not periods_on(hours, day, department):
        return message_fr("callback_times.closed_on_day", who=who, date=when)
    if at is not None:
        return message_fr("callback_times.closed_at_time", who=who, time=time_fr(at), date=when)
    in_part = PARTS_FR[part] if part else message_fr("callback_times.that_day")
    return message_fr("callback_times.closed_in_part", who=who, part=in_part, date=when)
