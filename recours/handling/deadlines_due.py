"""What a handler must do next on a complaint, and by when: the desk's list is sorted and highlighted by it.

The acknowledgement is due until the complaint is acknowledged or answered (an answer acknowledges it); the
answer is due until it is answered. The next deadline is the earlier of those still due; it is overdue once
passed, and due soon from 2 days before (calendar days: a handler reading the list on Friday sees Sunday's).
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


def next_deadline(complaint: ComplaintStatus, today: date) -> NextDeadline | None:
    pending = []
    if complaint.acknowledged_on is None and complaint.answered_on is None and complaint.acknowledge_by:
        pending.append(("acknowledge", complaint.acknowledge_by))
    if complaint.answered_on is None and complaint.closed_on is None and complaint.answer_by:
        pending.append(("answer", complaint.answer_by))
    if not pending:
        return None
    kind, due = min(pending, key=lambda item: item[1])
    urgency = OVERDUE if due < today else DUE_SOON if due <= today + timedelta(days=DUE_SOON_DAYS) else None
    return NextDeadline(kind, due, urgency)


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
        if due == OVERDUE and (deadline is None or deadline.urgency != OVERDUE):
            continue
        if due == DUE_SOON and (deadline is None or deadline.urgency != DUE_SOON):
            continue
        if due_before and (deadline is None or deadline.due > due_before):
            continue
        chosen.append(complaint)
    return sorted(chosen, key=lambda complaint: sort_key(complaint, today))
