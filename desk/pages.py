"""The desk's HTML pages, rendered on the server (Jinja2, autoescaped); desk/static/desk.js does the actions
through the JSON API with the session's CSRF token, which each page carries in a ``<meta>`` element."""

from __future__ import annotations

from datetime import date

from desk.audit_fr import audit_lines_fr
from desk.auth import idle_limit
from desk.complaints_api import BadFilter, complaint_detail, listed_complaints
from desk.context import Call, Desk, Reply
from desk.views import labels
from recours.calendar import format_date_fr
from recours.handling import accounts
from recours.handling.deadlines_due import DUE_FILTERS
from recours.handling.lifecycle import EVENT_LABELS_FR, NEXT_STATUSES, OUTCOME_LABELS_FR, STATUS_LABELS_FR


def _short_date(value: str | None) -> str:
    if not value:
        return "—"
    return date.fromisoformat(value[:10]).strftime("%d/%m/%Y")


def _long_date(value: str | None) -> str:
    return format_date_fr(date.fromisoformat(value[:10])) if value else "—"


def _render(desk: Desk, call: Call, template: str, status: int = 200, **values) -> Reply:
    environment = desk.pages
    environment.filters.setdefault("short_date", _short_date)
    environment.filters.setdefault("long_date", _long_date)
    session = call.session
    page = environment.get_template(template).render(
        organisation=desk.organisation.name,
        user=session.user if session else None,
        available=session.available if session else False,
        csrf=accounts.csrf_token(call.token) if session and call.token else "",
        today=desk.today().isoformat(),
        **values,
    )
    return Reply(status=status, text=page, content_type="text/html; charset=utf-8")


def login_page(desk: Desk, call: Call) -> Reply:
    if accounts.current_session(desk.store, call.token, idle_limit(desk), desk.now()) is not None:
        return Reply(status=303, redirect="/")
    return _render(desk, call, "login.html")


def complaints_page(desk: Desk, call: Call) -> Reply:
    query = dict(call.query)
    try:
        complaints = listed_complaints(desk, query)
        problem = None
    except BadFilter as exc:
        complaints, problem, query = listed_complaints(desk, {}), str(exc), {}
    rows = [{**complaint, "labels": labels(complaint)} for complaint in complaints]
    counts = {urgency: sum(1 for c in rows if urgency in (c["acknowledge_urgency"], c["answer_urgency"]))
              for urgency in DUE_FILTERS}
    return _render(desk, call, "complaints.html", complaints=rows, filters=query, problem=problem, counts=counts,
                   statuses=STATUS_LABELS_FR)


def complaint_page(desk: Desk, call: Call) -> Reply:
    detail = complaint_detail(desk, call.params["reference"])
    if detail is None:
        return _render(desk, call, "missing.html", status=404, what="Cette réclamation est introuvable.")
    next_events = {status: EVENT_LABELS_FR[status] for status in NEXT_STATUSES[detail["status"]]}
    return _render(desk, call, "complaint.html", complaint=detail, labels=labels(detail), next_events=next_events,
                   outcomes=OUTCOME_LABELS_FR,
                   audit=audit_lines_fr(desk.store.audit_entries(detail["reference"], limit=50)))


def handoffs_page(desk: Desk, call: Call) -> Reply:
    return _render(desk, call, "handoffs.html")


def handoff_page(desk: Desk, call: Call) -> Reply:
    found = desk.store.handoff(call.params["handoff_id"])
    if found is None:
        return _render(desk, call, "missing.html", status=404, what="Cette conversation est introuvable.")
    return _render(desk, call, "handoff.html", handoff_id=found.public_id)


def users_page(desk: Desk, call: Call) -> Reply:
    return _render(desk, call, "users.html", users=desk.store.desk_users())


def forbidden_page(desk: Desk, call: Call) -> Reply:
    return _render(desk, call, "missing.html", status=403, what="Cette page est réservée aux superviseurs.")
