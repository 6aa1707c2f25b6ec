"""The organisation that deploys the assistant, read from ``data/organisations/<key>.yml``.

Why data files: addresses, phone numbers, delays and mediators change, and each organisation publishes its
own (rules.md, "Facts that can change … belong in data files with their source and date, never in code").
Adding an organisation is adding a file; the JSON schema (``data/organisation.schema.json``, Draft 2020-12)
refuses a file that lacks a fact the assistant needs or a fact without its ``source`` and ``as_of``.

``model`` holds the facts as frozen dataclasses (one per block of the file), ``texts`` the French sentences
built from them (``Organisation.*_fr``), ``loading`` one file read, checked against its schema and the mediator
registry, then built, and ``lookup`` the keys, the cached load by key and the organisation of
``RECOURS_ORGANISATION``.

Reading and checking the YAML (dates as strings, schema errors with their place, the typed build) is
``recours.data_files``, shared with ``recours.mediators`` and ``recours.cpam``; its names stay importable here.
"""

from recours.data_files import DataFileError, as_date, read_yaml, validate_against
from recours.organisations.loading import ORGANISATION_SCHEMA, load_organisation_file
from recours.organisations.lookup import (
    ORGANISATIONS_DIR,
    UnknownOrganisationError,
    current_organisation,
    list_organisation_keys,
    load_organisation,
)
from recours.organisations.model import (
    WEEKDAYS,
    AfterAnswer,
    ComplaintChannels,
    Delay,
    DelayUnit,
    DisplayColours,
    DownloadForm,
    DpoContact,
    EmailChannel,
    Identifiers,
    InternalReview,
    Kind,
    MediationPolicy,
    MediatorPolicy,
    MedicalDocuments,
    OnlineForm,
    OpeningHours,
    OpeningPeriod,
    Organisation,
    PhoneChannel,
    PostalAddress,
    PublishedDelays,
    ReviewLevel,
    UsualContact,
    Weekday,
)

__all__ = [
    "ORGANISATIONS_DIR", "ORGANISATION_SCHEMA", "WEEKDAYS", "AfterAnswer", "ComplaintChannels", "DataFileError",
    "Delay", "DelayUnit", "DisplayColours", "DownloadForm", "DpoContact", "EmailChannel", "Identifiers",
    "InternalReview", "Kind", "MediationPolicy", "MediatorPolicy", "MedicalDocuments", "OnlineForm", "OpeningHours",
    "OpeningPeriod", "Organisation", "PhoneChannel", "PostalAddress", "PublishedDelays", "ReviewLevel",
    "UnknownOrganisationError", "UsualContact", "Weekday", "as_date", "current_organisation",
    "list_organisation_keys", "load_organisation", "load_organisation_file", "read_yaml", "validate_against",
]
