"""The synthetic member of the store, desk and delivery tests, and the complaint they record as the action server
would: a name, a key-valid NIR (tests/nirs.py) and contact details that belong to nobody."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from recours.store import ComplaintDraft
from tests.nirs import make_nir


@dataclass(frozen=True)
class Member:
    name: str
    nir: str
    email: str
    phone: str
    member_number: str


PAUL = Member(
    name="Paul Durand",
    nir=make_nir(1, 79, 3, "69", "123", "045"),
    email="paul.durand@exemple.fr",
    phone="+33612345678",
    member_number="ADH-554433",
)
CROWN_NOT_REIMBURSED = "Ma couronne dentaire posée en août n'est toujours pas remboursée par la mutuelle."


def complaint_draft(conversation_key: str, **changes: Any) -> ComplaintDraft:
    """Paul Durand's complaint to CPMS over REST, received Monday 2 November 2026 with CPMS's deadlines (10 days,
    2 months), no answer and no court action; identified by his NIR and e-mail. ``changes`` replace any field."""
    draft = ComplaintDraft(
        organisation="cpms", conversation_key=conversation_key, member_name=PAUL.name,
        description=CROWN_NOT_REIMBURSED, nature="remboursement", sent_on=date(2026, 11, 2),
        acknowledge_by=date(2026, 11, 16), answer_by=date(2027, 1, 4), channel="rest", answer_received=False,
        court_action=False, identifiers={"nir": PAUL.nir, "email": PAUL.email},
    )
    return replace(draft, **changes)
