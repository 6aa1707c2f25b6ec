"""The complaint form's questions whose wording depends on the organisation or the form's state, the correction
menu and the help during a form (split from actions/complaint_form.py, which keeps the validators)."""

from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action
from rasa_sdk.events import EventType, SlotSet

from actions import services
from actions.complaint_form import ValidateComplaintForm, _default_identifier_kind
from actions.complaint_recap import clear_field, description_edit_hint
from actions.side_answers import answer_side_question
from actions.validation import EXPECTED, entity
from recours import glossary, natures, redaction
from recours.messages import message_fr
from recours.recap import FIELDS, field_from_text, recap_lines
from recours.side_questions import SideQuestion, question_kind
from recours.text import fold


# -- questions whose wording depends on the organisation or on the form's state ---------------------------------


# Questions about the question itself (« que dois-je répondre ? », « je ne comprends pas ? »).
HELP_ME_RE = re.compile(r"\b(?:repondre|mettre|ecrire|comprend\w*|question|quoi dire|faut il dire|attendez vous|"
                        r"voulez vous dire|format|exemple|trouve\w*|ou est|comment faire|ca marche)\b")


def _just_explained(tracker, slot: str) -> bool:
    """The question was explained with buttons a moment ago: it is asked again shorter."""
    return tracker.get_slot("help_offered_for") == slot


def _notice_shown(tracker) -> bool:
    """The whole notice was already shown in this form (a misunderstood answer, a question in between)."""
    return tracker.get_slot("privacy_notice_shown") is True


class AskPrivacyAccepted(Action):
    def name(self) -> Text:
        return "action_ask_privacy_accepted"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        org = services.organisation()
        if _just_explained(tracker, "privacy_accepted") or _notice_shown(tracker):
            # the notice was read and explained: a short question, not the whole notice a third time
            dispatcher.utter_message(response="utter_privacy_question_short")
            return []
        if org.may_collect_nir:
            identifier = message_fr("identifiers.nir")
            offered = message_fr("identifiers.nir_offered")
        else:
            identifier = offered = message_fr("identifiers.member_number")
        dispatcher.utter_message(
            text=message_fr("complaint_questions.privacy_notice", identifier=identifier, identifier_offered=offered,
                            organisation=org.name, dpo_contact=org.dpo_contact_fr),
            buttons=[
                {"title": "J'accepte", "payload": "Oui"},
                {"title": "Je refuse", "payload": "Non"},
            ],
        )
        return [SlotSet("identifier_kind", tracker.get_slot("identifier_kind") or _default_identifier_kind()),
                SlotSet("privacy_notice_shown", True)]


class AskMemberIdentifier(Action):
    def name(self) -> Text:
        return "action_ask_member_identifier"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        kind = tracker.get_slot("identifier_kind") or _default_identifier_kind()
        # explained with buttons a moment ago: a shorter question, never the same one a third time
        short = _just_explained(tracker, "member_identifier")
        said = message_fr("complaint_questions.nir_not_kept_before_consent")
        if kind == "nir" and redaction.NIR in (tracker.get_slot("complaint_description") or "") and \
                not any(e.get("event") == "bot" and e.get("text") == said for e in tracker.events):
            # the NIR typed in the opening statement, before the notice was accepted, was not kept (members' round 19:
            # « NIR asked though given »): said, so that the question is not read as a memory lapse
            dispatcher.utter_message(text=said)
        # a relative writing for the member (« j'écris pour ma mère, Yvette Morel »): whose number is said (members'
        # round 19: « le mien ou celui de ma mère ? »)
        relative = "_for" if tracker.get_slot("member_writer") and tracker.get_slot("member_name") else ""
        if kind == "nir":
            dispatcher.utter_message(response="utter_ask_nir_short" if short else "utter_ask_nir" + relative)
        else:
            dispatcher.utter_message(response="utter_ask_member_number_short" if short
                                     else "utter_ask_member_number" + relative)
        return []


