"""Urgent situations read in a statement of need: a person is offered at once (rules.md §10)."""

from __future__ import annotations

import pytest

from recours.routing import route_request
from recours.urgency import detect_urgency

URGENT = [
    ("Vous avez résilié mon contrat sans prévenir, je ne suis plus couverte", "coverage_terminated"),
    ("ma mutuelle m'a radiée pour un retard de cotisation", "coverage_terminated"),
    ("Mon contrat a été résilié et je n'ai plus de mutuelle", "coverage_terminated"),
    ("je ne suis plus couvert depuis le 1er du mois alors que je paie", "coverage_terminated"),
    ("mes garanties sont suspendues depuis hier", "coverage_terminated"),
    ("on m'annonce ma radiation de la prévoyance", "coverage_terminated"),
    ("Je suis opérée demain et la mutuelle ne répond pas pour la prise en charge", "hospitalisation"),
    ("une hospitalisation est prévue lundi et je n'ai toujours pas l'accord", "hospitalisation"),
    ("je dois être hospitalisé la semaine prochaine, il me faut la prise en charge", "hospitalisation"),
    ("Je suis hospitalisé en ce moment et personne ne me répond", "hospitalisation"),
    ("mon opération est programmée dans 3 jours", "hospitalisation"),
    ("la pharmacie refuse le tiers payant, ma carte ne passe pas", "tiers_payant_refused"),
    ("à l'hôpital on m'a refusé la prise en charge, on me demande d'avancer les frais", "tiers_payant_refused"),
    ("Le pharmacien m'a dit que ma carte de mutuelle est rejetée", "tiers_payant_refused"),
    ("la clinique exige que je paie tout car le tiers payant est bloqué", "tiers_payant_refused"),
]
NOT_URGENT = [
    # members' round 23 (m23-B-02, m23-C-05): a bill paid, a refund refused, « urgente (le tiers payant vous est refusé) »
    "J'ai été hospitalisée à la clinique du 3 au 6 novembre, j'avais demandé une chambre seule et CPMS m'a refusé le "
    "remboursement, des frais que j'ai intégralement réglés.",
    "la clinique m a facture 180 euros de frais que je n ai pas acceptes et CPMS a refuse la chambre particuliere",
    # round 9 (m9-d-01): an operation already done is no urgency
    "Bonsoir, je me suis fait opérer de la myopie au laser le 6 octobre, les deux yeux, et ils ont mis 0 euro",
    "Je veux résilier mon contrat",
    "ma demande de résiliation n'est pas prise en compte depuis deux mois",
    "j'ai envoyé une lettre de résiliation et vous continuez à prélever",
    "Ma mutuelle refuse de rembourser mes lunettes",
    "j'ai été opéré l'an dernier et le remboursement n'est jamais arrivé",
    "mon dentiste m'a facturé un dépassement",
    "Comment saisir le médiateur ?",
    "",
]


@pytest.mark.parametrize(("text", "kind"), URGENT)
def test_urgent_situations(text, kind):
    found = detect_urgency(text)
    assert found is not None and found.kind == kind
    assert found.situation_fr


@pytest.mark.parametrize("text", NOT_URGENT)
def test_not_urgent(text):
    assert detect_urgency(text) is None


def test_the_route_carries_the_urgency():
    route = route_request("complain", "Vous avez résilié mon contrat, je suis opérée demain", 0.9)
    assert route.next == "record_complaint" and route.urgency.kind == "coverage_terminated"
    assert route_request("complain", "Ma mutuelle refuse de rembourser mes lunettes", 0.9).urgency is None
