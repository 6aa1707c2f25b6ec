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
from recours.patterns import patterns

__all__ = ["clean_holder", "holder_in", "individual_holder_answer", "names_employer", "names_employer_only",
           "says_individual"]


_P = patterns("holders")
_COMMON = patterns("common")
def individual_holder_answer(text: str) -> bool:
    """« contrat individuel » typed as the whole message."""
    return bool(_P.individual_answer.match(text or ""))


def says_individual(text: str) -> bool:
    """An individual contract said in a sentence, anywhere in the answer (members' round 14: « C'est moi toute seule,
    à l'agence de Maubeuge, il y a bien dix ans, après le décès de mon mari. Donc individuel je suppose. »,
    « Il s'agit d'un contrat individuel »); not « ce n'est pas un contrat individuel », nor beside a company."""
    folded = fold_aligned(text or "")
    if not _P.individual_said.search(folded) or _P.not_individual.search(folded):
        return False
    return not re.search(r"\b(?:societe|entreprise|employeur|patron|boite|sarl|sas|collecti\w*)\b", folded)


# A company named in a holder answer: in brackets, or after « la société », « l'entreprise », « SARL »… with a
# capitalised name (members' round 20).
_NAME_RUN = r"[A-ZÀ-Þ][\w'’&-]*(?:\s+(?:de|des|du|d['’]|et|&|[A-ZÀ-Þ][\w'’&-]*))*"
_COMPANY_NAMED = re.compile(
    r"\((?P<name>" + _NAME_RUN + r")\)|\b(?:soci[ée]t[ée]|entreprise|SARL|SAS|groupe|[ée]tablissements|ets)\s+(?:des?\s+|du\s+)?"
    r"(?P<name2>" + _NAME_RUN + r")")


def holder_in(text: str) -> str | None:
    """The employer a member names with its group contract inside a longer answer, or None."""
    holder = _holder_in(text)
    if holder and re.search(r"\b(?:mien|mienne|sien|sienne|miens)\b", fold_aligned(holder)):
        return None  # « l'employeur de mon mari, pas le mien » (members' round 20: « Pas le Mien »)
    return holder


def _holder_in(text: str) -> str | None:
    folded = fold_aligned(text or "")
    if _P.relatives_employer.search(folded):
        # « la mutuelle de l'entreprise de mon mari, Garonne Logistique »: the company, not the husband
        after = re.search(r"(?:mari|[ée]pouse|femme|conjointe?|compagnon|compagne|p[èe]re|m[èe]re)\s*[,:\-]\s*"
                          r"(?P<name>[^\W\d_][^.;!?\n,]{1,60})", text or "", re.I)
        if after and (company := _as_company(clean_holder(after["name"], None))):
            return company
    relative_works = _P.relative_works_at.search(text or "")
    if relative_works:
        return _as_company(relative_works["holder"].strip(" .,!;:-"))
    named = _P.named_then_employer.search(text or "")
    if named and not _P.not_a_company.search(fold_aligned(named["name"])) and \
            (company := _as_company(clean_holder(named["name"], None))):
        return company
    said = _P.holder_said.search(text or "")
    if said:
        who = (said["before"] or said["after"]).strip()
        if re.match(r"(?:mon|ma|notre)\s", who, re.I):
            if _P.by_relative.search(fold_aligned(f"c est {who} qui l a souscrit")):
                return clean_holder(f"c'est {who} qui l'a souscrit", None)  # a relative: « sa mère »
            return None  # « c'est mon employeur qui a souscrit le contrat »: its name is asked
        if company := _as_company(clean_holder(who, None)):
            return company
    works = _P.works_at.search(text or "")
    if works and _P.collective_hint.search(text or ""):
        return _as_company(clean_holder(works["holder"], None))
    match = _P.holder_in.search(text or "")
    if match and re.match(r"(?:qui|que|qu['’ ])\b", match["holder"], re.I):
        match = None  # « c'est mon employeur qui l'a pris »: its name is asked
    holder = _as_company(clean_holder(match["holder"], None)) if match else None
    return _as_company(re.sub(r"^(?:la|le|les|l['’])\s*", "", holder, flags=re.I)) if holder else None


def _as_company(holder: str | None) -> str | None:
    """A company's name as the record says it (first letter up); None for none, or for an individual contract."""
    if not holder or holder == "Contrat individuel":
        return None
    if re.fullmatch(r"(?:elle|lui|moi|eux|elles)(?:[- ]m[eê]mes?)?|nous(?:[- ]m[eê]mes)?", holder.strip(), re.I):
        return None  # « C'est elle-même qui a pris ce contrat » (members' round 19): a person, no company
    return holder[:1].upper() + holder[1:]


