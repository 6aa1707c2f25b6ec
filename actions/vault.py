"""The member's identifiers kept encrypted for the conversation (the store's vault), never in a slot in clear.

The complaint form keeps a NIR, a member number, an e-mail and a phone here while the member answers; the recording
reads them back. A contact answered with a number given earlier (« le même numéro que pour le rappel ») is read from
the vault, the complaint recorded or the last call-back of the conversation (actions/callback.py).
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Optional

from rasa_sdk import Tracker

from actions import services
from actions.callback import known_phone
from recours import contact
from recours.patterns import patterns
from recours.text import fold

_P = patterns("complaint_form")


async def vault_contact(sender_id: str, found: contact.Contact) -> list[str]:
    """Vault the e-mail and phone found; their masks, e-mail first."""
    masked: list[str] = []
    if found.email:
        await vault_put(sender_id, "email", found.email)
        masked.append(contact.mask_email(found.email))
    if found.phone:
        await vault_put(sender_id, "phone", found.phone)
        masked.append(contact.mask_phone(found.phone))
    return masked


async def vault_put(sender_id: str, kind: str, value: str) -> None:
    key = services.conversation_key(sender_id)
    await asyncio.to_thread(services.store().put_identifier, key, kind, value)


def names_given_phone(text: str) -> bool:
    """« le même numéro que pour le rappel », « le nouveau numéro que je vous ai donné » (members' round 17)."""
    return bool(_P.given_phone.search(fold(text or "").replace("'", " ")))


async def with_given_phone(text: str, found: Optional[contact.Contact], tracker: Tracker) -> Optional[contact.Contact]:
    """The contact typed, with the phone number given earlier in the conversation when the answer names it instead
    of typing it; None when it names one and none was given (or the store cannot say)."""
    if not names_given_phone(text) or (found is not None and found.phone):
        return found
    try:
        phone = await asyncio.to_thread(known_phone, tracker)
    except Exception:  # noqa: BLE001 - the store unavailable: the member is asked to type the number
        phone = None
    if phone is None:
        return None
    return dataclasses.replace(found, phone=phone) if found is not None else contact.Contact(email=None, phone=phone)
