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

from recours.answers import fold
from recours.text import fold_aligned

__all__ = ["SideQuestion", "split_side_question", "question_kind", "asks_where_to_send_documents", "KINDS"]

# The kinds answered in the form; "other" gets the pointer to the organisation's usual contact.
KINDS = ("deadlines", "refund_when", "human", "why_data", "mediator", "registered_letter", "documents", "glossary",
         "cpam", "cpam_appeal", "phone_counts", "time_limit", "data_rights", "cost", "who_reads", "callback_status", "callback", "how_many",
         "outcome", "pay_meanwhile", "no_card", "notify_how", "whose_name", "written_counts", "member_number_ok",
         "which_nature", "other")

# The words a question starts with (folded), after its « et », « mais », « au fait ».
_QUESTION_WORDS = re.compile(
    r"(?:combien|quand|comment|pourquoi|est ce que|est ce qu|faut il|dois je|doit on|peut on|puis je|"
    r"c est quoi|cest quoi|qu est ce|ca prend|ca va prendre|vous allez|vous pouvez|pouvez vous|allez vous|"
    r"y a t il|quel|quelle|quels|quelles|ou (?:est ce que|dois|faut|envoyer|puis)|je peux|on peut|est il possible|"
    r"c est possible|pourriez vous|vous pourriez|je voudrais savoir|j aimerais savoir|je veux savoir|"
    r"c est (?:securise|obligatoire|confidentiel|normal|grave|long))\b"
)
# Without a question mark, only these start a question (« quel scandale ! » does not).
_CLEAR_QUESTION_WORDS = re.compile(
    r"(?:combien|quand|comment|pourquoi|est ce que|est ce qu|faut il|dois je|c est quoi|cest quoi|qu est ce|"
    r"ca prend|ca va prendre|je voudrais savoir|j aimerais savoir|je veux savoir)\b"
)
# A head that is a whole answer by itself (« oui, je peux envoyer les factures ? »).
_SHORT_ANSWER = re.compile(r"^(?:(?:ok|oui|bon|alors|d accord|daccord)\s+)?(?:oui|non|ok|d accord|daccord|j accepte|jaccepte|"
                           r"je refuse|aucune?|aucun|pas encore|jamais|je ne sais pas|je continue)$")
# A head made only of these is no answer (« Attendez, … ? », « Euh, c'est long ? »).
_FILLER = re.compile(r"^(?:(?:attendez|attends|attendez voir|euh+|heu+|hum+|hmm+|bon|alors|pardon|excusez moi|"
                     r"excuse moi|dites|dites moi|une seconde|un instant|une minute|au fait|ah|oh|mais|et|svp|"
                     r"s il vous plait|juste|tiens|question|bonjour|bonsoir|madame|monsieur)\W*)*$")
_LEAD = re.compile(r"^(?:(?:et|mais|au fait|d ailleurs|sinon|par contre|question|aussi|autre question|ah|oh)\W+)+")

