"""A question asked alongside an answer (issue 11): « Germaine Rousseau. Au fait ils ont combien de temps pour me
répondre ? », « non, et le médiateur c'est quoi ? ».

A member often answers the pending question and asks something in the same message. Both parts count: the answer
is validated as the answer, and the question is answered before the next question. This module splits a message
into the two and says what kind of question it is; the action server words the reply. No Rasa import.

A message that is only a question is not split (the answer part is empty): the reading in context
(``recours.reading``) handles it as an interruption, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from recours.answers import fold
from recours.text import fold_aligned
from recours.patterns import patterns

__all__ = ["SideQuestion", "split_side_question", "question_kind", "asks_where_to_send_documents", "KINDS"]

# The kinds answered in the form; "other" gets the pointer to the organisation's usual contact.
KINDS = ("mediator_delay", "deadlines", "refund_when", "human", "why_data", "mediator_powers", "mediator", "registered_letter", "documents", "glossary",
         "cpam", "cpam_appeal", "phone_counts", "court_after", "time_limit", "data_rights", "cost", "who_reads", "callback_status", "callback", "how_many",
         "outcome", "pay_meanwhile", "no_card", "notify_how", "whose_name", "written_counts", "member_number_ok",
         "which_nature", "vitale_lost", "not_reimbursed", "refusal_effect", "dates_right", "how_many_letters",
         "letter_model", "faster", "online_or_post", "other")

_P = patterns("side_questions")

SIDE_QUESTIONS_FILE = Path(__file__).parent / "data" / "side_questions_fr.yml"


@lru_cache(maxsize=1)
def kind_patterns(path: Path = SIDE_QUESTIONS_FILE) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The kinds of recours/data/side_questions_fr.yml with their patterns joined, in the file's order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple((entry["kind"], re.compile("|".join(entry["patterns"]))) for entry in data["kinds"])


def kind_examples(path: Path = SIDE_QUESTIONS_FILE) -> list[tuple[str, str]]:
    """(example, kind) for every example of the data file, for its tests."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(example, entry["kind"]) for entry in data["kinds"] for example in entry.get("examples", [])]


@dataclass(frozen=True)
class SideQuestion:
    """``answer``: the message without the question (may be empty); ``question``: the question as typed."""

    answer: str
    question: str
    kind: str


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text).replace("'", " ").replace("-", " ")).strip()


def question_kind(question: str) -> str:
    """What a question asks about (one of :data:`KINDS`)."""
    from recours import cpam, glossary  # glossary imports answers too; kept local to stay import-light

    folded = _folded(question)
    defined = glossary.defined_term(question)
    if defined is not None and defined.key != "mediator":  # the mediator's own answer says more (its kinds below)
        return "glossary"  # « qu'entendez-vous par « prescription » ? »: the word's meaning (members' round 20)
    for kind, rx in kind_patterns():
        if rx.search(folded):
            return kind
    if glossary.asked_term(question) is not None:
        return "glossary"
    if _P.reimbursement_asked.search(folded) and cpam.not_reimbursed_fr(folded, "") is not None:
        return "not_reimbursed"  # « le chiro c'est sécu ou mutuelle qui rembourse ? » (members' round 16)
    if _P.cpam.search(folded):
        return "cpam"  # « et pour l'ameli je dois créer un compte ? »: the Assurance Maladie's
    return "other"


def _sentences(text: str) -> list[str]:
    """The message cut after each « ? », « ! », « . », « ; » (a question mark stays with its sentence)."""
    parts = re.split(r"(?<=[?!.;])\s+|\n+", text.strip())
    return [p.strip() for p in parts if p and p.strip()]


# A condition that opens a question (« si je refuse, … ? »), at the start of the sentence's head or after a colon or
# a comma.
_CONDITION = re.compile(r"(?:^|[,;:]\s*)((?:et |mais |alors |donc )?si (?!oui\b|non\b|je comprends|j[’' ]ai bien compris|"
                        r"possible|besoin|vous (?:voulez|le voulez|pr[ée]f[ée]rez))\w.*)$", re.I)
# A lead that answers nothing (« Avant de confirmer : … ? »).
_BEFORE_ANSWERING = re.compile(r"\W*(?:(?:mais|alors|bon|ok|d'accord|juste)\W+)*avant (?:de |d[’'] ?)(?:confirmer|valider|"
                               r"accepter|enregistrer|continuer|signer|r[ée]pondre|tout envoyer)\W*", re.I)


