"""What the complaint store raises, and the translation of database driver errors into it.

Messages never carry SQL parameters: they would be ciphertexts or keyed hashes of a member's identifiers.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout


class StoreError(Exception):
    """Base class: anything the complaint store cannot do."""


class StoreUnavailable(StoreError):
    """The database cannot be reached (or its schema is missing): nothing was written, retry later."""


class RecordingFailed(StoreError):
    """The complaint could not be recorded; nothing was written and the vault is unchanged."""


class UnknownComplaint(StoreError):
    """No complaint of this organisation has this reference."""


class KeyMismatch(StoreError):
    """The configured key cannot decrypt the stored data: the service must not start with it."""


def describe(exc: BaseException) -> str:
    """The error's class and first line, without SQL parameters (they would be ciphertexts or hashes)."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


def is_missing_schema(exc: SQLAlchemyError) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


@contextmanager
def store_errors(*, recording: bool = False) -> Iterator[None]:
    """Translate driver errors into the store's exceptions; while ``recording``, any failure is RecordingFailed."""
    failed = RecordingFailed if recording else StoreError
    try:
        yield
    except StoreError:
        raise
    except (OperationalError, InterfaceError, ProgrammingError, PoolTimeout) as exc:
        if is_missing_schema(exc):
            raise StoreUnavailable("the complaint store has no schema: run recours.store.migrate()") from exc
        if isinstance(exc, ProgrammingError):
            raise failed(describe(exc)) from exc
        raise StoreUnavailable(f"complaint store unreachable: {describe(exc)}") from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise StoreUnavailable(f"complaint store unreachable: {describe(exc)}") from exc
        raise failed(describe(exc)) from exc
    except SQLAlchemyError as exc:
        raise failed(describe(exc)) from exc
    except Exception as exc:
        if not recording:
            raise
        raise RecordingFailed(f"{type(exc).__name__}: {exc}") from exc
