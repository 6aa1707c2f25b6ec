"""What the forms share: per-slot failure counting, yes/no answers, dates, and the facts of a complaint.

Every validator returns ``{slot: None}`` and a specific French message on bad input, so the form asks again.
After two invalid answers in a row to the same question, the member is told what is expected and offered a
person (rules.md §10: the phone number, whether someone answers now, a call-back), with the question's own choices
as buttons plus « Demander un rappel », « Parler à un conseiller » and « Arrêter » (financial-demo's
``max_validation_failures``, done per slot); ``help_offered_for`` then makes the form re-ask the question in a
shorter form (conditional response variations), never a third identical question.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from datetime import date
from typing import Any, Dict, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from recours import answers, facts
from recours.calendar import format_date_fr
from recours.date_ranges import earliest_day
from recours.dates import DateError, parse_french_date
from recours.human_contact import CALLBACK_BUTTON, contact_fr
from recours.messages import message_fr, message_group_fr
from recours.patterns import patterns
from recours.slot_answers import dont_know
from recours.settings import now, today
from recours.text import fold

MAX_FAILURES = 2

# What each question expects, said after repeated invalid answers (and on « aide »), by slot.
EXPECTED = message_group_fr("form.expected")

# The choices of a question, offered again as buttons after two misses (typed or clicked, both work).
YES_NO_BUTTONS = [{"title": "Oui", "payload": "Oui"}, {"title": "Non", "payload": "Non"}]
CHOICES = {
    "privacy_accepted": YES_NO_BUTTONS,
    "written_complaint_sent": YES_NO_BUTTONS,
    "answer_received": YES_NO_BUTTONS,
    "court_action": YES_NO_BUTTONS,
    "answer_satisfied": YES_NO_BUTTONS,
    "other_mediator": YES_NO_BUTTONS,
    "dispute_subject": [{"title": "Le contrat", "payload": "Le contrat"},
                        {"title": "Le travail du courtier", "payload": "Le travail du courtier"}],
    "member_identifier_nir": [{"title": "Je n'ai pas mon numéro", "payload": "je ne l'ai pas"}],
    "contract_holder": [{"title": "Contrat individuel", "payload": "Contrat individuel"}],
    "contested_decision_answer": [{"title": "Aucune décision", "payload": "Aucune"}],
    "first_complaint_date": [{"title": "Je ne sais plus", "payload": "je ne sais pas"}],
    "postal_code": [{"title": "Passer", "payload": "passer"}],
    "cpam_decision_medical": [
        {"title": "Médicale", "payload": "médicale"}, {"title": "Administrative", "payload": "administrative"},
    ],
}
WAY_OUT = [
    CALLBACK_BUTTON,
    {"title": "Parler à un conseiller", "payload": "/request_human"},
    {"title": "Arrêter", "payload": "/stop"},
]


# « j'ai seulement appelé », « par téléphone, rien d'écrit »: oral only.
ONLY_ORAL_RE = re.compile(
    r"\b(?:appel\w*|telephon\w*|tel|au guichet|a l accueil|oralement|de vive voix)\b.{0,40}\b(?:rien (?:d )?ecrit|"
    r"pas (?:d )?ecrit|jamais ecrit|pas de courrier|pas de mail|sans ecrire|rien envoye)\b"
    r"|\b(?:seulement|juste|uniquement|que) (?:par )?(?:telephone|appele|tel|oral)\b"
    r"|\bje n ai (?:fait )?qu (?:appele|telephone)\b"
)

# Said when the member cannot give even an approximate date: the question ends there (no loop).
UNKNOWN_DATE_FR = message_group_fr("form.date_never_known")


def exact_date_question(slot: str, earliest: str, pending: dict) -> Dict[Text, Any]:
    """Slot events making the form ask for the exact date of an approximate answer (the question's variation
    conditioned on ``help_offered_for`` = ``exact_<slot>`` says why, and which day counts if it is unknown)."""
    pending = {**pending, slot: earliest}
    return {
        slot: None,
        "approximate_date": pending,
        "help_offered_for": f"exact_{slot}",
        "approximate_earliest_fr": format_date_fr(date.fromisoformat(earliest)),
    }


def iso_date(value: Any) -> Optional[date]:
    """A date slot as stored (ISO text); raw text not validated yet counts as unknown."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def entity(tracker: Tracker, name: str) -> Optional[str]:
    for item in tracker.latest_message.get("entities") or []:
        if item.get("entity") == name and item.get("value"):
            return str(item["value"])
    return None


