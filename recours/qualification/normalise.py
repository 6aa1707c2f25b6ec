"""The copy of the member's text the lexicons are written against: folded (recours.text), SMS spellings
expanded, long misspelt words corrected, so « tjrs pas de rep » and « rembourssement » read as the dictionary
forms. The intent classifier reads it too (addons/intent_classifier.py): a change here changes the model."""

from __future__ import annotations

from functools import lru_cache

from recours.text import corrections, tokens

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
    # the organisation addressed as « vous » (« vous refusez de payer »): verbs, not misspellings of the lexicon
    "refusez", "refusiez", "remboursez", "contestez", "prelevez", "augmentez", "bloquez", "attendez", "confirmez",
    "resiliez", "suspendez", "reclamez", "demandez", "facturez", "repondez",
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

@lru_cache(maxsize=8192)
def _correct(token: str, vocabulary: frozenset[str]) -> str:
    """The vocabulary word a long misspelt token stands for; one edit up to 10 letters, two beyond.

    Short words are never corrected: "marge" must not become "marre", nor "recu" "decu".
    """
    if len(token) < 7 or token in vocabulary or token in KNOWN_WORDS or token in SMS_WORDS:
        return token
    found = corrections(token, vocabulary, 1 if len(token) <= 10 else 2)
    return found[0] if found else token


def normalise_text(text: str, vocabulary: frozenset[str] = VOCABULARY) -> str:
    """The copy of the member's text every pattern of the lexicon (and of recours.natures) is written against."""
    words = []
    for token in tokens(text):
        token = SMS_WORDS.get(token, token)
        if token.isalpha():
            token = _correct(token, vocabulary)
        words.append(token)
    return " ".join(words)
