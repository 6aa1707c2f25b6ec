"""The written receipt (issue 13, rules.md §10) against the real servers: e-mails read on a real local SMTP server
(aiosmtpd), exactly one per recorded complaint across a crash and a restart of the action server; without SMTP,
the chat says how else to keep a copy; on the website, the recap as a printable page carried in its link."""

from __future__ import annotations

import base64
import json
import os
import re
import time
from typing import Iterator

import pytest
import requests

from ops.launcher import Assistant
from tests.e2e.channels import SocketClient
from tests.e2e.harness import Conversation
from tests.nirs import grouped, make_nir
from tests.smtp_server import SmtpServer

pytestmark = pytest.mark.e2e

GRIEVANCE = (
    "Bonjour, ma mutuelle refuse de me rembourser mes lunettes alors que mon contrat les couvre, "
    "j'ai envoyé les factures deux fois et personne ne me répond, c'est inadmissible."
)
REFERENCE_RE = re.compile(r"REC-\d{4}-[A-Z0-9]{6}")


def file_complaint(assistant: Assistant, index: int, email: str | None) -> tuple[str, str]:
    """A whole complaint over REST; (its reference, the recording message)."""
    conversation = Conversation(assistant)
    nir = make_nir(sex=1, year=70 + index, month=3, department="75", commune="112", order=f"{400 + index:03d}")
    for message in (GRIEVANCE, "Oui", f"Paul Durand{chr(65 + index)}", grouped(nir),
                    email or "06 12 34 56 78", "Contrat individuel", '/inform{"nature":"remboursement"}', "Aucune",
                    "Non", "Non"):
        conversation.say_text(message)
    done = conversation.say_text("Confirmer")
    match = REFERENCE_RE.search(done)
    assert match, conversation.dump()
    return match.group(0), done


@pytest.fixture(scope="module")
def smtp(assistant: Assistant) -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    assistant.restart_actions({"SMTP_URL": server.url, "MAIL_FROM": "CPMS Réclamations <reclamations@exemple.fr>",
                               "BACKOFFICE_RETRY_BASE_SECONDS": "0.5"})
    try:
        yield server
    finally:
        assistant.restart_actions({"SMTP_URL": "", "MAIL_FROM": "", "BACKOFFICE_RETRY_BASE_SECONDS": ""})
        server.stop()


def wait_for_receipts(server: SmtpServer, references: list[str], timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not all(server.received_for(r) for r in references):
        time.sleep(0.3)
    assert all(server.received_for(r) for r in references), [r for r in references if not server.received_for(r)]


def test_without_smtp_the_chat_says_how_to_keep_a_copy(assistant, organisation):
    reference, done = file_complaint(assistant, 0, "paul.sans.smtp@exemple.fr")
    assert "Ce message est votre récapitulatif écrit et daté : conservez-le." in done
    assert "par e-mail" not in done.split("Pour envoyer des pièces")[0]


def test_one_receipt_per_complaint_across_a_crash_and_a_restart_of_the_action_server(assistant, organisation, smtp):
    emails = [f"paul.durand{i}@exemple.fr" for i in range(3)]
    first, done = file_complaint(assistant, 1, emails[0])
    assert "Un récapitulatif écrit vous est envoyé par e-mail à p***@exemple.fr." in done
    wait_for_receipts(smtp, [first])
    # the mail server goes down; a complaint is recorded; the action server crashes and comes back
    smtp.stop()
    second, _ = file_complaint(assistant, 2, emails[1])
    no_email, done_without = file_complaint(assistant, 3, None)  # a phone only: no receipt, the chat says so
    assert "conservez-le" in done_without
    assistant.kill("actions")
    assistant.start_process("actions")
    smtp.start()
    third, _ = file_complaint(assistant, 4, emails[2])
    wait_for_receipts(smtp, [second, third], timeout=90)
    # a graceful restart: nothing already sent is sent again
    assistant.restart_actions({})
    time.sleep(3)
    for reference, email in zip((first, second, third), emails):
        [received] = smtp.received_for(reference)
        assert received.recipients == [email]
        assert received.message["From"] == "CPMS Réclamations <reclamations@exemple.fr>"
    assert smtp.received_for(no_email) == []
    assert len(smtp.messages) == 3


def test_the_receipt_reads_as_the_member_needs_it(assistant, organisation, smtp):
    reference, _ = file_complaint(assistant, 5, "paul.lecteur@exemple.fr")
    wait_for_receipts(smtp, [reference])
    [received] = smtp.received_for(reference)
    plain = received.message.get_body(("plain",)).get_content()
    html = received.message.get_body(("html",)).get_content()
    for part in (plain, html):
        assert reference in part and "samedi 21 novembre 2026" in part
        assert "mardi 1er décembre 2026" in part and "jeudi 21 janvier 2027" in part  # CPMS: 10 days, 2 months
        assert "qualite@cpms.fr" in part  # where to send documents
        assert "vendredi 22 janvier 2027" in part and "dimanche 21 novembre 2027" in part  # the mediation window
        assert "lunettes" not in part and "paul.lecteur@exemple.fr" not in part
    assert "votre description est conservée par CPMS" in plain


def test_on_the_website_the_recap_is_a_printable_page_carried_in_its_link(assistant, organisation):
    """A whole complaint over socket.io (the website's channel): the recording message links to /recu.html, the
    recap in the link's fragment (never sent to a server), masked, without the name nor the description."""
    socket = SocketClient(assistant.rasa_url, assistant.web_url).connect()
    try:
        nir = make_nir(sex=1, year=77, month=3, department="75", commune="112", order="499")
        for message, expected in ((GRIEVANCE, "Acceptez-vous"), ("Oui", "nom et votre prénom"),
                                  ("Paul Durand", "sécurité sociale"), (grouped(nir), "e-mail"),
                                  ("06 12 34 56 78", "souscrit"), ("Contrat individuel", "motif"),
                                  ('/inform{"nature":"remboursement"}', "décision"), ("Aucune", "écrite"),
                                  ("Non", "justice"), ("Non", "récapitulatif"),
                                  ("Confirmer", "enregistrée sous la référence")):
            before = len(socket.received)
            socket.send(message)
            socket.wait_for(expected, after=before, timeout=90)
        done = "\n".join(str(m.get("text") or "") for m in socket.received[-6:])
        assert "enregistrez votre récapitulatif en PDF avec le lien ci-dessous" in done
        links = [r for m in socket.received for r in (m.get("quick_replies") or []) if r.get("type") == "web_url"]
        assert links and links[-1]["title"] == "Récapitulatif (PDF)"
    finally:
        socket.close()
    url = links[-1]["url"]
    assert url.startswith("/recu.html#")
    fragment = url.split("#", 1)[1]
    document = json.loads(base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4)))
    text = json.dumps(document, ensure_ascii=False)
    assert REFERENCE_RE.search(text) and "samedi 21 novembre 2026" in text and "06 ** ** ** 78" in text
    assert "Paul Durand" not in text and "lunettes" not in text and nir not in text
    page = requests.get(f"{assistant.web_url}/recu.html", timeout=10)
    assert page.status_code == 200 and "Enregistrer en PDF" in page.text
    assert requests.get(f"{assistant.web_url}/js/recu.js", timeout=10).status_code == 200


