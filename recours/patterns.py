"""The readers' French word patterns, as data: ``recours/data/patterns_fr.yml`` (issue 15).

Each reader of the member's text (routing, follow-ups, remarks, urgency, the reading in context, natures, the
forms' actions) matches folded French against regular expressions. They are a lexicon, not logic: a reviewer of the
French reads them in one file, beside the side questions' lexicon (``side_questions_fr.yml``), and the modules keep
only what they do with a match. No Rasa import.

The file has one section per reader; a pattern is a string, or a list of pieces joined without separator (a long
pattern cut where it reads best), or ``{flags: [IGNORECASE, ...], pattern: ...}``. ``patterns(section)`` compiles a
section once and gives its patterns as attributes: ``_P = patterns("routing")`` then ``_P.sick_leave.search(text)``.
A missing pattern is an ``AttributeError`` at the first use, and ``tests/test_patterns.py`` compiles every section
and checks that every pattern a module reads is in the file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["PATTERNS_FILE", "Patterns", "patterns", "sections"]

PATTERNS_FILE = Path(__file__).parent / "data" / "patterns_fr.yml"
_FLAGS = {"IGNORECASE": re.IGNORECASE, "MULTILINE": re.MULTILINE, "DOTALL": re.DOTALL, "VERBOSE": re.VERBOSE,
          "ASCII": re.ASCII}
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Patterns:
    """One section's compiled patterns, read as attributes (read-only). The patterns are instance attributes, so
    reading one costs what reading a module's constant does (the readers run several hundred a turn)."""

    def __init__(self, section: str, compiled: dict[str, re.Pattern[str]]):
        object.__setattr__(self, "_section", section)
        for key, pattern in compiled.items():
            object.__setattr__(self, key, pattern)

    def __getattr__(self, key: str) -> re.Pattern[str]:  # only for a name that is not there
        raise AttributeError(f"no pattern {key!r} in section {self._section!r} of {PATTERNS_FILE.name}")

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("patterns are read from the data file")

    def keys(self) -> tuple[str, ...]:
        return tuple(key for key in vars(self) if key != "_section")


def _compile(section: str, key: str, entry: object) -> re.Pattern[str]:
    flags = 0
    if isinstance(entry, dict):
        flags = 0
        for name in entry.get("flags", ()):
            flags |= _FLAGS[name]
        entry = entry["pattern"]
    if isinstance(entry, list):
        entry = "".join(entry)
    if not isinstance(entry, str):
        raise ValueError(f"{section}.{key}: a pattern is a string or a list of strings")
    return re.compile(entry, flags)


@lru_cache(maxsize=1)
def _data(path: Path = PATTERNS_FILE) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


def sections() -> tuple[str, ...]:
    return tuple(_data())


@lru_cache(maxsize=None)
def patterns(section: str) -> Patterns:
    """The compiled patterns of one section of recours/data/patterns_fr.yml."""
    entries = _data()[section]
    return Patterns(section, {key: _compile(section, key, entry) for key, entry in entries.items()})