_KIND_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # « c combien de questions en tout ? », « il en reste beaucoup ? » (members' round 11)
    ("how_many", re.compile(r"\bcombien (?:de |d )?(?:questions?|etapes?)\b|\b(?:encore|reste) (?:beaucoup|combien)\b"
                            r"(?! de (?:temps|jours|mois))(?: de questions?)?|\bc est bientot fini\b")),
    # « Le rappel est toujours bon ? », « mon rappel de demain est maintenu ? » (members' round 10)
    ("callback_status", re.compile(r"\b(?:le|mon|ce|du) (?:rappel|rendez vous telephonique)\b.{0,40}\b(?:toujours|bien|"
                                   r"encore) (?:bon|prevu|valable|maintenu|d actualite)\b|\b(?:le|mon|ce|du) rappel\b.{0,40}\b(?:tient|tiendra|"
                                   r"marche|va se faire|a lieu|aura lieu)\b|\b(?:j ai |jai )?deja (?:demande|reserve|"
                                   r"pris|eu) (?:un|le|mon) rappel\b|\b(?:pas|veux pas) (?:2|deux) rappels\b|\b(?:rappel|rendez vous)\b"
                                   r".{0,30}\b(?:est|reste) (?:maintenu|prevu|valable)\b")),
    # « ET JE VEUX QU'ON ME RAPPELLE DEMAIN MATIN », « et demander un rappel » (members' round 11)
    ("callback", re.compile(r"\b(?:qu on me rappelle|etre rappele\w*|rappelez[ -]moi|(?:demander|je demande) un rappel|"
                            r"(?:vous|on|quelqu un|une personne|un conseiller) (?:pouvez|pourriez|pourrait|peut|pourra)"
                            r"(?: vous)? me rappeler|me rappeler (?:demain|lundi|mardi|mercredi|jeudi|vendredi|le|ce|"
                            r"cet|vers|a))\b")),
    ("why_data", re.compile(r"\bpourquoi\b.{0,40}\b(?:besoin|demande\w*|voulez|faut)\b|\bc est (?:securise|"
                            r"confidentiel|obligatoire)\b|\bque (?:allez|faites) vous\b"
                            r".{0,20}\b(?:donnees|numero|informations)\b")),
    # « pour contester le refus de la CPAM j'ai combien de temps ? »: the CPAM's formal appeal, not this complaint
    ("cpam_appeal", re.compile(r"\b(?:contest\w*|recours|faire appel)\b.{0,60}\b(?:cpam|secu|securite sociale|caisse|"
                               r"assurance maladie|ameli)\b|\b(?:cpam|secu|securite sociale|caisse)\b.{0,60}"
                               r"\b(?:contest\w*|recours|faire appel)\b")),
    # « la demande sur l'appli ça compte ? », « mon message sur l'espace assuré ça vaut réclamation ? » (round 12)
    ("written_counts", re.compile(r"\b(?:demande|message|formulaire|mail|courriel)\w*\b.{0,25}\b(?:appli\w*|application|"
                                  r"site|espace (?:assure|adherent|client)|messagerie|internet|en ligne)\b.{0,30}\b(?:compte\w*|"
                                  r"vaut|valent|suffit|considere\w*)\b|\b(?:l ?appli\w*|l application|le site)\b.{0,30}\b"
                                  r"(?:ca compte|compte (?:comme|pour))\b")),
    # « je peux vous donner mon numéro d'adhérent ? », « ma carte de mutuelle, ça ira ? » (rounds 11, 12)
    ("member_number_ok", re.compile(r"\b(?:je peux|puis je|on peut|peut on|est ce que je peux)\b.{0,30}\b(?:donner|mettre|"
                                    r"utiliser|indiquer)\b.{0,25}\b(?:numero d adherent|adherent|carte (?:de )?mutuelle|"
                                    r"autre chose|autre numero)\b|\b(?:numero d adherent|carte (?:de )?mutuelle|"
                                    r"numero (?:de|sur) (?:ma |la )?carte)\b.{0,70}\b(?:convient|ca ira|ca va|suffit|"
                                    r"ca marche|possible)\b")),
    # « un appel compte-t-il comme réclamation ? », « mes 3 coups de fil ça compte pas ? »
    ("phone_counts", re.compile(r"\b(?:appels?|appele|coups? de fil|telephone|telephoner)\b.{0,40}\b(?:compte\w*|"
                                r"vaut|valent|suffit|suffisent|suffisait|equivaut|considere\w*)\b")),
    # « est-ce trop tard ? », « jusqu'à quand puis-je contester ? », « il y a un délai pour réclamer ? »
    ("time_limit", re.compile(r"\btrop tard\b|\bprescri\w*|\bjusqu a quand\b|\b(?:delai|combien de temps)\b.{0,20}"
                              r"\bpour (?:reclamer|contester|faire (?:une |ma )?reclamation|agir|porter plainte)\b|"
                              r"\b(?:delai|date) limite\b")),
    # « la CNIL », « vous gardez mes données combien de temps ? », « supprimez mes données »
    ("data_rights", re.compile(r"\bcnil\b|\brgpd\b|\b(?:mes|vos|les) donnees\b.{0,40}\b(?:supprim\w*|effac\w*|"
                               r"gard\w*|conserv\w*|droits?|acces|qui|combien de temps)\b|\b(?:supprim\w*|effac\w*|"
                               r"gard\w*|conserv\w*)\b.{0,30}\bmes donnees\b")),
    # « c'est payant ? », « il me faut un avocat ? »
    ("cost", re.compile(r"\b(?:gratuit\w*|payant\w*|ca coute|coute combien|ca me coute|combien ca coute|avocats?)\b")),
    # « ça sert à quoi si personne ne lit ? », « qui va lire ma réclamation ? »
    ("who_reads", re.compile(r"\bca sert a (?:quoi|rien)\b|\bpersonne (?:ne )?(?:lit|lira|lis|va lire|lisent)\b|"
                             r"\bqui (?:va )?(?:lire|lit|lira|traite\w*|s occupe\w*)\b|\bquelqu un va (?:la )?(?:lire|"
                             r"s en occuper|traiter)\b|\b(?:sera|va etre) (?:lue?|traitee?) par\b")),
    ("refund_when", re.compile(r"\b(?:quand|combien de temps|delai|d ici quand)\b.{0,40}\brembours\w*|\brembours\w*"
                               r"\b.{0,40}\b(?:quand|combien de temps|delai)\b")),
    # « les 145 euros je les récupère comment ? », « vous allez me rembourser combien au final ? » (rounds 10, 11)
    ("outcome", re.compile(r"\b(?:je (?:les |le |la )?recupere\w*|recuperer (?:mon|mes|les|l|ces|ce)|(?:me )?(?:seront|sera)"
                           r" (?:rendus?|rembourse\w*|restitue\w*)|vous (?:allez|aller) me rembourser|me rembourser combien|"
                           r"rembourse\w* combien au final|combien au final|combien (?:je vais|vais je|je serai|vous allez) "
                           r"(?:toucher|recuperer|etre rembourse\w*|me rembourser)|(?:peut|pouvez|pourrait|pourriez|peuvent)"
                           r"(?: vous| il| elle| ils)? me rembourser (?:les|mes|ces|le|la|l))\b")),
    # « dois-je payer la clinique en attendant ? », « les pompes funèbres peuvent attendre ? » (rounds 10, 11)
    ("pay_meanwhile", re.compile(r"\b(?:payer|avancer|regler|rembourser)\b.{0,40}\ben attendant\b|\ben attendant\b.{0,40}"
                                 r"\b(?:payer|avancer|regler)\b|\bpeu(?:t|vent)(?: ils| elles)? attendre\b|"
                                 r"\bprelevements?\b.{0,40}\b(?:passer|continuer|encore|arreter|suspend\w*|stopp\w*)\b|"
                                 r"\bhuissiers?\b|\bpenalites?\b")),
    # « je fais comment demain à la pharmacie sans carte ? » — a carte Vitale is the CPAM's (below)
    ("no_card", re.compile(r"\bsans (?:ma |la |une |de )?carte\b(?! vitale)|\b(?:nouvelle|autre|ma) carte\b(?! vitale)"
                           r".{0,40}\b(?:avant|quand|comment|pharmac\w*)\b|\bl? ?attestation\b(?! (?:de |d )?(?:droits?|"
                           r"paiement|salaire|indemnites|securite|vitale|ameli))")),
    # « je peux parler à quelqu'un plutôt ? c'est long » (round 13): the person, not the deadlines
    ("human", re.compile(r"\b(?:parler|joindre|avoir)\b.{0,20}\b(?:quelqu un|qqn|qqun|quelquun|un conseiller|une "
                         r"conseillere|un humain|une personne|quelqu un en vrai)\b")),
    # « je mets quoi ? », « je sais pas quoi choisir », « c'est quoi le mieux ? » at the motif question (round 13)
    ("which_nature", re.compile(r"\b(?:je (?:mets|met|choisis|coche|prends)|on met|faut (?:il )?mettre|je dois (?:mettre|"
                                r"choisir))\b.{0,15}\bquoi\b|\bquoi (?:choisir|mettre|cocher)\b|\bc est quoi le mieux\b|"
                                r"\bquel (?:motif|choix)\b.{0,20}\b(?:choisir|mettre|prendre|mieux)\b")),
    ("deadlines", re.compile(r"\b(?:combien de temps|quel delai|quels delais|delai|dans combien|sous combien|"
                             r"ca prend|ca va prendre|quand)\b.{0,50}\b(?:repon\w*|traite\w*|traitement|accuse\w*|"
                             r"reponse|nouvelles|retour|recontact\w*|rappel\w*|ca prend|prendre)\b"
                             r"|\b(?:combien de temps|delais?)\b|\b(?:c|c est|ca va etre|ca sera|ca prend) (?:trop |tres )?"
                             r"long\b")),
    # « vous me préviendrez par SMS ? », « la réponse arrive par courrier ou par mail ? » (rounds 10, 11)
    ("notify_how", re.compile(r"\b(?:previen\w*|prevenir|informe\w*|averti\w*|notifi\w*)\b.{0,30}\b(?:sms|texto|mail|"
                              r"e mail|courrier|telephone)\b|\bpar (?:sms|texto)\b|\bpour (?:le|les) sms\b|\b(?:reponse|"
                              r"repondre|repondrez|repondra)\b.{0,30}\bpar (?:mail|e mail|courrier|la poste|sms|telephone)\b")),
    # « dois-je donner mon nom ou celui de mon épouse ? », « faut-il aussi le nom de ma femme ? » (rounds 10, 11)
    ("whose_name", re.compile(r"\b(?:mon nom|son nom|le nom)\b.{0,40}\bou (?:celui|le nom|son nom)\b|\b(?:faut il|dois je|"
                              r"je dois|il faut)(?: aussi)? (?:donner |mettre |indiquer )?(?:le|son) nom de (?:ma|mon)\b|"
                              r"\b(?:aussi|egalement) le nom de (?:ma|mon)\b|\ble nom de (?:ma|mon) (?:femme|epouse|mari|"
                              r"epoux|mere|pere|fille|fils|conjoint\w*)\b.{0,20}\?")),
    ("human", re.compile(r"\b(?:parler|joindre|contacter|appeler)\b.{0,30}\b(?:conseill\w*|humain|personne|quelqu un|"
                         r"qqun|qqn|quelquun|"
                         r"agent|service)\b|\bvotre (?:numero|telephone)\b|\bcomment vous (?:contacter|joindre)\b")),
    ("mediator", re.compile(r"\bmediat\w*\b")),
    # « faut-il envoyer une copie de l'accusé de réception ? », « la brochure comme preuve ? » (round 13): a
    # document to send, not whether to write by registered letter
    ("documents", re.compile(r"\b(?:envo\w+|joindre|transmettre|ajout\w*|fournir|mettre)\b.{0,40}\b(?:copies?|preuves?|"
                             r"brochures?|photocopies?|scans?|justificatifs?|factures?)\b")),
    ("registered_letter", re.compile(r"\b(?:recommande\w*|lrar|accuse de reception|par courrier|par la poste|"
                                     r"ecrire (?:aussi )?(?:un|une) (?:courrier|lettre))\b")),
    ("documents", re.compile(r"\b(?:envo\w+|renvo\w+|joindre|transmettre|ajout\w*|faire parvenir|donner|fournir)\b.{0,40}"
                             r"\b(?:facture\w*|justificatif\w*|pieces?|documents?|papiers?|devis|photo\w*|copie\w*|"
                             r"preuves?|ordonnance\w*|decompte\w*|courrier|tickets?|feuilles? de soins?|releves?|quittances?)\b|\b(?:justificatif\w*|pieces? "
                             r"justificatives?)\b|\b(?:facture\w*|pieces?|documents?|papiers?|devis|photos?|copies?|"
                             r"attestations?|ordonnance\w*)\b.{0,40}\b(?:envo\w+|transmet\w*|joindre|faire parvenir|"
                             r"deposer|adresser)\b")),
)


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
    from recours import glossary  # glossary imports answers too; kept local to stay import-light

    folded = _folded(question)
    for kind, rx in _KIND_RES:
        if rx.search(folded):
            return kind
    if glossary.asked_term(question) is not None:
        return "glossary"
    if _CPAM.search(folded):
        return "cpam"  # « et pour ma carte Vitale volée, je fais comment ? »: the Assurance Maladie's
    return "other"


