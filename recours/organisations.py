"""The organisation that deploys the assistant, read from ``data/organisations/<key>.yml``.

Why data files: addresses, phone numbers, delays and mediators change, and each organisation publishes its
own (rules.md, "Facts that can change … belong in data files with their source and date, never in code").
Adding an organisation is adding a file; the JSON schema (``data/organisation.schema.json``, Draft 2020-12)
refuses a file that lacks a fact the assistant needs or a fact without its ``source`` and ``as_of``.

The YAML helpers here (dates kept as strings, schema validation with file and path in the error) are also
used by ``recours.mediators`` and ``recours.cpam`` for their own data files.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Mapping

import yaml
from jsonschema import Draft202012Validator

from recours.settings import PACKAGE_DATA, get_settings

ORGANISATIONS_DIR = PACKAGE_DATA / "organisations"
ORGANISATION_SCHEMA = PACKAGE_DATA / "organisation.schema.json"
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

Kind = Literal["broker", "mutuelle", "institution_de_prevoyance", "societe_assurance"]
AfterAnswer = Literal["immediate", "two_months"]
DelayUnit = Literal["working_days", "calendar_days", "months"]


class DataFileError(ValueError):
    """A data file is missing, is not valid YAML, or does not match its schema."""


class UnknownOrganisationError(LookupError):
    """No data file for the requested organisation key."""


# --- YAML and schema helpers (shared with mediators.py and cpam.py) -------------------------------------


class _StringDateLoader(yaml.SafeLoader):
    """SafeLoader that keeps ``2025-01-01`` as a string, so the JSON schema sees what the file says."""


_StringDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    """Parse a YAML data file; dates stay ISO strings."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_StringDateLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from exc


@lru_cache(maxsize=8)
def _validator(schema_path: Path) -> Draft202012Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate_against(data: Any, schema_path: Path, *, origin: Path | str) -> None:
    """Raise DataFileError listing every schema violation (with its location) of ``data``."""
    errors = sorted(_validator(schema_path).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        details = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors)
        raise DataFileError(f"{origin}: does not match {schema_path.name}: {details}")


def as_date(value: str) -> date:
    return date.fromisoformat(value)


def _lines(value: list[str] | None) -> tuple[str, ...] | None:
    return tuple(value) if value is not None else None


# --- The organisation ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DisplayColours:
    """Colours of the demo web page (a presentation choice, not the organisation's brand charter)."""

    primary: str
    accent: str
    text_on_primary: str
    source: str
    as_of: date


@dataclass(frozen=True)
class PhoneChannel:
    number: str
    hours_fr: str | None
    note_fr: str | None
    source: str
    as_of: date


@dataclass(frozen=True)
class EmailChannel:
    address: str
    source: str
    as_of: date


@dataclass(frozen=True)
class OnlineForm:
    url: str | None
    description_fr: str
    source: str
    as_of: date


@dataclass(frozen=True)
class DownloadForm:
    description_fr: str
    source: str
    as_of: date


@dataclass(frozen=True)
class PostalAddress:
    """Where written complaints go for one domain; ``lines`` is None when a note says where instead."""

    domain: str
    label_fr: str
    lines: tuple[str, ...] | None
    note_fr: str | None
    source: str
    as_of: date


@dataclass(frozen=True)
class ComplaintChannels:
    phone: PhoneChannel | None
    email: EmailChannel | None
    online_form: OnlineForm | None
    download_form: DownloadForm | None
    postal: tuple[PostalAddress, ...]

    def postal_for(self, domain: str) -> PostalAddress | None:
        """The postal address for a domain (KLESIA has one per domain), else the general one."""
        by_domain = {address.domain: address for address in self.postal}
        return by_domain.get(domain) or by_domain.get("general")


@dataclass(frozen=True)
class UsualContact:
    """Where non-complaint requests go (information, clarification, confirmation, service)."""

    who_fr: str
    phone_number: str | None
    phone_hours_fr: str | None
    online_fr: str | None
    url: str | None
    faq_fr: str | None
    source: str
    as_of: date


