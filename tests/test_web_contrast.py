"""Contrast of every organisation's display colours as the demo page and its chat widget use them (WCAG 2.1 AA,
RGAA 3.2 / 3.3): 4.5:1 for text (1.4.3), 3:1 for borders, focus rings and state indicators (1.4.11).

The colours come from recours/data/organisations/*.yml (``display``) and from the ``:root`` custom properties of
web/css/*.css; each pair below is one use in the CSS (named where it is used). The ratios are computed by
coloraide's WCAG 2.1 contrast. axe-core checks the rendered page for the deploying organisation
(tests/e2e/test_widget_browser.py); this test covers every organisation, including one not deployed.
"""

from __future__ import annotations

import re

import pytest
from coloraide import Color

from ops.web import WEB_ROOT
from recours.organisations import list_organisation_keys, load_organisation

TEXT = 4.5
NON_TEXT = 3.0
NAV_SHADE = "rgb(0 0 0 / 0.14)"  # .site-nav's background, laid over the header's primary colour

# (foreground, background, minimum ratio, where the CSS uses it). Organisation colours: primary, accent,
# on_primary; the others are :root custom properties of web/css ("nav" is NAV_SHADE over primary).
PAIRS = [
    ("on_primary", "primary", TEXT, "header, member's messages, primary and send buttons, launcher, focused replies"),
    ("primary", "surface", TEXT, "links, quick replies (text and border), focus rings on white, the author and border"
                                 " of a handler's messages"),
    ("ink", "surface", TEXT, "a handler's messages (live handoff)"),
    ("primary", "background", TEXT, "focus rings and links on the page's grey background"),
    ("primary", "chat-bubble", TEXT, "links in the assistant's messages"),
    ("ink", "chat-bubble", TEXT, "the assistant's messages"),
    ("ink", "accent", TEXT, "the organisation's initials and the launcher's unread badge"),
    ("on_primary", "nav", TEXT, "navigation links"),
    ("accent", "nav", NON_TEXT, "underline of the current page in the navigation"),
    ("muted", "surface", TEXT, "secondary text, the message box's placeholder"),
    ("chat-line", "surface", NON_TEXT, "border of the message box and of the widget"),
]


def css_custom_properties() -> dict[str, str]:
    """``--name: #hex`` declared in the :root blocks of web/css/*.css."""
    found: dict[str, str] = {}
    for path in sorted((WEB_ROOT / "css").glob("*.css")):
        for block in re.findall(r":root\s*\{([^}]*)\}", path.read_text(encoding="utf-8")):
            found.update(re.findall(r"--([a-z-]+)\s*:\s*(#[0-9a-fA-F]{3,8})\s*;", block))
    return found


def palette(key: str) -> dict[str, str]:
    colours = load_organisation(key).colours
    named = {**css_custom_properties(), "primary": colours["primary"], "accent": colours["accent"],
             "on_primary": colours["text_on_primary"]}
    named["nav"] = Color.layer([NAV_SHADE, named["primary"]]).to_string(hex=True)
    return named


def test_the_css_declares_the_fixed_colours_the_pairs_name():
    declared = css_custom_properties()
    fixed = {name for pair in PAIRS for name in pair[:2]} - {"primary", "accent", "on_primary", "nav"}
    assert fixed <= declared.keys(), f"not declared in web/css :root: {fixed - declared.keys()}"


def test_contrast_is_computed_as_wcag_defines_it():
    assert Color("#000000").contrast("#ffffff", method="wcag21") == pytest.approx(21.0)
    assert Color("#767676").contrast("#ffffff", method="wcag21") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("key", list_organisation_keys())
def test_every_colour_pair_meets_wcag_aa(key):
    colours = palette(key)
    failing = []
    for foreground, background, minimum, where in PAIRS:
        ratio = Color(colours[foreground]).contrast(colours[background], method="wcag21")
        if ratio < minimum:
            failing.append(f"{foreground} {colours[foreground]} on {background} {colours[background]}: "
                           f"{ratio:.2f}:1 < {minimum}:1 ({where})")
    assert not failing, f"{key}: " + "; ".join(failing)
