"""The insurer's demo page in a real Chromium (Debian's package, headless, driven by Playwright).

A member opens the page, opens the rasa-webchat widget and files a short complaint by typing and clicking the
buttons, over Rasa's socket.io channel (polling only), against the real Rasa and action servers started by the
session ``assistant`` fixture (ops.launcher, as ``make run`` does). Checked: the reference appears, buttons are
buttons, answers fit the window, the conversation survives a reload in the same tab and continues on the same
tracker, nothing identifying lands in localStorage, ``customData`` reaches Rasa as metadata, and no request leaves
127.0.0.1/localhost. A page whose Rasa server is unreachable makes the same helpers fail.

Screenshots go to test-output/ (repo-relative, gitignored); their paths are printed.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest
import requests

from ops.launcher import free_port
from tests.nirs import grouped, make_nir

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
CHROMIUM = Path(os.environ.get("RECOURS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
STEP_TIMEOUT_MS = 60_000
CONNECT_TIMEOUT_MS = 60_000

REFERENCE_RE = re.compile(r"REC-\d{4}-[A-Z0-9]{6}")
GRIEVANCE = (
    "Bonjour, ma mutuelle refuse de me rembourser ma couronne dentaire alors que mon contrat la prend en charge, "
    "j'ai envoyé la facture il y a un mois et je n'ai toujours rien reçu."
)
NAME = "Paul Durand"
NIR = make_nir(sex=1, year=79, month=3, department="69", commune="123", order="045")  # synthetic, key-valid
EMAIL = "paul.durand@exemple.fr"

WIDGET = "#recours-webchat"
BOT = f"{WIDGET} .rw-messages-container .rw-message:not(.rw-typing-indication) .rw-response"
MEMBER = f"{WIDGET} .rw-messages-container .rw-client"
REPLY = f"{WIDGET} .rw-replies .rw-reply"

# Recorded before any page script runs: Content-Security-Policy violations (a blocked request never shows up
# among the network requests, so it is checked separately).
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


class WidgetUnavailable(AssertionError):
    """The widget did not connect to the Rasa server (it stays hidden, the page says so)."""


@dataclass
class Browser:
    page: object
    requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def screenshot(self, name: str, show: str | None = None) -> Path:
        """The viewport (the widget is fixed in it); ``show``: scroll the widget to the bot message with this text."""
        if show:
            self.page.locator(BOT, has_text=show).first.evaluate("node => node.scrollIntoView({block: 'start'})")
        OUTPUT.mkdir(exist_ok=True)
        path = OUTPUT / name
        self.page.screenshot(path=str(path), animations="disabled")
        return path

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []") + [
            line for line in self.console if "Content Security Policy" in line
        ]


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    """Debian's Chromium, headless, with a fresh profile; every request and console message recorded."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (`make system-deps`), or set RECOURS_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            locale="fr-FR",
            timezone_id="Europe/Paris",
        )
        try:
            context.add_init_script(CSP_RECORDER)
            page = context.pages[0] if context.pages else context.new_page()
            run = Browser(page)
            context.on("request", lambda request: run.requests.append(request.url))
            page.on("websocket", lambda socket: run.websockets.append(socket.url))
            page.on("console", lambda message: run.console.append(f"{message.type}: {message.text}"))
            page.on("pageerror", lambda error: run.page_errors.append(str(error)))
            yield run
        finally:
            context.close()


# --- What a member does and sees -------------------------------------------------------------------------------


def open_widget(page, timeout_ms: int = CONNECT_TIMEOUT_MS) -> None:
    """Wait until the widget is connected (rasa-webchat shows itself on Rasa's session_confirm), then open it
    with the page's "Déposer une réclamation" button. Raises WidgetUnavailable when it cannot connect."""
    try:
        page.wait_for_selector("body[data-assistant='ready']", timeout=timeout_ms)
        page.locator(f"{WIDGET} .rw-launcher").wait_for(state="visible", timeout=5_000)
    except Exception as exc:  # playwright's TimeoutError
        state = page.get_attribute("body", "data-assistant")
        status = page.locator("#assistant-status").inner_text()
        raise WidgetUnavailable(f"the widget did not connect (state {state!r}, page says {status!r})") from exc
    if not page.locator(f"{WIDGET} .rw-conversation-container").is_visible():
        page.click("#open-assistant")
    page.locator(f"{WIDGET} .rw-conversation-container").wait_for(state="visible", timeout=10_000)


def bot_texts(page, since: int = 0) -> list[str]:
    return page.locator(BOT).all_inner_texts()[since:]


def wait_for_bot(page, since: int, *, text: str | None = None, pattern: str | None = None) -> str:
    """Wait until a bot message after the ``since`` first ones contains ``text`` (or matches ``pattern``)."""
    page.wait_for_function(
        """([selector, since, text, pattern]) => {
             const re = pattern ? new RegExp(pattern) : null;
             return Array.from(document.querySelectorAll(selector)).slice(since)
               .some(node => text ? node.innerText.includes(text) : re.test(node.innerText));
           }""",
        arg=[BOT, since, text, pattern],
        timeout=STEP_TIMEOUT_MS,
    )
    return "\n".join(bot_texts(page, since))


def wait_until_idle(page) -> None:
    """rasa-webchat shows a turn's messages one by one: wait until none is pending (no typing indicator)."""
    page.wait_for_function(
        "sel => !document.querySelector(sel)",
        arg=f"{WIDGET} .rw-typing-indication",
        timeout=STEP_TIMEOUT_MS,
    )


