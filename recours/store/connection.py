"""What every part of the store shares: the engine, the sessions, the field cipher and the start-up key check."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from recours.crypto import DecryptionError, FieldCipher
from recours.store.engine import create_store_engine
from recours.store.errors import KeyMismatch, store_errors
from recours.store.migrations import migrate
from recours.store.references import normalise_reference
from recours.store.tables import ComplaintRow, VaultRow

_Store = TypeVar("_Store", bound="StoreConnection")


class StoreConnection:
    """One database (SQLite by default, PostgreSQL by URL) and the cipher of its encrypted fields.

    The constructor checks that ``cipher`` can read the existing rows (:class:`KeyMismatch` otherwise). It does
    not create the schema: call :func:`migrate` first, or use :meth:`open`, which does both.
    """

    def __init__(self, database_url: str, cipher: FieldCipher, *, verify_key: bool = True) -> None:
        self._cipher = cipher
        self._engine = create_store_engine(database_url)
        self._sessions = sessionmaker(self._engine, future=True, expire_on_commit=False)
        if verify_key:
            self.verify_key()

    @classmethod
    def open(cls: type[_Store], database_url: str, cipher: FieldCipher) -> _Store:
        """Migrate the schema, then open the store (the action server's start-up)."""
        migrate(database_url)
        return cls(database_url, cipher)

    @property
    def engine(self) -> Engine:
        return self._engine

    def dispose(self) -> None:
        self._engine.dispose()

    def verify_key(self) -> None:
        """Decrypt the newest complaint (or vault row): one indexed read, enough to detect a wrong key."""
        with store_errors():
            with self._engine.connect() as connection:
                token = connection.execute(
                    select(ComplaintRow.member_name).order_by(ComplaintRow.id.desc()).limit(1)
                ).scalar()
                if token is None:
                    token = connection.execute(
                        select(VaultRow.ciphertext).order_by(VaultRow.id.desc()).limit(1)
                    ).scalar()
        if token is not None:
            try:
                self._cipher.decrypt(token)
            except DecryptionError:
                raise KeyMismatch(
                    "the encryption key cannot decrypt the complaint store: check RECOURS_ENCRYPTION_KEY / the "
                    "key file (the service refuses to start rather than write rows nobody could read)"
                ) from None

    def _row_by_reference(self, table: Any, reference: str, *conditions: Any) -> Any:
        """The row of ``table`` (a mapped class with a ``reference`` column) holding ``reference`` as the member
        or a handler typed it, and meeting ``conditions``; None when there is none."""
        with store_errors(), self._sessions() as session:
            return session.execute(
                select(table).where(table.reference == normalise_reference(reference), *conditions)
            ).scalar_one_or_none()

    def _decrypt(self, token: str | None) -> str | None:
        if token is None:
            return None
        try:
            return self._cipher.decrypt(token)
        except DecryptionError:
            raise KeyMismatch("a stored value cannot be decrypted with the configured key") from None
