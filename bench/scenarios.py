"""Scripted member conversations used by the load benchmark: the complaint flow and the guidance flows.

Each step is (message, text expected in the replies). A conversation "ends as expected" when every expectation
holds; the load benchmark reports that share next to the latencies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.nirs import random_nir

Step = tuple[str, str]


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[Step, ...]


def complaint(rng: random.Random) -> Scenario:
    nir = random_nir(rng)
    n = rng.randrange(10_000)
    return Scenario(
        "complaint",
        (
            ("Bonjour", "Bonjour"),
            (
                "Ma mutuelle refuse de me rembourser mes lunettes alors que mon contrat les couvre, "
                "j'ai envoyé les factures deux fois et personne ne me répond.",
                "Acceptez-vous",
            ),
            ("Oui", "nom"),
            ("Marie Martin", "numéro"),
            (nir, "e-mail"),
            (f"membre{n}@exemple.fr", "souscrit"),
            ("Contrat individuel", "motif"),
            ('/inform{"nature":"remboursement"}', "décision"),
            ("Aucune", "réclamation écrite"),
            ("Non", "justice"),
            ("Non", "récapitulatif"),
            ("/affirm", "REC-"),
            ('/inform{"carrier_type":"mutuelle_fnmf"}', "Mutualité"),
        ),
    )


def mediation(rng: random.Random) -> Scenario:
    return Scenario(
        "mediation",
        (
            ("Puis-je saisir le médiateur ?", "réclamation écrite"),
            ("Oui", "date"),
            ("le 3 septembre", "réponse"),
            ("Non", "justice"),
            ("Non", "médiateur"),
            # CPMS is a broker: the mediator depends on whether the disagreement is about the contract or its work
            ("Non", "contrat"),
            ("Le contrat", "organisme"),
            ('/inform{"carrier_type":"societe_assurance"}', "Médiation de l'Assurance"),
        ),
    )


def cpam(rng: random.Random) -> Scenario:
    return Scenario(
        "cpam",
        (
            ("Comment contester une décision de la CPAM ?", "médical"),
            ("Administrative", "date"),
            ("le 3 octobre", "Commission de recours amiable"),
        ),
    )


def information(rng: random.Random) -> Scenario:
    return Scenario(
        "information",
        (("À quel montant de remboursement ai-je droit pour des lunettes ?", "pas une réclamation"),),
    )


MIX = ((complaint, 0.6), (mediation, 0.2), (cpam, 0.1), (information, 0.1))


def pick(rng: random.Random) -> Scenario:
    roll, total = rng.random(), 0.0
    for factory, weight in MIX:
        total += weight
        if roll <= total:
            return factory(rng)
    return complaint(rng)
