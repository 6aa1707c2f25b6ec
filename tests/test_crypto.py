"""Field encryption, keyed hashes and key loading (environment, key file, embedded default)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import stat
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from recours.crypto import (
    DecryptionError,
    FieldCipher,
    InvalidKey,
    MissingKey,
    conversation_key,
    default_key_file,
    ensure_key_file,
    generate_key,
    load_key,
)
from recours.settings import Settings

SECRET = generate_key()


def _settings(tmp_path: Path, **changes) -> Settings:
    var_dir = tmp_path / "var"
    base = Settings(
        organisation="cpms",
        var_dir=var_dir,
        database_url=f"sqlite:///{var_dir / 'recours.db'}",
        tracker_store_url=f"sqlite:///{var_dir / 'tracker.db'}",
        redis_url=None,
        backoffice_url=None,
        today_override=None,
        encryption_key=None,
        encryption_key_file=var_dir / "secrets" / "field.key",
    )
    return replace(base, **changes)


# -- FieldCipher -------------------------------------------------------------------------------------------------


def test_round_trip_with_unicode():
    cipher = FieldCipher(SECRET)
    for value in ("", "Jean Dupont", "Élodie Müller — arrêt de travail, 120 €", "😀" * 100):
        token = cipher.encrypt(value)
        assert token.isascii() and (not value or value not in token)
        assert cipher.decrypt(token) == value


def test_same_value_encrypts_differently():
    cipher = FieldCipher(SECRET)
    assert cipher.encrypt("Jean Dupont") != cipher.encrypt("Jean Dupont")


def test_other_key_cannot_decrypt():
    token = FieldCipher(SECRET).encrypt("Jean Dupont")
    with pytest.raises(DecryptionError):
        FieldCipher(generate_key()).decrypt(token)
    with pytest.raises(DecryptionError):
        FieldCipher(SECRET).decrypt(token[:-4] + "AAAA")
    with pytest.raises(DecryptionError):
        FieldCipher(SECRET).decrypt("pas un jeton")


def test_keyed_hash_is_deterministic_per_key():
    cipher = FieldCipher(SECRET)
    digest = cipher.keyed_hash("jean@exemple.fr")
    assert digest == FieldCipher(SECRET).keyed_hash("jean@exemple.fr")
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert digest != cipher.keyed_hash("paul@exemple.fr")
    assert digest != FieldCipher(generate_key()).keyed_hash("jean@exemple.fr")
    assert digest != hashlib.sha256(b"jean@exemple.fr").hexdigest()  # not a plain hash: no dictionary attack


def test_hash_key_is_distinct_from_the_encryption_key_and_the_secret():
    cipher = FieldCipher(SECRET)
    raw_secret = base64.urlsafe_b64decode(SECRET)
    value = b"jean@exemple.fr"
    digest = cipher.keyed_hash("jean@exemple.fr")
    for other in (raw_secret, cipher._fernet._signing_key, cipher._fernet._encryption_key):
        assert hmac.new(other, value, hashlib.sha256).hexdigest() != digest
    assert cipher._hash_key not in (raw_secret, cipher._fernet._signing_key, cipher._fernet._encryption_key)


def test_conversation_key_is_separated_from_value_hashes():
    cipher = FieldCipher(SECRET)
    key = conversation_key(cipher, "+33612345678")
    assert key == cipher.conversation_key("+33612345678") and len(key) == 64
    assert "33612345678" not in key
    assert key != cipher.keyed_hash("+33612345678")  # a WhatsApp sender id is not findable by phone hash


def test_repr_hides_the_key():
    assert SECRET not in repr(FieldCipher(SECRET))


@pytest.mark.parametrize(
    "secret", ["", "trop court", "A" * 44, base64.urlsafe_b64encode(b"x" * 16).decode(), "é" * 44]
)
def test_invalid_secrets_are_refused(secret):
    with pytest.raises(InvalidKey):
        FieldCipher(secret)


def test_bytes_secret_accepted():
    assert FieldCipher(SECRET.encode()).decrypt(FieldCipher(SECRET).encrypt("x")) == "x"


# -- load_key ---------------------------------------------------------------------------------------------------


def test_environment_key_wins(tmp_path):
    settings = _settings(tmp_path, encryption_key=SECRET)
    assert load_key(settings) == SECRET
    assert not settings.encryption_key_file.exists()  # no file created when the key is given


def test_invalid_environment_key_fails_loudly(tmp_path):
    with pytest.raises(InvalidKey):
        load_key(_settings(tmp_path, encryption_key="changeme"))


def test_embedded_default_creates_the_key_file_once(tmp_path):
    settings = _settings(tmp_path)
    path = default_key_file(settings)
    assert not path.parent.exists()
    first = load_key(settings)
    assert path.exists() and path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key(settings) == first  # read back, not regenerated
    FieldCipher(first)  # usable


def test_existing_key_file_is_used_wherever_it_is(tmp_path):
    path = tmp_path / "elsewhere" / "key"
    path.parent.mkdir()
    path.write_text(SECRET + "\n")
    path.chmod(0o600)
    settings = _settings(tmp_path, encryption_key_file=path, database_url="postgresql://db/recours")
    assert load_key(settings) == SECRET


def test_no_key_generated_for_a_configured_deployment(tmp_path):
    with pytest.raises(MissingKey):
        load_key(_settings(tmp_path, database_url="postgresql://db/recours"))
    with pytest.raises(MissingKey):
        load_key(_settings(tmp_path, encryption_key_file=tmp_path / "explicit.key"))
    assert not (tmp_path / "var" / "secrets").exists() and not (tmp_path / "explicit.key").exists()


def test_corrupt_key_file_is_refused(tmp_path):
    settings = _settings(tmp_path)
    path = default_key_file(settings)
    path.parent.mkdir(parents=True)
    path.write_text("not a key")
    with pytest.raises(InvalidKey):
        load_key(settings)


# -- ensure_key_file ----------------------------------------------------------------------------------------------


def test_ensure_key_file_mode_is_0600_even_with_a_permissive_umask(tmp_path):
    previous = os.umask(0)
    try:
        path = tmp_path / "a" / "b" / "field.key"
        secret = ensure_key_file(path)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == secret
    assert [p.name for p in path.parent.iterdir()] == ["field.key"]  # no temporary file left


def test_ensure_key_file_keeps_an_existing_key(tmp_path):
    path = tmp_path / "field.key"
    first = ensure_key_file(path)
    assert ensure_key_file(path) == first


def test_concurrent_creation_agrees_on_one_key(tmp_path):
    path = tmp_path / "secrets" / "field.key"
    results: list[str] = []
    barrier = threading.Barrier(8)

    def create() -> None:
        barrier.wait()
        results.append(ensure_key_file(path))

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1 and path.read_text().strip() == results[0]
