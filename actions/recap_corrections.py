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
from recours.text import fold, fold_aligned
from recours.patterns import patterns


_P = patterns("recap_corrections")
_CF = patterns("complaint_form")
# A space, no-break space or narrow no-break space between thousands (« 2 300 »).
THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)")



def polite_request(text: str) -> str:
    """A correction asked as a polite question, as a plain one: « Pourriez-vous aussi ajouter à la description
    qu'elle a téléphoné … ? » -> « ajouter à la description qu'elle a téléphoné … »; « … devrait dire qu'il n'y en a
    aucune. Pouvez-vous la corriger s'il vous plaît ? » -> « … devrait dire qu'il n'y en a aucune » (members' round
    19: « Je ne peux pas répondre à cette question ici »)."""
    if not (text or "").rstrip().endswith("?"):
        return text
    plain = _P.polite_tail.sub("", text.rstrip()).rstrip()
    plain = _P.polite_lead.sub("", plain).rstrip(" ?")
    return plain or text


def correction_groups(text: str) -> List[tuple]:
    """(field, text) for each field a recap message corrects, in order: a clause that names a field starts a group,
    the clauses that follow without naming one belong to it (« coordonnées : 06 … et theo@example.org »), and a
    description runs on until a clause plainly starts another correction (« … et rajoute mon mail … »)."""
    if _CF.new_description.match(text or ""):
        # « remplacer la description : … » (members' round 23, m23-C-01: cut at its first sentence, and a phrase of
        # the new story taken for the contract holder): the whole message is the new description, nothing else
        return [("complaint_description", text)]
    groups: List[list] = []
    position = 0
    for cut in list(_P.clause_end.finditer(text)) + [None]:
        end = cut.start() if cut else len(text)
        clause = text[position:end]
        position = cut.end() if cut else len(text)
        if not clause.strip():
            continue
        field = "complaint_description" if _P.add_that.match(clause.strip()) else field_from_text(clause)
        current = groups[-1] if groups else None
        if current and current[0] == "complaint_description" and _P.add_it.fullmatch(clause):
            continue  # « … au tel !! ajoutez le dans la description »: the fact is said, this only says where
        if field is None and current is None and _nature_instead(clause):
            field = "complaint_nature"  # « Mettez plutôt autre prestation » (members' round 10)
        if current and _P.goes_on.match(clause.strip()):
            field = None  # « LA DÉCISION CONTESTÉE C'EST FAUX. C'EST LA RÉPONSE DU 13 NOVEMBRE »: the same correction
        if field and not (current and current[0] == "complaint_description" and not _P.new_correction.match(clause.strip())):
            groups.append([field, clause])
        elif current:
            current[1] = text[text.find(current[1]):end]  # the group's text as typed, separators included
    return [(field, clause) for field, clause in groups]


# The slot a field's new value is validated as.
VALIDATED_AS = {"contested_decision": "contested_decision_answer", "written_complaint": "written_complaint_sent"}




def _nature_instead(clause: str) -> bool:
    found = _P.instead.search(fold(clause).replace("'", " "))
    return bool(found) and natures.match_nature(fold(clause).replace("'", " ")[found.end():]) is not None




