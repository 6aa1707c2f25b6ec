"""The referral letter's own content: its summary of the dispute, and the changes a member asks for once it is
written (issue 11, members' round 22).

The summary a mediator reads must state the dispute, not the conversation: « Je souhaiterais obtenir un modèle de
lettre », « Oui, comme je vous l'indiquais… », « merci pour la lettre » are not the dispute (m22-D-05, F-01).
Once the letter is shown, the member changes it in their own words: « Le résumé devrait être : CPMS ne m'a
remboursé que 60 euros… », « Veuillez le remplacer par : « … » » replace the summary (never appended to it);
« mettez mon nom, Odette Garnier » signs it; « ajoutez le courrier du 28/08 dans les pieces jointes » adds an
attachment; « ajoutez que … » adds to the summary; « vous n'avez pas mis la date de la réponse » is answered with
the date the member gave. An instruction typed after a new summary is carried out, not copied into it
(m22-F-05). No Rasa import: actions/mediation.py keeps the changes in a slot and writes the letter again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from recours.dates import exact_past_date
from recours.names import clean_name, leading_name, name_in
from recours.patterns import patterns
from recours import story
from recours.qualification.normalise import normalise_text
from recours.text import fold_aligned

__all__ = ["LetterEdit", "read_letter_edit", "wants_the_letter", "edits_the_letter", "changes_the_letter", "letter_story", "answer_date_in", "applied"]

_P = patterns("letter_edits")
_LETTER = patterns("qualification_action")


def letter_summary_in(text: str) -> str | None:
    """The summary a member gives for the referral letter just written (« le litige c'est : … »), or None."""
    found = _LETTER.letter_summary_is.search(text or "")
    return found["new"].strip(" .") if found else None
_QUOTES = "«»“”\"'‘’ "


@dataclass(frozen=True)
class LetterEdit:
    """What the member asks to change in the letter; every field None or empty when not asked."""

    summary: str | None = None  # the new summary, replacing the old one
    addition: str | None = None  # a sentence added to the summary
    name: str | None = None  # the member's name, to sign the letter
    attachments: tuple[str, ...] = field(default_factory=tuple)
    answer_date: date | None = None  # the date of the organisation's answer
    answer_date_missing: bool = False  # « vous n'avez pas mis la date de la réponse »
    carrier: str | None = None  # the insurer carrying the contract (« ajoutez l'assureur : Mutavia Assurances SA »)
    summary_asked: bool = False  # « je veux modifier le résumé de la lettre », the new text not given yet

    def changes_beside_summary(self) -> bool:
        """Something else than the summary is changed (its name, attachments, dates, insurer)."""
        return bool(self.name or self.attachments or self.answer_date or self.answer_date_missing or self.carrier)

    @property
    def changes(self) -> bool:
        return bool(self.summary or self.addition or self.name or self.attachments or self.answer_date
                    or self.answer_date_missing or self.carrier or self.summary_asked)


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text or "").strip(_QUOTES + ".,;:!-")
    text = text.strip(_QUOTES)
    return text[:1].upper() + text[1:] if text else ""


def _cut_instructions(text: str) -> tuple[str, str]:
    """The new text and the instructions typed after it (« … et ajoutez le courrier dans les pieces jointes »)."""
    quoted = re.match(r"\s*[«“\"]\s*(?P<q>[^»”\"]{15,})\s*[»”\"](?P<rest>.*)$", text, re.S)
    if quoted:
        return quoted["q"], quoted["rest"]
    cut = _P.instruction_after.search(text)
    return (text[:cut.start()], text[cut.end():]) if cut else (text, "")


def answer_date_in(text: str, today: date) -> date | None:
    """The date of the organisation's answer said in ``text`` (« CPMS m'a répondu le 20 septembre 2026 »), or None
    (a date that is not exact is not the answer's date)."""
    folded = fold_aligned(text or "")
    for said in _P.answer_said.finditer(folded):
        clause = re.split(r"[.;!?\n]", (text or "")[said.end():said.end() + 60], maxsplit=1)[0]
        found = exact_past_date(clause, today) if re.search(r"\d", clause) else None
        if found is not None:
            return found
    return None


def _name_in(raw: str) -> str | None:
    first = re.split(r"[.;!?\n]|\bet\b", raw, maxsplit=1)[0]
    return name_in(first) or leading_name(first) or clean_name(first.strip(" ,:"))


