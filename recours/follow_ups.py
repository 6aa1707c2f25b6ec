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

from recours import callback_choice
from recours.story import tells_story as recorded_story
from recours.callback_times import without_phone_numbers
from recours.side_questions import asks_where_to_send_documents
from recours import contact as contact_mod
from recours.text import fold_aligned
from recours.patterns import patterns

CHANGE_CONTACT, CANCEL_CALLBACK, MOVE_CALLBACK = "change_contact", "cancel_callback", "move_callback"
NO_REFERENCE, STATUS, CALLBACK_STATUS = "no_reference", "status", "callback_status"
ADD_DETAIL = "add_detail"  # something to add to a recorded complaint (members' round 16)
WITHDRAW, WITHDRAW_ASKED = "withdraw", "withdraw_asked"  # a recorded complaint withdrawn, or asked about (round 20)

_P = patterns("follow_ups")

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
    # « mon numéro de portable va changer la semaine prochaine … Le nouveau sera le 06 … » (members' round 20)
    r"|\b" + _CONTACT_WORDS + r"\b.{0,40}\b(?:va changer|change bientot|changera)\b"
    r"|\b(?:le|mon) nouveau (?:numero |num |tel |portable |mail )?(?:sera|est|c est)\b"
)


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
    detail: str | None = None  # ADD_DETAIL: what to add, as typed (None: to be asked)
    # which contact to take off the complaint: "email" or "phone" (« retirez mon adresse mail, juste le tel »)
    remove: str | None = None
    # CANCEL_CALLBACK typed just after a cancellation (callback_choice.undo_of_cancellation): "keep", "instead",
    # "as_well"; None otherwise
    undo: str | None = None

    @property
    def new_contact(self) -> bool:
        return bool(self.email or self.phone)


def contact_removed(text: str) -> str | None:
    """The contact the member wants taken off a complaint: "email", "phone" or None (both, or neither, said).

    « retirez mon adresse mail, juste le tel », « l'adresse électronique … est celle de mon défunt mari … Retirez-la,
    le téléphone suffira », « Gardez mon téléphone … et supprimez l'adresse … », « remplacer mon téléphone par
    l'adresse … » (members' rounds 20 and 21)."""
    folded = fold_aligned(text or "")
    email = [bool(_P.remove_email.search(folded)), bool(_P.keep_phone_only.search(folded))]
    phone = [bool(_P.remove_phone.search(folded)), bool(_P.keep_email_only.search(folded))]
    for it in _P.remove_it.finditer(folded):
        # « Retirez-la »: the contact named last before it
        before = folded[:it.start()]
        last_email = max((m.end() for m in _P.email_word.finditer(before)), default=-1)
        last_phone = max((m.end() for m in _P.phone_word.finditer(before)), default=-1)
        if last_email > last_phone:
            email.append(True)
        elif last_phone > last_email:
            phone.append(True)
    if any(email) or any(phone):
        # « juste le tel », said with a removal, tells which one stays
        email.append(bool(_P.only_phone.search(folded)))
        phone.append(bool(_P.only_email.search(folded)))
    if any(email) == any(phone):
        return None
    return "email" if any(email) else "phone"


def references_in(text: str) -> list[str]:
    """Every complaint or call-back reference in ``text``, normalised (``REC-2026-7K4F9Q``)."""
    return [f"{m.group(1).upper()}-{m.group(2)}-{m.group(3).upper()}" for m in _P.reference.finditer(text or "")]


def new_contact_in(text: str) -> tuple[str | None, str | None]:
    """The e-mail address and phone number in ``text`` (either may be None); none when unreadable or two of a
    kind (the member is asked, not guessed at)."""
    without_references = _P.reference.sub(" ", text or "")
    try:
        found = contact_mod.parse_contact(without_references)
    except contact_mod.InvalidContact:
        return None, None
    return found.email, found.phone