@dataclass(frozen=True)
class ReviewLevel:
    name_fr: str
    description_fr: str


@dataclass(frozen=True)
class InternalReview:
    """The organisation's own re-examination before mediation: an option unless a risk carrier requires it."""

    offered: bool
    optional: bool
    required_by_some_carriers: bool
    levels: tuple[ReviewLevel, ...]
    summary_fr: str | None
    carriers_note_fr: str | None
    source: str
    as_of: date


@dataclass(frozen=True)
class Identifiers:
    may_collect_nir: bool
    member_identifier_label_fr: str
    note: str | None
    source: str
    as_of: date


@dataclass(frozen=True)
class Delay:
    value: int
    unit: DelayUnit
    published_fr: str


@dataclass(frozen=True)
class PublishedDelays:
    """The delays as the organisation publishes them, counted from the date the complaint was sent."""

    acknowledgement: Delay
    answer: Delay
    starts_from: str
    note: str | None
    source: str
    as_of: date
    regulation: str | None = None  # the regulatory text the delays follow (ACPR 2024-R-02)


@dataclass(frozen=True)
class MediationPolicy:
    """``immediate``: an unsatisfactory answer opens mediation at once; ``two_months``: never before 2 months."""

    after_answer: AfterAnswer
    published_fr: str
    source: str
    as_of: date


@dataclass(frozen=True)
class MediatorPolicy:
    """Which mediator: ``designated`` (``mediator_id``) or ``by_risk_carrier`` (ask among ``carrier_types``)."""

    routing: Literal["designated", "by_risk_carrier"]
    mediator_id: str | None
    carrier_types: tuple[str, ...]
    note_fr: str | None
    own_conduct_note_fr: str | None
    source: str
    as_of: date
    to_confirm: bool = False  # a fact about the mediator the organisation must confirm (data file comment says which)
    own_conduct_mediator_fr: str | None = None  # a broker: said when the dispute is about its own conduct

    @property
    def by_risk_carrier(self) -> bool:
        return self.routing == "by_risk_carrier"


@dataclass(frozen=True)
class DpoContact:
    email: str | None
    postal_lines: tuple[str, ...]
    note_fr: str | None
    to_confirm: bool
    source: str
    as_of: date


@dataclass(frozen=True)
class MedicalDocuments:
    instructions_fr: str
    postal_lines: tuple[str, ...] | None
    to_confirm: bool
    source: str
    as_of: date


