"""Live handoff (issue 14): when a member asks for a person and a handler is signed in and available at the
complaint desk, the conversation goes to the desk's queue; a handler takes it, answers on the member's channel,
then hands it back to the assistant. When nobody is available, the usual answer (how to reach a person) stays.

What lives here: who counts as available, how long a request waits, and every sentence the member reads about
the handoff. The Rasa side is addons/live_handoff.py, the desk's desk/handoffs_api.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from recours.organisations import Organisation
from recours.settings import get_settings
from recours.store import ComplaintStore
from recours.store.tables import utcnow

# A request nobody takes within this time leaves the queue (the member was told what else to do meanwhile).
WAIT_LIMIT = timedelta(minutes=15)


def idle_limit() -> timedelta:
    return timedelta(minutes=get_settings().desk_session_idle_minutes)


def handler_available(store: ComplaintStore, now: datetime | None = None) -> bool:
    """A handler is signed in, said they take live conversations, and was active within the idle limit."""
    return store.available_desk_handlers((now or utcnow()) - idle_limit()) > 0


def queued_fr(organisation: Organisation) -> str:
    return (
        f"Je transmets votre demande à un conseiller de {organisation.name} : il va vous répondre ici, dans cette "
        "conversation, dès qu'il sera libre. En attendant, je reste à votre disposition. Si personne ne vous répond "
        f"d'ici quelques minutes, vous pouvez aussi joindre {organisation.name} {organisation.phone_fr}."
    )


def already_queued_fr() -> str:
    return "Votre demande est déjà transmise : un conseiller va vous répondre ici dès qu'il sera libre."


def joined_fr(organisation: Organisation) -> str:
    return (
        f"Un conseiller de {organisation.name} a rejoint la conversation : c'est désormais une personne qui vous "
        "répond, l'assistant automatique est en pause."
    )


def left_fr(organisation: Organisation) -> str:
    return (
        f"Le conseiller de {organisation.name} a quitté la conversation : vous êtes de nouveau avec l'assistant "
        "automatique. Merci de votre échange."
    )
