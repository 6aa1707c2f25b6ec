"""``python -m ops desk-user``: accounts of the complaint desk from the command line, password on standard input."""

from __future__ import annotations

import subprocess
import sys

from ops.launcher import ROOT, child_env
from recours.crypto import FieldCipher, generate_key
from recours.handling import accounts
from recours.store import ComplaintStore, migrate


def run(env: dict[str, str], *args: str, password: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ops", "desk-user", *args], cwd=ROOT, env=child_env(env),
                          input=password + "\n", capture_output=True, text=True, timeout=120)


def test_add_list_refresh_and_disable(tmp_path):
    url = f"sqlite:///{tmp_path / 'recours.db'}"
    migrate(url)
    key = generate_key()
    env = {"DATABASE_URL": url, "RECOURS_ENCRYPTION_KEY": key, "RECOURS_VAR_DIR": str(tmp_path)}

    added = run(env, "add", "Claire", "--role", "handler", password="mot-de-passe-de-claire")
    assert added.returncode == 0 and "Compte claire (handler) créé." in added.stdout
    assert "mot-de-passe-de-claire" not in added.stdout + added.stderr
    short = run(env, "add", "marc", password="court")
    assert short.returncode == 2 and "au moins 12 caractères" in short.stderr
    refreshed = run(env, "add", "claire", "--role", "supervisor", password="un-autre-mot-de-passe")
    assert "mis à jour" in refreshed.stdout
    listed = run(env, "list").stdout
    assert "claire" in listed and "supervisor" in listed

    store = ComplaintStore(url, FieldCipher(key))
    try:
        cipher = FieldCipher(key)
        assert accounts.sign_in(store, cipher, "claire", "un-autre-mot-de-passe").user.role == "supervisor"
        assert run(env, "disable", "claire").returncode == 0
        assert accounts.sign_in(store, cipher, "claire", "un-autre-mot-de-passe").user is None
        assert [e.action for e in store.audit_entries()][:3] == ["user_disabled", "user_saved", "user_saved"]
    finally:
        store.dispose()
    assert run(env, "disable", "personne").returncode == 1