def _value_for(field: str, clause: str, tracker: Tracker) -> Any:
    """The new value a correction clause carries for ``field``, or None when it only names the field."""
    added = _P.add_that.match(clause.strip())
    put = _P.put_into_description.match(clause.strip()) if field == "complaint_description" else None
    if put:
        stored = tracker.get_slot("complaint_description") or ""
        fact = put["what"].strip(" .,:;")
        fact = fact[:1].upper() + fact[1:]
        return f"{stored}\n{message_fr('recap.precision', text=fact)}" if stored else fact
    if field == "complaint_description" and added:
        fact = _P.add_it.sub("", clause.strip()[added.end():]).strip(" .!")
        stored = tracker.get_slot("complaint_description") or ""
        fact = fact[:1].upper() + fact[1:]
        return f"{stored}\n{fact}." if stored else f"{fact}." if fact else None
    found = facts.extract_facts(clause, today(), history=False)
    if field == "contact":
        return " ".join(v for v in (found.email, found.phone) if v) or None  # both when both are typed
    if field == "member_identifier":
        return found.nir or found.member_number
    match = _P.before_value.search(clause)
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
        rest = _P.denial.sub("", rest).strip(" .!?")
        instead = _P.put_instead.search(rest)
        if instead:
            rest = rest[instead.end():].strip(" .!?")  # « cest nimp, mettez aucune decision » (members' round 14)
        if rest and (answers.is_none_answer(rest) or (_P.none_said.search(fold(rest).replace("'", " ")) and
                                                       not _P.decision_named.search(fold(rest)))):
            return "aucune"  # « … devrait dire qu'il n'y en a aucune » (members' round 19)
        return rest if rest and len(rest) >= 4 else None  # « la décision c'est le refus du 15 avril »
    if field == "court_action":
        if facts.says_no_court(clause):
            return False  # « NON PAS D'ACTION EN JUSTICE c'est eux qui menacent pas moi » (members' round 16)
        return answers.parse_yes_no(rest) if rest else None  # « action en justice : non, pas du tout »
    if field == "written_complaint":
        # « réclamation écrite : oui, le 3 septembre », « date d'envoi : le 3 septembre »
        return rest if rest and (answers.parse_yes_no(rest) is not None or re.search(r"\d", rest)) else None
    if field in ("member_name", "contract_holder"):
        rest = _P.not_the_old.sub("", rest)  # « mon nom c'est Benali Karim pas C Long »
        said_wrong = _P.said_wrong.match(fold(rest))
        if said_wrong and not re.search(r"\bc ?est\b|\bc\b|:", fold(rest)[said_wrong.end():]):
            # « Le souscripteur aussi est faux » (round 13), « Le souscripteur est toujours faux. Corriger un
            # élément » (round 14): the field named, its value asked
            return None
    if field == "member_name":
        # « Le nom de l'adhérente c'est Jeanne Morel, ma mère, pas Claire Morel » (members' round 22, m22-B-01: the
        # correction ignored): the name before the relation said with it
        return (facts.clean_name(rest) or facts.leading_name(re.split(r"[,;]", rest, maxsplit=1)[0])) if rest else None
    if field == "contract_holder":
        if re.search(r"\b(?:n['’ ]?est pas|c['’ ]?est pas|cest pas|c pas)\b.*\b(?:c['’ ]?est|cest|c)\b", clause, re.I):
            # « le souscripteur n'est pas moi, c'est mon épouse, LECLERCQ Jeanine »: what follows the last « c'est »
            return facts.clean_holder(clause, tracker.get_slot("member_name"))
        if not rest and re.search(r"\b(?:contrat )?individuel\b", fold(clause)):
            return "contrat individuel"  # « le souscripteur c faux jvous lai deja dit c un contrat individuel »
        return rest if rest and facts.clean_holder(rest, tracker.get_slot("member_name")) else None
    if field == "complaint_description" and rest and _P.add.search(fold(clause)):
        # « ajoutez à la description : … » adds to what was written, never replaces it
        stored = tracker.get_slot("complaint_description") or ""
        return f"{stored}\n{rest}" if stored else rest
    if field == "complaint_description" and rest:
        dictated = _P.dictated.match(rest)  # « la description ne va pas : mettez simplement que … » (round 18)
        rest = rest[dictated.end():] if dictated and rest[dictated.end():].strip() else rest
        rest = rest[:1].upper() + rest[1:] if dictated else rest
    if field == "complaint_description" and rest and _INSTRUCTION.match(rest):
        return None  # « corriger la description : enlevez les lignes … » is an instruction, never the new text
        # (members' round 22: the description replaced by it)
    if field == "complaint_description" and rest and _P.replace.search(clause[:match.end()].lower()) and \
            not re.match(r"(?:pas|plus|rien)\b", fold(rest)):
        stored = tracker.get_slot("complaint_description") or ""
        if stored and len(rest.split()) < 8 and len(rest) < len(stored) / 3:
            # « la description indique toujours 450 euros : il faut 480 euros »: a precision, not the whole text
            return f"{stored}\n{message_fr('recap.precision', text=rest[:1].upper() + rest[1:])}"
        return rest  # « corriger la description : les lunettes de ma fille, pas les miennes »
    return None




