"""Bringing the store's schema up to date: ``alembic upgrade head`` with the project's migrations/."""

from __future__ import annotations

from sqlalchemy.exc import InterfaceError, OperationalError

from recours.settings import PROJECT_ROOT, get_settings
from recours.store.engine import prepare_sqlite
from recours.store.errors import StoreUnavailable, describe

ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def alembic_config(database_url: str):
    """Alembic's configuration for the project's migrations on ``database_url``."""
    from alembic.config import Config

    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    # Passed as an attribute, not an ini option: no configparser interpolation of "%" in passwords.
    config.attributes["database_url"] = database_url
    config.attributes["configure_logging"] = False  # keep the host process's logging (Rasa's) untouched
    return config


def migrate(database_url: str | None = None) -> None:
    """``alembic upgrade head`` on ``database_url`` (default: the configured DATABASE_URL); idempotent."""
    from alembic import command

    url = database_url or get_settings().database_url
    prepare_sqlite(url)
    config = alembic_config(url)
    try:
        command.upgrade(config, "head")
    except (OperationalError, InterfaceError) as exc:
        raise StoreUnavailable(f"cannot migrate the complaint store: {describe(exc)}") from exc
