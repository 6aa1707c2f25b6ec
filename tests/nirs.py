"""Synthetic NIRs for tests: key-valid (or deliberately wrong) numbers that belong to nobody in particular.

Tests never use a real person's NIR. The key is computed here independently of python-stdnum, from the rule in
shared/domain/rules.md §8: key = 97 - (N mod 97), with Corsica's 2A read as 19 and 2B as 18.
"""

from __future__ import annotations

import random


def nir_key(first13: str) -> str:
    """The 2-digit key of the 13 first characters."""
    if len(first13) != 13:
        raise ValueError("13 characters expected")
    department = first13[5:7].upper()
    number = first13[:5] + {"2A": "19", "2B": "18"}.get(department, department) + first13[7:]
    return f"{97 - int(number) % 97:02d}"


def make_nir(
    sex: int = 1,
    year: int = 84,
    month: int = 5,
    department: str = "75",
    commune: str = "056",
    order: str = "123",
) -> str:
    """A key-valid compact NIR from its parts (defaults: a man born in May 1984 in Paris)."""
    first13 = f"{sex}{year:02d}{month:02d}{department.upper()}{commune}{order}"
    return first13 + nir_key(first13)


def random_nir(rng: random.Random) -> str:
    department = rng.choice(["75", "13", "69", "2A", "2B", "99", "97", "59"])
    return make_nir(
        sex=rng.choice([1, 2]),
        year=rng.randrange(100),
        month=rng.randint(1, 12),
        department=department,
        commune=f"{rng.randrange(1, 1000):03d}",
        order=f"{rng.randrange(1, 1000):03d}",
    )


def with_wrong_key(nir: str) -> str:
    """The same NIR with a key that does not match (still 15 characters)."""
    key = int(nir[13:])
    return nir[:13] + f"{key % 97 + 1:02d}"


def grouped(nir: str, separator: str = " ") -> str:
    """As printed on a carte Vitale: 1 84 05 75 056 123 15."""
    parts = [nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]]
    return separator.join(p for p in parts if p)
