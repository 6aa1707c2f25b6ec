"""The insurer's demo page in a real Chromium (Debian's package, headless, driven by Playwright).

A member opens the page, opens the chat widget (web/js/chat-widget.js, docs/widget.md) and files a short complaint
by typing and pressing the buttons, over Rasa's socket.io channel (polling only), against the real Rasa and action
servers started by the session ``assistant`` fixture (ops.launcher, as ``make run`` does). Checked: the reference
appears, buttons are buttons, answers fit the window, the conversation survives a reload in the same tab and
continues on the same tracker, nothing identifying lands in localStorage, ``customData`` reaches Rasa as metadata,
and no request leaves 127.0.0.1/localhost. Accessibility (RGAA / WCAG 2.1 AA): axe-core finds no critical or serious
violation with the widget open and buttons shown, at 1280 and 320 px and at 200 % zoom; a member using only the
keyboard opens the widget, types, answers with a button and closes it; nothing scrolls sideways at 320 px. A page
whose Rasa server is unreachable makes the same helpers fail.

Screenshots go to test-output/ (repo-relative, gitignored); their paths are printed.
"""

from __future__ import annotations

import json
import re
import time

import pytest
import requests

from ops.launcher import free_port
from tests.e2e.widget_page import (  # noqa: F401 - browser is a fixture
    ANNOUNCER,
    BOT,
    DESKTOP,
    INPUT,
    LAUNCHER,
    LAUNCHER_NAME,
    OUTPUT,
    REPLY,
    ROOT,
    WIDGET,
    WINDOW,
    WidgetUnavailable,
    assert_no_blocking_violation,
    assert_stays_local,
    axe_violations,
    browser,
    click_button,
    focused,
    open_widget,
    overflowing_messages,
    reflow_problems,
    storage,
    tab_until,
    transcript,
    type_message,
    visible_button_titles,
    wait_for_bot,
    wait_until_idle,
    wait_until_ready,
)
from tests.nirs import grouped, make_nir

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

