"""Is it a réclamation? (recours/qualification.py, rules.md §1 and §2). Expected values written by hand."""

from __future__ import annotations

import re

import pytest

from recours.qualification import (
    CONCERNED_BODIES,
    INTENT_KINDS,
    MARKER_LABELS_FR,
    REQUEST_KINDS,
    Qualification,
    normalise_text,
    qualify,
)

# (intent, text, confidence, request_kind, concerned_body, unsure)
CASES = [
    # --- plain non-complaints (seed examples and everyday requests)
    ("ask_information", "À quel montant de remboursement ai-je droit ?", 0.95, "information", "insurer", False),
    ("ask_information", "Bonjour, je voudrais savoir si vous remboursez les lunettes de ma fille", 0.9,
     "information", "insurer", False),
    ("ask_information", "est-ce que la mutuelle rembourse l'ostéopathe ?", 0.88, "information", "insurer", False),
    ("ask_information", "ma cotisation a augmenté, pourquoi ?", 0.7, "information", "insurer", False),
    ("ask_clarification", "Je ne comprends pas sur quelle base vous avez calculé mon remboursement", 0.9,
     "clarification", "insurer", False),
    ("ask_confirmation", "Ai-je bien droit au remboursement des lunettes ?", 0.9, "confirmation", "insurer", False),
    ("ask_confirmation", "pouvez-vous me confirmer que mon changement de RIB a bien été pris en compte ?", 0.9,
     "confirmation", "insurer", False),
    ("request_service", "je voudrais une nouvelle carte de tiers payant", 0.93, "service", "insurer", False),
    ("request_service", "Bonjour, pouvez-vous m'envoyer une attestation de mutuelle svp", 0.9, "service", "insurer",
     False),
    ("request_service", "je voudrais changer mon RIB", 0.97, "service", "insurer", False),
    ("request_service", "je n'ai pas reçu ma carte de tiers payant, pouvez-vous la renvoyer ?", 0.8, "service",
     "insurer", False),
    ("request_service", "pourriez-vous me renvoyer mon attestation ? je ne l'ai pas reçue", 0.8, "service",
     "insurer", False),
    ("request_goodwill", "pourriez-vous faire un geste commercial sur mes cotisations", 0.9, "goodwill", "insurer",
     False),
    ("request_goodwill", "Pouvez-vous faire un geste pour mes cotisations en retard ?", 0.85, "goodwill", "insurer",
     False),
    ("request_goodwill", "j'ai eu des frais de retard de paiement, pouvez-vous les annuler à titre exceptionnel ?",
     0.8, "goodwill", "insurer", False),
    ("ask_information", "je voudrais contacter un conseiller", 0.75, "information", "insurer", False),
    ("ask_information", "je vous contacte pour éviter une erreur sur ma déclaration", 0.8, "information", "insurer",
     False),
    # --- traps: negations and neutral uses are not dissatisfaction
    ("ask_information", "je ne suis pas mécontent, je voudrais juste savoir quand je serai remboursé", 0.8,
     "information", "insurer", False),
    ("complain", "je ne suis pas mécontent, je voudrais juste savoir quand je serai remboursé", 0.7,
     "information", "insurer", False),
    ("complain", "je ne conteste pas la décision, je veux juste comprendre pourquoi", 0.65, "clarification",
     "insurer", False),
    ("complain", "ce n'est pas une réclamation, je veux juste savoir où en est mon dossier", 0.6, "information",
     "insurer", False),
    ("ask_information", "pas de problème, je voulais juste savoir le délai", 0.9, "information", "insurer", False),
    ("ask_information", "je n'ai pas de problème avec vous, juste une question sur ma cotisation", 0.9,
     "information", "insurer", False),
    ("ask_information", "je suis contente de votre service, juste une question sur mes garanties", 0.9,
     "information", "insurer", False),
    ("ask_information", "la personne que j'ai eue au téléphone était très aimable, merci", 0.7, "information",
     "insurer", False),
    ("ask_information", "si je n'ai pas de réponse d'ici lundi, que dois-je faire ?", 0.8, "information",
     "insurer", False),
    ("ask_information", "je n'ai pas encore été remboursé de ma consultation, est-ce normal ?", 0.8,
     "information", "insurer", False),
    ("request_service", "j'ai envoyé par erreur deux fois ma facture, pouvez-vous annuler la deuxième ?", 0.8,
     "service", "insurer", False),
    ("ask_information", "j'ai une question sur mon contrat, rien de grave", 0.9, "information", "insurer", False),
    # --- dissatisfaction wins over the intent
    ("request_service", "je n'ai toujours pas de réponse à ma demande d'attestation", 0.9, "complaint", "insurer",
     False),
    ("request_service", "ça fait 3 semaines que j'ai demandé une attestation et toujours rien", 0.9, "complaint",
     "insurer", False),
    ("ask_information", "je voudrais savoir pourquoi je n'ai toujours pas reçu ma carte", 0.9, "complaint",
     "insurer", False),
    ("ask_clarification", "je ne comprends pas pourquoi on me refuse le remboursement", 0.9, "complaint",
     "insurer", False),
    ("ask_information", "je ne suis pas content du tout de devoir relancer", 0.7, "complaint", "insurer", False),
    ("ask_information", "comment faire une réclamation ?", 0.8, "complaint", "insurer", False),
    ("request_service", "je veux résilier et ils refusent", 0.8, "complaint", "insurer", False),
    ("ask_confirmation", "mon changement de RIB n'a toujours pas été pris en compte", 0.7, "complaint", "insurer",
     False),
    # --- complaints, polite and angry registers, typos, SMS
    ("complain", "Je suis très mécontent du traitement de mon dossier", 0.95, "complaint", "insurer", False),
    ("complain", "c'est un scandale, ça fait 4 mois que j'attends", 0.9, "complaint", "insurer", False),
    ("complain", "jamais eu de réponse à mes mails", 0.9, "complaint", "insurer", False),
    ("complain", "tjrs pas de rep depuis 2 mois c'est inadmissible", 0.9, "complaint", "insurer", False),
    ("complain", "mecontant de la mutu, 0 rep a mes mails", 0.9, "complaint", "insurer", False),
    ("complain", "Bonjour, mon rembourssement est tjrs pas arrivé, c'est pas normal", 0.9, "complaint", "insurer",
     False),
    ("complain", "ils continuent de me prélever alors que j'ai résilié en juin", 0.9, "complaint", "insurer", False),
    ("complain", "l'accueil au téléphone était nul", 0.9, "complaint", "insurer", False),
    ("complain", "la conseillère a été très désagréable et m'a raccroché au nez", 0.9, "complaint", "insurer",
     False),
    ("complain", "impossible de vous joindre par téléphone", 0.9, "complaint", "insurer", False),
    ("complain", "je conteste la décision de refus de prise en charge", 0.9, "complaint", "insurer", False),
    ("complain", "il y a une erreur sur mon décompte", 0.9, "complaint", "insurer", False),
    ("complain", "ras le bol de cette mutuelle", 0.9, "complaint", "insurer", False),
    ("complain", "j'en ai marre d'attendre", 0.9, "complaint", "insurer", False),
    ("complain", "ma cotisation a augmenté de 30 % c'est honteux", 0.9, "complaint", "insurer", False),
    ("complain", "remboursement refusé pour mes soins dentaires", 0.9, "complaint", "insurer", False),
    ("complain", "je n'ai été remboursé que de 10 euros sur 200", 0.9, "complaint", "insurer", False),
    ("complain", "je n'ai jamais reçu ma carte de tiers payant malgré 3 relances", 0.9, "complaint", "insurer",
     False),
    ("complain", "je n'ai jamais été aussi déçu par une mutuelle", 0.9, "complaint", "insurer", False),
    ("complain", "mon remboursement est encore en retard", 0.9, "complaint", "insurer", False),
    ("complain", "ma rente invalidité n'a pas été versée ce mois-ci", 0.9, "complaint", "insurer", False),
    ("complain", "mes indemnités journalières complémentaires ne sont pas versées par la prévoyance", 0.9,
     "complaint", "insurer", False),
    ("complain", "vous êtes nuls", 0.9, "complaint", "insurer", False),
    ("complain", "Je voudrais faire une réclamation concernant le remboursement de mes lunettes", 0.95,
     "complaint", "insurer", False),
    ("complain", "INADMISSIBLE !!! PERSONNE NE ME RÉPOND", 0.9, "complaint", "insurer", False),
    ("complain", "ma demande d'adhésion a été refusée", 0.8, "complaint", "insurer", False),
    ("complain", "vous m'avez prélevé deux fois ce mois-ci", 0.9, "complaint", "insurer", False),
    ("complain", "je ne suis plus satisfait de vos services", 0.9, "complaint", "insurer", False),
    ("complain", "on m'a promis un rappel qui n'est jamais venu", 0.8, "complaint", "insurer", False),
    ("ask_information", "quelle est l'adresse du médiateur ?", 0.9, "information", "insurer", False),
    ("ask_information", "jamais eu de souci avec vous, mais je voudrais savoir si la cure thermale est remboursée",
     0.9, "information", "insurer", False),
    ("ask_information", "je suis adhérent depuis 10 ans et je voudrais connaître mes garanties", 0.9,
     "information", "insurer", False),
    ("ask_information", "combien de temps faut-il pour être remboursé ?", 0.9, "information", "insurer", False),
    ("request_service", "je souhaite résilier mon contrat", 0.9, "service", "insurer", False),
    # --- CPAM (rules.md §2), and which body the dissatisfaction targets when both are named
    ("complain", "la sécu m'a remboursé mais pas ma mutuelle", 0.9, "complaint", "insurer", False),
    ("complain", "ma mutuelle m'a remboursé mais pas la sécu", 0.9, "complaint", "cpam", False),
    ("complain", "la CPAM ne m'a pas remboursé donc ma mutuelle non plus", 0.9, "complaint", "cpam", False),
    ("complain", "ma mutuelle refuse de me rembourser car la sécu n'a pas transmis", 0.9, "complaint", "insurer",
     False),
    ("complain", "j'ai envoyé ma feuille de soins à la CPAM mais ma mutuelle ne m'a toujours pas remboursé", 0.9,
     "complaint", "insurer", False),
    ("complain", "mes indemnités journalières ne sont toujours pas versées", 0.9, "complaint", "cpam", False),
    ("complain", "je ne reçois plus mes indemnités de la sécu depuis 2 mois, j'ai relancé plusieurs fois", 0.9,
     "complaint", "cpam", False),
    ("complain", "la C2S m'a été refusée", 0.9, "complaint", "cpam", False),
    ("complain", "ma carte vitale ne marche plus et l'ameli ne répond pas", 0.9, "complaint", "cpam", False),
    ("complain", "mon médecin traitant a été mal déclaré à la CPAM et je suis moins bien remboursé", 0.9,
     "complaint", "cpam", False),
    ("ask_information", "quel est le délai de remboursement de la sécu ?", 0.9, "information", "cpam", False),
    ("ask_information", "ma carte vitale est perdue, comment en avoir une autre ?", 0.9, "information", "cpam",
     False),
    ("ask_information", "quelle est la part obligatoire pour une consultation ?", 0.9, "information", "cpam",
     False),
    ("request_service", "je voudrais une attestation de droits de l'Assurance Maladie", 0.9, "service", "cpam",
     False),
    ("ask_information", "ma mutuelle rembourse-t-elle le ticket modérateur ?", 0.9, "information", "insurer",
     False),
    # --- unsure: low confidence with no marker, no intent, or an intent that is no request kind
    ("ask_information", "pour mes lunettes", 0.42, "information", "insurer", True),
    ("complain", "c'est au sujet de mon dossier", 0.4, "complaint", "insurer", True),
    ("greet", "bonjour", 0.99, None, "insurer", True),
    (None, "je voudrais un devis", None, None, "insurer", True),
    (None, "c'est inadmissible", None, "complaint", "insurer", False),
    ("ask_information", "toujours pas de réponse", 0.3, "complaint", "insurer", False),
    ("out_of_scope", "la sécu ne me répond jamais, c'est honteux", 0.55, "complaint", "cpam", False),
]


