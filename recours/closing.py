"""Messages that only close the conversation (« non merci c'est tout, bonne journée », « ok thx bye »), and the
goodbye at the end of a longer one. No Rasa import."""

from __future__ import annotations

import re

from recours.patterns import patterns
from recours.slot_answers import folded_turn

__all__ = ["ANYTHING_ELSE", "GUIDANCE", "closing", "ends_with_goodbye"]

_P = patterns("reading")

# Messages made only of these words close the conversation (« non merci c'est tout, bonne journée », « ok thx bye »).
_CLOSING_WORDS = frozenset(
    "non nn nan no merci mercii mercie beaucoup bcp ok okay oki d accord daccord dac thx thanks thank you bye au revoir "
    "aurevoir bonne journee soiree fin de rien c est tout ca ira va bien parfait super top cool tres pour l instant "
    "le moment pas besoin plus autre chose madame monsieur bon alors a bientot vous remercie je ciao adieu voila "
    "entendu compris nickel genial et ce sera salue vous bonsoir nuit excellente belle fin cordialement "
    "votre patience aide note noté notee la reference j ai bien veuillez agreer mes salutations distinguees "
    "respectueuses sentiments meilleurs l expression recevoir prie salut".split()
)
_ENDING_WORDS = frozenset("revoir aurevoir bye ciao adieu journee soiree bientot tout rien ira besoin salue bonsoir "
                          "nuit cordialement salutations agreer".split())
# The bot turns that close a matter: a goodbye after them is a goodbye, whatever the member adds before it.
GUIDANCE = frozenset({"action_mediation_guidance", "action_cpam_guidance", "action_submit_complaint",
                       "action_referral_letter", "action_cpam_appeal_deadline"})
# Bot turns after which « non » / « non merci » ends the conversation.
ANYTHING_ELSE = frozenset({"utter_anything_else", "utter_you_are_welcome", "action_qualify_request",
                            "action_human_contact", "action_live_handoff", "utter_goodbye"})


def closing(text: str, last: str | None) -> str | None:
    """« goodbye » or « thank » for a message that only closes the conversation, else None."""
    words = _P.reference.sub(" ", folded_turn(text)).replace("?", " ").split()  # « je note la référence REC-… merci »
    if not words or len(words) > 16 or not all(w in _CLOSING_WORDS for w in words) or words == ["bonsoir"]:
        return None
    if words == ["salut"]:
        # « salut » opens a conversation, and closes one once the matter is dealt with
        return "goodbye" if last in ANYTHING_ELSE | GUIDANCE else None
    if _ENDING_WORDS.intersection(words):
        return "goodbye"
    if last in ANYTHING_ELSE and words[0] in ("non", "nn", "nan", "no"):
        return "goodbye"
    if {"merci", "mercii", "mercie", "thx", "thanks", "remercie"}.intersection(words):
        return "thank"
    return None


def ends_with_goodbye(text: str) -> bool:
    """The message's last sentence only says goodbye (« …, c'était juste pour noter. Au revoir »), no question."""
    if "?" in (text or ""):
        return False
    sentences = [p for p in re.split(r"[.!;\n]+", text or "") if p.strip()]
    if len(sentences) > 1 and folded_turn(sentences[-1]) in ("salut", "a plus", "a+", "bonne soiree", "bonne journee"):
        return True  # « bon ok j'attendrai le rappel. salut » (members' round 14): « salut » after something
    return bool(sentences) and closing(sentences[-1], None) == "goodbye"
