"""Alembic environment of the complaint store.

The URL comes, in this order, from ``recours.store.migrate(url)``, ``alembic -x database_url=...``, then
``DATABASE_URL`` through recours.settings (which defaults to the SQLite file under var/).
"""

from __future__ import annotations

import sys
from logging.config import fileConfig
from pathlib import Path

from alembic import context
from sqlalchemy import create_engine, pool, text

from recours.settings import load_settings
from recours.store import metadata, prepare_sqlite

config = context.config

# The revisions in versions/ import their helpers from migrations/schema_helpers.py.
_MIGRATIONS_DIR = str(Path(__file__).resolve().parent)
if _MIGRATIONS_DIR not in sys.path:
    sys.path.append(_MIGRATIONS_DIR)

if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = metadata

# Two processes starting together on one PostgreSQL database must not both create the tables.
_PG_LOCK_ID = 0x7265636F  # "reco"


def _database_url() -> str:
    return (
        config.attributes.get("database_url")
        or context.get_x_argument(as_dictionary=True).get("database_url")
        or load_settings().database_url
    )


def run_migrations_offline() -> None:
    context.configure(
        url=_database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = _database_url()
    prepare_sqlite(url)
    engine = create_engine(url, future=True, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            is_sqlite = connection.dialect.name == "sqlite"
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=is_sqlite,  # SQLite cannot ALTER most things: later migrations use batch mode
            )
            with context.begin_transaction():
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