def dated_decision(clause: str, tracker: Tracker) -> str | None:
    """The contested decision with its letter's date, when a correction clause dates the organisation's letter
    (« LE COURRIER EST DU 24 NOVEMBRE ») and a decision was recorded; None otherwise."""
    decision = tracker.get_slot("contested_decision_answer")
    folded = fold(clause).replace("'", " ")
    if not decision or decision == "aucune" or not _P.their_letter.search(folded) or _P.my_letter.search(folded) or \
            not _P.letter_dated.search(folded):
        return None
    try:
        dated = parse_french_date(clause, today())
    except DateError:
        return None
    if dated.approximate:
        return None
    said = format_date_fr(dated.value)
    return decision if said in decision else message_fr("recap.decision_with_letter_date", decision=decision, date=said)




_INSTRUCTION = re.compile(r"\W*(?:(?:et|svp|merci|alors|donc|il faut|faut|pouvez[- ]vous|vous pouvez)\W+)*(?:enlev|retir|"
                          r"supprim|effac|corrig|modifi|chang|remplac|ot(?:ez|er)\b)\w*", re.I)
_REMOVAL_VERB = re.compile(r"\b(?:enlev|retir|supprim|effac|ot(?:ez|er)\b)\w*", re.I)
_QUOTED = re.compile(r"[«“\"]\s*([^«»“”\"]{4,}?)\s*[»”\"]|(?<![a-zà-ÿ])'([^']{4,}?)'(?![a-zà-ÿ])")


def _removed_quoted_lines(text: str, description: str) -> tuple[str, str] | None:
    """« enlevez les lignes 'Pour vous joindre : Comme dans mon premier message' et 'Précision : Première fois...' »
    (members' round 22: the description replaced by the instruction): each line quoted, or starting as quoted
    when the quote ends with « ... », taken out; None when the message quotes no line of the description."""
    if not _REMOVAL_VERB.search(text):
        return None
    def key(s: str) -> str:
        return re.sub(r"\s+", " ", fold(s).replace("'", " ")).strip(" .…")
    quotes = [key(re.sub(r"(?:\.\.\.|…)\s*$", "", m.group(1) or m.group(2))) for m in _QUOTED.finditer(text)]
    quotes = [q for q in quotes if len(q) >= 4]
    if not quotes:
        return None
    lines = description.split("\n")
    kept = [line for line in lines if not any(key(line).startswith(q) or (len(q) >= 15 and q in key(line))
                                             for q in quotes)]
    if len(kept) == len(lines) or not kept:
        return None
    return "\n".join(kept), ""


def removed_from_description(text: str, description: str | None) -> tuple[str, str] | None:
    """(the description without the sentences the member asks to remove, the rest of the message), or None when
    the message removes nothing of it (« enlevez la ligne sur l'imprimerie », « ne mettez pas ma petite-fille dans
    la description »: members' round 14). A « … et mettez plutôt que … » after the removal is added in its place."""
    if not description:
        return None
    quoted = _removed_quoted_lines(text or "", description)
    if quoted is not None:
        return quoted
    found = _P.remove_from_description.search(text or "")
    if not found:
        return None
    what = found["what"] or found["what2"] or found["what3"]
    words = [w for w in re.findall(r"[a-z0-9]+", fold(what).replace("'", " ")) if len(w) >= 4 or w.isdigit()]
    if not words:
        return None
    def named(sentence: str) -> bool:
        return all(re.search(rf"\b{re.escape(w[:max(4, len(w) - 2)])}", fold(sentence).replace("'", " ")) for w in words)

    lines = [[s for s in re.split(r"(?<=[.!?;])\s+", line) if s.strip()] for line in description.split("\n")]
    kept = [[s for s in line if not named(s)] for line in lines]
    if sum(map(len, kept)) == sum(map(len, lines)):
        return None
    rest = text[found.end():]
    instead = _P.instead_that.match(rest)
    if instead:
        fact = rest[instead.end():].strip(" .")
        if fact:
            kept.append([fact[:1].upper() + fact[1:] + "."])
        rest = ""
    return "\n".join(" ".join(line) for line in kept if line), rest


