"""An organisation's published facts, as frozen dataclasses built from its data file by ``recours.data_files.build``.

Each class mirrors one block of ``data/organisation.schema.json``; a field whose name differs from the
file's key says where it is read (``from_key``). Every sourced block inherits ``source`` and ``as_of``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from types import MappingProxyType
from typing import Literal, Mapping

from recours.data_files import Sourced, from_key
from recours.organisations import texts

Kind = Literal["broker", "mutuelle", "institution_de_prevoyance", "societe_assurance"]
AfterAnswer = Literal["immediate", "two_months"]
DelayUnit = Literal["working_days", "calendar_days", "months"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class DisplayColours(Sourced):
    """Colours of the demo web page (a presentation choice, not the organisation's brand charter)."""

    primary: str = field(metadata=from_key("primary_colour"))
    accent: str = field(metadata=from_key("accent_colour"))
    text_on_primary: str


@dataclass(frozen=True)
class PhoneChannel(Sourced):
    number: str
    hours_fr: str | None
    note_fr: str | None = None


@dataclass(frozen=True)
class EmailChannel(Sourced):
    address: str


@dataclass(frozen=True)
class OnlineForm(Sourced):
    url: str | None
    description_fr: str


@dataclass(frozen=True)
class DownloadForm(Sourced):
    description_fr: str


@dataclass(frozen=True)
class PostalAddress(Sourced):
    """Where written complaints go for one domain; ``lines`` is None when a note says where instead."""

    domain: str
    label_fr: str
    lines: tuple[str, ...] | None
    note_fr: str | None = None


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
class UsualContact(Sourced):
    """Where non-complaint requests go (information, clarification, confirmation, service)."""

    who_fr: str
    phone_number: str | None = field(metadata=from_key("phone", "number"))
    phone_hours_fr: str | None = field(metadata=from_key("phone", "hours_fr"))
    online_fr: str | None
    url: str | None
    faq_fr: str | None


@dataclass(frozen=True)
class OpeningPeriod:
    """Days of the week and the hours (Paris time) of one opening period: ``opens`` included, ``closes`` not."""

    days: tuple[Weekday, ...]
    opens: time
    closes: time


@dataclass(frozen=True)
class OpeningHours(Sourced):
    """When the organisation's advisers can be reached and call back (rules.md §10; recours.opening_hours).

    ``to_confirm``: no source gives them; they are assumed office hours and the member is told so.
    """

    weekly: tuple[OpeningPeriod, ...]
    closed_on_public_holidays: bool
    to_confirm: bool


@dataclass(frozen=True)
class ReviewLevel:
    name_fr: str
    description_fr: str


@dataclass(frozen=True)
class InternalReview(Sourced):
    """The organisation's own re-examination before mediation: an option unless a risk carrier requires it."""

    offered: bool
    optional: bool
    required_by_some_carriers: bool
    levels: tuple[ReviewLevel, ...]
    summary_fr: str | None
    carriers_note_fr: str | None


@dataclass(frozen=True)
class Identifiers(Sourced):
    may_collect_nir: bool
    member_identifier_label_fr: str
    note: str | None


@dataclass(frozen=True)
class Delay:
    value: int
    unit: DelayUnit
    published_fr: str


@dataclass(frozen=True)
class PublishedDelays(Sourced):
    """The delays as the organisation publishes them, counted from the date the complaint was sent."""

    acknowledgement: Delay
    answer: Delay
    starts_from: str
    note: str | None
    regulation: str | None = None  # the regulatory text the delays follow (ACPR 2024-R-02)


@dataclass(frozen=True)
class MediationPolicy(Sourced):
    """``immediate``: an unsatisfactory answer opens mediation at once; ``two_months``: never before 2 months."""

    after_answer: AfterAnswer
    published_fr: str


@dataclass(frozen=True)
class MediatorPolicy(Sourced):
    """Which mediator: ``designated`` (``mediator_id``) or ``by_risk_carrier`` (ask among ``carrier_types``)."""

    routing: Literal["designated", "by_risk_carrier"]
    mediator_id: str | None = field(metadata=from_key("id"))
    carrier_types: tuple[str, ...]
    note_fr: str | None
    own_conduct_note_fr: str | None
    to_confirm: bool = False  # a fact about the mediator the organisation must confirm (data file comment says which)
    own_conduct_mediator_fr: str | None = None  # a broker: said when the dispute is about its own conduct

    @property
    def by_risk_carrier(self) -> bool:
        return self.routing == "by_risk_carrier"


@dataclass(frozen=True)
class DpoContact(Sourced):
    email: str | None
    postal_lines: tuple[str, ...]
    note_fr: str | None
    to_confirm: bool


@dataclass(frozen=True)
class MedicalDocuments(Sourced):
    instructions_fr: str
    postal_lines: tuple[str, ...] | None
    to_confirm: bool


@dataclass(frozen=True)
class Organisation:
    """One organisation's published facts; the ``*_fr`` properties render them for the member (``texts``)."""

    key: str
    name: str = field(metadata=from_key("identity", "name"))
    full_name: str = field(metadata=from_key("identity", "full_name"))
    legal_form: str = field(metadata=from_key("identity", "legal_form"))
    kind: Kind = field(metadata=from_key("identity", "kind"))
    website: str | None = field(metadata=from_key("identity", "website"))
    identity_source: str = field(metadata=from_key("identity", "source"))
    identity_as_of: date = field(metadata=from_key("identity", "as_of"))
    display: DisplayColours
    complaint_channels: ComplaintChannels
    usual_contact: UsualContact
    opening_hours: OpeningHours
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

    # The French texts a member reads, built from the facts above (each function's docstring says which).
    complaint_channels_fr = property(texts.complaint_channels_fr)
    phone_fr = property(texts.phone_fr)
    usual_contact_fr = property(texts.usual_contact_fr)
    dpo_contact_fr = property(texts.dpo_contact_fr)
    attachments_fr = property(texts.attachments_fr)
