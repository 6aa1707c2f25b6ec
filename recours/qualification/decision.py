"""The decision: the NLU intent, its confidence and the text give the kind of request, the body concerned, and
whether to ask the member instead of concluding."""

from __future__ import annotations

from dataclasses import dataclass

from recours.qualification.bodies import concerned_body
from recours.qualification.explanation import explain
from recours.qualification.markers import cue_kind, scan
from recours.qualification.normalise import normalise_text

REQUEST_KINDS = ("complaint", "information", "clarification", "confirmation", "service", "goodwill")
CONCERNED_BODIES = ("insurer", "cpam")
INTENT_KINDS: dict[str, str] = {
    "complain": "complaint",
    "ask_information": "information",
    "ask_clarification": "clarification",
    "ask_confirmation": "confirmation",
    "request_service": "service",
    "request_goodwill": "goodwill",
}
UNSURE_BELOW = 0.45  # NLU confidence under which the assistant asks instead of concluding (the calibrated SVM of
# addons/intent_classifier.py: 0.6 left 15 of 189 held-out requests undecided, 0.45 leaves 5; FallbackClassifier's threshold)


@dataclass(frozen=True)
class Qualification:
    request_kind: str | None  # one of REQUEST_KINDS, None when undetermined
    concerned_body: str  # one of CONCERNED_BODIES
    explanation_fr: str  # one or two sentences shown to the member
    unsure: bool  # True: ask one short question (buttons) rather than conclude
    dissatisfaction_markers: tuple[str, ...]  # keys of MARKER_LABELS_FR found, in order of appearance


def qualify(intent: str | None, text: str, confidence: float | None = None, body: str | None = None) -> Qualification:
    """Qualify the member's need from the NLU intent (and its confidence) and the text itself.

    Dissatisfaction found in the text makes it a complaint whatever the intent (rules.md §1). Otherwise the
    intent decides; an intent that is not a request kind gives ``request_kind=None``. ``unsure`` asks the
    caller to confirm with the member: no intent, no kind, or a confidence under ``UNSURE_BELOW`` with no
    marker to decide. ``body`` overrides the concerned body when the caller knows better (recours.routing:
    the deploying organisation's context, or the member's answer).
    """
    normalised = normalise_text(text)
    found, denied = scan(normalised)
    keys = tuple(dict.fromkeys(f.key for f in found))
    body = body or concerned_body(normalised, found)
    intent_kind = INTENT_KINDS.get(intent or "")

    if keys:
        kind: str | None = "complaint"
        unsure = False
        denied = False
    else:
        kind = intent_kind
        low_confidence = confidence is not None and confidence < UNSURE_BELOW
        unsure = intent is None or kind is None or low_confidence
        if kind == "complaint" and denied:
            # "je ne suis pas mécontent, je voudrais juste savoir…": the NLU caught the word, not the meaning.
            cue = cue_kind(normalised)
            kind = cue or "information"
            unsure = unsure or cue is None
        else:
            denied = denied and kind is not None and kind != "complaint"
    explanation = explain(kind, body, keys, intent_kind, unsure, denied)
    return Qualification(
        request_kind=kind,
        concerned_body=body,
        explanation_fr=explanation,
        unsure=unsure,
        dissatisfaction_markers=keys,
    )