@pytest.mark.parametrize(("intent", "text", "confidence", "kind", "body", "unsure"), CASES)
def test_qualify(intent: str | None, text: str, confidence: float | None, kind: str | None, body: str,
                 unsure: bool) -> None:
    result = qualify(intent, text, confidence)
    assert (result.request_kind, result.concerned_body, result.unsure) == (kind, body, unsure)


def test_enough_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(("intent", "text", "confidence", "kind", "body", "unsure"), CASES)
def test_values_and_explanation(intent: str | None, text: str, confidence: float | None, kind: str | None,
                                body: str, unsure: bool) -> None:
    result = qualify(intent, text, confidence)
    assert result.request_kind is None or result.request_kind in REQUEST_KINDS
    assert result.concerned_body in CONCERNED_BODIES
    assert set(result.dissatisfaction_markers) <= set(MARKER_LABELS_FR)
    assert (result.request_kind == "complaint" and not result.unsure) >= bool(result.dissatisfaction_markers)
    explanation = result.explanation_fr
    assert 1 <= len(re.findall(r"[.!?](?:\s|$)", explanation)) <= 2, explanation
    assert not re.search(r"\b(tu|te|ton|ta|tes|toi)\b", explanation), explanation
    if result.request_kind == "complaint":
        assert "réclamation" in explanation and "mécontentement" in explanation
    elif result.request_kind is not None:
        assert "pas une réclamation" in explanation
    if result.concerned_body == "cpam":
        assert "Assurance Maladie" in explanation