_CPAM = re.compile(r"\b(?:carte vitale|vitale|ameli|cpam|secu|securite sociale|assurance maladie|caisse primaire|"
                   r"36 46|3646)\b")


def _sentences(text: str) -> list[str]:
    """The message cut after each « ? », « ! », « . », « ; » (a question mark stays with its sentence)."""
    parts = re.split(r"(?<=[?!.;])\s+|\n+", text.strip())
    return [p.strip() for p in parts if p and p.strip()]


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
            if _ANSWER_AFTER.search(_folded(sentence)) or "@" in sentence:
                # « je peux vous donner mon numéro d'adhérent ? c'est 40018273 », « … ça compte ? sinon nn »: the
                # answer typed after the question (members' round 12)
                answer_parts.append(re.sub(r"^(?:sinon|bref|donc)\W+", "", sentence, flags=re.I))
                continue
            question_parts.append(sentence)  # what follows the question belongs to it (« …? je suis pressée »)
            continue
        if sentence.endswith("?"):
            # « non, et le médiateur c'est quoi ? »: the question may start inside the sentence
            head, question = _cut_inside(sentence)
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
        wish = _HUMAN_WISH.search(fold_aligned(sentence)) or _CALLBACK_WISH.search(fold_aligned(sentence))
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
    if _FILLER.match(_folded(answer)):
        answer = ""  # « Attendez, est-ce que je pourrais parler à quelqu'un ? »: « Attendez » answers nothing
    return SideQuestion(answer=answer, question=question, kind=question_kind(question))


