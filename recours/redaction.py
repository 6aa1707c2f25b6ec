"""Removes identifiers (NIR, e-mail, phone, IBAN) from any text or nested structure before it is persisted.

The tracker store calls :func:`redact` on every event it saves, so this must be fast (precompiled regexes, a
cheap early exit for text without digits or "@") and err on the side of redacting: a long number wrongly
replaced by ``[NIR]`` costs nothing, a NIR left in a log is a breach. Ordinary numbers stay: amounts, dates,
years, postal codes, complaint references ("REC-2026-7K4F9Q") and the masked forms the assistant itself shows
("2 84 ** ** *** *** 15", "j***@exemple.fr", "06 ** ** ** 78").

Order matters: e-mails first (they may hold digits), then IBANs (long digit runs after two letters), then NIRs
written in their usual grouping with any punctuation, then every remaining run of digits is classified by its
number of digits.
"""

from __future__ import annotations

import re
import unicodedata
from importlib import resources
from typing import Any

NIR = "[NIR]"
EMAIL = "[EMAIL]"
PHONE = "[TELEPHONE]"
IBAN = "[IBAN]"

_WS = r"[ \t\u00a0\u202f\u2007]"
# Separators inside a run of digits. Not "/" (dates), not "," (decimal amounts), not line breaks (lists).
_SEP = r"[ \t\u00a0\u202f\u2007.\-\u2010-\u2015()_]"

# Cheap test first: nothing below can match a text without a digit, an at sign or a spelled-out at.
_TRIGGER = re.compile(r"[\d@＠]|arobase|[(\[{]at[)\]}]", re.IGNORECASE)

# No "*" in the local part, so that masked addresses ("j***@exemple.fr") are left alone.
# The lookbehind makes matching start only at the beginning of a token: linear time even on a long word.
_LOCAL = r"(?<![\w.+\-'%!#$&=?^{|}~*])[\w.+\-'%!#$&=?^{|}~]+"
_AT_LOOSE = rf"(?:{_WS}*[@＠]{_WS}*|{_WS}*[(\[{{](?:at|arobase)[)\]}}]{_WS}*|{_WS}+arobase{_WS}+)"
_DOT_LOOSE = rf"(?:{_WS}*\.{_WS}*|{_WS}*[(\[{{](?:dot|point)[)\]}}]{_WS}*|{_WS}+(?:dot|point){_WS}+)"
_EMAIL_RE = re.compile(
    rf"{_LOCAL}[@＠][\w\-]+(?:\.[\w\-]+)*"  # jean.dupont@exemple.fr, even jean@exemple
    rf"|{_LOCAL}{_AT_LOOSE}[\w\-]+(?:{_DOT_LOOSE}[\w\-]+)+",  # jean (at) exemple [point] fr
    re.IGNORECASE,
)

# Two letters, two check digits, then 11-30 letters or digits with an optional separator between any two.
_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ \-.]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
_IBAN_TAIL = re.compile(r"(?:[ \-.][A-Za-z]+)+$")  # words swallowed after the last group ("... 189 et")

# A NIR in its printed grouping 1-2-2-2-3-3(-2) with up to three non-word characters between groups ("/",
# ",", " | "...), so unusual punctuation does not hide it. The key is optional: 13 characters already identify.
_NS = r"[^\w\n]{0,3}"
_NIR_GROUPED_RE = re.compile(
    rf"(?<!\d)\d{_NS}\d{{2}}{_NS}\d{{2}}{_NS}(?:\d{{2}}|2[AaBb]){_NS}\d{{3}}{_NS}\d{{3}}(?:{_NS}\d{{2}})?(?!\d)"
)

# Any run of digits (a leading "+", 2A/2B inside) with separators; classified by _classify_run.
_RUN_RE = re.compile(rf"(?<![\d+])\+?\d(?:{_SEP}{{0,3}}(?:\d|(?<=2)[AaBb](?={_SEP}|\d)))*")
_FR_PHONE = re.compile(r"0[1-9]\d{8}")
# Technical ids: a UUID, or 24-128 hex characters (uuid4().hex, hashes), with at least one hex letter (an
# all-digit run is not an id).
_UUID_RE = re.compile(
    r"(?<![0-9A-Za-z-])(?=[0-9-]*[a-fA-F])"
    r"(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{24,128})"
    r"(?![0-9A-Za-z-])"
)


