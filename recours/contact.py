"""The member's contact details from one free-text answer: an e-mail address and/or a phone number.

Members answer "jean@exemple.fr et 06 12 34 56 78" rather than filling two fields, so both are extracted from the
same text. The e-mail is checked with ``email-validator`` (syntax only: no DNS lookup from the action server),
the phone with ``phonenumbers`` (France by default) and kept in E.164 so that every channel stores the same form.

Error messages never repeat what the member typed: bot messages are persisted in the tracker, and a value the
validator refused may not be recognisable by the redaction either. They say what is wrong (a count, a missing
part) instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from recours.messages import message_fr
from recours.refusals import Refusal

DEFAULT_REGION = "FR"

# A token containing "@", tolerating spaces around it ("jean @ exemple.fr").
_EMAIL_CANDIDATE = re.compile(r"[^\s@,;:<>()\[\]«»\"]*\s?[@＠]\s?[^\s,;:<>()\[\]«»\"]*")
# A run of digits that may be a phone number: optional + or 00, digits with usual separators in between.
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])\+?\d(?:[ \t\u00a0\u202f.\-()/]{0,3}\d)*")
_TRAILING = ".!?'’"
_EXAMPLE_EMAIL = "prenom.nom@exemple.fr"


class InvalidContact(Refusal):
    """The answer cannot be accepted as contact details; ``message_fr`` tells the member why."""


@dataclass(frozen=True)
class Contact:
    email: str | None  # normalised by email-validator (domain lower-cased)
    phone: str | None  # E.164, e.g. "+33612345678"


def parse_contact(text: str, region: str = DEFAULT_REGION) -> Contact:
    """Extract at most one e-mail address and one phone number; at least one of them is required.

    Raises :class:`InvalidContact` when none is found, when one is malformed or when two different values of the
    same kind are given (we would not know which one to use).
    """
    text = unicodedata.normalize("NFKC", text or "")
    emails: list[str] = []
    rest = text
    for match in _EMAIL_CANDIDATE.finditer(text):
        raw = match.group().strip().rstrip(_TRAILING)
        if raw in ("@", ""):
            continue
        emails.append(_normalise_email(re.sub(r"\s", "", raw)))
        rest = rest.replace(match.group(), " ")
    # « 06 00 00 00 58 (3e fois!!) » (members' round 19: « j'en compte 11 »): an ordinal is no digit of the number
    rest = re.sub(r"\(?\b\d{1,2}(?:e|er|eme|ème|ieme|ième|re|è)\b\)?", " ", rest)
    runs = [m.group() for m in _PHONE_CANDIDATE.finditer(rest)]
    phones = [_normalise_phone(run, region) for run in runs if _looks_like_phone(run)]

    emails = list(dict.fromkeys(emails))
    phones = list(dict.fromkeys(phones))
    if len(emails) > 1:
        raise InvalidContact("several_emails", message_fr("contact.several_emails"))
    if len(phones) > 1:
        raise InvalidContact("several_phones", message_fr("contact.several_phones"))
    if not emails and not phones:
        raise InvalidContact("missing", message_fr("contact.missing", example=_EXAMPLE_EMAIL))
    return Contact(email=emails[0] if emails else None, phone=phones[0] if phones else None)


def _looks_like_phone(run: str) -> bool:
    """Worth validating as a phone: an international prefix, or enough digits not to be a time or a day, written
    as phones are (a French number starts with 0 or an international prefix: « 7730 4412 9 » is a member number
    printed in groups, not 07 73 04 41 29 — a real conversation after members' round 15)."""
    run = run.strip()
    if run.startswith("+"):
        return _digits(run) >= 2
    return _digits(run) >= 6 and run.startswith("0")


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _invalid_email(why: str) -> InvalidContact:
    # The refused address is not repeated, not even masked: its domain may be the member's name
    # ("jean@dupont") and a malformed address may escape the redaction of the tracker.
    return InvalidContact("email", message_fr("contact.invalid_email", reason=why))


def _normalise_email(raw: str) -> str:
    raw = raw.replace("＠", "@")
    if raw.count("@") > 1:
        raise _invalid_email(message_fr("contact.email_reasons.several_at_signs"))
    local, _, domain = raw.partition("@")
    if not local:
        raise _invalid_email(message_fr("contact.email_reasons.no_local_part"))
    if not domain:
        raise _invalid_email(message_fr("contact.email_reasons.no_domain", example=_EXAMPLE_EMAIL))
    if "." not in domain.strip("."):
        raise _invalid_email(message_fr("contact.email_reasons.domain_without_dot"))
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        raise _invalid_email(message_fr("contact.email_reasons.not_allowed", example=_EXAMPLE_EMAIL)) from None


def _normalise_phone(raw: str, region: str) -> str:
    digits = _digits(raw)
    national = raw.lstrip().startswith("0") and not raw.lstrip().startswith("00")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if national and region == "FR" and digits != 10:
        why = message_fr("contact.phone_reasons.french_length", count=digits)
    elif national and region == "FR":
        why = message_fr("contact.phone_reasons.french_unknown")
    else:
        why = message_fr("contact.phone_reasons.international")
    raise InvalidContact("phone", message_fr("contact.invalid_phone", reason=why))


def mask_email(email: str) -> str:
    """``j***@exemple.fr``: the first letter and the domain, enough to recognise one's address."""
    local, at, domain = (email or "").strip().rpartition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain.lower()}"


def mask_phone(phone: str) -> str:
    """``06 ** ** ** 78`` for a French number, ``+44 ** ** ** 58`` otherwise: the last two digits only."""
    try:
        number = phonenumbers.parse(phone, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return "** ** ** **"
    national = str(number.national_number)
    last = national[-2:] if len(national) >= 2 else "**"
    if number.country_code == 33:
        return f"0{national[:1]} ** ** ** {last}"
    return f"+{number.country_code} ** ** ** {last}"