def test_the_printable_pages_show_what_their_link_carries_and_print_to_pdf(assistant, tmp_path):
    """In Chromium: the recap page (and the referral letter, which shares its decoder) shows the fragment as text,
    with no script error; printing it gives a PDF (what « Enregistrer en PDF » offers)."""
    from datetime import date, datetime, timezone

    from playwright.sync_api import sync_playwright

    from actions.mediation import letter_download_message
    from recours.organisations import load_organisation
    from recours.receipts import receipt_download_message
    from recours.store import ComplaintView
    chromium = os.environ.get("RECOURS_CHROMIUM", "/usr/bin/chromium")  # as tests/e2e/test_widget_browser.py

    view = ComplaintView(
        reference="REC-2026-AAAAAA", organisation="cpms", created_at=datetime.now(timezone.utc),
        sent_on=date(2026, 11, 21), acknowledge_by=date(2026, 12, 1), answer_by=date(2027, 1, 21), status="recorded",
        request_kind="complaint", concerned_body="insurer", nature="remboursement", contract_holder=None,
        member_name="Paul Durand", nir=None, member_number="ADH123456", email="paul@exemple.fr", phone=None,
        description="<script>alert(1)</script>", contested_decision=None, first_complaint_date=None,
        answer_received=False, court_action=False, conversation_key="k", channel="socketio",
    )
    recap_url = receipt_download_message(view, load_organisation("cpms"))["quick_replies"][0]["url"]
    letter_url = letter_download_message("Madame, Monsieur,\nje saisis le médiateur.")["quick_replies"][0]["url"]
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("response", lambda answer: errors.append(f"{answer.status} {answer.url}")
                    if answer.status >= 400 and not answer.url.endswith("/favicon.ico") else None)
            page.goto(f"{assistant.web_url}{recap_url}")
            assert page.locator("h1").inner_text() == "Votre réclamation REC-2026-AAAAAA auprès de CPMS"
            body = page.locator("#receipt").inner_text()
            assert "Les délais" in body and "jeudi 21 janvier 2027" in body and "*****456" in body
            assert page.locator("#save-pdf").inner_text() == "Enregistrer en PDF"
            pdf = page.pdf()
            assert pdf.startswith(b"%PDF") and len(pdf) > 2000
            page.goto(f"{assistant.web_url}{letter_url}")
            assert "je saisis le médiateur" in page.locator("#letter").inner_text()
        finally:
            browser.close()
    assert errors == []