class RecoursFormValidation(FormValidationAction):
    """Base of the forms' validation actions (abstract: rasa-sdk registers only the concrete ones)."""

    @abstractmethod
    def name(self) -> Text:
        ...

    # -- failures ---------------------------------------------------------------------------------------------

    def _fail(
        self, slot: str, message: str, dispatcher: CollectingDispatcher, tracker: Tracker, expected_key: str = ""
    ) -> Dict[Text, Any]:
        failures = dict(tracker.get_slot("validation_failures") or {})
        failures[slot] = failures.get(slot, 0) + 1
        if failures[slot] >= MAX_FAILURES:
            failures[slot] = 0
            expected = EXPECTED.get(expected_key or slot, "")
            org = services.organisation()
            person = contact_fr(org, now(), services.department(tracker))
            dispatcher.utter_message(
                text=message_fr("form.after_failures", message=message, expected=expected[:1].lower() + expected[1:],
                                de_organisation=org.de_name_fr, contact=person[:1].upper() + person[1:]),
                buttons=CHOICES.get(expected_key or slot, CHOICES.get(slot, [])) + [dict(b) for b in WAY_OUT],
            )
            return {slot: None, "validation_failures": failures, "help_offered_for": slot,
                    "callback_reason": "misunderstood"}
        dispatcher.utter_message(text=message)
        return {slot: None, "validation_failures": failures, "help_offered_for": None}

    def _ok(self, tracker: Tracker, slot: str, values: Dict[Text, Any]) -> Dict[Text, Any]:
        failures = dict(tracker.get_slot("validation_failures") or {})
        if failures.pop(slot, None):
            values["validation_failures"] = failures
        if tracker.get_slot("help_offered_for"):
            values["help_offered_for"] = None
        return values

    # -- facts shared by the complaint and mediation forms -------------------------------------------------

    def validate_written_complaint_sent(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if isinstance(value, bool):
            return {"written_complaint_sent": value}
        text = str(value or "")
        answer = answers.parse_yes_no(text, latest_intent(tracker))
        if facts.says_not_written(text):
            answer = False  # « je n'ai jamais écrit de réclamation »
        elif answer is None and (latest_intent(tracker) == "dont_know" or dont_know(text)) and \
                not re.search(r"\d", text):
            # « euh je sais pas, mon mari a peut-être envoyé un mail »: counted as the first written complaint,
            # and said, so that the member can correct it at the recap (members' round 11: no loop)
            dispatcher.utter_message(text=message_fr("form.written_unknown"))
            return self._ok(tracker, "written_complaint_sent",
                            {"written_complaint_sent": False, "first_complaint_date": None, "answer_received": False})
        if answer is not False and ONLY_ORAL_RE.search(fold(text, apostrophes=" ")):
            # « j'ai appelé… mais rien écrit »: a phone call is not a written complaint (rules.md §5)
            dispatcher.utter_message(text=message_fr("form.phone_call_not_written"))
            return self._ok(tracker, "written_complaint_sent",
                            {"written_complaint_sent": False, "first_complaint_date": None, "answer_received": False})
        parsed_date = None
        if answer is not False:
            # "oui, le 3 septembre": take the date at once instead of asking for it.
            try:
                parsed_date = parse_french_date(text, today())
            except DateError:
                parsed_date = None
            if parsed_date is not None:
                answer = True
        if answer is None:
            return self._fail("written_complaint_sent", message_fr("form.yes_or_no"), dispatcher, tracker)
        values: Dict[Text, Any] = {"written_complaint_sent": answer}
        if answer is False:
            values.update({"first_complaint_date": None, "answer_received": False})
        elif parsed_date is not None and parsed_date.approximate:
            # « oui, mi-octobre »: the exact date is asked next, with the earliest day offered
            earliest = earliest_day(text, parsed_date).isoformat()
            pending = dict(tracker.get_slot("approximate_date") or {})
            values = {**self._ok(tracker, "written_complaint_sent", values),
                      **exact_date_question("first_complaint_date", earliest, pending)}
            return values
        elif parsed_date is not None:
            values["first_complaint_date"] = parsed_date.value.isoformat()
        return self._ok(tracker, "written_complaint_sent", values)

    def validate_first_complaint_date(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = str(value or "")
        if not re.search(r"\d", text) and not dont_know(text) and latest_intent(tracker) != "dont_know" and (
                facts.says_not_written(text) or answers.parse_yes_no(text, latest_intent(tracker)) is False):
            # « La réponse c'est non », « Je n'ai envoyé aucune réclamation écrite » at the date question: the
            # earlier yes was a misreading; the date is not asked again (members' round 10)
            dispatcher.utter_message(text=message_fr("form.not_written_after_all"))
            return self._ok(tracker, "first_complaint_date", {
                "first_complaint_date": None, "written_complaint_sent": False, "answer_received": False})
        return self._legal_date("first_complaint_date", value, dispatcher, tracker)

    def _legal_date(self, slot: str, value: Any, dispatcher, tracker) -> Dict[Text, Any]:
        """A date a legal deadline is counted from (rules.md §10).

        An approximate answer (« mi-octobre ») makes the question ask once for the exact date on the letter; if
        the member does not know it, the earliest day the words allow is kept, and the member is told so. With
        no date at all, an estimate is asked for; a second « je ne sais pas » ends the question (``never``) so
        the form never loops: the record says the date is unknown.
        ``approximate_date`` holds, per slot: an ISO earliest day, ``unknown`` or ``never``.
        """
        text = str(value or "")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            return {slot: text.strip()}  # already validated (set from an earlier answer)
        corrected = list(patterns("common").self_correction.finditer(text))
        if corrected and re.search(r"\d", text[corrected[-1].end():]):
            # « la lettre est datée du 2 octobre. Non, attendez, du 3 octobre » (members' round 14): the date said last
            text = text[corrected[-1].end():]
        pending = dict(tracker.get_slot("approximate_date") or {})
        state = pending.get(slot)
        if latest_intent(tracker) == "dont_know" or dont_know(text):
            if state and state not in ("unknown", "never"):
                return self._ok(tracker, slot, self._earliest_kept(slot, state, pending, dispatcher))
            if state == "unknown":
                pending[slot] = "never"
                dispatcher.utter_message(text=UNKNOWN_DATE_FR[slot])
                return self._ok(tracker, slot, {slot: None, "approximate_date": pending})
            pending[slot] = "unknown"
            dispatcher.utter_message(text=message_fr("form.estimate_date"))
            return {slot: None, "approximate_date": pending, "help_offered_for": slot}
        try:
            parsed = parse_french_date(text, today())
        except DateError as exc:
            return self._fail(slot, exc.message_fr, dispatcher, tracker)
        if not parsed.approximate:
            pending.pop(slot, None)
            return self._ok(tracker, slot, {slot: parsed.value.isoformat(), "approximate_date": pending or None})
        first = earliest_day(text, parsed).isoformat()
        if state:
            # an estimate after « je ne sais pas », or a second approximation: counted from its earliest day
            return self._ok(tracker, slot, self._earliest_kept(slot, first, pending, dispatcher))
        return exact_date_question(slot, first, pending)

    @staticmethod
    def _earliest_kept(slot: str, earliest: str, pending: dict, dispatcher) -> Dict[Text, Any]:
        pending.pop(slot, None)
        dispatcher.utter_message(
            text=message_fr("form.earliest_day_kept", earliest=format_date_fr(date.fromisoformat(earliest)))
        )
        return {slot: earliest, "approximate_date": pending or None}

    def validate_answer_received(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        said = (tracker.latest_message or {}).get("text") or ""
        if value is not True and facts.holding_reply(fold(said).replace("'", " ")):
            # « juste un mail « nous revenons vers vous » »: the deadlines still run from the written complaint
            dispatcher.utter_message(text=message_fr("form.holding_reply_is_no_answer"))
            return self._ok(tracker, "answer_received", {"answer_received": False})
        if value is not True and facts.says_not_written(said):
            # « Mais je vous ai dit que je n'avais jamais envoyé de réclamation ! » (members' round 12): the earlier
            # yes was a misreading; no written complaint, so no answer to it
            dispatcher.utter_message(text=message_fr("form.not_written_after_all"))
            return self._ok(tracker, "answer_received", {
                "answer_received": False, "written_complaint_sent": False, "first_complaint_date": None})
        return self._yes_no("answer_received", value, dispatcher, tracker)

    def validate_court_action(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if not isinstance(value, bool) and (latest_intent(tracker) == "dont_know" or dont_know(str(value or ""))):
            return self._fail("court_action", message_fr("form.court_action_unsure"), dispatcher, tracker)
        if not isinstance(value, bool) and answers.parse_yes_no(str(value or "")) is None:
            said = facts.extract_facts(str(value or ""), today()).court_action
            if said is not None:
                return self._ok(tracker, "court_action", {"court_action": said})  # « Je n'ai pas d'avocat »
        return self._yes_no("court_action", value, dispatcher, tracker)

    def _yes_no(self, slot: str, value: Any, dispatcher, tracker) -> Dict[Text, Any]:
        if isinstance(value, bool):
            return {slot: value}
        answer = answers.parse_yes_no(str(value or ""), latest_intent(tracker))
        if answer is None:
            return self._fail(slot, message_fr("form.yes_or_no"), dispatcher, tracker)
        return self._ok(tracker, slot, {slot: answer})

