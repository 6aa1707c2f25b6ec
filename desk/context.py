"""What every handler of the desk works with: the services (:class:`Desk`), one request (:class:`Call`) and
its answer (:class:`Reply`). No web framework here: server.py turns a Sanic request into a Call and a Reply
into a response, so the handlers are plain functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Mapping

from jinja2 import Environment, FileSystemLoader, select_autoescape

from recours.crypto import FieldCipher
from recours.organisations import Organisation
from recours.settings import Settings
from recours.store import ComplaintStore, DeskSession

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
SESSION_COOKIE = "recours_desk"


def templates() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


@dataclass
class Desk:
    settings: Settings
    store: ComplaintStore
    cipher: FieldCipher
    organisation: Organisation
    rasa: Any  # desk.rasa_bridge.RasaBridge
    today: Callable[[], date]
    now: Callable[[], datetime]
    pages: Environment = field(default_factory=templates)
    wake_delivery: Callable[[], None] = lambda: None


@dataclass
class Call:
    """One request, as the handlers see it."""

    params: Mapping[str, str] = field(default_factory=dict)  # from the path
    query: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    session: DeskSession | None = None
    token: str | None = None  # the session cookie's value
    secure: bool = False  # reached over HTTPS (directly or behind a proxy): the cookie is marked Secure


@dataclass
class Reply:
    status: int = 200
    json: Any = None
    text: str | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    redirect: str | None = None
    set_cookie: str | None = None  # a new session token
    clear_cookie: bool = False


def error(status: int, code: str, message_fr: str, **extra: Any) -> Reply:
    return Reply(status=status, json={"error": code, "message": message_fr, **extra})


UNAUTHORISED = ("unauthorised", "Connectez-vous pour continuer.")
FORBIDDEN_CSRF = ("csrf", "Jeton CSRF absent ou invalide : rechargez la page.")
FORBIDDEN_ROLE = ("forbidden", "Cette action est réservée aux superviseurs.")
NOT_FOUND = ("not_found", "Réclamation inconnue.")
