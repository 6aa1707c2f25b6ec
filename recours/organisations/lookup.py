"""Finding an organisation by its key: the keys of the data files, the cached load, the deploying one."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from recours.organisations.loading import load_organisation_file
from recours.organisations.model import Organisation
from recours.settings import PACKAGE_DATA, get_settings

ORGANISATIONS_DIR = PACKAGE_DATA / "organisations"
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class UnknownOrganisationError(LookupError):
    """No data file for the requested organisation key."""


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
