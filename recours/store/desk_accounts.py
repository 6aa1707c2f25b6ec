"""Handlers' accounts, sessions and failed sign-ins (the policy itself is in recours/handling/accounts.py).

The store holds hashes only: argon2id password hashes, SHA-256 of session tokens, keyed hashes of logins tried.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update

from recours.store.connection import StoreConnection
from recours.store.desk_records import DeskSession, DeskUser
from recours.store.desk_tables import ROLES, DeskSessionRow, DeskUserRow, LoginFailureRow
from recours.store.errors import store_errors


def _user(row: DeskUserRow) -> DeskUser:
    return DeskUser(id=row.id, login=row.login, role=row.role, active=row.active)


class DeskAccounts(StoreConnection):
    # -- users ---------------------------------------------------------------------------------------------------

    def save_desk_user(self, login: str, password_hash: str, role: str, now: datetime) -> tuple[DeskUser, bool]:
        """Create the account, or refresh its password and role (and reactivate it); True when created."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        with store_errors(), self._sessions() as session, session.begin():
            row = session.execute(select(DeskUserRow).where(DeskUserRow.login == login)).scalar_one_or_none()
            created = row is None
            if row is None:
                row = DeskUserRow(login=login, created_at=now)
                session.add(row)
            row.password_hash, row.role, row.active, row.password_changed_at = password_hash, role, True, now
            if not created:  # a new password ends the account's open sessions
                session.execute(delete(DeskSessionRow).where(DeskSessionRow.user_id == row.id))
            session.flush()
            return _user(row), created

    def desk_credentials(self, login: str) -> tuple[DeskUser, str] | None:
        """The active account of ``login`` and its password hash, or None."""
        with store_errors(), self._sessions() as session:
            row = session.execute(
                select(DeskUserRow).where(DeskUserRow.login == login, DeskUserRow.active.is_(True))
            ).scalar_one_or_none()
        return None if row is None else (_user(row), row.password_hash)

    def update_password_hash(self, user_id: int, password_hash: str) -> None:
        """Store a rehash (argon2 parameters raised since the password was set); sessions stay open."""
        with store_errors(), self._sessions() as session, session.begin():
            session.execute(update(DeskUserRow).where(DeskUserRow.id == user_id).values(password_hash=password_hash))

    def desk_users(self) -> list[DeskUser]:
        with store_errors(), self._sessions() as session:
            rows = session.execute(select(DeskUserRow).order_by(DeskUserRow.login)).scalars().all()
        return [_user(row) for row in rows]

    def deactivate_desk_user(self, login: str) -> bool:
        with store_errors(), self._sessions() as session, session.begin():
            row = session.execute(select(DeskUserRow).where(DeskUserRow.login == login)).scalar_one_or_none()
            if row is None:
                return False
            row.active = False
            session.execute(delete(DeskSessionRow).where(DeskSessionRow.user_id == row.id))
        return True

    # -- sessions -------------------------------------------------------------------------------------------------

    def open_desk_session(self, user_id: int, token_hash: str, now: datetime) -> None:
        with store_errors(), self._sessions() as session, session.begin():
            session.add(DeskSessionRow(token_hash=token_hash, user_id=user_id, created_at=now, last_seen_at=now,
                                       available=False))

    def desk_session(self, token_hash: str) -> DeskSession | None:
        """The session of this token with its (active) account, or None; expiry is the caller's to judge."""
        with store_errors(), self._sessions() as session:
            found = session.execute(
                select(DeskSessionRow, DeskUserRow)
                .join(DeskUserRow, DeskUserRow.id == DeskSessionRow.user_id)
                .where(DeskSessionRow.token_hash == token_hash, DeskUserRow.active.is_(True))
            ).first()
        if found is None:
            return None
        row, user = found
        return DeskSession(id=row.id, user=_user(user), created_at=row.created_at, last_seen_at=row.last_seen_at,
                           available=row.available)

    def touch_desk_session(self, session_id: int, now: datetime) -> None:
        with store_errors(), self._sessions() as session, session.begin():
            session.execute(update(DeskSessionRow).where(DeskSessionRow.id == session_id).values(last_seen_at=now))

    def set_desk_availability(self, session_id: int, available: bool) -> None:
        with store_errors(), self._sessions() as session, session.begin():
            session.execute(update(DeskSessionRow).where(DeskSessionRow.id == session_id).values(available=available))

    def close_desk_session(self, token_hash: str) -> None:
        with store_errors(), self._sessions() as session, session.begin():
            session.execute(delete(DeskSessionRow).where(DeskSessionRow.token_hash == token_hash))

    def purge_desk_sessions(self, seen_before: datetime, created_before: datetime) -> int:
        """Delete sessions idle since ``seen_before`` or opened before ``created_before``."""
        with store_errors(), self._sessions() as session, session.begin():
            return session.execute(
                delete(DeskSessionRow).where(
                    (DeskSessionRow.last_seen_at < seen_before) | (DeskSessionRow.created_at < created_before)
                )
            ).rowcount or 0

    def available_desk_handlers(self, seen_since: datetime) -> int:
        """Signed-in people who said they take live conversations, active since ``seen_since``."""
        with store_errors(), self._sessions() as session:
            return session.execute(
                select(func.count(func.distinct(DeskSessionRow.user_id))).where(
                    DeskSessionRow.available.is_(True), DeskSessionRow.last_seen_at >= seen_since
                )
            ).scalar_one()

    # -- failed sign-ins ----------------------------------------------------------------------------------------

    def login_failures_since(self, login_hash: str, since: datetime) -> list[datetime]:
        with store_errors(), self._sessions() as session:
            return list(
                session.execute(
                    select(LoginFailureRow.failed_at)
                    .where(LoginFailureRow.login_hash == login_hash, LoginFailureRow.failed_at >= since)
                    .order_by(LoginFailureRow.failed_at)
                ).scalars()
            )

    def record_login_failure(self, login_hash: str, at: datetime) -> None:
        with store_errors(), self._sessions() as session, session.begin():
            session.add(LoginFailureRow(login_hash=login_hash, failed_at=at))

    def clear_login_failures(self, login_hash: str) -> None:
        with store_errors(), self._sessions() as session, session.begin():
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.login_hash == login_hash))

    def purge_login_failures(self, before: datetime) -> int:
        with store_errors(), self._sessions() as session, session.begin():
            return session.execute(delete(LoginFailureRow).where(LoginFailureRow.failed_at < before)).rowcount or 0
