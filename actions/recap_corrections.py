"""Corrections typed at the recap with their new value (issue 11): « motif : cotisation. décision contestée :
aucune », « coordonnées : 06 … et theo@example.org », « corriger la description : … ». The message is cut into
clauses grouped by the field they name; each group's new value is then validated by the form's own validator
(actions/complaint_form.py)."""

from __future__ import annotations

import re
from typing import Any, List

from rasa_sdk import Tracker

from recours import answers, facts, natures
from recours.calendar import format_date_fr
from recours.dates import DateError, parse_french_date
from recours.messages import message_fr
from recours.recap import field_from_text
from recours.settings import today
from recours.text import fold


# Where a correction message is cut: sentences, « ; », « et », « puis ».
_CLAUSE_END = re.compile(r"(?<=[.!?])\s+|\s*;\s*|\s+(?:et|puis)\s+|\n+")
# A clause that starts a new correction even inside a description (« … et rajoute mon mail … »).
_NEW_CORRECTION = re.compile(r"^(?:(?:et|puis|aussi)\s+)?(?:corrig|modifi|chang|rajout|ajout|remplac|rectifi|mets?\b|"
                             r"mettez|le |la |l'|mon |ma |mes )", re.I)


def correction_groups(text: str) -> List[tuple]:
    """(field, text) for each field a recap message corrects, in order: a clause that names a field starts a group,
    the clauses that follow without naming one belong to it (« coordonnées : 06 … et theo@example.org »), and a
    description runs on until a clause plainly starts another correction (« … et rajoute mon mail … »)."""
    groups: List[list] = []
    position = 0
    for cut in list(_CLAUSE_END.finditer(text)) + [None]:
        end = cut.start() if cut else len(text)
        clause = text[position:end]
        position = cut.end() if cut else len(text)
        if not clause.strip():
            continue
        field = "complaint_description" if _ADD_THAT.match(clause.strip()) else field_from_text(clause)
        current = groups[-1] if groups else None
        if field is None and current is None and _nature_instead(clause):
            field = "complaint_nature"  # « Mettez plutôt autre prestation » (members' round 10)
        if current and _GOES_ON.match(clause.strip()):
            field = None  # « LA DÉCISION CONTESTÉE C'EST FAUX. C'EST LA RÉPONSE DU 13 NOVEMBRE »: the same correction
        if field and not (current and current[0] == "complaint_description" and not _NEW_CORRECTION.match(clause.strip())):
            groups.append([field, clause])
        elif current:
            current[1] = text[text.find(current[1]):end]  # the group's text as typed, separators included
    return [(field, clause) for field, clause in groups]


# A sentence that goes on with the correction just named (« … C'est la réponse du 13 novembre »)
_GOES_ON = re.compile(r"^(?:c['’ ]?est|cest|c)\s", re.I)
# The old value denied before the new one is given (« c'est faux », « c'est pas ça »)
_DENIAL = re.compile(r"^(?:faux|pas (?:ca|ça|bon|juste|exact)|inexact|une erreur|n importe quoi)\b\W*(?:c['’ ]?est\s+)?",
                     re.I)
ADD_RE = re.compile(r"\b(?:rajout\w*|ajout\w*|aussi|en plus|egalement)\b")
# « et rajoute que j'ai envoyé la résil le 2/09 »: a fact added to the description, whatever words it contains
_ADD_THAT = re.compile(r"^(?:(?:et|puis|aussi)\s+)?(?:rajout|ajout|pr[ée]cis|not|mention)\w*\s+(?:aussi\s+)?"
                       r"(?:(?:dans|[àa]) (?:la|ma) description\s+)?(?:que|qu['’ ])\s*", re.I)
# What precedes the new value in « le motif c'est plutôt délai de traitement », « mon nom c'est Benoît »,
# « corriger la description : … », « action en justice : non ».
_BEFORE_VALUE = re.compile(
    r"^.*?(?:\b(?:c['’ ]?est|cest|c(?= )|mettez|mets|mettre|met|plut[oô]t|par|en|devient|est|remplacez par|"
    r"remplacer par)|"
    r"\s*:)\s+(?:plut[oô]t\s+)?", re.I)
