"""Who took out the contract, read from what members type (issue 11): the employer's name for a group contract
(« c'est mon employeur, la société Transports Marel »), the member for an individual one (« contrat individuel »,
« je l'ai pris moi-même, par mon banquier », « pas par mon travail »), or a relative's individual contract
(« c'est mon épouse qui l'a souscrit »). Split from ``recours.facts``, which re-exports it. No Rasa import.
"""

from __future__ import annotations

import re

from recours.messages import message_fr
from recours.remarks import without_already_said
from recours.text import fold_aligned, nfkc

__all__ = ["clean_holder", "holder_in", "individual_holder_answer", "names_employer", "names_employer_only"]


# « contrat individuel », « individuel », « c'est un contrat perso »: the whole message answers who took out the contract.
_INDIVIDUAL_ANSWER = re.compile(
    r"^\W*(?:(?:c['’ ]?est\s+)?(?:un\s+|le\s+|mon\s+)?contrat\s+)?(?:individuel|individuelle|perso|personnel)\W*$", re.I)
def individual_holder_answer(text: str) -> bool:
    """« contrat individuel » typed as the whole message."""
    return bool(_INDIVIDUAL_ANSWER.match(text or ""))


# « contrat de mon employeur, Menuiserie Delcourt », « c'est un contrat collectif de ma boîte : Transports Marel ».
_HOLDER_IN = re.compile(
    r"\b(?:contrat|mutuelle|assurance|c['’ ]?est)\s+(?:un\s+contrat\s+)?(?:collectif\s+)?(?:de|par|via|chez|d['’ ]|du)\s*"
    r"(?:mon|ma|notre|l['’ ]?)\s*(?:ancien(?:ne)?\s+)?(?:employeur|entreprise|boite|boîte|taf|taff|travail|"
    r"soci[ée]t[ée])\s*[,:\-]?\s*"
    r"(?P<holder>(?:c['’ ]?est\s+)?(?:la\s+|le\s+|l['’ ]|les\s+)?[^\W\d_][^.;!?\n,]{1,60})",
    re.I,
)


# « scierie delmas c'est eux qui ont le contrat », « c'est ma mère qui a pris le contrat » (members' round 12).
_HOLDER_SAID = re.compile(
    r"(?:^|[,.;:]\s*|\bet\s+)(?P<before>[^\W\d_][\w'’ -]{1,40}?)\s*,?\s*c['’ ]?est (?:eux|elle|lui) qui (?:ont|a) "
    r"(?:pris |souscrit )?(?:le |mon |ce |notre )?contrat\b"
    r"|\b(?:c['’ ]?est|cest|c) (?P<after>(?:la |le |l['’]|mon |ma |notre )?[^\W\d_][\w'’ -]{1,40}?) qui (?:a|ont) "
    r"(?:(?:pris|souscrit|signe|signé)(?: le| mon| ce| notre)?|le|mon) contrat\b", re.I)


# « FROMAGERIE BROSSARD C'EST MON PATRON QUI A LE CONTRAT », « transports garnier cest la boite de mon pere »
# (members' round 13): the company named first, then said to be the employer.
_NAMED_THEN_EMPLOYER = re.compile(
    r"^\W*(?P<name>[^\W\d_][\w'’&. -]{1,50}?)\s*,?\s*(?:c['’ ]?est|cest|c)\s+(?:mon|ma|notre|son|sa|le|la|l['’ ]?)\s*"
    r"(?:patron|employeur|entreprise|boite|boîte|societe|société|taf|taff|travail|boulot)\b", re.I)


def holder_in(text: str) -> str | None:
    """The employer a member names with its group contract inside a longer answer, or None."""
    named = _NAMED_THEN_EMPLOYER.search(text or "")
    if named and (company := _as_company(clean_holder(named["name"], None))):
        return company
    said = _HOLDER_SAID.search(text or "")
    if said:
        who = (said["before"] or said["after"]).strip()
        if re.match(r"(?:mon|ma|notre)\s", who, re.I):
            if _BY_RELATIVE.search(fold_aligned(f"c est {who} qui l a souscrit")):
                return clean_holder(f"c'est {who} qui l'a souscrit", None)  # a relative: « sa mère »
            return None  # « c'est mon employeur qui a souscrit le contrat »: its name is asked
        if company := _as_company(clean_holder(who, None)):
            return company
    match = _HOLDER_IN.search(text or "")
    holder = _as_company(clean_holder(match["holder"], None)) if match else None
    return _as_company(re.sub(r"^(?:la|le|les|l['’])\s*", "", holder, flags=re.I)) if holder else None


