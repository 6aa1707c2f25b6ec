"""Carrying out a request about a complaint or a call-back recorded before (recours/follow_ups.py reads it).

What the conversation may change without more proof: the complaints and call-backs recorded from it (the same
sender: the widget's browser, the WhatsApp number), and a complaint whose ownership the member has just proved by
the status check (its reference is then kept in ``verified_references`` for the rest of the conversation, so the
proof is not asked twice). Any other complaint is checked first by the status form; the change waits in
``follow_up_pending`` and the new contact in the conversation's identifier vault (encrypted, never in a slot).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from recours import callback_choice, facts, follow_ups
from recours.contact import mask_email, mask_phone
from recours.callback_times import CallbackWindow
from recours.follow_ups import FollowUp
from recours.messages import message_fr
from recours.calendar import format_date_fr
from recours.settings import PARIS, today
from recours.text import fold_aligned
from recours.store import StoreError

logger = logging.getLogger(__name__)

PENDING_SLOT = "follow_up_pending"
VERIFIED_SLOT = "verified_references"


def owned_references(tracker: Tracker, verified: Optional[str] = None) -> List[str]:
    """Complaints this conversation may change: recorded from it, or proved by the status check (``verified``:
    the one proved in this very turn); newest last."""
    key = services.conversation_key(tracker.sender_id)
    recorded = [c.reference for c in services.store().complaints_of_conversation(key)]
    proved = list(tracker.get_slot(VERIFIED_SLOT) or []) + ([verified] if verified else [])
    return recorded + [r for r in proved if r not in recorded]


def read(tracker: Tracker) -> Optional[FollowUp]:
    """The follow-up the member's latest message asks for, if any."""
    text = tracker.latest_message.get("text") or ""
    if not text or text.startswith("/"):
        return None
    recorded = bool(tracker.get_slot("complaint_reference") or tracker.get_slot(VERIFIED_SLOT))
    booked = any(e.get("event") == "action" and e.get("name") == "action_submit_callback" for e in tracker.events)
    return follow_ups.read_follow_up(text, recorded=recorded, just_booked=previous_action(tracker) in BOOKING_ACTIONS,
                                     just_cancelled=just_cancelled(tracker) is not None, booked=booked)


JUST_CANCELLED_SLOT = "callback_just_cancelled"


def _previous_turn(tracker: Tracker) -> List[Dict[str, Any]]:
    """The events of the answer to the member's previous message, newest first (those after it, before the latest)."""
    turn: List[Dict[str, Any]] = []
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                break
            seen_user = True
        elif seen_user:
            turn.append(event)
    return turn


def just_cancelled(tracker: Tracker) -> Optional[str]:
    """The call-back the answer to the member's previous message cancelled, if any (its reference)."""
    return next((e.get("value") for e in _previous_turn(tracker)
                 if e.get("event") == "slot" and e.get("name") == JUST_CANCELLED_SLOT), None)


# The actions after which a call-back has just been booked.
BOOKING_ACTIONS = ("action_submit_callback", "callback_form")


def previous_action(tracker: Tracker) -> Optional[str]:
    """The last action before the member's latest message (not action_listen)."""
    return next((e.get("name") for e in _previous_turn(tracker)
                 if e.get("event") == "action" and e.get("name") != "action_listen"), None)


