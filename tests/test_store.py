"""The complaint store on SQLite and on a throwaway PostgreSQL server (tests/pg.py)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, select, text

from recours import store as store_module
from recours.crypto import FieldCipher, generate_key
from recours.store import complaints as complaints_module
from recours.store import (
    REFERENCE_RE,
    ComplaintDraft,
    ComplaintRow,
    ComplaintStore,
    KeyMismatch,
    RecordingFailed,
    StoreUnavailable,
    VaultRow,
    metadata,
    migrate,
)
from tests.nirs import grouped, make_nir
from tests.store_fixtures import cipher, database_url, postgresql_url, store  # noqa: F401 - fixtures

NIR = make_nir(2, 84, 5, "2A", "056", "123")
EMAIL = "jean.dupont@exemple.fr"
PHONE = "+33612345678"
NAME = "Jean-Éric Dupont"
DESCRIPTION = "Mon arrêt de travail pour dépression n'a pas été indemnisé (médecin : Dr Martin)."
HOLDER = "Jean-Éric Dupont (contrat individuel)"
DECISION = "Refus de prise en charge du 12/08/2026"
MEMBER_NUMBER = "ADH-778899"


def _draft(cipher: FieldCipher, sender: str = "conv-1", **changes) -> ComplaintDraft:
    base = ComplaintDraft(
        organisation="cpms",
        conversation_key=cipher.conversation_key(sender),
        member_name=NAME,
        description=DESCRIPTION,
        nature="prestation",
        sent_on=date(2026, 9, 3),
        acknowledge_by=date(2026, 9, 17),
        answer_by=date(2026, 11, 3),
        contract_holder=HOLDER,
        contested_decision=DECISION,
        first_complaint_date=date(2026, 8, 20),
        answer_received=False,
        court_action=False,
        channel="rest",
    )
    return replace(base, **changes)


def _fill_vault(store: ComplaintStore, key: str) -> None:
    store.put_identifier(key, "nir", NIR)
    store.put_identifier(key, "email", EMAIL)
    store.put_identifier(key, "phone", PHONE)


def _count(url: str, table: str) -> int:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


def _all_stored_text(url: str) -> str:
    """Every value of every row of both tables, as text: what someone with the database would see."""
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            rows = [*connection.execute(select(ComplaintRow.__table__))]
            rows += [*connection.execute(select(VaultRow.__table__))]
    finally:
        engine.dispose()
    return "\n".join(str(value) for row in rows for value in row)


CLEAR_VALUES = [NIR, grouped(NIR), EMAIL, "jean.dupont", PHONE, "612345678", NAME, "Dupont", "dépression", "Martin",
                DECISION, MEMBER_NUMBER, "conv-1"]


# -- recording ----------------------------------------------------------------------------------------------


def test_record_and_read_back_decrypted(store, cipher, database_url):
    draft = _draft(cipher)
    _fill_vault(store, draft.conversation_key)
    recorded = store.record_complaint(draft, "submission-1")

    assert REFERENCE_RE.match(recorded.reference) and recorded.reference.startswith("REC-2026-")
    assert recorded.newly_recorded and recorded.status == "recorded"
    assert (recorded.sent_on, recorded.acknowledge_by, recorded.answer_by) == (
        date(2026, 9, 3), date(2026, 9, 17), date(2026, 11, 3))
    assert recorded.created_at.tzinfo == timezone.utc
    assert (recorded.email_masked, recorded.phone_masked) == ("j***@exemple.fr", "06 ** ** ** 78")

    view = store.get_complaint(recorded.reference.lower())
    assert view is not None
    assert (view.member_name, view.nir, view.email, view.phone) == (NAME, NIR, EMAIL, PHONE)
    assert (view.description, view.contract_holder, view.contested_decision) == (DESCRIPTION, HOLDER, DECISION)
    assert view.member_number is None
    assert (view.first_complaint_date, view.answer_received, view.court_action) == (date(2026, 8, 20), False, False)
    assert (view.organisation, view.nature, view.request_kind, view.concerned_body) == (
        "cpms", "prestation", "complaint", "insurer")
    assert view.conversation_key == draft.conversation_key and view.channel == "rest"
    assert view.created_at == recorded.created_at

    # The vault was emptied in the same transaction.
    assert store.get_identifiers(draft.conversation_key) == {}
    assert _count(database_url, "identifier_vault") == 0
    assert store.get_complaint("REC-2026-ZZZZZZ") is None


def test_hashes_allow_look_ups_without_decrypting(store, cipher, database_url):
    draft = _draft(cipher)
    _fill_vault(store, draft.conversation_key)
    recorded = store.record_complaint(draft, "submission-1")
    engine = create_engine(database_url, future=True)
    with engine.connect() as connection:
        found = connection.execute(
            select(ComplaintRow.reference).where(
                ComplaintRow.nir_hash == cipher.keyed_hash(NIR),
                ComplaintRow.email_hash == cipher.keyed_hash(EMAIL),
                ComplaintRow.phone_hash == cipher.keyed_hash(PHONE),
                ComplaintRow.conversation_key == cipher.conversation_key("conv-1"),
            )
        ).scalar_one()
    engine.dispose()
    assert found == recorded.reference


def test_identifiers_given_in_the_draft_complete_and_override_the_vault(store, cipher):
    draft = _draft(cipher, identifiers={"member_number": MEMBER_NUMBER, "email": "autre@exemple.fr"})
    store.put_identifier(draft.conversation_key, "email", EMAIL)
    store.put_identifier(draft.conversation_key, "phone", PHONE)
    view = store.get_complaint(store.record_complaint(draft, "k").reference)
    assert (view.member_number, view.email, view.phone, view.nir) == (MEMBER_NUMBER, "autre@exemple.fr", PHONE, None)


def test_nothing_identifying_is_stored_in_clear(store, cipher, database_url):
    draft = _draft(cipher)
    _fill_vault(store, draft.conversation_key)
    store.put_identifier(cipher.conversation_key("conv-2"), "member_number", MEMBER_NUMBER)  # stays in the vault
    store.record_complaint(draft, "submission-1")

    stored = _all_stored_text(database_url)
    assert "REC-2026-" in stored  # the dump does contain the rows
    for value in CLEAR_VALUES:
        assert value not in stored, value


def test_sqlite_file_bytes_hold_no_clear_value(tmp_path, cipher):
    url = f"sqlite:///{tmp_path / 'var' / 'recours.db'}"
    migrate(url)
    store = ComplaintStore(url, cipher)
    draft = _draft(cipher)
    _fill_vault(store, draft.conversation_key)
    store.put_identifier(cipher.conversation_key("conv-2"), "member_number", MEMBER_NUMBER)
    store.record_complaint(draft, "submission-1")
    store.dispose()

    raw = b"".join(p.read_bytes() for p in (tmp_path / "var").iterdir() if p.name.startswith("recours.db"))
    assert b"REC-2026-" in raw
    for value in CLEAR_VALUES:
        for encoded in {value.encode("utf-8"), value.encode("utf-16-le")}:
            assert encoded not in raw, value


def test_same_submission_twice_records_one_complaint(store, cipher, database_url):
    draft = _draft(cipher)
    _fill_vault(store, draft.conversation_key)
    first = store.record_complaint(draft, "submission-1")
    second = store.record_complaint(draft, "submission-1")  # vault already empty: still fine
    assert second.reference == first.reference
    assert first.newly_recorded and not second.newly_recorded
    assert second.email_masked == first.email_masked
    assert _count(database_url, "complaints") == 1


def test_concurrent_double_submission_records_one_complaint(store, cipher, database_url):
    draft = _draft(cipher)
    _fill_vault(store, draft.conversation_key)
    results, errors = [], []
    barrier = threading.Barrier(6)

    def submit() -> None:
        barrier.wait()
        try:
            results.append(store.record_complaint(draft, "double-click"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({r.reference for r in results}) == 1
    assert sum(r.newly_recorded for r in results) == 1
    assert _count(database_url, "complaints") == 1


def test_two_submissions_of_two_conversations(store, cipher, database_url):
    for sender in ("a", "b"):
        draft = _draft(cipher, sender)
        _fill_vault(store, draft.conversation_key)
        store.record_complaint(draft, f"submission-{sender}")
    assert _count(database_url, "complaints") == 2


def test_failure_after_the_insert_writes_nothing_and_keeps_the_vault(store, cipher, database_url, monkeypatch):
    draft = _draft(cipher)
    _fill_vault(store, draft.conversation_key)

    def explode(self, session, conversation_key):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ComplaintStore, "_delete_vault_rows", explode)
    with pytest.raises(RecordingFailed):
        store.record_complaint(draft, "submission-1")
    assert _count(database_url, "complaints") == 0
    assert store.get_identifiers(draft.conversation_key) == {"nir": NIR, "email": EMAIL, "phone": PHONE}

    monkeypatch.undo()  # the member retries: it works and the vault is consumed
    assert store.record_complaint(draft, "submission-1").newly_recorded
    assert _count(database_url, "complaints") == 1 and store.get_identifiers(draft.conversation_key) == {}


def test_missing_contact_or_identifier_is_refused_without_writing(store, cipher, database_url):
    draft = _draft(cipher)
    store.put_identifier(draft.conversation_key, "nir", NIR)
    with pytest.raises(RecordingFailed, match="e-mail address or phone"):
        store.record_complaint(draft, "submission-1")
    store.clear_identifiers(draft.conversation_key)
    store.put_identifier(draft.conversation_key, "email", EMAIL)
    with pytest.raises(RecordingFailed, match="NIR or member number"):
        store.record_complaint(draft, "submission-1")
    assert _count(database_url, "complaints") == 0
    assert store.get_identifiers(draft.conversation_key) == {"email": EMAIL}


def test_a_member_without_any_number_is_recorded_by_name_and_contact(store, cipher, database_url):
    draft = replace(_draft(cipher), identifier_withheld=True)
    store.put_identifier(draft.conversation_key, "email", EMAIL)
    assert store.record_complaint(draft, "submission-1").newly_recorded
    assert _count(database_url, "complaints") == 1


def test_draft_validation(cipher):
    with pytest.raises(ValueError):
        _draft(cipher, member_name="  ")
    with pytest.raises(ValueError):
        _draft(cipher, identifiers={"iban": "FR76"})


def test_idempotency_key_is_required(store, cipher):
    with pytest.raises(ValueError):
        store.record_complaint(_draft(cipher), "")


# -- references ---------------------------------------------------------------------------------------------


def test_reference_format_and_uniqueness(store, cipher):
    references = set()
    for index in range(40):
        draft = _draft(cipher, f"conv-{index}", identifiers={"nir": NIR, "email": EMAIL})
        references.add(store.record_complaint(draft, f"k{index}").reference)
    assert len(references) == 40
    for reference in references:
        assert REFERENCE_RE.match(reference)
        assert not set(reference[9:]) & set("01ILOU")


def test_reference_collision_draws_another(store, cipher, monkeypatch):
    first = store.record_complaint(_draft(cipher, "a", identifiers={"nir": NIR, "email": EMAIL}), "k1").reference
    drawn = iter([first, first, "REC-2026-NEW234"])
    monkeypatch.setattr(complaints_module, "new_reference", lambda year: next(drawn))
    second = store.record_complaint(_draft(cipher, "b", identifiers={"nir": NIR, "email": EMAIL}), "k2")
    assert second.reference == "REC-2026-NEW234"


def test_reference_space_exhausted_fails_cleanly(store, cipher, monkeypatch, database_url):
    first = store.record_complaint(_draft(cipher, "a", identifiers={"nir": NIR, "email": EMAIL}), "k1").reference
    monkeypatch.setattr(complaints_module, "new_reference", lambda year: first)
    draft = _draft(cipher, "b")
    _fill_vault(store, draft.conversation_key)
    with pytest.raises(RecordingFailed):
        store.record_complaint(draft, "k2")
    assert _count(database_url, "complaints") == 1
    assert set(store.get_identifiers(draft.conversation_key)) == {"nir", "email", "phone"}


def test_reference_year_follows_the_sending_date(store, cipher):
    draft = _draft(cipher, sent_on=date(2027, 1, 4), identifiers={"nir": NIR, "email": EMAIL})
    assert store.record_complaint(draft, "k").reference.startswith("REC-2027-")


# -- identifier vault -----------------------------------------------------------------------------------------


def test_vault_upsert_get_and_clear(store, cipher, database_url):
    key = cipher.conversation_key("conv-1")
    other = cipher.conversation_key("conv-2")
    store.put_identifier(key, "email", "ancien@exemple.fr")
    store.put_identifier(key, "email", EMAIL)  # corrected: replaced, not duplicated
    store.put_identifier(key, "phone", PHONE)
    store.put_identifier(other, "member_number", MEMBER_NUMBER)
    assert store.get_identifiers(key) == {"email": EMAIL, "phone": PHONE}
    assert _count(database_url, "identifier_vault") == 3

    assert store.clear_identifiers(key, kinds=("phone",)) == 1
    assert store.get_identifiers(key) == {"email": EMAIL}
    assert store.clear_identifiers(key) == 1
    assert store.get_identifiers(key) == {} and store.get_identifiers(other) == {"member_number": MEMBER_NUMBER}


def test_vault_refuses_unknown_kinds(store, cipher):
    with pytest.raises(ValueError):
        store.put_identifier(cipher.conversation_key("c"), "iban", "FR76...")
    with pytest.raises(ValueError):
        store.put_identifier(cipher.conversation_key("c"), "email", "")


# -- keys ----------------------------------------------------------------------------------------------------


def test_wrong_key_refuses_to_start(store, cipher, database_url):
    draft = _draft(cipher)
    _fill_vault(store, draft.conversation_key)
    store.record_complaint(draft, "k")
    ComplaintStore(database_url, cipher).dispose()  # the right key opens it
    with pytest.raises(KeyMismatch):
        ComplaintStore(database_url, FieldCipher(generate_key()))


def test_wrong_key_detected_from_the_vault_alone(store, cipher, database_url):
    store.put_identifier(cipher.conversation_key("c"), "email", EMAIL)
    with pytest.raises(KeyMismatch):
        ComplaintStore(database_url, FieldCipher(generate_key()))


def test_empty_store_opens_with_any_key(database_url):
    ComplaintStore(database_url, FieldCipher(generate_key())).dispose()


# -- schema and availability ------------------------------------------------------------------------------------


def test_migration_twice_is_harmless_and_matches_the_models(store, cipher, database_url):
    draft = _draft(cipher)
    _fill_vault(store, draft.conversation_key)
    store.record_complaint(draft, "k")
    migrate(database_url)
    migrate(database_url)
    assert _count(database_url, "complaints") == 1
    engine = create_engine(database_url, future=True)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
        head = ScriptDirectory(str(store_module.MIGRATIONS_DIR)).get_current_head()
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head
        names = set(inspect(connection).get_table_names())
    engine.dispose()
    assert {"complaints", "identifier_vault", "alembic_version"} <= names


def test_the_migrations_go_down_and_up_again_with_a_complaint(store, cipher, database_url):
    """One chain (0005, the desk's, on 0004, the call-backs'): each step down keeps what the previous revisions
    made, and back up to head the schema matches the models again."""
    from alembic import command

    from recours.store.migrations import alembic_config

    assert len(ScriptDirectory(str(store_module.MIGRATIONS_DIR)).get_heads()) == 1
    draft = _draft(cipher)
    _fill_vault(store, draft.conversation_key)
    store.record_complaint(draft, "k")
    store.dispose()
    config = alembic_config(database_url)
    engine = create_engine(database_url, future=True)

    def tables() -> set[str]:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())

    try:
        command.downgrade(config, "0004")
        assert {"callbacks", "message_outbox", "complaints"} <= tables()
        assert not {"desk_users", "complaint_events", "handoffs", "member_notices"} & tables()
        command.downgrade(config, "0003")
        assert "callbacks" not in tables() and "backoffice_outbox" in tables()
        command.upgrade(config, "head")
        assert _count(database_url, "complaints") == 1
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    finally:
        engine.dispose()


def test_open_migrates_then_opens(tmp_path, cipher):
    url = f"sqlite:///{tmp_path / 'new' / 'dir' / 'recours.db'}"
    opened = ComplaintStore.open(url, cipher)
    assert opened.count_complaints() == 0
    opened.dispose()
    assert (tmp_path / "new" / "dir" / "recours.db").exists()


def test_migrate_reads_database_url_from_the_environment(tmp_path, monkeypatch, cipher):
    path = tmp_path / "from-env" / "recours.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    migrate()
    assert path.exists()
    ComplaintStore(f"sqlite:///{path}", cipher).dispose()


def test_unmigrated_database_is_unavailable(tmp_path, cipher):
    with pytest.raises(StoreUnavailable, match="migrate"):
        ComplaintStore(f"sqlite:///{tmp_path / 'empty.db'}", cipher)


def test_database_down_is_unavailable(cipher):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql+psycopg2://recours@127.0.0.1:{port}/recours"
    with pytest.raises(StoreUnavailable):
        ComplaintStore(url, cipher)
    down = ComplaintStore(url, cipher, verify_key=False)
    with pytest.raises(StoreUnavailable):
        down.put_identifier(cipher.conversation_key("c"), "email", EMAIL)
    with pytest.raises(StoreUnavailable):
        down.record_complaint(_draft(cipher), "k")
    with pytest.raises(StoreUnavailable):
        migrate(url)