# The slot a field's new value is validated as.
VALIDATED_AS = {"contested_decision": "contested_decision_answer", "written_complaint": "written_complaint_sent"}
# A description given again, not added to (« corriger la description : … », « la description c'est … »).
_REPLACE_RE = re.compile(r":|\b(?:remplac\w* par|devient|plutot|mettez|mets)\b")


# « mettez plutôt autre prestation », « c'est plutôt une cotisation »: a nature chosen instead, the field unnamed.
_INSTEAD = re.compile(r"\b(?:mettez|mets|mettre|met|c est|ce serait|plut[oô]t)\s+plut[oô]t\s+|\bplut[oô]t\s+", re.I)


def _nature_instead(clause: str) -> bool:
    found = _INSTEAD.search(fold(clause).replace("'", " "))
    return bool(found) and natures.match_nature(fold(clause).replace("'", " ")[found.end():]) is not None


# The old value denied after the new one (« …, pas C Long », « … et non Dupond »)
_NOT_THE_OLD = re.compile(r"\s*,?\s*(?:et non|non pas|et pas|pas|au lieu de)\s+.*$", re.I)


def _value_for(field: str, clause: str, tracker: Tracker) -> Any:
    """The new value a correction clause carries for ``field``, or None when it only names the field."""
    added = _ADD_THAT.match(clause.strip())
    if field == "complaint_description" and added:
        fact = clause.strip()[added.end():].strip(" .")
        stored = tracker.get_slot("complaint_description") or ""
        fact = fact[:1].upper() + fact[1:]
        return f"{stored}\n{fact}." if stored else f"{fact}." if fact else None
    found = facts.extract_facts(clause, today(), history=False)
    if field == "contact":
        return " ".join(v for v in (found.email, found.phone) if v) or None  # both when both are typed
    if field == "member_identifier":
        return found.nir or found.member_number
    match = _BEFORE_VALUE.search(clause)
    if ":" in clause:
        match = re.search(r"^[^:]*:\s*", clause)  # « action en justice : non » (not « action en » then the rest)
    rest = clause[match.end():].strip(" .!?") if match else ""
    if field == "complaint_nature":
        chosen = natures.match_nature(rest) if rest else None
        if chosen is None:
            # « Le motif, s'il vous plaît. Autre prestation. »: the value in a sentence of its own
            sentences = [p for p in re.split(r"[.!?;]", clause) if p.strip() and not field_from_text(p)]
            chosen = next((natures.match_nature(p) for p in reversed(sentences) if natures.match_nature(p)), None)
        return chosen
    if field == "contested_decision":
        rest = _DENIAL.sub("", rest).strip(" .!?")
        if rest and answers.is_none_answer(rest):
            return "aucune"
        return rest if rest and len(rest) >= 4 else None  # « la décision c'est le refus du 15 avril »
    if field == "court_action":
        return answers.parse_yes_no(rest) if rest else None  # « action en justice : non, pas du tout »
    if field == "written_complaint":
        # « réclamation écrite : oui, le 3 septembre », « date d'envoi : le 3 septembre »
        return rest if rest and (answers.parse_yes_no(rest) is not None or re.search(r"\d", rest)) else None
    if field in ("member_name", "contract_holder"):
        rest = _NOT_THE_OLD.sub("", rest)  # « mon nom c'est Benali Karim pas C Long »
        if re.fullmatch(r"(?:aussi|egalement)?\s*(?:faux|fausse|errone\w*|"
                                                          r"incorrect\w*|pas bon\w*|mauvais\w*)", fold(rest)):
            return None  # « Le souscripteur aussi est faux »: the field named, its value asked (members' round 13)
    if field == "member_name":
        return facts.clean_name(rest) if rest else None
    if field == "contract_holder":
        if re.search(r"\b(?:n['’ ]?est pas|c['’ ]?est pas|cest pas|c pas)\b.*\b(?:c['’ ]?est|cest|c)\b", clause, re.I):
            # « le souscripteur n'est pas moi, c'est mon épouse, LECLERCQ Jeanine »: what follows the last « c'est »
            return facts.clean_holder(clause, tracker.get_slot("member_name"))
        if not rest and re.search(r"\b(?:contrat )?individuel\b", fold(clause)):
            return "contrat individuel"  # « le souscripteur c faux jvous lai deja dit c un contrat individuel »
        return rest if rest and facts.clean_holder(rest, tracker.get_slot("member_name")) else None
    if field == "complaint_description" and rest and ADD_RE.search(fold(clause)):
        # « ajoutez à la description : … » adds to what was written, never replaces it
        stored = tracker.get_slot("complaint_description") or ""
        return f"{stored}\n{rest}" if stored else rest
    if field == "complaint_description" and rest and _REPLACE_RE.search(clause[:match.end()].lower()) and \
            not re.match(r"(?:pas|plus|rien)\b", fold(rest)):
        stored = tracker.get_slot("complaint_description") or ""
        if stored and len(rest.split()) < 8 and len(rest) < len(stored) / 3:
            # « la description indique toujours 450 euros : il faut 480 euros »: a precision, not the whole text
            return f"{stored}\n{message_fr('recap.precision', text=rest[:1].upper() + rest[1:])}"
        return rest  # « corriger la description : les lunettes de ma fille, pas les miennes »
    return None


