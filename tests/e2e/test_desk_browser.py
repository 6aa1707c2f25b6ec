"""The complaint desk in a real Chromium (Debian's, headless, driven by Playwright), as a handler uses it.

1. A member files a complaint over REST; moments later the handler signs in, finds it in the list (an older
   complaint, « en retard depuis le … », is highlighted above it), opens it, reveals the identifiers (the NIR
   grouped), records the acknowledgement and the answer with the page's forms, reads the audit log in French, and
   exports the register with its button. The list and a complaint are checked at 320 px too: no sideways
   scrolling, the header intact, no serious axe-core violation.
2. A member in the widget of the demo page asks for a person; the handler, available, takes the conversation in
   the desk, reads the member's message, answers — the answer appears in the widget under « Conseiller CPMS » —
   and hands it back: the desk's page says so, with the time, and links back to the queue.

Screenshots go to test-output/ (desk-*.png); their paths are printed. The widget's helpers are
tests/e2e/widget_page.py's.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.e2e.conftest import DESK_ADMIN
from tests.e2e.test_complaint_rest import EMAIL, NIR
from tests.e2e.test_desk_e2e import ASK_A_PERSON, JOINED, LEFT, QUEUED
from tests.e2e.test_privacy_e2e import record_complaint
from tests.e2e.widget_page import (  # noqa: F401 - browser is a fixture
    OUTPUT,
    STEP_TIMEOUT_MS,
    WIDGET,
    Browser,
    assert_no_blocking_violation,
    assert_stays_local,
    browser,
    open_widget,
    type_message,
    wait_for_bot,
)
from tests.members import complaint_draft
from tests.nirs import grouped

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def sign_in(page, desk_url: str) -> None:
    page.goto(f"{desk_url}/")
    page.wait_for_url(f"{desk_url}/login")
    assert page.title() == "Connexion — CPMS"
    page.fill("#login", DESK_ADMIN[0])
    page.fill("#password", DESK_ADMIN[1])
    page.click("button[type=submit]")
    page.wait_for_url(f"{desk_url}/")


def shot(browser_run: Browser, page, name: str, printed: list[str]) -> None:
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / name
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    printed.append(str(path))


def at_320_px(browser_run: Browser, page, where: str, printed: list[str], name: str) -> None:
    """At 320 px (WCAG 1.4.10, reflow) the page does not scroll sideways, the header holds its links (« Comptes »
    stays white on blue) and axe-core finds no serious violation; then back to the desktop size."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 900})
    try:
        widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{where} at 320 px scrolls sideways: {widths}"
        header = page.locator("header.top").bounding_box()
        accounts = page.locator("header.top a[href='/comptes']").bounding_box()
        assert accounts["x"] + accounts["width"] <= header["x"] + header["width"] <= 320
        assert accounts["y"] + accounts["height"] <= header["y"] + header["height"]
        assert_no_blocking_violation(page, f"{where} at 320 px")
        shot(browser_run, page, name, printed)
    finally:
        page.set_viewport_size(size)


def test_a_handler_acknowledges_answers_and_exports(assistant, organisation, store, browser, capsys):
    page = browser.page
    printed: list[str] = []
    # an older complaint whose acknowledgement is late, recorded as the action server would
    late = store.record_complaint(complaint_draft(
        "browser-late", member_name="Jeanne Petit", nature="cotisation", channel="whatsapp",
        identifiers={"member_number": "ADH-778812", "phone": "+33698765432"},
    ), "browser-late").reference
    _, reference = record_complaint(assistant)  # over REST, moments before

    sign_in(page, assistant.desk_url)
    row = page.locator(f"tr[data-reference='{reference}']")
    row.wait_for(timeout=STEP_TIMEOUT_MS)
    assert "Remboursement" in row.inner_text() and "API (REST)" in row.inner_text()
    late_row = page.locator(f"tr[data-reference='{late}']")
    assert "overdue" in late_row.get_attribute("class") and "en retard depuis le 16/11/2026" in late_row.inner_text()
    references = page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.reference)")
    assert references.index(late) < references.index(reference)  # nearest due first
    shot(browser, page, "desk-1-list.png", printed)
    at_320_px(browser, page, "the list", printed, "desk-1-list-320px.png")

    page.click(f"a[href='/reclamations/{reference}']")
    page.wait_for_selector("#status")
    identifiers = page.locator("#identifiers").inner_text()
    assert "m***@exemple.fr" in identifiers and EMAIL not in identifiers and grouped(NIR) not in identifiers
    assert "lunettes" in page.locator(".quote").inner_text()
    page.click("#reveal")
    page.wait_for_function("() => !document.querySelector('#flash').hidden")
    assert EMAIL in page.locator("#identifiers").inner_text()
    assert grouped(NIR) in page.locator("#identifiers").inner_text()  # grouped like the masked one
    shot(browser, page, "desk-2-complaint-revealed.png", printed)

    page.select_option("#event-status", "acknowledged")
    assert page.locator("#outcome-field").is_hidden()
    page.fill("#event-on", "2026-11-21")
    page.click("#event-form button[type=submit]")
    page.wait_for_function("() => document.querySelector('#status').innerText === 'Réception accusée'",
                           timeout=STEP_TIMEOUT_MS)
    page.select_option("#event-status", "answered")
    page.select_option("#event-outcome", "partly_upheld")
    page.fill("#event-note", "Remboursement partiel des verres, monture hors garantie.")
    page.click("#event-form button[type=submit]")
    page.wait_for_function("() => document.querySelector('#status').innerText === 'Répondue'", timeout=STEP_TIMEOUT_MS)
    history = page.locator("#history").inner_text()
    assert "Accusé de réception, par superviseur" in history and "Réponse (réclamation acceptée en partie)" in history
    page.locator("summary", has_text="Journal d").click()
    audit = page.locator("details").inner_text()
    assert "superviseur — Identifiants affichés en clair" in audit
    assert "superviseur — Accusé de réception enregistré le samedi 21 novembre 2026 (guichet)" in audit
    assert "superviseur — Réponse enregistrée le samedi 21 novembre 2026 (guichet)" in audit
    assert "UTC" not in audit and "reveal" not in audit
    shot(browser, page, "desk-3-answered.png", printed)
    at_320_px(browser, page, "a complaint", printed, "desk-3-answered-320px.png")

    page.click("text=← Toutes les réclamations")
    page.wait_for_selector(f"tr[data-reference='{reference}']")
    with page.expect_download() as download:
        page.click("#export")
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = {r[0]: r for r in csv.reader(io.StringIO(text), delimiter=";")}
    assert rows[reference][1:7] == ["2026-11-21", "API (REST)", "Remboursement", "2026-11-21", "2026-11-21",
                                    "acceptée en partie"]
    for secret in (NIR, EMAIL, "Marie", "lunettes", "ADH-778812", "Jeanne"):
        assert secret not in text
    assert_stays_local(browser)
    assert not browser.page_errors
    with capsys.disabled():
        print("\nDesk screenshots:", *printed, sep="\n  ")


