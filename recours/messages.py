"""The fixed French sentences Python puts together, from one file a French reviewer reads: data/messages_fr.yml.

What an action utters as it is lives in the domain's responses (``domain/*.yml``); what Python needs as text lives
here: the validators' failure messages, the fixed frames of sentences built from data (dates, deadlines,
addresses), texts several actions share. Python keeps only the choice of a sentence and the data it holds, so a
reviewer reads one kind of file, and a later English version is one more file.

A key is the dotted path of a sentence in the file (``contact.several_emails``); its placeholders are
``str.format`` fields (``{organisation}``), each one required and no other accepted: a sentence that would be
sent half filled fails here, where the test suite sees it, rather than in front of a member.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Formatter
from types import MappingProxyType
from typing import Mapping

from recours.settings import PACKAGE_DATA

MESSAGES_FILE = PACKAGE_DATA / "messages_fr.yml"
MESSAGES_SCHEMA = PACKAGE_DATA / "messages_fr.schema.json"


class UnknownMessage(LookupError):
    """No sentence of that key in messages_fr.yml."""


class PlaceholderMismatch(ValueError):
    """The values given to a sentence are not its placeholders: one is missing, or one it does not have."""


@lru_cache(maxsize=2)
def catalogue(path: Path = MESSAGES_FILE) -> Mapping[str, str]:
    """Every sentence of the file by its dotted key (checked against its schema, cached).

    Read on first use, with libyaml when it is there: importing a module that words its errors with this file
    (recours.dates) stays cheap, and the file is parsed in milliseconds rather than tenths of a second.
    """
    import yaml

    from recours.data_files import DataFileError, validate_against

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from exc
    validate_against(data, MESSAGES_SCHEMA, origin=path)
    flat: dict[str, str] = {}
    _flatten(data, (), flat)
    return MappingProxyType(flat)


def _flatten(block: Mapping[str, object], where: tuple[str, ...], into: dict[str, str]) -> None:
    for key, value in block.items():
        if isinstance(value, str):
            into[".".join((*where, key))] = value
        else:
            _flatten(value, (*where, key), into)  # type: ignore[arg-type] - the schema allows strings or mappings


def placeholders(template: str) -> frozenset[str]:
    """The names of a sentence's ``str.format`` fields (``{{`` and ``}}`` are literal braces)."""
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name is not None)


def message_fr(key: str, **values: object) -> str:
    """The sentence ``key`` with its placeholders filled by ``values``; every placeholder, and only those."""
    try:
        template = catalogue()[key]
    except KeyError:
        raise UnknownMessage(f"no sentence {key!r} in {MESSAGES_FILE.name}") from None
    expected = placeholders(template)
    missing, unexpected = expected - values.keys(), values.keys() - expected
    if missing or unexpected:
        problems = [f"missing {', '.join(sorted(missing))}" if missing else "",
                    f"unexpected {', '.join(sorted(unexpected))}" if unexpected else ""]
        raise PlaceholderMismatch(f"sentence {key!r}: {'; '.join(p for p in problems if p)}")
    return template.format(**values)


def message_group_fr(group: str) -> dict[str, str]:
    """The sentences directly under ``group``, by their last key, for a table keyed by data (a slot's name):
    sentences without placeholders only."""
    prefix = group + "."
    found = {key[len(prefix):]: key for key in catalogue() if key.startswith(prefix) and "." not in key[len(prefix):]}
    if not found:
        raise UnknownMessage(f"no group {group!r} in {MESSAGES_FILE.name}")
    return {name: message_fr(key) for name, key in found.items()}