REFERENCE_RE = re.compile(r"REC-\d{4}-[A-Z0-9]{6}")
GRIEVANCE = (
    "Bonjour, ma mutuelle refuse de me rembourser ma couronne dentaire alors que mon contrat la prend en charge, "
    "j'ai envoyé la facture il y a un mois et je n'ai toujours rien reçu."
)
NAME = "Paul Durand"
NIR = make_nir(sex=1, year=79, month=3, department="69", commune="123", order="045")  # synthetic, key-valid
EMAIL = "paul.durand@exemple.fr"
PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 320, "height": 640}  # WCAG 1.4.10 reflow: 320 CSS px
ZOOM_200 = {"width": DESKTOP["width"] // 2, "height": DESKTOP["height"] // 2}  # the desktop window at 200 % zoom


# --- Tests -----------------------------------------------------------------------------------------------------


def test_member_files_a_complaint_in_the_widget_and_finds_it_after_a_reload(
    assistant, organisation, store, browser, capsys
):
    started = time.monotonic()
    page = browser.page
    page.goto(f"{assistant.web_url}/")
    assert page.title() == "Espace adhérent — CPMS"
    assert page.locator(".brand__name").inner_text() == "CPMS"

    open_widget(page)
    wait_for_bot(page, 0, text="CPMS")  # the greeting, answer to the initPayload "/greet"
    assert page.locator(f"{WIDGET} .chat-title").inner_text() == "Assistant réclamations"
    assert page.get_attribute(INPUT, "placeholder") == "Écrivez votre message…"

    # The grievance in the member's words, then the privacy notice and its buttons.
    since = type_message(page, GRIEVANCE)
    notice = wait_for_bot(page, since, text="Acceptez-vous de continuer")
    assert "réclamation" in notice
    assert {"J'accepte", "Je refuse"} <= set(visible_button_titles(page))
    wait_until_idle(page)
    audits = {"privacy notice": assert_no_blocking_violation(page, "widget open, privacy notice and its buttons")}

    since = click_button(page, "J'accepte")
    wait_for_bot(page, since, text="nom et votre prénom")
    since = type_message(page, NAME)
    wait_for_bot(page, since, text="sécurité sociale")
    since = type_message(page, grouped(NIR))  # as printed on the carte Vitale
    wait_for_bot(page, since, text="e-mail")
    since = type_message(page, EMAIL)
    wait_for_bot(page, since, text="Qui a souscrit")
    since = click_button(page, "Contrat individuel", key="Space")  # a button is pressed with the keyboard too
    wait_for_bot(page, since, text="motif")
    since = click_button(page, "Remboursement")
    wait_for_bot(page, since, text="décision")
    since = click_button(page, "Aucune décision")
    wait_for_bot(page, since, text="réclamation écrite")
    # A first letter sent more than two months ago, unanswered: the mediator can be referred to now, so the
    # referral letter is offered at the end (it is never offered before mediation is possible).
    since = click_button(page, "Oui")
    wait_for_bot(page, since, text="quelle date")
    since = type_message(page, "le 3 septembre 2026")
    wait_for_bot(page, since, text="réponse écrite")
    since = click_button(page, "Non")
    wait_for_bot(page, since, text="justice")
    since = click_button(page, "Non")
    recap = wait_for_bot(page, since, text="récapitulatif")
    wait_until_idle(page)
    assert "Remboursement" in recap and "couronne" in recap
    assert NIR not in recap and grouped(NIR) not in recap and "1 79 ** **" in recap
    assert EMAIL not in recap and "p***@exemple.fr" in recap
    # Buttons are rendered as buttons with their titles, never as payloads.
    assert {"Confirmer", "Corriger un élément", "Annuler"} <= set(visible_button_titles(page))
    assert not any("/affirm" in t or "/inform" in t for t in page.locator(f"{WIDGET} .chat-log").all_inner_texts())
    audits["recap"] = assert_no_blocking_violation(page, "widget open, recap and its buttons")

    since = click_button(page, "Confirmer")
    done = wait_for_bot(page, since, pattern=REFERENCE_RE.pattern)
    wait_until_idle(page)
    reference = REFERENCE_RE.search(done).group(0)
    assert "samedi 21 novembre 2026" in done  # RECOURS_TODAY of the e2e assistant
    assert not overflowing_messages(page), f"messages overflowing the widget: {overflowing_messages(page)}"
    before_reload = transcript(page)
    shot = browser.screenshot("widget-complaint.png", show=reference)

    # Recorded by the real servers, under the widget's session id; customData arrived as metadata.
    row = store.get_complaint(reference)
    assert row is not None and row.nir == NIR and row.email == EMAIL and row.member_name == NAME
    assert row.nature == "remboursement" and "couronne" in row.description
    session = json.loads(storage(page, "sessionStorage")["chat_session"])
    sender = session["session_id"]
    tracker = requests.get(
        f"{assistant.rasa_url}/conversations/{sender}/tracker", params={"token": assistant.token}, timeout=30
    ).json()
    assert tracker["slots"]["complaint_reference"] == reference
    user_events = [e for e in tracker["events"] if e["event"] == "user"]
    assert user_events and all((e.get("metadata") or {}).get("language") == "fr" for e in user_events)
    assert all(e.get("input_channel") == "socketio" for e in user_events)

    # The NIR and the e-mail never reach localStorage; the conversation lives in sessionStorage (this tab).
    local = json.dumps(storage(page, "localStorage"), ensure_ascii=False)
    for secret in (NIR, grouped(NIR), EMAIL, NAME, reference):
        assert secret not in local, f"{secret[:4]}… found in localStorage"
    assert reference in json.dumps(storage(page, "sessionStorage"), ensure_ascii=False)

    # Reload in the same tab: the same conversation is shown, nothing is replayed, and it goes on.
    bots_before = page.locator(BOT).count()
    page.reload()
    open_widget(page)
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length >= n", arg=[BOT, bots_before])
    after_reload = transcript(page)
    assert reference in after_reload and GRIEVANCE in after_reload
    assert after_reload == before_reload, "the conversation changed on reload"
    assert json.loads(storage(page, "sessionStorage")["chat_session"])["session_id"] == sender
    reload_shot = browser.screenshot("widget-after-reload.png", show="récapitulatif")

    # CPMS is a broker: the member says which kind of insurer carries the contract and gets the mediator.
    since = click_button(page, "Mutualité Française", exact=False)
    guidance = wait_for_bot(page, since, text="médiat")
    wait_until_idle(page)
    slots = requests.get(
        f"{assistant.rasa_url}/conversations/{sender}/tracker", params={"token": assistant.token}, timeout=30
    ).json()["slots"]
    assert slots["mediator"] == "fnmf", guidance
    assert not overflowing_messages(page)
    final_shot = browser.screenshot("widget-guidance.png")

    # The referral letter: as text in the chat, and downloadable from the letter page (fragment-only link).
    since = click_button(page, "Oui, la lettre")
    wait_for_bot(page, since, text="Madame, Monsieur")
    wait_until_idle(page)
    with page.context.expect_page() as popup:
        page.locator(f"{WIDGET} a.chat-reply", has_text="Télécharger la lettre").click()
    letter_page = popup.value
    letter_page.wait_for_load_state()
    assert letter_page.url.split("#")[0].endswith("/lettre.html")
    shown = letter_page.locator("#letter").inner_text()
    assert "Médiateur de la Mutualité Française" in shown or "Mutualité Française" in shown
    assert reference in shown and NIR not in shown
    with letter_page.expect_download() as download:
        letter_page.click("#download")
    saved = ROOT / "test-output" / "lettre-saisine-mediateur.txt"
    download.value.save_as(saved)
    assert reference in saved.read_text(encoding="utf-8")
    letter_shot = ROOT / "test-output" / "widget-letter.png"
    letter_page.screenshot(path=str(letter_shot))
    letter_page.close()

    # The widget open with a link among its buttons, at 1280 px and on a phone (390 px): audited, then shown.
    assert not reflow_problems(page), reflow_problems(page)
    audits["letter link, 1280 px"] = assert_no_blocking_violation(page, "widget open, letter link, 1280 px")
    wide_shot = browser.screenshot("widget-1280.png")
    page.set_viewport_size(PHONE)
    assert not reflow_problems(page), reflow_problems(page)
    audits["letter link, 390 px"] = assert_no_blocking_violation(page, "widget open, letter link, 390 px")
    phone_shot = browser.screenshot("widget-390.png")
    page.set_viewport_size(DESKTOP)

    assert not browser.page_errors, browser.page_errors
    assert_stays_local(browser)
    polls = [u for u in browser.requests if "/socket.io/" in u]
    assert polls and all("transport=polling" in u for u in polls)
    assert not any(NIR in u or EMAIL in u for u in browser.requests)

    with capsys.disabled():
        print(f"\n[widget] reference {reference}; {len(polls)} socket.io polling requests; "
              f"{len(set(browser.requests))} distinct URLs, all on 127.0.0.1/localhost; {time.monotonic() - started:.0f} s")
        shots = (shot, reload_shot, final_shot, letter_shot, wide_shot, phone_shot)
        print("[widget] screenshots: " + ", ".join(str(path.relative_to(ROOT)) for path in shots))
        for where, found in audits.items():
            print(f"[axe] {where}: {len(found)} violations of WCAG 2.1 A/AA rules, none critical or serious"
                  + "".join(f"; {v['id']} ({v['impact']})" for v in found))
        print("[widget] transcript:\n" + transcript(page))


def test_member_using_only_the_keyboard_opens_answers_and_closes_the_widget(assistant, organisation, browser, capsys):
    """Tab reaches the named launcher, Enter opens the widget with the focus in the message box, Enter sends, a
    quick reply is reached by Tab and pressed with Enter, each answer is read by the polite live region, Escape
    closes and gives the focus back to the launcher; at 320 px and at 200 % zoom nothing scrolls sideways and
    axe-core finds no critical or serious violation."""
    page = browser.page
    page.goto(f"{assistant.web_url}/")
    wait_until_ready(page)
    assert page.get_by_role("button", name=LAUNCHER_NAME, exact=True).is_visible()
    assert page.get_attribute(ANNOUNCER, "aria-live") == "polite"

    launcher = tab_until(page, lambda e: "chat-launcher" in e["cls"])
    assert launcher["label"] == LAUNCHER_NAME
    page.keyboard.press("Enter")
    page.locator(WINDOW).wait_for(state="visible", timeout=10_000)
    assert "chat-input" in focused(page)["cls"], f"focus after opening: {focused(page)}"
    wait_for_bot(page, 0, text="CPMS")  # the greeting
    wait_until_idle(page)

    page.keyboard.type(GRIEVANCE)
    page.keyboard.press("Enter")
    wait_for_bot(page, 0, text="Acceptez-vous de continuer")
    wait_until_idle(page)
    assert page.locator(INPUT).input_value() == "", "the message stayed in the box"
    announced = page.locator(ANNOUNCER).text_content()
    assert "Acceptez-vous de continuer" in announced and "Réponses proposées" in announced, announced

    reply = tab_until(page, lambda e: e["text"] == "J'accepte", backwards=True, limit=10)
    assert reply["tag"] == "button"
    since = page.locator(BOT).count()
    page.keyboard.press("Enter")
    wait_for_bot(page, since, text="nom et votre prénom")
    wait_until_idle(page)
    assert "chat-input" in focused(page)["cls"], f"focus after a quick reply: {focused(page)}"
    assert "nom et votre prénom" in page.locator(ANNOUNCER).text_content()
    assert page.locator(REPLY).count() == 0  # answered: the buttons are gone

    page.keyboard.press("Escape")
    page.locator(WINDOW).wait_for(state="hidden", timeout=5_000)
    assert "chat-launcher" in focused(page)["cls"], f"focus after Escape: {focused(page)}"

    # Reopened from the launcher (focus in the box again): read at 320 px and at 200 % zoom.
    page.keyboard.press("Enter")
    page.locator(WINDOW).wait_for(state="visible", timeout=10_000)
    assert "chat-input" in focused(page)["cls"], f"focus after reopening: {focused(page)}"
    found = {}
    for name, viewport, shot in (("320 px", NARROWEST, "widget-320.png"), ("200 % zoom", ZOOM_200, "widget-zoom-200.png")):
        page.set_viewport_size(viewport)
        assert not reflow_problems(page), f"{name}: {reflow_problems(page)}"
        assert not overflowing_messages(page), f"{name}: {overflowing_messages(page)}"
        found[name] = assert_no_blocking_violation(page, f"widget open, {name}")
        browser.screenshot(shot)
    # The audit can fail: a button without a name, added to the widget, is reported as critical.
    page.evaluate("sel => document.querySelector(sel).appendChild(document.createElement('button')).id = 'nameless'",
                  f"{WIDGET} .chat-header")
    nameless = [v for v in axe_violations(page) if v["id"] == "button-name"]
    assert nameless and nameless[0]["impact"] == "critical" and "#nameless" in nameless[0]["targets"], nameless
    page.evaluate("() => document.getElementById('nameless').remove()")

    page.keyboard.press("Escape")
    assert not reflow_problems(page), f"closed, 200 % zoom: {reflow_problems(page)}"
    page.set_viewport_size(NARROWEST)
    assert not reflow_problems(page), f"closed, 320 px: {reflow_problems(page)}"
    assert not browser.page_errors, browser.page_errors
    assert_stays_local(browser)
    with capsys.disabled():
        print("\n[widget] keyboard path: Tab to the launcher, Enter, type + Enter, Shift+Tab to « J'accepte » + Enter, "
              "Escape; " + "; ".join(f"{name}: {len(v)} minor or moderate axe findings" for name, v in found.items()))


def test_widget_that_cannot_reach_rasa_is_reported_and_fails(browser, capsys):
    """The page pointed at a closed port: the widget never shows, the page says the assistant is unavailable,
    and the helpers the complaint test relies on fail."""
    from ops.web import make_server, serve_in_thread

    closed = f"http://127.0.0.1:{free_port()}"
    server = make_server("127.0.0.1", 0, socket_url=closed)
    serve_in_thread(server)
    try:
        page = browser.page
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        page.wait_for_selector("body[data-assistant='unavailable']", timeout=20_000)
        assert "indisponible" in page.locator("#assistant-status").inner_text()
        with pytest.raises(WidgetUnavailable):
            open_widget(page, timeout_ms=8_000)
        assert not page.locator(LAUNCHER).is_visible()
        page.click("#open-assistant")  # the member tries anyway: still nothing to type in
        assert not page.locator(WINDOW).is_visible()
        assert any(u.startswith(f"{closed}/socket.io/") for u in browser.requests)
        assert_stays_local(browser)
        shot = browser.screenshot("widget-unreachable.png")
        with capsys.disabled():
            print(f"\n[widget] unreachable Rasa server detected; screenshot: {shot.relative_to(ROOT)}")
    finally:
        server.shutdown()
        server.server_close()