def read_letter_edit(text: str, today: date) -> LetterEdit | None:
    """The change ``text`` asks for in the letter just written, or None when it asks for none."""
    if not text or text.startswith("/"):
        return None
    summary = addition = name = None
    attachments: list[str] = []
    rest = text
    replaced = _P.replace_summary.search(text)
    if replaced:
        new, rest = _cut_instructions(replaced["new"])
        summary = _clean(new) or None
    elif (given := letter_summary_in(text)) is not None:
        new, rest = _cut_instructions(given)
        summary = _clean(new) or None
    named = _P.name.search(rest)
    if named:
        name = _name_in(named["name"])
    for found in _P.attachment.finditer(rest):
        what = re.sub(r"\s+", " ", found["what"]).strip(_QUOTES + ".,;:")
        attachments.append(what[:1].lower() + what[1:] if what[:2] != what[:2].upper() else what)
    if summary is None:
        added = _P.addition.search(rest)
        if added and not _P.attachment.search(added.group(0)):
            addition = _clean(_cut_instructions(added["what"])[0]) or None
    carried = _P.carrier.search(text)
    carrier = re.sub(r"\s+", " ", carried["carrier"]).strip(" .,;") if carried else None
    folded = fold_aligned(text)
    missing = bool(_P.answer_date_missing.search(folded))
    answered = answer_date_in(text, today) if (missing or not summary) else None
    edit = LetterEdit(summary=summary, addition=addition, name=name,
                      attachments=tuple(a for a in attachments if a), answer_date=answered,
                      answer_date_missing=missing, carrier=carrier,
                      summary_asked=summary is None and addition is None and bool(_P.summary_to_change.search(text)))
    return edit if edit.changes else None


def changes_the_letter(text: str, today: date) -> bool:
    """``text`` asks for a change of the letter (not only a date said, which may be the story's)."""
    edit = read_letter_edit(text, today)
    return edit is not None and bool(edit.summary or edit.addition or edit.name or edit.attachments
                                     or edit.answer_date_missing or edit.carrier or edit.summary_asked)


def _chat_only(sentence: story.Sentence) -> bool:
    """A sentence about the conversation or the letter, not the dispute (its story signs gone once the chat words
    are removed)."""
    if not _P.chat.search(sentence.normalised):
        return False
    rest = _P.chat.sub(" ", sentence.normalised)
    return len(story.signs(rest)) < 2


def _without_trailing_chat(sentence: str) -> str:
    """The sentence without the clauses typed after the dispute that tell none of it (« …, pas d autre mediateur, c
    une societe anonyme svp non je »: the letter states those facts on its own lines)."""
    clauses = re.split(r"(?<=\S),\s+", sentence)
    while len(clauses) > 1:
        last = normalise_text(clauses[-1])
        if story.signs(_P.chat.sub(" ", last)) and not _P.stated_elsewhere.search(last):
            break
        clauses.pop()
    return ", ".join(clauses)


def letter_story(messages: Sequence[str], today: date, *, insurer: bool = True) -> str:
    """The dispute told in the member's messages, for the letter: the story's sentences without the chat around
    them (the letter asked for, thanks, remarks about the conversation, corrections of the letter)."""
    kept: list[str] = []
    for message in messages:
        if changes_the_letter(message, today):
            continue  # a correction of the letter is applied, never told as the dispute
        parts = [_without_trailing_chat(s.text) for s in story.sentences(message) if not _chat_only(s)]
        if not parts or story.weight(story.sentences(" ".join(parts))) < 2:
            continue  # an answer to a question (« une mutuelle de la mutualité française »), not the story
        told = story.story_in(" ".join(parts), insurer=insurer)
        if told and not any(told in earlier for earlier in kept):
            kept = [earlier for earlier in kept if earlier not in told]
            kept.append(told)
    return " ".join(kept)


def applied(draft: dict | None, edit: LetterEdit) -> dict:
    """The letter's kept changes (a slot's dict: summary, name, attachments, answer_date) with ``edit`` applied."""
    out = dict(draft or {})
    if edit.summary:
        out["summary"] = edit.summary
    if edit.addition:
        base = out.get("summary") or out.get("told") or ""
        sentence = edit.addition if edit.addition.endswith((".", "!", "?")) else edit.addition + "."
        base = base.rstrip()
        if base and base[-1] not in ".!?…":
            base += "."
        out["summary"] = f"{base} {sentence}".strip()
    if edit.name:
        out["name"] = edit.name
    if edit.attachments:
        out["attachments"] = list(dict.fromkeys([*(out.get("attachments") or []), *edit.attachments]))
    if edit.answer_date:
        out["answer_date"] = edit.answer_date.isoformat()
    if edit.carrier:
        out["carrier"] = edit.carrier
    return out


def edits_the_letter(text: str, today: date, *, shown: bool, just_shown: bool = False) -> bool:
    """``text`` changes the letter shown earlier in the conversation: its summary, name, attachments, or (just after
    it, when nothing else was said since) the answer's date alone (« ils m'ont répondu le 20 septembre »)."""
    if not (shown or just_shown):
        return False
    edit = read_letter_edit(text, today)
    if edit is None:
        return False
    if edit.summary or edit.name or edit.attachments or edit.answer_date_missing or edit.carrier or edit.summary_asked:
        return True
    return just_shown and bool(edit.addition or edit.answer_date)


def wants_the_letter(text: str) -> bool:
    """The member asks for the referral letter in their own words (« Oui, je veux bien le modèle de lettre »,
    « Je souhaiterais obtenir un modèle de lettre svp »), not a question about needing it (« si je le fais en ligne
    j'ai quand même besoin de votre lettre ? ») nor a refusal (« non merci, pas de lettre »)."""
    folded = fold_aligned(text or "")
    if not folded or text.startswith("/") or not _P.letter_named.search(folded):
        return False
    if _P.letter_refused.search(folded) or _P.letter_question.search(folded):
        return False
    return bool(_P.letter_wish.search(folded))