@pytest.mark.parametrize(
    ("text", "markers"),
    [
        ("je n'ai toujours pas de réponse à ma demande d'attestation", ("no_answer",)),
        ("j'attends depuis 3 mois le remboursement de mes lunettes", ("delay",)),
        ("mon changement de RIB n'a toujours pas été pris en compte", ("not_executed",)),
        ("remboursement refusé pour mes soins dentaires", ("reimbursement",)),
        ("mes indemnités journalières ne sont toujours pas versées", ("benefit_not_paid",)),
        ("je veux résilier et ils refusent", ("termination",)),
        ("l'accueil au téléphone était nul", ("reception",)),
        ("la réponse que j'ai reçue est incomplète", ("answer_quality",)),
        ("je conteste cette décision", ("contest",)),
        ("il y a une erreur sur mon décompte", ("error",)),
        ("ras le bol", ("anger",)),
        ("je souhaite déposer une réclamation", ("complaint_word",)),
        ("je ne suis pas mécontent", ()),
        ("je ne conteste pas", ()),
        ("il n'y a pas d'erreur", ()),
        ("pas de problème", ()),
        ("je ne veux pas faire de réclamation", ()),
        ("si jamais il y a une erreur, prévenez-moi", ()),
    ],
)
def test_markers(text: str, markers: tuple[str, ...]) -> None:
    assert qualify("complain", text, 0.9).dissatisfaction_markers == markers


