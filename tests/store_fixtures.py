"""The complaint store on SQLite and on a throwaway PostgreSQL server (tests/pg.py), migrated, with a fresh key.

Import the fixtures where needed, with the server's: ``from tests.store_fixtures import cipher, database_url,
postgresql_url, store  # noqa: F401``
(``database_url`` runs each test twice, the PostgreSQL run marked ``postgres``).
"""

from __future__ import annotations

from typing import Iterator

import pytest

from recours.crypto import FieldCipher, generate_key
from recours.store import ComplaintStore
from tests.pg import BACKENDS, migrated_database, postgresql_url  # noqa: F401 - the server behind "postgresql"


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    return migrated_database(request.param, request, tmp_path / "var" / "recours.db")


@pytest.fixture
def cipher() -> FieldCipher:
    return FieldCipher(generate_key())


@pytest.fixture
def store(database_url: str, cipher: FieldCipher) -> Iterator[ComplaintStore]:
    opened = ComplaintStore(database_url, cipher)
    yield opened
    opened.dispose()
