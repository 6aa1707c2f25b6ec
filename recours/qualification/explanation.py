"""The one or two French sentences that tell the member what their message is and why (rules.md §1); the
sentences are in recours/data/messages_fr.yml (``qualification``)."""

from __future__ import annotations

from recours.messages import message_fr, message_group_fr
from recours.qualification.lexicon import MARKER_LABELS_FR


def explain(kind: str | None, body: str, keys: tuple[str, ...], intent_kind: str | None, unsure: bool,
             denied: bool) -> str:
    towards = message_fr("qualification.towards_cpam" if body == "cpam" else "qualification.towards_organisation")
    if kind is None:
        return message_fr("qualification.unknown", towards=towards)
    if kind == "complaint":
        details = [MARKER_LABELS_FR[k] for k in keys if MARKER_LABELS_FR[k]][:2]
        detail = f" ({' et '.join(details)})" if details else ""
        if unsure:
            first = message_fr("qualification.complaint_unsure", towards=towards, details=detail)
        elif intent_kind and intent_kind != "complaint" and keys:
            first = message_fr("qualification.complaint_with_request", towards=towards, details=detail,
                               request=message_group_fr("qualification.requests_short")[intent_kind])
        else:
            first = message_fr("qualification.complaint", towards=towards, details=detail)
        if body == "cpam":
            return f"{first} {message_fr('qualification.complaint_for_cpam')}"
        return first
    phrase = message_group_fr("qualification.requests")[kind]
    if denied:
        first = message_fr("qualification.not_complaint_said", request=phrase)
    elif unsure:
        first = message_fr("qualification.not_complaint_unsure", request=phrase)
    else:
        first = message_fr("qualification.not_complaint", request=phrase, towards=towards)
    if body == "cpam":
        return f"{first} {message_fr('qualification.request_for_cpam')}"
    return f"{first} {message_fr('qualification.request_for_usual_contact')}"
