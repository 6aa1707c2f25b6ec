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
from tests.cases import cases

# (intent, text, confidence, request_kind, concerned_body, unsure), written by hand
CASES = cases(__file__, "qualify")


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
    cases(__file__, "markers"),
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
    cases(__file__, "normalise_text"),
)
def test_normalise_text(text: str, normalised: str) -> None:
    assert normalise_text(text) == normalised
