"""What a member wants done with a complaint or a call-back already recorded (issue 11, rounds 8 and 9).

« il faut changer le téléphone sur ma réclamation, le mien c'est le 06… », « le rappel de demain, vous pouvez le
mettre sur le 06… ? », « annulez le rappel, j'appellerai moi-même », « où en est ma réclamation ? Je n'ai pas la
référence, vous pouvez la retrouver avec mon nom ? »: none of these is a new grievance. This module reads them;
actions/follow_ups.py carries them out (the store changes only what the conversation owns, or what the member has
just proved is theirs).

A follow-up names something already recorded (« ma réclamation », « la réclamation d'octobre », REC-…, « le
rappel », RAP-…) and says what to do with it. A message that only complains (« ma réclamation est restée sans
réponse ») is not one: it goes on to the qualification as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recours import contact as contact_mod
from recours.text import fold_aligned

CHANGE_CONTACT, CANCEL_CALLBACK, MOVE_CALLBACK = "change_contact", "cancel_callback", "move_callback"
NO_REFERENCE, STATUS, CALLBACK_STATUS = "no_reference", "status", "callback_status"

# REC-2026-7K4F9Q, RAP-2026-Y8EPFZ, typed with spaces, dots or without dashes.
_REFERENCE = re.compile(r"(?<![A-Za-z0-9])(REC|RAP)[\s._\-]*(\d{4})[\s._\-]*([A-Za-z0-9]{6})(?![A-Za-z0-9])", re.I)

# Something recorded before, named (folded text).
_EXISTING_COMPLAINT = re.compile(
    r"\b(?:ma|la|cette|mon|notre) (?:premiere |precedente |derniere |ancienne )?(?:reclamation|plainte|dossier)\b"
    r"|\breclamation (?:que j ai|deja|enregistree|faite|d octobre|de tout a l heure|de ce matin|d hier|du \d)"
    r"|\bcelle (?:que j ai|d octobre|de tout a l heure|deja)\b|\brec \d{4}\b"
    r"|\b(?:j ai|il a|elle a|nous avons|on a|ma femme a|mon mari a|mon fils a|ma fille a) (?:deja )?(?:fait|depose|"
    r"envoye|enregistre) une reclamation\b"
)
_EXISTING_CALLBACK = re.compile(
    r"\b(?:le|mon|ce|du|au|votre) (?:rappel|rendez vous telephonique|rdv telephonique|rendez vous|rdv)\b"
    r"|\b(?:rappel|appel) (?:de|prevu|demande|programme)\w* (?:demain|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"ce|cet|a)\b|\brap \d{4}\b"
)
# What is to be changed: the member's contact details.
_CONTACT_WORDS = (r"(?:numero|num|n°|tel|telephone|portable|mobile|fixe|mail|e mail|email|courriel|adresse mail|"
                  r"adresse e mail|coordonnees)")
_CHANGE_CONTACT = re.compile(
    r"\b(?:chang\w*|modifi\w*|corrig\w*|rectifi\w*|remplac\w*|ajout\w*|rajout\w*|mettre a jour|mettez a jour|mets a jour|actualis\w*|"
    r"mettre|mettez|mets|mettiez|noter|notez|note|indiquer|indiquez)\b.{0,60}\b" + _CONTACT_WORDS + r"\b"
    r"|\b" + _CONTACT_WORDS + r"\b.{0,40}\b(?:a change|n est plus (?:le )?bon|est faux|etait faux|pas le bon|"
    r"pas le mien|errone|le bon c est|c est (?:le|celui) de mon mari|celui de ma femme)"
    r"|\ble (?:mien|bon) c est\b|(?:0|\+33|33)[\d .]{8,}\W*(?:c est )?(?:le bon|le mien|le nouveau)\b|\bc est (?:le|mon) (?:nouveau|bon) (?:numero|mail|tel)\b"
    r"|\b(?:mettre|mettez|mets|mettiez|passer|basculer)\b.{0,30}\bsur (?:le|ce|mon) (?:0|\+33)"
)
_CANCEL = re.compile(
    r"\b(?:annul\w*|supprim\w*|retir\w*|decommand\w*|plus besoin d(?:u| etre)? ?(?:rappel|rappele\w*)|"
    r"pas la peine de (?:me )?rappeler|ne (?:me )?rappelez pas|inutile de (?:me )?rappeler)\b"
)
_MOVE = re.compile(
    r"\b(?:decal\w*|deplac\w*|report\w*|avanc\w*|repouss\w*|change\w* (?:l heure|le jour|le creneau|l horaire|"
    r"la date)|un autre (?:jour|creneau|moment|horaire)|plutot (?:a|vers|le|demain|lundi|mardi|mercredi|jeudi|"
    r"vendredi|samedi|l apres|le matin)|(?:mettre|mettez|mets|passer|passez|caler|calez|programmer|programmez)\b"
    r".{0,12}\b(?:a |au |le |pour |vers )?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|demain|\d{1,2} ?h))\b"
)
# « je n'ai pas la référence », « vous pouvez la retrouver avec mon nom ? », « avec mon numéro d'adhérent ».
_NO_REFERENCE = re.compile(
    r"\b(?:pas|plus|perdu|oublie|egare|retrouve pas|sais pas|aucune idee)\b.{0,30}\b(?:reference|numero de (?:la )?"
    r"reclamation|ref)\b|\b(?:reference|ref)\b.{0,30}\b(?:perdu\w*|oublie\w*|egare\w*|je ne l ai pas|je l ai plus|"
    r"pas note\w*)"
    r"|\b(?:retrouver|rechercher|chercher|trouver|retrouvez|cherchez)\b.{0,30}\b(?:avec|par|grace a|a partir de) "
    r"(?:mon|ma|mes) (?:nom|numero|adherent|date de naissance|secu|mail|adresse|telephone)\b"
)
# « non », « pas jeudi », « plutôt », « finalement »: another moment than the one just booked…
_ANOTHER_TIME = re.compile(r"^\W*(?:non|nan|nn|ah non|mais non)\b|\bpas (?:le |ce )?(?:lundi|mardi|mercredi|jeudi|vendredi|"
                           r"samedi|demain|matin|midi|apres midi|\d)|\bplutot\b|\bfinalement\b|\ben fait\b|\berreur\b")
# … with a moment named.
_WHEN = re.compile(r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|demain|matin|apres midi|midi|soir|\d{1,2} ?h)\b"
                   r"|\b\d{1,2}(?:er)? (?:decembre|janvier|fevrier|novembre)\b")
# « le rappel de vendredi est toujours prévu ? », « vous me rappelez à quelle heure ? ».
_CALLBACK_STATUS = re.compile(r"\b(?:toujours prevu|bien prevu|est prevu|prevu quand|maintenu|confirme\w*|a quelle heure|"
                              r"quel jour|quand|toujours bon|toujours valable|(?:est|reste) valable|gardez (?:bien )?"
                              r"(?:le|mon) rappel)\b")
_STATUS = re.compile(r"\b(?:ou en est|ou en sont|ou ca en est|ou elle en est|ou on en est|suivre|suivi|avancement|en cours|toujours ouverte|statut|"
                     r"traitee|a ete (?:traitee|vue|lue)|quelqu un (?:s en )?occupe)\b")


@dataclass(frozen=True)
class FollowUp:
    """A request about something recorded before: the complaint, the call-back or both (« changez-le sur la
    réclamation et pour le rappel »). ``email`` / ``phone``: the new contact typed with it."""

    kind: str  # CHANGE_CONTACT, CANCEL_CALLBACK, MOVE_CALLBACK, NO_REFERENCE
    complaint: bool = False
    callback: bool = False
    complaint_reference: str | None = None  # REC-… named in the message, normalised
    callback_reference: str | None = None  # RAP-…
    email: str | None = None
    phone: str | None = None  # E.164

    @property
    def new_contact(self) -> bool:
        return bool(self.email or self.phone)


def references_in(text: str) -> list[str]:
    """Every complaint or call-back reference in ``text``, normalised (``REC-2026-7K4F9Q``)."""
    return [f"{m.group(1).upper()}-{m.group(2)}-{m.group(3).upper()}" for m in _REFERENCE.finditer(text or "")]


def new_contact_in(text: str) -> tuple[str | None, str | None]:
    """The e-mail address and phone number in ``text`` (either may be None); none when unreadable or two of a
    kind (the member is asked, not guessed at)."""
    without_references = _REFERENCE.sub(" ", text or "")
    try:
        found = contact_mod.parse_contact(without_references)
    except contact_mod.InvalidContact:
        return None, None
    return found.email, found.phone


def read_follow_up(text: str, *, recorded: bool = False, just_booked: bool = False) -> FollowUp | None:
    """The follow-up ``text`` asks for, or None when it asks for none (see the module docstring). ``recorded``:
    a complaint was recorded or checked in this conversation, so « mon numéro a changé : 06… » is about it;
    ``just_booked``: a call-back was booked by the previous answer, so « non VENDREDI 4 décembre, pas jeudi ! »
    moves it."""
    folded = fold_aligned(text or "")
    references = references_in(text)
    complaint_ref = next((r for r in reversed(references) if r.startswith("REC-")), None)
    callback_ref = next((r for r in reversed(references) if r.startswith("RAP-")), None)
    callback = bool(_EXISTING_CALLBACK.search(folded) or callback_ref)
    complaint = bool(_EXISTING_COMPLAINT.search(folded) or complaint_ref)
    if recorded and not callback:
        complaint = complaint or bool(re.search(r"\b" + _CONTACT_WORDS + r"\b", folded))
    if just_booked and _ANOTHER_TIME.search(folded) and _WHEN.search(folded):
        callback = True
        if not _CANCEL.search(folded) and not _CHANGE_CONTACT.search(folded):
            return FollowUp(MOVE_CALLBACK, callback=True, callback_reference=callback_ref)
    named = {"complaint_reference": complaint_ref, "callback_reference": callback_ref}
    if callback and _CANCEL.search(folded):
        return FollowUp(CANCEL_CALLBACK, callback=True, **named)
    if complaint or callback:
        email, phone = new_contact_in(text)
        # « changez mon numéro », or a new number given for what is named (« le rappel de jeudi, il faut le faire
        # au 06… et pas au 27 », « ajouter mon e-mail à la réclamation : … »)
        # not an opening's « appelez-moi au 06… », nor an address asked about (« je peux l'envoyer à qualite@… ? »)
        bare = (email or phone) and (recorded or callback or complaint_ref) and "?" not in text
        if _CHANGE_CONTACT.search(folded) or bare:
            return FollowUp(CHANGE_CONTACT, complaint=complaint, callback=callback, email=email, phone=phone, **named)
    if callback and _MOVE.search(folded):
        return FollowUp(MOVE_CALLBACK, callback=True, **named)
    if callback and _CALLBACK_STATUS.search(folded):
        return FollowUp(CALLBACK_STATUS, callback=True, **named)
    if complaint and _STATUS.search(folded) and not _NO_REFERENCE.search(folded):
        return FollowUp(STATUS, complaint=True, **named)  # « ma femme a fait une réclamation…, où ça en est »
    if complaint and not references and _NO_REFERENCE.search(folded) and \
            (_STATUS.search(folded) or "retrouv" in folded or "cherch" in folded):
        return FollowUp(NO_REFERENCE, complaint=True)
    return None


def says_no_reference(text: str) -> bool:
    """« je ne l'ai pas », « vous pouvez la retrouver avec mon nom ? »: the member has no reference at hand."""
    return bool(_NO_REFERENCE.search(fold_aligned(text or "")))
