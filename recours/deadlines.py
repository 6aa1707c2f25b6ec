"""Deadlines the organisation must meet once a written complaint was sent (rules.md §4).

Why per organisation: each publishes its own commitment and the assistant repeats what the organisation
promised (CPMS: "10 jours" and "2 mois"; Identités Mutuelle and KLESIA: "10 jours ouvrables" and "2 mois").
Without an organisation the regulatory default applies (ACPR recommendation 2024-R-02 of 2 July 2024, which
replaced 2022-R-01 with the same deadlines): acknowledgement within 10 jours ouvrables, answer within 2 calendar
months, both counted from the date the complaint was **sent**.

Counting: the sending day does not count; a deadline in months keeps the day number (or the month's last day);
a deadline ending on a Sunday or a public holiday moves to the next jour ouvrable (Saturday is a jour
ouvrable, see recours.calendar.next_working_day_if_closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from recours.calendar import add_months, add_working_days, format_date_fr, next_working_day_if_closed
from recours.messages import message_fr
from recours.organisations import Delay, Organisation

REGULATORY_ACKNOWLEDGEMENT = Delay(
    value=10, unit="working_days", published_fr=message_fr("deadlines.regulatory_acknowledgement")
)
REGULATORY_ANSWER = Delay(value=2, unit="months", published_fr=message_fr("deadlines.regulatory_answer"))


@dataclass(frozen=True)
class ComplaintDeadlines:
    acknowledge_by: date
    answer_by: date

    def explain_fr(self, organisation_name: str) -> str:
        """One French sentence a member reads after recording the complaint."""
        return message_fr("deadlines.complaint", organisation=organisation_name,
                          acknowledge_by=format_date_fr(self.acknowledge_by), answer_by=format_date_fr(self.answer_by))


def deadline_after(sent_on: date, delay: Delay, department: str | int | None = None) -> date:
    """The last day of ``delay`` counted from ``sent_on`` (the sending day does not count)."""
    if delay.unit == "working_days":
        return add_working_days(sent_on, delay.value, department)
    if delay.unit == "calendar_days":
        end = sent_on + timedelta(days=delay.value)
    elif delay.unit == "months":
        end = add_months(sent_on, delay.value)
    else:  # pragma: no cover - the schema only allows the three units
        raise ValueError(f"Unknown delay unit {delay.unit!r}")
    return next_working_day_if_closed(end, department)


def complaint_deadlines(
    sent_on: date, organisation: Organisation | None, department: str | int | None = None
) -> ComplaintDeadlines:
    """Acknowledgement and answer deadlines for a complaint sent on ``sent_on``.

    ``organisation`` None gives the regulatory default. ``department`` (e.g. "67") adds local holidays.
    """
    if organisation is None:
        acknowledgement, answer = REGULATORY_ACKNOWLEDGEMENT, REGULATORY_ANSWER
    else:
        acknowledgement, answer = organisation.delays.acknowledgement, organisation.delays.answer
    return ComplaintDeadlines(
        acknowledge_by=deadline_after(sent_on, acknowledgement, department),
        answer_by=deadline_after(sent_on, answer, department),
    )


@dataclass(frozen=True)
class RecordDeadlines:
    """The deadlines of a complaint recorded on ``recorded_on`` (rules.md §4, changed).

    When the member had already sent a written complaint on the same matter and has no answer yet, the clocks
    run from that first letter (``counted_from``), not from today's recording: today's record is dated and
    acknowledged as a reminder, and the answer date told is the one due on the first letter — the same one the
    mediation window is counted from (recours.mediation), so the two can never contradict each other.
    """

    recorded_on: date
    counted_from: date
    deadlines: ComplaintDeadlines

    @property
    def reminder(self) -> bool:
        return self.counted_from < self.recorded_on

    @property
    def acknowledge_by(self) -> date:
        return self.deadlines.acknowledge_by

    @property
    def answer_by(self) -> date:
        return self.deadlines.answer_by

    def explain_fr(self, organisation_name: str, *, recorded: bool = True) -> str:
        """The deadline sentences read after recording (``recorded``) or before it; past deadlines in the past."""
        dates = {"organisation": organisation_name, "acknowledge_by": format_date_fr(self.acknowledge_by),
                 "answer_by": format_date_fr(self.answer_by)}
        if not self.reminder:
            return message_fr("deadlines.recorded", **dates)
        today = self.recorded_on
        lead = message_fr("deadlines.reminder_recorded" if recorded else "deadlines.reminder_to_record",
                          first_complaint=format_date_fr(self.counted_from))
        passed = {
            (False, False): "deadlines.reminder_due",
            (True, False): "deadlines.reminder_acknowledgement_passed",
            (False, True): "deadlines.reminder_answer_passed",
            (True, True): "deadlines.reminder_passed",
        }[(self.acknowledge_by < today, self.answer_by < today)]
        return f"{lead} {message_fr(passed, **dates)}"


def record_deadlines(
    recorded_on: date,
    organisation: Organisation | None,
    *,
    first_complaint_date: date | None = None,
    answer_received: bool | None = None,
    department: str | int | None = None,
) -> RecordDeadlines:
    """Deadlines of today's record: from an earlier unanswered written complaint when there is one."""
    counted_from = recorded_on
    if first_complaint_date is not None and first_complaint_date < recorded_on and not answer_received:
        counted_from = first_complaint_date
    return RecordDeadlines(recorded_on, counted_from, complaint_deadlines(counted_from, organisation, department))


# Départements whose local holidays can move a deadline (recours.calendar): Alsace-Moselle (57 stands for 57, 67
# and 68) and the overseas départements.
LOCAL_HOLIDAY_DEPARTMENTS = ("57", "971", "972", "973", "974", "976")


# Pure (frozen Organisation, dates): asked on every form turn, computed once per day and history.
@lru_cache(maxsize=256)
def local_holidays_matter(
    recorded_on: date,
    organisation: Organisation | None,
    *,
    first_complaint_date: date | None = None,
    answer_received: bool | None = None,
) -> bool:
    """True when a local holiday would change a date the member is told (acknowledgement, answer, mediation).

    The postal code is asked only then: the assistant asks what the conclusion needs, nothing more.
    """
    def dates(department: str | None) -> tuple[date, date]:
        found = record_deadlines(
            recorded_on, organisation, first_complaint_date=first_complaint_date,
            answer_received=answer_received, department=department,
        )
        return found.acknowledge_by, found.answer_by

    national = dates(None)
    return any(dates(department) != national for department in LOCAL_HOLIDAY_DEPARTMENTS)
