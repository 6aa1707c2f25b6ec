"""The same words again and again in a conversation (issue 11, rounds 9 and 10: « vous me répétez la même chose »).

A long informational answer (where to send documents, the CPAM path, the mediator's paragraph) sent again word
for word means the member asked something the assistant read as the same question: repeating it does not help,
and three times is a loop. The second time, the member gets a short reminder instead — the paragraph's first
sentence, where to find the rest, and how to get another answer (rephrase, or a person). A question (ending with
« ? ») is never shortened — it must stay answerable — but the third time it is asked it says so and offers a way
out (a call-back, a person, stopping): actions/server.py does it for the texts the actions send, addons/nlg.py for
the domain's ``utter_ask_*`` responses. Counts restart with the session and after a complaint is recorded. No Rasa
import: actions/server.py applies it to every action's replies before Rasa records them, so the conversation's
record is what the member read.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable

from recours.messages import message_fr

# Actions after which a question may be asked again from the start (a new complaint).
RESET_ACTIONS = frozenset({"action_submit_complaint", "action_cancel_complaint"})
# The way out offered with a question asked the third time (typed or clicked, both work).
WAY_OUT = (
    {"title": "Demander un rappel", "payload": "/request_callback"},
    {"title": "Parler à un conseiller", "payload": "/request_human"},
    {"title": "Arrêter", "payload": "/stop"},
)
# A question is asked again this many times as it is; the next time, with the way out.
ASKED_AS_IS = 2
# The member's own question, answered (« ça coûte quelque chose ? », « c'est quoi un NIR ? »): the form's question
# asked again after it is no miss and does not count (members' round 19: « pour la troisième fois » after two
# questions about the mediator, none of them a wrong answer).
ANSWERED_QUESTIONS = frozenset({"help", "ask_why_data", "ask_deadlines", "bot_challenge"})

# Shorter texts are repeated as they are (a confirmation, a short answer).
MIN_CHARS = 160
# the first sentence, to its full stop (« … demande d'information : » cut at its colon read as nonsense: round 14)
_FIRST_SENTENCE = re.compile(r"^(.{20,180}?[.!])(?:\s|$)", re.S)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def said_before(events: Iterable[dict[str, Any]]) -> Counter[str]:
    """How many times each bot text was said since the latest session start or recorded complaint
    (whitespace-normalised)."""
    said: Counter[str] = Counter()
    no_miss = False
    for event in events:
        kind = event.get("event")
        if kind == "session_started" or (kind == "action" and event.get("name") in RESET_ACTIONS):
            said.clear()
        elif kind == "user":
            no_miss = _user_intent(event) in ANSWERED_QUESTIONS
        elif kind == "bot" and event.get("text"):
            no_miss = no_miss or shows_progress(event["text"])
            if no_miss and is_question(event["text"]):
                continue  # asked again after an answer or a fact taken: not counted
            said[_norm(event["text"])] += 1
    return said


def _user_intent(event: dict[str, Any]) -> str | None:
    return (((event.get("parse_data") or {}).get("intent")) or {}).get("name")


def no_miss_this_turn(events: Iterable[dict[str, Any]]) -> bool:
    """The member's latest message was a question of their own, answered this turn, or facts it carried were taken
    (« J'ai aussi noté : … »): the question asked again is no miss."""
    no_miss = False
    for event in events:
        if event.get("event") == "user":
            no_miss = _user_intent(event) in ANSWERED_QUESTIONS
        elif event.get("event") == "bot" and shows_progress(event.get("text") or ""):
            no_miss = True
    return no_miss


def _start(key: str, placeholder: str | None = None) -> str:
    """The fixed start of a message, before its first placeholder."""
    if placeholder is None:
        return message_fr(key)
    return message_fr(key, **{placeholder: "\x00"}).split("\x00")[0]


# Texts that say an answer or a fact out of order was taken (actions/form_facts.py): the question that follows is
# asked again for a reason the member can see, not because the answer was missed.
PROGRESS_STARTS = tuple(_norm(start) for start in (
    _start("facts_noted.noted", "facts"), _start("facts_noted.noted_from_opening", "facts"),
    _start("facts_noted.added_to_description", "fact"), _start("facts_noted.contact_note_added", "fact"),
))


def shows_progress(text: str) -> bool:
    return _norm(text).startswith(PROGRESS_STARTS)


def is_question(text: str) -> bool:
    return text.rstrip().endswith("?") or bool(_ASKS.search(text))


def shorten_repeats(responses: list[dict[str, Any]], events: Iterable[dict[str, Any]], *,
                    long_answers: bool = True) -> list[dict[str, Any]]:
    """``responses`` with each long informational text already said in the conversation replaced by a reminder
    (unless ``long_answers`` is False: a form's validation messages), and a question asked a third time said so."""
    events = list(events)
    said = said_before(events)
    if not said:
        return responses
    answered = no_miss_this_turn(events) or any(shows_progress(str(r.get("text") or "")) for r in responses)
    # beside a new answer, a paragraph said before is left out, not replaced by « je vous ai donné cette information
    # plus haut … si elle ne répond pas à votre question » (members' round 20: said after a CPAM appeal's deadline,
    # which answered the question)
    fresh = any(isinstance(r.get("text"), str) and len(r["text"]) >= MIN_CHARS and not is_question(r["text"])
                and not said[_norm(r["text"])] for r in responses)
    # a reminder already given since the member's previous message: a second one in a row is a loop (members' round
    # 21: six in m21-D-05); the member is offered a person instead
    reminded_before = _reminded_last_turn(events)
    changed = []
    reminded = False
    for response in responses:
        text = response.get("text")
        if isinstance(text, str) and is_question(text):
            # a question (« Quand souhaitez-vous être rappelé ? CPMS rappelle du lundi… », its question mark inside) is
            # asked again as it is, the third time with a way out; never shortened to a reminder (round 12)
            if not answered:
                response = asked_again(response, said[_norm(text)])
        elif long_answers and isinstance(text, str) and len(text) >= MIN_CHARS and said[_norm(text)] and \
                not text.startswith(_REMINDER_START):
            if reminded or fresh:
                continue  # one reminder a turn, however many paragraphs it stands for
            reminded = True
            first = _FIRST_SENTENCE.match(_norm(text))
            start = first.group(1) if first else _norm(text)[:120].rsplit(" ", 1)[0] + "…"
            if reminded_before:
                response = {"text": message_fr("repeats.no_better_answer"), "buttons": list(WAY_OUT[:2])}
            else:
                response = {**response, "text": message_fr("repeats.reminder", start=start)}
        changed.append(response)
    return changed


_REMINDER_START = message_fr("repeats.reminder", start="")[:30]


def _reminded_last_turn(events: list[dict[str, Any]]) -> bool:
    """The assistant's answer to the member's previous message held a reminder."""
    users = 0
    for event in reversed(events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                return False
        elif users == 1 and event.get("event") == "bot" and str(event.get("text") or "").startswith(_REMINDER_START):
            return True
    return False
# A sentence that asks the member something, anywhere in the text.
_ASKS = re.compile(r"\?(?:\s|$)")


def asked_again(response: dict[str, Any], times_asked: int) -> dict[str, Any]:
    """A question's rendered response, the third time (``times_asked`` ≥ 2): said to be asked again because the
    answers were not understood, with its own buttons and the way out."""
    if times_asked < ASKED_AS_IS or not response.get("text"):
        return response
    buttons = list(response.get("buttons") or [])
    titles = {b.get("title") for b in buttons}
    return {**response, "text": message_fr("repeats.asked_again", question=response["text"]),
            "buttons": buttons + [b for b in WAY_OUT if b["title"] not in titles]}
