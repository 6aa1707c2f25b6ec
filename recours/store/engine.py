"""The store's SQLAlchemy engine: SQLite (default, with real transactions and secure delete) or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url


def prepare_sqlite(database_url: str) -> None:
    """SQLite files live under var/, which may not exist yet on a fresh checkout."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def create_store_engine(database_url: str) -> Engine:
    prepare_sqlite(database_url)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        # The action server runs store calls in worker threads; wait for a writer rather than fail at once.
        engine = create_engine(url, future=True, connect_args={"timeout": 30, "check_same_thread": False})
        _serialise_sqlite_transactions(engine)
        event.listen(engine, "connect", secure_delete)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True, connect_args=_connect_timeout(url))


def _serialise_sqlite_transactions(engine: Engine) -> None:
    """Real SQLite transactions: ``BEGIN IMMEDIATE`` when the session begins, not before the first write.

    pysqlite only opens a transaction before an INSERT/UPDATE/DELETE, so the vault read of
    :meth:`ComplaintStore.record_complaint` would happen outside it, and a read-then-write transaction could
    fail with "database is locked" instead of waiting. Taking the write lock at BEGIN (SQLAlchemy's documented
    recipe) makes recording serialisable; the volume of complaints makes the lost read concurrency irrelevant.
    """

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def secure_delete(dbapi_connection: Any, _record: Any = None) -> None:
    """SQLite overwrites deleted rows with zeros: a cleared vault row or an erased conversation does not linger in
    the file's free pages (PostgreSQL's dead rows are reclaimed by VACUUM and are never readable through SQL)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.close()


def _connect_timeout(url: URL) -> dict[str, Any]:
    return {"connect_timeout": 10} if url.get_backend_name() == "postgresql" else {}