@dataclass(frozen=True)
class Organisation:
    """One organisation's published facts; the ``*_fr`` properties render them for the member."""

    key: str
    name: str
    full_name: str
    legal_form: str
    kind: Kind
    website: str | None
    identity_source: str
    identity_as_of: date
    display: DisplayColours
    complaint_channels: ComplaintChannels
    usual_contact: UsualContact
    internal_review: InternalReview
    identifiers: Identifiers
    delays: PublishedDelays
    mediation: MediationPolicy
    mediator: MediatorPolicy
    dpo: DpoContact
    medical_documents: MedicalDocuments

    @property
    def may_collect_nir(self) -> bool:
        return self.identifiers.may_collect_nir

    @property
    def after_answer(self) -> AfterAnswer:
        return self.mediation.after_answer

    @property
    def is_broker(self) -> bool:
        return self.kind == "broker"

    @property
    def de_name_fr(self) -> str:
        """The name after "de", with the elision French requires: "de CPMS", "d'Identités Mutuelle"."""
        return f"d'{self.name}" if self.name[:1].lower() in "aeiouyéèêh" else f"de {self.name}"

    @property
    def colours(self) -> Mapping[str, str]:
        """Colours for the demo web page: ``primary``, ``accent``, ``text_on_primary``."""
        return MappingProxyType(
            {"primary": self.display.primary, "accent": self.display.accent,
             "text_on_primary": self.display.text_on_primary}
        )

    # French texts a member reads, built from the facts above (no fact lives in these builders).

    @property
    def complaint_channels_fr(self) -> str:
        """How to send a written complaint, e.g. after "adressez votre réclamation à CPMS : …"."""
        channels = self.complaint_channels
        ways: list[str] = []
        if channels.email:
            ways.append(f"par e-mail à {channels.email.address}")
        if channels.online_form:
            ways.append(f"depuis {channels.online_form.description_fr}")
        single = _single_postal(channels)
        if single is not None:
            ways.append(f"par courrier à {_address_fr(single)}")
            return _join_or_fr(ways) + "."
        postal = "par courrier"
        if channels.download_form:
            postal += f", avec {channels.download_form.description_fr},"
        postal += f" à l'adresse qui correspond à l'objet de votre réclamation :\n{_postal_list_fr(channels.postal)}"
        ways.append(postal)
        return _join_or_fr(ways)

    @property
    def phone_fr(self) -> str:
        """How to reach the organisation quickly: phone with hours, else its usual contact channel."""
        phone = self.complaint_channels.phone
        number = phone.number if phone else self.usual_contact.phone_number
        hours = phone.hours_fr if phone else self.usual_contact.phone_hours_fr
        if number:
            return f"par téléphone au {number}" + (f", {hours}" if hours else "")
        if self.usual_contact.online_fr:
            return f"par {self.usual_contact.online_fr}"
        return self.complaint_channels_fr.rstrip(".")

    @property
    def usual_contact_fr(self) -> str:
        """Where requests that are not complaints go (information, clarification, confirmation, service)."""
        contact = self.usual_contact
        ways: list[str] = []
        if contact.phone_number:
            hours = f" ({contact.phone_hours_fr})" if contact.phone_hours_fr else ""
            ways.append(f"par téléphone au {contact.phone_number}{hours}")
        if contact.online_fr:
            ways.append(f"par {contact.online_fr}" if contact.online_fr.startswith("le ") else f"depuis {contact.online_fr}")
        text = f"Pour ce type de demande, adressez-vous {_a_fr(contact.who_fr)}"
        if ways:
            text += " : " + _join_or_fr(ways)
        text += "."
        if contact.faq_fr:
            text += f" Vous pouvez aussi consulter {contact.faq_fr}."
        return text

    @property
    def dpo_contact_fr(self) -> str:
        """How to exercise data-protection rights (the DPO, or the published address when no DPO is known)."""
        dpo = self.dpo
        ways: list[str] = []
        if dpo.email:
            ways.append(f"par e-mail à {dpo.email}")
        postal = f"par courrier à {_address_fr(dpo.postal_lines)}"
        if not any("protection des données" in line.lower() for line in dpo.postal_lines):
            postal += ", à l'attention du délégué à la protection des données"
        if dpo.email and dpo.note_fr:
            postal += f" ({dpo.note_fr})"
        ways.append(postal)
        return _join_or_fr(ways)

    @property
    def attachments_fr(self) -> str:
        """How to send supporting documents, and where medical documents go (never in the chat)."""
        channels = self.complaint_channels
        medical = self.medical_documents
        if medical.postal_lines:
            medical_fr = ("Les documents médicaux s'envoient uniquement par courrier, sous pli confidentiel, à "
                          f"{_address_fr(medical.postal_lines)}.")
        else:
            medical_fr = ("N'envoyez aucun document médical par e-mail : demandez d'abord à "
                          f"{self.name} l'adresse du médecin conseil.")
        ways: list[str] = []
        if channels.email:
            ways.append(f"par e-mail à {channels.email.address}")
        single = _single_postal(channels)
        if single is not None:
            ways.append(f"par courrier à {_address_fr(single)}")
            return f"{_join_or_fr(ways)}, en rappelant la référence de votre réclamation. {medical_fr}"
        medical_domain = ("dossiers_medicaux",) if medical.postal_lines else ()
        ways.append(
            "par courrier, en rappelant la référence de votre réclamation, à l'adresse qui correspond à son objet :\n"
            + _postal_list_fr(channels.postal, skip_domains=medical_domain)
        )
        return f"{_join_or_fr(ways)}\n{medical_fr}"


