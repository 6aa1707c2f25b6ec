"""The complaint desk's API against a real desk process, on SQLite and on PostgreSQL: what a handler does, and
every refusal of issue 14 — anonymous, no CSRF token, 6 wrong passwords, a handler managing accounts, an unknown
reference, an invalid transition, a replayed or unsigned back-office event — the reveal in the audit log, the
register without identifiers nor free text, and no identifier in the desk's log."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import requests

from recours.handling.signed_events import sign
from tests.desk_server import ADMIN, EVENTS_SECRET, HANDLER, Client, DeskProcess
from tests.members import CROWN_NOT_REIMBURSED, PAUL
from tests.nirs import grouped
from tests.pg import fresh_database, postgresql_url  # noqa: F401

NOTE = "Appel de M. Durand le 20/11 : il a renvoyé la facture."


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def desk(request, tmp_path_factory):
    var = tmp_path_factory.mktemp(f"desk-{request.param}")
    url = f"sqlite:///{var / 'recours.db'}" if request.param == "sqlite" else fresh_database(
        request.getfixturevalue("postgresql_url"))
    running = DeskProcess(url, var).start()
    supervisor = Client(running.url)
    assert supervisor.login(*ADMIN).status_code == 200
    assert supervisor.post("/api/users", {"login": HANDLER[0], "password": HANDLER[1], "role": "handler"}).status_code == 201
    yield running
    running.stop()


@pytest.fixture
def handler(desk) -> Client:
    client = Client(desk.url)
    assert client.login(*HANDLER).status_code == 200
    return client


def _signed(body: dict) -> tuple[bytes, dict]:
    raw = json.dumps(body).encode()
    return raw, {"Content-Type": "application/json", "X-Recours-Signature": sign(EVENTS_SECRET, raw)}


def backoffice_event(reference: str, event_id: str, *, minutes_ago: float = 0, **changes) -> dict:
    sent = datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)
    body = {"event_id": event_id, "sent_at": sent.isoformat(), "reference": reference, "status": "acknowledged",
            "on": "2026-11-20"}
    body.update(changes)
    return body


# -- what a handler does ---------------------------------------------------------------------------------------------


def test_a_handler_lists_opens_and_answers_a_complaint(desk, handler):
    reference = desk.record("member-1")
    listed = handler.get("/api/complaints").json()["complaints"]
    row = next(c for c in listed if c["reference"] == reference)
    assert {k: row[k] for k in ("received_on", "channel", "nature", "status", "acknowledge_by", "answer_by",
                                "acknowledged_on", "answered_on", "outcome")} == {
        "received_on": "2026-11-02", "channel": "rest", "nature": "remboursement", "status": "recorded",
        "acknowledge_by": "2026-11-16", "answer_by": "2027-01-04", "acknowledged_on": None, "answered_on": None,
        "outcome": None}
    assert row["urgency"] == "overdue"  # 23 November: the acknowledgement was due on the 16th

    detail = handler.get(f"/api/complaints/{reference}").json()
    assert detail["identifiers"]["email"] == "p***@exemple.fr" and PAUL.nir not in json.dumps(detail)
    assert detail["description"] == CROWN_NOT_REIMBURSED and detail["member_name"] == PAUL.name
    assert detail["mediation"]["status"] == "possible_from" and detail["events"] == []

    acknowledged = handler.post(f"/api/complaints/{reference}/events", {"status": "acknowledged", "on": "2026-11-20"})
    assert acknowledged.status_code == 200 and acknowledged.json()["complaint"]["acknowledged_on"] == "2026-11-20"
    answered = handler.post(f"/api/complaints/{reference}/events",
                            {"status": "answered", "on": "2026-11-23", "outcome": "partly_upheld", "note": NOTE})
    assert answered.status_code == 200 and answered.json()["complaint"]["status"] == "answered"
    detail = handler.get(f"/api/complaints/{reference}").json()
    assert [(e["status"], e["by"]) for e in detail["events"]] == [("acknowledged", "claire"), ("answered", "claire")]
    assert detail["events"][1]["note"] == NOTE and detail["mediation"]["status"] == "possible_now"
    assert handler.post(f"/api/complaints/{reference}/events", {"status": "closed", "on": "2026-11-23"}).status_code == 200
    # the filters
    closed = handler.get("/api/complaints", params={"status": "closed"}).json()["complaints"]
    assert [c["reference"] for c in closed] == [reference]
    assert reference not in [c["reference"] for c in handler.get("/api/complaints", params={"due": "overdue"}).json()["complaints"]]
    assert handler.get("/api/complaints", params={"due": "tomorrow"}).status_code == 422


def test_pages_are_french_and_signed_in(desk, handler):
    reference = desk.record("member-pages")
    page = handler.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert reference in page.text and "en retard" in page.text and "Exporter le registre" in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"] and page.headers["Cache-Control"] == "no-store"
    complaint = handler.get(f"/reclamations/{reference}")
    assert "Révéler les identifiants" in complaint.text
    assert PAUL.nir not in complaint.text and PAUL.email not in complaint.text
    assert handler.get("/reclamations/REC-2026-ZZZZZZ").status_code == 404
    assert handler.get("/comptes").status_code == 403

    # a date already past reads « en retard depuis le »; the channel has its own line
    assert "en retard depuis le 16/11/2026" in page.text and "avant le 16/11/2026" not in page.text
    assert "en retard depuis le lundi 16 novembre 2026" in complaint.text and "(API (REST))" not in complaint.text
    assert "<dt>Canal</dt><dd>API (REST)</dd>" in complaint.text


def test_each_deadline_is_flagged_and_counted_on_its_own(desk, handler):
    # the acknowledgement is late and the answer is due tomorrow (a reminder of an older written complaint)
    reference = desk.record("member-both-due", acknowledge_by=date(2026, 11, 12), answer_by=date(2026, 11, 24))
    row = next(c for c in handler.get("/api/complaints").json()["complaints"] if c["reference"] == reference)
    assert (row["urgency"], row["acknowledge_urgency"], row["answer_urgency"]) == ("overdue", "overdue", "soon")
    soon = handler.get("/api/complaints", params={"due": "soon"}).json()["complaints"]
    assert reference in [c["reference"] for c in soon]
    page = handler.get("/").text
    cells = re.search(rf'data-reference="{reference}">(.*?)</tr>', page, re.S).group(1)
    assert 'class="overdue" data-due="acknowledge"><span class="due overdue">en retard depuis le 12/11/2026' in cells
    assert 'class="soon" data-due="answer"><span class="due soon">avant le 24/11/2026</span>' in cells
    assert 'sous 2 jours' in cells
    soon_count = int(re.search(r"(\d+) à traiter sous 2 jours", page).group(1))
    assert soon_count >= 1
    complaint = handler.get(f"/reclamations/{reference}").text
    assert "accuser réception : <span class=\"due overdue\">en retard depuis le jeudi 12 novembre 2026" in complaint
    assert "répondre : <span class=\"due soon\">avant le mardi 24 novembre 2026" in complaint


# -- refusals ---------------------------------------------------------------------------------------------------------


def test_anonymous_requests_are_refused(desk):
    reference = desk.record("member-anonymous")
    anonymous = Client(desk.url)
    for answer in (anonymous.get("/api/complaints"), anonymous.get(f"/api/complaints/{reference}"),
                   anonymous.get("/api/register.csv"), anonymous.get("/api/handoffs"),
                   anonymous.post(f"/api/complaints/{reference}/events", {"status": "acknowledged", "on": "2026-11-20"}),
                   anonymous.post(f"/api/complaints/{reference}/reveal")):
        assert answer.status_code == 401, answer.request.url
    page = anonymous.get("/")
    assert page.status_code == 303 and page.headers["Location"] == "/login"
    forged = Client(desk.url)
    forged.http.cookies.set("recours_desk", "not-a-session")
    assert forged.get("/api/complaints").status_code == 401


def test_state_changes_without_the_csrf_token_are_refused(desk, handler):
    reference = desk.record("member-csrf")
    body = {"status": "acknowledged", "on": "2026-11-20"}
    assert handler.post(f"/api/complaints/{reference}/events", body, csrf=False).status_code == 403
    assert handler.post(f"/api/complaints/{reference}/events", body, csrf=False,
                        headers={"X-CSRF-Token": "0" * 64}).status_code == 403
    assert handler.post(f"/api/complaints/{reference}/reveal", csrf=False).status_code == 403
    assert handler.post("/api/logout", csrf=False).status_code == 403
    other = Client(desk.url)
    other.login(*HANDLER)
    assert handler.post(f"/api/complaints/{reference}/events", body, csrf=False,
                        headers={"X-CSRF-Token": other.csrf}).status_code == 403  # another session's token
    assert handler.get(f"/api/complaints/{reference}").json()["status"] == "recorded"


def test_six_wrong_passwords_lock_the_login_and_unknown_logins_look_the_same(desk):
    desk_supervisor = Client(desk.url)
    desk_supervisor.login(*ADMIN)
    desk_supervisor.post("/api/users", {"login": "marc", "password": "mot-de-passe-de-marc", "role": "handler"})
    client = Client(desk.url)
    answers = [client.login("marc", "mauvais") for _ in range(6)]
    assert [a.status_code for a in answers] == [401] * 5 + [429]
    assert int(answers[-1].headers["Retry-After"]) > 800
    assert client.login("marc", "mot-de-passe-de-marc").status_code == 429  # even the right password, for 15 min
    unknown = [client.login("personne", "mauvais") for _ in range(6)]
    assert [a.status_code for a in unknown] == [401] * 5 + [429]
    assert unknown[0].json() == answers[0].json()  # same answer: nobody learns which logins exist
    assert client.login("claire", "mauvais").status_code == 401  # another login is not locked


def test_a_handler_cannot_manage_accounts(handler):
    assert handler.get("/api/users").status_code == 403
    refused = handler.post("/api/users", {"login": "intrus", "password": "mot-de-passe-intrus", "role": "supervisor"})
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"


def test_unknown_references_invalid_transitions_and_bad_bodies(desk, handler):
    reference = desk.record("member-refusals")
    assert handler.post("/api/complaints/REC-2026-ZZZZZZ/events", {"status": "acknowledged", "on": "2026-11-20"}).status_code == 404
    assert handler.get("/api/complaints/REC-2026-ZZZZZZ").status_code == 404
    assert handler.post("/api/complaints/REC-2026-ZZZZZZ/reveal").status_code == 404
    closed_first = handler.post(f"/api/complaints/{reference}/events", {"status": "closed", "on": "2026-11-20"})
    assert closed_first.status_code == 409 and "après sa réponse" in closed_first.json()["message"]
    for body in ({"status": "answered", "on": "2026-11-20"}, {"status": "acknowledged", "on": "hier"},
                 {"status": "acknowledged", "on": "2026-12-25"}, {"status": "acknowledged"}):
        assert handler.post(f"/api/complaints/{reference}/events", body).status_code == 422, body
    not_json = handler.http.post(f"{desk.url}/api/complaints/{reference}/events", data="status=acknowledged",
                                 headers={"X-CSRF-Token": handler.csrf,
                                          "Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
    assert not_json.status_code == 422
    assert handler.post(f"/api/complaints/{reference}/events", {"status": "acknowledged", "on": "2026-11-20"}).status_code == 200
    assert handler.post(f"/api/complaints/{reference}/events", {"status": "acknowledged", "on": "2026-11-21"}).status_code == 409


def test_reveal_shows_identifiers_in_clear_and_is_audit_logged(desk, handler):
    identifiers = {"member_number": PAUL.member_number, "email": PAUL.email, "phone": PAUL.phone}
    reference = desk.record("member-reveal", identifiers=identifiers)
    revealed = handler.post(f"/api/complaints/{reference}/reveal")
    assert revealed.status_code == 200
    assert revealed.json()["identifiers"] == {"nir": None, **identifiers}
    store = desk.store()
    try:
        entries = [e for e in store.audit_entries(reference) if e.action == "reveal"]
    finally:
        store.dispose()
    assert len(entries) == 1 and entries[0].actor == "claire" and entries[0].at.tzinfo is not None
    assert PAUL.member_number not in (entries[0].detail or "")
    # the page shows the NIR in clear grouped like the masked one, and the audit log in French at Paris time
    with_nir = desk.record("member-reveal-nir")
    assert handler.post(f"/api/complaints/{with_nir}/reveal").json()["shown"]["nir"] == grouped(PAUL.nir)
    assert handler.post(f"/api/complaints/{with_nir}/events", {"status": "acknowledged", "on": "2026-11-20"}).ok
    page = handler.get(f"/reclamations/{with_nir}").text
    audit = page[page.index("Journal d'audit"):]
    assert "claire — Identifiants affichés en clair</li>" in audit
    assert "claire — Accusé de réception enregistré le vendredi 20 novembre 2026 (guichet)</li>" in audit
    assert " UTC" not in audit and "identifiers shown in clear" not in audit and "acknowledged 2026" not in audit
    stamp = re.search(r"<li>(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d) — claire — Identifiants", audit).group(1)
    logged = datetime.strptime(stamp, "%d/%m/%Y %H:%M:%S").replace(tzinfo=ZoneInfo("Europe/Paris"))
    assert abs(datetime.now(timezone.utc) - logged) < timedelta(minutes=5)  # Paris time, not UTC


def test_the_register_holds_no_identifier_and_no_free_text(desk, handler):
    reference = desk.record("member-register")
    handler.post(f"/api/complaints/{reference}/events", {"status": "answered", "on": "2026-11-22", "outcome": "rejected",
                                                         "note": NOTE})
    answer = handler.get("/api/register.csv")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in answer.headers["Content-Disposition"]
    text = answer.content.decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text), delimiter=";")}
    assert rows[reference] == [reference, "2026-11-02", "API (REST)", "Remboursement", "", "2026-11-22", "rejetée",
                               "20", "oui", ""]
    for secret in (PAUL.nir, grouped(PAUL.nir), PAUL.email, PAUL.phone, PAUL.name, "Durand", CROWN_NOT_REIMBURSED[:30],
                   NOTE[:20], "couronne"):
        assert secret not in text, secret


# -- the organisation's own system ------------------------------------------------------------------------------------


def test_signed_back_office_events(desk, handler):
    reference = desk.record("member-backoffice")
    url = f"{desk.url}/api/backoffice/events"
    raw, headers = _signed(backoffice_event(reference, "evt-unsigned"))
    assert requests.post(url, data=raw, headers={"Content-Type": "application/json"}, timeout=30).status_code == 403
    assert requests.post(url, data=raw, headers={**headers, "X-Recours-Signature": sign("wrong", raw)},
                         timeout=30).status_code == 403
    raw, headers = _signed(backoffice_event(reference, "evt-old", minutes_ago=6))
    assert requests.post(url, data=raw, headers=headers, timeout=30).status_code == 403  # replayed
    raw, headers = _signed(backoffice_event("REC-2026-ZZZZZZ", "evt-unknown"))
    assert requests.post(url, data=raw, headers=headers, timeout=30).status_code == 404

    raw, headers = _signed(backoffice_event(reference, "evt-1"))
    first = requests.post(url, data=raw, headers=headers, timeout=30)
    assert first.status_code == 200 and first.json()["complaint"]["acknowledged_on"] == "2026-11-20"
    again = requests.post(url, data=raw, headers=headers, timeout=30)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    raw, headers = _signed(backoffice_event(reference, "evt-1", status="answered", outcome="upheld"))
    assert requests.post(url, data=raw, headers=headers, timeout=30).status_code == 409  # the id reused
    raw, headers = _signed(backoffice_event(reference, "evt-2", status="answered", on="2026-11-21", outcome="upheld"))
    assert requests.post(url, data=raw, headers=headers, timeout=30).status_code == 200
    events = handler.get(f"/api/complaints/{reference}").json()["events"]
    assert [(e["status"], e["source"], e["by"]) for e in events] == [
        ("acknowledged", "backoffice", "backoffice"), ("answered", "backoffice", "backoffice")]


def test_no_identifier_in_the_desk_log(desk, handler):
    reference = desk.record("member-log")
    handler.post(f"/api/complaints/{reference}/reveal")
    handler.get(f"/reclamations/{reference}")
    handler.post(f"/api/complaints/{reference}/events", {"status": "answered", "on": "2026-11-22", "outcome": "upheld",
                                                         "note": NOTE})
    handler.get("/api/register.csv")
    log = desk.log_text()
    assert "Event answered recorded" in log  # the log is written, and holds no value
    for secret in (PAUL.nir, grouped(PAUL.nir), PAUL.email, PAUL.phone, "612345678", PAUL.name, "Durand",
                   CROWN_NOT_REIMBURSED[:25], NOTE[:20], HANDLER[1], ADMIN[1], PAUL.member_number):
        assert secret not in log, secret