def test_complaint_explanation_names_the_marker() -> None:
    result = qualify("request_service", "je n'ai toujours pas de réponse à ma demande d'attestation", 0.9)
    assert result.explanation_fr.startswith("Il s'agit d'une réclamation, même si vous formulez aussi une demande "
                                            "de service : vous exprimez un mécontentement envers votre organisme")
    assert "(absence de réponse à votre demande)" in result.explanation_fr


def test_explanations_vary_by_kind() -> None:
    texts = {
        "information": ("ask_information", "quel est le plafond pour les lunettes ?"),
        "clarification": ("ask_clarification", "je ne comprends pas ce décompte"),
        "confirmation": ("ask_confirmation", "ai-je bien droit à l'ostéopathe ?"),
        "service": ("request_service", "je voudrais une attestation"),
        "goodwill": ("request_goodwill", "un geste commercial serait possible ?"),
    }
    explanations = {kind: qualify(intent, text, 0.9).explanation_fr for kind, (intent, text) in texts.items()}
    assert len(set(explanations.values())) == len(texts)
    assert "demande d'information" in explanations["information"]
    assert "demande d'explication" in explanations["clarification"]
    assert "demande de confirmation" in explanations["confirmation"]
    assert "demande de service" in explanations["service"]
    assert "geste commercial" in explanations["goodwill"]


def test_cpam_complaint_is_sent_to_the_cpam() -> None:
    result = qualify("complain", "la CPAM refuse de me rembourser mon transport sanitaire", 0.9)
    assert result.concerned_body == "cpam"
    assert "Assurance Maladie" in result.explanation_fr and "CPAM" in result.explanation_fr


def test_denial_is_explained() -> None:
    result = qualify("complain", "je ne suis pas mécontent, je voudrais juste savoir le délai", 0.8)
    assert result.request_kind == "information"
    assert result.explanation_fr.startswith("Vous indiquez ne pas être mécontent")


def test_unknown_kind_explains_the_definition() -> None:
    result = qualify(None, "bonjour", None)
    assert result.request_kind is None and result.unsure
    assert "mécontentement" in result.explanation_fr


def test_every_intent_maps_to_a_contract_value() -> None:
    assert set(INTENT_KINDS.values()) == set(REQUEST_KINDS)
    assert REQUEST_KINDS == ("complaint", "information", "clarification", "confirmation", "service", "goodwill")
    assert CONCERNED_BODIES == ("insurer", "cpam")


def test_result_is_frozen() -> None:
    result = qualify("complain", "ras le bol", 0.9)
    assert isinstance(result, Qualification)
    with pytest.raises(AttributeError):
        result.request_kind = "information"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Je n’ai TOUJOURS pas de réponse !", "je n ai toujours pas de reponse !"),
        ("tjrs pas de rep", "toujours pas de reponse"),
        ("g pas eu de remb", "j ai pas eu de remboursement"),
        ("rembourssement", "remboursement"),
        ("mécontant", "mecontent"),
        ("inadmisible", "inadmissible"),
        ("adhesoin", "adhesion"),
        ("marreeee", "marre"),
        ("ras-le-bol", "ras le bol"),
        ("70 €", "70 euros"),
        # real words one letter away from a lexicon word stay as they are
        ("contente", "contente"),
        ("contacter", "contacter"),
        ("contexte", "contexte"),
        ("lecteur", "lecteur"),
        ("comme indiqué", "comme indique"),
        ("marge", "marge"),
        ("reçu", "recu"),
    ],
)
def test_normalise_text(text: str, normalised: str) -> None:
    assert normalise_text(text) == normalised
