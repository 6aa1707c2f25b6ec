"""The complaint's fields as the member sees them: recap lines, and which field a correction names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from recours.calendar import format_date_fr
from recours.messages import message_fr
from recours.natures import NATURE_LABELS_FR
from recours.redaction import redact_text
from recours.text import fold
from recours.patterns import patterns


@dataclass(frozen=True)
class Field:
    label_fr: str
    slots: tuple[str, ...]  # slots cleared to ask the field again
    synonyms: tuple[str, ...]  # folded words that name the field in a correction request


FIELDS: dict[str, Field] = {
    "member_name": Field("Nom et prénom", ("member_name",), ("nom", "prenom", "mon nom", "identite")),
    "member_identifier": Field(
        "Numéro d'assuré ou d'adhérent",
        ("member_identifier",),
        # (not « secu » nor « adherent » alone: « la secu a deja payer 120 donc reste 360 » is about the amount,
        # members' round 21 — the NIR was asked again)
        ("numero de secu", "numero de securite sociale", "n de securite sociale", "num secu", "n secu", "nir",
         "numero adherent", "numero d'adherent", "n adherent", "n d'adherent", "num adherent", "numero d'assure",
         "carte vitale", "mon numero de securite sociale", "ma securite sociale", "n° adherent", "n°adherent"),
    ),
    "contact": Field(
        "Coordonnées", ("contact",),
        ("mail", "e-mail", "email", "courriel", "adresse mail", "telephone", "tel", "portable", "numero de telephone",
         "coordonnees"),
    ),
    "contract_holder": Field(
        "Souscripteur du contrat", ("contract_holder",),
        ("souscripteur", "entreprise", "employeur", "societe", "contrat individuel", "contrat collectif", "lemployeur",
         "lentreprise", "le souscripteur"),
    ),
    "complaint_nature": Field("Motif", ("complaint_nature",), ("motif", "nature", "type de reclamation", "categorie")),
    "complaint_description": Field(
        "Description", ("complaint_description",), ("description", "texte", "explication", "mon message")
    ),
    "contested_decision": Field(
        "Décision contestée", ("contested_decision_answer", "contested_decision"),
        ("decision", "decision contestee", "refus"),
    ),
    "written_complaint": Field(
        "Réclamation écrite déjà envoyée",
        ("written_complaint_sent", "first_complaint_date", "answer_received"),
        ("reclamation ecrite", "date", "courrier", "date d'envoi", "premiere reclamation", "reponse",
         # « la date de mon message c'est le 16 octobre »: the written complaint's date, not the description
         "date de mon message", "date de mon mail", "date de mon courrier", "date de ma lettre",
         "date de ma reclamation", "date de mon e-mail"),
    ),
    "court_action": Field("Action en justice", ("court_action",), ("justice", "tribunal", "avocat", "procedure")),
}


_CORRECTIONS = patterns("recap_corrections")
_P = patterns("recap")


def field_from_text(text: str) -> str | None:
    """The field a member names in free text ("je veux corriger mon e-mail" -> "contact"), longest match first."""
    folded = fold(text)
    if not folded:
        return None
    if folded in FIELDS:
        return folded
    # The field named first wins, the longest name at the same place (« adresse e-mail » over « adresse »); a field
    # said to be right is not the one to correct (« mon téléphone est bon, c'est la décision que je veux corriger »,
    # « celle de CPMS c'est le refus qu'on m'a donné au téléphone »: the decision).
    best: tuple[int, int, str] | None = None
    for key, field in FIELDS.items():
        for synonym in field.synonyms:
            for match in re.finditer(rf"(^|\W){re.escape(synonym)}($|\W)", folded):
                if _P.said_right.match(folded, match.end()):
                    continue
                candidate = (match.start(), -len(synonym), key)
                if best is None or candidate < best:
                    best = candidate
    if best is not None and best[2] == "written_complaint" and best[1] == -len("date") and \
            not _P.about_a_letter.search(folded):
        # « la date n'a pas changé : c'est le 7 octobre 2026 que j'ai acheté les lunettes » (members' round 18, three
        # times recorded as a written complaint sent that day): a date of the story, in the description
        return "complaint_description"
    return best[2] if best else None


# A sentence that confirms the recap (« Confirmer », « je confirme », « Mais je vous ai dit que je confirmais ! »,
# « cest bon confirmer », « oui c'est parfait, enregistrez », « bon ok, j'envoie »): lead-ins, then one or more
# confirming words, then politeness.
_CONFIRM_UNIT = (r"(?:je (?:confirme|confirmais|valide|validais|veux confirmer|vous confirme)|confirm\w*|valid\w*|"
                 r"(?:nous|on) (?:confirm|valid)\w*|(?:voila )?qui est (?:juste|exact|correct|bon)|"
                 r"c est (?:tout )?(?:bon|ok|correct|parfait|juste|bien|nickel)|tout est (?:bon|ok|correct|juste)|"
                 r"tout (?:bon|ok)|enregistre[rz]?|envoye[rz]?|j envoie|on envoie|on valide|on y va|go|parfait|"
                 r"nickel|impeccable|ca me va|ca (?:me )?convient|ca ira)")
_CONFIRM_SENTENCE = re.compile(
    r"^(?:(?:mais|bon|ok|oui|ouais|alors|donc|et|bref|voila|d accord|je vous ai dit que|j ai dit|jai dit|"
    r"je vous dis que|non|nan|vous pouvez(?: l| les)?|vous pouvez (?:la|le) faire)\s+)*" + _CONFIRM_UNIT + r"(?:\s+(?:(?:et|donc|alors|vous pouvez|allez y)\s+)?"
    + _CONFIRM_UNIT + r")*(?: (?:svp|stp|merci|tout|la|le|donc|alors|maintenant|bien|beaucoup|pour moi|"
    r"(?:la|ma|votre|notre) reclamation|l enregistrement))*$"
    r"|^(?:.* )?je (?:confirme|valide)(?: (?:l enregistrement|la reclamation|ma reclamation|tout|le tout|l envoi))?"
    r"(?: (?:svp|merci|donc|alors|maintenant))*$"
)


def _confirming(sentence: str) -> bool:
    return bool(_CONFIRM_SENTENCE.match(_P.sms_cest.sub("c est ", sentence)))




def adds_to_description(text: str) -> bool:
    """« mettez dans la description que … », « vous avez pas noté que … »: an addition to the description."""
    return bool(_CORRECTIONS.add_that.match((text or "").strip()))


def recap_confirms(text: str) -> bool:
    """The member confirms the recap, whatever else the message says (a question, an impatient remark, a field
    named only to keep it), unless another sentence asks for a change."""
    if _P.before_confirming.search(fold(text or "").replace("'", " ")):
        return False  # « c'est bon. Avant de valider : j'ai jusqu'à quand … ? » (members' round 19): asked first
    parts = re.findall(r"[^.!?;…,\n]+[.!?;…,]*", text or "")
    sentences = [(" ".join(fold(part.rstrip(".!?;… ")).replace("'", " ").split()), part.rstrip().endswith("?"))
                 for part in parts]
    sentences = [(sentence, asked) for sentence, asked in sentences if sentence]
    if not any(_confirming(sentence) for sentence, _ in sentences):
        return False
    for sentence, asked in sentences:
        if _confirming(sentence) or _P.keep.search(sentence):
            continue
        # « je ne veux pas écrire à la Sécurité sociale »: the body, not the NIR field
        named = field_from_text(_P.the_body.sub(" ", sentence))
        if _P.change.search(sentence) or (named and not asked and not _P.question_start.match(sentence)):
            return False
    return True




def mask_member_number(number: str) -> str:
    """Only the last three characters of a member number are shown ("*****451")."""
    return "*" * max(len(number) - 3, 1) + number[-3:]


def mask_own_member_number(text: str, masked: str | None) -> str:
    """``text`` with the member's own member number, typed in a free text (« Mon numéro d'adhérent est le 48213977 »),
    replaced by its masked form ``masked`` ("*****977"), as its own field shows it (members' round 17, m17-D-03)."""
    shown = re.fullmatch(r"(\*+)(\d{3})", masked or "")
    if not text or not shown:
        return text
    return re.sub(rf"(?<![\d*])\d{{{len(shown.group(1))}}}{shown.group(2)}(?!\d)", masked, text)


def _yes_no(value: Any) -> str:
    return "oui" if value else "non"


def recap_lines(slots: Mapping[str, Any]) -> list[str]:
    """One line per field, identifiers already masked in the slots."""
    sent = slots.get("written_complaint_sent")
    sent_on = slots.get("first_complaint_date")
    answered = bool(slots.get("answer_received"))
    if sent and sent_on:
        key = "recap.written_on_answered" if answered else "recap.written_on_unanswered"
        written = message_fr(key, sent_on=format_date_fr(date.fromisoformat(sent_on)))
    elif sent:
        written = message_fr("recap.written_answered" if answered else "recap.written_unanswered")
    else:
        written = message_fr("recap.not_written")
    nature = slots.get("complaint_nature")
    own = slots.get("member_identifier")
    postal = [f"• Code postal : {slots['postal_code']}"] if slots.get("postal_code") else []
    writer = f" ({message_fr('recap.writer', writer=slots['member_writer']).rstrip('.')})" \
        if slots.get("member_writer") else ""
    return [
        f"• {FIELDS['member_name'].label_fr} : {slots.get('member_name') or '—'}{writer}",
        f"• {FIELDS['member_identifier'].label_fr} : {slots.get('member_identifier') or '—'}",
        f"• {FIELDS['contact'].label_fr} : {slots.get('contact') or '—'}",
        f"• {FIELDS['contract_holder'].label_fr} : {slots.get('contract_holder') or '—'}",
        f"• {FIELDS['complaint_nature'].label_fr} : {NATURE_LABELS_FR.get(nature, nature or '—')}",
        # Free texts are shown redacted: an identifier typed inside a description is never repeated in clear.
        f"• {FIELDS['complaint_description'].label_fr} : "
        f"{mask_own_member_number(redact_text(slots.get('complaint_description') or '—'), own)}",
        f"• {FIELDS['contested_decision'].label_fr} : "
        f"{mask_own_member_number(redact_text(slots.get('contested_decision') or 'aucune'), own)}",
        f"• {FIELDS['written_complaint'].label_fr} : {written}",
        *postal,  # only when asked and given (local holidays, recours.postal)
        f"• {FIELDS['court_action'].label_fr} : {_yes_no(slots.get('court_action'))}",
    ]