def split_side_question(text: str) -> SideQuestion | None:
    """The answer and the question of a message that carries both, or None.

    « Germaine Rousseau. Au fait ils ont combien de temps pour me répondre ? » → answer « Germaine Rousseau. »,
    question « Au fait ils ont combien de temps pour me répondre ? », kind ``deadlines``.
    A message that is only a question gives an empty answer; a message without a question gives None.
    """
    if not text or text.startswith("/"):
        return None
    sentences = _sentences(text)
    answer_parts: list[str] = []
    question_parts: list[str] = []
    for sentence in sentences:
        if question_parts:
            if _P.answer_after.search(_folded(sentence)) or "@" in sentence:
                # « je peux vous donner mon numéro d'adhérent ? c'est 40018273 », « … ça compte ? sinon nn »: the
                # answer typed after the question (members' round 12)
                answer_parts.append(re.sub(r"^(?:sinon|bref|donc)\W+", "", sentence, flags=re.I))
                continue
            question_parts.append(sentence)  # what follows the question belongs to it (« …? je suis pressée »)
            continue
        if sentence.endswith("?"):
            # « non, et le médiateur c'est quoi ? »: the question may start inside the sentence
            head, question = _cut_inside(sentence)
            condition = _CONDITION.search(head)
            if condition:
                # « Si je refuse, est-ce que mon dossier sera bloqué ? », « … : si vous ne me répondez pas, puis-je … ? »
                # (members' round 20: « si je refuse » read as the notice's answer): the condition is the question's
                question = f"{head[condition.start(1):]}, {question}"
                head = head[:condition.start(1)].strip(" ,;:")
            if head:
                answer_parts.append(head)
            question_parts.append(question)
            continue
        head, question = _cut_inside(sentence)
        if question and head:
            # « Paul Durand et ça prend combien de temps » (SMS style, no question mark)
            answer_parts.append(head)
            question_parts.append(question)
            continue
        wish = _P.human_wish.search(fold_aligned(sentence)) or _P.callback_wish.search(fold_aligned(sentence))
        if wish and (answer_parts or wish.start() > 0):
            # « OUI. mais je veux parler a quelqu'un de vrai »: the answer, then a wish for a person (no « ? »)
            cut = wish.start()
            if sentence[:cut].strip(" ,;:"):
                answer_parts.append(sentence[:cut].strip(" ,;:"))
            question_parts.append(sentence[cut:].strip())
            continue
        answer_parts.append(sentence)
    if not question_parts:
        return None
    question = " ".join(question_parts)
    answer = " ".join(answer_parts).strip(" ,;:")
    if _P.filler.match(_folded(answer)) or _BEFORE_ANSWERING.fullmatch(answer):
        answer = ""  # « Attendez, est-ce que je pourrais parler à quelqu'un ? »: « Attendez » answers nothing
        # (« Avant de confirmer : … ? » neither: members' round 20, the recap was taken as confirmed)
    return SideQuestion(answer=answer, question=question, kind=question_kind(question))


def _cut_inside(sentence: str) -> tuple[str, str]:
    """(head, question) of one sentence: « non, et le médiateur c'est quoi ? » → (« non », « et le médiateur c'est
    quoi ? »); (« », sentence) when the whole sentence is the question; (sentence, « ») when it has none.

    The question starts after a comma or before « et / mais / au fait / sinon », where the rest starts with one of
    those or with a question word. Without a question mark, only a rest starting with a question word counts
    (« Paul Durand et ça prend combien de temps »)."""
    marked = sentence.endswith("?")
    for cut in re.finditer(r",\s*|\s+(?=(?:et|mais|au fait|sinon|d'ailleurs|d ailleurs)\b)", sentence, flags=re.I):
        head = sentence[:cut.start()].strip(" ,;:")
        rest = sentence[cut.end():].strip(" ,;:")
        if not head or not rest:
            continue
        folded_rest = _folded(rest)
        bare = _P.lead.sub("", folded_rest + " ").strip()
        if (marked and _P.question_words.match(bare)) or _P.clear_question_words.match(bare) or (marked and bare != folded_rest and not _P.question_words.match(_folded(head))) \
                or (marked and _P.short_answer.match(_folded(head))):
            return head, rest
    if marked:
        return "", sentence
    return sentence, ""


def lead_stripped(question: str) -> str:
    """« et le médiateur c'est quoi ? » without its « et »."""
    return _P.lead.sub("", _folded(question))


def asks_where_to_send_documents(text: str) -> bool:
    """The member asks how or where to send documents (a question or a wish), not tells that they were sent."""
    if question_kind(text) != "documents":
        return False
    # the question or the wish itself is about documents: « J'ai envoyé la facture à CPMS … C'est la faute à qui
    # là ? » asks who is at fault (members' round 10)
    # « je voudrais faire une réclamation : … alors que je l'ai envoyée deux fois » is a new complaint (round 12)
    return any((sentence.endswith("?") or (_P.wants.match(_folded(sentence)) and _P.to_send.search(_folded(sentence))))
               and question_kind(sentence) == "documents" and not _P.new_complaint.search(_folded(sentence))
               for sentence in _sentences(text))


