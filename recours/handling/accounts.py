"""Handlers' sign-in: argon2id passwords, sessions, CSRF tokens, and the lock-out after failed attempts.

- Passwords are hashed by argon2-cffi's ``PasswordHasher`` (argon2id with the library's defaults, RFC 9106's
  low-memory profile: 64 MiB, 3 passes, 4 lanes), never stored nor logged; a hash made with weaker parameters
  than today's is replaced at the next sign-in. At least 12 characters.
- No user enumeration: an unknown login costs the same argon2 verification (against a fixed dummy hash) and gets
  the same answer; the lock-out counts failures per login tried, known or not, under a keyed hash.
- Lock-out: 5 failures within 15 minutes lock that login for 15 minutes from the 5th (HTTP 429), even with the
  right password; a successful sign-in clears the count.
- Sessions: a random token (32 bytes) lives in an HttpOnly, SameSite=Strict cookie; the store keeps its SHA-256
  only. The CSRF token is an HMAC of the session token (derived, never stored): the sign-in returns it, every
  state-changing request sends it back in ``X-CSRF-Token``. A session unused for ``DESK_SESSION_IDLE_MINUTES``
  (30) ends, and any session after 12 hours.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from recours.crypto import FieldCipher
from recours.store import ROLES, ComplaintStore, DeskSession, DeskUser
from recours.store.tables import utcnow

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)
SESSION_MAX_AGE = timedelta(hours=12)
MIN_PASSWORD_CHARS = 12
LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_CSRF_CONTEXT = b"recours-desk-csrf"

_hasher = PasswordHasher()
# Verified when the login is unknown, so that an unknown login takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class InvalidAccount(ValueError):
    """A login or password that cannot be used; ``message_fr`` says why."""

    def __init__(self, message_fr: str) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr


def normalise_login(login: str) -> str:
    return (login or "").strip().casefold()


def check_new_account(login: str, password: str, role: str) -> str:
    """The normalised login, or :class:`InvalidAccount`."""
    normalised = normalise_login(login)
    if not LOGIN_RE.match(normalised):
        raise InvalidAccount("Identifiant invalide : 2 à 64 caractères parmi a-z, 0-9, « . », « _ » et « - ».")
    if role not in ROLES:
        raise InvalidAccount("Rôle invalide : « handler » (gestionnaire) ou « supervisor » (superviseur).")
    if len(password or "") < MIN_PASSWORD_CHARS:
        raise InvalidAccount(f"Mot de passe trop court : au moins {MIN_PASSWORD_CHARS} caractères.")
    return normalised


def save_account(store: ComplaintStore, login: str, password: str, role: str) -> tuple[DeskUser, bool]:
    """Create the account, or replace its password and role; True when created."""
    normalised = check_new_account(login, password, role)
    return store.save_desk_user(normalised, _hasher.hash(password), role, utcnow())


def login_hash(cipher: FieldCipher, login: str) -> str:
    return cipher.keyed_hash("desk-login:" + normalise_login(login))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_token(session_token: str) -> str:
    return hmac.new(session_token.encode("utf-8"), _CSRF_CONTEXT, hashlib.sha256).hexdigest()


def csrf_valid(session_token: str, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(csrf_token(session_token).encode(), presented.encode("utf-8", "replace"))


def locked_until(failures: list[datetime], now: datetime) -> datetime | None:
    """When the lock-out ends, if ``failures`` (sorted) lock the login at ``now``; else None."""
    ends = [
        failures[i] + LOCK_DURATION
        for i in range(MAX_FAILURES - 1, len(failures))
        if failures[i] - failures[i - MAX_FAILURES + 1] <= FAILURE_WINDOW and now < failures[i] + LOCK_DURATION
    ]
    return max(ends) if ends else None


@dataclass(frozen=True)
class SignIn:
    """How a sign-in ended: ``user`` and ``token`` when it succeeded, ``retry_after`` seconds when locked."""

    user: DeskUser | None = None
    token: str | None = None
    retry_after: int | None = None

    @property
    def csrf(self) -> str | None:
        return csrf_token(self.token) if self.token else None


def sign_in(store: ComplaintStore, cipher: FieldCipher, login: str, password: str,
            now: datetime | None = None) -> SignIn:
    """Check the password (see the module docstring); open a session when it matches."""
    now = now or utcnow()
    key = login_hash(cipher, login)
    failures = store.login_failures_since(key, now - FAILURE_WINDOW - LOCK_DURATION)
    lock_end = locked_until(failures, now)
    if lock_end is not None:
        return SignIn(retry_after=max(1, int((lock_end - now).total_seconds())))
    found = store.desk_credentials(normalise_login(login)) if isinstance(password, str) else None
    stored_hash = found[1] if found else _DUMMY_HASH
    try:
        matches = _hasher.verify(stored_hash, password if isinstance(password, str) else "")
    except (VerificationError, InvalidHashError):
        matches = False
    if found is None or not matches:
        store.record_login_failure(key, now)
        return SignIn()
    user, _ = found
    store.clear_login_failures(key)
    if _hasher.check_needs_rehash(stored_hash):
        store.update_password_hash(user.id, _hasher.hash(password))
    token = secrets.token_urlsafe(32)
    store.open_desk_session(user.id, token_hash(token), now)
    return SignIn(user=user, token=token)


def current_session(store: ComplaintStore, token: str | None, idle: timedelta,
                    now: datetime | None = None) -> DeskSession | None:
    """The live session of a cookie's token, or None (unknown, idle for ``idle``, or older than 12 hours)."""
    if not token or len(token) > 128:
        return None
    now = now or utcnow()
    session = store.desk_session(token_hash(token))
    if session is None:
        return None
    if now - session.last_seen_at > idle or now - session.created_at > SESSION_MAX_AGE:
        store.close_desk_session(token_hash(token))
        return None
    return session
