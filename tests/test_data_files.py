"""The typed loader of the data files: dataclasses built from their type hints, errors naming file and field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Literal, Mapping

import pytest
import yaml

from recours.data_files import ENTRY_KEY, DataFileError, Sourced, build, from_key, read_yaml
from recours.organisations import ORGANISATIONS_DIR, Organisation, load_organisation_file


@dataclass(frozen=True)
class Address(Sourced):
    lines: tuple[str, ...] | None
    note_fr: str | None = None


@dataclass(frozen=True)
class Office:
    id: str = field(metadata=ENTRY_KEY)
    kind: Literal["agence", "siege"]
    open: bool
    address: Address
    phone_number: str | None = field(metadata=from_key("phone", "number"))
    staff: int = 1
    opens: time | None = None


@dataclass(frozen=True)
class Registry:
    name: str = field(metadata=from_key("identity", "name"))
    offices: Mapping[str, Office]
    sections: Mapping[str, Sourced] = field(metadata=from_key("sections"))


def _office(**changes):
    office = {
        "kind": "agence", "open": True, "phone": {"number": "01 02 03 04 05"},
        "address": {"lines": ["1 rue A", "75001 Paris"], "source": "S0", "as_of": "2026-11-21"},
    }
    office.update(changes)
    return office


def _registry(**office_changes):
    return {
        "identity": {"name": "Démo", "slogan": "ignoré : le schéma décide de ce qu'un fichier contient"},
        "offices": {"paris": _office(**office_changes)},
        "sections": {"a": {"source": "S1", "as_of": "2026-12-01", "to_confirm": True}},
    }


def test_builds_nested_dataclasses_from_their_type_hints():
    registry = build(Registry, _registry(), origin="demo.yml")
    office = registry.offices["paris"]
    assert registry.name == "Démo"
    assert office.id == "paris" and office.kind == "agence" and office.open is True and office.staff == 1
    assert office.address.lines == ("1 rue A", "75001 Paris") and office.address.note_fr is None
    assert office.address.as_of == date(2026, 11, 21) and office.phone_number == "01 02 03 04 05"
    assert registry.sections["a"] == Sourced(source="S1", as_of=date(2026, 12, 1))
    with pytest.raises(TypeError):
        registry.offices["lyon"] = office  # type: ignore[index]  # a read-only mapping


def test_a_time_is_read_from_hh_mm():
    assert build(Registry, _registry(opens="08:30"), origin="demo.yml").offices["paris"].opens == time(8, 30)


def test_a_path_through_a_null_block_reads_as_null():
    assert build(Registry, _registry(phone=None), origin="demo.yml").offices["paris"].phone_number is None


@pytest.mark.parametrize(
    ("changes", "where", "problem"),
    [
        ({"kind": "bureau"}, "offices/paris/kind", "'bureau' is not one of 'agence', 'siege'"),
        ({"open": "oui"}, "offices/paris/open", "expected bool, got str"),
        ({"staff": True}, "offices/paris/staff", "expected int, got bool"),
        ({"staff": "3"}, "offices/paris/staff", "expected int, got str"),
        ({"phone": "01 02 03 04 05"}, "offices/paris/phone", "expected a mapping, got str"),
        ({"address": {"lines": "1 rue A", "source": "S0", "as_of": "2026-11-21"}},
         "offices/paris/address/lines", "expected a list, got str"),
        ({"address": {"lines": None, "source": "S0", "as_of": "2026-13-01"}},
         "offices/paris/address/as_of", "expected an ISO date, got '2026-13-01'"),
        ({"address": {"lines": None, "as_of": "2026-11-21"}}, "offices/paris/address/source", "missing"),
        ({"opens": "8h30"}, "offices/paris/opens", "expected a time HH:MM, got '8h30'"),
        ({"opens": 510}, "offices/paris/opens", "expected a time HH:MM, got 510"),
    ],
)
def test_an_error_names_the_file_and_the_field(changes, where, problem):
    with pytest.raises(DataFileError) as error:
        build(Registry, _registry(**changes), origin="demo.yml")
    assert str(error.value) == f"demo.yml: {where}: {problem}"


def test_a_type_the_loader_cannot_read_is_a_programming_error():
    @dataclass(frozen=True)
    class Odd:
        value: float

    with pytest.raises(TypeError, match="cannot read"):
        build(Odd, {"value": 1.5}, origin="demo.yml")


def test_a_model_that_disagrees_with_its_schema_fails_with_the_file_and_the_field():
    """The schema is checked first; a dataclass that wants a key the schema lets go still fails clearly."""
    data = read_yaml(ORGANISATIONS_DIR / "klesia.yml")
    del data["usual_contact"]["faq_fr"]
    with pytest.raises(DataFileError, match=r"^klesia\.yml: usual_contact/faq_fr: missing$"):
        build(Organisation, data, origin="klesia.yml")


def test_an_organisation_file_error_names_the_file_the_organisation_and_the_field(tmp_path):
    data = read_yaml(ORGANISATIONS_DIR / "klesia.yml")
    data["delays"]["answer"]["value"] = "deux"
    path = tmp_path / "klesia.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_organisation_file(path)
    message = str(error.value)
    assert str(path) in message and "organisation klesia" in message and "delays/answer/value" in message
