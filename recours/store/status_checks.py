"""« Où en est ma réclamation ? »: a complaint shown only to whoever proves it is theirs, failed proofs counted.

Failed checks are kept in ``status_attempts`` (keyed hashes of the conversation and of the reference typed, and
the time), so that the limit on attempts (recours.privacy) holds across restarts and conversations.
"""

from __future__ import annotations

import hmac
from datetime import datetime

from sqlalchemy import func, select

from recours.store.connection import StoreConnection
from recours.store.errors import store_errors
from recours.store.records import ComplaintStatus, OwnershipProof, complaint_status
from recours.store.references import normalise_reference
from recours.store.tables import ComplaintRow, StatusAttemptRow, utcnow


class StatusChecks(StoreConnection):
    def find_owned_complaint(
        self, reference: str, proof: OwnershipProof, organisation: str
    ) -> ComplaintStatus | None:
        """The complaint ``reference`` of ``organisation`` if ``proof`` matches what it holds, else None.

        An unknown reference, another organisation's complaint and a proof that does not match all give None:
        the caller must answer them alike, so that nobody learns which references exist. Only the field the
        proof is compared with is decrypted; comparisons are constant-time.
        """
        with store_errors(), self._sessions() as session:
            row = session.execute(
                select(ComplaintRow).where(
                    ComplaintRow.reference == normalise_reference(reference),
                    ComplaintRow.organisation == organisation,
                )
            ).scalar_one_or_none()
        if row is None or not self._proof_matches(row, proof):
            return None
        return complaint_status(row)

    def failed_status_attempts(self, conversation_key: str, reference: str | None, since: datetime) -> tuple[int, int]:
        """Failed ownership checks since ``since``: (by this conversation, on this reference from anywhere)."""
        with store_errors(), self._sessions() as session:
            recent = select(func.count()).select_from(StatusAttemptRow).where(StatusAttemptRow.attempted_at >= since)
            by_conversation = session.execute(
                recent.where(StatusAttemptRow.conversation_key == conversation_key)
            ).scalar_one()
            by_reference = 0
            if reference:
                by_reference = session.execute(
                    recent.where(StatusAttemptRow.reference_hash == self._reference_hash(reference))
                ).scalar_one()
        return by_conversation, by_reference

    def record_failed_status_attempt(self, conversation_key: str, reference: str) -> None:
        with store_errors(), self._sessions() as session, session.begin():
            session.add(
                StatusAttemptRow(
                    conversation_key=conversation_key,
                    reference_hash=self._reference_hash(reference),
                    attempted_at=utcnow(),
                )
            )

    def _proof_matches(self, row: ComplaintRow, proof: OwnershipProof) -> bool:
        if proof.kind == "last4":
            # NIR and member number are stored compact and upper-case (the form normalises them).
            candidate = proof.value.upper().encode("utf-8")
            held = [self._decrypt(row.nir), self._decrypt(row.member_number)]
            matches = [
                hmac.compare_digest(value[-4:].upper().encode("utf-8"), candidate)
                for value in held
                if value and len(value) >= 4
            ]
            return any(matches)
        if proof.kind == "email":
            held_email = self._decrypt(row.email)
            return bool(held_email) and hmac.compare_digest(
                held_email.casefold().encode("utf-8"), proof.value.casefold().encode("utf-8")
            )
        if proof.kind == "phone":
            # Phones are stored in E.164, so the keyed hash compares without decrypting.
            return bool(row.phone_hash) and hmac.compare_digest(row.phone_hash, self._cipher.keyed_hash(proof.value))
        raise ValueError(f"unknown proof kind {proof.kind!r}")

    def _reference_hash(self, reference: str) -> str:
        return self._cipher.keyed_hash("reference:" + normalise_reference(reference))