def _classify_run(match: re.Match[str]) -> str:
    run = match.group()
    digits = "".join(str(unicodedata.decimal(ch)) for ch in run if ch.isdecimal())  # full-width digits too
    count = len(digits)
    if count < 8:
        return run
    if run.startswith("+"):
        return PHONE
    if any(ch in "AaBb" for ch in run) and count >= 11:
        return NIR  # Corsican NIR: 2A/2B plus 11 or 13 digits
    if count == 10 and digits[0] == "0":
        return PHONE  # 06 12 34 56 78, and 00 followed by a short international number
    if count == 11 and digits.startswith("33") and digits[2] != "0":
        return PHONE  # 33 6 12 34 56 78 typed without the "+"
    if digits.startswith("00") and 11 <= count <= 15:
        return PHONE  # 0033 6 12 34 56 78, 0044 20 7946 0958
    if count >= 13:
        if count % 10 == 0 and all(_FR_PHONE.fullmatch(digits[i : i + 10]) for i in range(0, count, 10)):
            return " ".join([PHONE] * (count // 10))  # several phone numbers in a row
        return NIR  # 13-15 digits: a NIR with or without its key; longer: a NIR glued to other numbers
    return run


def _iban_lengths() -> dict[str, int]:
    """IBAN length per country, from python-stdnum's copy of the SWIFT registry ("FR ... bban=5!n5!n11!c2!n")."""
    lengths: dict[str, int] = {}
    try:
        registry = (resources.files("stdnum") / "iban.dat").read_text(encoding="utf-8")
    except OSError:  # pragma: no cover - stdnum without its data file: fall back to the shape alone
        return lengths
    for line in registry.splitlines():
        match = re.match(r"([A-Z]{2}) .*bban=\"([^\"]+)\"", line)
        if match:
            lengths[match.group(1)] = 4 + sum(int(n) for n in re.findall(r"(\d+)!?[nac]", match.group(2)))
    return lengths


_IBAN_LENGTHS = _iban_lengths()


def _redact_iban(match: re.Match[str]) -> str:
    text = match.group()
    expected = _IBAN_LENGTHS.get(text[:2].upper())
    if expected:
        # Stop after the country's number of characters: "FR76 ... 189 les 120 €" keeps "les 120 €".
        seen = 0
        for index, char in enumerate(text):
            seen += char.isalnum()
            if seen == expected:
                core, tail = text[: index + 1], text[index + 1 :]
                break
        else:
            core, tail = text, ""  # shorter than expected: a mistyped IBAN, still an account number
    else:
        tail_match = _IBAN_TAIL.search(text)
        tail = tail_match.group() if tail_match else ""
        core = text[: len(text) - len(tail)]
    if sum(ch.isdecimal() for ch in core[4:]) < 10:
        return text  # "le12 rue de la paix..." is not an account number
    return IBAN + tail


def _redact_plain(text: str) -> str:
    text = _EMAIL_RE.sub(EMAIL, text)
    text = _IBAN_RE.sub(_redact_iban, text)
    text = _NIR_GROUPED_RE.sub(NIR, text)
    return _RUN_RE.sub(_classify_run, text)


def redact_text(text: str) -> str:
    """``text`` with every NIR, e-mail address, phone number and IBAN replaced by a placeholder."""
    if not text or not _TRIGGER.search(text):
        return text
    if not _UUID_RE.search(text):
        return _redact_plain(text)
    # Rasa's message and model ids are UUIDs: about 8 % of them hold a run of 10+ digits that would be taken
    # for a phone number or a NIR. They identify nobody, so they are left as they are.
    parts, last = [], 0
    for match in _UUID_RE.finditer(text):
        parts += [_redact_plain(text[last : match.start()]), match.group()]
        last = match.end()
    parts.append(_redact_plain(text[last:]))
    return "".join(parts)


def redact(obj: Any) -> Any:
    """A redacted copy of ``obj``: strings inside dicts, lists and tuples at any depth (dict keys are kept).

    Large integers are checked too: an entity extractor may turn a typed NIR or phone number into an int.
    """
    if isinstance(obj, str):
        return redact_text(obj)
    if isinstance(obj, dict):
        return {key: redact(value) for key, value in obj.items()}
    if isinstance(obj, list):
        return [redact(value) for value in obj]
    if isinstance(obj, tuple):
        return tuple(redact(value) for value in obj)
    if isinstance(obj, int) and not isinstance(obj, bool) and abs(obj) >= 10**7:
        redacted = redact_text(str(obj))
        return obj if redacted == str(obj) else redacted
    return obj
