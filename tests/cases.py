"""Parametrised test cases kept as data: ``tests/data/<test module>.yml``, one list per test.

A table of member messages and expected readings is French data, read and extended by a reviewer of the French
more than by a programmer; in YAML it is one row a case, with the comments that group them. Rows are lists in
the file and tuples here (nested lists too), as pytest's parametrisation and the tests' comparisons expect.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"


def _tuples(value):
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value


@lru_cache(maxsize=None)
def _file(stem: str) -> dict:
    return yaml.safe_load((DATA / f"{stem}.yml").read_text(encoding="utf-8"))


def cases(test_file: str, name: str) -> list:
    """The cases ``name`` of the data file of ``test_file`` (pass ``__file__``)."""
    return [_tuples(row) for row in _file(Path(test_file).stem)[name]]
