"""Field encryption and keyed hashes for the identifiers and free texts of a complaint.

One secret (``RECOURS_ENCRYPTION_KEY``, or the key file) gives two independent keys through HKDF: a Fernet key
for the fields and an HMAC-SHA256 key for the hashes that let the store find a row by NIR, e-mail or
conversation without keeping the clear value. Deriving both from one secret keeps the operator's job to one
value to back up; deriving them separately means a hash never reveals anything about the encryption key.

Run ``python -m recours.crypto`` to print a new secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from recours.settings import Settings

log = logging.getLogger(__name__)

_ENCRYPTION_INFO = b"recours/field-encryption/v1"
_HASH_INFO = b"recours/keyed-hash/v1"
_CONVERSATION_PREFIX = "conversation:"


class InvalidKey(ValueError):
    """The configured secret is not 32 random bytes in URL-safe base64."""


class MissingKey(RuntimeError):
    """No secret is configured and none may be generated (a non-embedded deployment)."""


class DecryptionError(ValueError):
    """A ciphertext was not produced with this key (wrong key, or altered data)."""


def generate_key() -> str:
    """A new secret: 32 random bytes, URL-safe base64 (the format of ``RECOURS_ENCRYPTION_KEY``)."""
    return Fernet.generate_key().decode("ascii")


def _decode_secret(secret: str | bytes) -> bytes:
    try:
        raw = secret.encode("ascii") if isinstance(secret, str) else secret
        decoded = base64.urlsafe_b64decode(raw.strip())
    except (binascii.Error, ValueError):  # UnicodeEncodeError is a ValueError
        decoded = b""
    if len(decoded) != 32:
        raise InvalidKey(
            "the encryption secret must be 32 random bytes in URL-safe base64 (44 characters); "
            "generate one with `python -m recours.crypto`"
        )
    return decoded


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


class FieldCipher:
    """Encrypts and hashes field values with keys derived from one secret."""

    def __init__(self, secret: str | bytes) -> None:
        decoded = _decode_secret(secret)
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(decoded, _ENCRYPTION_INFO)))
        self._hash_key = _derive(decoded, _HASH_INFO)

    def __repr__(self) -> str:  # never print key material
        return "FieldCipher(<secret>)"

    def encrypt(self, value: str) -> str:
        """A Fernet token (ASCII); the same value encrypts differently each time (random IV)."""
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as exc:
            raise DecryptionError("ciphertext cannot be decrypted with this key") from exc

    def keyed_hash(self, value: str) -> str:
        """HMAC-SHA256 of ``value`` (hex, 64 characters): equal values give equal hashes, for look-ups."""
        return hmac.new(self._hash_key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    def conversation_key(self, sender_id: str) -> str:
        """What the store keeps instead of the Rasa sender id (a phone number on WhatsApp)."""
        return self.keyed_hash(_CONVERSATION_PREFIX + sender_id)


def conversation_key(cipher: FieldCipher, sender_id: str) -> str:
    """Keyed hash of a Rasa sender id, used as the conversation id where a clear one must not be stored."""
    return cipher.conversation_key(sender_id)


def default_key_file(settings: Settings) -> Path:
    return settings.var_dir / "secrets" / "field.key"


def load_key(settings: Settings) -> str:
    """The secret: ``RECOURS_ENCRYPTION_KEY``, else the key file.

    The key file is created only for the embedded default (SQLite and the default path under ``var/``), so that
    ``make run`` works out of the box; a deployment that configured another database or key file and has no
    key fails here rather than encrypting with a key nobody backed up.
    """
    if settings.encryption_key:
        _decode_secret(settings.encryption_key)
        return settings.encryption_key.strip()
    path = Path(settings.encryption_key_file)
    if path.exists():
        return _read_key_file(path)
    if settings.sqlite_default and path.resolve() == default_key_file(settings).resolve():
        return ensure_key_file(path)
    raise MissingKey(
        f"no encryption key: set RECOURS_ENCRYPTION_KEY or create the key file {path} "
        "(`python -m recours.crypto > file`, mode 0600)"
    )


def _read_key_file(path: Path) -> str:
    if os.name == "posix" and path.stat().st_mode & 0o077:
        log.warning("encryption key file %s is readable by other users; chmod 600 it", path)
    secret = path.read_text(encoding="ascii").strip()
    _decode_secret(secret)
    return secret


def ensure_key_file(path: Path) -> str:
    """Create ``path`` with a new secret, or read it if it exists.

    The secret is written to a temporary file opened with ``O_CREAT | O_EXCL`` and mode 0600 (never a readable
    window), then hard-linked to ``path``: the link fails if another process got there first, so two processes
    starting together agree on one key and nobody ever reads a half-written file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        return _read_key_file(path)
    secret = generate_key()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secret + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _read_key_file(path)
    finally:
        tmp.unlink(missing_ok=True)
    log.info("created encryption key file %s; back it up: without it the complaint store cannot be read", path)
    return secret


if __name__ == "__main__":  # pragma: no cover
    print(generate_key())
