"""The complaint's life at the organisation, without a database: events and transitions, the next deadline and
the desk's filters, the register's rows, the back-office's signed events (recours/handling/)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from recours.handling.deadlines_due import next_deadline, pending_deadlines, select_complaints
from recours.handling.lifecycle import (
    ComplaintEvent,
    InvalidEvent,
    InvalidTransition,
    Progress,
    check_event,
    parse_event,
    status_after,
)
from recours.handling.register import COLUMNS_FR, register_csv, register_row
from recours.handling.signed_events import RefusedEvent, read_signed_event, sign
from recours.store import ComplaintStatus

TODAY = date(2026, 11, 23)


def complaint(**changes) -> ComplaintStatus:
    base = ComplaintStatus(
        reference="REC-2026-7K4F9Q", organisation="cpms", created_at=datetime(2026, 11, 2, tzinfo=timezone.utc),
        sent_on=date(2026, 11, 2), acknowledge_by=date(2026, 11, 16), answer_by=date(2027, 1, 4), status="recorded",
        nature="remboursement", first_complaint_date=None, answer_received=False, court_action=False, channel="rest",
    )
    return replace(base, **changes)


# -- events ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "status"),
        ({"status": "reopened", "on": "2026-11-20"}, "status"),
        ({"status": "acknowledged"}, "on"),
        ({"status": "acknowledged", "on": "20/11/2026"}, "on"),
        ({"status": "acknowledged", "on": "2026-02-30"}, "on"),
        ({"status": "answered", "on": "2026-11-20"}, "outcome"),
        ({"status": "answered", "on": "2026-11-20", "outcome": "won"}, "outcome"),
        ({"status": "closed", "on": "2026-11-20", "outcome": "upheld"}, "outcome"),
        ({"status": "acknowledged", "on": "2026-11-20", "note": 12}, "note"),
        ({"status": "acknowledged", "on": "2026-11-20", "note": "x" * 2001}, "note"),
    ],
)
def test_a_malformed_event_is_refused_with_the_field_to_correct(body, field):
    with pytest.raises(InvalidEvent) as refused:
        parse_event(body)
    assert refused.value.field == field and refused.value.message_fr


def test_an_answer_has_its_outcome_and_an_optional_note():
    event = parse_event({"status": "answered", "on": "2026-11-20", "outcome": "partly_upheld", "note": "  Geste  "})
    assert event == ComplaintEvent("answered", date(2026, 11, 20), "partly_upheld", "Geste")
    assert status_after(event) == {"status": "answered", "answered_on": date(2026, 11, 20), "outcome": "partly_upheld"}
    assert status_after(parse_event({"status": "closed", "on": "2026-11-21"})) == {
        "status": "closed", "closed_on": date(2026, 11, 21)}


@pytest.mark.parametrize(
    "current, requested, allowed",
    [
        ("recorded", "acknowledged", True), ("recorded", "answered", True), ("recorded", "closed", False),
        ("acknowledged", "acknowledged", False), ("acknowledged", "answered", True), ("acknowledged", "closed", False),
        ("answered", "acknowledged", False), ("answered", "answered", False), ("answered", "closed", True),
        ("closed", "acknowledged", False), ("closed", "answered", False), ("closed", "closed", False),
    ],
)
def test_only_forward_moves(current, requested, allowed):
    event = ComplaintEvent(requested, date(2026, 11, 20), "upheld" if requested == "answered" else None)
    progress = Progress(current, date(2026, 11, 2))
    if allowed:
        check_event(event, progress, TODAY)
    else:
        with pytest.raises(InvalidTransition) as refused:
            check_event(event, progress, TODAY)
        assert refused.value.current == current and refused.value.message_fr


@pytest.mark.parametrize(
    "on, progress",
    [
        (date(2026, 11, 24), Progress("recorded", date(2026, 11, 2))),  # tomorrow
        (date(2026, 11, 1), Progress("recorded", date(2026, 11, 2))),  # before it was received
        (date(2026, 11, 9), Progress("acknowledged", date(2026, 11, 2), acknowledged_on=date(2026, 11, 10))),
    ],
)
def test_dates_are_never_in_the_future_nor_before_what_is_recorded(on, progress):
    with pytest.raises(InvalidEvent) as refused:
        check_event(ComplaintEvent("answered", on, "rejected"), progress, TODAY)
    assert refused.value.field == "on"


# -- next deadline, filters ------------------------------------------------------------------------------------------


def test_the_next_deadline_is_the_acknowledgement_then_the_answer():
    assert next_deadline(complaint(), date(2026, 11, 10)).kind == "acknowledge"
    late = next_deadline(complaint(), date(2026, 11, 17))
    assert (late.kind, late.urgency) == ("acknowledge", "overdue")
    acknowledged = complaint(status="acknowledged", acknowledged_on=date(2026, 11, 10))
    assert next_deadline(acknowledged, date(2027, 1, 2)).urgency == "soon"  # 4 January is in 2 days
    assert next_deadline(acknowledged, date(2027, 1, 4)).urgency == "soon"
    assert next_deadline(acknowledged, date(2026, 12, 1)).urgency is None
    # an answer acknowledges too, and nothing is due after it
    assert next_deadline(complaint(status="answered", answered_on=date(2026, 11, 12), outcome="upheld"), TODAY) is None


def test_filters_and_the_nearest_due_first():
    late = complaint(reference="REC-2026-AAAAAA")  # acknowledgement due 16 November: late on the 23rd
    soon = complaint(reference="REC-2026-BBBBBB", sent_on=date(2026, 11, 11), acknowledge_by=date(2026, 11, 25),
                     answer_by=date(2027, 1, 11))
    later = complaint(reference="REC-2026-CCCCCC", status="acknowledged", acknowledged_on=date(2026, 11, 5))
    done = complaint(reference="REC-2026-DDDDDD", status="answered", answered_on=date(2026, 11, 12), outcome="upheld")
    everything = [done, later, soon, late]
    assert [c.reference[-1] for c in select_complaints(everything, TODAY)] == ["A", "B", "C", "D"]
    assert [c.reference[-1] for c in select_complaints(everything, TODAY, due="overdue")] == ["A"]
    assert [c.reference[-1] for c in select_complaints(everything, TODAY, due="soon")] == ["B"]
    assert [c.reference[-1] for c in select_complaints(everything, TODAY, status="acknowledged")] == ["C"]
    assert [c.reference[-1] for c in select_complaints(everything, TODAY, due_before=date(2026, 12, 1))] == ["A", "B"]


def test_a_late_acknowledgement_does_not_hide_an_answer_due_soon():
    both = complaint(reference="REC-2026-EEEEEE", acknowledge_by=date(2026, 11, 12), answer_by=date(2026, 11, 24))
    assert [(d.kind, d.urgency) for d in pending_deadlines(both, TODAY)] == [("acknowledge", "overdue"),
                                                                              ("answer", "soon")]
    assert select_complaints([both], TODAY, due="soon") == [both] == select_complaints([both], TODAY, due="overdue")


# -- the register -----------------------------------------------------------------------------------------------------


def test_register_rows_say_when_and_whether_within_the_deadline():
    answered = complaint(status="answered", acknowledged_on=date(2026, 11, 5), answered_on=date(2026, 12, 2),
                         outcome="rejected", channel="whatsapp")
    row = register_row(answered, None, date(2026, 12, 10))
    assert row == ["REC-2026-7K4F9Q", "2026-11-02", "WhatsApp", "Remboursement", "2026-11-05", "2026-12-02", "rejetée",
                   "30", "oui", ""]
    late = register_row(replace(answered, answered_on=date(2027, 1, 6)), None, date(2027, 1, 10))
    assert late[7:9] == ["65", "non"]
    pending = register_row(complaint(), None, TODAY)
    assert pending[5:9] == ["", "", "", ""]
    told = datetime(2027, 1, 5, 23, 30, tzinfo=timezone.utc)  # 6 January in Paris
    overdue = register_row(complaint(), told, date(2027, 1, 6))
    assert overdue[8:] == ["non", "2027-01-06"]


def test_the_register_csv_opens_in_a_french_spreadsheet():
    text = register_csv([complaint(), complaint(reference="REC-2026-BBBBBB", sent_on=date(2026, 11, 1))], {}, TODAY)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert tuple(rows[0]) == COLUMNS_FR
    assert [r[0] for r in rows[1:]] == ["REC-2026-BBBBBB", "REC-2026-7K4F9Q"]  # by date received


# -- signed back-office events ----------------------------------------------------------------------------------------

SECRET = "secret-partage"
NOW = datetime(2026, 11, 23, 9, 15, tzinfo=timezone.utc)


def body(**changes) -> bytes:
    data = {"event_id": "evt-1", "sent_at": "2026-11-23T09:14:30Z", "reference": "REC-2026-7K4F9Q",
            "status": "answered", "on": "2026-11-23", "outcome": "rejected"}
    data.update(changes)
    return json.dumps({k: v for k, v in data.items() if v is not None}).encode()


def test_a_signed_fresh_event_is_read():
    raw = body()
    event = read_signed_event(SECRET, raw, sign(SECRET, raw), NOW)
    assert (event.event_id, event.reference, event.event.status, event.event.outcome) == (
        "evt-1", "REC-2026-7K4F9Q", "answered", "rejected")
    assert event.sent_at == datetime(2026, 11, 23, 9, 14, 30, tzinfo=timezone.utc)


SIGNED = "signed"  # the test signs the body itself


@pytest.mark.parametrize(
    "secret, raw, header, status",
    [
        (None, body(), SIGNED, 503),
        (SECRET, body(), None, 403),
        (SECRET, body(), "sha256=" + "0" * 64, 403),
        (SECRET, body(), sign("another secret", body()), 403),
        (SECRET, body(), sign(SECRET, body(outcome="upheld")), 403),  # signed for another body
        (SECRET, body(sent_at="2026-11-23T09:09:59Z"), SIGNED, 403),  # older than 5 minutes: a replay
        (SECRET, body(sent_at="2026-11-23T09:20:01Z"), SIGNED, 403),  # more than 5 minutes ahead
        (SECRET, body(sent_at="2026-11-23T09:14:30"), SIGNED, 422),  # no time zone
        (SECRET, body(event_id="évènement 1"), SIGNED, 422),
        (SECRET, body(reference=None), SIGNED, 422),
        (SECRET, body(outcome=None), SIGNED, 422),
        (SECRET, b"not json", SIGNED, 422),
    ],
)
def test_refusals_of_the_signed_endpoint(secret, raw, header, status):
    header = sign(SECRET, raw) if header == SIGNED else header
    with pytest.raises(RefusedEvent) as refused:
        read_signed_event(secret, raw, header, NOW)
    assert refused.value.status == status


def test_the_freshness_window_is_five_minutes_either_way():
    for sent_at in ("2026-11-23T09:10:00Z", "2026-11-23T11:20:00+02:00"):
        raw = body(sent_at=sent_at)
        assert read_signed_event(SECRET, raw, sign(SECRET, raw), NOW).event_id == "evt-1"
    assert NOW - timedelta(minutes=5) == datetime(2026, 11, 23, 9, 10, tzinfo=timezone.utc)