class AskComplaintNature(Action):
    def name(self) -> Text:
        return "action_ask_complaint_nature"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        suggested = natures.suggest_nature(tracker.get_slot("complaint_description") or "")
        text = message_fr("complaint_questions.nature")
        if _just_explained(tracker, "complaint_nature"):
            text = message_fr("complaint_questions.nature_short")
        if suggested:
            text += " " + message_fr("complaint_questions.nature_suggested", nature=natures.NATURE_LABELS_FR[suggested])
        buttons = [
            {"title": label, "payload": f'/inform{{"nature":"{value}"}}'}
            for value, label in natures.NATURE_LABELS_FR.items()
        ]
        if suggested:
            buttons.sort(key=lambda b: 0 if f'"{suggested}"' in b["payload"] else 1)
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class AskRecapConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_recap_confirmed"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        if tracker.get_slot("recap_mode") == "choose_field":
            dispatcher.utter_message(
                response="utter_ask_field_to_correct",
                buttons=[
                    {"title": f.label_fr, "payload": f'/correct{{"field":"{key}"}}'}
                    for key, f in FIELDS.items()
                ]
                + [{"title": "Revenir au récapitulatif", "payload": "/deny"}],
            )
            return []
        slots = {name: tracker.get_slot(name) for name in tracker.slots}
        dispatcher.utter_message(
            text=message_fr("complaint_questions.recap", lines="\n".join(recap_lines(slots))),
            buttons=[
                {"title": "Confirmer", "payload": "/affirm"},
                {"title": "Corriger un élément", "payload": "/correct"},
                {"title": "Annuler", "payload": "/stop"},
            ],
        )
        return []


class CorrectField(Action):
    """Mid-form "je veux corriger mon e-mail": clear that field, the form asks it again."""

    def name(self) -> Text:
        return "action_correct_field"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        named = entity(tracker, "field")
        field = named if named in FIELDS else field_from_text(tracker.latest_message.get("text") or "")
        if field is None:
            if tracker.get_slot("requested_slot") == "recap_confirmed":
                return [SlotSet("recap_mode", "choose_field")]  # the form shows the list of fields
            dispatcher.utter_message(response="utter_correct_at_recap")
            return []
        text = tracker.latest_message.get("text") or ""
        if tracker.active_loop.get("name") == "complaint_form":
            # « corriger la description : … » typed in the middle of the form: the new value is taken at once
            corrected = await ValidateComplaintForm()._corrections_with_values(text, tracker, domain)
            if corrected:
                labels = sorted({FIELDS[f].label_fr.lower() for f in FIELDS
                                 if any(slot in corrected for slot in FIELDS[f].slots)})
                dispatcher.utter_message(text=message_fr("complaint_questions.corrected", fields=", ".join(labels)))
                return [SlotSet(slot, value) for slot, value in corrected.items()]
        dispatcher.utter_message(
            text=message_fr("complaint_questions.correct_field", field=FIELDS[field].label_fr.lower())
        )
        description_edit_hint(field, dispatcher, tracker)
        return [SlotSet(slot, value) for slot, value in clear_field(field, tracker).items()]


class FormHelp(Action):
    """"aide" or "je ne comprends pas" during the form: explain the current question, then resume."""

    def name(self) -> Text:
        return "action_form_help"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        slot = tracker.get_slot("requested_slot")
        text = tracker.latest_message.get("text") or ""
        kind = question_kind(text) if text.rstrip().endswith("?") else "other"
        term = (glossary.defined_term(text) or glossary.asked_term(text)) if kind in ("other", "glossary", "mediator") \
            else None
        if term is not None:
            # « ça veut dire quoi souscrit ? »: the word explained, then the same question again
            dispatcher.utter_message(text=term.definition_fr)
            return []
        if text.rstrip().endswith("?") and not HELP_ME_RE.search(fold(text)):
            if kind != "other":
                # « qu'est-ce que le médiateur ? », « quand serai-je remboursée ? »: answered, then the question
                answer_side_question(SideQuestion("", text, kind), dispatcher, tracker)
                return []
            # anything else in the middle of the form: said plainly, then the question again
            org = services.organisation()
            # (the mediation check, a status check: no complaint is being written, the question simply resumes)
            in_complaint = tracker.active_loop.get("name") == "complaint_form"
            dispatcher.utter_message(
                text=message_fr("complaint_questions.not_answered_here" if in_complaint
                                else "complaint_questions.not_answered_here_resume", usual_contact=org.usual_contact_fr)
            )
            return []
        key = slot
        if slot == "member_identifier":
            key = f"member_identifier_{tracker.get_slot('identifier_kind') or _default_identifier_kind()}"
        expected = EXPECTED.get(key or "")
        if expected:
            dispatcher.utter_message(text=message_fr("form.expected_here", expected=expected[:1].lower() + expected[1:]))
        else:
            dispatcher.utter_message(response="utter_help")
        return []
