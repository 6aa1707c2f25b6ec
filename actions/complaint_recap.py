"""The recap of the complaint form (rules.md §3): its confirmation, and the corrections typed in the member's own
words — a field named with its new value, an addition to the description, a contact changed."""

from __future__ import annotations

import asyncio
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import follow_ups as follow_up_actions
from actions.recap_corrections import (
    polite_request,
    VALIDATED_AS,
    _value_for,
    correction_groups,
    dated_decision,
    removed_from_description,
    replaced_in_description,
)
from actions.validation import entity, latest_intent
from actions.vault import vault_contact
from recours import answers, contact, story
from recours.messages import message_fr
from recours.redaction import redact_text
from recours.recap import FIELDS, field_from_text, recap_confirms
from recours.side_questions import split_side_question
from recours.text import fold, fold_aligned
from recours.patterns import patterns

_P = patterns("complaint_form")
_CORRECTIONS = patterns("recap_corrections")


class RecapValidation:
    """The recap's validator and the corrections it reads; mixed into ``ValidateComplaintForm``, whose validators it
    calls for the new values (``validate_<slot>``) and whose ``_fail`` says what was not understood."""

    async def validate_recap_confirmed(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value is True:
            return {"recap_confirmed": True}
        intent = latest_intent(tracker)
        text = str(value or "")
        typed = tracker.latest_message.get("text") or ""
        asked = split_side_question(typed) if typed and not typed.startswith("/") else None
        if asked is not None and not asked.answer.strip(" .,;:!") and text.strip(" .,;:!") in ("", typed.strip(" .,;:!"),
                                                                                             asked.answer.strip(" .,;:!")):
            # « Avant de confirmer : si vous ne me répondez pas, puis-je m'adresser à quelqu'un d'autre ? » (members'
            # round 20: recorded at once): a question only, answered, then the recap again — unless it asks for a
            # correction (« Pourriez-vous aussi ajouter à la description que … ? »)
            corrected = await self._corrections_with_values(typed, tracker, domain)
            return {**corrected, "recap_confirmed": None, "recap_mode": None}
        but = _P.yes_but.match(fold_aligned(text)) if not text.startswith("/") else None
        if but and len(text) > but.end() + 3:
            # « c'est bon sauf que je voulais être appelée le midi… et je demande les 70 € » (members' round 16): not
            # a confirmation; what follows is a correction, else it is added to the description and the recap shown
            rest = text[but.end():].strip(" ,.:;")
            corrected = await self._corrections_with_values(rest, tracker, domain)
            if not corrected:
                stored = tracker.get_slot("complaint_description") or ""
                added = rest[:1].upper() + rest[1:].rstrip(" .") + "."
                corrected = {"complaint_description": f"{stored}\n{added}" if stored else added}
                dispatcher.utter_message(text=message_fr("facts_noted.added_to_description", fact=redact_text(added)))
            return {**corrected, "recap_confirmed": None, "recap_mode": None}
        if tracker.get_slot("recap_mode") != "choose_field" and recap_confirms(text):
            # « laisse la description comme ça. Confirmer »: a field named to keep it is not a correction
            return {"recap_confirmed": True, "recap_mode": None}
        named = entity(tracker, "field")
        field = named if named in FIELDS else field_from_text(text)
        choosing = tracker.get_slot("recap_mode") == "choose_field"
        corrected = await self._corrections_with_values(text, tracker, domain)
        if corrected:
            # « rajoute mon tel 06 00 00 00 56 et la décision mets aucune »: set at once, the recap shows them
            if corrected.get("contact") and corrected["contact"] == tracker.get_slot("contact"):
                # « mon mail c'est helene.marchand.62@… » masks as the old one did: say it was replaced (round 15)
                dispatcher.utter_message(text=message_fr("complaint_form.contact_replaced_same_mask",
                                                         contact=corrected["contact"]))
            return {**corrected, "recap_confirmed": None, "recap_mode": None}
        if field is not None:
            description_edit_hint(field, dispatcher, tracker)
            return {**clear_field(field, tracker), "recap_confirmed": None, "recap_mode": None}
        if intent == "correct":
            return {"recap_confirmed": None, "recap_mode": "choose_field"}
        answer = answers.parse_yes_no(text, intent)
        if choosing and fold(text).strip(" .!") in ("confirmer", "je confirme", "enregistrer", "valider"):
            return {"recap_confirmed": True, "recap_mode": None}  # the recap's own button label, typed at the menu
        if choosing:
            # « Revenir au récapitulatif », « rien », « non finalement », « c'est bon »: back to the recap
            if answer is not None or re.search(r"\b(revenir|retour|recap|rien|aucun|finalement)\b", fold(text)):
                return {"recap_confirmed": None, "recap_mode": None}
            return self._fail("recap_confirmed", message_fr("complaint_form.field_not_recognised"), dispatcher, tracker)
        if answer is True or fold(text) in ("confirmer", "je confirme", "enregistrer", "valider"):
            return {"recap_confirmed": True, "recap_mode": None}
        if answer is False:
            return {"recap_confirmed": None, "recap_mode": "choose_field"}
        told = story.story_in(text) if not text.startswith("/") else ""
        stored = tracker.get_slot("complaint_description") or ""
        if told and len(told.split()) >= 3 and told not in stored:
            # « il manque les 8 euros dagios … je les reclame aussi » (members' round 21: « je n'ai pas compris »):
            # what the member tells is added to the description, and the recap shown again
            dispatcher.utter_message(text=message_fr("facts_noted.added_to_description", fact=redact_text(told)))
            return {"complaint_description": f"{stored}\n{message_fr('recap.precision', text=told)}" if stored else told,
                    "recap_confirmed": None, "recap_mode": None}
        return self._fail("recap_confirmed", message_fr("form.not_understood"), dispatcher, tracker)


    async def _corrections_with_values(self, text: str, tracker: Tracker, domain) -> Dict[Text, Any]:
        """Fields named at the recap together with their new value, validated as typed answers would be."""
        if not text or text.startswith("/"):
            return {}
        values: Dict[Text, Any] = {}
        quiet = CollectingDispatcher()  # a value that does not validate falls back on asking the field again
        # « CORRIGER UN ELEMENT : AJOUTEZ QUE … » (members' round 13): the button's label typed before the correction
        text = re.sub(r"^\W*corriger un [ée]l[ée]ment\s*[:.,;!-]*\s*", "", text, flags=re.I) or text
        text = polite_request(text)  # « Pourriez-vous aussi ajouter … ? », « … Pouvez-vous la corriger ? » (round 19)
        if text.rstrip().endswith("?"):
            asked = split_side_question(text)
            if asked is None or not asked.answer:
                return {}  # « puis-je envoyer la facture par mail ? » asks, it does not correct
            text = asked.answer  # « …, c'est 210 €. et vous avez bien changé le mail ? »: the correction is kept
        missing = _CORRECTIONS.missing_fact.match(text)
        if missing:
            fact = missing["fact"].strip(" .")
            stored = tracker.get_slot("complaint_description") or ""
            fact = fact[:1].upper() + fact[1:]
            return {"complaint_description": f"{stored}\n{message_fr('recap.precision', text=fact)}" if stored else fact}
        whole = _CORRECTIONS.description_is.search(text)
        if whole:
            # « Ma plainte à votre encontre, c'est seulement : trois appels les 4, 12 et 20 novembre … » (members'
            # round 20: the written-complaint question was asked again): the description given again replaces it,
            # an instruction after it is read as such
            new = whole["new"]
            cut = _CORRECTIONS.next_instruction.search(new)
            text = text[:whole.start()] + (" " + new[cut.end():] if cut else "")
            new = (new[:cut.start()] if cut else new).strip(" .")
            values["complaint_description"] = new[:1].upper() + new[1:] + "."
        removed = removed_from_description(text, values.get("complaint_description")
                                           or tracker.get_slot("complaint_description"))
        if removed is not None:
            values["complaint_description"], text = removed  # « enlevez la ligne sur … » (members' round 14)
        if "complaint_description" in values:
            # what follows adds to the description as it now reads (« enlevez la phrase sur … Et précisez que … »:
            # members' round 20, the removal was lost)
            tracker.add_slots([SlotSet("complaint_description", values["complaint_description"])])
        replaced = replaced_in_description(text, values.get("complaint_description")
                                           or tracker.get_slot("complaint_description"))
        if replaced is not None:
            values["complaint_description"] = replaced  # « c'est 12 séances et pas 10 » (members' round 13)
        for field, clause in correction_groups(text):
            dated = dated_decision(clause, tracker) if field in ("written_complaint", "contested_decision") else None
            if dated:
                values["contested_decision_answer"] = dated
                continue
            value = _value_for(field, clause, tracker)
            if value is None:
                continue
            slot = VALIDATED_AS.get(field, field)
            if field == "contact" and (_CORRECTIONS.add.search(fold(clause)) or not ("@" in value and " " in value.strip())) \
                    and not re.search(r"\b(?:seulement|uniquement|que)\b", fold(clause)):
                # one kind given (« le tel c'est 06 … »): it replaces its old value, the other kind is kept
                result = await self._add_contact(value, tracker)
            else:
                validate = getattr(self, f"validate_{slot}")
                result = validate(value, quiet, tracker, domain)
                if asyncio.iscoroutine(result):
                    result = await result
            if result.get(slot) is not None:
                values.update(result)
        return values

    async def changed_contact(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """« …, et mon téléphone a changé : 06 00 00 00 21 » typed with another answer: the contact is updated."""
        text = tracker.latest_message.get("text") or ""
        known = tracker.get_slot("contact") or ""
        if not known or tracker.get_slot("requested_slot") in (None, "contact", "recap_confirmed") or text.startswith("/"):
            return []
        email, phone = follow_up_actions.members_contact_in(text)
        # « 2 71 03 … et mon tel 06 00 00 00 21 » once the e-mail is known (round 13): the other kind is added
        added = (phone and not re.search(r"\d", known)) or (email and "@" not in known)
        if not (added or _P.contact_changed.search(fold(text).replace("'", " "))):
            return []
        value = " ".join(v for v in (email, phone) if v)
        update = await self._add_contact(value, tracker) if value else {}
        if not update:
            return []
        dispatcher.utter_message(text=message_fr("complaint_form.contact_updated", contact=update["contact"]))
        return [SlotSet("contact", update["contact"])]

    async def _add_contact(self, value: str, tracker: Tracker) -> Dict[Text, Any]:
        """« rajoute mon tel … »: the new phone (or e-mail) joins the one given before."""
        try:
            found = contact.parse_contact(value)
        except contact.InvalidContact:
            return {}
        # the kind given before is kept; the kind given now replaces its old value
        kept = [part for part in (tracker.get_slot("contact") or "").split(", ")
                if part and not (found.email if "@" in part else found.phone)]
        return {"contact": ", ".join(kept + await vault_contact(tracker.sender_id, found))}


def description_edit_hint(field: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The description as it reads, before it is asked again: what the member types next corrects it or adds to
    it; it replaces it only when said so (members' round 22: « Description » chosen in the menu erased the story,
    the member had to type her letter again to change 640 € into 645 €)."""
    current = tracker.get_slot("complaint_description")
    if field == "complaint_description" and current:
        shown = current if len(current) <= 400 else current[:400].rsplit(" ", 1)[0] + " …"
        dispatcher.utter_message(text=message_fr("complaint_form.description_edit_hint", current=redact_text(shown)))


def clear_field(field: str, tracker: Tracker) -> Dict[Text, Any]:
    """Slot events that make the form ask one field again (and what depends on it); the values they had are kept
    in ``before_correction``, put back if the member then says to leave the field as it was."""
    before = {slot: tracker.get_slot(slot) for slot in FIELDS[field].slots}
    text = tracker.latest_message.get("text") or ""
    if field == "complaint_description" and not text.startswith("/") and ADD_WISH.search(fold_aligned(text)):
        # « la description, il faut ajouter ma demande » (members' round 22: the story replaced by the addition)
        before[ADDING] = True
    return {**{slot: None for slot in FIELDS[field].slots}, "before_correction": before}


# The member wants to add to a field, not to replace it; kept in ``before_correction`` under ADDING.
ADD_WISH = re.compile(r"\b(?:ajout\w*|rajout\w*|complet\w*|il manque|manque)\b")
ADDING = "adding"


def kept_as_it_was(tracker: Tracker) -> Optional[Dict[Text, Any]]:
    """« Non, je ne veux pas changer la description. Je veux confirmer », « Revenir au récapitulatif » typed at the
    question of a field being corrected (members' round 16: saved as the new description): the values it had, or
    None."""
    before = tracker.get_slot("before_correction")
    text = tracker.latest_message.get("text") or ""
    if not isinstance(before, dict) or tracker.get_slot("requested_slot") not in before or text.startswith("/"):
        return None
    folded = fold_aligned(text)
    if not _P.keep_as_is.search(folded) or _P.keep_but.search(folded):
        return None
    return {**{slot: value for slot, value in before.items() if slot != ADDING}, "before_correction": None}
