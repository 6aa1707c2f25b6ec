"""The identifier vault: what the member typed during the form (NIR, member number, e-mail, phone), encrypted.

The clear value never has to live in a Rasa slot. Recording a complaint moves the conversation's vault into the
new complaint row (recours/store/complaints.py), so an identifier is always in exactly one place.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from recours.store.connection import StoreConnection
from recours.store.errors import store_errors
from recours.store.tables import CALLBACK_DRAFT, IDENTIFIER_KINDS, CallbackRow, VaultRow, utcnow


class IdentifierVault(StoreConnection):
    def put_identifier(self, conversation_key: str, kind: str, value: str) -> None:
        """Store (or replace) the conversation's identifier of this kind, encrypted."""
        if kind not in IDENTIFIER_KINDS:
            raise ValueError(f"unknown identifier kind {kind!r}")
        if not conversation_key or not value:
            raise ValueError("conversation_key and value are required")
        values = {
            "conversation_key": conversation_key,
            "kind": kind,
            "ciphertext": self._cipher.encrypt(value),
            "value_hash": self._cipher.keyed_hash(value),
            "updated_at": utcnow(),
        }
        changes = {k: values[k] for k in ("ciphertext", "value_hash", "updated_at")}
        dialect = self._engine.dialect.name
        with store_errors(), self._sessions() as session, session.begin():
            if dialect in ("postgresql", "sqlite"):
                if dialect == "postgresql":
                    from sqlalchemy.dialects.postgresql import insert
                else:
                    from sqlalchemy.dialects.sqlite import insert
                statement = insert(VaultRow.__table__).values(**values)
                session.execute(
                    statement.on_conflict_do_update(index_elements=["conversation_key", "kind"], set_=changes)
                )
            else:  # pragma: no cover - other backends: not atomic against a concurrent insert, good enough
                updated = session.execute(
                    update(VaultRow)
                    .where(VaultRow.conversation_key == conversation_key, VaultRow.kind == kind)
                    .values(**changes)
                )
                if not updated.rowcount:
                    session.add(VaultRow(**values))

    def get_identifiers(self, conversation_key: str) -> dict[str, str]:
        """The conversation's identifiers in clear, by kind (empty when none or already recorded)."""
        with store_errors(), self._sessions() as session:
            rows = session.execute(
                select(VaultRow.kind, VaultRow.ciphertext).where(VaultRow.conversation_key == conversation_key)
            ).all()
        return {kind: self._decrypt(token) for kind, token in rows}

    def clear_identifiers(self, conversation_key: str, kinds: tuple[str, ...] | None = None) -> int:
        """Forget the conversation's identifiers (all, or only ``kinds``); returns how many were deleted. All of
        them includes the number given for a call-back not requested yet (recours/store/callbacks.py)."""
        with store_errors(), self._sessions() as session, session.begin():
            deleted = self._delete_vault_rows(session, conversation_key, kinds)
            if kinds is None:
                deleted += session.execute(delete(CallbackRow).where(
                    CallbackRow.conversation_key == conversation_key, CallbackRow.status == CALLBACK_DRAFT
                )).rowcount or 0
            return deleted

    def _vault_tokens(self, session: Session, conversation_key: str) -> dict[str, tuple[str, str]]:
        """The conversation's identifiers as stored: kind -> (ciphertext, keyed hash), read in ``session``."""
        rows = session.execute(
            select(VaultRow.kind, VaultRow.ciphertext, VaultRow.value_hash).where(
                VaultRow.conversation_key == conversation_key
            )
        )
        return {kind: (token, value_hash) for kind, token, value_hash in rows}

    def _delete_vault_rows(
        self, session: Session, conversation_key: str, kinds: tuple[str, ...] | None = None
    ) -> int:
        statement = delete(VaultRow).where(VaultRow.conversation_key == conversation_key)
        if kinds is not None:
            statement = statement.where(VaultRow.kind.in_(kinds))
        return session.execute(statement).rowcount or 0
