"""The one or two French sentences that tell the member what their message is and why (rules.md §1)."""

from __future__ import annotations

from recours.qualification.lexicon import MARKER_LABELS_FR

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

def explain(kind: str | None, body: str, keys: tuple[str, ...], intent_kind: str | None, unsure: bool,
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