# A sentence after a question that is an answer, not more of the question: an identifier, or a bare yes/no.
_ANSWER_AFTER = re.compile(r"\d{2}(?: ?\d{2}){3,}|\d{6,}|^(?:(?:sinon|bref|donc|alors)\W+)?(?:oui|non|nn|nan|ouais)\W*$")
# A call-back asked for after an answer (« rachid@example.org. ET JE VEUX QU'ON ME RAPPELLE DEMAIN MATIN »).
_CALLBACK_WISH = re.compile(r"(?:(?<=^)|(?<=[,;] )|(?<=\s))(?:(?:mais|et|par contre|sinon|aussi)\s+)?(?:je (?:veux|voudrais|"
                            r"souhaite|souhaiterais)\s+(?:qu on me rappelle|etre rappele\w*)|rappelez[ -]moi|"
                            r"(?:demander|je demande) un rappel|vous pouvez me rappeler)\b")
# A wish for a person said after an answer, without a question mark (folded text; positions kept by _folded).
_HUMAN_WISH = re.compile(r"(?:(?<=^)|(?<=[,;] )|(?<=\s))(?:(?:mais|et|par contre|sinon)\s+)?(?:je (?:veux|voudrais|souhaite|"
                         r"souhaiterais|prefere|prefererais)|j aimerais)\s+(?:bien\s+)?(?:parler|discuter|avoir|joindre)"
                         r"\b.{0,40}\b(?:quelqu un|conseill\w*|humain|personne|agent)\b")


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
        bare = _LEAD.sub("", folded_rest + " ").strip()
        if (marked and _QUESTION_WORDS.match(bare)) or _CLEAR_QUESTION_WORDS.match(bare) or (marked and bare != folded_rest and not _QUESTION_WORDS.match(_folded(head))) \
                or (marked and _SHORT_ANSWER.match(_folded(head))):
            return head, rest
    if marked:
        return "", sentence
    return sentence, ""


