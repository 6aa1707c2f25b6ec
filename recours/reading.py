"""What a member's message means at this point of the conversation: the answer to the question asked, or a
clear interruption (issue 11).

The intent classifier reads a message alone; the member answers the question on the screen. « Germaine Rousseau »
is a name when the assistant has just asked for one, whatever intent the classifier finds in it (« Jeanne Petit »
came out as ``request_goodwill`` 0.997), and « non je continue » after « Voulez-vous vraiment abandonner ? » is a
« non ». So, while a question is pending, the text is first tried as its answer with the form's own validators
(``recours.facts``, ``recours.answers``, ``recours.dates``, ``recours.natures``); only a clear interruption —
stop, continue, help, a question about the data, a person, a correction — leaves the question, and the form then
asks it again. Everything else goes to the validator as an answer (``inform``), which says precisely what is wrong
instead of the classifier vetoing it.

No Rasa import: ``addons/understanding.py`` calls :func:`read_turn` with what it reads from the tracker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from recours import answers, cpam, glossary, mediators
from recours.closing import ANYTHING_ELSE, GUIDANCE, closing, ends_with_goodbye
from recours.human_contact import asks_callback, grievance_beside_callback
from recours.dates import DateError, parse_french_date
from recours.follow_ups import STATUS, read_follow_up, says_no_reference
from recours.routing import turns_to_the_organisation
from recours.recap import FIELDS, adds_to_description, field_from_text, recap_confirms
from recours.side_questions import SideQuestion, asks_where_to_send_documents, split_side_question
from recours.slot_answers import (
    FREE_TEXT_SLOTS, STATUS_SLOTS, YES_NO_SLOTS, answer_intent, dont_know, folded_turn, has_contact, is_date,
    only_a_phone,
)
from recours.letter_edits import edits_the_letter, wants_the_letter
from recours.patterns import patterns

__all__ = ["TurnContext", "interruption", "read_turn", "says_continue", "side_answer", "INTERRUPTIONS", "OFFERS"]

# Intents that leave a pending question (the form resumes after them).
INTERRUPTIONS = frozenset({
    "stop", "continue_form", "help", "ask_why_data", "ask_deadlines", "bot_challenge", "request_human", "correct",
    "request_callback",
})
# Bot actions after which a yes/no is expected (outside a form): the buttons are « Oui » / « Non ».
OFFERS = frozenset({
    "utter_ask_confirm_stop", "utter_offer_referral_letter", "utter_offer_record_complaint", "action_offer_complaint",
})

# Clear interruptions (recours/data/patterns_fr.yml, reading_cues), in the file's order.
_CUES = patterns("reading_cues")
_CUE_RES = tuple((intent, getattr(_CUES, intent)) for intent in _CUES.keys())
# Going on, said anywhere in the answer to « are you sure you want to stop? » (the « d'accord » before it is not a yes).
_GO_ON = re.compile(r"\b(?:on|je|nous) (?:continue|continu|reprend|y va)\b|\bcontinuons\b|\bon peut continuer\b|"
                    r"\b(?:je veux|je voudrais|j aimerais) continuer\b|\bon poursuit\b")
# Intents that only make sense as an answer to a question.
ANSWER_INTENTS = frozenset({"inform", "affirm", "deny", "dont_know", "correct", "continue_form"})
STATEMENT_WORDS = 8
# A message this long is an answer or a description, not a one-line interruption (except a request for a person).
SHORT_WORDS = 9

_P = patterns("reading")
_FORM = patterns("complaint_form")
_RECAP = patterns("recap")


@dataclass(frozen=True)
class TurnContext:
    """What the tracker says about the pending question."""

    active_loop: str | None = None
    requested_slot: str | None = None
    last_action: str | None = None  # the last bot action before this message (not action_listen)
    slots: Mapping[str, Any] = field(default_factory=dict)


def says_continue(text: str) -> bool:
    """« non pardon, je continue. oui réponse le 2 novembre »: the first sentence says to go on with the questions."""
    first = re.split(r"[.!;\n]", (text or "").strip(), maxsplit=1)[0]
    return bool(_CUE_BY_INTENT["continue_form"].search(folded_turn(first)))


def interruption(text: str) -> str | None:
    """The interruption intent a message clearly expresses, or None."""
    folded = folded_turn(text)
    if not folded:
        return None
    words = len(folded.split())
    short = words <= SHORT_WORDS or (folded.endswith("?") and words <= 2 * SHORT_WORDS)
    for intent, rx in _CUE_RES:
        if intent in ("request_human", "request_callback") or short:  # both anchored or specific enough
            if rx.search(folded):
                return intent
    first = re.split(r"[.!;\n]", text.strip(), maxsplit=1)[0]
    if not short and first != text.strip() and len(folded_turn(first).split()) <= 3:
        # « Arrêter. Je laisse tomber, le conseiller me rappelle demain… »: the first sentence says it
        for intent, rx in _CUE_RES:
            if intent in ("stop", "continue_form") and rx.search(folded_turn(first)):
                return intent
    last = re.split(r"(?<=[.!;?\n])\s*", text.strip())
    last = next((part for part in reversed(last) if part.strip()), "")
    if last != text.strip() and len(folded_turn(last).split()) <= 6:
        if _P.last_stop.match(folded_turn(last)):
            return "stop"  # « … l'option était pas encore activée. STOP j'en ai marre » (members' round 12)
        if _CUE_BY_INTENT["request_callback"].search(folded_turn(last)):
            return "request_callback"  # « c quoi ce numero 250 ?? … bon demander un rappel » (members' round 12)
    if not short:
        # « pourquoi vous avez besoin de ça ?? vous l'avez déjà normalement »: a short question in a longer message
        for question in re.findall(r"[^?.!]+\?", text):
            question = folded_turn(question)
            if len(question.split()) <= SHORT_WORDS:
                for intent, rx in _CUE_RES:
                    if intent in _QUESTION_CUES and rx.search(question):
                        return intent
    return None


_CUE_BY_INTENT = dict(_CUE_RES)
# The cues a short question inside a longer message may carry.
_QUESTION_CUES = frozenset({"ask_why_data", "bot_challenge", "help", "ask_deadlines"})


def side_answer(slot: str | None, text: str) -> SideQuestion | None:
    """The answer and the question of a message that answers ``slot`` and asks something (see
    ``recours.side_questions``); None when the message does not carry both. At the recap a question neither
    confirms nor corrects (it is answered, then the recap is shown again), and in a status check it is not split;
    in a free-text answer only a recognised question is taken apart (« …, vous trouvez ça normal ? » is part of the
    grievance)."""
    if not slot or slot in STATUS_SLOTS:
        return None
    side = split_side_question(text)
    if side is None or not side.answer or interruption(side.answer) in ("continue_form", "stop", "request_human"):
        return None  # « non je continue mais jpeux parler à qqun ? »: « non je continue » answers no question
    if slot == "recap_confirmed" and not recap_confirms(side.answer):
        return None  # « ok mais ils répondent en combien de temps ? » is a question, not a confirmation
    if slot in FREE_TEXT_SLOTS and side.kind == "other":
        return None
    return side


def leaves_the_status_check(text: str) -> bool:
    """A new complaint asked for while the status check waits for its proof (a story told there may carry the
    proof: it is not enough)."""
    return bool(_P.new_complaint_wish.search(folded_turn(text)))


def _edits_the_letter(ctx: TurnContext, text: str, today: date) -> bool:
    shown = bool((ctx.slots.get("referral_letter") or {}).get("shown"))
    return edits_the_letter(text, today, shown=shown, just_shown=ctx.last_action == "action_referral_letter")


def _exact_date(text: str, today: date) -> bool:
    try:
        return not parse_french_date(text, today).approximate
    except DateError:
        return False


def read_turn(ctx: TurnContext, text: str, intent: str | None, confidence: float | None, today: date) -> str | None:
    """The intent ``text`` has in ``ctx`` when it differs from the classifier's ``intent``; None keeps it.

    Payloads (« /affirm », buttons) are never reread: they say what they mean.
    """
    if not text or text.startswith("/"):
        return None
    cue = interruption(text)
    slot = ctx.requested_slot if ctx.active_loop else None
    if not ctx.active_loop and ctx.last_action == "utter_offer_referral_letter" and wants_the_letter(text):
        # « Je souhaiterais obtenir un modèle de lettre svp », « Oui, la lettre » at the letter's offer (members'
        # round 22: read as a service request, then a new complaint): the offer accepted
        return None if intent == "affirm" else _changed("affirm", intent)
    if not ctx.active_loop and _edits_the_letter(ctx, text, today):
        # « Le résumé est faux. Le litige c'est : … Vous pouvez corriger ? » (members' round 20: a new complaint was
        # started), « Le résumé devrait être : … », « mettez mon nom, … » (round 22): the letter again, changed
        # (actions/qualification.py)
        return None if intent == "complain" else _changed("complain", intent)
    if ctx.active_loop == "status_form" and slot and leaves_the_status_check(text):
        # « laissez tomber jrefais une reclamation. mon prelevement … 2x 64,10 … » during the status check (members'
        # round 21: « justificatif non reconnu » three times): the check stops, the request is qualified
        return None if intent == "complain" else _changed("complain", intent)
    if ctx.active_loop == "cpam_appeal_form" and slot and not _exact_date(text, today) and \
            turns_to_the_organisation(text):
        # « laissez tomber la secu. par contre CPMS me doit … je veux faire une reclamation » at the CPAM decision's
        # date (members' round 20: read as that date, three times): the CPAM's questions stop, the grievance is
        # qualified (actions/stopped_questions.py)
        return _changed("stop", intent)
    if ctx.active_loop == "callback_form" and not re.search(r"\d", text) and read_follow_up(text) is not None:
        # « annulez le rappel », « il me reste quel rappel ? » at the call-back's number question (a real conversation
        # on the end build: read as wrong numbers, the question asked six times): the new request stops here
        return _changed("stop", intent)
    if not ctx.active_loop and ctx.last_action in ("action_human_contact", "action_live_handoff") and \
            only_a_phone(text):
        return _changed("request_callback", intent)  # the number typed after « Demander un rappel » was offered
    if not ctx.active_loop and ctx.slots.get("complaint_outcome") == "refused_privacy" and \
            ctx.last_action == "action_submit_complaint" and answers.accepts_after_all(text):
        # « bon ok finalement jaccepte, faut bien que ca bouge » just after the notice was refused (members' round
        # 18): the complaint taken up again (actions/qualification.py), its statement kept
        return _changed("file_complaint", intent)
    if not ctx.active_loop and cue == "request_callback" and not ctx.slots.get("complaint_reference") and \
            grievance_beside_callback(text):
        # « … prélevée deux fois, le 5 et le 6 novembre. je voudrais faire une réclamation et qu'on me rappelle »
        # (members' round 17): the complaint is qualified and recorded, the call-back asked for right after it
        return None if intent in ("complain", "file_complaint") else _changed("complain", intent)
    if not ctx.active_loop and cue == "request_callback" and intent != "request_callback":
        return _changed("request_callback", intent)  # « je voudrais être rappelé s'il vous plaît »: the form at once
    if not ctx.active_loop and cue is None and ctx.slots.get("complaint_reference") and asks_callback(text) and \
            len(folded_turn(text).split()) <= 15 and "?" not in text.rstrip()[:-1] and intent != "request_callback" \
            and read_follow_up(text, recorded=True, booked=bool(ctx.slots.get("callback_booked"))) is None:
        # « je veux quon me rappelle alors, aujourdhui », « rappel cet aprem vers 15h » once the complaint is recorded
        # (members' round 21: the usual contact was given): the call-back form
        return _changed("request_callback", intent)
    follow_up = read_follow_up(text, recorded=bool(ctx.slots.get("complaint_reference")),
                               just_booked=ctx.last_action in ("action_submit_callback",),
                               just_cancelled=bool(ctx.slots.get("callback_just_cancelled")),
                               booked=bool(ctx.slots.get("callback_booked"))) \
        if not ctx.active_loop else None
    if follow_up is not None:
        # « décalez le rappel à jeudi », « changez mon numéro sur ma réclamation »: something recorded is to be
        # changed, not a person asked for nor a new grievance (actions/follow_ups.py, via the qualification);
        # « ma femme a fait une réclamation…, où ça en est » is a status check
        return _changed("check_status" if follow_up.kind == STATUS else "request_service", intent)
    if cue == "request_human" and len(folded_turn(text).split()) > SHORT_WORDS and (slot in FREE_TEXT_SLOTS or not slot) \
            and not text.rstrip().endswith("?") and not _P.person_first.search(folded_turn(text)):
        cue = None  # « j'ai demandé à parler à un conseiller et personne ne m'a rappelé » is a grievance
    if slot == "recap_confirmed" and cue in ("request_human", "request_callback") and adds_to_description(text):
        # « attendez j'avais pas fini !! vous avez pas noté que je veux être rappelée le midi » (members' round 16):
        # an addition to the recap, the form validates it
        return _changed("correct", intent)
    if slot == "recap_confirmed" and asks_callback(text) and recap_confirms(re.split(r"[,.;!]|\s+et\s+", text)[0]):
        return _changed("affirm", intent)  # « je confirme, et rappelez-moi demain »: recorded, then the call-back
    if slot == "privacy_accepted" and cue == "request_callback" and intent != "request_callback":
        # « Je ne sais pas trop. Plutôt que d'écrire tout cela, est-ce qu'une personne pourrait me rappeler ? »
        # before anything is collected: the call-back now, the complaint afterwards if wanted (members' round 12)
        return _changed("request_callback", intent)
    if slot == "contact" and cue == "request_callback" and _P.reach_me.search(folded_turn(text)) and \
            not asks_callback(text) and has_contact(text):
        # « Vous pouvez me téléphoner au 06 00 00 00 41, de préférence le matin » (members' round 18): the answer,
        # how to be reached; no call-back was asked for
        return _changed("inform", intent)
    if slot == "contact" and _FORM.given_phone.search(folded_turn(text).replace("'", " ")):
        # « le même numéro que pour le rappel » (members' round 17): an answer, not a call-back asked for
        return _changed("inform", intent)
    side = side_answer(slot, text) if slot else None
    if side is not None and slot == "recap_confirmed" and _RECAP.before_confirming.search(folded_turn(text).replace("'", " ")):
        side = None  # « c'est bon. Avant de valider : j'ai jusqu'à quand … ? » (members' round 19): the question first
    if side is not None:
        # « Germaine Rousseau. Au fait ils ont combien de temps ? »: the answer is validated as such, and the form
        # answers the question before its next one (actions/side_answers.py)
        answer = answer_intent(slot, side.answer, today)
        if answer:
            return _changed(answer, intent)
    if slot and glossary.asked_term(text) is not None and len(folded_turn(text).split()) <= 2 * SHORT_WORDS:
        return _changed("help", intent)  # « c'est quoi un souscripteur ? »: explained, then asked again
    if slot and slot != "recap_confirmed" and _P.correction_start.match(folded_turn(text)) and field_from_text(text):
        # « corriger la description : … », however long, during the form: a correction with its value
        return _changed("correct", intent)
    wish = _P.correction_wish.search(folded_turn(text)) if slot and slot != "recap_confirmed" else None
    named = field_from_text(folded_turn(text)[wish.end():]) if wish else None
    if named is not None and slot not in FIELDS[named].slots:
        # « … je veux corriger la description pas le tel » at the contact question (members' round 20: read as a
        # contact without a number, twice): the other field is corrected
        return _changed("correct", intent)
    if slot:
        return _read_answer(ctx, slot, text, intent, confidence, cue, today)
    return _read_after_bot(ctx, text, intent, cue, today)


def _read_answer(ctx: TurnContext, slot: str, text: str, intent: str | None, confidence: float | None,
                 cue: str | None, today: date) -> str | None:
    """The intent of a message typed while ``slot`` is asked: its answer, or a clear interruption."""
    answer = answer_intent(slot, text, today)
    if slot == "status_reference" and says_no_reference(text):
        return _changed("inform", intent)  # « Vous pouvez la retrouver avec mon nom ? »: answered by the check
    if slot in STATUS_SLOTS and answer is None and cue is None:
        # The status check is not a trap: « Au revoir », or a new complaint typed in full, leave it
        if closing(text, "utter_anything_else"):
            return _changed("goodbye", intent)
        if len(folded_turn(text).split()) >= STATEMENT_WORDS or (
                slot == "status_reference" and intent == "file_complaint" and (confidence or 0) >= 0.8):
            return _changed("complain", intent)
    if answer is None and cue is None and closing(text, "utter_anything_else") == "goodbye":
        return _changed("stop", intent)  # « au revoir » mid-form: leaving is confirmed, nothing is lost unasked
    if slot == "recap_confirmed":
        if recap_confirms(text):
            # « Je confirme. Et la facture, où dois-je l'envoyer ? », « Mais je vous ai dit que je confirmais ! »
            return _changed("affirm", intent)
        if re.search(r"\b(?:revenir|retour|retourner)\b", folded_turn(text)):
            return _changed("deny", intent)  # « Revenir au récapitulatif »
        if text.rstrip().endswith("?") and _P.polite_change.search(folded_turn(text)) and (
                field_from_text(text) or adds_to_description(text) or
                re.search(r"\b(?:description|ajout\w*|rajout\w*)\b", folded_turn(text))):
            # « Pouvez-vous la corriger s'il vous plaît ? » after naming the line (members' round 19): a correction
            return _changed("correct", intent)
        if text.rstrip().endswith("?") and cue not in ("correct", "stop", "request_human"):
            # « ok mais ils répondent en combien de temps ? », « 200 % du tarif sécu ? »: neither a yes nor a
            # correction; answered, then the recap again
            return _changed("ask_deadlines" if cue == "ask_deadlines" or re.search(
                r"\b(?:combien de temps|delai|quand)\b", folded_turn(text)) else "help", intent)
        if field_from_text(text) and cue != "stop":
            return _changed("inform", intent)  # a field named (« Coordonnées »): the validator clears it
        if cue in ("correct", "stop", "request_human", "help"):
            return _changed(cue, intent)
        if answer:
            return _changed(answer, intent)
        if _P.none_or_no.search(folded_turn(text)):
            return _changed("deny", intent)
        return None if intent in INTERRUPTIONS | {"affirm", "deny"} else _changed("inform", intent)
    if slot in YES_NO_SLOTS and answer in ("affirm", "deny") and cue == "request_human" and \
            answers.parse_yes_no(_first_clause(text)) is not None:
        return _changed(answer, intent)  # « oui j'accepte. mais je voudrais quelqu'un au téléphone »: the answer
    if cue == "help" and answer == "inform" and slot not in FREE_TEXT_SLOTS and text.rstrip().endswith("?"):
        return _changed("help", intent)  # « c'est quoi la différence entre remboursement et autre prestation ? »
    if slot == "privacy_accepted" and cue == "continue_form" and not _FORM.refusal_words.search(
            _FORM.leading_no.sub("", folded_turn(text).replace("'", " "))):
        # « Non finalement on continue ici, j'accepte » after « je préfère parler à un conseiller » (members'
        # round 17): going on with the questions is accepting the notice
        return _changed("affirm", intent)
    if cue and not (answer == "inform" and cue in ("correct", "help") and slot not in FREE_TEXT_SLOTS):
        # « je m'appelle … » is not a correction; « c'est quoi un NIR ? » is a question, not a NIR
        if answer is None or slot in FREE_TEXT_SLOTS or cue in ("stop", "continue_form", "request_human",
                                                               "request_callback"):
            return _changed(cue, intent)
    if answer:
        return _changed(answer, intent)
    words = len(folded_turn(text).split())
    if intent in INTERRUPTIONS and (confidence or 0) >= 0.8 and (
        words <= SHORT_WORDS or (text.rstrip().endswith("?") and words <= 2 * SHORT_WORDS)
    ):
        return None  # the classifier is sure of an interruption the lexicon does not know
    if intent in ("affirm", "deny", "dont_know") and slot not in YES_NO_SLOTS:
        return None  # the validator reads « non » / « je ne sais pas » for this slot
    if text.rstrip().endswith("?"):
        return _changed("help", intent)
    return _changed("inform", intent)


def _read_after_bot(ctx: TurnContext, text: str, intent: str | None, cue: str | None, today: date) -> str | None:
    """The intent of a message typed with no question pending, read against the bot's last turn (an offer, a
    guidance, the qualification's question)."""
    last = ctx.last_action
    if last in ("action_mediation_guidance", "utter_offer_referral_letter") and ctx.slots.get("carrier_type") and \
            cue not in ("stop", "request_human", "request_callback") \
            and len(folded_turn(text).split()) <= 3 * SHORT_WORDS and \
            mediators.carrier_type_in(folded_turn(text)) not in (None, ctx.slots.get("carrier_type")):
        # « C'est une société d'assurance, régie par le Code des assurances » after the guidance named the CTIP
        return _changed("inform", intent)
    if last in OFFERS:
        if last == "utter_ask_confirm_stop":
            # « non je continue, ça sert à rien d'appeler » : the start of the answer decides, whatever follows
            head = _first_clause(text)
            start = interruption(head)
            if cue == "continue_form" or start == "continue_form" or _GO_ON.search(folded_turn(text)):
                # (« bon d'accord on continue » after « laissez tomber c'est trop compliqué »: members' round 24,
                # m24-E-03, read as the stop confirmed and the complaint erased)
                return _changed("deny", intent)
            if cue == "stop" or start == "stop":
                return _changed("affirm", intent)
            head_yes_no = answers.parse_yes_no(head)
            if head_yes_no is not None:
                return _changed("affirm" if head_yes_no else "deny", intent)
        yes_no = answers.parse_yes_no(text)
        if yes_no is not None and len(folded_turn(text).split()) <= SHORT_WORDS:
            return _changed("affirm" if yes_no else "deny", intent)
        head = _first_clause(text)
        head_yes_no = answers.parse_yes_no(head) if head != text and cue is None else None
        if head_yes_no is not None and len(folded_turn(head).split()) <= SHORT_WORDS:
            # « oui la lettre svp. Je dois mettre le devis avec ? » (members' round 13): the offer taken, not a new
            # request read from the question after it
            return _changed("affirm" if head_yes_no else "deny", intent)
    if last == "action_mediation_guidance" and ctx.slots.get("mediation_status") == "carrier_unknown" and \
            cue not in ("stop", "request_human", "request_callback") and (not text.rstrip().endswith("?") or _P.dont_know.search(
                folded_turn(text)) or re.search(r"\b(?:jsp|sais pas|sais rien|aucune idee)\b", folded_turn(text))) and \
            (len(folded_turn(text).split()) <= 2 * SHORT_WORDS or mediators.carrier_type_in(folded_turn(text)) is not None
             or (_P.dont_know.search(folded_turn(text)) and len(folded_turn(text).split()) <= 4 * SHORT_WORDS)) \
            and _P.carrier.search(folded_turn(text)):
        # (a long answer naming a clear legal form counts too: « D'après la notice, c'est une « institution de
        # prévoyance régie par le Code de la sécurité sociale ». Mais deux mois, c'est long »)
        if re.search(r"\b(?:cpam|secu|securite sociale|assurance maladie|ameli|caisse)\b", folded_turn(text)) and \
                mediators.carrier_type_in(folded_turn(text)) is None:  # « régie par le code de la sécurité sociale »: an IP
            return _changed("complain", intent)  # « mais non c'est la CPAM, pas ma mutuelle ! »: requalified
        return _changed("inform", intent)  # the type of the risk carrier, typed (« Une mutuelle », « je sais pas »)
    if last == "action_cpam_guidance" and is_date(text, today) and len(folded_turn(text).split()) <= SHORT_WORDS:
        return _changed("ask_cpam_appeal", intent)
    if last in ("action_cpam_appeal_deadline", "action_cpam_guidance") and ctx.slots.get("cpam_decision_medical") \
            is not None and len(folded_turn(text).split()) <= 2 * SHORT_WORDS and \
            cpam.decision_kind_said(folded_turn(text)) not in (None, ctx.slots.get("cpam_decision_medical")):
        # « mais c pas medical c administratif » after the CMRA deadline: the deadline again, for the right commission
        return _changed("ask_cpam_appeal", intent)
    route = ctx.slots.get("qualification_route") if last == "action_qualify_request" else None
    if route in ("ask_body", "describe") and cue not in ("stop", "request_human", "help", "bot_challenge"):
        # the answer to « Sécurité sociale ou prévoyance ? », or the grievance after « Décrivez… »
        return _changed("inform" if route == "ask_body" else "complain", intent)
    if route == "clarify":
        folded = folded_turn(text)
        if re.search(r"\b(?:mecontent\w*|pas content\w*|insatisfait\w*|pas satisfait\w*|reclamation|plainte|"
                     r"oui)\b", folded) and not re.search(r"\b(?:information|infos?|renseignement)\b", folded):
            return _changed("complain", intent)
        if re.search(r"\b(?:information|infos?|renseignement|question|savoir)\b", folded):
            return _changed("ask_information", intent)
    closed = closing(text, last)
    if closed:
        return _changed(closed, intent)
    if asks_where_to_send_documents(text) and intent in (None, "check_status", "complain", "file_complaint",
                                                          "request_service", "inform", "nlu_fallback"):
        # « Mes documents… je les envoie où ? » after a status check: where to send them (no identity check, no new
        # complaint) — the qualification answers it
        return _changed("ask_information", intent)
    if (ctx.slots.get("complaint_reference") or last in ANYTHING_ELSE | GUIDANCE or (
            not ctx.active_loop and _P.dismissal.match(folded_turn(text)))) and ends_with_goodbye(text):
        # « non je n'ai rien demandé, c'était juste pour noter. Au revoir » once the matter is dealt with; « laissez
        # tomber, je mettrai le bon montant dans le mail avec la facture. au revoir » (members' round 16) anywhere
        return _changed("goodbye", intent)
    if cue in ("request_human", "stop", "continue_form") and intent != cue:
        return cue
    if intent == "help" and cue != "help" and len(folded_turn(text).split()) >= STATEMENT_WORDS:
        # « slt la cpam veut pas me rembourser mon kiné, je peux faire quoi ? »: a need stated with a plea for help
        # is a statement of need, not a request for the assistant's menu (the qualification reads it)
        return "nlu_fallback"
    if intent in ANSWER_INTENTS and len(folded_turn(text).split()) >= STATEMENT_WORDS:
        # A long message with no question pending is a statement of need (« je m'appelle …, mon numéro …, ma
        # mutuelle a prélevé deux fois »), not an answer: the qualification reads it (nlu_fallback's rule).
        return "nlu_fallback"
    return None


def _first_clause(text: str) -> str:
    """« non je continue » of « non je continue, ça sert à rien d'appeler »."""
    return re.split(r"[,;.!?:]| mais | car | parce que | sinon ", text or "", maxsplit=1)[0]


def _changed(new: str, old: str | None) -> str | None:
    return None if new == old else new