def _a_fr(text: str) -> str:
    """"à" + text with the contractions French requires ("au Service…", "aux…")."""
    if text.startswith("le "):
        return "au " + text[3:]
    if text.startswith("les "):
        return "aux " + text[4:]
    return "à " + text


def _single_postal(channels: ComplaintChannels) -> tuple[str, ...] | None:
    """The only postal address, when the organisation has one address for every complaint."""
    if len(channels.postal) == 1 and channels.postal[0].lines:
        return channels.postal[0].lines
    return None


def _postal_list_fr(addresses: tuple[PostalAddress, ...], skip_domains: tuple[str, ...] = ()) -> str:
    """One line per domain: "- Incapacité, invalidité : KLESIA PREVOYANCE, TSA 20202, …"."""
    return "\n".join(
        f"- {address.label_fr} : {_address_fr(address.lines) if address.lines else address.note_fr}"
        for address in addresses
        if address.domain not in skip_domains
    )


def _address_fr(lines: tuple[str, ...]) -> str:
    return ", ".join(lines)


def _join_or_fr(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " ou " + items[-1]


def _build(data: Mapping[str, Any]) -> Organisation:
    identity = data["identity"]
    display = data["display"]
    channels = data["complaint_channels"]
    phone = channels["phone"]
    email = channels["email"]
    online = channels["online_form"]
    download = channels["download_form"]
    contact = data["usual_contact"]
    review = data["internal_review"]
    ids = data["identifiers"]
    delays = data["delays"]
    mediation = data["mediation"]
    mediator = data["mediator"]
    dpo = data["dpo"]
    medical = data["medical_documents"]
    return Organisation(
        key=data["key"],
        name=identity["name"],
        full_name=identity["full_name"],
        legal_form=identity["legal_form"],
        kind=identity["kind"],
        website=identity["website"],
        identity_source=identity["source"],
        identity_as_of=as_date(identity["as_of"]),
        display=DisplayColours(
            primary=display["primary_colour"],
            accent=display["accent_colour"],
            text_on_primary=display["text_on_primary"],
            source=display["source"],
            as_of=as_date(display["as_of"]),
        ),
        complaint_channels=ComplaintChannels(
            phone=PhoneChannel(phone["number"], phone["hours_fr"], phone.get("note_fr"), phone["source"],
                               as_date(phone["as_of"])) if phone else None,
            email=EmailChannel(email["address"], email["source"], as_date(email["as_of"])) if email else None,
            online_form=OnlineForm(online["url"], online["description_fr"], online["source"],
                                   as_date(online["as_of"])) if online else None,
            download_form=DownloadForm(download["description_fr"], download["source"],
                                       as_date(download["as_of"])) if download else None,
            postal=tuple(
                PostalAddress(
                    domain=p["domain"],
                    label_fr=p["label_fr"],
                    lines=_lines(p["lines"]),
                    note_fr=p.get("note_fr"),
                    source=p["source"],
                    as_of=as_date(p["as_of"]),
                )
                for p in channels["postal"]
            ),
        ),
        usual_contact=UsualContact(
            who_fr=contact["who_fr"],
            phone_number=contact["phone"]["number"] if contact["phone"] else None,
            phone_hours_fr=contact["phone"]["hours_fr"] if contact["phone"] else None,
            online_fr=contact["online_fr"],
            url=contact["url"],
            faq_fr=contact["faq_fr"],
            source=contact["source"],
            as_of=as_date(contact["as_of"]),
        ),
        internal_review=InternalReview(
            offered=review["offered"],
            optional=review["optional"],
            required_by_some_carriers=review["required_by_some_carriers"],
            levels=tuple(ReviewLevel(level["name_fr"], level["description_fr"]) for level in review["levels"]),
            summary_fr=review["summary_fr"],
            carriers_note_fr=review["carriers_note_fr"],
            source=review["source"],
            as_of=as_date(review["as_of"]),
        ),
        identifiers=Identifiers(
            may_collect_nir=ids["may_collect_nir"],
            member_identifier_label_fr=ids["member_identifier_label_fr"],
            note=ids["note"],
            source=ids["source"],
            as_of=as_date(ids["as_of"]),
        ),
        delays=PublishedDelays(
            acknowledgement=Delay(**delays["acknowledgement"]),
            answer=Delay(**delays["answer"]),
            starts_from=delays["starts_from"],
            note=delays["note"],
            regulation=delays.get("regulation"),
            source=delays["source"],
            as_of=as_date(delays["as_of"]),
        ),
        mediation=MediationPolicy(
            after_answer=mediation["after_answer"],
            published_fr=mediation["published_fr"],
            source=mediation["source"],
            as_of=as_date(mediation["as_of"]),
        ),
        mediator=MediatorPolicy(
            routing=mediator["routing"],
            mediator_id=mediator["id"],
            carrier_types=tuple(mediator["carrier_types"]),
            note_fr=mediator["note_fr"],
            own_conduct_note_fr=mediator["own_conduct_note_fr"],
            source=mediator["source"],
            as_of=as_date(mediator["as_of"]),
            to_confirm=mediator.get("to_confirm", False),
            own_conduct_mediator_fr=mediator.get("own_conduct_mediator_fr"),
        ),
        dpo=DpoContact(
            email=dpo["email"],
            postal_lines=tuple(dpo["postal_lines"]),
            note_fr=dpo["note_fr"],
            to_confirm=dpo["to_confirm"],
            source=dpo["source"],
            as_of=as_date(dpo["as_of"]),
        ),
        medical_documents=MedicalDocuments(
            instructions_fr=medical["instructions_fr"],
            postal_lines=_lines(medical["postal_lines"]),
            to_confirm=medical["to_confirm"],
            source=medical["source"],
            as_of=as_date(medical["as_of"]),
        ),
    )


def _check_references(organisation: Organisation, origin: Path) -> None:
    """The mediator and carrier types an organisation names must exist in the mediator registry."""
    from recours.mediators import carrier_options, mediator_registry  # late: mediators imports this module

    policy = organisation.mediator
    if policy.mediator_id is not None and policy.mediator_id not in mediator_registry():
        raise DataFileError(f"{origin}: unknown mediator id {policy.mediator_id!r}")
    known_types = {option.key for option in carrier_options()}
    unknown = [t for t in policy.carrier_types if t not in known_types]
    if unknown:
        raise DataFileError(f"{origin}: unknown carrier types {unknown}; known: {sorted(known_types)}")


def load_organisation_file(path: Path) -> Organisation:
    """Read, validate and build one organisation file (no cache: used by tests and tooling)."""
    data = read_yaml(path)
    validate_against(data, ORGANISATION_SCHEMA, origin=path)
    if data["key"] != path.stem:
        raise DataFileError(f"{path}: key {data['key']!r} must match the file name {path.stem!r}")
    organisation = _build(data)
    _check_references(organisation, path)
    return organisation


def list_organisation_keys(directory: Path = ORGANISATIONS_DIR) -> list[str]:
    """Keys of every organisation data file, sorted."""
    return sorted(path.stem for path in directory.glob("*.yml"))


@lru_cache(maxsize=None)
def load_organisation(key: str, directory: Path = ORGANISATIONS_DIR) -> Organisation:
    """The organisation ``key`` (cached); UnknownOrganisationError lists the known keys."""
    normalised = key.strip().lower()
    path = directory / f"{normalised}.yml"
    if not _KEY_PATTERN.match(normalised) or not path.is_file():
        known = ", ".join(list_organisation_keys(directory)) or "none"
        raise UnknownOrganisationError(
            f"Unknown organisation {key!r} (RECOURS_ORGANISATION); known organisations: {known}"
        )
    return load_organisation_file(path)


def current_organisation() -> Organisation:
    """The organisation named by ``RECOURS_ORGANISATION`` (settings); loading is cached per key."""
    return load_organisation(get_settings().organisation)