def replaced_in_description(text: str, description: str | None) -> str | None:
    """The description with a number the member corrects replaced (« c'est 12 séances et pas 10 »), or None when
    the message corrects no number of it."""
    if not description:
        return None
    # « 2 300 € »: a thousands separator typed as a space is no break in the number (members' round 15)
    found = _P.instead_of_value.search(THOUSANDS.sub("", text or ""))
    if not found:
        return _replaced_date(text or "", description)
    new, old = next((found[f"new{n}"], found[f"old{n}"]) for n in ("", "2", "3", "4") if found[f"new{n}"])
    # « 210 € pas 180, j'ai regardé » (members' round 14): the comma after the number is not part of it
    old_number = re.match(r"\d[\d,.]*", old).group(0).rstrip(",.")
    new_number = re.match(r"\d[\d,.]*", new).group(0).rstrip(",.")
    # the description's « 2 100 € » is the « 2100 » the member names
    pattern = re.compile(r"(?<![\d,.])" + r"[\s\u00a0\u202f]?".join(re.escape(d) for d in old_number) + r"(?![\d])")
    if not pattern.search(description) or old_number == new_number:
        return _replaced_date(text or "", description)
    return pattern.sub(new_number, description)


_MONTHS = {"janvier": "janvier", "fevrier": "f[ée]vrier", "mars": "mars", "avril": "avril", "mai": "mai",
           "juin": "juin", "juillet": "juillet", "aout": "ao[ûu]t", "septembre": "septembre", "octobre": "octobre",
           "novembre": "novembre", "decembre": "d[ée]cembre"}
_DATE = r"(?:\d{1,2}(?:er)?\s+)?(?:" + "|".join(_MONTHS) + r")\b|\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?"
# The date set aside: « et pas le 3 février », « au lieu du 3 février », « enlevez février ».
_OLD_DATE = re.compile(r"\b(?:pas|non|et pas|et non|au lieu d[ue]|plutot que|enlev\w*|retir\w*|supprim\w*)\s+"
                       r"(?:(?:le|du|en|de|la date du|la date de)\s+)?(?P<old>" + _DATE + ")")
_ANY_DATE = re.compile(_DATE)


def _replaced_date(text: str, description: str) -> str | None:
    """The description with a date the member corrects replaced (« dans la description c'est le 3 octobre, enlevez
    février » — members' round 22: the description replaced by the sentence), or None: the old date must be in the
    description once, the new one said beside it."""
    folded = fold_aligned(text)
    old = _OLD_DATE.search(folded)
    if old is None:
        return None
    new = next((m for m in _ANY_DATE.finditer(folded) if not (old.start("old") <= m.start() < old.end("old"))), None)
    if new is None:
        return None
    old_date, new_date = old["old"], text[new.start():new.end()]  # (folding keeps the positions)
    day = re.match(r"(\d{1,2}(?:er)?)\s+", old_date)
    month = re.search("|".join(_MONTHS), old_date)
    if month is None:
        return None  # a date in figures: not matched word for word in the story
    words = (re.escape(day.group(1)) + r"\s+" if day else r"(?:\d{1,2}(?:er)?\s+)?") + _MONTHS[month.group(0)]
    where = list(re.finditer(r"(?<![\w])" + words + r"\b", description, flags=re.I))
    if len(where) != 1:
        return None
    return description[:where[0].start()] + new_date + description[where[0].end():]
