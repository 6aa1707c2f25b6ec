"""The dissatisfaction lexicon (recours/data/dissatisfaction_fr.yml): every entry's example sentences are read as
the entry says. A pattern that no longer finds its examples, or that another entry now hides, fails here."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from recours.qualification import qualify
from recours.qualification.lexicon import LEXICON_FILE, expand_fragments, load_lexicon
from recours.qualification.markers import scan
from recours.qualification.normalise import normalise_text

DATA: dict[str, Any] = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
FRAGMENTS = DATA["fragments"]

MARKER_EXAMPLES = [
    pytest.param(group["marker"], expand_fragments(entry["pattern"], FRAGMENTS), example,
                 id=f"{group['marker']}-{g}.{p}-{e}")
    for g, group in enumerate(DATA["dissatisfaction"])
    for p, entry in enumerate(group["patterns"])
    for e, example in enumerate(entry["examples"])
]


def _entries(section: str) -> list[Any]:
    return [pytest.param(entry["pattern"], example, id=f"{section}-{i}.{e}")
            for i, entry in enumerate(DATA[section]) for e, example in enumerate(entry["examples"])]


@pytest.mark.parametrize(("marker", "pattern", "example"), MARKER_EXAMPLES)
def test_each_pattern_finds_its_examples(marker: str, pattern: str, example: str) -> None:
    normalised = normalise_text(example)
    found, _ = scan(normalised)
    starts = {f.start for f in found if f.key == marker}
    matches = [m.start() for m in re.finditer(pattern, normalised)]
    assert matches, f"the pattern does not match {normalised!r}"
    assert starts & set(matches), f"{marker} is not reported where the pattern matches {normalised!r}: {found}"
    assert marker in qualify("ask_information", example, 0.9).dissatisfaction_markers


@pytest.mark.parametrize(("pattern", "example"), _entries("neutral"))
def test_neutral_phrases_are_masked(pattern: str, example: str) -> None:
    assert re.search(pattern, normalise_text(example))
    assert qualify("ask_information", example, 0.9).dissatisfaction_markers == ()


@pytest.mark.parametrize(("pattern", "example"), _entries("hypothetical"))
def test_hypothetical_markers_are_ignored(pattern: str, example: str) -> None:
    normalised = normalise_text(example)
    assert re.search(pattern, normalised)
    lexicon = load_lexicon()
    # a marker is written in the example, and only the hypothesis silences it
    assert any(re.search(p, normalised) for g in lexicon.dissatisfaction for p in g.patterns), normalised
    assert qualify("ask_information", example, 0.9).dissatisfaction_markers == ()


@pytest.mark.parametrize(("example", "markers"), DATA["scope"]["examples"].items())
def test_negation_scope(example: str, markers: list[str]) -> None:
    assert qualify("complain", example, 0.9).dissatisfaction_markers == tuple(markers)


@pytest.mark.parametrize(
    ("kind", "pattern", "example"),
    [pytest.param(c["kind"], c["pattern"], e, id=f"{c['kind']}-{i}") for c in DATA["kind_cues"]
     for i, e in enumerate(c["examples"])],
)
def test_kind_cues_after_a_denial(kind: str, pattern: str, example: str) -> None:
    assert re.search(pattern, normalise_text(example))
    result = qualify("complain", example, 0.9)
    assert (result.request_kind, result.dissatisfaction_markers) == (kind, ())


def test_every_entry_has_examples_and_every_marker_a_group() -> None:
    sections = [e for g in DATA["dissatisfaction"] for e in g["patterns"]] + DATA["neutral"] + DATA["hypothetical"] \
        + DATA["kind_cues"]
    assert all(entry["examples"] for entry in sections)
    assert {g["marker"] for g in DATA["dissatisfaction"]} == set(DATA["markers"])
    assert set(DATA["scope"]["specific_refusals"]) <= set(DATA["markers"])
    for entry in sections:
        re.compile(expand_fragments(entry["pattern"], FRAGMENTS))
    assert not re.search(r"\{[a-z_]+\}", "".join(p for g in load_lexicon().dissatisfaction for p in g.patterns))


def test_words_lists_are_words() -> None:
    lexicon = load_lexicon()
    assert "n" in lexicon.negation_words and "non" in lexicon.negation_words  # YAML reads n / non as strings
    assert all(isinstance(w, str) and w.isalpha() for w in lexicon.negation_words | lexicon.scope_breakers)