def test_a_handler_takes_over_a_widget_conversation_and_hands_it_back(assistant, organisation, browser, capsys):
    printed: list[str] = []
    desk = browser.page
    sign_in(desk, assistant.desk_url)
    desk.check("#availability")
    desk.wait_for_function("() => document.querySelector('#flash').innerText.includes('Vous recevez')")

    member = desk.context.new_page()
    try:
        member.goto(f"{assistant.web_url}/")
        open_widget(member)
        wait_for_bot(member, 0, text="CPMS")
        since = type_message(member, ASK_A_PERSON)
        wait_for_bot(member, since, text=QUEUED)

        desk.goto(f"{assistant.desk_url}/conversations")
        desk.locator("#handoff-rows a", has_text="Ouvrir").first.click()
        desk.wait_for_selector("#take:not([hidden])")
        assert ASK_A_PERSON in desk.locator("#chat").inner_text()
        desk.click("#take")
        desk.wait_for_selector("#reply-form:not([hidden])")
        wait_for_bot(member, since, text=JOINED)

        since = type_message(member, "Je voudrais savoir si mes lentilles sont couvertes.")
        desk.wait_for_function("() => document.querySelector('#chat').innerText.includes('lentilles')",
                               timeout=STEP_TIMEOUT_MS)
        desk.fill("#reply", "Bonjour, je vérifie votre garantie optique et je vous réponds tout de suite.")
        desk.click("#reply-form button[type=submit]")
        # in the widget, written by a person: its author above it, for everyone, distinct from the assistant's
        person = member.locator(f"{WIDGET} .chat-message--person", has_text="je vérifie votre garantie optique")
        person.wait_for(timeout=STEP_TIMEOUT_MS)
        assert person.locator(".chat-author").inner_text().startswith("Conseiller CPMS")
        assert person.evaluate("n => n.textContent").startswith("Conseiller CPMS : ")  # what a screen reader reads
        assert member.locator(f"{WIDGET} .chat-message--bot", has_text="je vérifie votre garantie optique").count() == 0
        member.wait_for_function(
            "t => Array.from(document.querySelectorAll('[data-chat-announcer] p')).some(p => p.textContent.startsWith(t))",
            arg="Conseiller CPMS : Bonjour", timeout=STEP_TIMEOUT_MS)
        desk.wait_for_function("() => document.querySelector('#chat').innerText.includes('Vous (conseiller)')",
                               timeout=STEP_TIMEOUT_MS)
        shot(browser, desk, "desk-4-live-conversation.png", printed)
        shot(browser, member, "desk-5-widget-with-a-person.png", printed)

        desk.click("#release")
        desk.wait_for_function("() => document.querySelector('#handoff-status').innerText === 'Terminée'",
                               timeout=STEP_TIMEOUT_MS)
        ended = desk.locator("#handoff-ended")
        ended.wait_for(timeout=STEP_TIMEOUT_MS)
        assert re.fullmatch(r"Vous avez rendu la main à l'assistant à \d{1,2} h( \d\d)? ; la conversation continue avec "
                            r"lui\.", desk.locator("#handoff-ended-text").inner_text().strip())
        assert ended.locator("a[href='/conversations']").is_visible() and desk.locator("#chat").is_hidden()
        shot(browser, desk, "desk-6-handed-back.png", printed)
        wait_for_bot(member, since, text=LEFT)
        since = type_message(member, "Merci beaucoup")
        wait_for_bot(member, since, text="Je vous en prie")  # the assistant answers again
        shot(browser, member, "desk-7-widget-handed-back.png", printed)
    finally:
        desk.uncheck("#availability") if desk.url.startswith(assistant.desk_url) else None
        member.close()
    with capsys.disabled():
        print("\nLive handoff screenshots:", *printed, sep="\n  ")