def read_follow_up(text: str, *, recorded: bool = False, just_booked: bool = False,
                   just_cancelled: bool = False, booked: bool = False) -> FollowUp | None:
    """The follow-up ``text`` asks for, or None when it asks for none (see the module docstring). ``recorded``:
    a complaint was recorded or checked in this conversation, so « mon numéro a changé : 06… » is about it;
    ``just_booked``: a call-back was booked by the previous answer, so « non VENDREDI 4 décembre, pas jeudi ! »
    moves it; ``just_cancelled``: a call-back was cancelled by the previous answer, so « non pardon pas celui-là »
    or « celui de vendredi » says which one was meant."""
    folded = fold_aligned(text or "")
    references = references_in(text)
    if just_cancelled and not references and "?" not in text:
        undo = callback_choice.undo_of_cancellation(text)
        if undo == "rebook":  # « en fait si rappelez-moi jeudi après-midi »: a new one, same number
            return FollowUp(MOVE_CALLBACK, callback=True, undo=undo)
        if undo is not None:
            return FollowUp(CANCEL_CALLBACK, callback=True, undo=undo)
    complaint_ref = next((r for r in reversed(references) if r.startswith("REC-")), None)
    callback_ref = next((r for r in reversed(references) if r.startswith("RAP-")), None)
    callback = bool(_P.existing_callback.search(folded) or callback_ref or (just_booked and _P.appointment.search(folded)))
    complaint = bool(_P.existing_complaint.search(folded) or complaint_ref)
    if recorded and not callback:
        complaint = complaint or bool(re.search(r"\b" + _CONTACT_WORDS + r"\b", folded))
    # a moment without the phone number typed with it (« vendredi plutôt, et sur le 06 00 00 00 72 »)
    moment = without_phone_numbers(folded)
    # ``booked``: a call-back was booked earlier in the conversation: « en fait demain jpeux pas, mettez lundi 9h »
    # moves it too, when it says nothing else (members' round 20: « je ne peux pas vous aider sur ce sujet »)
    later = booked and not just_booked and len(folded.split()) <= 14 and not complaint_ref and \
        not _P.existing_complaint.search(folded) and not recorded_story(text)
    if (just_booked or later) and _P.another_time.search(folded) and _P.when.search(moment):
        callback = True
        if not _P.cancel.search(folded):
            # the number typed with the move is the new call-back's (round 15: « et sur le 06 … 72 » was lost)
            return FollowUp(MOVE_CALLBACK, callback=True, callback_reference=callback_ref,
                            phone=new_contact_in(text)[1])
    named = {"complaint_reference": complaint_ref, "callback_reference": callback_ref}
    if callback and _P.cancel.search(folded):
        if callback_choice.asks_if_cancelled(text):  # « l'autre rappel, il est bien annulé ? »: a question
            return FollowUp(CALLBACK_STATUS, callback=True, **named)
        return FollowUp(CANCEL_CALLBACK, callback=True, **named)
    if callback and _P.move.search(folded) and _P.when.search(moment):
        return FollowUp(MOVE_CALLBACK, callback=True, phone=new_contact_in(text)[1], **named)
    if just_booked and not complaint_ref and not _P.when.search(moment):
        # « vous avez encore mis le 27 ! je veux être rappelée au 06 00 00 00 72 » just after the booking
        phone = new_contact_in(text)[1]
        if phone:
            return FollowUp(CHANGE_CONTACT, callback=True, phone=phone, **named)
    if complaint or callback:
        email, phone = new_contact_in(text)
        # « changez mon numéro », or a new number given for what is named (« le rappel de jeudi, il faut le faire
        # au 06… et pas au 27 », « ajouter mon e-mail à la réclamation : … »)
        # not an opening's « appelez-moi au 06… », nor an address asked about (« je peux l'envoyer à qualite@… ? »)
        # nor a status asked with a number typed beside it (« cest quoi le statut de ma reclam REC-…, tel 06… »:
        # members' round 20, read as a change of contact)
        bare = (email or phone) and (recorded or callback or complaint_ref) and "?" not in text and \
            not (complaint and _P.status.search(folded))
        removed = contact_removed(text) if complaint and not callback else None
        if removed:
            # « retirez mon adresse mail de la reclamation svp, juste le tel » (members' round 20: a new complaint
            # was started): taken off, with the other contact typed with it changed too; the one typed of the
            # kind taken off is the one named for it (« supprimez l'adresse robert.beaulieu@… »)
            return FollowUp(CHANGE_CONTACT, complaint=True, email=None if removed == "email" else email,
                            phone=None if removed == "phone" else phone, remove=removed, **named)
        if _CHANGE_CONTACT.search(folded) or bare:
            return FollowUp(CHANGE_CONTACT, complaint=complaint, callback=callback, email=email, phone=phone, **named)
    if (complaint or recorded) and not callback and _P.withdraw.search(folded) and not _P.status.search(folded):
        # « je peux annuler ma réclamation si le dentiste me rembourse de lui-même ? » (members' round 20: « il n'y a
        # rien en cours »), « annulez ma réclamation REC-…, c'est réglé »
        return FollowUp(WITHDRAW_ASKED if "?" in text else WITHDRAW, complaint=True, **named)
    if (complaint or recorded) and not callback and _P.add_detail.search(folded) and not _P.status.search(folded) \
            and not asks_where_to_send_documents(text):
        # « attendez j'avais pas fini !! vous avez pas noté que je demande les 70 € », « je voudrais ajouter une
        # précision à ma réclamation REC-… : le montant c'est 1 430 € »
        return FollowUp(ADD_DETAIL, complaint=True, detail=detail_in(text), **named)
    if callback and _P.move.search(folded):
        return FollowUp(MOVE_CALLBACK, callback=True, **named)
    if callback and _P.callback_status.search(folded):
        return FollowUp(CALLBACK_STATUS, callback=True, **named)
    if complaint and _P.status.search(folded) and not _P.no_reference.search(folded):
        return FollowUp(STATUS, complaint=True, **named)  # « ma femme a fait une réclamation…, où ça en est »
    if complaint_ref and not callback and not recorded_story(text) and not _P.add_detail.search(folded) and \
            len(folded.split()) <= 25 and not re.search(r"\bje (?:note|garde|prends note)\b|\bau revoir\b|"
                                                      r"\bbonne (?:journee|soiree)\b", folded):
        # « Bon attendez, j'ai fait une capture d'écran... voilà : REC-2026-9SFD3P » (members' round 21: a new
        # complaint was started): that complaint, its status
        return FollowUp(STATUS, complaint=True, **named)
    if complaint and not references and _P.no_reference.search(folded) and \
            (_P.status.search(folded) or "retrouv" in folded or "cherch" in folded):
        return FollowUp(NO_REFERENCE, complaint=True)
    return None