def _as_company(holder: str | None) -> str | None:
    """A company's name as the record says it (first letter up); None for none, or for an individual contract."""
    if not holder or holder == "Contrat individuel":
        return None
    return holder[:1].upper() + holder[1:]


_HOLDER_INDIVIDUAL = re.compile(
    r"\b(?:individuel|individuelle|indiv|indiv\w+|moi[- ]?m[eê]me|c['’ ]?est moi|moi|perso|personnel|particulier|"
    r"je l['’ ]?ai (?:souscrit|pris)\w*|j['’ ]?ai souscrit|(?:a|à) titre priv[ée])\b",
    re.I,
)
_HOLDER_PREFIX = re.compile(
    r"^(?:(?:bonjour|alors|euh|heu|oui|donc|bah|ben|bon|beh)\W+)*(?:c['’ ]?est\s+|c['’ ]?[ée]tait\s+|il s['’ ]?agit de\s+|"
    r"le souscripteur (?:est|c['’]est)\s+|"
    r"souscrit par\s+|(?:(?:un |le )?contrat\s+)?collectif\W+(?:par\s+)?|par\s+)*(?:(?:mon|ma|notre|l['’ ]?|le|la)\s*"
    r"(?:ancien\s+|ancienne\s+|ex[- ]|pr[ée]c[ée]dent\s+)?(?:employeur|entreprise|soci[ée]t[ée]|boite|boîte|taf|taff|travail|boulot|job|"
    r"patron|association|comit[ée] d['’ ]?entreprise|ce)\s*[,:\-]?\s*(?:c['’ ]?est\s+)?)?(?:(?:c['’ ]?est\s+)?(?:la|le|l['’ ]?|les)?\s*"
    r"(?:soci[ée]t[ée]|entreprise|groupe|ets|[ée]tablissements?|sarl|sas|sa)\s+)?(?:chez\s+)?",
    re.I,
)


def clean_holder(text: str, member_name: str | None) -> str | None:
    """Who took out the contract, as the record should say it: the company's name, or the member for an
    individual contract. « c'est mon employeur, la société Transports Marel » -> « Transports Marel »."""
    text = re.sub(r"\s+", " ", without_already_said(nfkc(text))).strip(" .,!;:")
    # the first sentence only: « …la société Transports Lemoine. Au fait pour la CPAM, je dois… ? »
    text = re.split(r"(?<=[A-Za-zÀ-ÿ0-9)])[.!?…](?:\s|$)", text, maxsplit=1)[0].strip(" .,!;:")
    # « qui a souscrit ? je vous l'ai dit tout à l'heure, c'est mon employeur Transports Leroy »: the last « c'est »
    said = list(re.finditer(r"\b(?:c['’ ]?est|cest|c)\s+(?!pas\b)", text, re.I))  # « c ma mere, … » (SMS)
    if said and said[-1].start() > 0:
        text = text[said[-1].start():]
    if not text:
        return None
    folded = fold_aligned(text)
    relative = _BY_RELATIVE.search(folded)
    if relative and not re.search(r"[A-ZÀ-Þ]{2,}|\b[A-ZÀ-Þ][a-zà-ÿ]+ [A-ZÀ-Þ]", text[relative.end():]):
        # « elle l'a souscrit elle-même », « c'est mon épouse qui l'a souscrit »: an individual contract of the
        # member's relative, named as such when no name is given (members' round 11)
        who = relative["who"] or relative["by"]
        return message_fr("facts_noted.holder_relative", relative=_THEIR_RELATIVE.get(who, "un proche") if who
                          else "un proche")
    if _NOT_BY_EMPLOYER.search(folded) or (_HOLDER_INDIVIDUAL.search(text) and not re.search(
            r"\b(?:soci[ée]t[ée]|entreprise|employeur|sarl|sas)\b", text, re.I)):
        return member_name or "Contrat individuel"
    text = re.split(r",\s*(?:et|mais|puis)\b", text, maxsplit=1)[0]  # « …de Boiry, et mon téléphone a changé : … »
    stripped = _HOLDER_PREFIX.sub("", text).strip(" .,!;:-")
    # « celui des anciens de la Sucrerie de Boiry »: the group contract of a company
    stripped = re.sub(r"^(?:celui|celle|le contrat|la mutuelle|le groupe)\s+(?:des anciens\s+|du personnel\s+|des "
                      r"salari[ée]s\s+)?(?:de la|de l['’ ]|du|des|de)\s*", "", stripped, flags=re.I)
    if ", " in stripped:
        # « de mon défunt mari, les Tissages Verbeke »: the name after the comma
        last = stripped.rsplit(", ", 1)[1]
        if re.search(r"\b[A-ZÀ-Þ][\w'’-]+", last):
            stripped = last
    stripped = re.sub(r"^(?:les|la|le|l['’])\s*(?=[A-ZÀ-Þ][\w'’-]*\s+\S)", "", stripped)  # not « la Poste »
    stripped = re.sub(r"\s*(?:merci|svp|s['’]il vous pla[iî]t)\W*$", "", stripped, flags=re.I).strip(" .,!;:-")
    if len(stripped) < 2 or not any(ch.isalpha() for ch in stripped):
        return None
    stripped = re.sub(r"^(?:juste|seulement|simplement)\s+", "", stripped, flags=re.I)
    if len(stripped.split()) > 8 or "?" in stripped or _SENTENCE_WORDS.search(stripped):
        return None  # a sentence, not a name (« peut-être eux qui n'ont pas envoyé mon inscription ? »)
    # « IMPRIMERIE VAUBAN A LILLE »: the town is not the name
    stripped = re.sub(r"^((?:\S+\s+){1,}\S+)\s+(?:a|à|A|À)\s+(?:[A-ZÀ-Þ][\w'’-]+)$", r"\1", stripped)
    if stripped == stripped.lower() and len(stripped.split()) <= 5:
        stripped = " ".join(w if w in ("de", "des", "du", "et", "la", "le", "les") else w[:1].upper() + w[1:]
                            for w in stripped.split())  # « transports leroy » -> « Transports Leroy »
    return stripped[:120]