def type_message(page, text: str) -> int:
    """Type in the widget's field and press Enter, as a member does; returns the bot message count before."""
    wait_until_idle(page)
    before = page.locator(BOT).count()
    members = page.locator(MEMBER).count()
    field_ = page.locator(f"{WIDGET} .rw-new-message")
    field_.fill(text)
    field_.press("Enter")
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n", arg=[MEMBER, members], timeout=10_000
    )
    return before


def click_button(page, title: str, exact: bool = True) -> int:
    """Click the newest quick-reply button with this title (or containing it); returns the bot message count before."""
    label = re.compile(rf"^\s*{re.escape(title)}\s*$") if exact else title
    button = page.locator(REPLY, has_text=label).last
    button.wait_for(state="visible", timeout=STEP_TIMEOUT_MS)
    wait_until_idle(page)
    before = page.locator(BOT).count()
    members = page.locator(MEMBER).count()
    button.click()
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n", arg=[MEMBER, members], timeout=10_000
    )
    return before


def visible_button_titles(page) -> list[str]:
    return [t.strip() for t in page.locator(REPLY).all_inner_texts()]


def storage(page, name: str) -> dict[str, str]:
    return page.evaluate(f"Object.assign({{}}, window.{name})")


def transcript(page) -> str:
    """What the widget shows, in order: "> " for the member, "< " for the assistant."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#recours-webchat .rw-message:not(.rw-typing-indication)'))
                 .map(m => (m.querySelector('.rw-client') ? '> ' : '< ') + m.innerText.trim()).join('\\n')"""
    )


def overflowing_messages(page) -> list[str]:
    """Messages wider than their bubble or than the widget window (long answers must wrap)."""
    return page.evaluate(
        """() => {
             const box = document.querySelector('#recours-webchat .rw-messages-container').getBoundingClientRect();
             return Array.from(document.querySelectorAll('#recours-webchat .rw-response, #recours-webchat .rw-client'))
               .filter(n => n.scrollWidth > n.clientWidth + 1 || n.getBoundingClientRect().right > box.right + 1)
               .map(n => n.innerText.slice(0, 80));
           }"""
    )


def assert_stays_local(browser: Browser) -> None:
    outside = [url for url in browser.requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")
               and urlsplit(url).hostname not in LOCAL_HOSTS]
    odd = [url for url in browser.requests if urlsplit(url).scheme not in ("http", "https", "data", "blob")]
    assert not outside, f"requests leaving the machine: {outside}"
    assert not odd, f"unexpected request schemes: {odd}"
    assert not browser.websockets, f"WebSocket opened although the socket.io channel is polling-only: {browser.websockets}"
    assert not browser.csp_violations(), f"Content-Security-Policy violations: {browser.csp_violations()}"


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
    assert page.locator(f"{WIDGET} .rw-title").inner_text() == "Assistant réclamations"
    assert page.get_attribute(f"{WIDGET} .rw-new-message", "placeholder") == "Écrivez votre message…"

    # The grievance in the member's words, then the privacy notice and its buttons.
    since = type_message(page, GRIEVANCE)
    notice = wait_for_bot(page, since, text="Acceptez-vous de continuer")
    assert "réclamation" in notice
    assert {"J'accepte", "Je refuse"} <= set(visible_button_titles(page))

    since = click_button(page, "J'accepte")
    wait_for_bot(page, since, text="nom et votre prénom")
    since = type_message(page, NAME)
    wait_for_bot(page, since, text="sécurité sociale")
    since = type_message(page, grouped(NIR))  # as printed on the carte Vitale
    wait_for_bot(page, since, text="e-mail")
    since = type_message(page, EMAIL)
    wait_for_bot(page, since, text="Qui a souscrit")
    since = click_button(page, "Contrat individuel")
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
    assert not any("/affirm" in t or "/inform" in t for t in page.locator(f"{WIDGET} .rw-messages-container").all_inner_texts())

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
        page.locator("a.rw-reply", has_text="Télécharger la lettre").click()
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

    assert not browser.page_errors, browser.page_errors
    assert_stays_local(browser)
    polls = [u for u in browser.requests if "/socket.io/" in u]
    assert polls and all("transport=polling" in u for u in polls)
    assert not any(NIR in u or EMAIL in u for u in browser.requests)

    with capsys.disabled():
        print(f"\n[widget] reference {reference}; {len(polls)} socket.io polling requests; "
              f"{len(set(browser.requests))} distinct URLs, all on 127.0.0.1/localhost; {time.monotonic() - started:.0f} s")
        print(f"[widget] screenshots: {shot.relative_to(ROOT)}, {reload_shot.relative_to(ROOT)}, {final_shot.relative_to(ROOT)}")
        print("[widget] transcript:\n" + transcript(page))


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
        assert not page.locator(f"{WIDGET} .rw-launcher").is_visible()
        page.click("#open-assistant")  # the member tries anyway: still nothing to type in
        assert not page.locator(f"{WIDGET} .rw-conversation-container").is_visible()
        assert any(u.startswith(f"{closed}/socket.io/") for u in browser.requests)
        assert_stays_local(browser)
        shot = browser.screenshot("widget-unreachable.png")
        with capsys.disabled():
            print(f"\n[widget] unreachable Rasa server detected; screenshot: {shot.relative_to(ROOT)}")
    finally:
        server.shutdown()
        server.server_close()