def detail_in(text: str) -> str | None:
    """What a member adds to a recorded complaint, without the words that say they add something (« attendez
    j'avais pas fini !! », « je voudrais ajouter à ma réclamation REC-… que »); None when nothing is left to add."""
    rest = _P.reference.sub(" ", text or "")
    lead = _P.add_detail_lead.match(fold_aligned(rest))
    if lead:
        rest = rest[lead.end():]
    rest = re.sub(r"\s+", " ", re.sub(r",?\s+ni que\b", " et que", rest, flags=re.I)).strip(" .,:;!-")
    return rest[:1].upper() + rest[1:] if len(rest.split()) >= 3 else None


def about_another_complaint(text: str) -> bool:
    """« et celle de ma femme, elle en est où ? », « ma réclamation d'octobre »: not the complaint this conversation
    has just recorded (whose status is given without asking its reference again otherwise)."""
    return bool(_P.another_complaint.search(fold_aligned(text or "")))


def says_same_number(text: str) -> bool:
    """« Le même numéro que tout à l'heure », « celui que je vous ai déjà donné »: the number already known."""
    return bool(_P.same_number.search(fold_aligned(text or "")))


def asks_status(text: str) -> bool:
    """« je voudrais savoir où ça en est », « elle est traitée ? »: how a complaint stands."""
    return bool(_P.status.search(fold_aligned(text or "")))


def made_elsewhere(text: str) -> bool:
    """« je l'ai faite le 20 octobre sur votre site », « par mail », « pas avec vous »: a complaint this chat did
    not record, which its status check cannot find (members' round 18)."""
    return bool(_P.made_elsewhere.search(fold_aligned(text or "").replace("-", " ")))


def says_no_reference(text: str) -> bool:
    """« je ne l'ai pas », « vous pouvez la retrouver avec mon nom ? »: the member has no reference at hand."""
    return bool(_P.no_reference.search(fold_aligned(text or "")))