def clean_holder(text: str, member_name: str | None, *, by_a_relative: bool = False) -> str | None:
    """Who took out the contract, as the record should say it: the company's name, or the member for an
    individual contract. « c'est mon employeur, la société Transports Marel » -> « Transports Marel ».
    ``by_a_relative``: someone writes for the member (« elle l'a pris elle-même » is then the member)."""
    text = re.sub(r"\s+", " ", without_already_said(nfkc(text))).strip(" .,!;:")
    corrected = list(_COMMON.self_correction.finditer(text))
    if corrected and text[corrected[-1].end():].strip(" .,!;:"):
        text = text[corrected[-1].end():].strip(" .,!;:")  # « Transports Leroy. ah non attendez … Entrepôts »
    by_relative = _P.by_relative.search(fold_aligned(text))
    # « contrat individuel, souscrit par ma femme », « c'est ma défunte épouse qui l'avait souscrit, à titre
    # individuel » (members' round 17): a relative's individual contract, not the member's
    # « Il l'a pris lui-même … Je pense que c'est individuel maintenant », typed by his daughter (members' round 18):
    # the member's own contract
    relative_took_it = bool(by_relative and not by_relative["self"] and (by_relative["by"] or re.search(
        r"\bl a(?:vait)? (?:souscrit|pris)\b", fold_aligned(text))))
    if says_individual(text) and not relative_took_it:
        return member_name or "Contrat individuel"
    relative = (by_relative["by"] or by_relative["who"]) if by_relative else None
    if relative_took_it and relative and says_individual(text):
        # « c'est un contrat individuel, souscrit par mon épouse, Mme ROUSSEAU née LEMOINE Odette » (round 17), « c'est
        # mon défunt mari qui l'avait pris à son nom pour nous deux, je crois que c'est un contrat individuel » (18)
        return message_fr("facts_noted.holder_relative", relative=_THEIR_RELATIVE.get(relative, "un proche"))
    relative_works = _P.relative_works_at.search(text)
    if relative_works and not says_individual(text):
        holder = relative_works["holder"].strip(" .,!;:-")[:120]
        return holder[:1].upper() + holder[1:]
    company = _COMPANY_NAMED.search(text)
    if company and not says_individual(text):
        # « la mutuelle du boulot de mon mari (Boulangeries Roux SAS) », « C'est la société Transports Gaillard, à
        # Roanne. C'était l'employeur de mon mari, pas le mien. » (members' round 20: « Contrat individuel souscrit
        # par son mari », « Pas le Mien »): the company named is the holder
        name = re.sub(r"(?:\s+(?:de|des|du|d['’]|et|&|à|a))+$", "", company["name"] or company["name2"]).strip(" .,!;:-")
        if len(name) >= 2:
            return name[:120]
    works = _P.works_at.search(text)
    if works:
        text = works["holder"]  # « je crois que je bosse chez Imprimerie Lemaire »
    # the first sentence only: « …la société Transports Lemoine. Au fait pour la CPAM, je dois… ? »
    text = re.split(r"(?<=[A-Za-zÀ-ÿ0-9)])[.!?…](?:\s|$)", text, maxsplit=1)[0].strip(" .,!;:")
    # « qui a souscrit ? je vous l'ai dit tout à l'heure, c'est mon employeur Transports Leroy »: the last « c'est »
    # (not « c'est de là que vient le contrat », members' round 20)
    said = list(re.finditer(r"\b(?:c['’ ]?est|cest|c)\s+(?!pas\b|de là\b|de la (?:que|qu|d ou|ou)\b|eux\b|[çc]a\b|par là\b|comme\b|bien\b)",
                            text, re.I))  # « c ma mere, … » (SMS)
    if said and said[-1].start() > 0:
        text = text[said[-1].start():]
    if not text:
        return None
    folded = fold_aligned(text)
    relative = _P.by_relative.search(folded)
    if relative and relative["self"] and by_a_relative:
        # « elle l'a pris elle-même, elle est à la retraite depuis longtemps » typed by her daughter (members' round
        # 21: « souscrit par un proche »): the member's own contract
        return member_name or "Contrat individuel"
    if relative and not _P.relatives_employer.search(folded) and \
            not re.search(r"[A-ZÀ-Þ]{2,}|\b[A-ZÀ-Þ][a-zà-ÿ]+ [A-ZÀ-Þ]", text[relative.end():]):
        # « elle l'a souscrit elle-même », « c'est mon épouse qui l'a souscrit »: an individual contract of the
        # member's relative, named as such when no name is given (members' round 11)
        who = relative["who"] or relative["by"]
        return message_fr("facts_noted.holder_relative", relative=_THEIR_RELATIVE.get(who, "un proche") if who
                          else "un proche")
    if _P.not_by_employer.search(folded) or (_P.holder_individual.search(text) and not re.search(
            r"\b(?:soci[ée]t[ée]|entreprise|employeur|sarl|sas)\b", text, re.I)):
        return member_name or "Contrat individuel"
    text = re.split(r",\s*(?:et|mais|puis)\b", text, maxsplit=1)[0]  # « …de Boiry, et mon téléphone a changé : … »
    stripped = _P.holder_prefix.sub("", text).strip(" .,!;:-")
    # « c est l ehpad les Tilleuls mon employeur » (SMS): the employer said after its name
    stripped = re.sub(r"\s*,?\s*(?:c['’ ]?est\s+)?(?:mon|ma|notre)\s+(?:employeur|entreprise|patron|bo[iî]te|"
                      r"soci[ée]t[ée])$", "", stripped, flags=re.I).strip(" .,!;:-")
    stripped = re.sub(r"^l\s+(?=[aeiouyhéèê])", "l'", stripped, flags=re.I)  # « l ehpad » typed without apostrophe
    # « Garonne Logistique, l'entreprise de mon mari »: what follows the name says whose employer it is
    stripped = re.split(r",\s*(?=(?:l['’ ]|la |le |c['’ ]?est )?(?:entreprise|employeur|bo[iî]te|soci[ée]t[ée])\b)",
                        stripped, maxsplit=1, flags=re.I)[0].strip(" .,!;:-")
    if re.match(r"(?:une|un)\s+(?:mutuelle|contrat|assurance)\b|(?:qui|que)\b", stripped, re.I):
        return None  # « c'est une mutuelle d'entreprise », « qui l'a pris »: no name said
    # « celui des anciens de la Sucrerie de Boiry »: the group contract of a company
    stripped = re.sub(r"^(?:celui|celle|le contrat|la mutuelle|le groupe)\s+(?:des anciens\s+|du personnel\s+|des "
                      r"salari[ée]s\s+)?(?:de la|de l['’ ]|du|des|de)\s*", "", stripped, flags=re.I)
    # « les Ateliers Normands de Mécanique, c'est de là que vient le contrat » (members' round 20)
    stripped = re.split(r",\s*c['’ ]?est (?:de là|de la (?:que|qu)|eux|lui|elle|[çc]a|par là)\b", stripped, maxsplit=1)[0]
    if ", " in stripped:
        # « de mon défunt mari, les Tissages Verbeke »: the name after the comma
        last = stripped.rsplit(", ", 1)[1]
        if re.search(r"\b[A-ZÀ-Þ][\w'’-]+", last):
            stripped = last
    # « c'est le contrat collectif de Lactalis, l'employeur de mon mari » (members' round 21: « de Lactalis »)
    stripped = re.sub(r"^(?:de|du|d['’])\s*(?=[A-ZÀ-Þ])", "", stripped)
    stripped = re.sub(r"^(?:les|la|le|l['’])\s*(?=[A-ZÀ-Þ][\w'’-]*\s+\S)", "", stripped)  # not « la Poste »
    stripped = re.sub(r"\s*(?:merci|svp|s['’]il vous pla[iî]t)\W*$", "", stripped, flags=re.I).strip(" .,!;:-")
    # « la mairie de Wattrelos où je bosse »: what follows the name is about the member
    stripped = re.sub(r"\s+(?:o[uù]|l[àa] o[uù]) (?:je|j['’ ])\s*\w.*$", "", stripped, flags=re.I).strip(" .,!;:-")
    if re.match(r"(?:la|le|les|l['’])\s*(?!poste\b)[a-zà-ÿ]{3,}", stripped):
        stripped = re.sub(r"^(?:la|le|les|l['’])\s*", "", stripped)  # « la mairie de Wattrelos »
        stripped = stripped[:1].upper() + stripped[1:]
    if len(stripped) < 2 or not any(ch.isalpha() for ch in stripped):
        return None
    stripped = re.sub(r"^(?:juste|seulement|simplement)\s+", "", stripped, flags=re.I)
    if len(stripped.split()) > 8 or "?" in stripped or _P.sentence_words.search(stripped):
        return None  # a sentence, not a name (« peut-être eux qui n'ont pas envoyé mon inscription ? »)
    # « IMPRIMERIE VAUBAN A LILLE »: the town is not the name
    stripped = re.sub(r"^((?:\S+\s+){1,}\S+)\s+(?:a|à|A|À)\s+(?:[A-ZÀ-Þ][\w'’-]+)$", r"\1", stripped)
    if stripped == stripped.lower() and len(stripped.split()) <= 5:
        stripped = " ".join(w if w in ("de", "des", "du", "et", "la", "le", "les") else w[:1].upper() + w[1:]
                            for w in stripped.split())  # « transports leroy » -> « Transports Leroy »
    return stripped[:120]


_THEIR_RELATIVE = {"epouse": "son épouse", "femme": "sa femme", "mari": "son mari", "defunt mari": "son défunt mari",
                   "defunte epouse": "sa défunte épouse", "feu mon mari": "son défunt mari", "pere": "son père",
                   "mere": "sa mère", "fils": "son fils", "fille": "sa fille", "conjoint": "son conjoint",
                   "conjointe": "sa conjointe", "compagne": "sa compagne", "compagnon": "son compagnon"}


def names_employer_only(text: str) -> bool:
    """« par mon taf », « mon employeur »: an employer, without its name."""
    return bool(_P.employer_only.search(re.sub(r"\s+", " ", nfkc(text)).strip(" .,!;:")))


def names_employer(text: str) -> bool:
    """« par mon employeur, Boulangeries Durand », « la société Marel »: an employer named (where a person's name
    is expected)."""
    return bool(_P.employer.search(nfkc(text)))