# « c'est mon épouse qui l'a souscrit », « souscrit par mon mari », « elle l'a souscrit elle-même » (folded).
_BY_RELATIVE = re.compile(
    r"\b(?:c est |par )?(?:mon |ma |notre )?(?P<who>epouse|femme|mari|defunt mari|defunte epouse|feu mon mari|"
    r"pere|mere|fils|fille|conjoint|conjointe|compagne|compagnon)\b(?= qui l a (?:souscrit|pris)| l a (?:souscrit|pris)"
    r"|\W*$|,)|\bsouscrit par (?:mon |ma )(?P<by>epouse|femme|mari|pere|mere|conjoint|conjointe)\b"
    r"|\b(?P<self>elle|il) l a (?:souscrit|pris) (?:elle|lui) meme\b")
_THEIR_RELATIVE = {"epouse": "son épouse", "femme": "sa femme", "mari": "son mari", "defunt mari": "son défunt mari",
                   "defunte epouse": "sa défunte épouse", "feu mon mari": "son défunt mari", "pere": "son père",
                   "mere": "sa mère", "fils": "son fils", "fille": "sa fille", "conjoint": "son conjoint",
                   "conjointe": "sa conjointe", "compagne": "sa compagne", "compagnon": "son compagnon"}
# « ce n'est pas par un employeur », « pas par son travail », « par mon banquier », « par un agent »: individual.
_NOT_BY_EMPLOYER = re.compile(r"\bpas (?:par |de |chez )?(?:un |mon |son |le |l )?(?:employeur|travail|boulot|entreprise|"
                              r"boite)\b|\bpar (?:un |mon |une |ma )(?:banquier|banque|agent|agence|courtier|conseiller)\b")
# Words of a sentence, never of a company's name (« Mtn et vous continuez a me prelever 42 »).
_SENTENCE_WORDS = re.compile(r"\b(?:vous|je|j['’]|ils|elles|nous|me|m['’]|mtn|maintenant|continue\w*)(?=\s|$)", re.I)
_EMPLOYER_ONLY = re.compile(r"^(?:(?:par|c['’ ]?est|chez|via)\s+)*(?:mon|ma|notre|l['’ ]?|le|la)\s*(?:employeur|entreprise|"
                            r"soci[ée]t[ée]|boite|boîte|taf|taff|travail|boulot|job|patron)\W*$", re.I)


def names_employer_only(text: str) -> bool:
    """« par mon taf », « mon employeur »: an employer, without its name."""
    return bool(_EMPLOYER_ONLY.search(re.sub(r"\s+", " ", nfkc(text)).strip(" .,!;:")))


_EMPLOYER = re.compile(r"\b(?:(?:mon|ma|notre|par l['’ ]?|l['’ ]?)\s*(?:employeur|entreprise|boite|boîte|taf|taff|boulot|patron)|"
                       r"soci[ée]t[ée]|sarl|sas|contrat collectif|comit[ée] d['’ ]?entreprise)\b", re.I)


def names_employer(text: str) -> bool:
    """« par mon employeur, Boulangeries Durand », « la société Marel »: an employer named (where a person's name
    is expected)."""
    return bool(_EMPLOYER.search(nfkc(text)))
