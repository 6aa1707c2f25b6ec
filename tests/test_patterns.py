"""The readers' patterns as data (recours/data/patterns_fr.yml): every one compiles, every one a module reads is in
the file, and none is left in the file unread."""

import re
from pathlib import Path

import pytest

from recours.patterns import PATTERNS_FILE, Patterns, patterns, sections

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for folder in ("recours", "actions", "addons", "ops") for p in (ROOT / folder).rglob("*.py"))
_BOUND = re.compile(r"^(\w+) = patterns\(\"(\w+)\"\)", re.MULTILINE)
_INLINE = re.compile(r"patterns\(\"(\w+)\"\)\.(\w+)")


def _reads() -> dict[str, set[str]]:
    """section -> the keys the modules read."""
    read: dict[str, set[str]] = {}
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for variable, section in _BOUND.findall(text):
            keys = set(re.findall(rf"(?<![\w.]){variable}\.(\w+)", text))
            if "keys" in keys:  # the whole section read in the file's order (recours.reading's cues)
                keys |= set(patterns(section).keys())
            read.setdefault(section, set()).update(keys)
        for section, key in _INLINE.findall(text):
            read.setdefault(section, set()).add(key)
    return read


READS = _reads()


@pytest.mark.parametrize("section", sections())
def test_every_pattern_of_the_file_compiles(section):
    compiled = patterns(section)
    assert compiled.keys()
    assert all(isinstance(getattr(compiled, key), re.Pattern) for key in compiled.keys())


@pytest.mark.parametrize("section", sorted(READS))
def test_every_pattern_a_module_reads_is_in_the_file(section):
    assert section in sections(), f"{section} read by a module but not in {PATTERNS_FILE.name}"
    missing = READS[section] - set(patterns(section).keys()) - {"keys"}
    assert not missing, f"{section}: {sorted(missing)}"


@pytest.mark.parametrize("section", sections())
def test_no_pattern_is_left_unread(section):
    unread = set(patterns(section).keys()) - READS.get(section, set())
    assert not unread, f"{section}: {sorted(unread)} no longer read by any module"


def test_a_missing_pattern_says_where_it_was_looked_for(tmp_path):
    with pytest.raises(AttributeError, match="no pattern 'nowhere' in section 'routing'"):
        patterns("routing").nowhere  # noqa: B018


def test_patterns_are_read_only_and_compiled_once():
    assert patterns("routing") is patterns("routing")
    with pytest.raises(AttributeError):
        patterns("routing").sick_leave = re.compile("x")
    assert isinstance(patterns("routing"), Patterns)


def test_pieces_join_without_separator_and_flags_apply():
    from recours.patterns import _compile

    assert _compile("s", "k", ["\\barret ", "de travail\\b"]).pattern == "\\barret de travail\\b"
    assert _compile("s", "k", {"flags": ["IGNORECASE"], "pattern": "abc"}).search("ABC")
    with pytest.raises(ValueError):
        _compile("s", "k", 3)