def lead_stripped(question: str) -> str:
    """« et le médiateur c'est quoi ? » without its « et »."""
    return _LEAD.sub("", _folded(question))


# « je veux ajouter des documents à ma réclamation », « comment je fais pour joindre la facture »
_WANTS = re.compile(r"^(?:(?:bonjour|bonsoir|alors|bon|oui|non|et|mais|donc)\W+)*(?:je (?:veux|voudrais|souhaite|"
                    r"souhaiterais|dois|peux|aimerais)|j aimerais|comment|ou|a qui|est ce que je (?:peux|dois)|puis je|"
                    r"il faut|je veux (?:juste |seulement )?savoir|(?:envoyer|ajouter|joindre|transmettre|rajouter))\b")


def asks_where_to_send_documents(text: str) -> bool:
    """The member asks how or where to send documents (a question or a wish), not tells that they were sent."""
    if question_kind(text) != "documents":
        return False
    # the question or the wish itself is about documents: « J'ai envoyé la facture à CPMS … C'est la faute à qui
    # là ? » asks who is at fault (members' round 10)
    # « je voudrais faire une réclamation : … alors que je l'ai envoyée deux fois » is a new complaint (round 12)
    return any((sentence.endswith("?") or (_WANTS.match(_folded(sentence)) and _TO_SEND.search(_folded(sentence))))
               and question_kind(sentence) == "documents" and not _NEW_COMPLAINT.search(_folded(sentence))
               for sentence in _sentences(text))


_TO_SEND = re.compile(r"^.{0,40}\b(?:envo\w+|ajout\w*|joindre|transmet\w*|depos\w*|faire parvenir|rajout\w*|donner|"
                      r"fournir|adresser)\b")
_NEW_COMPLAINT = re.compile(r"\b(?:faire|deposer|porter|enregistrer|ouvrir) (?:une |ma |un )?(?:reclamation|plainte)\b")
