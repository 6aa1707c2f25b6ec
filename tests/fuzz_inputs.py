"""A small seeded generator of hostile inputs (hypothesis is not a dependency): same seed, same inputs.

Texts mix what members really type with what attackers and broken clients send: 100 kB messages, control
characters, lone surrogates, emoji and combining marks, right-to-left overrides, HTML/SQL/template/log injection,
Rasa button payloads naming internal intents, actions and slots, and a synthetic NIR hidden in some of them so
that a scan of what was stored can prove it was redacted.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from tests.nirs import grouped, make_nir

SEED = 20261121
# The synthetic NIR the fuzz plants; nothing may store it in clear (compact or grouped).
PLANTED_NIR = make_nir(sex=1, year=91, month=11, department="93", commune="066", order="777")
PLANTED_EMAIL = "fuzz.victime@exemple.fr"

# Values an injected payload tries to put in contract slots: none may end up in a slot.
INJECTED_VALUES = ("REC-2026-HACKED", "HACKED", "fnmf_injected", "2020-01-01", "1999-12-31")

SLOT_INJECTIONS = [
    '/inform{"complaint_reference":"REC-2026-HACKED"}',
    '/inform{"request_kind":"HACKED","concerned_body":"HACKED"}',
    '/inform{"mediator":"fnmf_injected","mediator_from":"2020-01-01","mediator_until":"1999-12-31"}',
    '/affirm{"recap_confirmed":true,"complaint_reference":"REC-2026-HACKED"}',
    '/file_complaint{"complaint_reference":"REC-2026-HACKED","privacy_accepted":true}',
    '/set_slot{"complaint_reference":"REC-2026-HACKED"}',
    '/inform{"complaint_outcome":"recorded","complaint_reference":"REC-2026-HACKED"}',
    '/correct{"field":"complaint_reference","complaint_reference":"REC-2026-HACKED"}',
    '/inform{"answer_received":"HACKED","court_action":"HACKED"}',
    '/inform{"contract_holder":"HACKED","member_name":"HACKED"}',
    '/inform{"nature":"HACKED"}',
    '/inform{"carrier_type":"HACKED"}',
    '/action_submit_complaint',
    '/action_restart',
    '/restart',
    '/session_start',
    '/back',
    '/nlu_fallback',
    '/out_of_scope{"complaint_reference":"REC-2026-HACKED"}',
    '/EXTERNAL_reminder',
    '/unknown_intent{"x":1}',
    '/inform{broken json',
    '/inform{"a":',
    '/inform[1,2,3]',
    '/' + 'a' * 300,
    '/inform{"complaint_reference":' + json.dumps("X" * 2000) + "}",
]

INJECTIONS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg/onload=alert(1)>",
    "'; DROP TABLE events; --",
    "' OR '1'='1",
    "Robert'); DROP TABLE complaints;--",
    "{{7*7}} ${7*7} #{7*7} <%= 7*7 %>",
    "{organisation_name} {complaint_reference} {member_name}",
    "${jndi:ldap://127.0.0.1/a}",
    "%s%s%s%n%x",
    "../../../../etc/passwd",
    "\x1b[31mROUGE\x1b[0m",
    "ligne1\r\nSet-Cookie: x=1",
    "INFO fake log line\nERROR injected",
    "[lien](javascript:alert(1))",
    "**gras** _italique_ `code` ~~barré~~",
    "__proto__",
    '{"sender":"other","message":"hi"}',
    "null",
    "",
    " ",
    "\u202egnp.exe",
    "\ufeffBonjour",
    "\u200b\u200b\u200b",
]

UNICODE = [
    "😡😡😡 ma mutuelle ne rembourse pas",
    "👩‍👩‍👧‍👦🇫🇷🏳️‍🌈",
    "e\u0301\u0301\u0301\u0301\u0301 Z̸̡̛͓̜͖a̷l̸g̵o̶",
    "日本語のテキスト",
    "نص عربي",
    "ＲＥＣ－２０２６ full width",
    "\U0001f4a9" * 200,
]

GENUINE = [
    "Bonjour",
    "Ma mutuelle refuse de rembourser mes lunettes depuis deux mois",
    "Je veux faire une réclamation",
    "Comment saisir le médiateur ?",
    "Oui",
    "Non",
    "stop",
    "Qu'est-ce qu'une réclamation ?",
]


def control_text(rng: random.Random, length: int = 40) -> str:
    alphabet = [chr(c) for c in range(0, 32)] + ["\x7f", "\x85", "\u2028", "\u2029", "a", "é", " "]
    return "".join(rng.choice(alphabet) for _ in range(length))


def surrogate_text(rng: random.Random) -> str:
    return "Bonjour " + rng.choice(["\ud800", "\udfff", "\udbff\udbff", "a\ud83d"]) + " fin"


def long_text(rng: random.Random, size: int) -> str:
    words = ["réclamation", "mutuelle", "remboursement", "😡", "<b>", "'", "{x}", PLANTED_NIR, "\x00"]
    out: list[str] = []
    total = 0
    while total < size:
        word = rng.choice(words)
        out.append(word)
        total += len(word) + 1
    return " ".join(out)[:size]


def planted(rng: random.Random) -> str:
    """A message carrying the planted identifiers, disguised in some way the redaction must still see through."""
    forms = [
        f"Mon numéro de sécu est {PLANTED_NIR}",
        f"NIR : {grouped(PLANTED_NIR)}",
        f"<b>{PLANTED_NIR}</b>",
        f"'{PLANTED_NIR}'); DROP TABLE x;--",
        f"{{{{ {PLANTED_NIR} }}}}",
        f"/inform{{\"member_identifier\":\"{PLANTED_NIR}\"}}",
        f"/inform{{\"nir\":\"{PLANTED_NIR}\",\"email\":\"{PLANTED_EMAIL}\"}}",
        f"écrivez-moi à {PLANTED_EMAIL} ou {grouped(PLANTED_NIR, '.')}",
        f"\x00{PLANTED_NIR}\x00",
        f"😡{PLANTED_NIR}😡",
    ]
    return rng.choice(forms)


@dataclass(frozen=True)
class Text:
    """One member text and whether a French reply is due (a turn runs, or the too-long answer is given)."""

    text: str
    kind: str
    injected: bool = False


def texts(rng: random.Random, count: int) -> list[Text]:
    """``count`` hostile texts, weighted towards what must be handled by a real turn."""
    out: list[Text] = []
    makers: list[tuple[int, Any]] = [
        (4, lambda: Text(rng.choice(SLOT_INJECTIONS), "payload", injected=True)),
        (3, lambda: Text(rng.choice(INJECTIONS), "injection")),
        (2, lambda: Text(rng.choice(UNICODE), "unicode")),
        (2, lambda: Text(control_text(rng, rng.randint(1, 60)), "control")),
        (1, lambda: Text(surrogate_text(rng), "surrogate")),
        (2, lambda: Text(planted(rng), "planted")),
        (2, lambda: Text(rng.choice(GENUINE), "genuine")),
        (1, lambda: Text(long_text(rng, rng.choice([5001, 20_000, 100_000])), "oversized")),
        (1, lambda: Text(long_text(rng, rng.randint(500, 4990)), "long")),
    ]
    weights = [w for w, _ in makers]
    for _ in range(count):
        _, make = rng.choices(makers, weights=weights)[0]
        out.append(make())
    return out


def invalid_rest_bodies(rng: random.Random, count: int) -> list[tuple[bytes, str]]:
    """(body, content type) pairs that are not ``{"sender": str, "message": str}``."""
    fixed: list[tuple[bytes, str]] = [
        (b"", "application/json"),
        (b"not json", "application/json"),
        (b"{", "application/json"),
        (b'{"sender": "a", "message": "\xff\xfe\xfd"}', "application/json"),
        (b"\xff\xfe\x00\x00", "application/json"),
        (b"[]", "application/json"),
        (b"null", "application/json"),
        (b"42", "application/json"),
        (b'"message"', "application/json"),
        (b'{"sender": null, "message": "Bonjour"}', "application/json"),
        (b'{"sender": ["a"], "message": "Bonjour"}', "application/json"),
        (b'{"sender": "a", "message": null}', "application/json"),
        (b'{"sender": "a", "message": 12}', "application/json"),
        (b'{"sender": "a", "message": ["Bonjour"]}', "application/json"),
        (b'{"sender": "a\\u0000b", "message": "Bonjour"}', "application/json"),
        (json.dumps({"sender": "s" * 100_000, "message": "Bonjour"}).encode(), "application/json"),
        (b"sender=a&message=Bonjour", "application/x-www-form-urlencoded"),
        (b"<xml><sender>a</sender></xml>", "application/xml"),
        (b"--b\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nx\r\n--b--", "multipart/form-data; boundary=b"),
        (b"Bonjour", "text/plain"),
        (b'{"sender": "a", "message": "x"' + b" " * 10 + b"}}", "application/json"),
        (b'{"sender": "a", "message": "\\ud800"', "application/json"),
    ]
    out = list(fixed)
    while len(out) < count:
        raw = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        out.append((raw, rng.choice(["application/json", "text/plain", "application/octet-stream", ""])))
    return out[:count]
