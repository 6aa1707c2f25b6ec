"""Recours's YAML data files (organisations, mediators, CPAM): read, checked against a schema, built into dataclasses.

Three steps for every file: ``read_yaml`` parses it with dates left as ISO strings (so the JSON schema sees
what the file says), ``validate_against`` checks it against its schema (Draft 2020-12) and lists every
violation with its place, and ``build`` turns the checked data into the frozen dataclasses the code reads,
from their type hints. A field reads the key of its own name; ``from_key`` points it elsewhere in its block
(``Organisation.name`` is ``identity.name``), ``ENTRY_KEY`` gives it the key of its entry in a mapping (a
mediator's id). Keys a dataclass does not declare are left to the schema, which decides what a file may hold.

Why ``build`` is written here rather than taken from a library: dacite and cattrs are not installed, and
pydantic 1.10 is only Rasa 3.6's dependency (not ours, and its 2.x API differs); it also converts silently
("10" -> 10, 10 -> "10") where a data file should fail, and reading a field from another place of the file
takes pydantic-specific aliases and validators on every class. The schema has checked the file first;
``build`` still fails with the file and the field's path when a dataclass and its schema disagree.
"""

from __future__ import annotations

import dataclasses
import json
import types
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Mapping, TypeVar, Union, get_args, get_origin, get_type_hints

import yaml
from jsonschema import Draft202012Validator

T = TypeVar("T")

_PATH = "recours.data_files.path"
_ENTRY_KEY = "recours.data_files.entry_key"
# Field metadata: the field holds the key of its entry in the mapping that holds it (``mediators: {ctip: …}``).
ENTRY_KEY: Mapping[str, Any] = {_ENTRY_KEY: True}


class DataFileError(ValueError):
    """A data file is missing, is not valid YAML, or does not match its schema."""


@dataclass(frozen=True, kw_only=True)
class Sourced:
    """A group of facts with where it was read (``source``) and the date it is valid as of (``as_of``)."""

    source: str
    as_of: date


class _StringDateLoader(yaml.SafeLoader):
    """SafeLoader that keeps ``2025-01-01`` as a string, so the JSON schema sees what the file says."""


_StringDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    """Parse a YAML data file; dates stay ISO strings."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_StringDateLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from exc


@lru_cache(maxsize=8)
def _validator(schema_path: Path) -> Draft202012Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate_against(data: Any, schema_path: Path, *, origin: Path | str) -> None:
    """Raise DataFileError listing every schema violation (with its location) of ``data``."""
    errors = sorted(_validator(schema_path).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        details = "; ".join(f"{_where(e.absolute_path)}: {e.message}" for e in errors)
        raise DataFileError(f"{origin}: does not match {schema_path.name}: {details}")


def as_date(value: str) -> date:
    return date.fromisoformat(value)


def from_key(*path: str) -> Mapping[str, Any]:
    """Field metadata: the field is read at ``path`` in its block; ``from_key()`` is the whole block.

    A path that goes through a null block reads as null (``usual_contact.phone`` is null: no phone number).
    """
    return {_PATH: path}


def build(cls: type[T], data: Any, *, origin: Path | str) -> T:
    """The dataclass ``cls`` built from checked data; DataFileError names ``origin`` and the field's path."""
    return _convert(cls, data, (), origin, None)


_MISSING = object()  # a key absent from its block (a null value is None)


def _where(path: Any) -> str:
    return "/".join(map(str, path)) or "<root>"


def _fail(origin: Path | str, where: tuple, problem: str) -> DataFileError:
    return DataFileError(f"{origin}: {_where(where)}: {problem}")


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _convert(hint: Any, value: Any, where: tuple, origin: Path | str, entry_key: str | None) -> Any:
    kind, args = get_origin(hint), get_args(hint)
    if dataclasses.is_dataclass(hint):
        return _build_dataclass(hint, value, where, origin, entry_key)
    if kind in (Union, types.UnionType) and len(args) == 2 and type(None) in args:  # ``X | None``
        if value is None:
            return None
        member = args[0] if args[1] is type(None) else args[1]
        return _convert(member, value, where, origin, entry_key)
    if kind is Literal:
        if not any(value == arg and type(value) is type(arg) for arg in args):
            raise _fail(origin, where, f"{value!r} is not one of {', '.join(map(repr, args))}")
        return value
    if kind is tuple and len(args) == 2 and args[1] is Ellipsis:
        if not isinstance(value, list):
            raise _fail(origin, where, f"expected a list, got {_type_name(value)}")
        return tuple(_convert(args[0], item, (*where, i), origin, None) for i, item in enumerate(value))
    if kind in (dict, MappingABC):
        if not isinstance(value, dict):
            raise _fail(origin, where, f"expected a mapping, got {_type_name(value)}")
        entries = {key: _convert(args[1], item, (*where, key), origin, key) for key, item in value.items()}
        return entries if kind is dict else types.MappingProxyType(entries)
    if hint is date:
        if isinstance(value, date):
            return value
        try:
            return as_date(value)
        except (TypeError, ValueError):
            raise _fail(origin, where, f"expected an ISO date, got {value!r}") from None
    if hint is time:
        if isinstance(value, time):
            return value
        try:
            return time.fromisoformat(value)
        except (TypeError, ValueError):
            raise _fail(origin, where, f"expected a time HH:MM, got {value!r}") from None
    if hint in (str, int, bool):
        if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
            raise _fail(origin, where, f"expected {hint.__name__}, got {_type_name(value)}")
        return value
    raise TypeError(f"build() cannot read a {hint!r} (at {_where(where)})")


def _build_dataclass(cls: type, value: Any, where: tuple, origin: Path | str, entry_key: str | None) -> Any:
    if not isinstance(value, dict):
        raise _fail(origin, where, f"expected a mapping, got {_type_name(value)}")
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for spec in dataclasses.fields(cls):
        if spec.metadata.get(_ENTRY_KEY):
            if entry_key is None:
                raise TypeError(f"{cls.__name__}.{spec.name} takes an entry key: build it inside a mapping")
            values[spec.name] = entry_key
            continue
        path = spec.metadata.get(_PATH, (spec.name,))
        raw = _lookup(value, path, where, origin)
        if raw is _MISSING:
            if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
                raise _fail(origin, (*where, *path), "missing")
            continue  # the dataclass default
        values[spec.name] = _convert(hints[spec.name], raw, (*where, *path), origin, None)
    return cls(**values)


def _lookup(block: dict, path: tuple[str, ...], where: tuple, origin: Path | str) -> Any:
    """The value at ``path`` in ``block``, None through a null block, ``_MISSING`` when a key is absent."""
    value: Any = block
    for depth, part in enumerate(path):
        if value is None:
            return None
        if not isinstance(value, dict):
            raise _fail(origin, (*where, *path[:depth]), f"expected a mapping, got {_type_name(value)}")
        if part not in value:
            return _MISSING
        value = value[part]
    return value


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__
