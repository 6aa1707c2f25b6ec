"""Mediator registry (``data/mediators.yml``) and the choice of the competent mediator.

Why routing lives here: the competent mediator is the one of the organisation that **carries the risk**,
chosen by its legal form (rules.md §5, facts.md §4). An organisation that designated its own mediator
(Identités Mutuelle -> MCD/CNPM, KLESIA -> CTIP) names it in its data file; a broker (CPMS) does not carry the
risk, so the member must say which kind of organisation insures the contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from recours.data_files import ENTRY_KEY, DataFileError, Sourced, build, from_key, read_yaml, validate_against
from recours.messages import message_fr
from recours.organisations import MediationPolicy, Organisation
from recours.settings import PACKAGE_DATA
from recours.text import fold
from recours.patterns import patterns

MEDIATORS_FILE = PACKAGE_DATA / "mediators.yml"
MEDIATORS_SCHEMA = PACKAGE_DATA / "mediators.schema.json"


@dataclass(frozen=True)
class MediatorPostalAddress(Sourced):
    """``lines`` is None when there is no single address (the CPAM médiateur: write to your own CPAM)."""

    lines: tuple[str, ...] | None
    note_fr: str | None = None
    to_confirm: bool = False


@dataclass(frozen=True)
class OnlineReferral(Sourced):
    url: str
    info_url: str | None = None
    note_fr: str | None = None


@dataclass(frozen=True)
class FileContents(Sourced):
    items_fr: tuple[str, ...] = field(metadata=from_key("items"))


@dataclass(frozen=True)
class MediatorDelays(Sourced):
    """Days to hear whether the file is admissible, then days to the outcome (consumer mediation)."""

    admissibility_days: int
    outcome_days: int


@dataclass(frozen=True)
class MediatorCharter(MediationPolicy):
    """When the mediator's own rules let a member refer a case after an answer (rules.md §5, changed).

    The same rule an organisation publishes (``MediationPolicy``); the mediator's, when known, decides.
    """


@dataclass(frozen=True)
class MediatorName(Sourced):
    """One name and site the mediator appears under, with its source and date (when sources disagree)."""

    name_fr: str
    url: str
    used: bool  # the one the assistant shows
    note: str | None = None
    to_confirm: bool = False


@dataclass(frozen=True)
class Mediator:
    id: str = field(metadata=ENTRY_KEY)
    name_fr: str
    in_sentence_fr: str  # with its article: "le Médiateur de la protection sociale (CTIP)"
    scope_fr: str
    consumer_mediation: bool
    postal_address: MediatorPostalAddress
    online_referral: OnlineReferral
    file_contents: FileContents = field(metadata=from_key("file_contents_fr"))
    delays: MediatorDelays | None
    charter: MediatorCharter | None = None
    name_history: tuple[MediatorName, ...] = ()

    @property
    def to_confirm_with_organisation(self) -> bool:
        """A fact about this mediator the organisation must confirm (address, name)."""
        return self.postal_address.to_confirm or any(name.to_confirm for name in self.name_history)

    def how_to_refer_fr(self) -> str:
        """How to refer a case to this mediator, what to send, and how long it takes (French, short)."""
        online = self.online_referral
        online_fr = message_fr("mediators.online", url=online.url)
        if online.note_fr:
            online_fr = message_fr("mediators.online_with_note", note=online.note_fr, url=online.url)
        postal = self.postal_address
        if postal.lines:
            postal_fr = message_fr("mediators.postal", address=", ".join(postal.lines))
        else:
            postal_fr = postal.note_fr or message_fr("mediators.postal_unknown")
        parts = [
            message_fr("mediators.how_to_refer", mediator=self.in_sentence_fr, online=online_fr, postal=postal_fr),
            message_fr("mediators.file_contents", items=" ; ".join(self.file_contents.items_fr)),
        ]
        if self.delays is not None:
            parts.append(message_fr("mediators.delays", admissibility=_days_fr(self.delays.admissibility_days),
                                    outcome_days=self.delays.outcome_days))
        return "\n".join(parts)


@dataclass(frozen=True)
class CarrierOption:
    """A kind of risk carrier the member can pick (buttons), and the mediator it leads to (if one)."""

    key: str = field(metadata=ENTRY_KEY)
    label_fr: str
    mediator_id: str | None = field(metadata=from_key("mediator"))
    note_fr: str | None = None


@dataclass(frozen=True)
class MediatorChoice:
    """The outcome of the routing: a mediator, or the question to ask, or a pointer to the contract notice."""

    mediator: Mediator | None
    needs_carrier_type: bool
    options: tuple[CarrierOption, ...]
    explanation_fr: str
    own_conduct_note_fr: str | None = None
    broker_conduct: bool = False  # the dispute is about the broker's own conduct: its own mediator

    @property
    def mediator_id(self) -> str | None:
        return self.mediator.id if self.mediator is not None else None


def delays_fr(mediator_id: str | None) -> str:
    """« le médiateur met combien de temps ? »: the named mediator's delays, else the rule every consumer mediator
    follows (Code de la consommation R612-5: 90 days from the complete file, facts.md §3)."""
    mediator = mediator_registry().get(mediator_id or "")
    if mediator is not None and mediator.delays is not None:
        return message_fr("mediators.delays", admissibility=_days_fr(mediator.delays.admissibility_days),
                          outcome_days=mediator.delays.outcome_days)
    return message_fr("mediators.delays_in_general")


def _days_fr(days: int) -> str:
    if days % 7 == 0:
        weeks = days // 7
        return message_fr("durations.one_week") if weeks == 1 else message_fr("durations.weeks", count=weeks)
    return message_fr("durations.days", count=days)


@dataclass(frozen=True)
class _RegistryFile:
    """``data/mediators.yml``: the mediators by id, the kinds of risk carrier in the order they are offered."""

    mediators: Mapping[str, Mediator]
    carrier_types: Mapping[str, CarrierOption]


@lru_cache(maxsize=4)
def _load(path: Path = MEDIATORS_FILE) -> tuple[dict[str, Mediator], tuple[CarrierOption, ...]]:
    return read_mediator_file(path)


def read_mediator_file(path: Path) -> tuple[dict[str, Mediator], tuple[CarrierOption, ...]]:
    """Read and validate a mediator registry file (no cache: used by tests and tooling)."""
    data = read_yaml(path)
    validate_against(data, MEDIATORS_SCHEMA, origin=path)
    registry_file = build(_RegistryFile, data, origin=path)
    registry, options = dict(registry_file.mediators), tuple(registry_file.carrier_types.values())
    for option in options:
        if option.mediator_id is not None and option.mediator_id not in registry:
            raise DataFileError(f"{path}: carrier type {option.key!r} names unknown mediator {option.mediator_id!r}")
    return registry, options


def mediator_registry() -> dict[str, Mediator]:
    """Every mediator by id (``mediation_assurance``, ``ctip``, ``fnmf``, ``mcd_cnpm``, ``cpam_mediateur``)."""
    return dict(_load()[0])


def get_mediator(mediator_id: str) -> Mediator:
    registry = _load()[0]
    try:
        return registry[mediator_id]
    except KeyError:
        raise KeyError(f"Unknown mediator {mediator_id!r}; known: {', '.join(sorted(registry))}") from None


def carrier_options() -> tuple[CarrierOption, ...]:
    """All kinds of risk carrier, in the order they are offered to the member."""
    return _load()[1]


DISPUTE_SUBJECTS = ("contract", "broker")

_P = patterns("mediators")


def broker_conduct_too(text: str, organisation_name: str) -> bool:
    """The broker's own conduct raised beside the contract's dispute (« CPMS qui ne répond pas à mes relances, c'est
    le travail du courtier, non ? Ça va aussi au CTIP ? », « la rente refusée c'est le CTIP, et le fait que CPMS ne
    réponde pas, c'est un autre médiateur ? »): both matters, not the contract's turned into the broker's."""
    folded = fold(text, apostrophes=" ")
    broker = read_dispute_subject(text, organisation_name) == "broker" or bool(_P.broker_handling.search(folded))
    return broker and bool(_P.both_matters.search(folded))


def read_dispute_subject(text: str, organisation_name: str = "") -> str | None:
    """``broker`` for the broker's own conduct, ``contract`` for the contract and its benefits, None if unclear.

    The buttons' labels read as such; free text is read by its words (« CPMS a perdu mon dossier » -> broker,
    « le refus de remboursement » -> contract). Both kinds of words, or neither: None (ask, or show both).
    """
    folded = _P.not_the_contract.sub(" ", fold(text, apostrophes=" "))
    name = fold(organisation_name)
    if name and re.search(rf"\b(?:le )?travail de {re.escape(name)}\b", folded):
        return "broker"
    if name and re.search(rf"\b(?:c est|le probleme vient de|vient de|la faute de|la faute a) {re.escape(name)}\b", folded) \
            and re.search(r"\bpas (?:de |d )?(?:l )?assureur\b|\bgere\w* mal\b|\bmal gere\w*\b|\bgestion\b|\ben tant que courtier\b",
                          folded):
        # « c'est CPMS qui gère mal ma résiliation, pas Marbeuf », « le problème vient de CPMS (gestion de la
        # résiliation), pas de l'assureur » (members' round 21: the insurer's mediator, six times)
        return "broker"
    if _P.explicit_conduct.search(folded):
        return "broker"  # « mal conseillé à l'adhésion » is about the advice, whatever it concerned
    broker = bool(_P.broker_conduct.search(folded))
    contract = bool(_P.contract.search(folded))
    if broker and not contract:
        return "broker"
    if contract and not broker:
        return "contract"
    return None


def choose_mediator(
    organisation: Organisation, carrier_type: str | None, dispute_subject: str | None = None
) -> MediatorChoice:
    """The competent mediator for a complaint against ``organisation``.

    ``carrier_type`` (``societe_assurance``, ``institution_prevoyance``, ``mutuelle_fnmf``, ``autre``) only
    matters for an organisation routed ``by_risk_carrier`` (a broker); an organisation with a designated
    mediator ignores it. An unknown ``carrier_type`` raises ValueError (the caller validates the slot).
    """
    policy = organisation.mediator
    if not policy.by_risk_carrier:
        mediator = get_mediator(policy.mediator_id or "")
        explanation = policy.note_fr or message_fr("mediators.designated", mediator=mediator.in_sentence_fr)
        return MediatorChoice(mediator=mediator, needs_carrier_type=False, options=(), explanation_fr=explanation)

    all_options = {option.key: option for option in carrier_options()}
    options = tuple(all_options[key] for key in policy.carrier_types)
    if dispute_subject == "broker" and policy.own_conduct_mediator_fr:
        # the broker's own conduct: its own mediator as an intermediary, not the risk carrier's (rules.md §5)
        return MediatorChoice(
            mediator=None, needs_carrier_type=False, options=(), explanation_fr=" ".join(policy.own_conduct_mediator_fr.split()),
            own_conduct_note_fr=policy.own_conduct_note_fr, broker_conduct=True,
        )
    if carrier_type is None:
        explanation = [message_fr("mediators.carrier_unknown", organisation=organisation.name)]
        if dispute_subject is None and policy.own_conduct_note_fr:
            explanation.append(" ".join(policy.own_conduct_note_fr.split()))  # both told when unknown
        return MediatorChoice(
            mediator=None,
            needs_carrier_type=True,
            options=options,
            explanation_fr=" ".join([*explanation, message_fr("mediators.which_carrier")]),
            own_conduct_note_fr=policy.own_conduct_note_fr,
        )
    if carrier_type not in all_options:
        raise ValueError(f"Unknown carrier type {carrier_type!r}; known: {', '.join(all_options)}")
    option = all_options[carrier_type]
    if option.mediator_id is None:
        return MediatorChoice(
            mediator=None,
            needs_carrier_type=False,
            options=options,
            explanation_fr=option.note_fr or (policy.note_fr or ""),
            own_conduct_note_fr=policy.own_conduct_note_fr,
        )
    mediator = get_mediator(option.mediator_id)
    explanation = message_fr("mediators.carrier_known", carrier=_lower_first(option.label_fr),
                             mediator=mediator.in_sentence_fr)
    return MediatorChoice(
        mediator=mediator,
        needs_carrier_type=False,
        options=options,
        explanation_fr=explanation,
        own_conduct_note_fr=policy.own_conduct_note_fr,
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# The legal form named in so many words beats a word of the carrier's name (« Prévoyance Santé Assurances,
# entreprise régie par le Code des assurances »): Code des assurances → insurance company, Code de la mutualité →
# mutuelle, Code de la sécurité sociale / institution de prévoyance → IP (mediators.yml, carrier options).
_LEGAL_FORMS: tuple[tuple[str, "re.Pattern[str]"], ...] = (
    ("societe_assurance", re.compile(r"\bcode des assurances\b|\b(?:societe|compagnie|entreprise)s? d ?assurances?\b"
                                     r"|\bassurance mutuelle\b|\bmutuelle d ?assurances?\b|\bsam\b|\bassureur\b")),
    ("mutuelle_fnmf", re.compile(r"\bcode de la mutualite\b|\bmutuelle (?:regie|relevant|du livre)\b|"
                                 r"\bmutualite francaise\b")),
    ("institution_prevoyance", re.compile(r"\bcode de la securite sociale\b|\binstitutions? de prevoyance\b|\bip\b")),
)




def carrier_type_in(folded: str) -> str | None:
    """The risk carrier's type a member types (folded text), the legal form first, then the words of a name;
    None when nothing says it."""
    text = folded.replace("'", " ").replace("-", " ")
    # « cest une assurance normale jcrois, pas une mutuelle » (members' round 19): a type denied is not the one said
    text = re.sub(r"\b(?:pas|ni|non|plutot qu) (?:une |un |la |le |de |d )?(?:mutuelle|institution|prevoyance|"
                  r"assurance|societe d assurance)\w*\b", " ", text)
    if _P.not_fnmf.search(text):
        # « Prévalys Mutuelle, code de la mutualité. Il n'y a pas de logo Mutualité Française »: a mutuelle that is
        # not a member of the Mutualité Française (members' round 11)
        return "autre"
    for key, rx in _LEGAL_FORMS:
        if rx.search(text):
            return key
    if "prevoyance" in text:
        return "institution_prevoyance"
    if "mutuelle" in text:
        return "mutuelle_fnmf"
    # (« quel organisme assure mon contrat » names no insurer: the verb is not « assurance », members' round 19)
    if (re.search(r"\bassur(?:ance|eur)", text) or "compagnie" in text) and "maladie" not in text:
        return "societe_assurance"
    return None
