"""The demo page in a real Chromium, as a member uses it: the browser fixture, what a member does and sees in the
chat widget (web/js/chat-widget.js), and the accessibility checks (axe-core from web/node_modules, keyboard focus,
reflow). Used by tests/e2e/test_widget_browser.py.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
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
DESKTOP = {"width": 1280, "height": 900}

WIDGET = "#recours-chat"
LAUNCHER = f"{WIDGET} .chat-launcher"
WINDOW = f"{WIDGET} .chat-window"
INPUT = f"{WIDGET} .chat-input"
TYPING = f"{WIDGET} .chat-typing"
ANNOUNCER = f"{WIDGET} [data-chat-announcer]"
BOT = f"{WIDGET} .chat-message--bot .chat-bubble"
MEMBER = f"{WIDGET} .chat-message--member .chat-bubble"
REPLY = f"{WIDGET} .chat-replies .chat-reply"
LAUNCHER_NAME = "Ouvrir la discussion avec l'assistant"
# WCAG 2.1 A and AA rules only (RGAA 4 follows WCAG 2.1 AA); what fails the tests is "critical" or "serious".
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"critical", "serious"}

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
            viewport=DESKTOP,
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


def wait_until_ready(page, timeout_ms: int = CONNECT_TIMEOUT_MS) -> None:
    """Wait until the widget is connected (its launcher shows on Rasa's session_confirm); WidgetUnavailable if not."""
    try:
        page.wait_for_selector("body[data-assistant='ready']", timeout=timeout_ms)
        page.wait_for_function(
            "sels => sels.some(sel => { const e = document.querySelector(sel); return e && !e.hidden; })",
            arg=[LAUNCHER, WINDOW], timeout=5_000,
        )
    except Exception as exc:  # playwright's TimeoutError
        state = page.get_attribute("body", "data-assistant")
        status = page.locator("#assistant-status").inner_text()
        raise WidgetUnavailable(f"the widget did not connect (state {state!r}, page says {status!r})") from exc


def open_widget(page, timeout_ms: int = CONNECT_TIMEOUT_MS) -> None:
    """Wait until the widget is connected, then open it with the page's "Déposer une réclamation" button."""
    wait_until_ready(page, timeout_ms)
    if not page.locator(WINDOW).is_visible():
        page.click("#open-assistant")
    page.locator(WINDOW).wait_for(state="visible", timeout=10_000)


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
    """The widget shows a turn's messages one by one: wait until none is pending (no typing indicator)."""
    page.wait_for_function("sel => !document.querySelector(sel)", arg=TYPING, timeout=STEP_TIMEOUT_MS)


def _sent(page, members: int) -> None:
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n", arg=[MEMBER, members], timeout=10_000
    )


def type_message(page, text: str) -> int:
    """Type in the widget's field and press Enter, as a member does; returns the bot message count before."""
    wait_until_idle(page)
    before = page.locator(BOT).count()
    members = page.locator(MEMBER).count()
    field_ = page.locator(INPUT)
    field_.fill(text)
    field_.press("Enter")
    _sent(page, members)
    return before


def click_button(page, title: str, exact: bool = True, key: str | None = None) -> int:
    """Click the newest quick-reply button with this title (or containing it), or focus it and press ``key``
    ("Enter", "Space"); returns the bot message count before."""
    label = re.compile(rf"^\s*{re.escape(title)}\s*$") if exact else title
    button = page.locator(REPLY, has_text=label).last
    button.wait_for(state="visible", timeout=STEP_TIMEOUT_MS)
    wait_until_idle(page)
    before = page.locator(BOT).count()
    members = page.locator(MEMBER).count()
    if key:
        button.focus()
        page.keyboard.press(key)
    else:
        button.click()
    _sent(page, members)
    return before


def visible_button_titles(page) -> list[str]:
    return [t.strip() for t in page.locator(REPLY).all_inner_texts()]


def storage(page, name: str) -> dict[str, str]:
    return page.evaluate(f"Object.assign({{}}, window.{name})")


def transcript(page) -> str:
    """What the widget shows, in order: "> " for the member, "< " for the assistant."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#recours-chat .chat-message'))
                 .map(m => (m.classList.contains('chat-message--member') ? '> ' : '< ')
                           + m.querySelector('.chat-bubble').innerText.trim()).join('\\n')"""
    )


def overflowing_messages(page) -> list[str]:
    """Messages wider than their bubble or than the widget window (long answers must wrap)."""
    return page.evaluate(
        """() => {
             const box = document.querySelector('#recours-chat .chat-log').getBoundingClientRect();
             return Array.from(document.querySelectorAll('#recours-chat .chat-bubble'))
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


# --- Accessibility ----------------------------------------------------------------------------------------------


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now (injected from web/node_modules, no CDN)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} not found: run `make web-deps` (axe-core is a devDependency of web/package.json)")
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")  # evaluated by DevTools: the page's CSP allows it
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
                    .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                       targets: v.nodes.map(n => n.target.join(' '))})))""",
        AXE_TAGS,
    )
    return result


def assert_no_blocking_violation(page, where: str) -> list[dict]:
    """No critical or serious violation; each one found (any impact) is printed with its rule, impact and target."""
    found = axe_violations(page)
    for violation in found:
        print(f"[axe] {where}: {violation['id']} ({violation['impact']}) {violation['help']} -> {violation['targets']}")
    blocking = [v for v in found if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core, {where}: " + json.dumps(blocking, ensure_ascii=False, indent=1)
    return found


def focused(page) -> dict:
    """The focused element: its tag, classes, text and accessible-name attribute."""
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return {tag: e.tagName.toLowerCase(), cls: e.className || '', text: (e.innerText || '').trim(),
                           label: e.getAttribute('aria-label') || ''}; }"""
    )


def tab_until(page, matches, *, backwards: bool = False, limit: int = 40) -> dict:
    """Press Tab (Shift+Tab) until ``matches(focused element)``; fails after ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        current = focused(page)
        if matches(current):
            return current
    raise AssertionError(f"not reached by {'Shift+' if backwards else ''}Tab in {limit} presses; focus on {current}")


def reflow_problems(page) -> list[str]:
    """At the current viewport: page scrolling sideways, the open widget outside the viewport, its box hidden."""
    return page.evaluate(
        """() => {
             const problems = [], root = document.documentElement;
             if (root.scrollWidth > root.clientWidth + 1) problems.push(`page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
             const win = document.querySelector('#recours-chat .chat-window');
             if (win && !win.hidden) {
               const r = win.getBoundingClientRect();
               if (r.left < -1 || r.right > innerWidth + 1 || r.top < -1 || r.bottom > innerHeight + 1)
                 problems.push(`widget outside the viewport: ${JSON.stringify(r)}`);
               if (win.scrollTop > 0 || win.scrollHeight > win.clientHeight + 1)
                 problems.push(`widget window scrolled or overflowing: ${win.scrollTop}, ${win.scrollHeight} > ${win.clientHeight}`);
               const input = document.querySelector('#recours-chat .chat-input').getBoundingClientRect();
               if (input.height < 20 || input.bottom > innerHeight + 1) problems.push('message box not visible');
               const log = document.querySelector('#recours-chat .chat-log');
               if (log.clientHeight < 100) problems.push(`message list ${log.clientHeight}px high`);
               if (log.scrollWidth > log.clientWidth + 1) problems.push('message list scrolls sideways');
             }
             return problems;
           }"""
    )
