"""Recording a complaint and reading it back.

Recording copies the vault's ciphertexts into the new row, empties the vault and writes the complaint's delivery
to the back-office (``backoffice_outbox``, delivered by recours/outbox.py) and, when the member gave an e-mail
address and SMTP is configured, its e-mail receipt (``message_outbox``), all in one transaction: an identifier is
always in exactly one place, and a complaint never exists without its deliveries.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from recours.contact import mask_email, mask_phone
from recours.settings import get_settings
from recours.store.audit import audit_row
from recours.store.errors import RecordingFailed, store_errors
from recours.store.records import (
    ComplaintDraft,
    ComplaintStatus,
    ComplaintView,
    RecordedComplaint,
    clear_fields,
    complaint_status,
)
from recours.store.references import new_reference
from recours.store.tables import (
    ENCRYPTED_COLUMNS,
    MESSAGE_COMPLAINT_UPDATE,
    MESSAGE_RECEIPT,
    OUTBOX_LOCAL,
    OUTBOX_PENDING,
    STATUS_RECORDED,
    ComplaintRow,
    MessageOutboxRow,
    OutboxRow,
    utcnow,
)
from recours.store.vault import IdentifierVault

log = logging.getLogger(__name__)

_REFERENCE_ATTEMPTS = 8


def new_outbox_row(complaint: ComplaintRow) -> OutboxRow:
    """The delivery to create with a newly recorded complaint: pending when BACKOFFICE_URL is set, else local."""
    now = utcnow()
    return OutboxRow(
        complaint_id=complaint.id,
        reference=complaint.reference,
        status=OUTBOX_PENDING if get_settings().backoffice_url else OUTBOX_LOCAL,
        attempts=0,
        created_at=now,
        next_attempt_at=now,
    )


def new_message_row(kind: str, reference: str, *, pending: bool, complaint_id: int | None = None,
                    callback_id: int | None = None, revision: int = 0) -> MessageOutboxRow:
    """A delivery of the message outbox: a call-back to the back-office, or a receipt to the member."""
    now = utcnow()
    return MessageOutboxRow(
        kind=kind, reference=reference, complaint_id=complaint_id, callback_id=callback_id, revision=revision,
        status=OUTBOX_PENDING if pending else OUTBOX_LOCAL, attempts=0, created_at=now, next_attempt_at=now,
    )


def new_change_row(session: Session, kind: str, reference: str, *, complaint_id: int | None = None,
                   callback_id: int | None = None) -> MessageOutboxRow:
    """The delivery of a change the member made after recording (``complaint_update`` or ``callback_update``):
    the next revision of that reference, pending when BACKOFFICE_URL is set. The back-office receives the record
    as it is when the change is sent, so several changes never lose one another."""
    last = session.execute(
        select(func.max(MessageOutboxRow.revision))
        .where(MessageOutboxRow.kind == kind, MessageOutboxRow.reference == reference)
    ).scalar_one()
    return new_message_row(kind, reference, pending=bool(get_settings().backoffice_url), complaint_id=complaint_id,
                           callback_id=callback_id, revision=(last or 0) + 1)


def new_receipt_row(complaint: ComplaintRow) -> MessageOutboxRow | None:
    """The e-mail receipt of a newly recorded complaint: only with an e-mail address and SMTP configured."""
    if complaint.email is None or not get_settings().smtp_url:
        return None
    return new_message_row(MESSAGE_RECEIPT, complaint.reference, pending=True, complaint_id=complaint.id)


class ComplaintRecords(IdentifierVault):
    def record_complaint(self, draft: ComplaintDraft, idempotency_key: str) -> RecordedComplaint:
        """Insert the complaint with the vault's identifiers and empty the vault, in one transaction.

        Recording the same ``idempotency_key`` again returns the complaint recorded the first time (a double
        click, a retried action) with ``newly_recorded=False``. On failure nothing is written.
        """
        if not idempotency_key or len(idempotency_key) > 128:
            raise ValueError("idempotency_key must be 1-128 characters")
        with store_errors(recording=True):
            existing = self._find_by_idempotency_key(idempotency_key)
            if existing is not None:
                return self._recorded(existing, newly_recorded=False)
            for _ in range(_REFERENCE_ATTEMPTS):
                reference = new_reference(draft.sent_on.year)
                try:
                    with self._sessions() as session, session.begin():
                        row = self._new_row(session, draft, idempotency_key, reference)
                        session.add(row)
                        session.flush()
                        self._delete_vault_rows(session, draft.conversation_key)
                        session.add(new_outbox_row(row))  # same transaction: never one without the other
                        receipt = new_receipt_row(row)
                        if receipt is not None:
                            session.add(receipt)
                except (IntegrityError, RecordingFailed) as exc:
                    # The same submission may have been recorded concurrently (unique idempotency key, or the
                    # vault already emptied by it); otherwise an IntegrityError is a reference collision.
                    existing = self._find_by_idempotency_key(idempotency_key)
                    if existing is not None:
                        return self._recorded(existing, newly_recorded=False)
                    if isinstance(exc, IntegrityError) and self._reference_exists(reference):
                        log.info("complaint reference collision, drawing another one")
                        continue
                    raise
                return self._recorded(row, newly_recorded=True)
            raise RecordingFailed("could not draw an unused complaint reference")

    def change_complaint_contact(self, reference: str, organisation: str, *, email: str | None = None,
                                 phone: str | None = None) -> bool:
        """The member's new e-mail address or phone number on a complaint they own (recorded in the conversation,
        or proved theirs by the status check: the caller's decision), and the change's delivery to the back-office,
        in one transaction. False when there is no such complaint."""
        if not (email or phone):
            raise ValueError("a new e-mail address or phone number is required")
        with store_errors(), self._sessions() as session, session.begin():
            row = _complaint_row(session, reference, organisation)
            if row is None:
                return False
            if email:
                row.email, row.email_hash = self._cipher.encrypt(email), self._cipher.keyed_hash(email)
            if phone:
                row.phone, row.phone_hash = self._cipher.encrypt(phone), self._cipher.keyed_hash(phone)
            session.add(audit_row("member", "contact_changed", reference))
            session.add(new_change_row(session, MESSAGE_COMPLAINT_UPDATE, reference, complaint_id=row.id))
        return True

    def remove_complaint_contact(self, reference: str, organisation: str, *, email: bool = False,
                                 phone: bool = False) -> bool:
        """The member's e-mail address or phone number taken off a complaint they own (« retirez mon adresse mail,
        juste le tel »), with the change's delivery to the back-office, in one transaction. The last way to reach
        the member is never taken off: False then, as when there is no such complaint."""
        if email == phone:
            raise ValueError("exactly one of the e-mail address and the phone number is taken off")
        with store_errors(), self._sessions() as session, session.begin():
            row = _complaint_row(session, reference, organisation)
            if row is None or not (row.phone if email else row.email):
                return False
            if email:
                row.email = row.email_hash = None
            else:
                row.phone = row.phone_hash = None
            session.add(audit_row("member", "contact_removed", reference))
            session.add(new_change_row(session, MESSAGE_COMPLAINT_UPDATE, reference, complaint_id=row.id))
        return True

    def add_to_complaint(self, reference: str, organisation: str, addition: str) -> bool:
        """What the member adds to a complaint they own once it is recorded (« attendez, j'avais pas fini : je demande
        aussi les 70 € », members' round 16), appended to its description as a dated paragraph, with the change's
        delivery to the back-office, in one transaction. False when there is no such complaint."""
        if not addition.strip():
            raise ValueError("an addition is required")
        with store_errors(), self._sessions() as session, session.begin():
            row = _complaint_row(session, reference, organisation)
            if row is None:
                return False
            description = self._decrypt(row.description) or ""
            row.description = self._cipher.encrypt(f"{description}\n{addition.strip()}" if description else addition)
            session.add(audit_row("member", "detail_added", reference))
            session.add(new_change_row(session, MESSAGE_COMPLAINT_UPDATE, reference, complaint_id=row.id))
        return True

    def get_complaint(self, reference: str) -> ComplaintView | None:
        """The complaint decrypted, or None. For operators: no proof of identity is checked here."""
        row = self._row_by_reference(ComplaintRow, reference)
        return None if row is None else self._view(row)

    def count_complaints(self) -> int:
        with store_errors(), self._sessions() as session:
            return session.execute(select(func.count()).select_from(ComplaintRow)).scalar_one()

    def complaints_of_conversation(self, conversation_key: str) -> list[ComplaintStatus]:
        """Complaints recorded from this conversation (any session), oldest first: for export and erasure."""
        with store_errors(), self._sessions() as session:
            rows = session.execute(
                select(ComplaintRow)
                .where(ComplaintRow.conversation_key == conversation_key)
                .order_by(ComplaintRow.created_at, ComplaintRow.id)
            ).scalars().all()
        return [complaint_status(row) for row in rows]

    def _new_row(self, session: Session, draft: ComplaintDraft, idempotency_key: str, reference: str) -> ComplaintRow:
        vault = self._vault_tokens(session, draft.conversation_key)
        for kind, value in draft.identifiers.items():
            if value:
                vault[kind] = (self._cipher.encrypt(value), self._cipher.keyed_hash(value))
        if "email" not in vault and "phone" not in vault:
            raise RecordingFailed("no e-mail address or phone number for this complaint")
        if "nir" not in vault and "member_number" not in vault and not draft.identifier_withheld:
            raise RecordingFailed("no NIR or member number for this complaint")
        token = lambda kind: vault.get(kind, (None, None))[0]  # noqa: E731
        digest = lambda kind: vault.get(kind, (None, None))[1]  # noqa: E731
        return ComplaintRow(
            reference=reference,
            organisation=draft.organisation,
            created_at=utcnow(),
            sent_on=draft.sent_on,
            acknowledge_by=draft.acknowledge_by,
            answer_by=draft.answer_by,
            status=STATUS_RECORDED,
            request_kind=draft.request_kind,
            concerned_body=draft.concerned_body,
            nature=draft.nature,
            contract_holder=self._encrypt_optional(draft.contract_holder),
            member_name=self._cipher.encrypt(draft.member_name),
            nir=token("nir"),
            nir_hash=digest("nir"),
            member_number=token("member_number"),
            member_number_hash=digest("member_number"),
            email=token("email"),
            email_hash=digest("email"),
            phone=token("phone"),
            phone_hash=digest("phone"),
            description=self._cipher.encrypt(draft.description),
            contested_decision=self._encrypt_optional(draft.contested_decision),
            first_complaint_date=draft.first_complaint_date,
            answer_received=draft.answer_received,
            court_action=draft.court_action,
            conversation_key=draft.conversation_key,
            idempotency_key=idempotency_key,
            channel=draft.channel,
        )

    def _find_by_idempotency_key(self, idempotency_key: str) -> ComplaintRow | None:
        with self._sessions() as session:
            return session.execute(
                select(ComplaintRow).where(ComplaintRow.idempotency_key == idempotency_key)
            ).scalar_one_or_none()

    def _reference_exists(self, reference: str) -> bool:
        with self._sessions() as session:
            found = session.execute(select(ComplaintRow.id).where(ComplaintRow.reference == reference)).first()
        return found is not None

    def _encrypt_optional(self, value: str | None) -> str | None:
        return None if value is None else self._cipher.encrypt(value)

    def _recorded(self, row: ComplaintRow, *, newly_recorded: bool) -> RecordedComplaint:
        email, phone = self._decrypt(row.email), self._decrypt(row.phone)
        return RecordedComplaint(
            **clear_fields(row, RecordedComplaint),
            newly_recorded=newly_recorded,
            email_masked=mask_email(email) if email else None,
            phone_masked=mask_phone(phone) if phone else None,
        )

    def _view(self, row: ComplaintRow) -> ComplaintView:
        decrypted = {name: self._decrypt(getattr(row, name)) for name in ENCRYPTED_COLUMNS}
        return ComplaintView(**clear_fields(row, ComplaintView), **decrypted)


def _complaint_row(session: Session, reference: str, organisation: str) -> ComplaintRow | None:
    """The organisation's complaint with this reference, in the caller's transaction."""
    return session.execute(select(ComplaintRow).where(
        ComplaintRow.reference == reference, ComplaintRow.organisation == organisation,
    )).scalar_one_or_none()
