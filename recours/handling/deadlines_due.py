"""What a handler must do next on a complaint, and by when: the desk's list is sorted and highlighted by it.

The acknowledgement is due until the complaint is acknowledged or answered (an answer acknowledges it); the
answer is due until it is answered. Each deadline still due is overdue once passed, and due soon from 2 days
before (calendar days: a handler reading the list on Friday sees Sunday's). The next deadline is the earlier of
those still due and sorts the list; the later one is flagged too (a late acknowledgement does not hide an answer
due tomorrow), and the « Dans les 2 jours » filter and count take a complaint with either due soon.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from recours.store import ComplaintStatus

DUE_SOON_DAYS = 2
OVERDUE, DUE_SOON = "overdue", "soon"
DUE_FILTERS = (OVERDUE, DUE_SOON)


@dataclass(frozen=True)
class NextDeadline:
    kind: str  # "acknowledge" or "answer"
    due: date
    urgency: str | None  # OVERDUE, DUE_SOON or None


def urgency_of(due: date, today: date) -> str | None:
    return OVERDUE if due < today else DUE_SOON if due <= today + timedelta(days=DUE_SOON_DAYS) else None


def pending_deadlines(complaint: ComplaintStatus, today: date) -> list[NextDeadline]:
    """The deadlines still due (acknowledgement, answer), nearest first, each with its own urgency."""
    pending = []
    if complaint.acknowledged_on is None and complaint.answered_on is None and complaint.acknowledge_by:
        pending.append(("acknowledge", complaint.acknowledge_by))
    if complaint.answered_on is None and complaint.closed_on is None and complaint.answer_by:
        pending.append(("answer", complaint.answer_by))
    return [NextDeadline(kind, due, urgency_of(due, today)) for kind, due in sorted(pending, key=lambda item: item[1])]


def next_deadline(complaint: ComplaintStatus, today: date) -> NextDeadline | None:
    pending = pending_deadlines(complaint, today)
    return pending[0] if pending else None


def has_urgency(complaint: ComplaintStatus, today: date, urgency: str) -> bool:
    """Whether a deadline still due is ``urgency`` (OVERDUE or DUE_SOON)."""
    return any(deadline.urgency == urgency for deadline in pending_deadlines(complaint, today))


def sort_key(complaint: ComplaintStatus, today: date) -> tuple:
    """Nearest due first; complaints with nothing due last, newest first among them."""
    deadline = next_deadline(complaint, today)
    if deadline is None:
        return (1, -complaint.sent_on.toordinal(), complaint.reference)
    return (0, deadline.due.toordinal(), complaint.reference)


def select_complaints(
    complaints: list[ComplaintStatus], today: date, *, status: str | None = None, due: str | None = None,
    due_before: date | None = None,
) -> list[ComplaintStatus]:
    """The desk's filters (status; overdue / due soon; next deadline before a date), sorted by :func:`sort_key`."""
    chosen = []
    for complaint in complaints:
        deadline = next_deadline(complaint, today)
        if status and complaint.status != status:
            continue
        if due in DUE_FILTERS and not has_urgency(complaint, today, due):
            continue
        if due_before and (deadline is None or deadline.due > due_before):
            continue
        chosen.append(complaint)
    return sorted(chosen, key=lambda complaint: sort_key(complaint, today))