async def carry_out(follow_up: FollowUp, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Do what ``follow_up`` asks, or ask what is missing; the events to return."""
    try:
        return await asyncio.to_thread(_carry_out, follow_up, dispatcher, tracker)
    except StoreError:
        logger.exception("Follow-up not carried out: the complaint store is unavailable")
        dispatcher.utter_message(text=message_fr("privacy.status_check.unavailable"))
        return [SlotSet(PENDING_SLOT, None)]


def _without_organisation_contacts(follow_up: FollowUp, org: Any) -> FollowUp:
    """The organisation's own addresses and numbers (« qualite@cpms.fr ») are never the member's new contact."""
    own = fold_aligned(" ".join(str(v) for v in (org.complaint_channels_fr, org.phone_fr, org.dpo_contact_fr,
                                                 org.attachments_fr)))
    email = follow_up.email if follow_up.email and follow_up.email.lower() not in own else None
    digits = re.sub(r"\D", "", own)
    phone = follow_up.phone if follow_up.phone and follow_up.phone[-9:] not in digits else None
    return dataclasses.replace(follow_up, email=email, phone=phone)


def members_contact_in(text: str) -> tuple[Optional[str], Optional[str]]:
    """The e-mail address and phone number a message gives as the member's own (never the organisation's), read
    beside the other identifiers it may carry (a NIR, a member number)."""
    found = facts.extract_facts(text, today(), history=False)
    kept = _without_organisation_contacts(FollowUp(follow_ups.CHANGE_CONTACT, email=found.email, phone=found.phone),
                                          services.organisation())
    return kept.email, kept.phone


def stash_contact(follow_up: FollowUp, tracker: Tracker) -> None:
    """Keep the new contact (encrypted, in the vault) while the status form checks ownership."""
    store = services.store()
    vault = vault_key(tracker)
    store.clear_identifiers(vault)
    if follow_up.email:
        store.put_identifier(vault, "email", follow_up.email)
    if follow_up.phone:
        store.put_identifier(vault, "phone", follow_up.phone)


def needs_proof(follow_up: FollowUp, tracker: Tracker) -> bool:
    """A contact change for a complaint this conversation does not own (yet): the status check comes first."""
    if follow_up.kind != follow_ups.CHANGE_CONTACT or not follow_up.complaint:
        return False
    owned = owned_references(tracker)
    reference = follow_up.complaint_reference or (owned[-1] if owned else None)
    return reference is None or reference not in owned


def _carry_out(follow_up: FollowUp, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    org = services.organisation()
    follow_up = _without_organisation_contacts(follow_up, org)
    if follow_up.kind == follow_ups.NO_REFERENCE:
        dispatcher.utter_message(text=message_fr("follow_up.no_reference", organisation=org.name,
                                                 contact=org.phone_fr))
        return []
    if follow_up.kind == follow_ups.STATUS:
        return [FollowupAction("status_form")]  # « ma femme a fait une réclamation…, où ça en est ? »
    if follow_up.kind == follow_ups.CALLBACK_STATUS:
        say_callback_status(dispatcher, tracker, follow_up.callback_reference)
        return []
    events: List[EventType] = [SlotSet(PENDING_SLOT, None)]
    if follow_up.kind == follow_ups.CHANGE_CONTACT and not follow_up.new_contact and not follow_up.remove:
        dispatcher.utter_message(text=message_fr("follow_up.ask_new_contact"))
        return [SlotSet(PENDING_SLOT, pending_slot(follow_up))]
    if follow_up.kind == follow_ups.ADD_DETAIL:
        return _add_detail(follow_up, dispatcher, tracker)
    if follow_up.kind in (follow_ups.WITHDRAW, follow_ups.WITHDRAW_ASKED):
        return _withdraw(follow_up, dispatcher, tracker)
    if follow_up.callback:
        _on_callback(follow_up, dispatcher, tracker, events)
    if follow_up.complaint and follow_up.kind == follow_ups.CHANGE_CONTACT:
        events += _change_complaint_contact(follow_up, dispatcher, tracker)
    return events


def _add_detail(follow_up: FollowUp, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """« attendez j'avais pas fini… je demande aussi les 70 € »: added to a complaint this conversation owns (its
    description, dated; the back-office gets the record again), or asked for, or pointed to the written channels."""
    org = services.organisation()
    owned = owned_references(tracker)
    reference = follow_up.complaint_reference or (owned[-1] if owned else None)
    if reference is None or reference not in owned:
        dispatcher.utter_message(text=message_fr("follow_up.detail_elsewhere", organisation=org.name,
                                                 channels=org.complaint_channels_fr,
                                                 reference=reference or message_fr("follow_up.its_reference")))
        return [SlotSet(PENDING_SLOT, None)]
    if not follow_up.detail:
        dispatcher.utter_message(text=message_fr("follow_up.ask_detail", reference=reference))
        return [SlotSet(PENDING_SLOT, pending_slot(dataclasses.replace(follow_up, complaint_reference=reference)))]
    added = message_fr("follow_up.detail_paragraph", date=format_date_fr(today()), detail=follow_up.detail)
    services.store().add_to_complaint(reference, org.key, added)
    dispatcher.utter_message(text=message_fr("follow_up.detail_added", reference=reference, organisation=org.name,
                                             detail=follow_up.detail))
    return [SlotSet(PENDING_SLOT, None)]


def _withdraw(follow_up: FollowUp, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """« je peux annuler ma réclamation si … ? »: yes, and how; « annulez ma réclamation, c'est réglé »: the request
    is added to the complaint (dated) and delivered to the back-office, whose handler closes it — the assistant
    does not close a complaint itself (the organisation answers and closes: handling/lifecycle.py)."""
    org = services.organisation()
    owned = owned_references(tracker)
    reference = follow_up.complaint_reference or (owned[-1] if owned else None)
    if follow_up.kind == follow_ups.WITHDRAW_ASKED:
        dispatcher.utter_message(text=message_fr("follow_up.withdraw_possible", organisation=org.name,
                                                 reference=reference or message_fr("follow_up.its_reference")))
        return [SlotSet(PENDING_SLOT, None)]
    if reference is None or reference not in owned:
        dispatcher.utter_message(text=message_fr("follow_up.withdraw_elsewhere", organisation=org.name,
                                                 channels=org.complaint_channels_fr,
                                                 reference=reference or message_fr("follow_up.its_reference")))
        return [SlotSet(PENDING_SLOT, None)]
    services.store().add_to_complaint(reference, org.key, message_fr("follow_up.withdraw_paragraph",
                                                                      date=format_date_fr(today())))
    dispatcher.utter_message(text=message_fr("follow_up.withdrawn", reference=reference, organisation=org.name,
                                             channels=org.complaint_channels_fr))
    return [SlotSet(PENDING_SLOT, None)]


def pending_slot(follow_up: FollowUp, **changes: Any) -> Dict[str, Any]:
    """The follow-up kept in a slot while something is asked: no contact in it (the vault holds the new one)."""
    return {"kind": follow_up.kind, "complaint": follow_up.complaint, "callback": follow_up.callback,
            "complaint_reference": follow_up.complaint_reference,
            "callback_reference": follow_up.callback_reference, **changes}


def pending_follow_up(tracker: Tracker, email: Optional[str] = None, phone: Optional[str] = None) -> Optional[FollowUp]:
    """The follow-up waiting in ``follow_up_pending``, with the new contact given now (or kept in the vault)."""
    pending = tracker.get_slot(PENDING_SLOT)
    if not isinstance(pending, dict) or not pending.get("kind"):
        return None
    if not (email or phone):
        kept = services.store().get_identifiers(vault_key(tracker))
        email, phone = kept.get("email"), kept.get("phone")
    return FollowUp(pending["kind"], complaint=bool(pending.get("complaint")),
                    callback=bool(pending.get("callback")),
                    complaint_reference=pending.get("complaint_reference"),
                    callback_reference=pending.get("callback_reference"), email=email, phone=phone)


def vault_key(tracker: Tracker) -> str:
    """Where the new contact waits while ownership is checked: its own vault entry, apart from a complaint draft."""
    return services.conversation_key(f"follow-up:{tracker.sender_id}")


def _masked(follow_up: FollowUp) -> str:
    parts = []
    if follow_up.phone:
        parts.append(message_fr("follow_up_contact.phone", phone=mask_phone(follow_up.phone)))
    if follow_up.email:
        parts.append(message_fr("follow_up_contact.email", email=mask_email(follow_up.email)))
    return message_fr("follow_up_contact.both", first=parts[0], second=parts[1]) if len(parts) == 2 else parts[0]


def _change_complaint_contact(follow_up: FollowUp, dispatcher: CollectingDispatcher,
                              tracker: Tracker) -> List[EventType]:
    org = services.organisation()
    store = services.store()
    owned = owned_references(tracker)
    reference = follow_up.complaint_reference or (owned[-1] if owned else None)
    if reference is None or reference not in owned:
        # another conversation's complaint: the status check proves it is theirs, then the change is made
        stash_contact(follow_up, tracker)
        if reference:
            dispatcher.utter_message(text=message_fr("follow_up.verify_first", reference=reference))
        else:
            dispatcher.utter_message(text=message_fr("follow_up.which_complaint"))
        return [SlotSet(PENDING_SLOT, pending_slot(follow_up, callback=False)), SlotSet("status_reference", reference),
                FollowupAction("status_form")]
    if follow_up.new_contact:
        store.change_complaint_contact(reference, org.key, email=follow_up.email, phone=follow_up.phone)
    store.clear_identifiers(vault_key(tracker))
    if follow_up.remove:
        return _remove_complaint_contact(follow_up, reference, dispatcher)
    said = message_fr("follow_up.contact_changed", reference=reference, organisation=org.name,
                      contact=_masked(follow_up))
    view = store.get_complaint(reference)
    kept = None
    if view is not None and not follow_up.phone and view.phone:
        kept = message_fr("follow_up.kept_phone", phone=mask_phone(view.phone))
    elif view is not None and not follow_up.email and view.email:
        kept = message_fr("follow_up.kept_email", email=mask_email(view.email))
    if kept:
        said += " " + kept  # « je voulais ajouter le mail, pas remplacer »
    dispatcher.utter_message(text=said)
    return []


def _remove_complaint_contact(follow_up: FollowUp, reference: str, dispatcher: CollectingDispatcher) -> List[EventType]:
    """« retirez mon adresse mail de la réclamation, juste le tel » (members' round 20): taken off, the member told
    how they will be reached; never the last way to reach them."""
    org = services.organisation()
    store = services.store()
    email = follow_up.remove == "email"
    what = message_fr("follow_up.removed_email" if email else "follow_up.removed_phone")
    if not store.remove_complaint_contact(reference, org.key, email=email, phone=not email):
        dispatcher.utter_message(text=message_fr("follow_up.contact_not_removed", reference=reference, what=what))
        return []
    view = store.get_complaint(reference)
    kept = (mask_phone(view.phone) if email else mask_email(view.email)) if view is not None else ""
    dispatcher.utter_message(text=message_fr("follow_up.email_removed" if email else "follow_up.phone_removed",
                                             reference=reference, organisation=org.name, kept=kept))
    return []


def _window_fr(callback: Any) -> str:
    return CallbackWindow(callback.window_start.astimezone(PARIS), callback.window_end.astimezone(PARIS)).when_fr()


def _booked(tracker: Tracker) -> List[Any]:
    """This conversation's call-backs, the cancelled ones too, oldest first."""
    return services.store().callbacks_of_conversation(services.conversation_key(tracker.sender_id),
                                                      include_cancelled=True)


def say_callback_status(dispatcher: CollectingDispatcher, tracker: Tracker, reference: Optional[str] = None) -> None:
    """« le rappel de vendredi est toujours prévu ? », « l'autre, il est bien annulé ? », « il me reste quel
    rappel ? »: the call-backs of this conversation the question designates, as they stand."""
    org = services.organisation()
    text = tracker.latest_message.get("text") or ""
    try:
        every = _booked(tracker)
    except StoreError:
        logger.exception("Call-back status not given: the complaint store is unavailable")
        every = []
    booked = every
    about_cancelling = callback_choice.asks_if_cancelled(text)
    if reference:
        booked = [c for c in booked if c.reference == reference]
    else:
        chosen = callback_choice.pick(text, booked, acting_on_cancelled=about_cancelling).chosen
        if chosen and (about_cancelling or len(chosen) < len([c for c in booked if not c.cancelled])):
            booked = [c for c in booked if c.reference in chosen]
        else:
            booked = [c for c in booked if not c.cancelled]  # « il me reste quel rappel ? »: the ones booked
    if not booked:
        if every:
            dispatcher.utter_message(text=message_fr("follow_up.callback_none_left"))
            return
        dispatcher.utter_message(text=message_fr("follow_up.callback_status_elsewhere", organisation=org.name,
                                                 contact=org.phone_fr))
        return
    for callback in booked:
        values = {"reference": callback.reference, "when": _window_fr(callback), "contact": callback.phone_masked}
        if callback.cancelled:
            dispatcher.utter_message(text=message_fr("follow_up.callback_was_cancelled", organisation=org.name,
                                                     **values))
        elif about_cancelling:
            dispatcher.utter_message(text=message_fr("follow_up.callback_not_cancelled", **values), buttons=[
                {"title": message_fr("follow_up.callback_cancel_button", reference=callback.reference),
                 "payload": message_fr("follow_up.callback_cancel_button", reference=callback.reference)},
                {"title": message_fr("follow_up.callback_keep_button"),
                 "payload": f"Gardez le rappel {callback.reference}"},
            ])
        else:
            dispatcher.utter_message(text=message_fr("follow_up.callback_booked", **values))


def _ask_which(dispatcher: CollectingDispatcher, candidates: List[Any], kind: str) -> None:
    cancel = kind == follow_ups.CANCEL_CALLBACK
    action, button = ("follow_up.callback_which_action_cancel", "follow_up.callback_which_button_cancel") if cancel \
        else ("follow_up.callback_which_action_move", "follow_up.callback_which_button_move")
    listed = " ".join(message_fr("follow_up.callback_listed", reference=c.reference, when=_window_fr(c),
                                 contact=c.phone_masked) for c in candidates)
    dispatcher.utter_message(
        text=message_fr("follow_up.callback_which", count=len(candidates), action=message_fr(action)) + " " + listed,
        buttons=[{"title": message_fr(button, reference=c.reference), "payload": message_fr(button, reference=c.reference)}
                 for c in candidates])


def _undo_cancellation(follow_up: FollowUp, dispatcher: CollectingDispatcher, tracker: Tracker,
                       booked: List[Any], events: List[EventType]) -> Optional[List[Any]]:
    """« non pardon pas celui-là », « celui de vendredi », « non finalement gardez-le » just after a cancellation:
    the call-back cancelled is restored unless the message names that very one; the call-backs as they stand then,
    or None when nothing more is to be done (kept, or the one named is the one already cancelled)."""
    org = services.organisation()
    key = services.conversation_key(tracker.sender_id)
    reference = just_cancelled(tracker)
    undone = next((c for c in booked if c.reference == reference), None)
    if undone is None:
        return booked
    if follow_up.undo == "rebook":
        # « en fait si rappelez-moi jeudi après-midi »: a new call-back at the same number, the moment read by
        # callback_form from this message (the cancelled one stays cancelled: its moment no longer suits)
        masked = services.store().put_callback_phone(key, org.key, services.store().get_callback(reference).phone)
        dispatcher.utter_message(text=message_fr("follow_up.callback_rebooked", contact=masked))
        events += [SlotSet("callback_phone", masked), SlotSet("callback_time", None), FollowupAction("callback_form")]
        return None
    text = tracker.latest_message.get("text") or ""
    if callback_choice.designates(text) and \
            list(callback_choice.pick(text, booked, acting_on_cancelled=True).chosen) == [reference]:
        # « celui de lundi »: the one already cancelled
        dispatcher.utter_message(text=message_fr("follow_up.callback_was_cancelled", organisation=org.name,
                                                 reference=reference, when=_window_fr(undone),
                                                 contact=undone.phone_masked))
        return None
    if follow_up.undo == "as_well":
        return booked
    if undone.cancelled and services.store().change_callback(reference, key, restore=True):
        dispatcher.utter_message(text=message_fr("follow_up.callback_restored", reference=reference,
                                                 organisation=org.name, when=_window_fr(undone),
                                                 contact=undone.phone_masked))
    if follow_up.undo == "keep":
        return None
    others = [c for c in _booked(tracker) if c.reference != reference]
    if not [c for c in others if not c.cancelled]:
        dispatcher.utter_message(text=message_fr("follow_up.callback_no_other"))
        return None
    return others


def _on_callback(follow_up: FollowUp, dispatcher: CollectingDispatcher, tracker: Tracker,
                 events: List[EventType]) -> None:
    org = services.organisation()
    store = services.store()
    key = services.conversation_key(tracker.sender_id)
    booked = _booked(tracker)
    if follow_up.undo:
        booked = _undo_cancellation(follow_up, dispatcher, tracker, booked, events)
        if booked is None:
            return
    active = [c for c in booked if not c.cancelled]
    choice = callback_choice.pick(tracker.latest_message.get("text") or "", booked)
    if follow_up.callback_reference:
        chosen = [follow_up.callback_reference] if follow_up.callback_reference in [c.reference for c in active] \
            else []
    else:
        chosen = list(choice.chosen)
        if len(chosen) > 1 and len(chosen) == len(active) and previous_action(tracker) in BOOKING_ACTIONS:
            chosen = chosen[-1:]  # nothing designates one, and one was booked by the previous answer: that one
    cancelled = [c for c in booked if c.cancelled and c.reference == follow_up.callback_reference]
    if cancelled and follow_up.kind == follow_ups.CANCEL_CALLBACK:
        dispatcher.utter_message(text=message_fr("follow_up.callback_was_cancelled", organisation=org.name,
                                                 reference=cancelled[0].reference, when=_window_fr(cancelled[0]),
                                                 contact=cancelled[0].phone_masked))
        return
    for kept in choice.kept:  # « pas celui-là, je voulais garder celui du 72 »: cancelled by mistake, restored
        callback = next(c for c in booked if c.reference == kept)
        if callback.cancelled and store.change_callback(kept, key, restore=True):
            dispatcher.utter_message(text=message_fr("follow_up.callback_restored", reference=kept,
                                                     organisation=org.name, when=_window_fr(callback),
                                                     contact=callback.phone_masked))
    if not chosen:
        if follow_up.callback_reference is None and booked and not active:
            dispatcher.utter_message(text=message_fr("follow_up.callback_none_left"))
            return
        dispatcher.utter_message(text=message_fr("follow_up.callback_not_found", organisation=org.name,
                                                 contact=org.phone_fr))
        return
    if follow_up.kind == follow_ups.CHANGE_CONTACT:
        if not follow_up.phone:
            return  # an e-mail address is the complaint's; a call-back needs a phone number
        reference = chosen[-1]  # the one named, else the last booked
        store.change_callback(reference, key, phone=follow_up.phone)
        dispatcher.utter_message(text=message_fr("follow_up.callback_phone_changed", reference=reference,
                                                 organisation=org.name, contact=mask_phone(follow_up.phone)))
        return
    if len(chosen) > 1:
        _ask_which(dispatcher, [c for c in active if c.reference in chosen], follow_up.kind)
        return
    reference = chosen[0]
    phone = follow_up.phone or store.get_callback(reference).phone
    store.change_callback(reference, key, cancel=True)
    if follow_up.kind == follow_ups.CANCEL_CALLBACK:
        dispatcher.utter_message(text=message_fr("follow_up.callback_cancelled", reference=reference,
                                                 organisation=org.name,
                                                 when=_window_fr(next(c for c in booked if c.reference == reference))))
        events.append(SlotSet(JUST_CANCELLED_SLOT, reference))
        if not [c for c in active if c.reference != reference] and not choice.kept and not follow_up.undo:
            dispatcher.utter_message(text=message_fr("follow_up.callback_none_left"))
        return
    # another time: the same number, or the one typed with the move; a new window (callback_form asks only the time)
    masked = store.put_callback_phone(key, org.key, phone)
    dispatcher.utter_message(text=message_fr("follow_up.callback_moved_new_number", reference=reference,
                                             contact=masked) if follow_up.phone else
                             message_fr("follow_up.callback_moved", reference=reference))
    events += [SlotSet("callback_phone", masked), SlotSet("callback_time", None), FollowupAction("callback_form")]
