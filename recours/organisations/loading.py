"""One organisation data file read, checked (schema, key, mediator registry, opening hours) and built."""

from __future__ import annotations

from pathlib import Path

from recours.data_files import DataFileError, build, read_yaml, validate_against
from recours.organisations.model import Organisation
from recours.settings import PACKAGE_DATA

ORGANISATION_SCHEMA = PACKAGE_DATA / "organisation.schema.json"


def load_organisation_file(path: Path) -> Organisation:
    """Read, validate and build one organisation file (no cache: used by tests and tooling)."""
    origin = f"{path} (organisation {path.stem})"
    data = read_yaml(path)
    validate_against(data, ORGANISATION_SCHEMA, origin=origin)
    if data["key"] != path.stem:
        raise DataFileError(f"{path}: key {data['key']!r} must match the file name {path.stem!r}")
    organisation = build(Organisation, data, origin=origin)
    _check_references(organisation, origin)
    _check_opening_hours(organisation, origin)
    return organisation


def _check_opening_hours(organisation: Organisation, origin: str) -> None:
    """Each opening period closes after it opens (the schema checks each time alone)."""
    for index, period in enumerate(organisation.opening_hours.weekly):
        if period.closes <= period.opens:
            raise DataFileError(f"{origin}: opening_hours/weekly/{index}: closes at {period.closes:%H:%M}, "
                                f"not after {period.opens:%H:%M}")


def _check_references(organisation: Organisation, origin: str) -> None:
    """The mediator and carrier types an organisation names must exist in the mediator registry."""
    from recours.mediators import carrier_options, mediator_registry  # late: mediators imports this package

    policy = organisation.mediator
    if policy.mediator_id is not None and policy.mediator_id not in mediator_registry():
        raise DataFileError(f"{origin}: mediator/id: unknown mediator id {policy.mediator_id!r}")
    known_types = {option.key for option in carrier_options()}
    unknown = [t for t in policy.carrier_types if t not in known_types]
    if unknown:
        raise DataFileError(
            f"{origin}: mediator/carrier_types: unknown carrier types {unknown}; known: {sorted(known_types)}"
        )
