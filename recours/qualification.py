"""Is the member's message a réclamation? Which kind of request, which body, and why (rules.md §1, §2).

The NLU intent gives the kind of request; the text can overrule it, because the definition does: a
réclamation is "l'expression d'un mécontentement envers un professionnel", so a request for an attestation
that "still has no answer" is a complaint (dissatisfaction wins). The overruling is done with a lexicon of
dissatisfaction markers, kept as data at the top of this module so a reader can review and extend it
without reading code. Matching works on a normalised copy of the text (lower case, no accents, apostrophes
and hyphens as spaces, SMS abbreviations expanded, long misspelt words corrected) so "tjrs pas de rep" and
"rembourssement" are read like the dictionary forms.

Markers are ignored when negated ("je ne suis pas mécontent") or hypothetical ("si je n'ai pas de réponse
d'ici lundi"), and a few neutral phrases are masked first ("par erreur", "pas de problème").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "CONCERNED_BODIES",
    "INTENT_KINDS",
    "MARKER_LABELS_FR",
    "REQUEST_KINDS",
    "UNSURE_BELOW",
    "VOCABULARY",
    "Qualification",
    "fold",
    "normalise_text",
    "qualify",
]

REQUEST_KINDS = ("complaint", "information", "clarification", "confirmation", "service", "goodwill")
CONCERNED_BODIES = ("insurer", "cpam")
INTENT_KINDS: dict[str, str] = {
    "complain": "complaint",
    "ask_information": "information",
    "ask_clarification": "clarification",
    "ask_confirmation": "confirmation",
    "request_service": "service",
    "request_goodwill": "goodwill",
}
UNSURE_BELOW = 0.45  # NLU confidence under which the assistant asks instead of concluding (the calibrated SVM of
# addons/intent_classifier.py: 0.6 left 15 of 189 held-out requests undecided, 0.45 leaves 5; FallbackClassifier's threshold)


@dataclass(frozen=True)
class Qualification:
    request_kind: str | None  # one of REQUEST_KINDS, None when undetermined
    concerned_body: str  # one of CONCERNED_BODIES
    explanation_fr: str  # one or two sentences shown to the member
    unsure: bool  # True: ask one short question (buttons) rather than conclude
    dissatisfaction_markers: tuple[str, ...]  # keys of MARKER_LABELS_FR found, in order of appearance


# ==================================================================================================
# Lexicon (all patterns apply to the normalised text: see normalise_text)
# ==================================================================================================

# SMS and abbreviated spellings -> dictionary words (whole tokens only).
SMS_WORDS: dict[str, str] = {
    "tjrs": "toujours", "tjr": "toujours", "tjs": "toujours", "toujour": "toujours", "tj": "toujours",
    "rep": "reponse", "rps": "reponse", "repons": "reponse", "reponce": "reponse",
    "pb": "probleme", "pbm": "probleme", "pblm": "probleme", "prob": "probleme", "pbs": "problemes",
    "pr": "pour", "ds": "dans", "vs": "vous", "ns": "nous", "qd": "quand", "bcp": "beaucoup",
    "pk": "pourquoi", "pq": "pourquoi", "pkoi": "pourquoi", "pourkoi": "pourquoi", "koi": "quoi",
    "ke": "que", "k": "que", "kil": "qu il", "jsp": "je sais pas", "jsais": "je sais", "chui": "je suis",
    "chuis": "je suis", "jsuis": "je suis", "jai": "j ai", "g": "j ai", "jattends": "j attends",
    "jattend": "j attends", "jen": "j en", "ya": "il y a", "mm": "meme", "tt": "tout", "tte": "toute",
    "dc": "donc", "mtn": "maintenant", "mnt": "maintenant", "msg": "message", "tel": "telephone",
    "tlf": "telephone", "tph": "telephone", "mutu": "mutuelle", "mut": "mutuelle", "remb": "remboursement",
    "rembt": "remboursement", "rbt": "remboursement", "rmb": "remboursement", "rbst": "remboursement",
    "cotis": "cotisation", "dmd": "demande", "nn": "non", "pa": "pas", "tro": "trop",
    "nvl": "nouvelles", "nvls": "nouvelles",
    "secu": "secu", "ss": "securite sociale", "ij": "indemnites journalieres", "ijs": "indemnites journalieres",
    "inadmissibe": "inadmissible", "tjours": "toujours", "toujous": "toujours", "svp": "s il vous plait",
    "stp": "s il te plait", "slt": "salut", "bjr": "bonjour", "cc": "coucou", "rdv": "rendez vous",
    "0": "aucune", "zero": "aucune", "auj": "aujourd hui", "ajd": "aujourd hui",
}

# Words that typo correction must leave alone: real French words one letter away from a lexicon word
# ("contente" is not "conteste", "lecteur" is not "lenteur", "indique" is not "indigne").
KNOWN_WORDS = frozenset({
    "contente", "contentes", "contents", "contexte", "contenter", "contenu", "contenue", "contacte", "contacter",
    "contactez", "contacts", "lecteur", "lecteurs", "indique", "indiquee", "indiquer", "indiquez", "indiques",
    "attendu", "attendue", "attendre", "attente", "mettent", "regard", "recolte", "malade", "malades",
    "reposer", "repondu", "repondre", "reponds", "reception", "receptions", "relever", "releves", "prevoir",
    "prevenu", "prevenue", "traiter", "traitee", "traites", "version", "versions", "verser", "versees",
    "nouvelle", "comptes", "compter", "compris", "comprise", "montant", "montants", "contrat", "contrats", "services",
    "rappele", "rappeler", "rappelez", "actuellement", "normalement", "personne", "personnes", "pourtant",
})

# Correction targets: lexicon words long enough (7+ letters) to be recognised when misspelt.
VOCABULARY = frozenset({
    "reponse", "reponses", "remboursement", "remboursements", "rembourse", "remboursee", "rembourser",
    "remboursent", "mecontent", "mecontente", "mecontents", "mecontentement", "inadmissible", "inacceptable",
    "scandaleux", "scandaleuse", "honteux", "honteuse", "toujours", "nouvelles", "attestation", "cotisation",
    "cotisations", "mutuelle", "resiliation", "resilier", "prestation", "prestations", "indemnites",
    "journalieres", "reclamation", "contestation", "conteste", "contester", "insatisfait", "insatisfaite",
    "incompetent", "incompetente", "incompetence", "desagreable", "deplorable", "lamentable", "catastrophique",
    "prelevement", "prelevements", "complementaire", "prevoyance", "securite", "assurance", "maladie",
    "adhesion", "versement", "versements", "paiement", "traitement", "interlocuteur", "conseiller",
    "conseillere", "telephone", "injoignable", "relance", "relances", "attends", "obligatoire", "invalidite",
    "incapacite", "hospitalisation", "consultation", "lunettes", "optique", "dentaire", "decompte",
    "information", "renseignement", "explication", "comprends", "confirmer", "confirmation", "commercial",
    "exceptionnel", "probleme", "problemes", "difficulte", "inadmissibles", "scandale", "deception",
    "raccroche", "accueil", "accueilli", "qualite", "augmentation", "augmente", "souscription", "affiliation",
    "radiation", "echeancier", "certificat", "anormal", "injuste", "plainte", "litige", "desaccord",
    "dysfonctionnement", "exaspere", "furieux", "furieuse", "pathetique", "pitoyable", "horrible",
    "impossible", "refusent", "refusee", "rejetee", "suspendu", "bloquee", "personne", "jamais",
    "vraiment", "concernant", "medecin", "traitant", "vitale", "sociale", "primaire", "pension",
})


@dataclass(frozen=True)
class MarkerGroup:
    key: str  # stable identifier, reported in Qualification.dissatisfaction_markers
    negatable: bool  # False when the pattern itself contains the negation ("pas de réponse")
    patterns: tuple[str, ...]


# What each marker means, as the explanation says it ("... un mécontentement envers votre organisme (...)").
MARKER_LABELS_FR: dict[str, str] = {
    "no_answer": "absence de réponse à votre demande",
    "delay": "délai de traitement trop long",
    "not_executed": "demande ou opération non traitée",
    "reimbursement": "refus ou montant d'un remboursement",
    "benefit_not_paid": "prestation non versée ou versée en retard",
    "refusal": "refus opposé à votre demande",
    "termination": "résiliation non traitée",
    "reception": "qualité de l'accueil",
    "answer_quality": "qualité de la réponse apportée",
    "contest": "contestation d'une décision",
    "error": "erreur signalée",
    "anger": "",  # the dissatisfaction itself: no detail to add
    "complaint_word": "",
}

_OBJ = r"(?:me |m |nous |vous |lui |leur )?"
_PAID = (r"(?:verse|versee|verses|versees|paye|payee|payes|payees|recu|recue|recus|recues|arrive|arrivee|"
         r"percu|percue|percus|percues|touche|touchee|regle|reglee)")
_BENEFITS = (r"(?:indemnites|indemnite|rente|rentes|pension|prestation|prestations|allocation|capital|complement|"
             r"salaire)")

DISSATISFACTION: tuple[MarkerGroup, ...] = (
    MarkerGroup("no_answer", False, (
        r"\btoujours (?:pas|aucune?|sans) (?:eu |recu |obtenu )?(?:de |d |la |une? )?(?:reponse|retour|nouvelles?(?! "
        r"carte| attestation| adresse| demande| cotisation)|suite|reaction)",
        r"\b(?:pas|aucune?|jamais|sans) (?:eu |recu |obtenu |encore eu )?(?:de |d |la moindre |une )?(?:reponse|"
        r"retour|nouvelles?(?! carte| attestation| adresse| demande| cotisation)|suite donnee|reaction)s?\b",
        r"\bpersonne ne " + _OBJ + r"(?:repond|rappelle|recontacte|tient au courant)\w*",
        r"\b(?:on|vous|ils|elle|il|ameli|cpam|secu|mutuelle|service|personne) ne " + _OBJ + r"(?:repond|repondez|"
            r"repondent|rappelle|rappelez|rappellent|recontacte)\w* (?:pas|jamais|plus|toujours pas)\b",
        r"\b(?:ne|n) " + _OBJ + r"(?:avez|ont|a|avons) (?:jamais|toujours pas|pas|plus|meme pas) (?:ete )?(?:repondu|"
                                r"rappele|recontacte|repondus)\b",
        r"\b(?:reste|restee|restes|restees|demeure|demeuree)\w* (?:toujours )?sans (?:reponse|suite|nouvelles|retour)",
        r"\btoujours rien\b",
        r"\bj attends toujours\b",
        r"\btoujours en attente\b",
        r"\b(?:j ai|je vous ai|je les ai|nous avons|on a|ai deja|j avais) (?:deja |pourtant |encore )?(?:relance|"
        r"rerelance|reecrit|rappele|renvoye)\b",
        r"\b(?:relance|relances|appele|ecrit|envoye|renvoye|demande|telephone|rappele|reclame|sollicite)\w* "
        r"(?:plusieurs|\d+|deux|trois|quatre|cinq|maintes|de nombreuses|x) fois\b",
        r"\b(?:plusieurs|nombreuses|multiples|\d+|deux|trois|quatre|deuxieme|troisieme|enieme|\d+e|\d+eme) "
        r"relances?\b",
        r"\blettres? de relance\b|\bsans (?:aucun )?retour\b",
        r"\b(?:ca|cela) fait (?:\d+|deux|trois|quatre|cinq|six|plusieurs|x|n) fois que\b",
    )),
    MarkerGroup("delay", False, (
        r"\bj attends?\b.{0,40}\bdepuis\b",
        r"\battend\w*\b.{0,30}\bdepuis (?:plus de |pres de )?(?:\d+|un|une|deux|trois|quatre|cinq|six|des|plusieurs|"
        r"longtemps|le|la|debut|fin)\b",
        r"\bdepuis (?:plus de |pres de )?(?:\d+|un|une|deux|trois|quatre|cinq|six|des|plusieurs) (?:jours|semaines|"
        r"mois|ans)\b.{0,30}\b(?:attend\w*|rien|aucune?|pas de nouvelles|sans nouvelles|sans reponse|toujours pas)\b",
        r"\b(?:ca|cela) fait\b.{0,30}\bque (?:j attends|j attend|je patiente|j ai (?:fait|envoye|demande|ecrit|"
        r"relance)|je relance|j essaie|ma demande|mon dossier|rien|on attend|nous attendons)",
        r"\b(?:trop|tres|beaucoup trop|bien trop|vraiment trop|super|hyper) (?:long|longs|longue|longues|lent|lents|"
        r"lente|lentes|longtemps)\b",
        r"\b(?:trop|beaucoup trop|bien trop) de temps\b",
        r"\bmett\w* .{0,20}(?:une eternite|des mois|des semaines|un temps fou|trop de temps)",
        r"\b(?:delai|delais)\b.{0,25}\b(?:anormal|anormaux|excessif|excessifs|depasse|depasses|trop long|trop longs|"
        r"inadmissible|inacceptable|scandaleux|interminable|non respecte|pas respecte)",
        r"\bhors delai\b|\bdepasse (?:le|les) delai",
        r"\b(?:remboursement|remboursements|versement|versements|reponse|dossier|traitement|prestation|indemnites|"
        r"demande)s? (?:est |sont |toujours |encore |deja |a nouveau )*en retard\b",
        r"\b(?:vous etes|ils sont|elle est|vous avez ete|ils ont ete) (?:encore |toujours |tres )?en retard\b",
        r"\bretard\w* (?:dans le |dans la |de |d |du |des )(?:traitement|reponse|remboursement|versement)\b",
        r"\blenteur\w*\b",
        r"\b(?:ca|cela|le dossier|mon dossier|ma demande) traine\b|\btraine depuis\b",
        r"\b(?:dossier|demande) (?:est |reste )?(?:bloque|bloquee|en souffrance)\b",
        r"\btoujours en cours\b",
        r"\bdepuis des (?:semaines|mois|annees)\b",
    )),
    MarkerGroup("not_executed", False, (
        r"\btoujours pas (?:ete )?(?:recu|recue|recus|recues|eu|obtenu|obtenue|traite|traitee|pris en compte|"
        r"prise en compte|enregistre|enregistree|effectue|effectuee|fait|faite|modifie|modifiee|mis a jour|regle|"
        r"reglee|arrive|arrivee|parvenu|parvenue|envoye|envoyee|corrige|corrigee)\b",
        r"\b(?:jamais|toujours rien) (?:ete )?(?:recu|recue|obtenu|arrive|arrivee|parvenu|parvenue)\b",
        r"\bjamais eu (?:mon|ma|mes|la|le|les|l|aucun|aucune)\b",
        r"\b(?:n est|ne sont|n a|n ont) jamais (?:ete )?(?:venu|venue|venus|arrive|arrivee|arrives|parvenu|parvenue|"
        r"fait|faite|effectue|effectuee)\b",
        r"\b(?:pas|jamais|toujours pas) (?:ete )?(?:pris|prise) en compte\b",
        r"\b(?:n a|n ont|ne sont|n est) (?:jamais |toujours pas |pas )(?:ete )?(?:traite|traitee|enregistre|"
        r"enregistree|effectue|effectuee|corrige|corrigee|modifie|modifiee)\b",
    )),
    MarkerGroup("reimbursement", False, (
        r"\b(?:pas|jamais|toujours pas|ni|rien) (?:ete )?(?:rembourse|remboursee|rembourses|remboursees|indemnise|"
        r"indemnisee|pris en charge|prise en charge)\b",
        r"\b(?:ne|n) " + _OBJ + r"(?:rembourse|remboursent|remboursez|rembourseront|rembourseras|prend|prennent|"
                                r"prenez) (?:pas|rien|jamais|plus|toujours pas)\b",
        r"\b(?:ne|n) " + _OBJ + r"(?:a|ont|avez) (?:pas|rien|jamais|toujours pas|toujours rien) (?:rembourse|pris en "
                                r"charge|indemnise)\b",
        r"\b(?:veulent|veut|voulez|souhaitent|acceptent|accepte|acceptez) (?:pas|plus|toujours pas) " + _OBJ
        + r"(?:rembourser|payer|prendre en charge|indemniser)\b",
        r"\b(?:rembours|indemnis|pay|verse|pris en charge|prise en charge)\w*\b.{0,40}\bmais (?:toujours |rien |"
        r"jamais )?(?:pas|rien|aucun|jamais|toujours pas)\b",
        r"\bpas (?:le bon|du bon) montant\b|\bpas la bonne somme\b",
        r"\b(?:n|ne) " + _OBJ + r"(?:ai|a|avons|ont|avez) (?:ete )?(?:rembourse|remboursee|recu|touche|percu|verse|"
                                r"paye)\w* (?:que|qu)\b",
    )),
    MarkerGroup("reimbursement", True, (
        r"\brefus\w* (?:de |d )?" + _OBJ + r"(?:rembours\w*|prise en charge|prendre en charge|payer|paiement|"
                                           r"indemnis\w*|garantie|mon dossier|ma demande|ma facture|mes soins|ma "
                                           r"prise en charge)",
        r"\b(?:remboursement|remboursements|prise en charge|demande de remboursement|dossier|facture|devis|feuille "
        r"de soins|soins)s? (?:a ete |ont ete |est |sont |m a ete |m ont ete )?(?:refuse|refusee|refuses|refusees|"
        r"rejete|rejetee|rejetes|rejetees)\b",
        r"\b(?:montant|remboursement|remboursements|decompte|calcul|somme|tarif|base)\w* (?:est |sont |me semble |"
        r"semble |parait )?(?:tres |totalement |completement )?(?:incorrect|incorrecte|errone|erronee|faux|fausse|"
        r"insuffisant|insuffisante|ridicule|derisoire|pas bon|pas juste|trop (?:bas|basse|faible|petit|petite))\b",
        r"\b(?:beaucoup )?moins (?:que|qu) (?:prevu|d habitude|annonce|le devis|ce qui|ce que|la derniere fois)",
        r"\bil (?:me )?manque\b.{0,30}\b(?:euros?|rembours\w*|somme|montant|argent)",
        r"\b(?:probleme|problemes|souci|soucis|difficulte|difficultes) (?:de |d |avec |sur |concernant |pour )(?:mon "
        r"|ma |mes |le |la |les |un |une )?(?:remboursement|remboursements|rembourse\w*|versement|paiement|prise en "
        r"charge|indemnisation|indemnites|prestation|prestations|decompte)",
        r"\b(?:mal|moins bien|plus mal) rembourse\w*\b",
        r"\bpersonne ne " + _OBJ + r"(?:rembourse|paie|verse|prend en charge)\b",
        r"\brefus de (?:garantie|prise en charge|remboursement)\b",
    )),
    MarkerGroup("refusal", True, (
        r"\b(?:m a|m ont|nous a|nous ont|a|ont|est|sont|m a ete|m ont ete|nous a ete) (?:ete )?(?:refuse|refusee|"
        r"refuses|refusees|rejete|rejetee|rejetes|rejetees)\b",
        r"\brefus (?:de |d )(?:mon |ma |mes |l |la |le )?(?:adhesion|souscription|affiliation|dossier|demande|aide|"
        r"droits)\b",
        r"\b(?:ils|elle|il|vous|on) (?:me |m |nous )?(?:refuse|refusent|refusez)\b",
    )),
    MarkerGroup("benefit_not_paid", False, (
        r"\b" + _BENEFITS + r"\b.{0,40}\b(?:pas|jamais|toujours pas|plus|rien) (?:ete )?" + _PAID + r"\b",
        r"\b(?:ne|n) " + _OBJ + r"(?:ont|a|avez|verse|versent|versez|paie|paient|payez) (?:pas|jamais|toujours pas|"
                                r"rien|plus) (?:verse|paye|regle )?.{0,30}\b" + _BENEFITS + r"\b",
        r"\b(?:toujours pas|jamais|pas|rien) (?:touche|percu|recu) (?:mes |ma |mon |les |la |le |d |de |aucune? )?"
        + _BENEFITS + r"\b",
    )),
    MarkerGroup("benefit_not_paid", True, (
        r"\b(?:versement|versements|paiement|paiements|indemnisation)s? (?:est |sont |a ete |ont ete )?(?:bloque|"
        r"bloques|bloquee|suspendu|suspendus|interrompu|interrompus|arrete|arretes|stoppe|retarde|en retard)\b",
        r"\bretard\w* (?:de |d |dans le |dans les |du |des )(?:versement|versements|indemnisation|indemnites|mes "
        r"indemnites|ma rente|ma pension)\b",
    )),
    MarkerGroup("termination", False, (
        r"\bresili\w*\b.{0,40}\b(?:pas|jamais|toujours pas|toujours pas ete|pas ete|jamais ete) (?:ete )?(?:pris|"
        r"prise|traite|traitee|effective|effectif|effectue|effectuee|enregistre|enregistree|acceptee|accepte|validee|"
        r"valide|faite|fait)\b",
        r"\btoujours pas (?:ete )?(?:resilie|resiliee|radie|radiee)\b",
        r"\b(?:prelev|factur|debit|cotis|appel)\w*\b.{0,50}\b(?:apres|malgre|alors que|bien que|pourtant|"
        r"depuis)\b.{0,30}\bresili",
        r"\bresili\w*\b.{0,60}\b(?:toujours|encore|continu\w*) (?:a |de )?" + _OBJ
        + r"(?:preleve|prelev\w*|factur\w*|debit\w*)",
        r"\b(?:resilier|resiliation)\b.{0,40}\b(?:refus\w*|veulent pas|veut pas|impossible|bloque\w*|rien ne bouge|"
        r"toujours rien)\b",
    )),
    MarkerGroup("termination", True, (
        r"\b(?:refus|refuse|refusent|refusez|rejette|rejettent|refuser)\w* (?:de |d )?(?:ma |la |mon |prendre en "
        r"compte ma |traiter ma |enregistrer ma )?(?:resiliation|resilier|radiation|demande de resiliation)\b",
    )),
    MarkerGroup("reception", True, (
        r"\baccueil\w* (?:est |etait |a ete |vraiment |tres |franchement |au telephone |au guichet |telephonique "
        r")*(?:deplorable|nul|nulle|desagreable|horrible|catastrophique|lamentable|execrable|odieux|froid|glacial|"
        r"inadmissible|scandaleux|inacceptable|mauvais|insupportable|pitoyable|minable|pourri)\b",
        r"\b(?:mauvais|mediocre|tres mauvais|deplorable|horrible|sale) accueil\b",
        r"\b(?:mal|tres mal) (?:accueilli|accueillie|accueillis|recu|recue|parle|traite|traitee|renseigne|renseignee|"
        r"conseille|conseillee|informe|informee|oriente|orientee)\b",
        r"\b(?:conseiller|conseillere|agent|agente|operateur|operatrice|interlocuteur|interlocutrice|personne|"
        r"standardiste|employe|employee|dame|monsieur|gestionnaire|telephoniste)s? "
        r"(?:au telephone |a l accueil |au guichet |que j ai eu |que j ai eue )?(?:a ete |etait |est |tres |super |"
        r"vraiment |particulierement |franchement |completement )*"
        r"(?:desagreable|impoli|impolie|agressif|agressive|odieux|odieuse|incompetent|incompetente|irrespectueux|"
        r"irrespectueuse|meprisant|meprisante|hautain|hautaine|condescendant|condescendante|insolent|insolente|"
        r"grossier|grossiere|arrogant|arrogante|execrable|malpoli|malpolie)\b",
        r"\b(?:m a|m ont|nous a|on m a|elle m a|il m a) raccroche\b|\braccroche au nez\b",
        r"\binjoignables?\b",
        r"\b(?:balade|baladee|ballotte|ballottee|renvoye|renvoyee|trimbale) (?:de service en service|d un service a "
        r"l autre|de bureau en bureau|de conseiller en conseiller|de personne en personne)",
        r"\battente (?:au telephone|telephonique)\b.{0,30}\b(?:interminable|trop longue|heure|heures|\d+ ?min\w*)",
    )),
    MarkerGroup("reception", False, (
        r"\b(?:impossible|jamais moyen|pas moyen|aucun moyen) (?:de |d )" + _OBJ + r"(?:joindre|contacter|avoir "
            r"quelqu un|parler a quelqu un|avoir un conseiller|avoir une personne)",
        r"\bpersonne ne decroche\b|\b(?:on|vous|ils) ne decroche\w* (?:jamais|pas)\b",
        r"\b(?:pas|jamais) (?:aimable|poli|polie|respectueux|respectueuse|professionnel|professionnelle)\b",
    )),
    MarkerGroup("answer_quality", True, (
        r"\breponses?\b[^.,;!?]{0,30}\b(?:incomplete|insatisfaisante|incomprehensible|a cote de la plaque|toute "
        r"faite|type|standard|automatique|inadaptee|evasive|floue|vague|contradictoire|contradictoires|erronee|"
        r"fausse|inexacte|absurde|hors sujet|insuffisante|nulle)\b",
        r"\b(?:reponses|informations|renseignements|explications) (?:contradictoires|differentes|erronees|fausses)\b",
    )),
    MarkerGroup("answer_quality", False, (
        r"\b(?:ne|n) " + _OBJ + r"(?:repond|repondez|repondent|a repondu|ont repondu|avez repondu) (?:pas|jamais|"
                                r"toujours pas) a (?:ma|mes|la|nos) (?:question|questions|demande|demandes)\b",
        r"\b(?:reponse|explication|reponses|explications)s? (?:ne|n) (?:me |nous )?(?:satisfait|satisfont|convient|"
        r"conviennent|convainc|repond) pas\b",
        r"\breponse pas (?:claire|satisfaisante|complete)\b",
    )),
    MarkerGroup("contest", True, (
        r"\b(?:je |j |nous )?conteste\w*\b",
        r"\bcontestation\w*\b",
        r"\blitiges?\b",
        r"\bdesaccord\b",
        r"\b(?:faire|former|deposer|engager|introduire) (?:un )?recours\b",
        r"\bdecision (?:est |me semble |semble )?(?:injuste|abusive|inacceptable|incomprehensible|arbitraire|"
        r"inadmissible)\b",
        r"\bje refuse (?:cette|la|sa|votre|leur) decision\b",
    )),
    MarkerGroup("contest", False, (
        r"\b(?:pas|plus) (?:du tout )?d accord\b",
        r"\b(?:n|ne) accepte (?:pas|plus) (?:cette|la|sa|votre|leur) decision\b",
    )),
    MarkerGroup("error", True, (
        r"\berreurs?\b",
        r"\berrone\w*\b",
        r"\b(?:vous|ils|elle|il|on) (?:vous |s |se )?(?:etes|sont|est) trompe\w*\b|\bse sont trompes?\b|\bvous vous "
        r"etes trompe\w*\b",
        r"\bdysfonctionnements?\b",
        r"\bpar erreur\b",
        r"\b(?:preleve|prelevee|prelevement|prelevements|debite|debitee|facture|facturee|paye)\w* (?:deux fois|2 "
        r"fois|en double|a tort|en trop)\b",
    )),
    MarkerGroup("anger", True, (
        r"\bmecontent\w*\b",
        r"\bdecu\w*\b|\bdeception\b|\bdecevant\w*\b",
        r"\binsatisfait\w*\b|\binsatisfaction\b",
        r"\binadmissibles?\b|\binacceptables?\b|\bintolerables?\b|\binsupportables?\b",
        r"\bscandal\w*\b|\bhonteu\w*\b|\b(?:c est une|quelle|la) honte\b",
        r"\blamentables?\b|\bdeplorables?\b|\bpathetiques?\b|\bpitoyables?\b|\bminables?\b",
        r"\bincompeten\w*\b",
        r"\bfurieu\w*\b|\ben colere\b|\benerve\w*\b|\bexaspere\w*\b|\bagace\w*\b|\bdegoute\w*\b|\becoeure\w*\b|"
        r"\bexcedee?s?\b(?! le | la | les | pas | de )",
        r"\bchoque\w*\b|\brevolte\w*\b|\boutre\w*\b",
        r"\binjustes?\b|\binjustice\b|\babusi\w*\b|\babus\b|\bc est abuse\b",
        r"\barnaque\w*\b|\bescroc\w*\b|\bescroquerie\b|\bvoleurs?\b",
        r"\b(?:se|vous|ils|on) (?:moque|moquent|moquez|fout|foutent|foutez|fiche|fichent|fichez) (?:de|du|des)\b|"
        r"\bfoutage de\b",
        r"\bn importe quoi\b",
        r"\banormale?s?\b",
        r"\b(?:service|accueil|mutuelle|assurance|reponse|vous etes|c est|franchement|organisme)\s+(?:nul|nulle|nuls|"
        r"naze|pourri|pourrie|zero)\b",
        r"\b(?:ras le bol|marre)\b|\b(?:en ai|en a|en avons|j en ai|on en a) (?:vraiment )?assez\b",
        r"\bplus (?:aucune )?confiance\b|\btrop c est trop\b|\bca suffit\b",
    )),
    MarkerGroup("anger", False, (
        r"\b(?:pas|plus) (?:du tout |vraiment |tres )?(?:normal|normale|content|contente|contents|satisfait|"
        r"satisfaite|satisfaits|serieux|serieuse|acceptable|admissible)\b",
        r"\b(?:n est|ce n est) pas (?:possible|croyable)\b",
    )),
    MarkerGroup("complaint_word", True, (
        r"\breclamations?\b",
        r"\bplaintes?\b|\b(?:me|nous|se) plaindre\b|\bje me plains\b",
        r"\bsignaler un (?:probleme|dysfonctionnement|abus)\b",
    )),
)

# Neutral phrases masked before searching markers: the member's own mistake, reassurance.
NEUTRAL_PATTERNS: tuple[str, ...] = (
    r"\b(?:j ai|je l ai|je les ai|j avais|nous avons|on a|je me suis)\b[^.,;!?]{0,30}\bpar erreur\b",
    r"\bpar erreur (?:j ai|je|nous avons|on a)\b",
    r"\b(?:mon|ma|notre) erreur\b|\berreur de (?:ma|notre) part\b",
    r"\b(?:j ai|j avais|nous avons|on a|je pense avoir) fait (?:une )?erreur\b",
    r"\b(?:pas|aucun|sans|aucune espece de) (?:de )?(?:probleme|souci|soucis|problemes)\b",
    r"\bpas d erreur de ma part\b",
    r"\bcomme (?:vous l avez|indique)\b",
)

# A marker preceded by one of these in its clause is hypothetical ("si je n'ai pas de réponse d'ici lundi").
HYPOTHETICAL_PATTERNS: tuple[str, ...] = (
    r"\bsi jamais\b", r"\bau cas ou\b", r"\ben cas d\b", r"\ben cas de\b", r"\bque faire si\b",
    r"\bque se passe t il si\b", r"\bet si\b",
    r"\bsi (?:je|j|on|vous|ils|elle|il|ma|mon|la|le|les|mes|nous) (?:n|ne)\b",
    r"\bsi c est (?:une?|bien)\b", r"\b(?:sais|savoir|savez) (?:pas )?si\b",
    r"\beviter (?:une|de|d)\b", r"\bpour ne pas\b",
)

# Markers that already say what was refused; the generic "refusal" is then redundant.
SPECIFIC_REFUSALS = frozenset({"reimbursement", "termination", "contest", "benefit_not_paid"})

NEGATION_WORDS = frozenset({"ne", "n", "pas", "sans", "aucun", "aucune", "jamais", "ni", "non"})
# Words after which an earlier negation no longer applies ("je ne comprends pas pourquoi on refuse ...").
SCOPE_BREAKERS = frozenset({"que", "qu", "pourquoi", "car", "parce", "mais", "quand", "comment", "lorsque",
                            "puisque", "si", "et", "ou", "donc", "alors", "pourtant", "cependant"})
NEGATION_WINDOW = 4  # tokens looked at before a negatable marker

# Which body the matter is for (rules.md §2): (pattern, weight); 2 = decisive, 1 = hint.
CPAM_CUES: tuple[tuple[str, int], ...] = (
    (r"\bcpam\b", 2), (r"\bcaisse primaire\b", 2), (r"\bcaisse (?:d )?assurance maladie\b", 2),
    (r"\bassurance maladie\b(?! complementaire)", 2), (r"\bsecu\b", 2), (r"\bsecurite sociale\b", 2),
    (r"\bameli\b", 2), (r"\bcarte vitale\b", 2), (r"\bmedecin traitant\b", 2), (r"\bc2s\b", 2),
    (r"\bcmu\b", 2), (r"\bcomplementaire sante solidaire\b", 2), (r"\bame\b", 2),
    (r"\baide medicale (?:d )?etat\b", 2), (r"\bpart obligatoire\b", 2), (r"\bregime (?:obligatoire|general)\b", 2),
    (r"\bremboursement de base\b", 2), (r"\btransport sanitaire\b", 2), (r"\bvsl\b", 2),
    (r"\baffection longue duree\b|\bald\b", 2), (r"\bcommission de recours amiable\b|\bcra\b", 2),
    (r"\bconciliateur\b", 2), (r"\bpension d invalidite\b", 2), (r"\b36 ?46\b", 2),
    (r"\bindemnites journalieres\b(?! complementaires)", 1), (r"\barret (?:de travail|maladie)\b", 1),
    (r"\bfeuille de soins\b", 1), (r"\bconge maternite\b", 1),
)
INSURER_CUES: tuple[tuple[str, int], ...] = (
    (r"\bmutuelles?\b", 2), (r"\bcomplementaires?\b(?! sante solidaire)", 2), (r"\bprevoyance\b", 2),
    (r"\bcotisations?\b", 2), (r"\badhesion\b", 2), (r"\bsurcomplementaire\b", 2), (r"\bassureurs?\b", 2),
    (r"\bcourtier\b", 2), (r"\bcpms\b", 2), (r"\bklesia\b", 2), (r"\bidentites mutuelle\b", 2),
    (r"\b(?:mon|ma|votre|notre) (?:contrat|assurance)\b(?! maladie)", 2), (r"\bpart complementaire\b", 2),
    (r"\brente\w*\b", 2), (r"\bcapital deces\b", 2), (r"\bincapacite\b", 2), (r"\bdependance\b", 2),
    (r"\bobseques\b", 2), (r"\bindemnites journalieres complementaires\b", 2), (r"\bresili\w*\b", 2),
    (r"\bradiation\b", 2), (r"\bespace adherent\b", 2), (r"\binstitution de prevoyance\b", 2),
    (r"\bgaranties?\b", 1), (r"\bdevis\b", 1), (r"\badherents?\b", 1), (r"\btiers payant\b", 1),
    (r"\binvalidite\b", 1),
)
# Signals that a clause carries the dissatisfaction, to tell which body it targets when both are named.
NEGATIVE_SIGNAL = r"\b(?:pas|rien|jamais|aucune?|refus\w*|toujours|ne|n|plus|sans|erreur|retard|bloque\w*)\b"
CLAUSE_SPLIT = r"[.;!?,\n]|\b(?:mais|alors que|par contre|en revanche|cependant|pourtant|sauf|car|parce que)\b"

# Cues of a non-complaint kind, used when the member denies being dissatisfied but the NLU said "complain".
KIND_CUES: tuple[tuple[str, str], ...] = (
    ("goodwill", r"\bgeste (?:commercial|commerciale)\b|\b(?:a titre )?exceptionnel\w*\b|\bfaveur\b|\bremise\b|"
                 r"\bindulgence\b|\bannuler (?:les|des) (?:frais|penalites|majorations)\b"),
    ("service", r"\battestation\b|\bcarte\b|\brib\b|\bdevis\b|\bduplicata\b|\bcertificat\b|\bchanger\b|"
                r"\bchangement\b|\bmodifier\b|\bformulaire\b|\benvoyer\b|\bresilier\b"),
    ("confirmation", r"\bconfirm\w*\b|\bai je bien\b|\best ce que j ai bien\b|\bbien droit\b|\bbien (?:recu|pris en "
                     r"compte)\b"),
    ("clarification", r"\b(?:comprends|comprend|compris) pas\b|\bcomprendre\b|\bexpliqu\w*\b|\bexplication\b|"
                      r"\bpourquoi\b|\bsur quelle base\b"),
    ("information", r"\bsavoir\b|\brenseign\w*\b|\binformations?\b|\bquestion\b|\bcombien\b|\bquels?\b|\bquelles?\b|"
                    r"\bcomment\b|\bquand\b"),
)

_KIND_PHRASE_FR = {
    "information": "une demande d'information",
    "clarification": "une demande d'explication",
    "confirmation": "une demande de confirmation",
    "service": "une demande de service (attestation, carte, changement de coordonnées…)",
    "goodwill": "une demande de geste commercial",
}
_KIND_SHORT_FR = {
    "information": "une demande d'information",
    "clarification": "une demande d'explication",
    "confirmation": "une demande de confirmation",
    "service": "une demande de service",
    "goodwill": "une demande de geste commercial",
}

# ==================================================================================================
# Normalisation
# ==================================================================================================


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes and hyphens as spaces, punctuation kept as separate tokens."""
    text = unicodedata.normalize("NFKD", (text or "").lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("œ", "oe").replace("æ", "ae").replace("€", " euros ")
    text = re.sub(r"[’'`´ʼ‘\-_/]", " ", text)
    text = re.sub(r"([.,;!?\n])", r" \1 ", text)
    text = re.sub(r"[^a-z0-9.,;!?\n ]", " ", text)
    text = re.sub(r"([a-z])\1{2,}", r"\1", text)  # "marreeee", "nulllll"
    return re.sub(r"[ \t]+", " ", text).strip()


def _osa_distance(a: str, b: str) -> int:
    """Levenshtein distance counting a transposition as one edit ("adhesoin" -> "adhesion")."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=8192)
def _correct(token: str, vocabulary: frozenset[str]) -> str:
    """The vocabulary word a long misspelt token stands for; one edit up to 10 letters, two beyond.

    Short words are never corrected: "marge" must not become "marre", nor "recu" "decu".
    """
    if len(token) < 7 or token in vocabulary or token in KNOWN_WORDS or token in SMS_WORDS:
        return token
    limit = 1 if len(token) <= 10 else 2
    best, best_distance = token, limit + 1
    for word in _index_for(vocabulary).get(token[0], ()):
        if abs(len(word) - len(token)) > limit:
            continue
        distance = _osa_distance(token, word)
        if distance < best_distance:
            best, best_distance = word, distance
    return best


@lru_cache(maxsize=8)
def _index_for(vocabulary: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Vocabulary by first letter: a misspelling rarely touches the first letter, and it keeps lookups cheap."""
    index: dict[str, list[str]] = {}
    for word in vocabulary:
        index.setdefault(word[0], []).append(word)
    return {k: tuple(sorted(v)) for k, v in index.items()}


def normalise_text(text: str, vocabulary: frozenset[str] = VOCABULARY) -> str:
    """The copy of the member's text every pattern of this module (and natures.py) is written against."""
    words = []
    for token in fold(text).split(" "):
        token = SMS_WORDS.get(token, token)
        if token.isalpha():
            token = _correct(token, vocabulary)
        words.append(token)
    return " ".join(words)


# ==================================================================================================
# Matching
# ==================================================================================================


@dataclass(frozen=True)
class _Found:
    key: str
    start: int
    end: int


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_GROUPS = tuple((g.key, g.negatable, _compile(g.patterns)) for g in DISSATISFACTION)
_NEUTRAL_RE = _compile(NEUTRAL_PATTERNS)
_HYPOTHETICAL_RE = _compile(HYPOTHETICAL_PATTERNS)
_CLAUSE_SPLIT_RE = re.compile(CLAUSE_SPLIT)
_NEGATIVE_SIGNAL_RE = re.compile(NEGATIVE_SIGNAL)
_CPAM_RES = tuple((re.compile(p), w) for p, w in CPAM_CUES)
_INSURER_RES = tuple((re.compile(p), w) for p, w in INSURER_CUES)
_KIND_CUE_RES = tuple((k, re.compile(p)) for k, p in KIND_CUES)
_JAMAIS_INTENSIFIER_RE = re.compile(r"\bjamais (?:ete |vu |eu )?(?:aussi|autant|si|pareil)\b")


def _clause_start(text: str, position: int) -> int:
    start = 0
    for m in _CLAUSE_SPLIT_RE.finditer(text, 0, position):
        start = m.end()
    return start


def _negated(text: str, start: int) -> bool:
    """A negation among the few words before the marker, in the same clause and scope."""
    before = text[_clause_start(text, start):start]
    if _JAMAIS_INTENSIFIER_RE.search(before):
        return False
    tokens = before.split()
    for token in reversed(tokens[-NEGATION_WINDOW:]):
        if token in SCOPE_BREAKERS:
            return False
        if token in NEGATION_WORDS:
            return True
    return False


def _hypothetical(text: str, start: int) -> bool:
    return bool(_HYPOTHETICAL_RE.search(text[_clause_start(text, start):start]))


def _scan(text: str) -> tuple[list[_Found], bool]:
    """Dissatisfaction markers (non-negated, non-hypothetical) and whether one was explicitly denied."""
    masked = _NEUTRAL_RE.sub(lambda m: " " * len(m.group(0)), text)
    found: list[_Found] = []
    denied = False
    for key, negatable, rx in _GROUPS:
        for m in rx.finditer(masked):
            if _hypothetical(masked, m.start()):
                continue
            if negatable and _negated(masked, m.start()):
                denied = denied or key in ("anger", "complaint_word", "contest")
                continue
            found.append(_Found(key, m.start(), m.end()))
    found.sort(key=lambda f: f.start)
    keys = {f.key for f in found}
    if keys & SPECIFIC_REFUSALS:  # "je veux résilier et ils refusent" is a termination, not a generic refusal
        found = [f for f in found if f.key != "refusal"]
    return found, denied


def _body_scores(text: str) -> tuple[int, int, list[tuple[int, str]]]:
    """CPAM and insurer scores, and every mention as (position, body)."""
    cpam = insurer = 0
    mentions: list[tuple[int, str]] = []
    for rx, weight in _CPAM_RES:
        for m in rx.finditer(text):
            cpam += weight
            mentions.append((m.start(), "cpam"))
    for rx, weight in _INSURER_RES:
        for m in rx.finditer(text):
            insurer += weight
            mentions.append((m.start(), "insurer"))
    return cpam, insurer, sorted(mentions)


def _target_of_dissatisfaction(text: str, markers: list[_Found], mentions: list[tuple[int, str]]) -> str | None:
    """When both bodies are named, the one closest to the dissatisfaction in its clause (its subject first).

    "la sécu m'a remboursé mais pas ma mutuelle": the negative clause is "pas ma mutuelle" -> insurer.
    """
    bounds = [0] + [m.end() for m in _CLAUSE_SPLIT_RE.finditer(text)] + [len(text) + 1]
    votes: list[str] = []
    for lo, hi in zip(bounds, bounds[1:]):
        in_clause = [(p, b) for p, b in mentions if lo <= p < hi]
        if not in_clause:
            continue
        # a marker counts in the clause where it ends: "remboursé mais pas ma mutuelle" is about the mutuelle
        signals = [max(f.start, lo) for f in markers if lo <= f.end - 1 < hi]
        signal = _NEGATIVE_SIGNAL_RE.search(text, lo, min(hi, len(text)))
        if signal:
            signals.append(signal.start())
        if not signals:
            continue
        first = min(signals)
        before = [(p, b) for p, b in in_clause if p < first]
        after = [(p, b) for p, b in in_clause if p >= first]
        votes.append(before[-1][1] if before else after[0][1])
    if not votes:
        return None
    if votes.count("cpam") != votes.count("insurer"):
        return "cpam" if votes.count("cpam") > votes.count("insurer") else "insurer"
    return votes[0]


def _concerned_body(text: str, markers: list[_Found]) -> str:
    cpam, insurer, mentions = _body_scores(text)
    if cpam and not insurer:
        return "cpam"
    if not cpam:
        return "insurer"
    # Both named: a hint alone never beats a decisive cue of the other body.
    if cpam >= 2 and insurer < 2:
        return "cpam"
    if insurer >= 2 and cpam < 2:
        return "insurer"
    target = _target_of_dissatisfaction(text, markers, mentions)
    if target:
        return target
    return "cpam" if cpam > insurer else "insurer"


def _cue_kind(text: str) -> str | None:
    for kind, rx in _KIND_CUE_RES:
        if rx.search(text):
            return kind
    return None


# ==================================================================================================
# Explanation
# ==================================================================================================


def _explain(kind: str | None, body: str, keys: tuple[str, ...], intent_kind: str | None, unsure: bool,
             denied: bool) -> str:
    towards = "l'Assurance Maladie" if body == "cpam" else "votre organisme"
    if kind is None:
        return (
            "Je ne sais pas encore s'il s'agit d'une réclamation : une réclamation exprime un mécontentement "
            f"envers {towards} (absence de réponse, refus de remboursement, mauvais accueil…), alors qu'une "
            "simple demande n'en est pas une."
        )
    if kind == "complaint":
        details = [MARKER_LABELS_FR[k] for k in keys if MARKER_LABELS_FR[k]][:2]
        detail = f" ({' et '.join(details)})" if details else ""
        if unsure:
            lead = "Il semble s'agir d'une réclamation"
        elif intent_kind and intent_kind != "complaint" and keys:
            lead = f"Il s'agit d'une réclamation, même si vous formulez aussi {_KIND_SHORT_FR[intent_kind]}"
        else:
            lead = "Il s'agit d'une réclamation"
        first = f"{lead} : vous exprimez un mécontentement envers {towards}{detail}."
        if body == "cpam":
            return (f"{first} Elle relève de l'Assurance Maladie, et non de votre complémentaire : "
                    "elle s'adresse à votre CPAM.")
        return first
    phrase = _KIND_PHRASE_FR[kind]
    if denied:
        first = f"Vous indiquez ne pas être mécontent : ce n'est donc pas une réclamation mais {phrase}."
    elif unsure:
        first = (f"Il semble que ce ne soit pas une réclamation mais {phrase}, car vous ne signalez pas "
                 "de mécontentement.")
    else:
        first = (f"Ce n'est pas une réclamation mais {phrase} : vous ne signalez pas de mécontentement "
                 f"envers {towards}.")
    if body == "cpam":
        return first + " Elle relève de l'Assurance Maladie : adressez-la à votre CPAM."
    return first + " Votre interlocuteur habituel peut y répondre."


# ==================================================================================================
# Public API
# ==================================================================================================


def qualify(intent: str | None, text: str, confidence: float | None = None, body: str | None = None) -> Qualification:
    """Qualify the member's need from the NLU intent (and its confidence) and the text itself.

    Dissatisfaction found in the text makes it a complaint whatever the intent (rules.md §1). Otherwise the
    intent decides; an intent that is not a request kind gives ``request_kind=None``. ``unsure`` asks the
    caller to confirm with the member: no intent, no kind, or a confidence under ``UNSURE_BELOW`` with no
    marker to decide. ``body`` overrides the concerned body when the caller knows better (recours.routing:
    the deploying organisation's context, or the member's answer).
    """
    normalised = normalise_text(text)
    found, denied = _scan(normalised)
    keys = tuple(dict.fromkeys(f.key for f in found))
    body = body or _concerned_body(normalised, found)
    intent_kind = INTENT_KINDS.get(intent or "")

    if keys:
        kind: str | None = "complaint"
        unsure = False
        denied = False
    else:
        kind = intent_kind
        low_confidence = confidence is not None and confidence < UNSURE_BELOW
        unsure = intent is None or kind is None or low_confidence
        if kind == "complaint" and denied:
            # "je ne suis pas mécontent, je voudrais juste savoir…": the NLU caught the word, not the meaning.
            cue = _cue_kind(normalised)
            kind = cue or "information"
            unsure = unsure or cue is None
        else:
            denied = denied and kind is not None and kind != "complaint"
    explanation = _explain(kind, body, keys, intent_kind, unsure, denied)
    return Qualification(
        request_kind=kind,
        concerned_body=body,
        explanation_fr=explanation,
        unsure=unsure,
        dissatisfaction_markers=keys,
    )