# « le courrier est du 24 novembre », « c'est le courrier de la CPMS qui est du 24 novembre »: the organisation's
# letter — the decision's date — not the member's written complaint, which « courrier » names too.
_THEIR_LETTER = re.compile(r"\b(?:le|leur|votre|ce|du|son|sa) (?:courrier|lettre|mail)\b")
_LETTER_DATED = re.compile(r"\b(?:courrier|lettre|mail)\b.{0,30}\b(?:est|etait|date|datee)\s+du\b")
_MY_LETTER = re.compile(r"\b(?:ma|mon) (?:reclamation|courrier|lettre|mail)\b|\bj ai (?:envoye|ecrit|adresse)\b")


def dated_decision(clause: str, tracker: Tracker) -> str | None:
    """The contested decision with its letter's date, when a correction clause dates the organisation's letter
    (« LE COURRIER EST DU 24 NOVEMBRE ») and a decision was recorded; None otherwise."""
    decision = tracker.get_slot("contested_decision_answer")
    folded = fold(clause).replace("'", " ")
    if not decision or decision == "aucune" or not _THEIR_LETTER.search(folded) or _MY_LETTER.search(folded) or \
            not _LETTER_DATED.search(folded):
        return None
    try:
        dated = parse_french_date(clause, today())
    except DateError:
        return None
    if dated.approximate:
        return None
    said = format_date_fr(dated.value)
    return decision if said in decision else message_fr("recap.decision_with_letter_date", decision=decision, date=said)


# « c'est 12 séances et pas 10 », « 210 euros et non 180 », « pas 180 mais 210 »: a value of the description
# replaced by another (members' round 13: dropped while the phone corrected in the same message was applied).
_INSTEAD_OF_VALUE = re.compile(
    r"(?:^|[,.;:]\s*|\b(?:c['’ ]?est|cest|c|mettez|mets|plut[oô]t)\s+)(?P<new>\d[\d,.]*(?:\s?[\w€%]+)?)\s*,?\s+(?:et\s+)?"
    r"(?:pas|non|au lieu de)\s+(?P<old>\d[\d,.]*(?:\s?[\w€%]+)?)"
    r"|\bpas\s+(?P<old2>\d[\d,.]*(?:\s?[\w€%]+)?)\s*,?\s+mais\s+(?P<new2>\d[\d,.]*(?:\s?[\w€%]+)?)", re.I)


def replaced_in_description(text: str, description: str | None) -> str | None:
    """The description with a number the member corrects replaced (« c'est 12 séances et pas 10 »), or None when
    the message corrects no number of it."""
    if not description:
        return None
    found = _INSTEAD_OF_VALUE.search(text or "")
    if not found:
        return None
    new, old = (found["new"], found["old"]) if found["new"] else (found["new2"], found["old2"])
    old_number = re.match(r"\d[\d,.]*", old).group(0)
    new_number = re.match(r"\d[\d,.]*", new).group(0)
    pattern = re.compile(rf"(?<![\d,.]){re.escape(old_number)}(?![\d])")
    if not pattern.search(description) or old_number == new_number:
        return None
    return pattern.sub(new_number, description)
